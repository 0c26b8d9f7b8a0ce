"""``newsevents eval``: score the engine on annotated gold data.

Tasks:

- ``plover``: PLOVER's gold-standard records (JSON Lines with ``text``, ``event``, ``source`` and
  ``target`` actor codes).  Each sentence is analysed alone, published 2000-01-01, and scored as
  the project's evaluation README describes: type recall (some non-negated event has the gold
  type), top-1 accuracy (the most confident event has it), strict accuracy (an event of the gold
  type whose sources include a gold source and whose targets include a gold target when the gold
  has one), source and target recall, no-event rate and extra events per sentence, with per-type
  recall.  Older PLOVER type names are mapped to the 2021 ones (DEMAND -> REQUEST, DISAPPROVE and
  INVESTIGATE -> ACCUSE, FIGHT -> ASSAULT) and old country codes to ISO (JAP -> JPN, ITL -> ITA).

Figures are returned as a flat ``{name: value}`` dict, the names matching the reference scorer's
so the two can be compared line by line.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsevents.errors import EvalError
from newsevents.pipeline import Options, process
from newsevents.records import Actor, Article, Event

OLD_PLOVER_TYPES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
OLD_COUNTRY_CODES = {"JAP": "JPN", "ITL": "ITA"}
GROUP_CODES = ("IGO", "NGO", "IMG")
PLOVER_PUBLISHED = "2000-01-01"


def gold_codes(value: Any) -> list[str]:
    """The three-letter gold actor codes of a source/target field (a string, a dict or a list)."""
    if not value:
        return []
    items = [value] if isinstance(value, (str, dict)) else list(value)
    out = []
    for item in items:
        code = item.get("code") if isinstance(item, dict) else item
        if isinstance(code, str) and re.fullmatch(r"[A-Z]{3}", code):
            out.append(OLD_COUNTRY_CODES.get(code, code))
    return out


def actor_matches(gold: str, actor: Actor) -> bool:
    code = (actor.code or "").upper()
    if gold in GROUP_CODES:
        return code.startswith(gold) or actor.kind.upper() == gold
    return (actor.country or "").upper() == gold or code.startswith(gold)


def any_match(gold: list[str], actors: Iterable[Actor]) -> bool:
    acts = list(actors)
    return not gold or any(actor_matches(g, a) for g in gold for a in acts)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise EvalError(f"gold file not found: {path}")
    try:
        return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    except json.JSONDecodeError as exc:
        raise EvalError(f"{path}: not JSON Lines: {exc}") from exc


def score_plover(path: Path, limit: int | None = None, progress: bool = False,
                 options: Options | None = None) -> dict[str, Any]:
    records = _read_jsonl(path)[:limit]
    if not records:
        raise EvalError(f"{path}: no records")
    opts = options or Options(published=PLOVER_PUBLISHED)
    n = len(records)
    hit = top1 = strict = none = extra = 0
    src_n = src_tp = tgt_n = tgt_tp = 0
    per_type: Counter[str] = Counter()
    per_hit: Counter[str] = Counter()
    for i, rec in enumerate(records):
        gold = OLD_PLOVER_TYPES.get(rec["event"], rec["event"])
        result = process(Article(id=str(rec.get("id", i)), text=rec["text"], published=PLOVER_PUBLISHED), opts)
        events: list[Event] = [e for e in result.events if not e.negated]
        per_type[gold] += 1
        if progress and (i + 1) % 50 == 0:
            print(f"  {i + 1}/{n}", file=sys.stderr)
        if not events:
            none += 1
            continue
        same = [e for e in events if e.plover == gold]
        extra += len(events) - len(same)
        hit += bool(same)
        per_hit[gold] += bool(same)
        top1 += max(events, key=lambda e: e.confidence).plover == gold
        gs, gt = gold_codes(rec.get("source")), gold_codes(rec.get("target"))
        strict += any(any_match(gs, e.source) and any_match(gt, e.target) for e in same)
        for g in gs:
            src_n += 1
            src_tp += any(actor_matches(g, a) for e in same for a in e.source)
        for g in gt:
            tgt_n += 1
            tgt_tp += any(actor_matches(g, a) for e in same for a in e.target)
    figures: dict[str, Any] = {
        "plover.sentences": n,
        "plover.type_recall": hit / n,
        "plover.top1_accuracy": top1 / n,
        "plover.strict_accuracy": strict / n,
        "plover.source_recall": src_tp / max(1, src_n),
        "plover.target_recall": tgt_tp / max(1, tgt_n),
        "plover.no_event_rate": none / n,
        "plover.extra_events_per_sentence": extra / n,
    }
    for t, c in per_type.most_common():
        figures[f"plover.recall.{t}"] = per_hit[t] / c
    return figures


TASKS = {"plover": score_plover}


def evaluate(task: str, gold: str, limit: int | None = None, progress: bool = False) -> dict[str, Any]:
    """Score ``task`` on the gold file or folder ``gold``."""
    if task not in TASKS:
        raise EvalError(f"unknown task {task!r}; known: {', '.join(TASKS)}")
    return TASKS[task](Path(gold), limit=limit, progress=progress)
