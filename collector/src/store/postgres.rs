//! The store on PostgreSQL (13 or later), shared by any number of
//! collectors. Connections come from a deadpool pool; a group of votes is
//! one transaction of a few statements, whatever its size: the votes and
//! their choices in one `INSERT … SELECT FROM UNNEST(…) ON CONFLICT DO
//! NOTHING` (the unique keys decide replays and second real-name votes,
//! across collectors too), a look-up of the ones not inserted, and the
//! tally deltas in key order. Commits are durable as the server is set up:
//! `synchronous_commit` on (the default), and with a synchronous standby a
//! commit is acknowledged once the standby has it.
//!
//! Every SQL text of this engine is in this file.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Object, Pool, PoolError, RecyclingMethod, Runtime};
use survey_protocol::Receipt;
use survey_protocol::time::format_rfc3339;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::IsolationLevel;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::tally::{Deltas, Listing, Region, RegionRange, Tallies};
use super::tls::TlsRequest;
use super::{DATABASE_RETRY_S, NewVote, OTHER_SECRET, OpenError, Outcome, PoolUse, RECEIPT_ATTEMPTS, given, person_bytes};
use crate::error::Error;
use crate::pending::{self, Confirmed, Judgement, Pending, Refusal};
use crate::rate_limit::{self, CodeLimits, Key};
use crate::receipt::Numbering;
use crate::secret::{PersonKey, Secret};

/// Applied in order; `schema_migrations` records which have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/0001_schema.sql"),
    include_str!("../../migrations/postgres/0002_follow_ups.sql"),
    include_str!("../../migrations/postgres/0003_numbered_receipts.sql"),
];

/// Vote numbers a collector takes from the `vote_numbers` sequence at a
/// time: the sequence's increment (migration 0003).
const NUMBER_BLOCK: i64 = 1024;

/// The advisory lock that collectors starting at once take to migrate one
/// at a time ("bsv" and 1 in ASCII).
const MIGRATION_LOCK: i64 = 0x6273_7600_0000_0001;

/// Tally shards: each group of votes adds to one picked at random, so two
/// collectors committing at once share a row only one time in eight.
const SHARDS: u32 = 8;

/// How long one group's transaction may take before its votes are answered
/// 503 and its connection is dropped: a server that stopped answering
/// (a network cut, a failover) must not hold the writer for long.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a request waits for a free connection, and for a new one.
const POOL_WAIT: Duration = Duration::from_secs(5);

/// `connect_timeout` when the URL does not set one.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct Postgres {
    pool: Pool,
    /// When verifications and code limits were last swept by this collector.
    swept_at: Arc<AtomicI64>,
    /// Turns a vote's number into its receipt.
    numbering: Arc<Numbering>,
    /// What is left of the block of vote numbers this collector last took.
    numbers: Arc<Mutex<Range<i64>>>,
}

