-- Accounts: where a stored role came from (so a role granted by a platform can be taken back by
-- it), and one-time codes for linking a Discord and a Matrix account into one person.

ALTER TABLE people ADD COLUMN role_source TEXT CHECK (role_source IN ('platform', 'command'));

-- Only a hash of each code is kept; a code works once, for ten minutes.
CREATE TABLE link_codes (
    code_hash   TEXT    PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    platform    TEXT    NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
) WITHOUT ROWID;
CREATE INDEX link_codes_by_person ON link_codes (person_id);

-- Failed attempts at `link <code>`, to throttle guessing (per person, and across everyone).
CREATE TABLE link_attempts (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER REFERENCES people (id) ON DELETE CASCADE,
    at         INTEGER NOT NULL
);
CREATE INDEX link_attempts_by_time ON link_attempts (at);
CREATE INDEX link_attempts_by_person ON link_attempts (person_id, at);
