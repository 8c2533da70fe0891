-- The deliverer's first lane (issue 15): what a person's command queued — a new ask's matching
-- volunteers, an intro, an announcement — goes before a backlog of reminders. This index finds
-- it without reading the backlog (10,000 rows after a week of downtime).
CREATE INDEX outbox_prompt ON outbox (next_attempt_at) WHERE status IN ('pending', 'sending') AND caused_by IS NOT NULL;