impl Postgres {
    /// Parses the URL, migrates the database and checks the secret's
    /// fingerprint on one connection of its own, and makes the pool.
    pub fn open(url: &str, pool_size: usize, secret: &Secret) -> Result<Self, OpenError> {
        let fingerprint = secret.fingerprint();
        let tls = TlsRequest::from_url(url)?;
        let connector = tls.connector()?;
        tracing::info!("{}", tls.describe());
        let mut config: tokio_postgres::Config =
            tls.url.parse().map_err(|e| OpenError(format!("--database: not a PostgreSQL URL: {e}")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("bsv-collector");
        }
        // A connection whose server vanished without a word is noticed in
        // about a minute rather than two hours.
        config.keepalives_idle(Duration::from_secs(30));
        // On a thread and runtime of its own, so that opening works from a
        // synchronous caller inside or outside any runtime.
        let (migrating, migrating_tls) = (config.clone(), connector.clone());
        std::thread::scope(|scope| {
            scope
                .spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .map_err(|e| OpenError(format!("cannot start a runtime to migrate: {e}")))?;
                    runtime.block_on(migrate(&migrating, migrating_tls, fingerprint))
                })
                .join()
                .unwrap_or_else(|_| Err(OpenError("migrating the database panicked".to_owned())))
        })?;
        let manager =
            Manager::from_config(config, connector, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(pool_size.max(2))
            .wait_timeout(Some(POOL_WAIT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .recycle_timeout(Some(POOL_WAIT))
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| OpenError(format!("cannot make the connection pool: {e}")))?;
        Ok(Self {
            pool,
            swept_at: Arc::default(),
            numbering: Arc::new(Numbering::new(&secret.receipt_key())),
            numbers: Arc::default(),
        })
    }

    async fn client(&self) -> Result<Object, Error> {
        self.pool.get().await.map_err(pool_error)
    }

    pub async fn write_group(&self, votes: Vec<NewVote>) -> Result<Vec<Outcome>, Error> {
        let mut client = self.client().await?;
        let receipts = Receipts { numbering: &self.numbering, numbers: &self.numbers };
        match tokio::time::timeout(WRITE_TIMEOUT, write_group(&mut client, &receipts, &votes)).await {
            Ok(result) => result,
            Err(_) => {
                // The connection is in an unknown state: out of the pool with it.
                drop(Object::take(client));
                tracing::warn!(timeout = ?WRITE_TIMEOUT, "a group of votes took too long to commit");
                Err(Error::Unavailable { retry_after_s: DATABASE_RETRY_S })
            }
        }
    }

    pub async fn existing(&self, vote_id: &str, body_hash: [u8; 32]) -> Result<Option<Outcome>, Error> {
        let client = self.client().await?;
        let select = client.prepare_cached(SELECT_STORED).await.map_err(db_error)?;
        let rows = client.query(&select, &[&vec![vote_id]]).await.map_err(db_error)?;
        Ok(rows.first().map(|row| Stored::of(row).outcome(vote_id, &body_hash)))
    }

    pub async fn tallies(&self, batch_id: &str, region: &Region) -> Result<Tallies, Error> {
        tallies_in(&self.client().await?, batch_id, region).await
    }

    pub async fn region_tallies(&self, batch_id: &str, range: &RegionRange) -> Result<Listing, Error> {
        let mut client = self.client().await?;
        // The whole and its regions of one snapshot: two statements in one
        // repeatable-read transaction.
        let tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await
            .map_err(db_error)?;
        let whole = tallies_in(&tx, batch_id, &range.whole).await?;
        let select = tx
            .prepare_cached(
                "SELECT region, NULL::text, SUM(total)::int8, SUM(real_name_total)::int8
                 FROM tally_totals WHERE batch_id = $1 AND level = $2 AND region >= $3 AND region < $4
                 GROUP BY region
                 UNION ALL
                 SELECT region, option_id, SUM(votes)::int8, 0::int8
                 FROM tallies WHERE batch_id = $1 AND level = $2 AND region >= $3 AND region < $4
                 GROUP BY region, option_id",
            )
            .await
            .map_err(db_error)?;
        let params: [&(dyn ToSql + Sync); 4] = [&batch_id, &range.level.code(), &range.from, &range.to];
        let mut regions: std::collections::BTreeMap<String, Tallies> = std::collections::BTreeMap::new();
        for row in tx.query(&select, &params).await.map_err(db_error)? {
            let (region, option, votes, real_name): (String, Option<String>, i64, i64) =
                (row.get(0), row.get(1), row.get(2), row.get(3));
            let tallies = regions.entry(region).or_default();
            match option {
                None => (tallies.total, tallies.real_name_total) = (votes.unsigned_abs(), real_name.unsigned_abs()),
                Some(option) => {
                    tallies.by_option.insert(option, votes.unsigned_abs());
                }
            }
        }
        tx.commit().await.map_err(db_error)?;
        Ok(Listing { whole, regions: regions.into_iter().collect() })
    }

    pub async fn follow_ups(&self) -> Result<Vec<(String, String)>, Error> {
        let client = self.client().await?;
        let select = client
            .prepare_cached("SELECT batch_id, document FROM follow_ups ORDER BY batch_id")
            .await
            .map_err(db_error)?;
        let rows = client.query(&select, &[]).await.map_err(db_error)?;
        Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
    }

    pub async fn publish_follow_ups(&self, documents: Vec<(String, String)>, now: i64) -> Result<(), Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        let upsert = tx
            .prepare_cached(
                "INSERT INTO follow_ups (batch_id, document, published_at) VALUES ($1, $2, $3)
                 ON CONFLICT (batch_id) DO UPDATE SET
                     document = EXCLUDED.document, published_at = EXCLUDED.published_at",
            )
            .await
            .map_err(db_error)?;
        for (batch_id, document) in &documents {
            tx.execute(&upsert, &[batch_id, document, &now]).await.map_err(db_error)?;
        }
        tx.commit().await.map_err(db_error)?;
        Ok(())
    }

