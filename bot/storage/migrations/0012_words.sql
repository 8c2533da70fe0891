-- Words shown right (issue 14).

-- The audit log tells a change from a look: `view` is 1 for a read-only use of a lead or admin
-- command (`coverage`), which `audit` shows only when asked (`audit all`). `source` names who
-- acted when it was no person: the console, the config's admins, or a platform's role sync
-- (`discord`, `matrix`). Rows before this: the read-only commands of the time were views, and a
-- role change nobody made came from a platform.
ALTER TABLE audit ADD COLUMN view INTEGER NOT NULL DEFAULT 0 CHECK (view IN (0, 1));
ALTER TABLE audit ADD COLUMN source TEXT;
UPDATE audit SET view = 1
 WHERE actor_id IS NOT NULL AND action IN ('coverage', 'digest', 'checkins', 'network', 'outbox', 'audit');
UPDATE audit SET source = 'platform' WHERE actor_id IS NULL AND action IN ('role.granted', 'role.revoked');
CREATE INDEX audit_changes ON audit (view, id);

-- When a person's role was last given or taken: a new lead's first weekly digest is the first
-- one due after they became a lead, not one whose moment had already passed that week.
ALTER TABLE people ADD COLUMN role_since INTEGER;
-- The sweep's every-minute look at the leads stays an index-only read.
DROP INDEX people_by_role;
CREATE INDEX people_by_role ON people (role, tz, role_since);
