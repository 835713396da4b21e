-- A real-name vote keeps its person key: HMAC-SHA-256, under the server
-- secret, of the batch id and the voter's resident ID number. It lets a
-- person cast one real-name vote per batch without the ID number (or name,
-- or phone) being stored anywhere. NULL on anonymous votes.
ALTER TABLE votes ADD COLUMN real_name_key BLOB
    CHECK (real_name_key IS NULL OR length(real_name_key) = 32);

-- One real-name vote per person and batch, whatever its vote_id.
CREATE UNIQUE INDEX votes_one_real_name_per_person
    ON votes (batch_id, real_name_key) WHERE real_name_key IS NOT NULL;