    pub async fn insert_verification(&self, id: &str, pending: Pending, now: i64) -> Result<(), Error> {
        let client = self.client().await?;
        if self.due_for_sweep(now) {
            let sweep = "DELETE FROM verifications WHERE expires_at < $1";
            client.execute(sweep, &[&(now - pending::KEEP_AFTER_EXPIRY_S)]).await.map_err(db_error)?;
            let sweep = "DELETE FROM code_limits WHERE last_at <= $1";
            client.execute(sweep, &[&(now - rate_limit::HORIZON_S)]).await.map_err(db_error)?;
        }
        let insert = client
            .prepare_cached(
                "INSERT INTO verifications (verification_id, person_key, batch_id, code_hash, expires_at, wrong_tries,
                                            display_name)
                 VALUES ($1, $2, $3, $4, $5, 0, $6)
                 ON CONFLICT (person_key) DO UPDATE SET
                     verification_id = EXCLUDED.verification_id, batch_id = EXCLUDED.batch_id,
                     code_hash = EXCLUDED.code_hash, expires_at = EXCLUDED.expires_at, wrong_tries = 0,
                     display_name = EXCLUDED.display_name",
            )
            .await
            .map_err(db_error)?;
        let params: [&(dyn ToSql + Sync); 6] = [
            &id,
            &pending.person.0.as_slice(),
            &pending.batch_id,
            &pending.code_hash.as_slice(),
            &pending.expires_at,
            &pending.display_name,
        ];
        client.execute(&insert, &params).await.map_err(db_error)?;
        Ok(())
    }

    pub async fn remove_verification(&self, id: &str) -> Result<(), Error> {
        let client = self.client().await?;
        client.execute("DELETE FROM verifications WHERE verification_id = $1", &[&id]).await.map_err(db_error)?;
        Ok(())
    }

    pub async fn confirm_verification(
        &self,
        id: &str,
        code_hash: [u8; 32],
        now: i64,
    ) -> Result<Result<Confirmed, Refusal>, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        // FOR UPDATE: two collectors confirming the same verification take turns.
        let select = tx
            .prepare_cached(
                "SELECT code_hash, wrong_tries, expires_at, batch_id, person_key, display_name
                 FROM verifications WHERE verification_id = $1 FOR UPDATE",
            )
            .await
            .map_err(db_error)?;
        let Some(row) = tx.query_opt(&select, &[&id]).await.map_err(db_error)? else {
            tx.rollback().await.map_err(db_error)?;
            return Ok(Err(Refusal::Unknown));
        };
        let (stored_hash, wrong_tries, expires_at): (Vec<u8>, i32, i64) = (row.get(0), row.get(1), row.get(2));
        let answer = match pending::judge(&stored_hash, i64::from(wrong_tries), expires_at, &code_hash, now) {
            Judgement::Refused(refusal) => Err(refusal),
            Judgement::Right => {
                tx.execute("DELETE FROM verifications WHERE verification_id = $1", &[&id]).await.map_err(db_error)?;
                let person: Vec<u8> = row.get(4);
                let person = PersonKey(person.try_into().map_err(|_| Error::internal("a person key is not 32 bytes"))?);
                Ok(Confirmed { batch_id: row.get(3), person, display_name: row.get(5) })
            }
            Judgement::Wrong => {
                let wrong = "UPDATE verifications SET wrong_tries = wrong_tries + 1 WHERE verification_id = $1";
                tx.execute(wrong, &[&id]).await.map_err(db_error)?;
                Err(pending::after_wrong_code(i64::from(wrong_tries) + 1))
            }
        };
        tx.commit().await.map_err(db_error)?;
        Ok(answer)
    }

    pub async fn acquire_code(
        &self,
        limits: &CodeLimits,
        phone: Key,
        address: Option<Key>,
        now: i64,
    ) -> Result<Result<(), u64>, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_error)?;
        // Both keys' rows exist and are locked, in key order, before their
        // times are read: two collectors sending to one phone take turns.
        let mut keys: Vec<&[u8]> = vec![phone.as_slice()];
        keys.extend(address.as_ref().map(|a| a.as_slice()));
        keys.sort_unstable();
        let create = tx
            .prepare_cached(
                "INSERT INTO code_limits (key, sent_at, last_at) SELECT k, '', 0 FROM UNNEST($1::bytea[]) AS k
                 ORDER BY k ON CONFLICT (key) DO NOTHING",
            )
            .await
            .map_err(db_error)?;
        tx.execute(&create, &[&keys]).await.map_err(db_error)?;
        let lock = tx
            .prepare_cached("SELECT key, sent_at FROM code_limits WHERE key = ANY($1) ORDER BY key FOR UPDATE")
            .await
            .map_err(db_error)?;
        let times: HashMap<Vec<u8>, Vec<i64>> = tx
            .query(&lock, &[&keys])
            .await
            .map_err(db_error)?
            .iter()
            .map(|row| (row.get::<_, Vec<u8>>(0), rate_limit::decode_times(row.get::<_, &[u8]>(1))))
            .collect();
        let times_of = |key: &Key| times.get(key.as_slice()).cloned().unwrap_or_default();
        let phone_times = times_of(&phone);
        let address_times = address.as_ref().map(times_of);
        if let Err(wait) = limits.check(&phone_times, address_times.as_deref(), now) {
            tx.rollback().await.map_err(db_error)?;
            return Ok(Err(wait));
        }
        let update = tx
            .prepare_cached("UPDATE code_limits SET sent_at = $2, last_at = $3 WHERE key = $1")
            .await
            .map_err(db_error)?;
        let mut updates = vec![(phone, phone_times)];
        updates.extend(address.zip(address_times));
        updates.sort_unstable_by_key(|update| update.0);
        for (key, times) in updates {
            let sent_at = rate_limit::encode_times(&rate_limit::with_new_code(&times, now));
            tx.execute(&update, &[&key.as_slice(), &sent_at, &now]).await.map_err(db_error)?;
        }
        tx.commit().await.map_err(db_error)?;
        Ok(Ok(()))
    }

    pub async fn ping(&self) -> Result<(), Error> {
        let client = self.client().await?;
        client.simple_query("SELECT 1").await.map_err(db_error)?;
        Ok(())
    }

    pub fn pool_use(&self) -> PoolUse {
        let status = self.pool.status();
        PoolUse { in_use: status.size.saturating_sub(status.available), idle: status.available, max: status.max_size }
    }

    /// Whether this collector should sweep old verifications and code times
    /// now; at most once a minute each.
    fn due_for_sweep(&self, now: i64) -> bool {
        let last = self.swept_at.load(Ordering::Relaxed);
        now - last >= pending::SWEEP_EVERY_S
            && self.swept_at.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok()
    }
}

