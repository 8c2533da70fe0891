-- Events and meetings (spec §15): an event, its occurrences (one for a single event; one after
-- another for a repeating one), and each person's answer for an occurrence. Times are epoch
-- seconds, UTC; a repeating event repeats by wall time in its own zone (`tz`, the poster's).

-- `anchor` (a local date) and `at_minute` (minutes after local midnight) place occurrence
-- number `anchor_seq`; the others follow every week, two weeks or month by the local calendar, so
-- a 19:00 meeting stays 19:00 across a change of daylight saving time. `skill` or `region` (with
-- its grouping key) say whom the event is for; neither: everyone. `revision` counts edits, so
-- each edit's notice has a key of its own (and a calendar file its SEQUENCE).
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    title       TEXT    NOT NULL,
    place       TEXT,
    length_s    INTEGER NOT NULL CHECK (length_s > 0),
    every       TEXT    CHECK (every IN ('week', '2weeks', 'month')),
    tz          TEXT    NOT NULL,
    anchor      TEXT    NOT NULL,
    at_minute   INTEGER NOT NULL CHECK (at_minute BETWEEN 0 AND 1439),
    anchor_seq  INTEGER NOT NULL DEFAULT 0,
    skill       TEXT,
    region      TEXT,
    region_key  TEXT,
    posted_by   INTEGER REFERENCES people (id) ON DELETE SET NULL,
    status      TEXT    NOT NULL DEFAULT 'on' CHECK (status IN ('on', 'cancelled')),
    revision    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX events_by_status ON events (status, id);

-- One occurrence of an event: 'on' until it starts, then 'past'; 'cancelled' on its own or with
-- the event; 'moved' when an edit changed its time (a new row takes its place and its answers,
-- so a reminder queued for the old time names a row that is no longer 'on' and is dropped).
-- `seq` numbers the occurrences of an event (a moved one keeps its number, for the calendar UID).
CREATE TABLE event_times (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'on' CHECK (status IN ('on', 'past', 'cancelled', 'moved')),
    created_at  INTEGER NOT NULL
);

-- A person's answer for one occurrence, and when each reminder about it was queued (or passed
-- over): the day before, the hour before, and "who did you meet?" afterwards.
CREATE TABLE event_rsvps (
    time_id      INTEGER NOT NULL REFERENCES event_times (id) ON DELETE CASCADE,
    person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    status       TEXT    NOT NULL CHECK (status IN ('yes', 'maybe', 'no')),
    answered_at  INTEGER NOT NULL,
    day_sent_at  INTEGER,
    hour_sent_at INTEGER,
    met_sent_at  INTEGER,
    PRIMARY KEY (time_id, person_id)
);

-- Occurrences are found by their start (what is coming up, what reminders are due), their event and
-- their end (what to ask about afterwards); answers by their person (`mine`).
CREATE INDEX event_times_by_status ON event_times (status, starts_at);
CREATE INDEX event_times_by_event ON event_times (event_id, status, seq);
CREATE INDEX event_times_by_end ON event_times (status, ends_at);
CREATE INDEX event_rsvps_by_person ON event_rsvps (person_id, time_id);
