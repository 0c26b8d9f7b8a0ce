"""Tests for newsevents.store: schema, idempotent batches, filters, summary and error handling."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from newsevents.errors import StoreError
from newsevents.records import (
    Actor,
    Amount,
    ArticleError,
    ArticleResult,
    DateMention,
    Entity,
    Event,
    Place,
    Quote,
    Repair,
    Speaker,
    Theme,
    Tone,
    Trigger,
)
from newsevents.store import MAX_LIMIT, MIGRATIONS, EventFilter, Store, timex_bounds


def _span(text: str, part: str, after: int = 0) -> tuple[int, int]:
    start = text.index(part, after)
    return start, start + len(part)


def _actor(text: str, part: str, code: str | None, country: str | None, name: str, kind: str) -> Actor:
    start, end = _span(text, part)
    return Actor(part, start, end, name=name, code=code, country=country, sector="GOV", kind=kind)


def make_article_a() -> ArticleResult:
    """A hand-written article with two events, a place, a quote, dates, an amount, a theme."""
    title = "Ministers talk in Vienna"
    body = (
        "The Italian foreign minister met his Brazilian counterpart in Vienna on Tuesday. "
        "Brazil later accused Italy of stalling the trade deal. "
        '"We will not wait forever," the Brazilian minister told reporters. '
        "About 300 delegates attended."
    )
    text = f"{title}\n\n{body}"
    s1 = _span(text, "The Italian foreign minister met his Brazilian counterpart in Vienna on Tuesday.")
    s2 = _span(text, "Brazil later accused Italy of stalling the trade deal.")
    ita = _actor(text, "The Italian foreign minister", "ITAGOV", "ITA", "Italy", "country")
    bra = _actor(text, "his Brazilian counterpart", "BRAGOV", "BRA", "Brazil", "country")
    vienna_at = _span(text, "Vienna", s1[0])
    vienna = Place("Vienna", *vienna_at, name="Vienna", country="AUT", lat=48.2, lon=16.37,
                   geonameid=2761369, feature="PPLC")
    met = _span(text, "met")
    accused = _span(text, "accused")
    bra2 = _actor(text, "Brazil later", "BRA", "BRA", "Brazil", "country")
    ita2 = Actor("Italy", *_span(text, "Italy", s2[0]), name="Italy", code="ITA", country="ITA",
                 kind="country")
    ev1 = Event(span=s1, sentence=1, trigger=Trigger("met", *met), source=(ita,), target=(bra,),
                cameo="036", goldstein=4.0, quad_class=1, plover="CONSULT", mode="visit",
                context=("diplomatic",), date="2022-03-08", date_from="sentence", location=vienna,
                confidence=0.9)
    ev2 = Event(span=s2, sentence=2, trigger=Trigger("accused", *accused), source=(bra2,), target=(ita2,),
                cameo="112", goldstein=-2.0, quad_class=3, plover="ACCUSE", date="2022-03",
                confidence=0.6)
    quote_at = _span(text, "We will not wait forever,")
    speaker_at = _span(text, "the Brazilian minister")
    return ArticleResult(
        id="art-a", text=text, url="https://example.org/a", title=title, published="2022-03-10T08:00:00Z",
        source="example.org", language="en",
        repairs=(Repair(0, 5, "glue_split", "Minis ters", "Ministers"),),
        entities=(Entity("Vienna", "GPE", *vienna_at),),
        events=(ev1, ev2),
        places=(vienna,),
        quotes=(Quote("We will not wait forever,", *quote_at, verb="told",
                      speaker=Speaker("the Brazilian minister", *speaker_at, name="Brazil", code="BRAGOV")),),
        dates=(DateMention("Tuesday", *_span(text, "Tuesday"), value="2022-03-08", type="DATE"),),
        amounts=(Amount("About 300 delegates", *_span(text, "About 300 delegates"), value=300.0,
                        unit="delegates", qualifier="about"),),
        themes=(Theme("TRADE", "trade deal", *_span(text, "trade deal")),),
        tone=Tone(tone=-1.5, positive=1.0, negative=2.5, polarity=3.5, word_count=40),
        errors=(ArticleError("dates", "W1", "could not anchor 'later'"),),
    )


def make_article_b() -> ArticleResult:
    """A second article, older, with one hypothetical threat and no location."""
    text = "Border tension\n\nKenya threatened to close the border with Somalia next month."
    sent = _span(text, "Kenya threatened to close the border with Somalia next month.")
    ken = _actor(text, "Kenya", "KEN", "KEN", "Kenya", "country")
    som = _actor(text, "Somalia", "SOM", "SOM", "Somalia", "country")
    ev = Event(span=sent, sentence=1, trigger=Trigger("threatened", *_span(text, "threatened")),
               source=(ken,), target=(som,), cameo="138", goldstein=-7.0, quad_class=4, plover="THREATEN",
               future=True, date=None, date_from="published", confidence=0.7)
    return ArticleResult(id="art-b", text=text, title="Border tension", published="2021-11-02", events=(ev,))


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as st:
        yield st


@pytest.fixture
def filled(store: Store) -> Store:
    run = store.start_run("newsevents run test")
    assert store.add_results([(make_article_a(), "hash-a"), (make_article_b(), "hash-b")], run) == 2
    return store


def test_migrations_recorded_in_order(store: Store) -> None:
    rows = store._query("SELECT version, name FROM schema_migrations ORDER BY version")
    assert rows == [(v, n) for v, n, _ in MIGRATIONS]


def test_insert_and_stats(filled: Store) -> None:
    stats = filled.stats()
    assert stats["articles"] == 2
    assert stats["events"] == 3
    assert stats["actors"] == 6
    assert stats["places"] == 1
    assert stats["quotes"] == 1
    assert stats["dates"] == 1
    assert stats["amounts"] == 1
    assert stats["themes"] == 1
    assert stats["entities"] == 1
    assert stats["repairs"] == 1
    assert stats["errors"] == 1
    assert stats["runs"] == 1


def test_child_rows_round_trip(filled: Store) -> None:
    art = make_article_a()
    row = filled._query(
        "SELECT id, url, published_date, tone, word_count, run_id IS NOT NULL "
        "FROM articles WHERE id = 'art-a'"
    )[0]
    assert row == ("art-a", "https://example.org/a", dt.date(2022, 3, 10), -1.5, 40, True)
    quote = filled._query(
        "SELECT text, verb, speaker_text, speaker_name, speaker_code, char_start FROM quotes"
    )
    assert quote == [("We will not wait forever,", "told", "the Brazilian minister", "Brazil", "BRAGOV",
                      art.quotes[0].start)]
    place = filled._query("SELECT name, country, lat, geonameid, feature FROM places")
    assert place == [("Vienna", "AUT", 48.2, 2761369, "PPLC")]
    amount = filled._query("SELECT value, unit, qualifier FROM amounts")
    assert amount == [(300.0, "delegates", "about")]
    date = filled._query("SELECT value, date_type, date_start FROM dates")
    assert date == [("2022-03-08", "DATE", dt.date(2022, 3, 8))]
    err = filled._query("SELECT stage, code, message FROM article_errors")
    assert err == [("dates", "W1", "could not anchor 'later'")]
    actors = filled._query(
        "SELECT role, position, text, code, country, kind FROM event_actors a JOIN events e USING (event_id) "
        "WHERE e.cameo = '036' ORDER BY role"
    )
    assert actors == [
        ("source", 0, "The Italian foreign minister", "ITAGOV", "ITA", "country"),
        ("target", 0, "his Brazilian counterpart", "BRAGOV", "BRA", "country"),
    ]


def test_event_row_fields(filled: Store) -> None:
    rows = filled.events(EventFilter(plover="CONSULT"))
    assert len(rows) == 1
    ev = rows[0]
    assert ev["evidence"] == (
        "The Italian foreign minister met his Brazilian counterpart in Vienna on Tuesday."
    )
    assert ev["trigger"] == "met"
    text = make_article_a().text
    assert text[ev["trigger_start"]:ev["trigger_end"]] == "met"
    assert text[ev["span_start"]:ev["span_end"]] == ev["evidence"]
    assert ev["cameo"] == "036" and ev["cameo_root"] == "03"
    assert ev["source_codes"] == ["ITAGOV"] and ev["target_codes"] == ["BRAGOV"]
    assert ev["source_names"] == ["Italy"]
    assert ev["context"] == ["diplomatic"]
    assert ev["location"] == "Vienna" and ev["location_country"] == "AUT"
    assert ev["article_id"] == "art-a" and ev["title"] == "Ministers talk in Vienna"
    assert ev["date_start"] == dt.date(2022, 3, 8)


def test_reinsert_same_hash_is_noop(filled: Store) -> None:
    before = filled.stats()
    run = filled.start_run("again")
    assert filled.add_results([(make_article_a(), "hash-a")], run) == 0
    assert filled.has_article("hash-a")
    assert not filled.has_article("hash-zzz")
    assert filled.existing_hashes(["hash-a", "hash-zzz", "hash-b"]) == {"hash-a", "hash-b"}
    assert filled.existing_hashes([]) == set()
    after = filled.stats()
    assert {k: v for k, v in after.items() if k != "runs"} == {k: v for k, v in before.items() if k != "runs"}


def test_duplicate_hash_within_batch_inserted_once(store: Store) -> None:
    n = store.add_results([(make_article_b(), "h"), (make_article_b(), "h")], "r")
    assert n == 1
    assert store.stats()["events"] == 1


def test_empty_hash_rejected(store: Store) -> None:
    with pytest.raises(StoreError):
        store.add_results([(make_article_b(), "")], "r")


def test_events_newest_first(filled: Store) -> None:
    rows = filled.events(EventFilter())
    assert [r["cameo"] for r in rows] == ["036", "112", "138"]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (EventFilter(actor="ITA"), {"036", "112"}),
        (EventFilter(actor="itagov"), {"036"}),
        (EventFilter(actor="som"), {"138"}),
        (EventFilter(actor="kenya"), {"138"}),
        (EventFilter(actor="Brazilian counterpart"), {"036"}),
        (EventFilter(plover="accuse"), {"112"}),
        (EventFilter(cameo_root="13"), {"138"}),
        (EventFilter(cameo_root="3"), {"036"}),
        (EventFilter(date_from="2022-03-09"), {"112"}),
        (EventFilter(date_to="2022-01-01"), {"138"}),
        (EventFilter(date_from="2022-03-01", date_to="2022-03-08"), {"036", "112"}),
        (EventFilter(text="TRADE deal"), {"112"}),
        (EventFilter(actor="BRA", plover="CONSULT"), {"036"}),
        (EventFilter(actor="nobody"), set()),
    ],
)
def test_filters_narrow(filled: Store, flt: EventFilter, expected: set[str]) -> None:
    assert {r["cameo"] for r in filled.events(flt)} == expected


def test_limit_is_bounded(filled: Store) -> None:
    assert len(filled.events(EventFilter(limit=1))) == 1
    assert len(filled.events(EventFilter(limit=MAX_LIMIT * 10))) == 3
    with pytest.raises(StoreError):
        filled.events(EventFilter(limit=0))


def test_bad_filter_date(filled: Store) -> None:
    with pytest.raises(StoreError, match="date_from"):
        filled.events(EventFilter(date_from="last week"))


def test_filter_values_are_parameters(filled: Store) -> None:
    # SQL-looking input is matched literally, never executed.
    assert filled.events(EventFilter(actor="x') OR 1=1 --", text="'; DROP TABLE events; --")) == []
    assert filled.stats()["events"] == 3


def test_summary(filled: Store) -> None:
    s = filled.summary(n_events=2)
    assert s["articles"] == 2 and s["events"] == 3
    assert sorted(s["by_plover"]) == [("ACCUSE", 1), ("CONSULT", 1), ("THREATEN", 1)]
    assert ("ITAGOV", "BRAGOV", 1) in s["top_pairs"]
    assert ("KEN", "SOM", 1) in s["top_pairs"]
    assert len(s["examples"]) == 2
    # The most confident event comes first and carries its evidence sentence.
    assert s["examples"][0]["cameo"] == "036"
    assert s["examples"][0]["evidence"].startswith("The Italian foreign minister met")
    assert "pick" not in s["examples"][0]


def test_summary_empty(store: Store) -> None:
    assert store.summary() == {"articles": 0, "events": 0, "by_plover": [], "top_pairs": [], "examples": []}


def test_runs_and_input_errors(store: Store) -> None:
    run = store.start_run("newsevents run a.txt")
    store.add_input_error("broken.warc:3", "truncated record", run)
    store.finish_run(run, {"articles": 0, "failed": 1})
    row = store._query(
        "SELECT argv, finished_at IS NOT NULL, stats->>'failed' FROM runs WHERE run_id = ?", [run]
    )
    assert row == [("newsevents run a.txt", True, "1")]
    assert store.stats()["input_errors"] == 1 and store.stats()["errors"] == 1
    with pytest.raises(StoreError, match="unknown run"):
        store.finish_run("no-such-run", {})


def test_failing_batch_leaves_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Store._insert_rows

    def flaky(self: Store, table: str, rows: list[tuple[object, ...]]) -> None:
        if table == "quotes":
            raise duckdb.IOException("disk full (simulated)")
        real(self, table, rows)

    monkeypatch.setattr(Store, "_insert_rows", flaky)
    with pytest.raises(StoreError, match="disk full"):
        store.add_results([(make_article_b(), "hb"), (make_article_a(), "ha")], "r")
    monkeypatch.undo()
    assert all(v == 0 for v in store.stats().values())
    # The store is still usable afterwards.
    assert store.add_results([(make_article_b(), "hb")], "r") == 1


def test_non_database_error_also_rolls_back(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Store._insert_rows

    def interrupted(self: Store, table: str, rows: list[tuple[object, ...]]) -> None:
        if table == "events":
            raise KeyboardInterrupt
        real(self, table, rows)

    monkeypatch.setattr(Store, "_insert_rows", interrupted)
    with pytest.raises(KeyboardInterrupt):
        store.add_results([(make_article_b(), "hb")], "r")
    monkeypatch.undo()
    assert store.stats()["articles"] == 0


def test_file_store_persists_and_reopens_read_only(tmp_path: Path) -> None:
    db = tmp_path / "ne.duckdb"
    with Store.open(db) as st:
        st.add_results([(make_article_b(), "hb")], "r")
    with Store.open(db, read_only=True) as ro:
        assert ro.stats()["articles"] == 1
        with pytest.raises(StoreError, match="read-only"):
            ro.add_results([(make_article_a(), "ha")], "r")
    with Store.open(db) as again:  # migrations are not re-applied
        assert again._query("SELECT count(*) FROM schema_migrations")[0][0] == len(MIGRATIONS)


def test_garbage_file_is_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "garbage.db"
    bad.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(StoreError, match="not a DuckDB database"):
        Store.open(bad)


def test_foreign_duckdb_is_store_error(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE invoices (n INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="not a newsevents"):
        Store.open(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.duckdb"
    Store.open(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_migrations VALUES (999, 'from the future', now())")
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store.open(path)


def test_missing_paths(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "nope.duckdb", read_only=True)
    with pytest.raises(StoreError, match="directory"):
        Store.open(tmp_path / "no" / "dir.duckdb")
    with pytest.raises(StoreError, match="directory"):
        Store.open(tmp_path)


def test_second_writer_gets_locked_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    script = textwrap.dedent(
        f"""
        from newsevents.errors import StoreError
        from newsevents.store import Store
        try:
            Store.open({str(path)!r})
        except StoreError as exc:
            print(exc)
        """
    )
    with Store.open(path):
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert "locked" in out.stdout
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(
    ("value", "bounds"),
    [
        ("2022-02-07", (dt.date(2022, 2, 7), dt.date(2022, 2, 7))),
        ("2022-02-07T10:30", (dt.date(2022, 2, 7), dt.date(2022, 2, 7))),
        ("2022-02", (dt.date(2022, 2, 1), dt.date(2022, 2, 28))),
        ("2024-02", (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
        ("2022-12", (dt.date(2022, 12, 1), dt.date(2022, 12, 31))),
        ("2022-W06", (dt.date(2022, 2, 7), dt.date(2022, 2, 13))),
        ("2022-Q2", (dt.date(2022, 4, 1), dt.date(2022, 6, 30))),
        ("2022", (dt.date(2022, 1, 1), dt.date(2022, 12, 31))),
        ("P2W", (None, None)),
        ("PRESENT_REF", (None, None)),
        ("2022-13", (None, None)),
        (None, (None, None)),
    ],
)
def test_timex_bounds(value: str | None, bounds: tuple[dt.date | None, dt.date | None]) -> None:
    assert timex_bounds(value) == bounds


def test_iter_table(filled: Store) -> None:
    rows = list(filled.iter_table("event_list"))
    assert len(rows) == 3 and {"evidence", "article_id"} <= rows[0].keys()
    with pytest.raises(StoreError):
        list(filled.iter_table("articles; DROP TABLE x"))


def test_process_killed_mid_batch_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "killed.duckdb"
    with Store.open(path) as st:
        st.add_results([(make_article_b(), "first")], "r")
    article = tmp_path / "article.pickle"
    article.write_bytes(pickle.dumps(make_article_a()))
    script = textwrap.dedent(
        f"""
        import os, pickle
        from newsevents.store import Store

        real = Store._insert_rows

        def die(self, table, rows):
            if table == "event_actors":
                os._exit(3)  # no cleanup, no rollback: like kill -9
            real(self, table, rows)

        Store._insert_rows = die
        st = Store.open({str(path)!r})
        with open({str(article)!r}, "rb") as fh:
            st.add_results([(pickle.load(fh), "second")], "r")
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 3, out.stderr
    with Store.open(path) as st:
        assert not st.has_article("second")
        assert st.stats()["articles"] == 1
        assert st.stats()["events"] == 1


