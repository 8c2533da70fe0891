-- Scheduled work: check-ins, snoozes, the next moment each item needs a reminder, and outbox
-- batching. Every "due" question the sweep asks is an indexed range scan on a time column, so a
-- sweep costs what is due, not what is stored.

-- When a claim next deserves a reminder: stale (no update) or its ask due soon. Reset by activity.
ALTER TABLE claims ADD COLUMN next_nudge_at INTEGER;
ALTER TABLE claims ADD COLUMN due_nudged_at INTEGER;
UPDATE claims SET next_nudge_at = last_activity_at + 7 * 86400 WHERE status = 'active';
CREATE INDEX claims_next_nudge ON claims (next_nudge_at) WHERE status = 'active';
CREATE INDEX asks_due_open ON asks (due_at) WHERE status = 'open' AND due_at IS NOT NULL;

-- Intros: when the people who have not answered get one reminder. Follow-ups: when the owner is
-- next reminded (the due date; cleared once reminded, set again when the follow-up moves).
ALTER TABLE intros ADD COLUMN remind_at INTEGER;
UPDATE intros SET remind_at = created_at + 3 * 86400 WHERE status = 'pending';
CREATE INDEX intros_remind ON intros (remind_at) WHERE status = 'pending' AND remind_at IS NOT NULL;
ALTER TABLE followups ADD COLUMN next_nudge_at INTEGER;
UPDATE followups SET next_nudge_at = due_at WHERE status = 'open';
CREATE INDEX followups_next_nudge ON followups (next_nudge_at) WHERE status = 'open' AND next_nudge_at IS NOT NULL;

-- A person's check-in schedule, in their own local time; `next_due_at` is its next UTC moment.
CREATE TABLE checkin_schedules (
    person_id    INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    every        TEXT    NOT NULL CHECK (every IN ('day', 'week', '2weeks')),
    weekday      INTEGER CHECK (weekday BETWEEN 0 AND 6),
    at_minute    INTEGER NOT NULL CHECK (at_minute BETWEEN 0 AND 1439),
    anchor       TEXT    NOT NULL,
    next_due_at  INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX checkin_schedules_due ON checkin_schedules (next_due_at);

-- Each check-in asked, and its answer.
CREATE TABLE checkins (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    due_at       INTEGER NOT NULL,
    remind_at    INTEGER,
    answered_at  INTEGER,
    answer       TEXT,
    UNIQUE (person_id, due_at)
);
CREATE INDEX checkins_by_person ON checkins (person_id, id);
CREATE INDEX checkins_remind ON checkins (remind_at) WHERE answered_at IS NULL AND remind_at IS NOT NULL;
CREATE INDEX checkins_by_time ON checkins (due_at);

-- Outbox: what a nudge is about (to check it is still relevant when sent), and the batch a
-- bundled nudge went out in (one per person per local day; also the send's idempotency key).
ALTER TABLE outbox ADD COLUMN subject TEXT;
ALTER TABLE outbox ADD COLUMN batch_key TEXT;
CREATE INDEX outbox_batch ON outbox (batch_key) WHERE batch_key IS NOT NULL;
