-- `signatures <words>` finds a signatory by any word the list shows of them: the library type
-- (`school`, `academic`) as well as the name, email, workplace and region. The folded search
-- text (migration 19) is recomputed for every signatory by this migration's Python step
-- (`bot/storage/fills.py`). Nothing in the schema changes.
SELECT 1;
