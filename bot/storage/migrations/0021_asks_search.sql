-- What the completion of an ask's number looks in besides the number (`claim zine` offers
-- "12 · Émile's zine"): its title folded like a name (`bot/core/names.py`: case, accents and
-- spacing), and the words typed folded the same way, so `emile` and `ÉMILE` find it on both
-- backends. It read the title with LIKE, which on SQLite folds ASCII letters only and on
-- PostgreSQL (ILIKE) keeps accents. The migration's Python step (`bot/storage/fills.py`) fills it
-- for the asks stored, and each start for asks an older process posted without it.
ALTER TABLE asks ADD COLUMN search TEXT;

-- That look at each start is a probe of this index, which holds no row once all are filled.
CREATE INDEX asks_without_search ON asks (id) WHERE search IS NULL;
