//! The store on SQLite: one file, one process. One connection writes (the
//! writer's groups of votes, verifications, code limits), each under
//! `BEGIN IMMEDIATE`; readers have connections of their own, and in WAL
//! mode they read a committed snapshot without ever waiting for the writer.
//! `synchronous=FULL` syncs the write-ahead log at every commit, so a
//! receipt is given only for a vote that survives a power cut.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};
use survey_protocol::Receipt;
use survey_protocol::time::format_rfc3339;

use super::tally::{Deltas, Listing, Region, RegionRange, Tallies};
use super::{DATABASE_RETRY_S, NewVote, OTHER_SECRET, OpenError, Outcome, PoolUse, RECEIPT_ATTEMPTS, given, person_bytes};
use crate::error::Error;
use crate::pending::{self, Confirmed, Judgement, Pending, Refusal};
use crate::rate_limit::{self, CodeLimits, Key};
use crate::receipt::Numbering;
use crate::secret::{PersonKey, Secret};

/// What a migration does after its SQL, for what SQL alone cannot decide.
type Step = fn(&rusqlite::Transaction<'_>) -> rusqlite::Result<()>;

/// Applied in order; `PRAGMA user_version` counts how many have run.
const MIGRATIONS: &[(&str, Option<Step>)] = &[
    (include_str!("../../migrations/sqlite/0001_votes.sql"), None),
    (include_str!("../../migrations/sqlite/0002_real_name_key.sql"), None),
    (include_str!("../../migrations/sqlite/0003_tallies_and_shared_state.sql"), None),
    (include_str!("../../migrations/sqlite/0004_choices_by_arrival.sql"), None),
    (include_str!("../../migrations/sqlite/0005_no_batch_index.sql"), None),
    (include_str!("../../migrations/sqlite/0006_follow_ups.sql"), None),
    (include_str!("../../migrations/sqlite/0007_choices_in_the_vote.sql"), None),
    (include_str!("../../migrations/sqlite/0008_numbered_receipts.sql"), Some(keep_random_receipts_apart)),
];

/// Idle reader connections kept open; more are opened when needed.
const IDLE_READERS: usize = 8;

/// How long a statement waits for a lock held by another process (a backup,
/// the `sqlite3` shell) before the request is answered 503.
const BUSY_TIMEOUT: Duration = Duration::from_secs(2);

/// How often the log is copied into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// Pages of log (4 KiB each) after which the writer copies it into the file
/// itself and starts it over.
const LOG_LIMIT_PAGES: i64 = 16_000;

#[derive(Clone)]
pub struct Sqlite {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    readers_in_use: AtomicUsize,
    /// Turns a vote's number into its receipt.
    numbering: Numbering,
    /// When verifications and code limits were last swept.
    swept_at: AtomicI64,
}

impl Sqlite {
    /// Opens (creating it and its directory if needed) and migrates the database.
    pub fn open(path: &Path, secret: &Secret) -> Result<Self, OpenError> {
        let fail = |e: &dyn std::fmt::Display| OpenError(format!("database {}: {e}", path.display()));
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
        }
        let mut conn = Connection::open(path).map_err(|e| fail(&e))?;
        // WAL lets readers run beside the writer; FULL makes a commit survive
        // power loss, since a receipt promises the vote is stored.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| fail(&e))?;
        configure(&conn).map_err(|e| fail(&e))?;
        // The writer touches index pages all over the file (vote ids are
        // random): 64 MiB of them stay in memory.
        conn.pragma_update(None, "cache_size", -65_536).map_err(|e| fail(&e))?;
        // Checkpoints (copying the log into the file, and a sync of it) are
        // made by a thread of their own, see `checkpoints`; the writer makes
        // one itself only when the log has grown this long anyway.
        conn.pragma_update(None, "wal_autocheckpoint", LOG_LIMIT_PAGES).map_err(|e| fail(&e))?;
        migrate(&mut conn).map_err(|e| fail(&e))?;
        if !same_secret(&conn, secret.fingerprint()).map_err(|e| fail(&e))? {
            return Err(fail(&OTHER_SECRET));
        }
        let inner = Arc::new(Inner {
            path: path.to_owned(),
            writer: Mutex::new(conn),
            readers: Mutex::default(),
            readers_in_use: AtomicUsize::new(0),
            numbering: Numbering::new(&secret.receipt_key()),
            swept_at: AtomicI64::new(0),
        });
        let checkpointer = Connection::open(path).map_err(|e| fail(&e))?;
        configure(&checkpointer).map_err(|e| fail(&e))?;
        let store = Arc::downgrade(&inner);
        std::thread::Builder::new()
            .name("bsv-checkpoint".to_owned())
            .spawn(move || checkpoints(&checkpointer, &store))
            .map_err(|e| fail(&e))?;
        Ok(Self { inner })
    }

    /// Runs `f` on the writing connection, off the async runtime.
    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            // A panic mid-transaction rolled it back when the guard unwound,
            // so the connection is still sound.
            let mut conn = inner.writer.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut conn)
        })
        .await?
    }

    /// Runs `f` on a reading connection of its own, off the async runtime.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let idle = inner.readers.lock().unwrap_or_else(PoisonError::into_inner).pop();
            let mut conn = match idle {
                Some(conn) => conn,
                None => open_reader(&inner.path)?,
            };
            inner.readers_in_use.fetch_add(1, Ordering::Relaxed);
            let result = f(&mut conn);
            inner.readers_in_use.fetch_sub(1, Ordering::Relaxed);
            let mut idle = inner.readers.lock().unwrap_or_else(PoisonError::into_inner);
            if idle.len() < IDLE_READERS {
                idle.push(conn);
            }
            result
        })
        .await?
    }

    pub async fn write_group(&self, votes: Vec<NewVote>) -> Result<Vec<Outcome>, Error> {
        let inner = Arc::clone(&self.inner);
        self.write(move |conn| write_group(conn, &inner.numbering, &votes)).await
    }

    pub async fn existing(&self, vote_id: &str, body_hash: [u8; 32]) -> Result<Option<Outcome>, Error> {
        let vote_id = vote_id.to_owned();
        self.read(move |conn| Ok(existing(conn, &vote_id, &body_hash)?)).await
    }

    pub async fn tallies(&self, batch_id: &str, region: &Region) -> Result<Tallies, Error> {
        let (batch_id, region) = (batch_id.to_owned(), region.clone());
        self.read(move |conn| {
            // One read transaction: the totals and the options of one snapshot.
            let tx = conn.transaction()?;
            Ok(region_tallies_in(&tx, &batch_id, &region)?)
        })
        .await
    }

    pub async fn region_tallies(&self, batch_id: &str, range: &RegionRange) -> Result<Listing, Error> {
        let (batch_id, range) = (batch_id.to_owned(), range.clone());
        self.read(move |conn| {
            // One read transaction: the whole and its regions of one snapshot.
            let tx = conn.transaction()?;
            let whole = region_tallies_in(&tx, &batch_id, &range.whole)?;
            let level = range.level.code();
            let mut regions: Vec<(String, Tallies)> = tx
                .prepare_cached(
                    "SELECT region, SUM(total), SUM(real_name_total) FROM tally_totals
                     WHERE batch_id = ?1 AND level = ?2 AND region >= ?3 AND region < ?4
                     GROUP BY region ORDER BY region",
                )?
                .query_map(params![batch_id, level, range.from, range.to], |row| {
                    let tallies = Tallies { total: count(row, 1)?, real_name_total: count(row, 2)?, ..Tallies::default() };
                    Ok((row.get(0)?, tallies))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let mut options = tx.prepare_cached(
                "SELECT region, option_id, SUM(votes) FROM tallies
                 WHERE batch_id = ?1 AND level = ?2 AND region >= ?3 AND region < ?4
                 GROUP BY region, option_id",
            )?;
            let mut rows = options.query(params![batch_id, level, range.from, range.to])?;
            while let Some(row) = rows.next()? {
                let region: String = row.get(0)?;
                if let Ok(at) = regions.binary_search_by(|(code, _)| code.as_str().cmp(&region)) {
                    regions[at].1.by_option.insert(row.get(1)?, count(row, 2)?);
                }
            }
            Ok(Listing { whole, regions })
        })
        .await
    }

    pub async fn follow_ups(&self) -> Result<Vec<(String, String)>, Error> {
        self.read(|conn| {
            let mut select = conn.prepare_cached("SELECT batch_id, document FROM follow_ups ORDER BY batch_id")?;
            let rows = select.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    pub async fn publish_follow_ups(&self, documents: Vec<(String, String)>, now: i64) -> Result<(), Error> {
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let mut upsert = tx.prepare_cached(
                    "INSERT INTO follow_ups (batch_id, document, published_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (batch_id) DO UPDATE SET
                         document = excluded.document, published_at = excluded.published_at",
                )?;
                for (batch_id, document) in &documents {
                    upsert.execute(params![batch_id, document, now])?;
                }
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    pub async fn insert_verification(&self, id: &str, pending: Pending, now: i64) -> Result<(), Error> {
        let id = id.to_owned();
        let sweep = self.due_for_sweep(now);
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if sweep {
                sweep_expired(&tx, now)?;
            }
            tx.prepare_cached(
                "INSERT INTO verifications (verification_id, person_key, batch_id, code_hash, expires_at, wrong_tries,
                                            display_name)
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)
                 ON CONFLICT (person_key) DO UPDATE SET
                     verification_id = excluded.verification_id, batch_id = excluded.batch_id,
                     code_hash = excluded.code_hash, expires_at = excluded.expires_at, wrong_tries = 0,
                     display_name = excluded.display_name",
            )?
            .execute(params![
                id,
                pending.person.0.as_slice(),
                pending.batch_id,
                pending.code_hash.as_slice(),
                pending.expires_at,
                pending.display_name
            ])?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    pub async fn remove_verification(&self, id: &str) -> Result<(), Error> {
        let id = id.to_owned();
        self.write(move |conn| {
            conn.prepare_cached("DELETE FROM verifications WHERE verification_id = ?1")?.execute([id])?;
            Ok(())
        })
        .await
    }

    pub async fn confirm_verification(
        &self,
        id: &str,
        code_hash: [u8; 32],
        now: i64,
    ) -> Result<Result<Confirmed, Refusal>, Error> {
        let id = id.to_owned();
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let stored = tx
                .prepare_cached(
                    "SELECT code_hash, wrong_tries, expires_at, batch_id, person_key, display_name
                     FROM verifications WHERE verification_id = ?1",
                )?
                .query_row([&id], |row| {
                    Ok((
                        row.get::<_, Vec<u8>>(0)?,
                        row.get::<_, i64>(1)?,
                        row.get::<_, i64>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, Vec<u8>>(4)?,
                        row.get::<_, String>(5)?,
                    ))
                })
                .optional()?;
            let Some((stored_hash, wrong_tries, expires_at, batch_id, person, display_name)) = stored else {
                return Ok(Err(Refusal::Unknown));
            };
            let answer = match pending::judge(&stored_hash, wrong_tries, expires_at, &code_hash, now) {
                Judgement::Refused(refusal) => Err(refusal),
                Judgement::Right => {
                    tx.prepare_cached("DELETE FROM verifications WHERE verification_id = ?1")?.execute([&id])?;
                    let person = PersonKey(person.try_into().map_err(|_| Error::internal("a person key is not 32 bytes"))?);
                    Ok(Confirmed { batch_id, person, display_name })
                }
                Judgement::Wrong => {
                    tx.prepare_cached("UPDATE verifications SET wrong_tries = wrong_tries + 1 WHERE verification_id = ?1")?
                        .execute([&id])?;
                    Err(pending::after_wrong_code(wrong_tries + 1))
                }
            };
            tx.commit()?;
            Ok(answer)
        })
        .await
    }

    pub async fn acquire_code(
        &self,
        limits: CodeLimits,
        phone: Key,
        address: Option<Key>,
        now: i64,
    ) -> Result<Result<(), u64>, Error> {
        self.write(move |conn| {
            // IMMEDIATE: the times are read and written under the write lock.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let times = |key: &Key| -> rusqlite::Result<Vec<i64>> {
                let bytes: Option<Vec<u8>> = tx
                    .prepare_cached("SELECT sent_at FROM code_limits WHERE key = ?1")?
                    .query_row([key.as_slice()], |row| row.get(0))
                    .optional()?;
                Ok(bytes.map(|b| rate_limit::decode_times(&b)).unwrap_or_default())
            };
            let phone_times = times(&phone)?;
            let address_times = address.as_ref().map(times).transpose()?;
            if let Err(wait) = limits.check(&phone_times, address_times.as_deref(), now) {
                return Ok(Err(wait));
            }
            let mut store = tx.prepare_cached(
                "INSERT INTO code_limits (key, sent_at, last_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET sent_at = excluded.sent_at, last_at = excluded.last_at",
            )?;
            store.execute(params![phone.as_slice(), rate_limit::encode_times(&rate_limit::with_new_code(&phone_times, now)), now])?;
            if let (Some(address), Some(times)) = (address, address_times) {
                store.execute(params![address.as_slice(), rate_limit::encode_times(&rate_limit::with_new_code(&times, now)), now])?;
            }
            drop(store);
            tx.commit()?;
            Ok(Ok(()))
        })
        .await
    }

    pub async fn ping(&self) -> Result<(), Error> {
        self.read(|conn| Ok(conn.query_row("SELECT 1", [], |_| Ok(()))?)).await
    }

    pub fn pool_use(&self) -> PoolUse {
        let idle = self.inner.readers.lock().unwrap_or_else(PoisonError::into_inner).len();
        PoolUse { in_use: self.inner.readers_in_use.load(Ordering::Relaxed), idle, max: IDLE_READERS }
    }

    /// Whether this collector should sweep old verifications and code times
    /// now; at most once a minute.
    fn due_for_sweep(&self, now: i64) -> bool {
        let last = self.inner.swept_at.load(Ordering::Relaxed);
        now - last >= pending::SWEEP_EVERY_S
            && self.inner.swept_at.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok()
    }
}

/// Copies the log into the database file every [`CHECKPOINT_EVERY`] while
/// the store is open, beside the writer rather than inside its commits: a
/// checkpoint writes pages all over the file and syncs it, and made by the
/// writer it held up every vote in flight. `PASSIVE` neither waits for the
/// writer nor stops it. Under a steady load the writer never finds the log
/// wholly copied, so it cannot start it over; at [`LOG_LIMIT_PAGES`] it
/// makes a checkpoint itself, which finds most pages copied already.
fn checkpoints(conn: &Connection, store: &std::sync::Weak<Inner>) {
    loop {
        std::thread::sleep(CHECKPOINT_EVERY);
        if store.strong_count() == 0 {
            return;
        }
        if let Err(err) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(error = %err, "a checkpoint of the SQLite log failed; the next one tries again");
        }
    }
}

