-- Names compared and sorted by a key the bot computes (`bot/core/names.py`: case, accents and
-- spacing folded), the same on SQLite and PostgreSQL whatever the database's locale. SQLite's
-- NOCASE folded ASCII only, PostgreSQL's lower() and ORDER BY followed the locale. The keys of
-- the rows already stored are filled by the migration's Python step (`bot/storage/fills.py`).
ALTER TABLE people ADD COLUMN name_key TEXT COLLATE BINARY;
ALTER TABLE identities ADD COLUMN name_key TEXT COLLATE BINARY;
ALTER TABLE contacts ADD COLUMN name_key TEXT COLLATE BINARY;
ALTER TABLE signatories ADD COLUMN name_key TEXT COLLATE BINARY;

-- A typed name finds its person by either key in one index probe each: an account's name had no
-- index, and every lookup read all the accounts (3.6 ms at 100,000 people). The completion of a
-- member's name and the lists by name walk these in order.
DROP INDEX people_by_name;
CREATE INDEX people_by_name ON people (name_key, id);
CREATE INDEX identities_by_name ON identities (name_key);
DROP INDEX contacts_by_name;
CREATE INDEX contacts_by_name ON contacts (name_key, id);
CREATE INDEX signatories_by_name ON signatories (name_key, id);