# ---------------------------------------------------------------------- wave 2: ingest state


def test_feed_state_round_trip(store: Store) -> None:
    assert store.get_feed_state("https://example.org/rss") is None
    store.save_feed_state("https://example.org/rss", '"abc"', "Tue, 01 Oct 2024 10:00:00 GMT", 200)
    state = store.get_feed_state("https://example.org/rss")
    assert state is not None
    assert state["etag"] == '"abc"' and state["last_status"] == "200"
    assert isinstance(state["last_polled"], dt.datetime)
    store.save_feed_state("https://example.org/rss", None, None, 304)
    again = store.get_feed_state("https://example.org/rss")
    assert again is not None and again["etag"] is None and again["last_status"] == "304"
    assert store._query("SELECT count(*) FROM feeds")[0][0] == 1


def test_seen_urls(store: Store) -> None:
    assert store.seen_urls([]) == set()
    assert store.mark_urls_seen([("u1", "h1"), ("u2", None), ("u1", "other")]) == 2
    assert store.mark_urls_seen([("u2", "h2"), ("u3", "h3")]) == 1
    assert store.seen_urls(["u1", "u3", "u9"]) == {"u1", "u3"}
    # The first record of a URL is kept.
    assert store._query("SELECT content_hash FROM seen_urls WHERE url = 'u1'") == [("h1",)]


