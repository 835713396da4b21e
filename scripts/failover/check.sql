-- Counts, on the promoted standby, what scripts/failover/report.py judges.
-- The acknowledged votes (vote_id, receipt, status, time) come on stdin:
--   psql -X -q -At -F ' ' -f check.sql <acked.tsv
-- Prints one line of numbers, in report.py's order.
CREATE TEMP TABLE acked (vote_id text, receipt text, status int, answered_at float8);
\copy acked FROM pstdin
SELECT
    (SELECT count(*) FROM acked),
    (SELECT count(DISTINCT vote_id) FROM acked),
    -- lost: acknowledged, not stored
    (SELECT count(*) FROM acked a WHERE NOT EXISTS (SELECT FROM votes v WHERE v.vote_id = a.vote_id)),
    -- stored twice (the primary key forbids it; counted all the same)
    (SELECT count(*) FROM (SELECT vote_id FROM votes GROUP BY vote_id HAVING count(*) > 1) twice),
    -- stored under another receipt than the citizen was given
    (SELECT count(*) FROM acked a JOIN votes v USING (vote_id) WHERE v.receipt <> a.receipt),
    (SELECT count(*) FROM votes),
    (SELECT count(*) FROM votes v WHERE NOT EXISTS (SELECT FROM acked a WHERE a.vote_id = v.vote_id)),
    -- every vote of the drill ticks two options
    (SELECT count(*) FROM votes v
     LEFT JOIN (SELECT vote_id, count(*) AS n FROM vote_choices GROUP BY vote_id) c USING (vote_id)
     WHERE c.n IS DISTINCT FROM 2),
    -- the tallies, summed over their shards, against the stored votes
    (SELECT count(*) FROM (SELECT count(*) AS n FROM votes) v,
                          (SELECT coalesce(sum(total), 0) AS n FROM tally_totals WHERE level = 0) t
     WHERE v.n <> t.n),
    (SELECT count(*) FROM (SELECT option_id, count(*) AS n FROM vote_choices GROUP BY option_id) c
     FULL JOIN (SELECT option_id, sum(votes) AS n FROM tallies WHERE level = 0 GROUP BY option_id) t
     USING (option_id) WHERE c.n IS DISTINCT FROM t.n),
    (SELECT count(*) FROM (SELECT province AS region, count(*) AS n FROM votes GROUP BY province) v
     FULL JOIN (SELECT region, sum(total) AS n FROM tally_totals WHERE level = 1 GROUP BY region) t
     USING (region) WHERE v.n IS DISTINCT FROM t.n);
