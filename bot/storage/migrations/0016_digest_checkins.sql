-- The digest's check-ins at national scale (issue 15): who was asked a check-in this week and who
-- answered is counted per person, from two times kept on each person and a count of people per
-- hour of each (bot/storage/summaries.py keeps them in step), so `digest` adds up a week of hourly
-- counts and reads the people of its two edge hours instead of every check-in of the week.

-- When the person was last asked a check-in (their latest check-in's time), and when they were
-- last heard from: the earlier of that and their latest answer (NULL if they never answered).
-- Asked this week: asked_at in the week; answered this week: heard_at in the week (both then are).
ALTER TABLE people ADD COLUMN checkin_asked_at INTEGER;
ALTER TABLE people ADD COLUMN checkin_heard_at INTEGER;
CREATE INDEX people_checkin_asked ON people (checkin_asked_at) WHERE checkin_asked_at IS NOT NULL;
CREATE INDEX people_checkin_heard ON people (checkin_heard_at) WHERE checkin_heard_at IS NOT NULL;
-- Whose latest check-in waits for its answer, by when it was asked: those not heard from this
-- week are among them, the longest silent first.
CREATE INDEX people_checkin_waiting ON people (checkin_asked_at, id)
    WHERE checkin_heard_at IS NULL OR checkin_heard_at < checkin_asked_at;

-- People by the hour (epoch seconds / 3600) of their checkin_asked_at ('asked') and checkin_heard_at ('heard').
CREATE TABLE checkin_hours (
    kind    TEXT    NOT NULL CHECK (kind IN ('asked', 'heard')),
    hour    INTEGER NOT NULL,
    people  INTEGER NOT NULL,
    PRIMARY KEY (kind, hour)
);

-- Filled from what is already stored (as `summaries.rebuild` does).
UPDATE people SET (checkin_asked_at, checkin_heard_at) = (
    SELECT MAX(c.due_at), CASE WHEN MAX(c.answered_at) IS NULL THEN NULL
        WHEN MAX(c.answered_at) < MAX(c.due_at) THEN MAX(c.answered_at) ELSE MAX(c.due_at) END
    FROM checkins c WHERE c.person_id = people.id)
WHERE id IN (SELECT person_id FROM checkins);

INSERT INTO checkin_hours (kind, hour, people)
SELECT 'asked', checkin_asked_at / 3600, COUNT(*) FROM people WHERE checkin_asked_at IS NOT NULL GROUP BY 2;

INSERT INTO checkin_hours (kind, hour, people)
SELECT 'heard', checkin_heard_at / 3600, COUNT(*) FROM people WHERE checkin_heard_at IS NOT NULL GROUP BY 2;