/// Applies the migrations not yet applied, one collector at a time, and
/// records or checks the secret's fingerprint.
async fn migrate(config: &tokio_postgres::Config, tls: MakeRustlsConnect, fingerprint: [u8; 32]) -> Result<(), OpenError> {
    let fail = |e: tokio_postgres::Error| OpenError(format!("PostgreSQL database: {}", with_causes(&e)));
    let (mut client, connection) = config.connect(tls).await.map_err(fail)?;
    let connection = tokio::spawn(connection);
    let tx = client.transaction().await.map_err(fail)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await.map_err(fail)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )
    .await
    .map_err(fail)?;
    let applied: i32 =
        tx.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[]).await.map_err(fail)?.get(0);
    let known = i32::try_from(MIGRATIONS.len()).unwrap_or(i32::MAX);
    if applied > known {
        return Err(OpenError(format!(
            "the database is at schema version {applied}, newer than this collector's {known}"
        )));
    }
    for (version, sql) in (1_i32..).zip(MIGRATIONS).skip(usize::try_from(applied).unwrap_or(0)) {
        tx.batch_execute(sql).await.map_err(fail)?;
        tx.execute("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", &[&version, &crate::clock::now()])
            .await
            .map_err(fail)?;
    }
    tx.execute(
        "INSERT INTO settings (name, value) VALUES ('secret_fingerprint', $1) ON CONFLICT (name) DO NOTHING",
        &[&fingerprint.as_slice()],
    )
    .await
    .map_err(fail)?;
    let stored: Vec<u8> = tx
        .query_one("SELECT value FROM settings WHERE name = 'secret_fingerprint'", &[])
        .await
        .map_err(fail)?
        .get(0);
    tx.commit().await.map_err(fail)?;
    drop(client);
    let _ = connection.await;
    if stored != fingerprint {
        return Err(OpenError(format!("PostgreSQL database: {OTHER_SECRET}")));
    }
    Ok(())
}

