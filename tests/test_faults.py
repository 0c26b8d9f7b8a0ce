"""Faults during writing and serving: kill -9, a full disk, a locked file, a damaged file (issue #9).

What must hold: no lost and no duplicated rows -- after the fault and a plain re-run the
database equals one written without the fault --, nothing partial of a failed batch, a clear
one-line message instead of a traceback, and the recovery ``docs/RELIABILITY.md`` documents.

``tests/test_store.py`` already kills a real ``newsevents run`` with SIGKILL at two random times;
here the children skip the spaCy model (the results are computed once, here, and pickled) so
that many exact kill points are cheap: every database statement of a run is a candidate.
"""

from __future__ import annotations

import os
import pickle
import random
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from newsevents import cli
from newsevents.ingest import content_hash, iter_articles
from newsevents.pipeline import process
from newsevents.records import ArticleResult
from newsevents.store import Store

ARTICLES = (
    "Talks in Nairobi\n\nKenya and Ethiopia signed a water agreement in Nairobi on Monday. "
    "The Ethiopian prime minister praised Kenya for its help.",
    "Protest in Lima\n\nThousands of teachers protested in Lima on Tuesday against the government. "
    "Police arrested twelve protesters near the ministry.",
    "Border clash\n\nIndian troops clashed with Chinese soldiers near the border on Wednesday. "
    "India accused China of provoking the fight.",
    "Aid pledge\n\nJapan promised emergency aid to the Philippines after the typhoon. "
    "The Philippine president thanked Japan.",
    "Sanctions\n\nThe European Union imposed new sanctions on Russia on Friday. "
    "Moscow condemned the decision and threatened to respond.",
)

#: Articles per transaction in these tests: small, so that faults land between commits as well as inside one.
BATCH = 2

