//! What every handler shares, loaded and checked once at start-up.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::catalog::Catalog;
use crate::config::Config;
use crate::cors::AllowedOrigins;
use crate::db::Database;
use crate::regions::Regions;

#[derive(Clone)]
pub struct AppState {
    pub catalog: Arc<Catalog>,
    pub regions: Arc<Regions>,
    pub db: Database,
    /// The built widget, served at `/`.
    pub dist: PathBuf,
    pub cors: AllowedOrigins,
}

/// Why the collector refuses to start; the message names the file or flag.
#[derive(Debug)]
pub struct StartError(String);

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

impl AppState {
    /// Loads the batches and regions and opens the database the config names.
    pub fn open(config: &Config) -> Result<Self, StartError> {
        let catalog = Catalog::load(&config.batches)
            .map_err(|e| StartError(format!("batches file {}: {e}", config.batches.display())))?;
        let regions = Regions::load(&config.regions).map_err(|e| {
            StartError(format!("{e}\n(generate the region data or point --regions at it)"))
        })?;
        let db = Database::open(&config.database)
            .map_err(|e| StartError(format!("database {}: {e}", config.database.display())))?;
        let cors = AllowedOrigins::parse(&config.cors_origins).map_err(StartError)?;
        Ok(Self { catalog: Arc::new(catalog), regions: Arc::new(regions), db, dist: config.dist.clone(), cors })
    }
}
