-- Placeholder so that 0014 applies in the leadviews branch (issue 15): migrations must be numbered
-- without gaps, and 0013 belongs to another branch. Drop this file when merging the real 0013.
-- One statement that does nothing: PostgreSQL refuses a script with none.
SELECT 1;
