-- Receipts from vote numbers (see src/receipt.rs): each vote gets a number
-- one past the last one stored, and its receipt is that number enciphered
-- under the server secret. Distinct numbers make distinct codes, so the
-- unique index on receipts goes: with random codes each vote wrote a page
-- of it somewhere in the file, a fifth of a group's write. The number is an
-- INTEGER PRIMARY KEY, the row's own id, which VACUUM keeps (it may renumber
-- a plain rowid, and a number used twice would give two votes one code).
-- A database that holds random codes from before keeps them apart from the
-- new ones with an index of its own, made by the collector after this step
-- (`keep_random_receipts_apart` in src/store/sqlite.rs).
DROP VIEW vote_choices;

CREATE TABLE votes_numbered (
    number         INTEGER PRIMARY KEY,           -- enciphered, the receipt
    vote_id        TEXT    NOT NULL UNIQUE,       -- the client's UUID v4 and Idempotency-Key
    batch_id       TEXT    NOT NULL,
    body_hash      BLOB    NOT NULL,              -- SHA-256 of the canonical vote, to tell a retry from a reused key
    receipt        TEXT    NOT NULL,              -- the short code the citizen can quote
    real_name      INTEGER NOT NULL DEFAULT 0 CHECK (real_name IN (0, 1)),
    province       TEXT,                          -- GB/T 2260 codes, NULL for levels not given
    city           TEXT,
    county         TEXT,
    other          TEXT,                          -- the free-text "other bottleneck"
    locale         TEXT    NOT NULL,
    embed_origin   TEXT,
    widget_version TEXT    NOT NULL,
    counted_at     INTEGER NOT NULL,              -- Unix seconds
    real_name_key  BLOB    CHECK (real_name_key IS NULL OR length(real_name_key) = 32),
    choices        TEXT    NOT NULL DEFAULT '[]'  -- the options as ticked, a JSON array
) STRICT;

INSERT INTO votes_numbered (number, vote_id, batch_id, body_hash, receipt, real_name, province, city, county,
                            other, locale, embed_origin, widget_version, counted_at, real_name_key, choices)
    SELECT rowid, vote_id, batch_id, body_hash, receipt, real_name, province, city, county,
           other, locale, embed_origin, widget_version, counted_at, real_name_key, choices
    FROM votes ORDER BY rowid;

DROP TABLE votes;
ALTER TABLE votes_numbered RENAME TO votes;

CREATE UNIQUE INDEX votes_one_real_name_per_person
    ON votes (batch_id, real_name_key) WHERE real_name_key IS NOT NULL;

CREATE VIEW vote_choices (vote_id, option_id, position) AS
    SELECT votes.vote_id, choice.value, choice.key FROM votes, json_each(votes.choices) AS choice;
