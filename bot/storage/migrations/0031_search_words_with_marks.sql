-- A word with marks in it is also searched by as typed without them and by its pieces: `obrien`
-- finds O'Brien, `cio` finds AFL-CIO (`bot/core/names.py`, `searched`). The folded search text of
-- contacts, signatories, shared links and asks is recomputed by this migration's Python step
-- (`bot/storage/fills.py`), then the contacts' words index and its prefix counts are rebuilt
-- from it. Nothing in the schema changes.
SELECT 1;
