-- Trust at the edges (issue 13).

-- Who caused a queued message (whose action or words it carries): they are told when it cannot
-- be delivered, and it goes with them when they use `forget me` (so no one later receives the
-- words of an intro they proposed, or the note they left on `done`).
ALTER TABLE outbox ADD COLUMN caused_by INTEGER REFERENCES people (id) ON DELETE CASCADE;

-- Ids handed out once each, ever: a person's id is never reused after `forget me`, so nothing
-- queued about someone forgotten (a mention in a pairing message) can reach a newcomer.
CREATE TABLE id_counters (
    name  TEXT    PRIMARY KEY,
    last  INTEGER NOT NULL
);
INSERT INTO id_counters (name, last) SELECT 'people', COALESCE(MAX(id), 0) FROM people;
