-- Three questions the bot asks of the outbox that, without an index, read all of it (50 ms at
-- 300,000 rows, inside a write transaction every command waits for). Each index holds only the
-- rows its question is about, so a new ask's 2,000 notices (not bundled, not yet anyone's
-- subject to withdraw) add little to keep up.

-- Before sending a person's bundle of reminders: is their bundle of the day out already
-- (`outbox.bundled_since`)? Once per person per batch: 1.5 s for a batch of a hundred.
CREATE INDEX outbox_bundles ON outbox (person_id, sent_at) WHERE bundle = 1;

-- A follow-up moved to another day withdraws the reminder still waiting about the old day
-- (`outbox.withdraw`), in the command's own transaction.
CREATE INDEX outbox_pending_subject ON outbox (subject) WHERE status = 'pending';

-- An admin's `outbox` lists what delivery gave up on (`outbox.parked`).
CREATE INDEX outbox_parked ON outbox (id) WHERE status = 'parked';
