//! The one place that owns the SQLite database. A single connection behind a
//! mutex serialises every write, which is what makes "look up the vote id,
//! then insert" atomic: two identical requests racing each other get one row
//! and one receipt.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use survey_protocol::Receipt;
use survey_protocol::Vote;
use survey_protocol::time::format_rfc3339;

use crate::error::Error;
use crate::receipt;
use crate::secret::PersonKey;

/// Applied in order; `PRAGMA user_version` counts how many have run.
const MIGRATIONS: &[&str] =
    &[include_str!("../migrations/0001_votes.sql"), include_str!("../migrations/0002_real_name_key.sql")];

/// How often a fresh receipt code may collide before the insert gives up.
const RECEIPT_ATTEMPTS: usize = 16;

#[derive(Clone)]
pub struct Database {
    conn: Arc<Mutex<Connection>>,
}

/// A vote that passed every check, ready to be stored.
pub struct NewVote {
    pub vote: Vote,
    pub body_hash: [u8; 32],
    /// The person a real-name vote is from; `None` for an anonymous vote.
    pub real_name_key: Option<PersonKey>,
    pub counted_at: i64,
}

/// What storing a vote (or looking its id up) came to.
#[derive(Debug)]
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

/// The counts behind `GET /batches/{id}/results`.
pub struct Tallies {
    pub total: u64,
    pub real_name_total: u64,
    /// Option id → votes; options nobody chose are absent.
    pub by_option: HashMap<String, u64>,
}

type OpenError = Box<dyn std::error::Error + Send + Sync>;

impl Database {
    /// Opens (creating it and its directory if needed) and migrates the database.
    pub fn open(path: &Path) -> Result<Self, OpenError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut conn = Connection::open(path)?;
        // WAL lets readers run beside the writer; FULL makes a commit survive
        // power loss, since a receipt promises the vote is stored.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        Ok(Self { conn: Arc::new(Mutex::new(conn)) })
    }

    /// Runs `f` on the connection off the async runtime.
    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A panic mid-transaction rolled it back when the guard unwound,
            // so the connection is still sound.
            let mut conn = conn.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut conn)
        })
        .await?
    }

    /// What a vote with this id and body would come to if it were stored
    /// already; `None` when the id is new.
    pub async fn existing(&self, vote_id: &str, body_hash: [u8; 32]) -> Result<Option<Outcome>, Error> {
        let vote_id = vote_id.to_owned();
        self.with(move |conn| Ok(existing(conn, &vote_id, &body_hash)?)).await
    }

    /// Stores the vote and its choices in one transaction, unless its id is
    /// stored already (a retry that raced this one), which is answered like
    /// [`Database::existing`], or its person has a real-name vote in the
    /// batch already.
    pub async fn insert(&self, new: NewVote) -> Result<Outcome, Error> {
        let NewVote { vote, body_hash, real_name_key, counted_at } = new;
        let real_name = real_name_key.is_some();
        let real_name_key = real_name_key.map(|key| key.0);
        self.with(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if let Some(outcome) = existing(&tx, &vote.vote_id, &body_hash)? {
                return Ok(outcome);
            }
            if let Some(key) = &real_name_key {
                let voted: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM votes WHERE batch_id = ?1 AND real_name_key = ?2)",
                    params![vote.batch_id, key],
                    |row| row.get(0),
                )?;
                if voted {
                    return Ok(Outcome::AlreadyVoted);
                }
            }
            let code = free_receipt(&tx)?;
            let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
            tx.execute(
                "INSERT INTO votes (vote_id, batch_id, body_hash, receipt, real_name, province, city, county,
                                    other, locale, embed_origin, widget_version, counted_at, real_name_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![
                    vote.vote_id,
                    vote.batch_id,
                    body_hash,
                    code,
                    real_name,
                    given(&vote.location.province),
                    given(&vote.location.city),
                    given(&vote.location.county),
                    given(&vote.other),
                    vote.client.locale,
                    vote.client.embed_origin,
                    vote.client.widget_version,
                    counted_at,
                    real_name_key,
                ],
            )?;
            let mut choice =
                tx.prepare("INSERT INTO vote_choices (vote_id, option_id, position) VALUES (?1, ?2, ?3)")?;
            for (position, option) in (0_i64..).zip(&vote.choices) {
                choice.execute(params![vote.vote_id, option, position])?;
            }
            drop(choice);
            tx.commit()?;
            Ok(Outcome::Counted(Receipt {
                vote_id: vote.vote_id,
                receipt: code,
                real_name,
                counted_at: format_rfc3339(counted_at),
            }))
        })
        .await
    }

    pub async fn tallies(&self, batch_id: &str) -> Result<Tallies, Error> {
        let batch_id = batch_id.to_owned();
        self.with(move |conn| {
            let tx = conn.transaction()?;
            let (total, real_name_total) = tx.query_row(
                "SELECT COUNT(*), COALESCE(SUM(real_name), 0) FROM votes WHERE batch_id = ?1",
                [&batch_id],
                |row| Ok((count(row, 0)?, count(row, 1)?)),
            )?;
            let by_option = tx
                .prepare(
                    "SELECT c.option_id, COUNT(*) FROM vote_choices c JOIN votes v ON v.vote_id = c.vote_id
                     WHERE v.batch_id = ?1 GROUP BY c.option_id",
                )?
                .query_map([&batch_id], |row| Ok((row.get(0)?, count(row, 1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(Tallies { total, real_name_total, by_option })
        })
        .await
    }
}

fn migrate(conn: &mut Connection) -> Result<(), OpenError> {
    let applied: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if applied as usize > MIGRATIONS.len() {
        return Err(format!(
            "the database is at schema version {applied}, newer than this collector's {}",
            MIGRATIONS.len()
        )
        .into());
    }
    for (version, sql) in (1_u32..).zip(MIGRATIONS).skip(applied as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

/// A `COUNT` or `SUM` column, which SQLite gives as a signed integer.
fn count(row: &rusqlite::Row<'_>, column: usize) -> rusqlite::Result<u64> {
    row.get::<_, i64>(column).map(i64::unsigned_abs)
}

fn existing(conn: &Connection, vote_id: &str, body_hash: &[u8; 32]) -> rusqlite::Result<Option<Outcome>> {
    conn.query_row(
        "SELECT body_hash, receipt, real_name, counted_at FROM votes WHERE vote_id = ?1",
        [vote_id],
        |row| {
            let stored: Vec<u8> = row.get(0)?;
            if stored != body_hash {
                return Ok(Outcome::KeyReused);
            }
            Ok(Outcome::Replayed(Receipt {
                vote_id: vote_id.to_owned(),
                receipt: row.get(1)?,
                real_name: row.get(2)?,
                counted_at: format_rfc3339(row.get(3)?),
            }))
        },
    )
    .optional()
}

/// A receipt code no stored vote has.
fn free_receipt(conn: &Connection) -> Result<String, Error> {
    let mut taken = conn.prepare("SELECT EXISTS (SELECT 1 FROM votes WHERE receipt = ?1)")?;
    for _ in 0..RECEIPT_ATTEMPTS {
        let code = receipt::new_code().map_err(Error::internal)?;
        if !taken.query_row([&code], |row| row.get::<_, bool>(0))? {
            return Ok(code);
        }
    }
    Err(Error::internal("no free receipt code after many attempts"))
}
