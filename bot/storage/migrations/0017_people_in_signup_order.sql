-- Members in sign-up order, ties by id: the isolated members of `network` (and the dashboard's
-- lists) are read "longest-standing first" and stop after a page. The index by sign-up time
-- (0005) orders a day's sign-ups by their pause and region, so SQLite sorted every member of each
-- sign-up time it went through to put them in id order; members imported together (a statement's
-- signatories) share one time, and at 100,000 volunteers that sort made `network` grow 1.5× from
-- 10,000. In this order the first page is read and nothing sorted.
CREATE INDEX people_in_signup_order ON people (signed_up_at, id) WHERE signed_up_at IS NOT NULL;
