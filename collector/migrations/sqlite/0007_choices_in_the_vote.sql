-- Each vote's choices, in the order they were ticked, as a JSON array in the
-- vote's own row (`["repeat-tests","clinic-card"]`). One row per choice cost
-- every vote another insert per choice, each checking its vote's key, for
-- data nothing reads but an occasional look at one vote: a sixth of the
-- writer's time. `vote_choices` stays, as a view with the table's columns,
-- so that queries written for the table still work.
ALTER TABLE votes ADD COLUMN choices TEXT NOT NULL DEFAULT '[]';

UPDATE votes SET choices = grouped.choices
FROM (SELECT vote_id, json_group_array(option_id ORDER BY position) AS choices
      FROM vote_choices GROUP BY vote_id) AS grouped
WHERE grouped.vote_id = votes.vote_id;

DROP TABLE vote_choices;

CREATE VIEW vote_choices (vote_id, option_id, position) AS
    SELECT votes.vote_id, choice.value, choice.key FROM votes, json_each(votes.choices) AS choice;
