"""Tests for newsevents.rayrun: records round trip, Parquet in and out, the Ray engine on local Ray.

The Parquet and record tests need no Ray.  The engine tests start a local Ray instance
(``num_cpus=2``) once for the module and skip cleanly when Ray is not installed or cannot start.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsevents.errors import StoreError
from newsevents.ingest import content_hash, iter_articles
from newsevents.pipeline import Options, process
from newsevents.rayrun import load_parquet, ray_to_parquet, result_from_record, write_parquet
from newsevents.runner import run
from newsevents.store import Store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

OPTS = Options(published="2024-05-13")

TEXTS = [
    "Bolivia and Paraguay signed a water agreement in Asuncion on Monday.",
    "Police in Lagos arrested 30 protesters on Tuesday.",
    "Morocco recalled its ambassador from Algeria.",
    "China condemned the visit of the American delegation to Taiwan.",
]


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for i, t in enumerate(TEXTS):
        (d / f"a{i}.txt").write_text(t, encoding="utf-8")
    (d / "junk.txt").write_bytes(b"\x00\x01binary")
    return d


def test_records_round_trip_on_the_examples() -> None:
    articles = list(iter_articles([str(EXAMPLES / "txt")]))[:3]
    assert articles
    for article in articles:
        result = process(article, OPTS)
        back = result_from_record(result.to_dict())
        assert back == result
        assert back.to_dict() == result.to_dict()


def _items(folder: Path) -> Iterator[tuple[Any, str]]:
    for article in iter_articles([str(folder)]):
        yield process(article, OPTS), content_hash(article)


def test_parquet_written_locally_loads_like_a_run(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "pq"
    summary = write_parquet(_items(folder), out, rows_per_file=2)
    assert (summary.articles, summary.files, summary.errors) == (5, 3, 1)
    assert sorted(p.name for p in out.iterdir()) == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    loaded, reference = Store.open(":memory:"), Store.open(":memory:")
    first = load_parquet(loaded, out, batch_size=2)
    run([str(folder)], reference, OPTS)
    assert (first.rows, first.inserted, first.failed, first.skipped) == (5, 4, 1, 0)
    for key in ("articles", "events", "places", "quotes", "dates", "amounts"):
        assert loaded.stats()[key] == reference.stats()[key], key
    again = load_parquet(loaded, out)
    assert (again.inserted, again.skipped) == (0, 4)
    assert loaded.stats()["articles"] == 4


def test_parquet_errors(tmp_path: Path, folder: Path) -> None:
    with pytest.raises(StoreError):
        load_parquet(Store.open(":memory:"), tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(StoreError):
        load_parquet(Store.open(":memory:"), tmp_path / "empty")
    out = tmp_path / "pq"
    write_parquet(_items(folder), out)
    with pytest.raises(StoreError):  # never mixes two runs' part files
        write_parquet(_items(folder), out)


# ---------------------------------------------------------------------------- on Ray


@pytest.fixture(scope="module")
def local_ray() -> Iterator[Any]:
    ray = pytest.importorskip("ray")
    try:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"Ray cannot start here: {exc}")
    try:
        yield ray
    finally:
        ray.shutdown()


def test_ray_writes_the_local_records_in_order_and_they_load(local_ray: Any, folder: Path, tmp_path: Path) -> None:
    import duckdb

    articles = list(iter_articles([str(folder)]))
    expected = [process(a, OPTS).to_dict() for a in articles]
    summary = ray_to_parquet([str(folder)], tmp_path / "pq", OPTS, actors=2, chunk_size=1)
    assert (summary.articles, summary.errors) == (5, 1)
    rows = duckdb.sql(f"SELECT seq, id, content_hash, record FROM read_parquet('{tmp_path / 'pq'}/*.parquet') "
                      "ORDER BY seq").fetchall()
    assert [r[0] for r in rows] == list(range(5))
    assert [r[2] for r in rows] == [content_hash(a) for a in articles]
    got = [json.loads(r[3]) for r in rows]
    for g, e in zip(got, expected, strict=True):
        assert {k: (g[k], e[k]) for k in e if g[k] != e[k]} == {}
    assert local_ray.is_initialized()  # a Ray the caller started is left running
    store, reference = Store.open(":memory:"), Store.open(":memory:")
    loaded = load_parquet(store, tmp_path / "pq")
    run([str(folder)], reference, OPTS)
    assert (loaded.inserted, loaded.failed) == (4, 1)
    for key in ("articles", "events", "places", "quotes"):
        assert store.stats()[key] == reference.stats()[key], key


def test_run_with_the_ray_engine(local_ray: Any, folder: Path) -> None:
    store, reference = Store.open(":memory:"), Store.open(":memory:")
    summary = run([str(folder)], store, OPTS, engine="ray", workers=2)
    run([str(folder)], reference, OPTS)
    assert (summary.seen, summary.inserted, summary.failed) == (5, 4, 1)
    assert store.stats()["events"] == reference.stats()["events"]
