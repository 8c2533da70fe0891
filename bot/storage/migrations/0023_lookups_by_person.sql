-- Lookups by person that had no index. At national scale (1,000,000 contact notes, 300,000 queued
-- messages) `export me` read every contact note to find the speaker's own (1.0 s), and deleting a
-- person (`forget me`) scanned each table that points at people, to set its column to NULL or
-- delete the rows (0.2 s, with the writer held; pairings grow by thousands a week). The outbox's
-- are partial: many messages go to a channel or were caused by no one (a job's), and a lookup by
-- a person implies the column is set.
CREATE INDEX contact_notes_by_author ON contact_notes (author_id);
CREATE INDEX ask_updates_by_person ON ask_updates (person_id);
CREATE INDEX audit_by_actor ON audit (actor_id);
CREATE INDEX outbox_by_cause ON outbox (caused_by) WHERE caused_by IS NOT NULL;
CREATE INDEX outbox_by_person ON outbox (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX pairings_by_b ON pairings (b_id);
CREATE INDEX meetings_by_b ON meetings (b_id);
CREATE INDEX meetings_by_recorder ON meetings (recorded_by);
CREATE INDEX meetings_by_intro ON meetings (intro_id);
CREATE INDEX followups_by_intro ON followups (intro_id);

-- Each change to a summary deletes the rows whose count fell to zero. `contact_prefixes` holds a
-- row per word prefix (120,000 at national scale), which that DELETE read whole at every
-- `contact add`, `edit` or `drop` (6 ms of its 10). Only the rows at zero are in this index.
CREATE INDEX contact_prefixes_empty ON contact_prefixes (prefix) WHERE contacts = 0;
