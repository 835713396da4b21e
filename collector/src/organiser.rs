//! The organiser's commands, run against the database beside the
//! collectors (never through the API, so no citizen can reach them):
//! `collector publish-follow-up FILE` and `collector export-tallies`.

use std::error::Error as StdError;

use crate::catalog::Catalog;
use crate::config::{Config, Export, ExportLevel};
use crate::export::Table;
use crate::follow_ups::{self, Published};
use crate::regions::Regions;
use crate::state::open_store;
use crate::store::tally::RegionRange;

type Failure = Box<dyn StdError>;

/// Checks the follow-up `file` against the batches file and stores it,
/// all or nothing; returns what to tell the organiser.
pub async fn publish_follow_up(config: &Config, file: &std::path::Path) -> Result<String, Failure> {
    let catalog = Catalog::load(&config.batches).map_err(|e| format!("batches file {}: {e}", config.batches.display()))?;
    let json = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let published = follow_ups::check_file(&json, &catalog).map_err(|e| format!("{}: {e}", file.display()))?;
    let (_, store) = open_store(config)?;
    let documents = published.iter().map(Published::document).collect();
    store.publish_follow_ups(documents, crate::clock::now()).await.map_err(|e| database_failure(config, e))?;
    let ids: Vec<&str> = published.iter().map(|p| p.id.as_str()).collect();
    Ok(format!(
        "published the follow-up of {} batch(es) into {}: {}; every collector on it serves it within {} s",
        ids.len(),
        config.database,
        ids.join(", "),
        crate::follow_up_cache::TTL.as_secs()
    ))
}

/// The tallies `export` asks for, as CSV.
pub async fn export_tallies(config: &Config, export: &Export) -> Result<String, Failure> {
    let catalog = Catalog::load(&config.batches).map_err(|e| format!("batches file {}: {e}", config.batches.display()))?;
    let entry = catalog
        .get(&export.batch)
        .ok_or_else(|| format!("there is no batch {:?} in the batches file {}", export.batch, config.batches.display()))?;
    let regions = Regions::load(&config.regions)?;
    let (_, store) = open_store(config)?;
    let fail = |e| database_failure(config, e);
    let (range, rows): (RegionRange, Vec<(&str, &str)>) = match &export.level {
        ExportLevel::Provinces => (RegionRange::provinces(), regions.provinces().collect()),
        ExportLevel::CitiesOf(province) => {
            if !regions.is_province(province) {
                return Err(format!("--province {province:?} is not a province of the region data").into());
            }
            (RegionRange::cities_of(province), regions.cities(province).collect())
        }
    };
    let listing = store.region_tallies(&export.batch, &range).await.map_err(fail)?;
    let whole_name = match &export.level {
        ExportLevel::Provinces => "全国",
        ExportLevel::CitiesOf(province) => regions.name(province).unwrap_or_default(),
    };
    let table = Table {
        batch: entry.batch(),
        regions: &regions,
        whole: (&range.whole.code, whole_name),
        rows,
        listing: &listing,
    };
    Ok(table.to_csv())
}

/// What went wrong with the database, for the organiser's terminal.
fn database_failure(config: &Config, err: crate::Error) -> String {
    match err {
        crate::Error::Internal(err) => format!("database {}: {err}", config.database),
        _ => format!("database {} is unavailable (busy, or not answering); try again", config.database),
    }
}
