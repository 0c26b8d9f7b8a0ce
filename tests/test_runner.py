"""Tests for newsevents.runner: idempotent, resumable runs into the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsevents.errors import StoreError
from newsevents.runner import run
from newsevents.store import Store

ARTICLES = [
    "Bolivia and Paraguay signed a water agreement in Asuncion.",
    "Police in Lagos arrested 30 protesters on Tuesday.",
    "Morocco recalled its ambassador from Algeria.",
]


@pytest.fixture()
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(ARTICLES):
        (folder / f"a{i}.txt").write_text(text, encoding="utf-8")
    (folder / "junk.txt").write_bytes(b"\x00\x01binary")
    return folder


def test_run_twice_adds_nothing_the_second_time(inputs: Path) -> None:
    store = Store.open(":memory:")
    first = run([str(inputs)], store, batch_size=2)
    stats1 = store.stats()
    second = run([str(inputs)], store, batch_size=2)
    stats2 = store.stats()
    assert (first.seen, first.inserted, first.failed) == (4, 3, 1)
    assert (second.inserted, second.skipped) == (0, 3)
    for key in ("articles", "events", "places", "quotes", "errors"):
        assert stats1[key] == stats2[key], key
    assert stats1["articles"] == 3 and stats1["events"] >= 3


def test_interrupted_run_resumes_without_loss_or_duplicates(inputs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reference = Store.open(":memory:")
    run([str(inputs)], reference, batch_size=1)
    store = Store.open(":memory:")
    real_add = store.add_results
    calls = {"n": 0}

    def failing_add(items, run_id):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise StoreError("disk full (simulated)")
        return real_add(items, run_id)

    monkeypatch.setattr(store, "add_results", failing_add)
    with pytest.raises(StoreError):
        run([str(inputs)], store, batch_size=1)
    monkeypatch.setattr(store, "add_results", real_add)
    assert store.stats()["articles"] == 1  # the first batch landed, the second did not
    run([str(inputs)], store, batch_size=1)
    for key in ("articles", "events", "places", "quotes", "dates"):
        assert store.stats()[key] == reference.stats()[key], key


def test_duplicate_content_in_one_run_is_stored_once(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text(ARTICLES[0], encoding="utf-8")
    (tmp_path / "y.txt").write_text(ARTICLES[0], encoding="utf-8")
    store = Store.open(":memory:")
    summary = run([str(tmp_path)], store)
    assert summary.inserted == 1 and summary.skipped == 1


def test_two_workers_store_the_same_as_one(inputs: Path) -> None:
    (inputs / "dup.txt").write_text(ARTICLES[1], encoding="utf-8")  # same content as a1: stored once
    serial, parallel = Store.open(":memory:"), Store.open(":memory:")
    one = run([str(inputs)], serial, batch_size=2)
    two = run([str(inputs)], parallel, batch_size=2, workers=2, chunk_size=1)
    assert (two.seen, two.inserted, two.skipped, two.failed) == (one.seen, one.inserted, one.skipped, one.failed)
    assert (two.seen, two.inserted, two.skipped, two.failed) == (5, 3, 1, 1)
    assert serial.stats() == parallel.stats()
    again = run([str(inputs)], parallel, workers=2)
    assert (again.inserted, again.skipped) == (0, 4)


def test_unknown_engine_is_an_input_error(inputs: Path) -> None:
    from newsevents.errors import InputError

    with pytest.raises(InputError):
        run([str(inputs)], Store.open(":memory:"), engine="spark")
