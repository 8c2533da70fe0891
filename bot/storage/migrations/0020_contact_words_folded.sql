-- The contacts' words and their prefixes' counts again (as 0014 made them, as
-- `summaries.rebuild` does), from the search text 0019 folded.
DELETE FROM contact_prefixes;
DELETE FROM contact_words;

INSERT INTO contact_words (word, share, contact_id)
WITH RECURSIVE split (contact_id, share, word, rest) AS (
  SELECT id, share, substr(search, 1, 0), search || ' ' FROM contacts
  UNION ALL
  SELECT contact_id, share, CASE WHEN substr(rest, 1, 1) = ' ' THEN '' ELSE word || substr(rest, 1, 1) END,
         substr(rest, 2)
  FROM split WHERE rest != ''
)
SELECT DISTINCT word, share, contact_id FROM split WHERE word != '' AND substr(rest, 1, 1) = ' ';

INSERT INTO contact_prefixes (prefix, share, contacts)
WITH RECURSIVE cut (contact_id, share, word, n) AS (
  SELECT contact_id, share, word, length(word) FROM contact_words
  UNION ALL
  SELECT contact_id, share, word, n - 1 FROM cut WHERE n > 1
)
SELECT substr(word, 1, n), share, COUNT(DISTINCT contact_id) FROM cut GROUP BY 1, 2;
