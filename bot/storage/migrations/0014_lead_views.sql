-- The leads' views at national scale (issue 15): summaries kept in step with their sources in the
-- same transaction (bot/storage/summaries.py defines each as the grouped query it must equal),
-- and indexes, so `network`, `coverage` and `digest` read a few hundred rows, not 100,000 people.
-- Unknown values are '' in the summaries' keys (a key column is never NULL, in SQLite or PostgreSQL).

-- Signed-up volunteers by region (as shown, and its key), library type and profile visibility:
-- `coverage`, the network's member count, regions and library types in use.
CREATE TABLE people_groups (
    region      TEXT    NOT NULL,
    region_key  TEXT    NOT NULL,
    library     TEXT    NOT NULL,
    visibility  TEXT    NOT NULL,
    members     INTEGER NOT NULL,
    PRIMARY KEY (region_key, library, visibility, region)
);

-- Ties by the region keys (kind 'region') or library types ('library') of their two ends, the
-- lower value first: the network's ties across regions and library types, and regions unlinked.
CREATE TABLE tie_groups (
    kind  TEXT    NOT NULL CHECK (kind IN ('region', 'library')),
    low   TEXT    NOT NULL,
    high  TEXT    NOT NULL,
    ties  INTEGER NOT NULL,
    PRIMARY KEY (kind, low, high)
);

-- Counts by one key: volunteers per skill ('skills'), open asks per skill ('open asks'), open
-- asks nobody has taken ('unclaimed asks'), intros by status ('intros'), contacts by share ('contacts').
CREATE TABLE tallies (
    name  TEXT    NOT NULL,
    key   TEXT    NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (name, key)
);

-- Members whose ties reach other regions or library types than their own (the network's
-- "bridges"), recomputed for the people concerned whenever their ties or groups change.
CREATE TABLE network_reach (
    person_id  INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    regions    INTEGER NOT NULL,
    libraries  INTEGER NOT NULL,
    span       INTEGER NOT NULL
);
CREATE INDEX network_reach_by_span ON network_reach (span DESC, person_id);

-- When each person last met anyone (the latest of their ties): the isolated are counted from
-- an index of the recently met instead of two probes of the ties per member.
ALTER TABLE people ADD COLUMN met_at INTEGER;
CREATE INDEX people_by_met ON people (met_at) WHERE signed_up_at IS NOT NULL;
CREATE INDEX people_paused ON people (paused_at, paused_until, signed_up_at, met_at) WHERE paused_at IS NOT NULL;

-- The digest's week: asks opened, finished and closed since a moment; check-ins asked and answered.
CREATE INDEX asks_by_created ON asks (created_at);
CREATE INDEX asks_by_closed ON asks (status, closed_at);
DROP INDEX checkins_by_time;
CREATE INDEX checkins_by_time ON checkins (due_at, answered_at, person_id);
-- Whether each person asked this week answered since: a seek, not a read of their check-ins.
CREATE INDEX checkins_answered ON checkins (person_id, answered_at);

-- Contacts in name order, as `contacts` lists them: lower(name) orders as COLLATE NOCASE did.
CREATE INDEX contacts_by_name ON contacts (lower(name), id);

