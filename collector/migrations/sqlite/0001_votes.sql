-- Votes as counted. A row is written only once its vote passed every check,
-- and only after it is committed does the citizen get the receipt.
-- No name, ID number, phone or verification token is ever stored here.
CREATE TABLE votes (
    vote_id        TEXT    NOT NULL PRIMARY KEY,  -- the client's UUID v4 and Idempotency-Key
    batch_id       TEXT    NOT NULL,
    body_hash      BLOB    NOT NULL,              -- SHA-256 of the canonical vote, to tell a retry from a reused key
    receipt        TEXT    NOT NULL UNIQUE,       -- the short code the citizen can quote
    real_name      INTEGER NOT NULL DEFAULT 0 CHECK (real_name IN (0, 1)),
    province       TEXT,                          -- GB/T 2260 codes, NULL for levels not given
    city           TEXT,
    county         TEXT,
    other          TEXT,                          -- the free-text "other bottleneck"
    locale         TEXT    NOT NULL,
    embed_origin   TEXT,
    widget_version TEXT    NOT NULL,
    counted_at     INTEGER NOT NULL               -- Unix seconds
) STRICT;

CREATE INDEX votes_by_batch ON votes (batch_id);

-- The options ticked in each vote, in the order the citizen ticked them.
CREATE TABLE vote_choices (
    vote_id   TEXT    NOT NULL REFERENCES votes (vote_id) ON DELETE CASCADE,
    option_id TEXT    NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (vote_id, option_id)
) STRICT, WITHOUT ROWID;