/// What every connection sets: durable commits, a bounded wait for locks.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.busy_timeout(BUSY_TIMEOUT)
}

fn open_reader(path: &Path) -> Result<Connection, Error> {
    let conn = Connection::open(path)?;
    configure(&conn)?;
    conn.pragma_update(None, "query_only", true)?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let applied: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if applied as usize > MIGRATIONS.len() {
        return Err(format!(
            "the database is at schema version {applied}, newer than this collector's {}",
            MIGRATIONS.len()
        )
        .into());
    }
    for (version, (sql, step)) in (1_u32..).zip(MIGRATIONS).skip(applied as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        if let Some(step) = step {
            step(&tx)?;
        }
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

/// Receipts drawn at random before migration 8 follow no order a number
/// could avoid: where any are stored, a unique index keeps a new code from
/// matching one of them (the writer then takes the next number). A database
/// without them needs no index: numbered codes never collide.
fn keep_random_receipts_apart(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    if tx.query_row("SELECT EXISTS (SELECT 1 FROM votes)", [], |row| row.get(0))? {
        tx.execute_batch("CREATE UNIQUE INDEX votes_random_receipts ON votes (receipt)")?;
    }
    Ok(())
}

/// Records the secret's fingerprint if none is, and tells whether the one
/// recorded is this one.
fn same_secret(conn: &Connection, fingerprint: [u8; 32]) -> rusqlite::Result<bool> {
    conn.execute(
        "INSERT INTO settings (name, value) VALUES ('secret_fingerprint', ?1) ON CONFLICT (name) DO NOTHING",
        [fingerprint.as_slice()],
    )?;
    let stored: Vec<u8> =
        conn.query_row("SELECT value FROM settings WHERE name = 'secret_fingerprint'", [], |row| row.get(0))?;
    Ok(stored == fingerprint)
}

/// Writes `votes` in one transaction; see [`super::Store::write_group`].
fn write_group(conn: &mut Connection, numbering: &Numbering, votes: &[NewVote]) -> Result<Vec<Outcome>, Error> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Numbers follow the last one stored: this transaction holds the write
    // lock, so no other connection numbers a vote meanwhile.
    let mut number: i64 = tx.query_row("SELECT coalesce(max(number), 0) + 1 FROM votes", [], |row| row.get(0))?;
    let mut outcomes = Vec::with_capacity(votes.len());
    let mut deltas = Deltas::default();
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO votes (number, vote_id, batch_id, body_hash, receipt, real_name, province, city, county,
                                other, locale, embed_origin, widget_version, counted_at, real_name_key, choices)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
             ON CONFLICT DO NOTHING",
        )?;
        for new in votes {
            let vote = &new.vote;
            let choices = serde_json::to_string(&vote.choices).map_err(Error::internal)?;
            let real_name = new.real_name_key.is_some();
            let mut outcome = None;
            for _ in 0..RECEIPT_ATTEMPTS {
                let code = numbering.code(number)?;
                let inserted = insert.execute(params![
                    number,
                    vote.vote_id,
                    vote.batch_id,
                    new.body_hash.as_slice(),
                    code,
                    real_name,
                    given(&vote.location.province),
                    given(&vote.location.city),
                    given(&vote.location.county),
                    given(&vote.other),
                    vote.client.locale,
                    vote.client.embed_origin,
                    vote.client.widget_version,
                    new.counted_at,
                    person_bytes(&new.real_name_key),
                    choices,
                ])?;
                if inserted == 1 {
                    number += 1;
                    deltas.add(new);
                    let receipt =
                        Receipt { vote_id: vote.vote_id.clone(), receipt: code, real_name, counted_at: format_rfc3339(new.counted_at) };
                    outcome = Some(Outcome::Counted(receipt));
                    break;
                }
                // Not inserted: its id is stored, its person has voted, or
                // (rarely, and only in a database from before numbering) a
                // random receipt holds the code: the next number's differs.
                if let Some(stored) = existing(&tx, &vote.vote_id, &new.body_hash)? {
                    outcome = Some(stored);
                    break;
                }
                if let Some(key) = &new.real_name_key
                    && has_voted(&tx, &vote.batch_id, key)?
                {
                    outcome = Some(Outcome::AlreadyVoted);
                    break;
                }
                number += 1;
            }
            outcomes.push(outcome.ok_or_else(|| Error::internal("no free receipt code after many attempts"))?);
        }
        add_deltas(&tx, &deltas)?;
    }
    tx.commit()?;
    Ok(outcomes)
}