const SELECT_STORED: &str =
    "SELECT vote_id, body_hash, receipt, real_name, counted_at FROM votes WHERE vote_id = ANY($1)";

/// A stored vote's row, as [`SELECT_STORED`] reads it.
struct Stored {
    body_hash: Vec<u8>,
    receipt: String,
    real_name: bool,
    counted_at: i64,
}

impl Stored {
    fn of(row: &tokio_postgres::Row) -> Self {
        Self { body_hash: row.get(1), receipt: row.get(2), real_name: row.get(3), counted_at: row.get(4) }
    }

    /// What a vote with this id and body comes to, given this stored row.
    fn outcome(&self, vote_id: &str, body_hash: &[u8; 32]) -> Outcome {
        if self.body_hash != body_hash {
            return Outcome::KeyReused;
        }
        Outcome::Replayed(Receipt {
            vote_id: vote_id.to_owned(),
            receipt: self.receipt.clone(),
            real_name: self.real_name,
            counted_at: format_rfc3339(self.counted_at),
        })
    }
}

/// Writes `votes` in one transaction; see [`super::Store::write_group`].
async fn write_group(
    client: &mut Object,
    receipts: &Receipts<'_>,
    votes: &[NewVote],
) -> Result<Vec<Outcome>, Error> {
    let tx = client.transaction().await.map_err(db_error)?;
    // The votes and their choices; only the choices of inserted votes are
    // kept, and the ids inserted come back.
    let insert = tx
        .prepare_cached(
            "WITH inserted AS (
                 INSERT INTO votes (vote_id, batch_id, body_hash, receipt, real_name, province, city, county, other,
                                    locale, embed_origin, widget_version, counted_at, real_name_key)
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::bytea[], $4::text[], $5::bool[], $6::text[],
                                      $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                                      $13::int8[], $14::bytea[])
                 ON CONFLICT DO NOTHING
                 RETURNING vote_id
             ), choices AS (
                 INSERT INTO vote_choices (vote_id, option_id, position)
                 SELECT c.vote_id, c.option_id, c.position
                 FROM UNNEST($15::text[], $16::text[], $17::int4[]) AS c (vote_id, option_id, position)
                 JOIN inserted USING (vote_id)
             )
             SELECT vote_id FROM inserted",
        )
        .await
        .map_err(db_error)?;
    let mut outcomes: Vec<Option<Outcome>> = vec![None; votes.len()];
    let mut deltas = Deltas::default();
    // In vote id order, so that two collectors inserting the same ids (a
    // retry racing its original) wait on each other in one order.
    let mut pending: Vec<usize> = (0..votes.len()).collect();
    pending.sort_unstable_by(|&a, &b| votes[a].vote.vote_id.cmp(&votes[b].vote.vote_id));
    for _ in 0..RECEIPT_ATTEMPTS {
        if pending.is_empty() {
            break;
        }
        let codes = receipts.codes(&tx, pending.len()).await?;
        let rows = {
            let columns = Columns::of(votes, &pending, &codes);
            tx.query(&insert, &columns.params()).await.map_err(db_error)?
        };
        let inserted: HashSet<String> = rows.iter().map(|row| row.get(0)).collect();
        let mut left = Vec::new();
        for (&i, code) in pending.iter().zip(codes) {
            let new = &votes[i];
            if inserted.contains(&new.vote.vote_id) {
                deltas.add(new);
                outcomes[i] = Some(Outcome::Counted(Receipt {
                    vote_id: new.vote.vote_id.clone(),
                    receipt: code,
                    real_name: new.real_name_key.is_some(),
                    counted_at: format_rfc3339(new.counted_at),
                }));
            } else {
                left.push(i);
            }
        }
        pending = not_inserted(&tx, votes, left, &mut outcomes).await?;
    }
    if !pending.is_empty() {
        return Err(Error::internal("no free receipt code after many attempts"));
    }
    if !deltas.is_empty() {
        add_deltas(&tx, &deltas).await?;
    }
    tx.commit().await.map_err(db_error)?;
    outcomes.into_iter().map(|o| o.ok_or_else(|| Error::internal("a vote of the group was not judged"))).collect()
}

