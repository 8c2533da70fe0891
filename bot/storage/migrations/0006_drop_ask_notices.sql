-- Who was told of which opening of an ask is already recorded, exactly once, by the outbox key of
-- the notice (`ask:<id>:r<round>:p<person>`); the separate table only doubled the writes of a new
-- ask (2,000 rows for an ask 2,000 volunteers match).
DROP TABLE ask_notices;
