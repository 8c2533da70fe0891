-- A state, province or nation is now grouped by its name however it was typed (`OH`, `ohio`,
-- `Ohio`: `bot/core/values.py`, `normalise_region`), so that a signatures sheet mixing codes and
-- names does not split a state in two in `coverage`. Only Python knows the names: the migration's
-- steps (`bot/storage/fills.py`) read every region of people, events and signatories anew, then
-- recompute the summaries that group people by region. Nothing in the schema changes.
SELECT 1;
