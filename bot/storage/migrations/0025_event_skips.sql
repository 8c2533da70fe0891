-- An occurrence of a repeating event called off ahead of its turn (`event cancel <id> on:<date>`:
-- no meeting on Christmas Eve). Occurrences are written one at a time, when the one before has
-- started; a skipped number is passed over then. `seq` is the occurrence's number, so a skip
-- stays with it when an edit moves the series to another weekday or hour.
CREATE TABLE event_skips (
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (event_id, seq)
);
