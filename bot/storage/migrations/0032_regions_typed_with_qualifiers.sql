-- A region typed with a full stop or comma after it, or with its country or `State` (`Ohio.`,
-- `Ohio, USA`, `New York State`), is shown and grouped as the region it names, and hyphens group
-- as spaces (`bot/core/values.py`, `normalise_region`). This migration's Python step
-- (`bot/storage/fills.py`) reads every stored region anew, then the summaries grouping people by
-- region are recomputed. Nothing in the schema changes.
SELECT 1;
