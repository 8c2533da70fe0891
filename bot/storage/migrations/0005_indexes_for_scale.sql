-- Indexes found missing by the national-scale benchmarks (bench/, docs/performance.md): lookups
-- that read a whole table at 100,000 volunteers and 50,000 intros.

-- Intros to a member's contacts (`intros`, `network`, and deleting a contact, whose intros
-- cascade): without it every intro is read.
CREATE INDEX intros_by_contact ON intros (contact_id) WHERE contact_id IS NOT NULL;

-- A lead's own open asks (`mine`), and unlinking a deleted poster.
CREATE INDEX asks_by_poster ON asks (posted_by, status);

-- Leads and admins with their zones (the weekly digest asks every sweep whose digest is due):
-- without it, all 100,000 people are read; with the zone in it, only the index is.
CREATE INDEX people_by_role ON people (role, tz);

-- The sweep's "what is due now" questions. Without statistics SQLite prefers an equality on
-- `status` to a range on a partial index, so it answered these from (status, something else) and
-- read every active claim, open follow-up or pending intro. With the time right after the
-- status, the equality and the range use one index, and a sweep reads only what is due.
DROP INDEX claims_next_nudge;
CREATE INDEX claims_next_nudge ON claims (status, next_nudge_at);
DROP INDEX followups_next_nudge;
CREATE INDEX followups_next_nudge ON followups (status, next_nudge_at);
DROP INDEX intros_remind;
CREATE INDEX intros_remind ON intros (status, remind_at);

-- One fewer index to keep up on every queued message. Its 300,000 entries are in person order,
-- so a new ask that tells 2,000 people dirtied nearly every page of it: 35–40 ms of a 100 ms
-- budget at the commit, and as much again at the next checkpoint. What used it is rare and
-- costs one read of the outbox when it happens (about 30 ms at that size): `forget me`, linking
-- two accounts, `export me`, and deleting a person (the cascade).
DROP INDEX outbox_by_person;
