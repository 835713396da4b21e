-- Tallies kept up to date in the same transaction as the votes, so that a
-- results read sums a few rows instead of counting every vote. A region is
-- the nation (level 0, code ''), a province (level 1) or a city (level 2),
-- by GB/T 2260 code. `shard` spreads one key over several rows so writers
-- in several processes do not queue on one row; SQLite has one writer, and
-- uses shard 0 only. A read sums the shards.
CREATE TABLE tallies (
    batch_id  TEXT    NOT NULL,
    level     INTEGER NOT NULL CHECK (level IN (0, 1, 2)),
    region    TEXT    NOT NULL,
    option_id TEXT    NOT NULL,
    shard     INTEGER NOT NULL,
    votes     INTEGER NOT NULL,
    PRIMARY KEY (batch_id, level, region, option_id, shard)
) STRICT, WITHOUT ROWID;

CREATE TABLE tally_totals (
    batch_id        TEXT    NOT NULL,
    level           INTEGER NOT NULL CHECK (level IN (0, 1, 2)),
    region          TEXT    NOT NULL,
    shard           INTEGER NOT NULL,
    total           INTEGER NOT NULL,
    real_name_total INTEGER NOT NULL,
    PRIMARY KEY (batch_id, level, region, shard)
) STRICT, WITHOUT ROWID;

-- The votes stored before this migration, counted once.
INSERT INTO tally_totals (batch_id, level, region, shard, total, real_name_total)
    SELECT batch_id, 0, '', 0, COUNT(*), SUM(real_name) FROM votes GROUP BY batch_id;
INSERT INTO tally_totals (batch_id, level, region, shard, total, real_name_total)
    SELECT batch_id, 1, province, 0, COUNT(*), SUM(real_name) FROM votes
    WHERE province IS NOT NULL GROUP BY batch_id, province;
INSERT INTO tally_totals (batch_id, level, region, shard, total, real_name_total)
    SELECT batch_id, 2, city, 0, COUNT(*), SUM(real_name) FROM votes
    WHERE city IS NOT NULL GROUP BY batch_id, city;
INSERT INTO tallies (batch_id, level, region, option_id, shard, votes)
    SELECT v.batch_id, 0, '', c.option_id, 0, COUNT(*) FROM vote_choices c JOIN votes v USING (vote_id)
    GROUP BY v.batch_id, c.option_id;
INSERT INTO tallies (batch_id, level, region, option_id, shard, votes)
    SELECT v.batch_id, 1, v.province, c.option_id, 0, COUNT(*) FROM vote_choices c JOIN votes v USING (vote_id)
    WHERE v.province IS NOT NULL GROUP BY v.batch_id, v.province, c.option_id;
INSERT INTO tallies (batch_id, level, region, option_id, shard, votes)
    SELECT v.batch_id, 2, v.city, c.option_id, 0, COUNT(*) FROM vote_choices c JOIN votes v USING (vote_id)
    WHERE v.city IS NOT NULL GROUP BY v.batch_id, v.city, c.option_id;

-- Verifications waiting for their code: one per person and batch (the
-- person key holds the batch), the code only as an HMAC, the name only
-- masked (张*). Deleted when confirmed or replaced, swept 15 minutes after
-- they expire.
CREATE TABLE verifications (
    verification_id TEXT    NOT NULL PRIMARY KEY,
    person_key      BLOB    NOT NULL UNIQUE CHECK (length(person_key) = 32),
    batch_id        TEXT    NOT NULL,
    code_hash       BLOB    NOT NULL CHECK (length(code_hash) = 32),
    expires_at      INTEGER NOT NULL,  -- Unix seconds
    wrong_tries     INTEGER NOT NULL DEFAULT 0,
    display_name    TEXT    NOT NULL
) STRICT;

CREATE INDEX verifications_by_expiry ON verifications (expires_at);

-- When codes were sent in the last hour, per HMAC of a phone number or of
-- a client address: 8 bytes per time, little-endian Unix seconds.
CREATE TABLE code_limits (
    key     BLOB    NOT NULL PRIMARY KEY CHECK (length(key) = 32),
    sent_at BLOB    NOT NULL,
    last_at INTEGER NOT NULL  -- the latest time, for sweeping
) STRICT, WITHOUT ROWID;

CREATE INDEX code_limits_by_last ON code_limits (last_at);

-- Facts about the database itself, e.g. the fingerprint of the server secret.
CREATE TABLE settings (
    name  TEXT NOT NULL PRIMARY KEY,
    value BLOB NOT NULL
) STRICT, WITHOUT ROWID;