#: How many exact kill points the kill loop tries (each a child process of about a second).
KILL_POINTS = 8


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    for i, body in enumerate(ARTICLES):
        (folder / f"{i:02d}.txt").write_text(body, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def results(inputs: Path) -> list[tuple[ArticleResult, str]]:
    """(result, content hash) of every input, as ``run`` stores them."""
    return [(process(a), content_hash(a)) for a in iter_articles([str(inputs)])]


def _batches(items: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(items), BATCH):
        yield items[i:i + BATCH]


def _fill(path: Path, items: list[tuple[ArticleResult, str]]) -> None:
    with Store.open(path) as st:
        for batch in _batches(items):
            st.add_results(batch, "test")


def snapshot(path: Path) -> tuple[dict[str, int], list[tuple[Any, ...]], list[frozenset[tuple[str, int]]]]:
    """Row counts (without runs), every event mention, and the membership of every event group."""
    with Store.open(path, read_only=True) as st:
        counts = {k: v for k, v in st.stats().items() if k != "runs"}
        events = st._query("SELECT article_id, event_index, cameo, evidence FROM event_list "
                           "ORDER BY article_id, event_index")
        groups: dict[int, set[tuple[str, int]]] = {}
        for gid, aid, idx in st._query("SELECT group_id, article_id, event_index FROM event_list "
                                       "WHERE group_id IS NOT NULL"):
            groups.setdefault(int(gid), set()).add((str(aid), int(idx)))
    return counts, events, sorted((frozenset(g) for g in groups.values()), key=sorted)


def orphans(path: Path) -> int:
    """Rows of child tables whose article is not stored (what a half-written batch would leave)."""
    tables = ("events", "event_actors", "places", "quotes", "dates", "amounts", "themes", "entities", "repairs",
              "article_errors")
    with Store.open(path, read_only=True) as st:
        return sum(int(st._query(f"SELECT count(*) FROM {t} WHERE article_pk NOT IN "
                                 "(SELECT article_pk FROM articles)")[0][0]) for t in tables)


def stored_ids(path: Path) -> list[str]:
    with Store.open(path, read_only=True) as st:
        return sorted(str(r[0]) for r in st._query("SELECT id FROM articles"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, results: list[tuple[ArticleResult, str]]) -> Path:
    path = tmp_path_factory.mktemp("ref") / "reference.duckdb"
    _fill(path, results)
    return path


# ---------------------------------------------------------------------------- kill -9 at exact points

_KILL_CHILD = textwrap.dedent(
    """
    import os, pickle, signal, sys
    from newsevents.store import Store

    path, items_file, kill_at, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(items_file, "rb") as fh:
        items = pickle.load(fh)
    calls = 0

    class Dying:
        '''The connection, killed with SIGKILL when it is about to run statement number kill_at.'''
        def __init__(self, con):
            self.con = con
        def execute(self, *args, **kwargs):
            global calls
            calls += 1
            if calls == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return self.con.execute(*args, **kwargs)
        def __getattr__(self, name):
            return getattr(self.con, name)

    st = Store.open(path)
    st._con = Dying(st._con)
    for i in range(0, len(items), batch):
        st.add_results(items[i:i + batch], "child")
    st.close()
    print(calls)
    """
)


def _child(db: Path, items_file: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _KILL_CHILD, str(db), str(items_file), str(kill_at), str(BATCH)],
                          capture_output=True, text=True, timeout=120)


def test_kill_9_at_many_points_then_resume_gives_the_same_rows(
        tmp_path: Path, results: list[tuple[ArticleResult, str]], reference: Path) -> None:
    items_file = tmp_path / "items.pickle"
    items_file.write_bytes(pickle.dumps(results))
    Store.open(tmp_path / "empty.duckdb").close()
    shutil.copyfile(tmp_path / "empty.duckdb", tmp_path / "dry.duckdb")
    dry = _child(tmp_path / "dry.duckdb", items_file, 0)  # counts the statements of a whole run
    assert dry.returncode == 0, dry.stderr
    statements = int(dry.stdout)
    assert statements > 3 * len(results)
    expected = snapshot(reference)
    batch_ids = [sorted(r.id for r, _ in batch) for batch in _batches(results)]
    prefixes = [sorted(sum(batch_ids[:n], [])) for n in range(len(batch_ids) + 1)]
    rng = random.Random(9)
    for kill_at in sorted(rng.sample(range(1, statements + 1), KILL_POINTS)):
        db = tmp_path / f"killed-{kill_at}.duckdb"
        shutil.copyfile(tmp_path / "empty.duckdb", db)
        child = _child(db, items_file, kill_at)
        assert child.returncode == -9, (kill_at, child.stderr)
        assert stored_ids(db) in prefixes, f"kill at statement {kill_at}: a batch was half written"
        assert orphans(db) == 0
        _fill(db, results)  # the re-run: stored articles are skipped, the rest is written
        assert snapshot(db) == expected, f"kill at statement {kill_at}"


# ---------------------------------------------------------------------------- full disk

def test_write_error_mid_run_leaves_whole_batches_and_the_next_run_completes(
        tmp_path: Path, inputs: Path, reference: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import functools

    import newsevents.runner as runner

    monkeypatch.setattr(runner, "run", functools.partial(runner.run, batch_size=BATCH))
    real = Store._insert_rows
    calls = {"n": 0}

    def full_disk(self: Store, table: str, rows: list[tuple[Any, ...]]) -> None:
        if table == "articles":
            calls["n"] += 1
            if calls["n"] == 2:  # inside the second batch, after its first statements
                raise duckdb.IOException('Could not write file "x.duckdb.wal": No space left on device')
        real(self, table, rows)

    db = tmp_path / "full.duckdb"
    monkeypatch.setattr(Store, "_insert_rows", full_disk)
    assert cli.main(["run", str(inputs), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "[E401]" in err and "No space left on device" in err and "Traceback" not in err
    assert len(stored_ids(db)) == BATCH and orphans(db) == 0  # the first batch, nothing of the second
    monkeypatch.setattr(Store, "_insert_rows", real)
    assert cli.main(["run", str(inputs), "--db", str(db)]) == 0
    assert snapshot(db) == snapshot(reference)


_LIMITED_CHILD = textwrap.dedent(
    """
    import pickle, sys
    from newsevents.errors import StoreError
    from newsevents.store import Store

    path, items_file, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(items_file, "rb") as fh:
        items = pickle.load(fh)
    st = Store.open(path)
    done = 0
    try:
        for i in range(0, len(items), batch):
            st.add_results(items[i:i + batch], "child")
            done += 1
    except StoreError as exc:
        print(done, exc, sep="\\n")
        sys.exit(3)
    """
)

#: Largest file the child may write (RLIMIT_FSIZE), in bytes: above a new database's 12 KiB file and
#: its ~17 KB write-ahead log of the schema, below that log with all the test articles, so that the
#: disk "fills up" part-way through the run (measured: the log grows ~10 KB per batch here).
FILE_SIZE_LIMIT = 40_000


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX resource limits")
def test_a_real_write_failure_rolls_back_the_batch(tmp_path: Path, results: list[tuple[ArticleResult, str]],
                                                   reference: Path) -> None:
    """The operating system refuses a write (EFBIG, as a full disk refuses with ENOSPC)."""
    import resource
    import signal

    items_file = tmp_path / "items.pickle"
    items_file.write_bytes(pickle.dumps(results))
    db = tmp_path / "limited.duckdb"  # created by the child: its schema is in the log, the main file stays small

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))

    child = subprocess.run([sys.executable, "-c", _LIMITED_CHILD, str(db), str(items_file), str(BATCH)],
                           capture_output=True, text=True, timeout=120, preexec_fn=limit)
    assert child.returncode == 3, child.stderr
    done, message = child.stdout.split("\n", 1)
    assert "[E401]" in message and "File too large" in message
    assert int(done) < len(results) / BATCH, "the limit should stop the run before its end"
    assert len(stored_ids(db)) == int(done) * BATCH and orphans(db) == 0
    _fill(db, results)
    assert snapshot(db) == snapshot(reference)


def test_language_id_loads_without_a_temporary_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """py3langid unpacks its model through /tmp; with /tmp full every article failed with OSError."""
    import errno
    import tempfile

    from newsevents import langid

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    langid._identifier.cache_clear()
    try:
        assert langid.detect_language("Der Bundeskanzler traf am Montag den französischen Präsidenten in Berlin "
                                      "zu langen Gesprächen über die Krise.")[0] == "de"
    finally:
        langid._identifier.cache_clear()


def test_an_environment_failure_in_a_stage_is_not_stored_as_done(
        tmp_path: Path, inputs: Path, reference: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import newsevents.pipeline as pipeline
    from newsevents.runner import run

    def no_space(*args: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    db = tmp_path / "env.duckdb"
    with monkeypatch.context() as m:
        m.setattr(pipeline, "find_places", no_space)
        with Store.open(db) as st:
            try:
                run([str(inputs)], st, batch_size=BATCH)
            except OSError:
                pass  # stopping the run is fine; storing the degraded articles is not
    with Store.open(db) as st:
        run([str(inputs)], st, batch_size=BATCH)
    assert snapshot(db)[:2] == snapshot(reference)[:2]


# ---------------------------------------------------------------------------- locked by another writer

def test_a_database_locked_by_another_writer(tmp_path: Path, inputs: Path, reference: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "locked.duckdb"
    Store.open(db).close()
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom newsevents.store import Store\n"
                               f"st = Store.open({str(db)!r})\nprint('held', flush=True)\ntime.sleep(120)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        for argv in (["run", str(inputs), "--db", str(db)], ["stats", "--db", str(db)]):
            assert cli.main(argv) == 2
            err = capsys.readouterr().err
            assert "locked by another process" in err and "Traceback" not in err
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert cli.main(["run", str(inputs), "--db", str(db)]) == 0  # the lock died with its holder
    assert snapshot(db) == snapshot(reference)


# ---------------------------------------------------------------------------- damaged files

def _damage(path: Path, how: str) -> None:
    size = path.stat().st_size
    if how == "header":
        with path.open("r+b") as fh:
            fh.write(b"\xff" * 4096)
    elif how == "truncated":
        os.truncate(path, size // 2)
    elif how == "blocks":  # every block after the file header overwritten
        with path.open("r+b") as fh:
            fh.seek(3 * 4096)
            fh.write(random.Random(4).randbytes(size - 3 * 4096))


@pytest.mark.parametrize(("how", "words"), [("header", "not a DuckDB database file"), ("truncated", "is damaged"),
                                            ("blocks", "is damaged")])
def test_a_damaged_database_gives_a_clear_message_and_rebuilds(
        tmp_path: Path, inputs: Path, reference: Path, how: str, words: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "damaged.duckdb"
    shutil.copyfile(reference, db)
    _damage(db, how)
    for argv in (["stats", "--db", str(db)], ["run", str(inputs), "--db", str(db)]):
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err
    if how != "header":
        assert "RELIABILITY.md" in err  # the message points at the recovery
    rebuilt = tmp_path / "rebuilt.duckdb"  # the documented recovery: the same inputs into a new file
    assert cli.main(["run", str(inputs), "--db", str(rebuilt)]) == 0
    assert snapshot(rebuilt)[:2] == snapshot(reference)[:2]


def test_a_garbage_write_ahead_log_is_ignored(tmp_path: Path, reference: Path) -> None:
    db = tmp_path / "wal.duckdb"
    shutil.copyfile(reference, db)
    Path(str(db) + ".wal").write_bytes(random.Random(5).randbytes(10_000))
    assert snapshot(db) == snapshot(reference)


# ---------------------------------------------------------------------------- the server during a swap

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_server_keeps_answering_while_the_file_is_swapped(tmp_path: Path,
                                                          results: list[tuple[ArticleResult, str]]) -> None:
    """A run cannot write the file the server reads (DuckDB's lock); it writes a copy that replaces it."""
    import uvicorn

    from newsevents.server.app import create_app

    live, nxt = tmp_path / "live.duckdb", tmp_path / "next.duckdb"
    _fill(live, results[:2])
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(live), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    seen: list[int] = []
    failures: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        with httpx.Client(base_url=base, timeout=30) as http:
            while not stop.is_set():
                for path in ("/api/stats", "/api/events?page_size=5", "/"):
                    try:
                        r = http.get(path)
                    except httpx.HTTPError as exc:
                        failures.append(f"{path}: {exc!r}")
                        continue
                    if r.status_code != 200:
                        failures.append(f"{path}: {r.status_code} {r.text[:200]}")
                    elif path == "/api/stats":
                        seen.append(r.json()["counts"]["articles"])
    try:
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started
        readers = [threading.Thread(target=reader) for _ in range(4)]
        for t in readers:
            t.start()
        time.sleep(0.5)
        shutil.copyfile(live, nxt)  # the snapshot swap: write a copy while the server reads the file...
        _fill(nxt, results)
        os.replace(nxt, live)  # ...then replace the file in one step
        time.sleep(0.5)
        stop.set()
        for t in readers:
            t.join(timeout=30)
    finally:
        stop.set()
        server.should_exit = True
        thread.join(timeout=30)
    assert failures == []
    assert seen[0] == 2 and seen[-1] == len(results)
    assert set(seen) == {2, len(results)}