/// Judges the votes that were not inserted: a stored id is a replay or a
/// reused key, a person with a stored real-name vote has voted; what is
/// left lost its receipt code to a stored vote and is returned, to be
/// inserted again with another code.
async fn not_inserted(
    tx: &deadpool_postgres::Transaction<'_>,
    votes: &[NewVote],
    left: Vec<usize>,
    outcomes: &mut [Option<Outcome>],
) -> Result<Vec<usize>, Error> {
    if left.is_empty() {
        return Ok(left);
    }
    let ids: Vec<&str> = left.iter().map(|&i| votes[i].vote.vote_id.as_str()).collect();
    let select = tx.prepare_cached(SELECT_STORED).await.map_err(db_error)?;
    let stored: HashMap<String, Stored> =
        tx.query(&select, &[&ids]).await.map_err(db_error)?.iter().map(|row| (row.get(0), Stored::of(row))).collect();
    let persons: Vec<(&str, &[u8])> = left
        .iter()
        .filter(|&&i| !stored.contains_key(&votes[i].vote.vote_id))
        .filter_map(|&i| Some((votes[i].vote.batch_id.as_str(), person_bytes(&votes[i].real_name_key)?)))
        .collect();
    let voted: HashSet<(String, Vec<u8>)> = if persons.is_empty() {
        HashSet::new()
    } else {
        let select = tx
            .prepare_cached(
                "SELECT v.batch_id, v.real_name_key FROM votes v
                 JOIN UNNEST($1::text[], $2::bytea[]) AS p (batch_id, real_name_key) USING (batch_id, real_name_key)",
            )
            .await
            .map_err(db_error)?;
        let (batches, keys): (Vec<&str>, Vec<&[u8]>) = persons.into_iter().unzip();
        tx.query(&select, &[&batches, &keys]).await.map_err(db_error)?.iter().map(|r| (r.get(0), r.get(1))).collect()
    };
    let mut again = Vec::new();
    for i in left {
        let new = &votes[i];
        if let Some(row) = stored.get(&new.vote.vote_id) {
            outcomes[i] = Some(row.outcome(&new.vote.vote_id, &new.body_hash));
        } else if new.real_name_key.is_some_and(|key| voted.contains(&(new.vote.batch_id.clone(), key.0.to_vec()))) {
            outcomes[i] = Some(Outcome::AlreadyVoted);
        } else {
            again.push(i);
        }
    }
    Ok(again)
}

/// The tallies of `batch_id` in `region`: one statement, so the totals and
/// the options of one snapshot.
async fn tallies_in(client: &impl GenericClient, batch_id: &str, region: &Region) -> Result<Tallies, Error> {
    let select = client
        .prepare_cached(
            "SELECT NULL::text, COALESCE(SUM(total), 0)::int8, COALESCE(SUM(real_name_total), 0)::int8
             FROM tally_totals WHERE batch_id = $1 AND level = $2 AND region = $3
             UNION ALL
             SELECT option_id, SUM(votes)::int8, 0::int8
             FROM tallies WHERE batch_id = $1 AND level = $2 AND region = $3 GROUP BY option_id",
        )
        .await
        .map_err(db_error)?;
    let rows = client.query(&select, &[&batch_id, &region.level.code(), &region.code]).await.map_err(db_error)?;
    let mut tallies = Tallies::default();
    for row in rows {
        let (option, votes, real_name): (Option<String>, i64, i64) = (row.get(0), row.get(1), row.get(2));
        match option {
            None => (tallies.total, tallies.real_name_total) = (votes.unsigned_abs(), real_name.unsigned_abs()),
            Some(option) => {
                tallies.by_option.insert(option, votes.unsigned_abs());
            }
        }
    }
    Ok(tallies)
}

