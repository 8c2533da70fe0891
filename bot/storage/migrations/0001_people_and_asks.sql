-- People, their platform accounts and skills; asks and claims; the infrastructure every feature
-- shares (processed events, outbox, audit, key/value state). Times are epoch seconds, UTC.

CREATE TABLE people (
    id             INTEGER PRIMARY KEY,
    display_name   TEXT    NOT NULL,
    role           TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'lead', 'admin')),
    signed_up_at   INTEGER,
    tz             TEXT,
    region         TEXT,
    region_key     TEXT,
    library        TEXT CHECK (library IN ('public', 'academic', 'school', 'special', 'archive', 'other')),
    job            TEXT,
    hours          TEXT,
    max_claims     INTEGER CHECK (max_claims BETWEEN 1 AND 50),
    quiet_start    INTEGER CHECK (quiet_start BETWEEN 0 AND 1439),
    quiet_end      INTEGER CHECK (quiet_end BETWEEN 0 AND 1439),
    visibility     TEXT    NOT NULL DEFAULT 'members' CHECK (visibility IN ('members', 'leads')),
    paused_at      INTEGER,
    paused_until   INTEGER,
    created_at     INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL
);
CREATE INDEX people_by_name ON people (display_name COLLATE NOCASE);
CREATE INDEX people_by_region ON people (region_key, library);

CREATE TABLE identities (
    platform      TEXT    NOT NULL,
    user_id       TEXT    NOT NULL,
    person_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    display_name  TEXT    NOT NULL,
    private_chat  TEXT,
    last_seen_at  INTEGER NOT NULL,
    PRIMARY KEY (platform, user_id)
) WITHOUT ROWID;
CREATE INDEX identities_by_person ON identities (person_id);

CREATE TABLE person_skills (
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    skill      TEXT    NOT NULL,
    added_at   INTEGER NOT NULL,
    PRIMARY KEY (person_id, skill)
) WITHOUT ROWID;
CREATE INDEX person_skills_by_skill ON person_skills (skill, person_id);

CREATE TABLE person_interests (
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    interest   TEXT    NOT NULL,
    PRIMARY KEY (person_id, interest)
) WITHOUT ROWID;
CREATE INDEX person_interests_by_interest ON person_interests (interest, person_id);

CREATE TABLE asks (
    id            INTEGER PRIMARY KEY,
    title         TEXT    NOT NULL,
    details       TEXT,
    skill         TEXT,
    need          INTEGER NOT NULL CHECK (need BETWEEN 1 AND 100),
    due_at        INTEGER,
    status        TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'closed')),
    posted_by     INTEGER REFERENCES people (id) ON DELETE SET NULL,
    notice_round  INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    closed_at     INTEGER
);
CREATE INDEX asks_by_status ON asks (status, id);
CREATE INDEX asks_by_skill ON asks (skill, status, id);
CREATE INDEX asks_by_due ON asks (status, due_at);

CREATE TABLE claims (
    id                INTEGER PRIMARY KEY,
    ask_id            INTEGER NOT NULL REFERENCES asks (id) ON DELETE CASCADE,
    person_id         INTEGER REFERENCES people (id) ON DELETE SET NULL,
    status            TEXT    NOT NULL CHECK (status IN ('active', 'done', 'released')),
    claimed_at        INTEGER NOT NULL,
    last_activity_at  INTEGER NOT NULL,
    finished_at       INTEGER,
    note              TEXT
);
CREATE UNIQUE INDEX claims_one_active ON claims (ask_id, person_id) WHERE status = 'active';
CREATE INDEX claims_by_ask ON claims (ask_id, status);
CREATE INDEX claims_by_person ON claims (person_id, status);
CREATE INDEX claims_by_activity ON claims (status, last_activity_at);

CREATE TABLE ask_updates (
    id          INTEGER PRIMARY KEY,
    ask_id      INTEGER NOT NULL REFERENCES asks (id) ON DELETE CASCADE,
    person_id   INTEGER REFERENCES people (id) ON DELETE SET NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('update', 'done', 'release')),
    text        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX ask_updates_by_ask ON ask_updates (ask_id, id);

-- Who has been told of which ask (once per opening of the ask: `round`).
CREATE TABLE ask_notices (
    ask_id     INTEGER NOT NULL REFERENCES asks (id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    round      INTEGER NOT NULL,
    PRIMARY KEY (ask_id, person_id, round)
) WITHOUT ROWID;

-- Platform events already handled, so a redelivered event is ignored.
CREATE TABLE processed_events (
    platform      TEXT    NOT NULL,
    event_id      TEXT    NOT NULL,
    processed_at  INTEGER NOT NULL,
    PRIMARY KEY (platform, event_id)
) WITHOUT ROWID;
CREATE INDEX processed_events_by_age ON processed_events (processed_at);

-- Messages to send later or to someone other than the speaker; `key` makes each one unique.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    key              TEXT    NOT NULL UNIQUE,
    person_id        INTEGER REFERENCES people (id) ON DELETE CASCADE,
    channel          TEXT,
    kind             TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    bundle           INTEGER NOT NULL DEFAULT 0,
    not_before       INTEGER NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sending', 'sent', 'parked', 'dropped')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER,
    CHECK (person_id IS NOT NULL OR channel IS NOT NULL)
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_by_person ON outbox (person_id, status, sent_at);

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor_id  INTEGER REFERENCES people (id) ON DELETE SET NULL,
    action    TEXT    NOT NULL,
    subject   TEXT    NOT NULL,
    detail    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_time ON audit (at);

CREATE TABLE state (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;
