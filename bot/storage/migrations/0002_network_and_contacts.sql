-- Introductions, who has met whom, the pairing rounds, and contacts (outside allies) with their
-- notes and follow-ups (spec §3 and §4). Times are epoch seconds, UTC.

-- People outside the bot that a member keeps a log of. `share` decides who else may see the
-- contact at all: private (the owner), leads (the owner, leads and admins) or members (everyone).
CREATE TABLE contacts (
    id            INTEGER PRIMARY KEY,
    owner_id      INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    org           TEXT,
    how           TEXT,
    interests     TEXT,
    share         TEXT    NOT NULL DEFAULT 'leads' CHECK (share IN ('private', 'leads', 'members')),
    -- name, org and interests lower-cased, so `contacts <words>` is one portable LIKE per word.
    search        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    last_note_at  INTEGER
);
CREATE INDEX contacts_by_owner ON contacts (owner_id, id);
CREATE INDEX contacts_by_share ON contacts (share, id);

CREATE TABLE contact_notes (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    author_id   INTEGER REFERENCES people (id) ON DELETE SET NULL,
    text        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX contact_notes_by_contact ON contact_notes (contact_id, id);

-- A proposed introduction between two members (b_id), or a member and a contact (contact_id).
-- `pair_key` names the pair whatever the order (`p3:p7`, `p3:c5`); it is unique, so a pair is
-- proposed at most once, ever: a pending, made or declined intro is never asked again.
-- A decline is stored as 'no' / 'not_now' and is only ever shown as "not now".
CREATE TABLE intros (
    id           INTEGER PRIMARY KEY,
    proposer_id  INTEGER REFERENCES people (id) ON DELETE SET NULL,
    a_id         INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    b_id         INTEGER REFERENCES people (id) ON DELETE CASCADE,
    contact_id   INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    pair_key     TEXT    NOT NULL,
    why          TEXT    NOT NULL,
    a_answer     TEXT    NOT NULL DEFAULT 'pending' CHECK (a_answer IN ('pending', 'yes', 'no')),
    b_answer     TEXT    CHECK (b_answer IN ('pending', 'yes', 'no')),
    status       TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'made', 'not_now')),
    created_at   INTEGER NOT NULL,
    closed_at    INTEGER,
    CHECK ((b_id IS NULL) <> (contact_id IS NULL)),
    CHECK ((b_id IS NULL) = (b_answer IS NULL))
);
CREATE UNIQUE INDEX intros_one_per_pair ON intros (pair_key);
CREATE INDEX intros_by_a ON intros (a_id, status);
CREATE INDEX intros_by_b ON intros (b_id, status);
CREATE INDEX intros_by_proposer ON intros (proposer_id, status);
CREATE INDEX intros_by_status ON intros (status, created_at);

-- Things a contact's owner means to do by a date: the `follow:` of a contact, or connecting a
-- member with the contact after an intro (intro_id). Logging a note on the contact closes them.
CREATE TABLE followups (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    intro_id    INTEGER REFERENCES intros (id) ON DELETE CASCADE,
    due_at      INTEGER NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    created_at  INTEGER NOT NULL,
    closed_at   INTEGER
);
CREATE INDEX followups_due ON followups (status, due_at);
CREATE INDEX followups_by_person ON followups (person_id, status, due_at);
CREATE INDEX followups_by_contact ON followups (contact_id, status);

-- Who has met whom: one row per pair (lower id first), however often they met.
CREATE TABLE ties (
    a_id      INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    b_id      INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    first_at  INTEGER NOT NULL,
    last_at   INTEGER NOT NULL,
    times     INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (a_id, b_id),
    CHECK (a_id < b_id)
);
CREATE INDEX ties_by_a ON ties (a_id, last_at);
CREATE INDEX ties_by_b ON ties (b_id, last_at);
CREATE INDEX ties_by_time ON ties (last_at);

-- Each time a meeting was recorded (`met`, or an intro both sides accepted), with its note.
CREATE TABLE meetings (
    id           INTEGER PRIMARY KEY,
    a_id         INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    b_id         INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    recorded_by  INTEGER REFERENCES people (id) ON DELETE SET NULL,
    how          TEXT    NOT NULL CHECK (how IN ('met', 'intro')),
    intro_id     INTEGER REFERENCES intros (id) ON DELETE SET NULL,
    note         TEXT,
    at           INTEGER NOT NULL
);
CREATE INDEX meetings_by_pair ON meetings (a_id, b_id, at);

-- Members who opted in to the pairing rounds (`pairing on`).
CREATE TABLE pairing_members (
    person_id  INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    joined_at  INTEGER NOT NULL
);

-- Each pairing round that ran, by its local date: a round runs once, however often it is called.
CREATE TABLE pairing_rounds (
    round_key  TEXT    PRIMARY KEY,
    ran_at     INTEGER NOT NULL,
    groups     INTEGER NOT NULL,
    unpaired   INTEGER NOT NULL
);

-- Every pair ever made by a round (lower id first); the key makes "never the same pair twice" a
-- rule of the database. The pairs of a trio (the odd one out joining a pair) share `group_no`.
CREATE TABLE pairings (
    a_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    b_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    round_key  TEXT    NOT NULL REFERENCES pairing_rounds (round_key),
    group_no   INTEGER NOT NULL,
    PRIMARY KEY (a_id, b_id),
    CHECK (a_id < b_id)
);
CREATE INDEX pairings_by_round ON pairings (round_key, group_no);
