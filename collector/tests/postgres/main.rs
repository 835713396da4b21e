//! The collector on a real PostgreSQL: two collectors sharing one database
//! as two processes behind a load balancer would, the same vote rules as on
//! SQLite, and a database that goes away. Each test has a schema of its own
//! on the server `DATABASE_URL` names and skips (passing, with a line
//! saying so) without it; `scripts/test` runs them under `pg_virtualenv`.

#[allow(dead_code, reason = "shared with tests/api, of which these tests need a part")]
#[path = "../api/support.rs"]
mod support;

mod database;
mod faults;
mod proxy;
mod receipts;
mod regions;
mod tls;
mod two_collectors;
mod votes;

#[path = "../api/group_cases.rs"]
mod group_cases;
#[path = "../api/region_cases.rs"]
mod region_cases;

use serde_json::Value;
use tempfile::TempDir;

use database::Schema;
use support::{RealNameApp, TestApp, open_batch};

/// A collector on `schema` serving the open example batch.
pub fn collector(schema: &Schema) -> TestApp {
    collector_with(schema, vec![open_batch()])
}

pub fn collector_with(schema: &Schema, batches: Vec<Value>) -> TestApp {
    TestApp::build_on(schema.location(), batches, TempDir::new().unwrap(), |state| state)
}

/// The store alone on the database `url` names, opened with the tests'
/// secret, as a collector would open it.
pub fn open_store(url: &str) -> Result<collector::store::Store, collector::store::OpenError> {
    let secret = collector::secret::Secret::from_bytes(vec![0x5e; 32]).unwrap();
    collector::store::Store::open(&collector::config::DatabaseLocation::Postgres(url.to_owned()), 2, &secret)
}

/// A collector on `schema` that verifies real names, with its own SMS
/// capture and clock.
pub fn real_name_collector(schema: &Schema) -> RealNameApp {
    RealNameApp::on(schema.location(), vec![open_batch()], TempDir::new().unwrap())
}
