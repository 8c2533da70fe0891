-- Who wrote a shared link's note. Adding a link again fills the note the entry lacked, so an
-- entry's note may be another person's words than its owner's, and `forget me` cleared only the
-- owner's (spec §11: a forgotten person's notes go, wherever they were merged). A note stored
-- before is taken to be the owner's, the only author known: as before, it goes when they do.
ALTER TABLE resources ADD COLUMN note_by INTEGER REFERENCES people (id) ON DELETE SET NULL;
UPDATE resources SET note_by = added_by WHERE note IS NOT NULL;
