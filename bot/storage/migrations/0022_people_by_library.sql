-- The dashboard's network coloured by library type counts the members of each type. With an index
-- on region and library together only, SQLite read every member's row for that (150 ms at 100,000
-- members); this one holds what the count needs, in the order it groups by (8 ms).
CREATE INDEX people_by_library ON people (library, signed_up_at);
