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

- ``india`` (IndiaPoliceEvents sentences), ``glue`` (glued-text repair), ``html`` (article-body
  extraction), ``geo`` (GeoWebNews toponyms), ``quotes`` (PolNeAR direct quotations) and
  ``dates`` (TimeML TIMEX3): each is run through ``process`` exactly as ``newsevents extract -``
  would run the same input records, then scored as the gold sets' README describes; the gold
  offsets are mapped onto the cleaned text by a character alignment.  Definitions and figures are
  in docs/EVALUATION.md.

Figures are returned as a flat ``{name: value}`` dict, the names matching the reference scorer's
so the two can be compared line by line (the gate checks that they agree to three decimals).
"""

from __future__ import annotations

import difflib
import gzip
import json
import math
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from newsevents.errors import EvalError
from newsevents.ingest import article_from_json
from newsevents.pipeline import Options, process, process_many
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


# ---------------------------------------------------------------------------------------------------------------
# Shared machinery for the tasks scored through the extract contract (every task but plover).
# ---------------------------------------------------------------------------------------------------------------

#: Great-circle distance (km) within which a resolved place counts as right: the usual "acc@161" (100 miles).
ACC_KM = 161
#: Mean Earth radius in km, for the haversine distance.
EARTH_KM = 6371.0
#: Shingle length for the HTML body comparison (the scrapinghub benchmark's 4-grams of \w+ tokens).
SHINGLE = 4
#: Negative (unlabelled) India sentences per positive one, and their minimum length: the README's sample.
INDIA_NEG_PER_POS = 3
INDIA_MIN_NEG_CHARS = 40
INDIA_PUBLISHED = "2002-03-01"


def _results(records: list[dict[str, Any]], options: Options | None,
             progress: bool = False) -> dict[str, dict[str, Any]]:
    """Run ``process`` on input records (as ``newsevents extract -`` reads them) -> ``{id: output record}``."""
    opts = options or Options()
    out: dict[str, dict[str, Any]] = {}
    results = process_many((article_from_json(rec, "<gold>") for rec in records), opts)
    for i, (rec, result) in enumerate(zip(records, results, strict=True)):
        out[str(rec["id"])] = result.to_dict()
        if progress and (i + 1) % 25 == 0:
            print(f"  {i + 1}/{len(records)}", file=sys.stderr)
    return out


def aligner(a: str, b: str) -> Callable[[int], int]:
    """Map a character offset in ``a`` (the gold text) to ``b`` (the engine's cleaned text)."""
    if a == b:
        return lambda i: i
    blocks = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_matching_blocks()

    def move(i: int) -> int:
        best = i
        for x, y, n in blocks:
            if x <= i < x + n:
                return y + i - x
            if x + n <= i:
                best = y + n + (i - x - n)
        return best

    return move


def overlap(a0: int, a1: int, b0: int, b1: int) -> float:
    """Shared length of two spans over the shorter one's length."""
    return max(0, min(a1, b1) - max(a0, b0)) / max(1, min(a1 - a0, b1 - b0))


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def token_errors(a: str, b: str) -> int:
    """Whitespace tokens of ``a`` that ``b`` gets wrong (replaced, inserted or deleted, counted by the larger side)."""
    ops = difflib.SequenceMatcher(a=a.split(), b=b.split(), autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in ops if op != "equal")


def body_text(res: dict[str, Any]) -> str:
    """The analysed text without its leading title (gold bodies have none)."""
    text, title = res.get("text") or "", (res.get("title") or "").strip()
    if title and text.startswith(title):
        text = text[len(title):]
    return text.strip()


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    toks = re.findall(r"\w+", text.lower())
    return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1)))


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = (math.radians(v) for v in (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(min(1.0, h)))


def _lines(path: Path) -> list[dict[str, Any]]:
    return _read_jsonl(path)


def _need_dir(path: Path, what: str) -> Path:
    if not path.is_dir():
        raise EvalError(f"{what} folder not found: {path}")
    return path


# --------------------------------------------------------------------------------------------------- india

def score_india(path: Path, limit: int | None = None, progress: bool = False,
                options: Options | None = None) -> dict[str, Any]:
    """IndiaPoliceEvents: recall of ASSAULT on KILL/FORCE sentences, of COERCE on ARREST ones, and the
    share of unlabelled sentences given a violent event; three unlabelled sentences per labelled one."""
    sents = _lines(_need_dir(path, "IndiaPoliceEvents") / "sents.jsonl")
    pos = [s for s in sents if {"KILL", "FORCE", "ARREST"} & set(s["sent_labels"])]
    neg = [s for s in sents if not s["sent_labels"] and len(s["sent_text"]) > INDIA_MIN_NEG_CHARS]
    sample = (pos + neg[: INDIA_NEG_PER_POS * len(pos)])[:limit]
    keys = [f"{s['doc_id']}-{s['sent_id']}" for s in sample]
    recs = [{"id": k, "text": s["sent_text"], "published": INDIA_PUBLISHED} for k, s in zip(keys, sample, strict=True)]
    out = _results(recs, options, progress)
    tp: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    on_neg = n_neg = 0
    for k, s in zip(keys, sample, strict=True):
        types = {e.get("plover") for e in out[k].get("events", []) if not e.get("negated")}
        labels = set(s["sent_labels"])
        if labels & {"KILL", "FORCE"}:
            gold["ASSAULT"] += 1
            tp["ASSAULT"] += "ASSAULT" in types
        if "ARREST" in labels:
            gold["COERCE"] += 1
            tp["COERCE"] += "COERCE" in types
        if not labels:
            n_neg += 1
            on_neg += bool(types & {"ASSAULT", "COERCE"})
    return {
        "india.sentences": len(sample),
        "india.assault_recall(kill/force)": tp["ASSAULT"] / max(1, gold["ASSAULT"]),
        "india.coerce_recall(arrest)": tp["COERCE"] / max(1, gold["COERCE"]),
        "india.violence_on_unlabelled_rate": on_neg / max(1, n_neg),
    }


# ---------------------------------------------------------------------------------------------------- glue

def score_glue(path: Path, limit: int | None = None, progress: bool = False,
               options: Options | None = None) -> dict[str, Any]:
    """Glued-text repair: share of token errors the cleaner removes, and that it leaves clean text alone."""
    rows = _lines(path)[:limit]
    out = _results([{"id": f"g{r['id']}", "text": r["glued"]} for r in rows]
                   + [{"id": f"o{r['id']}", "text": r["original"]} for r in rows], options, progress)
    before = after = changed = total = exact = 0
    for r in rows:
        b = token_errors(r["original"], r["glued"])
        a = token_errors(r["original"], body_text(out[f"g{r['id']}"]))
        before, after, exact = before + b, after + a, exact + (a == 0)
        changed += token_errors(r["original"], body_text(out[f"o{r['id']}"]))
        total += len(r["original"].split())
    return {
        "glue.articles": len(rows),
        "glue.repair_rate": 1 - after / max(1, before),
        "glue.clean_text_untouched": 1 - changed / max(1, total),
        "glue.articles_fully_restored": exact / max(1, len(rows)),
    }


# ---------------------------------------------------------------------------------------------------- html

def score_html(path: Path, limit: int | None = None, progress: bool = False,
               options: Options | None = None) -> dict[str, Any]:
    """Article-body extraction: per-page precision/recall/F1 over 4-gram shingles, averaged over pages."""
    d = _need_dir(path, "scrapinghub benchmark")
    truth = json.loads((d / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:limit]
    recs = []
    for k in keys:
        with gzip.open(d / "html" / f"{k}.html.gz") as fh:
            recs.append({"id": k, "url": truth[k]["url"], "html": fh.read().decode("utf-8", "replace")})
    out = _results(recs, options, progress)
    ps, rs, fs = [], [], []
    for k in keys:
        g, p = shingles(truth[k]["articleBody"]), shingles(body_text(out[k]))
        tp = sum((g & p).values())
        prec, rec = tp / max(1, sum(p.values())), tp / max(1, sum(g.values()))
        ps.append(prec)
        rs.append(rec)
        fs.append(f1(prec, rec))
    n = max(1, len(keys))
    return {"html.pages": len(keys), "html.precision": sum(ps) / n, "html.recall": sum(rs) / n,
            "html.f1": sum(fs) / n}


# ----------------------------------------------------------------------------------------------------- geo

GeoDoc = tuple[str, str, list[tuple[int, int, float, float, str]]]


def load_geo_xml(path: Path) -> list[GeoDoc]:
    """Articles of a GeoWebNews/LGL-style XML file with their coordinate-bearing toponyms."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise EvalError(f"{path}: not readable geo XML: {exc}") from exc
    docs: list[GeoDoc] = []
    for i, art in enumerate(root.iter("article")):
        tops = []
        for t in art.iter("toponym"):
            tag = t.find("gaztag")
            lat = tag.findtext("lat") if tag is not None else t.findtext("latitude")
            lon = tag.findtext("lon") if tag is not None else t.findtext("longitude")
            if not (lat or "").strip() or not (lon or "").strip():
                continue
            gid = (tag.get("geonameid") if tag is not None else (t.findtext("geonamesID") or "").strip()) or ""
            tops.append((int(t.findtext("start") or 0), int(t.findtext("end") or 0), float(lat or 0), float(lon or 0),
                         gid))
        docs.append((art.get("docid") or art.get("file") or str(i), art.findtext("text") or "", tops))
    return docs


def score_geo(path: Path, limit: int | None = None, progress: bool = False,
              options: Options | None = None) -> dict[str, Any]:
    """Toponyms: recall (a resolved place overlapping the gold span by more than half), precision,
    accuracy within 161 km and exact GeoNames id on the found ones, median error, end-to-end acc@161."""
    xml = path / "GWN.xml" if path.is_dir() else path
    if not xml.is_file():
        raise EvalError(f"geo gold file not found: {xml}")
    docs = load_geo_xml(xml)[:limit]
    name = xml.name
    out = _results([{"id": f"{name}-{d}", "text": t} for d, t, _ in docs], options, progress)
    gold_n = found = close = pred_n = pred_hit = idhit = 0
    errs: list[float] = []
    for d, text, tops in docs:
        res = out[f"{name}-{d}"]
        move = aligner(text, res.get("text") or "")
        places = [p for p in res.get("places", []) if p.get("lat") is not None]
        pred_n += len(places)
        used: set[int] = set()
        for s, e, lat, lon, gid in tops:
            gold_n += 1
            cand = [p for p in places if overlap(move(s), move(e), p["start"], p["end"]) > 0.5]
            if not cand:
                continue
            found += 1
            used.add(id(cand[0]))
            km = haversine((lat, lon), (cand[0]["lat"], cand[0]["lon"]))
            errs.append(km)
            close += km <= ACC_KM
            idhit += bool(gid) and str(cand[0].get("geonameid")) == str(gid)
        pred_hit += len(used)
    tag = f"geo.{xml.stem.lower()}"
    errs.sort()
    return {
        f"{tag}.articles": len(docs),
        f"{tag}.toponym_recall": found / max(1, gold_n),
        f"{tag}.precision": pred_hit / max(1, pred_n),
        f"{tag}.acc161_on_found": close / max(1, found),
        f"{tag}.geonameid_exact_on_found": idhit / max(1, found),
        f"{tag}.median_km": errs[len(errs) // 2] if errs else float("nan"),
        f"{tag}.end_to_end_acc161": close / max(1, gold_n),
    }


# -------------------------------------------------------------------------------------------------- quotes

QUOTE_OPENERS = ('"', "\u201c")
#: A predicted quotation matches a gold one when they share at least half of the shorter span.
QUOTE_OVERLAP = 0.5


def direct_quotes(ann: Path, text: str) -> list[tuple[int, int, tuple[int, int] | None]]:
    """PolNeAR (brat) attributions whose Content starts with a quotation mark: (start, end, source span)."""
    spans: dict[str, tuple[int, int]] = {}
    rels: list[dict[str, str]] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            tid, middle = line.split("\t")[:2]
            nums = [int(x) for x in re.findall(r"\d+", middle)]
            spans[tid] = (min(nums), max(nums))
        elif line.startswith("E"):
            rels.append(dict(x.split(":", 1) for x in line.split("\t")[1].split(" ") if ":" in x))
    out = []
    for rel in rels:
        content = spans.get(rel.get("Content", ""))
        if content and text[content[0]:content[1]].strip()[:1] in QUOTE_OPENERS:
            out.append((content[0], content[1], spans.get(rel.get("Source", ""))))
    return out


def score_quotes(path: Path, limit: int | None = None, progress: bool = False,
                 options: Options | None = None) -> dict[str, Any]:
    """Direct quotations: span P/R/F1 at >= 50 % overlap; speaker right when its mention overlaps the gold
    Source span or its resolved surname occurs in it (no speaker is right when the gold has no Source)."""
    d = _need_dir(path, "PolNeAR")
    anns: dict[str, Path] = {}
    for a in sorted((d / "attributions").glob("*.ann")):
        anns.setdefault(re.sub(r"_[0-9a-f]{4}$", "", a.stem), a)  # one annotator per article
    stems = [s for s in sorted(anns) if (d / "text" / f"{s}.txt").exists()][:limit]
    texts = {s: (d / "text" / f"{s}.txt").read_text(encoding="utf-8") for s in stems}
    out = _results([{"id": s, "text": texts[s]} for s in stems], options, progress)
    g_n = p_n = tp = spk_ok = 0
    for s in stems:
        gold = direct_quotes(anns[s], texts[s])
        res = out[s]
        move = aligner(texts[s], res.get("text") or "")
        preds = res.get("quotes", [])
        p_n, g_n = p_n + len(preds), g_n + len(gold)
        for c0, c1, src in gold:
            cand = [q for q in preds if overlap(move(c0), move(c1), q["start"], q["end"]) >= QUOTE_OVERLAP]
            if not cand:
                continue
            tp += 1
            sp = cand[0].get("speaker") or {}
            if src and sp:
                name = (sp.get("name") or "").lower().split()
                span_ok = sp.get("start") is not None and overlap(move(src[0]), move(src[1]), sp["start"],
                                                                   sp["end"]) > 0
                spk_ok += span_ok or bool(name and name[-1] in texts[s][src[0]:src[1]].lower())
            elif not src and not sp:
                spk_ok += 1
    p, r = tp / max(1, p_n), tp / max(1, g_n)
    return {
        "quotes.articles": len(stems),
        "quotes.gold": g_n,
        "quotes.precision(direct)": p,
        "quotes.recall(direct)": r,
        "quotes.f1(direct)": f1(p, r),
        "quotes.speaker_accuracy_on_found": spk_ok / max(1, tp),
    }


# --------------------------------------------------------------------------------------------------- dates

TimexGold = tuple[int, int, str, str]


def parse_tml(path: Path) -> tuple[str, str, list[TimexGold]]:
    """A TimeML file: (document creation date, plain text of <TEXT>, [(start, end, type, value)])."""
    raw = path.read_text(encoding="utf-8")
    dct = re.search(r"<DCT>.*?value=\"([^\"]+)\"", raw, re.S)
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    if not dct or not body:
        raise EvalError(f"{path}: no DCT or TEXT element")
    parts: list[str] = []
    gold: list[TimexGold] = []
    pos = 0
    for m in re.finditer(r"<TIMEX3([^>]*)>(.*?)</TIMEX3>|<[^>]+>|[^<]+", body.group(1), re.S):
        piece = m.group(0)
        if piece.startswith("<TIMEX3"):
            attrs = dict(re.findall(r"(\w+)=\"([^\"]*)\"", m.group(1)))
            inner = re.sub(r"<[^>]+>", "", m.group(2))
            gold.append((pos, pos + len(inner), attrs.get("type", ""), attrs.get("value", "")))
        elif piece.startswith("<"):
            continue
        else:
            inner = piece
        parts.append(inner)
        pos += len(inner)
    return dct.group(1)[:10], "".join(parts), gold


def score_dates(path: Path, limit: int | None = None, progress: bool = False,
                options: Options | None = None) -> dict[str, Any]:
    """TIMEX3: relaxed span P/R/F1 (any overlap), value accuracy on the found ones, TE3-style value F1."""
    files = sorted(_need_dir(path, "TimeML").rglob("*.tml"))[:limit]
    if not files:
        raise EvalError(f"{path}: no .tml files")
    docs = {f.stem: parse_tml(f) for f in files}
    out = _results([{"id": k, "text": t, "published": dct} for k, (dct, t, _) in docs.items()], options, progress)
    g_n = found = val_ok = date_n = date_ok = p_n = p_hit = 0
    for k, (_dct, text, gold) in docs.items():
        res = out[k]
        move = aligner(text, res.get("text") or "")
        preds = res.get("dates", [])
        p_n += len(preds)
        hit: set[int] = set()
        for s, e, typ, val in gold:
            g_n += 1
            date_n += typ == "DATE"
            cand = [p for p in preds if overlap(move(s), move(e), p["start"], p["end"]) > 0]
            if not cand:
                continue
            found += 1
            hit.add(id(cand[0]))
            same = str(cand[0].get("value")) == str(val)
            val_ok += same
            date_ok += same and typ == "DATE"
        p_hit += len(hit)
    p, r = p_hit / max(1, p_n), found / max(1, g_n)
    return {
        "dates.documents": len(docs),
        "dates.relaxed_precision": p,
        "dates.relaxed_recall": r,
        "dates.relaxed_f1": f1(p, r),
        "dates.value_accuracy_on_found": val_ok / max(1, found),
        "dates.value_f1(te3 style)": f1(p, r) * val_ok / max(1, found),
        "dates.DATE_value_accuracy(all gold DATEs)": date_ok / max(1, date_n),
    }


def score_petrarch(path: Path, limit: int | None = None, progress: bool = False) -> dict[str, Any]:
    """PETRARCH2's unit tests with their own dictionaries (``newsevents.petrarch``)."""
    from newsevents.petrarch import score_petrarch as run_petrarch

    return run_petrarch(path, limit=limit, progress=progress)


Scorer = Callable[..., dict[str, Any]]
TASKS: dict[str, Scorer] = {"plover": score_plover, "india": score_india, "petrarch": score_petrarch,
                            "glue": score_glue, "html": score_html, "geo": score_geo, "quotes": score_quotes,
                            "dates": score_dates}


def evaluate(task: str, gold: str, limit: int | None = None, progress: bool = False) -> dict[str, Any]:
    """Score ``task`` on the gold file or folder ``gold``."""
    if task not in TASKS:
        raise EvalError(f"unknown task {task!r}; known: {', '.join(TASKS)}")
    return TASKS[task](Path(gold), limit=limit, progress=progress)
