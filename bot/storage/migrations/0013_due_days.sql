-- A due date given as a day (`due:friday`) is a day, not a time (spec §12): `due_zone` is the zone
-- it was given in, and `due_at` the last second of that day there (so "due soon" and overdue count
-- to the end of that day where it was set). NULL: a due time (`due:"friday 17:00"`), or no due date.
ALTER TABLE asks ADD COLUMN due_zone TEXT;

-- Asks due before this: a day was stored as its last second (hh:mm:59, which no typed time is), in
-- the zone of whoever posted it; a poster who never set a zone used the organisation's, which only
-- the configuration knows, so those stay times.
UPDATE asks SET due_zone = (SELECT p.tz FROM people p WHERE p.id = asks.posted_by)
WHERE due_at IS NOT NULL AND due_at % 60 = 59;
