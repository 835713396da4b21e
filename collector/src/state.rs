//! What every handler shares, loaded and checked once at start-up.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use axum::http::HeaderName;
use survey_protocol::RealName;

use crate::catalog::Catalog;
use crate::clock::Clock;
use crate::config::{Config, DatabaseLocation};
use crate::cors::AllowedOrigins;
use crate::faults::Faults;
use crate::follow_up_cache::FollowUpCache;
use crate::metrics::Metrics;
use crate::rate_limit::CodeLimits;
use crate::regions::Regions;
use crate::results_cache::ResultsCache;
use crate::secret::Secret;
use crate::sms::{DevelopmentSms, SmsSender};
use crate::store::Store;
use crate::writer::Writer;

/// The router holds it in an `Arc` ([`crate::app`]): axum clones the state
/// for every extractor of every request, and one `Arc` is cheaper to clone
/// than these fields (the widget's path, the CORS origins) one by one.
#[derive(Clone)]
pub struct AppState {
    pub catalog: Arc<Catalog>,
    pub regions: Arc<Regions>,
    /// The database; votes go through [`AppState::writer`].
    pub store: Store,
    /// Group commit: the one task per process that writes votes.
    pub writer: Writer,
    /// Tallies as last read, per batch and region.
    pub results: Arc<ResultsCache>,
    /// The organiser's follow-ups as last read, merged into every batch served.
    pub follow_ups: Arc<FollowUpCache>,
    /// `--region-min-votes`: regions with fewer votes are not listed.
    pub region_min_votes: u64,
    pub metrics: Arc<Metrics>,
    /// The built widget, served at `/`.
    pub dist: PathBuf,
    pub cors: AllowedOrigins,
    pub clock: Clock,
    /// Keys person keys and signs verification tokens.
    pub secret: Arc<Secret>,
    /// How verification codes are sent; `None` answers `POST /verifications`
    /// with 503.
    pub sms: Option<Arc<dyn SmsSender>>,
    /// How many codes a phone and an address may have; the codes sent are
    /// counted in the database.
    pub code_limits: CodeLimits,
    /// `--client-address-header`: the header a trusted proxy puts the
    /// client's address in.
    pub client_address_header: Option<HeaderName>,
    /// `--fault-injection`, tests only: the faults queued at `/__faults`.
    pub faults: Option<Arc<Faults>>,
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

/// The secret and the database `config` names, the database migrated and
/// checked against the secret: for the server and for the organiser's
/// commands alike, since both must use the database the same way.
pub fn open_store(config: &Config) -> Result<(Secret, Store), StartError> {
    let secret = match &config.database {
        DatabaseLocation::Sqlite(_) => Secret::load_or_create(&config.secret_file),
        // Never made here: a collector that made its own would not
        // share it with the others.
        DatabaseLocation::Postgres(_) => Secret::load(&config.secret_file),
    }
    .map_err(StartError)?;
    let store =
        Store::open(&config.database, config.db_pool, &secret).map_err(|e| StartError(e.to_string()))?;
    Ok((secret, store))
}

impl AppState {
    /// Loads the batches and regions, opens the secret and the database the
    /// config names, and starts the writer on the current tokio runtime.
    /// Codes are sent by the development sender with `--dev-sms`, else by
    /// nobody until [`AppState::with_sms`] names one.
    pub fn open(config: &Config) -> Result<Self, StartError> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(StartError("AppState::open must be called within a tokio runtime".to_owned()));
        }
        let catalog = Catalog::load(&config.batches)
            .map_err(|e| StartError(format!("batches file {}: {e}", config.batches.display())))?;
        let regions = Regions::load(&config.regions).map_err(|e| {
            StartError(format!("{e}\n(generate the region data or point --regions at it)"))
        })?;
        let cors = AllowedOrigins::parse(&config.cors_origins).map_err(StartError)?;
        let (secret, store) = open_store(config)?;
        let metrics = Arc::new(Metrics::default());
        let results = Arc::new(ResultsCache::default());
        let writer = Writer::start(store.clone(), Arc::clone(&metrics), Arc::clone(&results));
        let client_address_header = config
            .client_address_header
            .as_deref()
            .map(|name| {
                HeaderName::try_from(name)
                    .map_err(|_| StartError(format!("--client-address-header {name:?} is not a header name")))
            })
            .transpose()?;
        let sms: Option<Arc<dyn SmsSender>> = if config.dev_sms { Some(Arc::new(DevelopmentSms)) } else { None };
        Ok(Self {
            catalog: Arc::new(catalog),
            regions: Arc::new(regions),
            store,
            writer,
            results,
            follow_ups: Arc::default(),
            region_min_votes: config.region_min_votes,
            metrics,
            dist: config.dist.clone(),
            cors,
            clock: Clock::system(),
            secret: Arc::new(secret),
            sms,
            code_limits: CodeLimits::new(config.codes_per_address),
            client_address_header,
            faults: config.fault_injection.then(Arc::default),
        })
    }

    /// The same state sending codes through `sms`: a real gateway, or a test's.
    pub fn with_sms(self, sms: Arc<dyn SmsSender>) -> Self {
        Self { sms: Some(sms), ..self }
    }

    /// The same state reading the time from `clock`.
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    /// Ids of the batches that let citizens verify their real name.
    pub fn real_name_batches(&self) -> Vec<&str> {
        self.catalog.batches().filter(|b| b.real_name != RealName::Off).map(|b| b.id.as_str()).collect()
    }
}
