-- What `contacts`, `signatures` and `resources` search in, folded like names (`bot/core/names.py`:
-- case, accents and spacing), so `jose` finds José: the words typed are folded the same way. The
-- text is recomputed for every contact, signatory and resource by this migration's Python step
-- (`bot/storage/fills.py`); migration 0020 then rebuilds the contacts' word index from it.
SELECT 1;
