-- Onboarding the signatories, welcomes, announcements and shared resources (spec §13 and §14).
-- Times are epoch seconds, UTC.

-- When the bot welcomed someone who joined a server or the main room (once per person, ever).
ALTER TABLE people ADD COLUMN welcomed_at INTEGER;

-- The people who signed the statement, as leads import them from a CSV. `key` matches a row of a
-- later import to its signatory: the lower-cased email, or `name:` and the lower-cased name for a
-- row without one. `search` holds the name, email, workplace and region lower-cased, so
-- `signatures <words>` is one portable LIKE per word. `person_id` is the member who said `iam`.
CREATE TABLE signatories (
    id            INTEGER PRIMARY KEY,
    key           TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    email         TEXT,
    workplace     TEXT,
    library       TEXT CHECK (library IN ('public', 'academic', 'school', 'special', 'archive', 'other')),
    region        TEXT,
    region_key    TEXT,
    job           TEXT,
    skills        TEXT,
    notes         TEXT,
    search        TEXT    NOT NULL,
    person_id     INTEGER UNIQUE REFERENCES people (id) ON DELETE SET NULL,
    joined_at     INTEGER,
    -- Only a hash of the personal invite code is kept; a code works once.
    code_hash     TEXT    UNIQUE,
    invited_at    INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX signatories_by_place ON signatories (region_key, library);
CREATE INDEX signatories_waiting ON signatories (person_id, invited_at, id);

-- Signatories who used `forget me`: a hash of their key, so a re-import does not bring them back.
CREATE TABLE signatories_forgotten (
    key_hash   TEXT    PRIMARY KEY,
    at         INTEGER NOT NULL
) WITHOUT ROWID;

-- Wrong `iam` tries, to throttle guessing of emails and codes (per person, and across everyone:
-- both are counted over the last ten minutes' rows, so one index on the time serves).
CREATE TABLE iam_attempts (person_id INTEGER REFERENCES people (id) ON DELETE CASCADE, at INTEGER NOT NULL);
CREATE INDEX iam_attempts_by_time ON iam_attempts (at, person_id);

-- Announcements by leads: to the channels, or privately to everyone or to those with a skill,
-- region or library type (`kind` and `target`). `released_at` is set when its messages were
-- queued (at once, or by the sweep at `send_at`); `reach` is how many people it went to.
CREATE TABLE announcements (
    id           INTEGER PRIMARY KEY,
    text         TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('channel', 'everyone', 'skill', 'region', 'library')),
    target       TEXT,
    posted_by    INTEGER REFERENCES people (id) ON DELETE SET NULL,
    send_at      INTEGER NOT NULL,
    released_at  INTEGER,
    reach        INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE INDEX announcements_due ON announcements (released_at, send_at);

-- The shared library of links. `url` is unique (the same URL twice is one entry, tags merged);
-- `tags` is a comma list; `search` holds title, tags and note lower-cased.
CREATE TABLE resources (
    id          INTEGER PRIMARY KEY,
    url         TEXT    NOT NULL UNIQUE,
    title       TEXT,
    tags        TEXT    NOT NULL DEFAULT '',
    note        TEXT,
    search      TEXT    NOT NULL,
    added_by    INTEGER REFERENCES people (id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE resource_asks (
    resource_id  INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    ask_id       INTEGER NOT NULL REFERENCES asks (id) ON DELETE CASCADE,
    PRIMARY KEY (resource_id, ask_id)
) WITHOUT ROWID;
CREATE INDEX resource_asks_by_ask ON resource_asks (ask_id, resource_id);