/// Adds a group's deltas, in key order, to shard 0 (a database with one
/// writer has no other). Nearly every key has its row already, so each is
/// first updated in place (one search of the index) and inserted only when
/// no row changed: an `INSERT … ON CONFLICT DO UPDATE` searched twice, once
/// to fail the insert and once to update, and took 2.3 times as long.
fn add_deltas(tx: &rusqlite::Transaction<'_>, deltas: &Deltas) -> rusqlite::Result<()> {
    let mut update = tx.prepare_cached(
        "UPDATE tallies SET votes = votes + ?5
         WHERE batch_id = ?1 AND level = ?2 AND region = ?3 AND option_id = ?4 AND shard = 0",
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO tallies (batch_id, level, region, option_id, shard, votes) VALUES (?1, ?2, ?3, ?4, 0, ?5)",
    )?;
    for (key, votes) in &deltas.options {
        let row = params![key.batch_id, key.region.level.code(), key.region.code, key.option_id, votes];
        if update.execute(row)? == 0 {
            insert.execute(row)?;
        }
    }
    let mut update = tx.prepare_cached(
        "UPDATE tally_totals SET total = total + ?4, real_name_total = real_name_total + ?5
         WHERE batch_id = ?1 AND level = ?2 AND region = ?3 AND shard = 0",
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO tally_totals (batch_id, level, region, shard, total, real_name_total) VALUES (?1, ?2, ?3, 0, ?4, ?5)",
    )?;
    for (key, (votes, real_name)) in &deltas.totals {
        let row = params![key.batch_id, key.region.level.code(), key.region.code, votes, real_name];
        if update.execute(row)? == 0 {
            insert.execute(row)?;
        }
    }
    Ok(())
}

