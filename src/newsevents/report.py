"""Human-readable renderings of store results with rich: the demo summary and event listings.

``render_summary`` prints what ``Store.summary`` returns; ``render_events`` prints the rows of
``Store.events`` as a table.  Article text is data, never markup: it is either escaped with
``rich.markup.escape`` or carried in ``rich.text.Text`` objects, and the event trigger is
highlighted by character offsets, not by searching for words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

# Longest evidence excerpt shown in an events table row; chosen so that a row stays within
# about two lines of a 120-column terminal next to the other columns.
EVIDENCE_WIDTH = 160

# Widest the actor and place columns of an events table may get (longer names wrap), so that
# the evidence column keeps about half of a 120-column console; chosen by eye.
ACTOR_MAX_WIDTH = 24
PLACE_MAX_WIDTH = 16

# Style of the trigger words inside the evidence sentence.
TRIGGER_STYLE = "bold black on yellow"

_NONE = "—"


def evidence_text(row: Mapping[str, Any], width: int | None = None) -> Text:
    """The evidence sentence of an event row with its trigger highlighted.

    With ``width``, a longer sentence is cut to about that many characters around the
    trigger, with an ellipsis on each side that was cut.
    """
    evidence = str(row.get("evidence") or "")
    start, end = _trigger_offsets(row, evidence)
    lo, hi = 0, len(evidence)
    if width is not None and len(evidence) > width:
        centre = (start + end) // 2 if end > start else 0
        lo = max(0, min(centre - width // 2, len(evidence) - width))
        hi = lo + width
    text = Text()
    if lo > 0:
        text.append("…")
    text.append(evidence[lo:hi])
    if end > start:
        a, b = max(start, lo) - lo, min(end, hi) - lo
        if b > a:
            text.stylize(TRIGGER_STYLE, a + (1 if lo > 0 else 0), b + (1 if lo > 0 else 0))
    if hi < len(evidence):
        text.append("…")
    return text


def _trigger_offsets(row: Mapping[str, Any], evidence: str) -> tuple[int, int]:
    """Trigger position inside the evidence sentence, or (0, 0) when unknown."""
    t_start, t_end, s_start = row.get("trigger_start"), row.get("trigger_end"), row.get("span_start")
    if isinstance(t_start, int) and isinstance(t_end, int) and isinstance(s_start, int):
        a, b = t_start - s_start, t_end - s_start
        if 0 <= a < b <= len(evidence):
            return a, b
    trigger = row.get("trigger")
    if trigger and (pos := evidence.find(str(trigger))) >= 0:
        return pos, pos + len(str(trigger))
    return 0, 0


def _actors(row: Mapping[str, Any], role: str) -> str:
    """``Italy (ITAGOV) + Spain (ESP)`` from the aligned name and code lists of a row."""
    names = list(row.get(f"{role}_names") or [])
    codes = list(row.get(f"{role}_codes") or [])
    parts = []
    for i in range(max(len(names), len(codes))):
        name = names[i] if i < len(names) else None
        code = codes[i] if i < len(codes) else None
        if name and code and name != code:
            parts.append(f"{name} ({code})")
        else:
            parts.append(str(name or code))
    return " + ".join(parts) if parts else _NONE


def _date(row: Mapping[str, Any], short: bool = False) -> str:
    """The event date, or the article's publication date marked as such."""
    if row.get("date"):
        return str(row["date"])
    if row.get("effective_date"):
        return f"{row['effective_date']}*" if short else f"{row['effective_date']} (published)"
    return _NONE


def _place(row: Mapping[str, Any]) -> str:
    name, country = row.get("location"), row.get("location_country")
    if name and country:
        return f"{name}, {country}"
    return str(name or country or _NONE)


def _code(row: Mapping[str, Any]) -> str:
    return f"{row.get('cameo') or _NONE} {row.get('plover') or _NONE}"


def render_summary(summary: Mapping[str, Any], console: Console) -> None:
    """Print a ``Store.summary`` dict: counts, events by PLOVER type, top pairs, examples."""
    n_articles, n_events = int(summary.get("articles", 0)), int(summary.get("events", 0))
    console.rule("[bold]newsevents summary")
    console.print(f"[bold]{n_articles:,}[/] articles, [bold]{n_events:,}[/] events")

    by_plover: Sequence[Sequence[Any]] = summary.get("by_plover") or []
    if by_plover:
        table = Table(title="Events by PLOVER type", box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column("PLOVER type")
        table.add_column("events", justify="right")
        table.add_column("share", justify="right")
        for plover, n in by_plover:
            share = f"{100.0 * n / n_events:.1f}%" if n_events else _NONE
            table.add_row(Text(str(plover) if plover else "(no PLOVER type)"), f"{n:,}", share)
        console.print(table)

    pairs: Sequence[Sequence[Any]] = summary.get("top_pairs") or []
    if pairs:
        table = Table(title="Top actor pairs", box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column("source")
        table.add_column("target")
        table.add_column("events", justify="right")
        for src, tgt, n in pairs:
            table.add_row(Text(str(src)), Text(str(tgt)), f"{n:,}")
        console.print(table)

    examples: Sequence[Mapping[str, Any]] = summary.get("examples") or []
    if examples:
        console.print("[bold]Example events[/]")
        for i, row in enumerate(examples, 1):
            console.print(
                f"[bold]{i}.[/] [cyan]{escape(_code(row))}[/]  "
                f"{escape(_actors(row, 'source'))} → {escape(_actors(row, 'target'))}  "
                f"[green]{escape(_date(row))}[/]  {escape(_place(row))}"
            )
            line = Text("   ")
            line.append_text(evidence_text(row))
            console.print(line)
            origin = row.get("title") or row.get("url") or row.get("article_id")
            if origin:
                console.print(Text(f"   {origin}", style="dim"))
    elif n_events == 0:
        console.print("No events stored yet.")


def render_events(rows: Sequence[Mapping[str, Any]], console: Console) -> None:
    """Print ``Store.events`` rows as a table, evidence trigger highlighted."""
    if not rows:
        console.print("No events match.")
        return
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("date", no_wrap=True)
    table.add_column("event", no_wrap=True)
    table.add_column("source → target", max_width=ACTOR_MAX_WIDTH)
    table.add_column("place", max_width=PLACE_MAX_WIDTH)
    table.add_column("evidence", ratio=1)
    used_published = False
    for row in rows:
        date = _date(row, short=True)
        used_published = used_published or date.endswith("*")
        table.add_row(
            Text(date),
            Text(f"{row.get('cameo') or _NONE}\n{row.get('plover') or _NONE}"),
            Text(f"{_actors(row, 'source')}\n→ {_actors(row, 'target')}"),
            Text(_place(row)),
            evidence_text(row, EVIDENCE_WIDTH),
        )
    console.print(table)
    note = "; * publication date (no date in the sentence)" if used_published else ""
    console.print(f"{len(rows):,} event{'s' if len(rows) != 1 else ''}{note}")
