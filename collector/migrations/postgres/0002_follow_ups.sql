-- What became of each batch and its bottlenecks, as the organiser publishes
-- it (`collector publish-follow-up`): one row per batch, the batch's whole
-- follow-up as one JSON document (its summary, each option's follow-up, and
-- their translations), checked against the batches file before it is
-- written. Publishing a batch again replaces its row. Every collector on
-- the database serves what is here.
CREATE TABLE follow_ups (
    batch_id     TEXT    NOT NULL PRIMARY KEY,
    document     TEXT    NOT NULL,
    published_at BIGINT  NOT NULL  -- Unix seconds
);
