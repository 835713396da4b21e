-- The choices of each vote, in the order they were stored, with no index:
-- keyed by (vote_id, option_id) every vote wrote one more page somewhere in
-- the file (vote ids are random), and every page a commit touches goes to
-- the write-ahead log and its sync. Stored in order, a whole group of votes
-- fills the same last pages. An option appears once per vote (the vote
-- checker refuses repeats); nothing reads choices by vote id but an
-- occasional look at one vote, which may scan. Votes are never deleted, so
-- no cascade is needed.
CREATE TABLE vote_choices_by_arrival (
    vote_id   TEXT    NOT NULL REFERENCES votes (vote_id),
    option_id TEXT    NOT NULL,
    position  INTEGER NOT NULL
) STRICT;

INSERT INTO vote_choices_by_arrival (vote_id, option_id, position)
    SELECT vote_id, option_id, position FROM vote_choices ORDER BY vote_id, position;
DROP TABLE vote_choices;
ALTER TABLE vote_choices_by_arrival RENAME TO vote_choices;
