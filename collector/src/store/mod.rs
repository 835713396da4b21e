//! The one place that owns the database, on either engine: SQLite (a file,
//! the embedded default) or PostgreSQL (`postgres://…`, for many collectors
//! at once). Everything that must hold across collectors lives here: the
//! votes and their idempotency, the one real-name vote per person, the
//! tallies, pending verifications and the codes sent per phone and address.
//!
//! The handlers never write votes themselves: they hand them to the
//! [`crate::writer`], which writes a whole group in one transaction through
//! [`Store::write_group`]. Engine-specific SQL stays in `sqlite.rs` and
//! `postgres.rs`; the rules they apply are plain Rust in [`tally`],
//! [`crate::pending`] and [`crate::rate_limit`].

pub mod postgres;
pub mod sqlite;
pub mod tally;
pub mod tls;

use std::fmt;

use survey_protocol::{Receipt, Vote};

use crate::config::DatabaseLocation;
use crate::error::Error;
use crate::pending::{Confirmed, Pending, Refusal};
use crate::rate_limit::{CodeLimits, Key};
use crate::secret::{PersonKey, Secret};
use tally::{Listing, Region, RegionRange, Tallies};

/// How often a receipt code may be found taken before a write gives up.
pub const RECEIPT_ATTEMPTS: usize = 16;

/// Retry-After when the database cannot be reached or is busy: long enough
/// for a restart or a failover to a standby, short enough that a citizen's
/// vote waits in the outbox only a little.
pub const DATABASE_RETRY_S: u64 = 5;

/// A vote that passed every check, ready to be stored.
#[derive(Clone, Debug)]
pub struct NewVote {
    pub vote: Vote,
    pub body_hash: [u8; 32],
    /// The person a real-name vote is from; `None` for an anonymous vote.
    pub real_name_key: Option<PersonKey>,
    pub counted_at: i64,
}

/// What storing a vote (or looking its id up) came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Stored now.
    Counted(Receipt),
    /// Stored before with the same body: the first receipt.
    Replayed(Receipt),
    /// Stored before with a different body.
    KeyReused,
    /// Not stored: the same person has a real-name vote in this batch.
    AlreadyVoted,
}

/// Connections in use and idle, for `/metrics`.
#[derive(Clone, Copy, Debug, Default)]
pub struct PoolUse {
    pub in_use: usize,
    pub idle: usize,
    pub max: usize,
}

/// Why the database could not be opened; the message never holds a password.
#[derive(Debug)]
pub struct OpenError(pub String);

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OpenError {}

/// The database, on one engine or the other.
#[derive(Clone)]
pub enum Store {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

impl Store {
    /// Opens and migrates the database at `location`, and checks that it
    /// was used with this server secret, if with any: collectors sharing a
    /// database must share the secret, or tokens fail between them and a
    /// person's key changes (they could vote twice). The database keeps
    /// the secret's fingerprint, an HMAC under it that tells nothing about
    /// it, and receipts are vote numbers enciphered under a key from it.
    /// PostgreSQL connections beyond the first are made on use, at most
    /// `pool_size`.
    pub fn open(location: &DatabaseLocation, pool_size: usize, secret: &Secret) -> Result<Self, OpenError> {
        match location {
            DatabaseLocation::Sqlite(path) => Ok(Self::Sqlite(sqlite::Sqlite::open(path, secret)?)),
            DatabaseLocation::Postgres(url) => {
                Ok(Self::Postgres(postgres::Postgres::open(url, pool_size, secret)?))
            }
        }
    }