/// Adds a group's deltas to one shard, in key order: the options first,
/// then the totals, in every transaction, so no two can deadlock.
async fn add_deltas(tx: &deadpool_postgres::Transaction<'_>, deltas: &Deltas) -> Result<(), Error> {
    let shard = i16::try_from(getrandom::u32().map_err(Error::internal)? % SHARDS).unwrap_or(0);
    let options = tx
        .prepare_cached(
            "INSERT INTO tallies (batch_id, level, region, option_id, shard, votes)
             SELECT d.batch_id, d.level, d.region, d.option_id, $5, d.votes
             FROM UNNEST($1::text[], $2::int2[], $3::text[], $4::text[], $6::int8[])
                  AS d (batch_id, level, region, option_id, votes)
             ORDER BY d.batch_id, d.level, d.region, d.option_id
             ON CONFLICT (batch_id, level, region, option_id, shard) DO UPDATE SET votes = tallies.votes + EXCLUDED.votes",
        )
        .await
        .map_err(db_error)?;
    let keys = deltas.options.keys();
    let batches: Vec<&str> = keys.clone().map(|k| k.batch_id.as_str()).collect();
    let levels: Vec<i16> = keys.clone().map(|k| k.region.level.code()).collect();
    let regions: Vec<&str> = keys.clone().map(|k| k.region.code.as_str()).collect();
    let option_ids: Vec<&str> = keys.map(|k| k.option_id.as_str()).collect();
    let counts: Vec<i64> = deltas.options.values().copied().collect();
    tx.execute(&options, &[&batches, &levels, &regions, &option_ids, &shard, &counts]).await.map_err(db_error)?;

    let totals = tx
        .prepare_cached(
            "INSERT INTO tally_totals (batch_id, level, region, shard, total, real_name_total)
             SELECT d.batch_id, d.level, d.region, $4, d.total, d.real_name_total
             FROM UNNEST($1::text[], $2::int2[], $3::text[], $5::int8[], $6::int8[])
                  AS d (batch_id, level, region, total, real_name_total)
             ORDER BY d.batch_id, d.level, d.region
             ON CONFLICT (batch_id, level, region, shard) DO UPDATE SET
                 total = tally_totals.total + EXCLUDED.total,
                 real_name_total = tally_totals.real_name_total + EXCLUDED.real_name_total",
        )
        .await
        .map_err(db_error)?;
    let keys = deltas.totals.keys();
    let batches: Vec<&str> = keys.clone().map(|k| k.batch_id.as_str()).collect();
    let levels: Vec<i16> = keys.clone().map(|k| k.region.level.code()).collect();
    let regions: Vec<&str> = keys.map(|k| k.region.code.as_str()).collect();
    let totals_: Vec<i64> = deltas.totals.values().map(|t| t.0).collect();
    let real_names: Vec<i64> = deltas.totals.values().map(|t| t.1).collect();
    tx.execute(&totals, &[&batches, &levels, &regions, &shard, &totals_, &real_names]).await.map_err(db_error)?;
    Ok(())
}

/// Receipt codes from this collector's vote numbers.
struct Receipts<'a> {
    numbering: &'a Numbering,
    numbers: &'a Mutex<Range<i64>>,
}

impl Receipts<'_> {
    /// The codes of `n` numbers never handed out before, here or by any
    /// other collector: from this collector's block, and from a new block
    /// of the sequence when it runs out. The writer writes one group at a
    /// time; were two ever to take a block at once, the later block would
    /// replace the earlier one's rest, a gap, never a number given twice:
    /// numbers are taken only under the lock.
    async fn codes(&self, tx: &deadpool_postgres::Transaction<'_>, n: usize) -> Result<Vec<String>, Error> {
        let mut numbers = Vec::with_capacity(n);
        loop {
            {
                let mut block = self.numbers.lock().unwrap_or_else(PoisonError::into_inner);
                numbers.extend(block.by_ref().take(n - numbers.len()));
            }
            if numbers.len() == n {
                break;
            }
            let select = tx.prepare_cached("SELECT nextval('vote_numbers')").await.map_err(db_error)?;
            let start: i64 = tx.query_one(&select, &[]).await.map_err(db_error)?.get(0);
            *self.numbers.lock().unwrap_or_else(PoisonError::into_inner) = start..start + NUMBER_BLOCK;
        }
        numbers.into_iter().map(|number| self.numbering.code(number)).collect()
    }
}

/// The insert's parameters: one array per column.
struct Columns<'a> {
    vote_ids: Vec<&'a str>,
    batch_ids: Vec<&'a str>,
    body_hashes: Vec<&'a [u8]>,
    receipts: Vec<&'a str>,
    real_names: Vec<bool>,
    provinces: Vec<Option<&'a str>>,
    cities: Vec<Option<&'a str>>,
    counties: Vec<Option<&'a str>>,
    others: Vec<Option<&'a str>>,
    locales: Vec<&'a str>,
    embed_origins: Vec<Option<&'a str>>,
    widget_versions: Vec<&'a str>,
    counted_ats: Vec<i64>,
    person_keys: Vec<Option<&'a [u8]>>,
    choice_votes: Vec<&'a str>,
    choice_options: Vec<&'a str>,
    choice_positions: Vec<i32>,
}

