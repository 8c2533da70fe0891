-- The outbox's index by person goes again (it went in 0005 and came back in 0023). Its 300,000
-- entries are in person order, so an ask that tells 2,000 people dirtied nearly every page of it:
-- 17 ms of a post that must take under 100 ms (`bench/matching.py`), paid by every ask. What it
-- served is rare and reads much more anyway: `forget me` already reads the whole outbox (and every
-- other table with free text) to scrub the person's name, so following its foreign key by a scan
-- adds one more read (at national scale the command took 319–329 ms with the index, 387–405 ms
-- without); linking two accounts moves the messages of the one that goes (two such reads);
-- `export me` lists the messages still waiting, which the index of undelivered messages
-- (`outbox_due`) finds.
DROP INDEX outbox_by_person;
