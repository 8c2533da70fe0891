-- Numbers handed out once each, ever, for everything people see by its number that can be
-- deleted: contacts (`contact drop`, and `forget me` of their owner), the intros and follow-ups
-- that go with a contact or a person, resources (`resource drop`). SQLite gives a new row the
-- largest id plus one, so deleting the newest row gave its number to the next: someone still
-- holding "accept 1" about an intro whose contact was dropped would have accepted another one.
-- Each of these tables now takes its ids from a counter, as people have since 0007
-- (`bot/storage/counters.py`). Asks, events and announcements are never deleted: they need none.
INSERT INTO id_counters (name, last) SELECT 'contacts', COALESCE(MAX(id), 0) FROM contacts;
INSERT INTO id_counters (name, last) SELECT 'intros', COALESCE(MAX(id), 0) FROM intros;
INSERT INTO id_counters (name, last) SELECT 'followups', COALESCE(MAX(id), 0) FROM followups;
INSERT INTO id_counters (name, last) SELECT 'resources', COALESCE(MAX(id), 0) FROM resources;

-- PostgreSQL's identity sequences never went back: where the newest row was deleted there, its
-- number is past the largest id left, and the counter starts after it.
-- postgresql: UPDATE id_counters SET last = GREATEST(last, COALESCE(pg_sequence_last_value(pg_get_serial_sequence(name, 'id')::regclass), 0)) WHERE name IN ('contacts', 'intros', 'followups', 'resources');