-- Each word of a contact's search text (name, org and interests, lower-cased, split at spaces)
-- with its share: `contacts <words>` finds and counts the contacts with a word starting with each
-- word typed from this index instead of reading every contact: a word typed is the range of words
-- it starts, in byte order (COLLATE BINARY, PostgreSQL's "C"), whatever the database's locale.
CREATE TABLE contact_words (
    word        TEXT    COLLATE BINARY NOT NULL,
    share       TEXT    NOT NULL,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    PRIMARY KEY (word, share, contact_id)
);
CREATE INDEX contact_words_by_contact ON contact_words (contact_id, word);

-- Contacts by each prefix of each of their words, and share: how many contacts a word typed
-- finds, in one row (a contact counts once per prefix).
CREATE TABLE contact_prefixes (
    prefix    TEXT    COLLATE BINARY NOT NULL,
    share     TEXT    NOT NULL,
    contacts  INTEGER NOT NULL,
    PRIMARY KEY (prefix, share)
);

-- Filled from what is already stored (as `summaries.rebuild` does).
INSERT INTO contact_words (word, share, contact_id)
WITH RECURSIVE split (contact_id, share, word, rest) AS (
  SELECT id, share, substr(search, 1, 0), search || ' ' FROM contacts
  UNION ALL
  SELECT contact_id, share, CASE WHEN substr(rest, 1, 1) = ' ' THEN '' ELSE word || substr(rest, 1, 1) END,
         substr(rest, 2)
  FROM split WHERE rest != ''
)
SELECT DISTINCT word, share, contact_id FROM split WHERE word != '' AND substr(rest, 1, 1) = ' ';

INSERT INTO contact_prefixes (prefix, share, contacts)
WITH RECURSIVE cut (contact_id, share, word, n) AS (
  SELECT contact_id, share, word, length(word) FROM contact_words
  UNION ALL
  SELECT contact_id, share, word, n - 1 FROM cut WHERE n > 1
)
SELECT substr(word, 1, n), share, COUNT(DISTINCT contact_id) FROM cut GROUP BY 1, 2;

INSERT INTO people_groups (region, region_key, library, visibility, members)
SELECT COALESCE(region, ''), COALESCE(region_key, ''), COALESCE(library, ''), visibility, COUNT(*)
FROM people WHERE signed_up_at IS NOT NULL GROUP BY 1, 2, 3, 4;

-- (Each tie counted once by its ends' region keys and once by their library types.)
INSERT INTO tie_groups (kind, low, high, ties)
SELECT kind, CASE WHEN a <= b THEN a ELSE b END, CASE WHEN a <= b THEN b ELSE a END, COUNT(*) FROM (
  SELECT k.kind,
         CASE k.kind WHEN 'region' THEN COALESCE(pa.region_key, '') ELSE COALESCE(pa.library, '') END AS a,
         CASE k.kind WHEN 'region' THEN COALESCE(pb.region_key, '') ELSE COALESCE(pb.library, '') END AS b
  FROM ties t JOIN people pa ON pa.id = t.a_id JOIN people pb ON pb.id = t.b_id
  CROSS JOIN (SELECT 'region' AS kind UNION ALL SELECT 'library') k) e
GROUP BY 1, 2, 3;

INSERT INTO tallies (name, key, n)
SELECT 'skills', s.skill, COUNT(*) FROM person_skills s JOIN people p ON p.id = s.person_id
WHERE p.signed_up_at IS NOT NULL GROUP BY s.skill;

INSERT INTO tallies (name, key, n)
SELECT 'open asks', COALESCE(skill, ''), COUNT(*) FROM asks WHERE status = 'open' GROUP BY 2;

INSERT INTO tallies (name, key, n)
SELECT 'unclaimed asks', '', COUNT(*) FROM asks a WHERE a.status = 'open'
  AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.ask_id = a.id AND c.status != 'released')
HAVING COUNT(*) > 0;

INSERT INTO tallies (name, key, n) SELECT 'intros', status, COUNT(*) FROM intros GROUP BY status;

INSERT INTO tallies (name, key, n) SELECT 'contacts', share, COUNT(*) FROM contacts GROUP BY share;

INSERT INTO network_reach (person_id, regions, libraries, span)
SELECT person_id, regions, libraries, regions + libraries FROM (
  SELECT e.me AS person_id,
    COUNT(DISTINCT CASE WHEN o.region_key IS NOT NULL AND m.region_key IS NOT NULL
          AND o.region_key != m.region_key THEN o.region_key END) AS regions,
    COUNT(DISTINCT CASE WHEN o.library IS NOT NULL AND m.library IS NOT NULL
          AND o.library != m.library THEN o.library END) AS libraries
  FROM (SELECT a_id AS me, b_id AS other FROM ties UNION ALL SELECT b_id, a_id FROM ties) e
  JOIN people m ON m.id = e.me JOIN people o ON o.id = e.other
  GROUP BY e.me
) r WHERE regions + libraries > 0;

UPDATE people SET met_at = (SELECT MAX(t.last_at) FROM ties t WHERE t.a_id = people.id OR t.b_id = people.id);