def test_duplicate_of_and_story_clusters(store: Store) -> None:
    dup = dataclasses.replace(make_article_b(), id="art-b2", duplicate_of="art-b")
    store.add_results([(make_article_b(), "hb"), (dup, "hb2"), (make_article_a(), "ha")], "r")
    assert store._query("SELECT id, duplicate_of FROM articles ORDER BY article_pk") == [
        ("art-b", None), ("art-b2", "art-b"), ("art-a", None)]
    assert store.save_story_clusters([("c1", "hb"), ("c1", "hb2"), ("c2", "ha"), ("c9", "unknown")]) == 3
    assert store.save_story_clusters([("c1", "hb")]) == 0
    assert store.story_clusters() == {"c1": ["art-b", "art-b2"], "c2": ["art-a"]}


def test_casualties_stored(store: Store) -> None:
    base = make_article_b()
    ev = dataclasses.replace(base.events[0], dead=3, injured=12, arrested=None)
    store.add_results([(dataclasses.replace(base, events=(ev,)), "h")], "r")
    row = store.events(EventFilter())[0]
    assert (row["dead"], row["injured"], row["arrested"]) == (3, 12, None)
    assert store.event_groups()[0]["dead"] == 3


def test_old_database_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "v2.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMP NOT NULL)")
    for version, name, sql in MIGRATIONS[:2]:
        con.execute(sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [version, name])
    con.close()
    with Store.open(path) as st:
        assert st._query("SELECT max(version) FROM schema_migrations")[0][0] == MIGRATIONS[-1][0]
        assert st.add_results([(make_article_a(), "ha")], "r") == 1
        assert st.stats()["event_groups"] == 2


