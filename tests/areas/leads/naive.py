"""The network view's queries as they were before its summaries (issue 15), straight from the base
tables: the reference the summaries test compares the views with (`test_summaries.py`), and the
"naive SQL" baseline the lead views benchmark times (`bench/leadviews.py`). One copy, so the two
always mean the same thing."""

from __future__ import annotations

#: Every tie with the people at both ends (`pa`, `pb`).
TIED = "FROM ties t JOIN people pa ON pa.id = t.a_id JOIN people pb ON pb.id = t.b_id"

#: A tie across regions, or across library types (both ends said theirs, and they differ).
CROSS = {
    "region": "pa.region_key IS NOT NULL AND pb.region_key IS NOT NULL AND pa.region_key != pb.region_key",
    "library": "pa.library IS NOT NULL AND pb.library IS NOT NULL AND pa.library != pb.library",
}

#: The five members whose ties reach the most other regions and library types (the "bridges"),
#: with how many of each: a GROUP BY over both directions of every tie.
BRIDGES = (
    "SELECT * FROM (SELECT m.id, m.display_name,"
    " COUNT(DISTINCT CASE WHEN o.region_key IS NOT NULL AND m.region_key IS NOT NULL"
    "  AND o.region_key != m.region_key THEN o.region_key END) AS regions,"
    " COUNT(DISTINCT CASE WHEN o.library IS NOT NULL AND m.library IS NOT NULL"
    "  AND o.library != m.library THEN o.library END) AS libraries"
    " FROM (SELECT a_id AS me, b_id AS other FROM ties UNION ALL SELECT b_id, a_id FROM ties) e"
    " JOIN people m ON m.id = e.me JOIN people o ON o.id = e.other GROUP BY m.id, m.display_name) s"
    " WHERE s.regions + s.libraries > 0 ORDER BY s.regions + s.libraries DESC, s.id LIMIT 5"
)


def unlinked(by: str) -> tuple[str, str]:
    """For `by` 'region' or 'library': how many are in use among the signed-up, and the labels of
    those no tie crosses from (`label`), most members first."""
    key, shown = ("region_key", "region") if by == "region" else ("library", "library")
    return (
        f"SELECT COUNT(DISTINCT {key}) FROM people WHERE signed_up_at IS NOT NULL AND {key} IS NOT NULL",
        f"SELECT MIN(p.{shown}) AS label FROM people p WHERE p.signed_up_at IS NOT NULL AND p.{key} IS NOT NULL"
        f" AND p.{key} NOT IN (SELECT pa.{key} {TIED} WHERE {CROSS[by]} UNION SELECT pb.{key} {TIED}"
        f" WHERE {CROSS[by]}) GROUP BY p.{key} ORDER BY COUNT(*) DESC, MIN(p.{shown})",
    )
