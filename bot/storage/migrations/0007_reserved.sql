-- Reserved: migration 0007 belongs to another branch (issue 17). This empty step only keeps the
-- numbers contiguous on the events branch; delete this file when merging that branch's 0007.
SELECT 1;