# ---------------------------------------------------------------------- wave 2: one event, many mentions


def _story(aid: str, published: str, sentence: str, cameo: str, source: tuple[str, str | None, str],
           target: tuple[str, str | None, str] | None, place: tuple[str, int, str] | None = None,
           date: str | None = None, source_site: str | None = None, confidence: float = 0.6,
           **flags: bool) -> ArticleResult:
    """A one-event article: ``source``/``target`` are (words in the sentence, code, country)."""
    text = f"{aid}\n\n{sentence}"
    span = _span(text, sentence)

    def actor(spec: tuple[str, str | None, str]) -> Actor:
        words, code, country = spec
        return Actor(words, *_span(text, words), name=words, code=code, country=country, kind="country")

    loc = None
    if place is not None:
        name, gid, country = place
        loc = Place(name, *_span(text, name), name=name, country=country, geonameid=gid,
                    feature="PCLI" if gid < 100 else "PPL")
    ev = Event(span=span, sentence=1, trigger=Trigger(sentence.split()[1], *_span(text, sentence.split()[1])),
               source=(actor(source),), target=(actor(target),) if target else (), cameo=cameo,
               goldstein=-10.0, quad_class=4, plover="ASSAULT", date=date, location=loc, confidence=confidence,
               **flags)
    return ArticleResult(id=aid, text=text, published=published, source=source_site or f"site-{aid}",
                         url=f"https://{source_site or aid}.example/{aid}", events=(ev,))