fn has_voted(conn: &Connection, batch_id: &str, key: &PersonKey) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM votes WHERE batch_id = ?1 AND real_name_key = ?2)")?
        .query_row(params![batch_id, key.0.as_slice()], |row| row.get(0))
}

fn existing(conn: &Connection, vote_id: &str, body_hash: &[u8; 32]) -> rusqlite::Result<Option<Outcome>> {
    conn.prepare_cached("SELECT body_hash, receipt, real_name, counted_at FROM votes WHERE vote_id = ?1")?
        .query_row([vote_id], |row| {
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
        })
        .optional()
}

/// Deletes verifications past keeping and code times older than the
/// longest limit.
fn sweep_expired(tx: &rusqlite::Transaction<'_>, now: i64) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM verifications WHERE expires_at < ?1", [now - pending::KEEP_AFTER_EXPIRY_S])?;
    tx.execute("DELETE FROM code_limits WHERE last_at <= ?1", [now - rate_limit::HORIZON_S])?;
    Ok(())
}

/// The tallies of `batch_id` in `region`, read inside `tx`.
fn region_tallies_in(tx: &rusqlite::Transaction, batch_id: &str, region: &Region) -> rusqlite::Result<Tallies> {
    let level = region.level.code();
    let (total, real_name_total) = tx
        .prepare_cached(
            "SELECT COALESCE(SUM(total), 0), COALESCE(SUM(real_name_total), 0) FROM tally_totals
             WHERE batch_id = ?1 AND level = ?2 AND region = ?3",
        )?
        .query_row(params![batch_id, level, region.code], |row| Ok((count(row, 0)?, count(row, 1)?)))?;
    let by_option = tx
        .prepare_cached(
            "SELECT option_id, SUM(votes) FROM tallies
             WHERE batch_id = ?1 AND level = ?2 AND region = ?3 GROUP BY option_id",
        )?
        .query_map(params![batch_id, level, region.code], |row| Ok((row.get(0)?, count(row, 1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Tallies { total, real_name_total, by_option })
}

/// A `COUNT` or `SUM` column, which SQLite gives as a signed integer.
fn count(row: &rusqlite::Row<'_>, column: usize) -> rusqlite::Result<u64> {
    row.get::<_, i64>(column).map(i64::unsigned_abs)
}

/// SQLite's errors as the API's: a lock held too long, a full disk or a
/// failing one is the database being unavailable for now (503 with
/// Retry-After, the client keeps the vote and retries); anything else is a
/// failure of this server.
impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        let transient = matches!(
            err.sqlite_error_code(),
            Some(
                ErrorCode::DatabaseBusy
                    | ErrorCode::DatabaseLocked
                    | ErrorCode::DiskFull
                    | ErrorCode::SystemIoFailure
                    | ErrorCode::CannotOpen
                    | ErrorCode::OutOfMemory
            )
        );
        if transient {
            tracing::warn!(error = %err, "the database is unavailable");
            Error::Unavailable { retry_after_s: DATABASE_RETRY_S }
        } else {
            Error::internal(err)
        }
    }
}
