-- Nothing looks votes up by batch any more (results read the tallies, a
-- real-name check uses votes_one_real_name_per_person), and every vote paid
-- for this index's upkeep.
DROP INDEX votes_by_batch;