impl<'a> Columns<'a> {
    fn of(votes: &'a [NewVote], which: &[usize], codes: &'a [String]) -> Self {
        let picked = || which.iter().map(|&i| &votes[i]);
        let mut choice_votes = Vec::new();
        let mut choice_options = Vec::new();
        let mut choice_positions = Vec::new();
        for new in picked() {
            for (position, option) in (0_i32..).zip(&new.vote.choices) {
                choice_votes.push(new.vote.vote_id.as_str());
                choice_options.push(option.as_str());
                choice_positions.push(position);
            }
        }
        Self {
            vote_ids: picked().map(|n| n.vote.vote_id.as_str()).collect(),
            batch_ids: picked().map(|n| n.vote.batch_id.as_str()).collect(),
            body_hashes: picked().map(|n| n.body_hash.as_slice()).collect(),
            receipts: codes.iter().map(String::as_str).collect(),
            real_names: picked().map(|n| n.real_name_key.is_some()).collect(),
            provinces: picked().map(|n| given(&n.vote.location.province)).collect(),
            cities: picked().map(|n| given(&n.vote.location.city)).collect(),
            counties: picked().map(|n| given(&n.vote.location.county)).collect(),
            others: picked().map(|n| given(&n.vote.other)).collect(),
            locales: picked().map(|n| n.vote.client.locale.as_str()).collect(),
            embed_origins: picked().map(|n| n.vote.client.embed_origin.as_deref()).collect(),
            widget_versions: picked().map(|n| n.vote.client.widget_version.as_str()).collect(),
            counted_ats: picked().map(|n| n.counted_at).collect(),
            person_keys: picked().map(|n| person_bytes(&n.real_name_key)).collect(),
            choice_votes,
            choice_options,
            choice_positions,
        }
    }

    fn params(&self) -> [&(dyn ToSql + Sync); 17] {
        [
            &self.vote_ids,
            &self.batch_ids,
            &self.body_hashes,
            &self.receipts,
            &self.real_names,
            &self.provinces,
            &self.cities,
            &self.counties,
            &self.others,
            &self.locales,
            &self.embed_origins,
            &self.widget_versions,
            &self.counted_ats,
            &self.person_keys,
            &self.choice_votes,
            &self.choice_options,
            &self.choice_positions,
        ]
    }
}

/// PostgreSQL's errors as the API's. The server or the network being gone,
/// a server shutting down or starting up, a standby that cannot write yet,
/// a serialisation failure or a deadlock: each passes, so the client is
/// told 503 with Retry-After and sends the same vote again. Anything else
/// is a failure of this server.
fn db_error(err: tokio_postgres::Error) -> Error {
    let transient = match err.code() {
        // No SQLSTATE: the connection broke, timed out or was refused, or
        // (a bug, not transient) a value did not convert.
        None => err.is_closed() || std::error::Error::source(&err).is_some_and(|s| s.is::<std::io::Error>()),
        Some(code) => {
            code.code().starts_with("08")
                || [
                    SqlState::ADMIN_SHUTDOWN,
                    SqlState::CRASH_SHUTDOWN,
                    SqlState::CANNOT_CONNECT_NOW,
                    SqlState::T_R_SERIALIZATION_FAILURE,
                    SqlState::T_R_DEADLOCK_DETECTED,
                    SqlState::TOO_MANY_CONNECTIONS,
                    SqlState::READ_ONLY_SQL_TRANSACTION,
                    SqlState::LOCK_NOT_AVAILABLE,
                ]
                .contains(code)
        }
    };
    if transient {
        tracing::warn!(error = %with_causes(&err), "the database is unavailable");
        Error::Unavailable { retry_after_s: DATABASE_RETRY_S }
    } else {
        Error::internal(err)
    }
}

/// The error and what caused it: tokio-postgres says only "error
/// performing TLS handshake", its cause says which certificate was refused.
fn with_causes(err: &tokio_postgres::Error) -> String {
    let mut text = err.to_string();
    let mut cause = std::error::Error::source(err);
    while let Some(error) = cause {
        text.push_str(&format!(": {error}"));
        cause = error.source();
    }
    text
}

fn pool_error(err: PoolError) -> Error {
    match err {
        PoolError::Backend(err) => db_error(err),
        other => {
            tracing::warn!(error = %other, "no database connection");
            Error::Unavailable { retry_after_s: DATABASE_RETRY_S }
        }
    }
}
