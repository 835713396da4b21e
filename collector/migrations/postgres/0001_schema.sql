-- The collector's tables on PostgreSQL (13 or later): the same tables as
-- the SQLite migrations build, in one step. Ids are made by the collector,
-- times are Unix seconds, hashes and keys are bytes.

-- Votes as counted. A row is written only once its vote passed every check,
-- and only after it is committed does the citizen get the receipt.
-- No name, ID number, phone or verification token is ever stored here.
CREATE TABLE votes (
    vote_id        TEXT     NOT NULL PRIMARY KEY,  -- the client's UUID v4 and Idempotency-Key
    batch_id       TEXT     NOT NULL,
    body_hash      BYTEA    NOT NULL,              -- SHA-256 of the canonical vote, to tell a retry from a reused key
    receipt        TEXT     NOT NULL UNIQUE,       -- the short code the citizen can quote
    real_name      BOOLEAN  NOT NULL DEFAULT FALSE,
    province       TEXT,                           -- GB/T 2260 codes, NULL for levels not given
    city           TEXT,
    county         TEXT,
    other          TEXT,                           -- the free-text "other bottleneck"
    locale         TEXT     NOT NULL,
    embed_origin   TEXT,
    widget_version TEXT     NOT NULL,
    counted_at     BIGINT   NOT NULL,              -- Unix seconds
    -- A real-name vote's person key: HMAC-SHA-256, under the server secret,
    -- of the batch id and the voter's resident ID number. NULL on anonymous votes.
    real_name_key  BYTEA    CHECK (real_name_key IS NULL OR length(real_name_key) = 32)
);

-- One real-name vote per person and batch, whatever its vote_id.
CREATE UNIQUE INDEX votes_one_real_name_per_person
    ON votes (batch_id, real_name_key) WHERE real_name_key IS NOT NULL;

-- The options ticked in each vote, in the order the citizen ticked them.
-- No index: one keyed by the (random) vote id would cost every vote a page
-- write somewhere in the index, and nothing reads choices by vote id but an
-- occasional look at one vote. An option appears once per vote (the vote
-- checker refuses repeats); votes are never deleted.
CREATE TABLE vote_choices (
    vote_id   TEXT     NOT NULL REFERENCES votes (vote_id),
    option_id TEXT     NOT NULL,
    position  INTEGER  NOT NULL
);

-- Tallies kept up to date in the same transaction as the votes. A region
-- is the nation (level 0, code ''), a province (1) or a city (2), by
-- GB/T 2260 code. Each group of votes adds to one shard, picked at random,
-- so that collectors writing at once seldom wait for one another's rows;
-- a read sums the shards. Region codes compare byte by byte (COLLATE "C"),
-- so the cities of a province are one range of the primary key. The rows
-- are updated all the time: half of each page is left free, so an update
-- writes the new row version beside the old one without touching the index.
CREATE TABLE tallies (
    batch_id  TEXT     NOT NULL,
    level     SMALLINT NOT NULL CHECK (level IN (0, 1, 2)),
    region    TEXT     COLLATE "C" NOT NULL,
    option_id TEXT     NOT NULL,
    shard     SMALLINT NOT NULL,
    votes     BIGINT   NOT NULL,
    PRIMARY KEY (batch_id, level, region, option_id, shard)
) WITH (fillfactor = 50);

CREATE TABLE tally_totals (
    batch_id        TEXT     NOT NULL,
    level           SMALLINT NOT NULL CHECK (level IN (0, 1, 2)),
    region          TEXT     COLLATE "C" NOT NULL,
    shard           SMALLINT NOT NULL,
    total           BIGINT   NOT NULL,
    real_name_total BIGINT   NOT NULL,
    PRIMARY KEY (batch_id, level, region, shard)
) WITH (fillfactor = 50);

-- Verifications waiting for their code: one per person and batch (the
-- person key holds the batch), the code only as an HMAC, the name only
-- masked (张*). Deleted when confirmed or replaced, swept 15 minutes after
-- they expire. An ordinary (logged) table: it must survive a crash and
-- reach the standby.
CREATE TABLE verifications (
    verification_id TEXT     NOT NULL PRIMARY KEY,
    person_key      BYTEA    NOT NULL UNIQUE CHECK (length(person_key) = 32),
    batch_id        TEXT     NOT NULL,
    code_hash       BYTEA    NOT NULL CHECK (length(code_hash) = 32),
    expires_at      BIGINT   NOT NULL,
    wrong_tries     INTEGER  NOT NULL DEFAULT 0,
    display_name    TEXT     NOT NULL
);

CREATE INDEX verifications_by_expiry ON verifications (expires_at);

-- When codes were sent in the last hour, per HMAC of a phone number or of
-- a client address: 8 bytes per time, little-endian Unix seconds.
CREATE TABLE code_limits (
    key     BYTEA   NOT NULL PRIMARY KEY CHECK (length(key) = 32),
    sent_at BYTEA   NOT NULL,
    last_at BIGINT  NOT NULL
);

CREATE INDEX code_limits_by_last ON code_limits (last_at);

-- Facts about the database itself, e.g. the fingerprint of the server secret.
CREATE TABLE settings (
    name  TEXT  NOT NULL PRIMARY KEY,
    value BYTEA NOT NULL
);
