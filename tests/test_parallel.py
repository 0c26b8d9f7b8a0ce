"""Tests for newsevents.parallel: worker processes, input order, bounded look-ahead, crashes."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from newsevents import pipeline
from newsevents.errors import InputError
from newsevents.parallel import (
    IN_FLIGHT_PER_WORKER,
    add_parallel_options,
    cpu_count,
    parallel_options,
    process_articles,
    process_parallel,
)
from newsevents.pipeline import Options, process
from newsevents.records import Article, ArticleResult

if TYPE_CHECKING:
    from spacy.tokens import Doc

TEXTS = [
    "Bolivia and Paraguay signed a water agreement in Asuncion on Monday.",
    "Police in Lagos arrested 30 protesters on Tuesday.",
    "Morocco recalled its ambassador from Algeria.",
    "China condemned the visit of the American delegation to Taiwan.",
    "The European Union imposed new sanctions on Belarus.",
    "Kenya and Ethiopia agreed to reopen their border.",
    "",  # no text: an error record, still in its place
]

OPTS = Options(published="2024-05-13")


def _articles(texts: list[str] = TEXTS) -> list[Article]:
    return [Article(id=f"a{i}", text=t) for i, t in enumerate(texts)]


def _dicts(results: list[ArticleResult]) -> list[dict]:  # type: ignore[type-arg]
    return [r.to_dict() for r in results]


@pytest.fixture(scope="module")
def expected() -> list[dict]:  # type: ignore[type-arg]
    return _dicts([process(a, OPTS) for a in _articles()])


@pytest.mark.parametrize("chunk_size", [1, 3])
def test_two_workers_give_the_same_records_in_input_order(expected: list[dict], chunk_size: int) -> None:  # type: ignore[type-arg]
    got = _dicts(list(process_parallel(_articles(), OPTS, workers=2, chunk_size=chunk_size)))
    assert [r["id"] for r in got] == [f"a{i}" for i in range(len(TEXTS))]
    assert got == expected
    assert got[-1]["errors"][0]["code"] == "E103"
    assert any(r["events"] for r in got)


def test_one_worker_runs_in_process(expected: list[dict]) -> None:  # type: ignore[type-arg]
    assert _dicts(list(process_parallel(_articles(), OPTS, workers=1))) == expected


def test_input_is_read_lazily_with_a_bounded_look_ahead() -> None:
    pulled = {"n": 0}

    def endless() -> Iterator[Article]:
        i = 0
        while True:
            pulled["n"] += 1
            yield Article(id=f"x{i}", text=TEXTS[i % 6])
            i += 1

    workers, chunk = 2, 2
    stream = process_parallel(endless(), OPTS, workers=workers, chunk_size=chunk)
    first = [next(stream) for _ in range(5)]
    stream.close()  # shuts the pool down
    assert [r.id for r in first] == [f"x{i}" for i in range(5)]
    # what was read beyond what was yielded is at most the in-flight window (+ one chunk being cut)
    assert pulled["n"] <= 5 + (workers * IN_FLIGHT_PER_WORKER + 1) * chunk


_analyse = pipeline.analyse  # the real one, taken before any patch


def _killing_analyse(doc: Doc, *args: Any, **kwargs: Any) -> ArticleResult:
    if "KILL" in doc.text:
        os._exit(3)  # the worker dies as in a segfault: no exception, no cleanup
    return _analyse(doc, *args, **kwargs)


def test_a_worker_that_dies_costs_only_its_article(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "analyse", _killing_analyse)  # inherited by the forked workers
    texts = TEXTS[:3] + ["KILL this worker."] + TEXTS[3:6]
    results = list(process_parallel(_articles(texts), OPTS, workers=2, chunk_size=2, start_method="fork"))
    assert [r.id for r in results] == [f"a{i}" for i in range(len(texts))]
    dead = results[3]
    assert dead.text == "" and [(e.stage, e.code) for e in dead.errors] == [("worker", "E900")]
    for r in results[:3] + results[4:]:
        assert r.text and not r.errors, r.errors


def test_an_escaping_exception_costs_only_its_article(monkeypatch: pytest.MonkeyPatch) -> None:
    def flaky(doc: Doc, *args: Any, **kwargs: Any) -> ArticleResult:
        if "BOOM" in doc.text:
            raise RuntimeError("boom")
        return _analyse(doc, *args, **kwargs)

    monkeypatch.setattr(pipeline, "analyse", flaky)
    texts = [TEXTS[0], "BOOM goes the parser.", TEXTS[1]]
    for workers in (1, 2):
        results = list(process_parallel(_articles(texts), OPTS, workers=workers, chunk_size=3))
        assert [r.id for r in results] == ["a0", "a1", "a2"]
        assert results[1].errors[0].stage == "pipeline" and "boom" in results[1].errors[0].message
        assert results[0].text and results[2].text


def test_bad_settings_are_input_errors() -> None:
    with pytest.raises(InputError):
        list(process_parallel(_articles(), OPTS, workers=2, chunk_size=0))
    with pytest.raises(InputError):
        list(process_parallel(_articles(), OPTS, workers=2, start_method="teleport"))


def test_cli_options() -> None:
    parser = argparse.ArgumentParser()
    add_parallel_options(parser)
    args = parser.parse_args(["--workers", "2", "--chunk-size", "3"])
    par = parallel_options(args)
    assert (par.workers, par.chunk_size) == (2, 3)
    assert args.engine == "local" and args.ray_address is None
    assert parallel_options(parser.parse_args(["--workers", "0"])).workers == cpu_count()
    with pytest.raises(InputError):
        parallel_options(parser.parse_args(["--workers", "-1"]))
    with pytest.raises(InputError):
        parallel_options(parser.parse_args(["--chunk-size", "0"]))
    with pytest.raises(SystemExit):
        parser.parse_args(["--engine", "spark"])
    got = [r.id for r in process_articles(_articles()[:3], OPTS, parser.parse_args(["--workers", "2"]))]
    assert got == ["a0", "a1", "a2"]