    /// The engine's name, for logs and metrics.
    pub fn engine(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// Writes a group of votes in one transaction and answers each in order,
    /// once it is committed. The group holds no two votes with the same id
    /// or the same person (the writer sees to that), so each vote is judged
    /// against what was stored before the group: a new one is counted (and
    /// tallied), a stored one replayed or refused as a reused key, a second
    /// real-name vote refused.
    pub async fn write_group(&self, votes: Vec<NewVote>) -> Result<Vec<Outcome>, Error> {
        match self {
            Self::Sqlite(db) => db.write_group(votes).await,
            Self::Postgres(db) => db.write_group(votes).await,
        }
    }

    /// What a vote with this id and body would come to if it were stored
    /// already; `None` when the id is new.
    pub async fn existing(&self, vote_id: &str, body_hash: [u8; 32]) -> Result<Option<Outcome>, Error> {
        match self {
            Self::Sqlite(db) => db.existing(vote_id, body_hash).await,
            Self::Postgres(db) => db.existing(vote_id, body_hash).await,
        }
    }

    /// The tallies of one batch in one region, read from one snapshot.
    pub async fn tallies(&self, batch_id: &str, region: &Region) -> Result<Tallies, Error> {
        match self {
            Self::Sqlite(db) => db.tallies(batch_id, region).await,
            Self::Postgres(db) => db.tallies(batch_id, region).await,
        }
    }

    /// The tallies of every region in `range` that has votes (every
    /// province, or every city of one province) and of their whole, read
    /// from one snapshot.
    pub async fn region_tallies(&self, batch_id: &str, range: &RegionRange) -> Result<Listing, Error> {
        match self {
            Self::Sqlite(db) => db.region_tallies(batch_id, range).await,
            Self::Postgres(db) => db.region_tallies(batch_id, range).await,
        }
    }

    /// The follow-up documents published so far, `(batch id, JSON)`, in
    /// batch id order; [`crate::follow_ups`] reads them.
    pub async fn follow_ups(&self) -> Result<Vec<(String, String)>, Error> {
        match self {
            Self::Sqlite(db) => db.follow_ups().await,
            Self::Postgres(db) => db.follow_ups().await,
        }
    }

    /// Stores each batch's follow-up document in one transaction, replacing
    /// what was published for those batches before; other batches keep
    /// theirs.
    pub async fn publish_follow_ups(&self, documents: Vec<(String, String)>, now: i64) -> Result<(), Error> {
        match self {
            Self::Sqlite(db) => db.publish_follow_ups(documents, now).await,
            Self::Postgres(db) => db.publish_follow_ups(documents, now).await,
        }
    }

    /// Keeps a pending verification under `id`, replacing the same person's
    /// earlier one in the same batch, whose code then stops working.
    pub async fn insert_verification(&self, id: &str, pending: Pending, now: i64) -> Result<(), Error> {
        match self {
            Self::Sqlite(db) => db.insert_verification(id, pending, now).await,
            Self::Postgres(db) => db.insert_verification(id, pending, now).await,
        }
    }

    /// Takes a verification out, e.g. when its code could not be sent.
    pub async fn remove_verification(&self, id: &str) -> Result<(), Error> {
        match self {
            Self::Sqlite(db) => db.remove_verification(id).await,
            Self::Postgres(db) => db.remove_verification(id).await,
        }
    }

    /// Checks `code_hash` against verification `id` at `now`. A right code
    /// takes the verification out (it is good for one token); a wrong one
    /// uses up a try. Two collectors confirming at once cannot both win.
    pub async fn confirm_verification(
        &self,
        id: &str,
        code_hash: [u8; 32],
        now: i64,
    ) -> Result<Result<Confirmed, Refusal>, Error> {
        match self {
            Self::Sqlite(db) => db.confirm_verification(id, code_hash, now).await,
            Self::Postgres(db) => db.confirm_verification(id, code_hash, now).await,
        }
    }

    /// Counts one code for `phone` and `address` if both are under `limits`
    /// at `now`; otherwise counts nothing and gives the seconds to wait.
    pub async fn acquire_code(
        &self,
        limits: &CodeLimits,
        phone: Key,
        address: Option<Key>,
        now: i64,
    ) -> Result<Result<(), u64>, Error> {
        match self {
            Self::Sqlite(db) => db.acquire_code(limits.clone(), phone, address, now).await,
            Self::Postgres(db) => db.acquire_code(limits, phone, address, now).await,
        }
    }

    /// Whether the database answers a trivial query now.
    pub async fn ping(&self) -> Result<(), Error> {
        match self {
            Self::Sqlite(db) => db.ping().await,
            Self::Postgres(db) => db.ping().await,
        }
    }

    /// Connections in use and idle.
    pub fn pool_use(&self) -> PoolUse {
        match self {
            Self::Sqlite(db) => db.pool_use(),
            Self::Postgres(db) => db.pool_use(),
        }
    }
}

/// The message given when the database holds another secret's fingerprint.
const OTHER_SECRET: &str = "this database was used with another server secret: every collector on one database \
     must use the same secret file (restore it from the backup); a new secret would void the tokens in flight \
     and let people who voted under their real name vote again";

/// The trimmed text of an optional field, `None` when blank.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The person key's bytes, as stored.
fn person_bytes(key: &Option<PersonKey>) -> Option<&[u8]> {
    key.as_ref().map(|k| k.0.as_slice())
}
