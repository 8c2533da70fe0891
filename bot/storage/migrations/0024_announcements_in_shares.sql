-- A private announcement to a large group is queued in shares, so commands that write take their
-- turn in between (at national scale, everyone is 98,000 messages: 5–18 s in one transaction).
-- `released_through` is the last person id queued so far; `reach` counts the messages queued so
-- far; `released_at` is set when the last share is queued. A bot killed between two shares goes
-- on from `released_through` at the next sweep.
ALTER TABLE announcements ADD COLUMN released_through INTEGER;