GUNMEN = ("Gunmen", "SOMREB", "SOM")
POLICE = ("police", "SOMCOP", "SOM")
CIVILIANS = ("villagers", "SOMCVL", "SOM")
BALCAD = ("Balcad", 53000, "SOM")
JOWHAR = ("Jowhar", 53001, "SOM")
SOMALIA = ("Somalia", 51, "SOM")


def _groups(store: Store) -> list[tuple[int, int, int, int]]:
    return sorted(
        (int(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in store._query(
            "SELECT group_id, num_mentions, num_articles, num_sources FROM event_groups")
    )


def test_one_attack_reported_by_three_sites_is_one_event(store: Store) -> None:
    arts = [
        _story("a1", "2024-05-06", "Gunmen attacked police in Balcad on Monday.", "190", GUNMEN, POLICE, BALCAD,
               "2024-05-06", "wire"),
        _story("a2", "2024-05-07", "Gunmen stormed a police post in Balcad yesterday.", "193", GUNMEN,
               ("police post", "SOMCOP", "SOM"), BALCAD, "2024-05-06", "daily"),
        # Same story, place only at country level, one day later, and the same site as a1.
        _story("a3", "2024-05-07", "Gunmen attacked police in Somalia, officials said.", "190", GUNMEN, POLICE,
               SOMALIA, None, "wire"),
        # Country-level actor code is compatible with the specific one.
        _story("a4", "2024-05-06", "Somalia rebels attacked police in Balcad.", "190", ("Somalia rebels", "SOM", "SOM"),
               POLICE, BALCAD, None, "radio"),
    ]
    store.add_results([(a, a.id) for a in arts], "r")
    groups = store.event_groups()
    assert len(groups) == 1
    g = groups[0]
    assert (g["num_mentions"], g["num_articles"], g["num_sources"]) == (4, 4, 3)
    assert g["cameo_root"] == "19" and g["location_name"] == "Balcad"
    assert g["date_start"] == dt.date(2024, 5, 6) and g["date_end"] == dt.date(2024, 5, 7)
    assert g["confidence"] == pytest.approx(1 - 0.4 ** 4)
    mentions = store.events(EventFilter(group_id=g["group_id"]))
    assert {m["article_id"] for m in mentions} == {"a1", "a2", "a3", "a4"}


def test_near_misses_stay_apart(store: Store) -> None:
    day = "2024-05-06"
    arts = [
        _story("b1", day, "Gunmen attacked police in Balcad.", "190", GUNMEN, POLICE, BALCAD, day),
        # Same town, same day, different target: another attack.
        _story("b2", day, "Gunmen attacked villagers in Balcad.", "190", GUNMEN, CIVILIANS, BALCAD, day),
        # Same actors, same day, another town.
        _story("b3", day, "Gunmen attacked police in Jowhar.", "190", GUNMEN, POLICE, JOWHAR, day),
        # Same actors and town, three days later.
        _story("b4", "2024-05-09", "Gunmen attacked police in Balcad.", "190", GUNMEN, POLICE, BALCAD, "2024-05-09"),
        # Same actors, town and day, but a threat (another CAMEO root).
        _story("b5", day, "Gunmen threatened police in Balcad.", "138", GUNMEN, POLICE, BALCAD, day),
        # No target at all: not the same as an event with one.
        _story("b6", day, "Gunmen attacked in Balcad.", "190", GUNMEN, None, BALCAD, day),
        # Reversed roles.
        _story("b7", day, "Police attacked gunmen in Balcad.", "190", ("Police", "SOMCOP", "SOM"),
               ("gunmen", "SOMREB", "SOM"), BALCAD, day),
    ]
    store.add_results([(a, a.id) for a in arts], "r")
    assert store.stats()["event_groups"] == 7
    assert all(n == 1 for _, n, _, _ in _groups(store))


def test_merge_across_batches_and_within_an_article(store: Store) -> None:
    first = _story("c1", "2024-05-06", "Gunmen attacked police in Balcad.", "190", GUNMEN, POLICE, BALCAD)
    text = "c2\n\nGunmen attacked police in Balcad. The gunmen also attacked police officers there."
    ev1 = first.events[0]
    s2 = _span(text, "The gunmen also attacked police officers there.")
    ev2 = dataclasses.replace(
        ev1, span=s2, sentence=2, trigger=Trigger("attacked", *_span(text, "attacked", s2[0])), location=None,
        source=(Actor("The gunmen", *_span(text, "The gunmen"), name="gunmen", code="SOMREB", country="SOM"),),
        target=(Actor("police officers", *_span(text, "police officers"), code="SOMCOP", country="SOM"),),
    )
    second = ArticleResult(id="c2", text=text, published="2024-05-06", source="other",
                           events=(dataclasses.replace(ev1, span=_span(text, "Gunmen attacked police in Balcad.")),
                                   ev2))
    store.add_results([(first, "c1")], "r1")
    store.add_results([(second, "c2")], "r2")
    assert _groups(store) == [(1, 3, 2, 2)]


def test_negated_and_hypothetical_mentions_join_no_group(store: Store) -> None:
    day = "2024-05-06"
    arts = [
        _story("d1", day, "Gunmen attacked police in Balcad.", "190", GUNMEN, POLICE, BALCAD, day),
        _story("d2", day, "Gunmen never attacked police in Balcad.", "190", GUNMEN, POLICE, BALCAD, day, negated=True),
        _story("d3", day, "Gunmen might attack police in Balcad.", "190", GUNMEN, POLICE, BALCAD, day,
               hypothetical=True),
    ]
    store.add_results([(a, a.id) for a in arts], "r")
    assert _groups(store) == [(1, 1, 1, 1)]
    assert store._query("SELECT count(*) FROM events WHERE group_id IS NULL")[0][0] == 2


def test_undated_mentions_merge_only_within_their_article(store: Store) -> None:
    a = _story("e1", "", "Gunmen attacked police in Balcad.", "190", GUNMEN, POLICE, BALCAD)
    b = _story("e2", "", "Gunmen attacked police in Balcad.", "190", GUNMEN, POLICE, BALCAD)
    a = dataclasses.replace(a, published=None, events=(a.events[0], a.events[0]))
    b = dataclasses.replace(b, published=None)
    store.add_results([(a, "e1"), (b, "e2")], "r")
    assert sorted(n for _, n, _, _ in _groups(store)) == [1, 2]


def test_new_filters_and_analytics(store: Store) -> None:
    day = "2024-05-06"
    arts = [
        _story("f1", day, "Gunmen attacked police in Balcad.", "190", GUNMEN, POLICE, BALCAD, day),
        _story("f2", day, "Gunmen attacked police in Balcad.", "190", GUNMEN, POLICE, BALCAD, day),
        _story("f3", "2024-05-07", "Russia attacked Ukraine in Kharkiv.", "190", ("Russia", "RUS", "RUS"),
               ("Ukraine", "UKR", "UKR"), ("Kharkiv", 706483, "UKR"), "2024-05-07"),
    ]
    store.add_results([(a, a.id) for a in arts], "r")
    assert {r["article_id"] for r in store.events(EventFilter(dyad="RUS,UKR"))} == {"f3"}
    assert store.events(EventFilter(dyad="UKR,RUS")) == []
    assert {r["article_id"] for r in store.events(EventFilter(country="som"))} == {"f1", "f2"}
    assert {r["article_id"] for r in store.events(EventFilter(place="kharkiv"))} == {"f3"}
    with pytest.raises(StoreError, match="dyad"):
        store.events(EventFilter(dyad="RUS"))
    assert len(store.event_groups(EventFilter(actor="SOM"))) == 1
    series = store.dyad_series("RUS", "UKR", "2024-05-01", "2024-05-31")
    assert series == [{"day": dt.date(2024, 5, 7), "events": 1, "goldstein": -10.0, "q1": 0, "q2": 0, "q3": 0,
                       "q4": 1, "mentions": 1}]
    top = store.top_actors("2024-05-01", "2024-05-31", limit=2)
    assert [(t["code"], t["events"], t["mentions"]) for t in top] == [("RUS", 1, 1), ("SOMCOP", 1, 2)]


# ---------------------------------------------------------------------- wave 2: kill -9 and resume

_KILL_ARTICLES = (
    "Talks in Nairobi\n\nKenya and Ethiopia signed a water agreement in Nairobi on Monday. "
    "The Ethiopian prime minister praised Kenya for its help.",
    "Protest in Lima\n\nThousands of teachers protested in Lima on Tuesday against the government. "
    "Police arrested twelve protesters near the ministry.",
    "Border clash\n\nIndian troops clashed with Chinese soldiers near the border on Wednesday. "
    "India accused China of provoking the fight.",
    "Aid pledge\n\nJapan promised emergency aid to the Philippines after the typhoon. "
    "The Philippine president thanked Japan.",
)

# The child runs the real ``newsevents run`` command, with two articles per transaction so that a
# kill can land between commits as well as inside one.
_RUN_CHILD = textwrap.dedent(
    """
    import functools, sys
    import newsevents.runner as runner
    runner.run = functools.partial(runner.run, batch_size=2)
    from newsevents.cli import main
    sys.exit(main(["run", sys.argv[1], "--db", sys.argv[2]]))
    """
)


# When the kills land: after interpreter start-up, while the model loads, parses or commits
# (a child takes about 3-10 s here, so some kills land during the run and some may miss it).
_KILL_AFTER_SECONDS = (1.0, 5.0)


def _snapshot(path: Path) -> tuple[dict[str, int], list[tuple[str, int, str]], list[frozenset[tuple[str, int]]]]:
    with Store.open(path, read_only=True) as st:
        counts = {k: v for k, v in st.stats().items() if k != "runs"}
        events = [(str(a), int(i), str(c)) for a, i, c in st._query(
            "SELECT article_id, event_index, cameo FROM event_list ORDER BY article_id, event_index")]
        members: dict[int, set[tuple[str, int]]] = {}
        for gid, aid, idx in st._query("SELECT group_id, article_id, event_index FROM event_list "
                                       "WHERE group_id IS NOT NULL"):
            members.setdefault(int(gid), set()).add((str(aid), int(idx)))
    return counts, events, sorted((frozenset(m) for m in members.values()), key=sorted)


def test_run_killed_with_sigkill_resumes_to_the_same_rows(tmp_path: Path) -> None:
    import random
    import signal
    import time

    src = tmp_path / "articles"
    src.mkdir()
    for i, body in enumerate(_KILL_ARTICLES):
        (src / f"{i:02d}.txt").write_text(body, encoding="utf-8")
    cmd = [sys.executable, "-c", _RUN_CHILD, str(src)]
    # The reference run goes in-process (same runner, same batch size) to keep the test short.
    from newsevents.runner import run

    with Store.open(tmp_path / "clean.duckdb") as clean:
        assert run([str(src)], clean, batch_size=2, argv="clean").failed == 0
    expected = _snapshot(tmp_path / "clean.duckdb")
    assert expected[0]["articles"] == len(_KILL_ARTICLES) and expected[0]["events"] > 0

    killed_db = tmp_path / "killed.duckdb"
    rng = random.Random(6)
    kills = 0
    for _ in range(2):
        child = subprocess.Popen([*cmd, str(killed_db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(*_KILL_AFTER_SECONDS))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.wait(timeout=60)
    final = subprocess.run([*cmd, str(killed_db)], capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stderr
    assert kills >= 1
    assert _snapshot(killed_db) == expected
