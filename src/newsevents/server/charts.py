"""Chart and map geometry for the dashboard, computed server-side and drawn as inline SVG.

Nothing here touches the database: each function takes the plain data returned by
``queries`` and returns coordinates (plain dicts) that the Jinja templates turn into SVG
elements, so the pages need no JavaScript and no chart library.  The world map's shapes are
``static/world-land.svg``, projected by ``web/build.mjs`` with the equirectangular projection
that ``project`` repeats here (the two must agree: change both or neither).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

# Size of the world map, in SVG units; must equal MAP_WIDTH/MAP_HEIGHT in web/build.mjs.
MAP_WIDTH = 720
MAP_HEIGHT = 360
# Radius of a map dot: MAP_DOT_MIN plus MAP_DOT_SCALE * sqrt(events), capped at MAP_DOT_MAX, so
# that a place with 40 events (the busiest in the bundled examples) is clearly larger than a
# single-event place without hiding its neighbours.
MAP_DOT_MIN = 2.5
MAP_DOT_SCALE = 1.6
MAP_DOT_MAX = 14.0

# Overall size and margins of the bar charts, in SVG units (the SVG scales to its column).
CHART_WIDTH = 720
CHART_HEIGHT = 230
MARGIN_LEFT = 36
MARGIN_RIGHT = 36
MARGIN_TOP = 10
MARGIN_BOTTOM = 24
# How many date labels the x axis shows at most before they overlap at 10px text.
MAX_X_LABELS = 8

# Colours of the PLOVER types drawn (in order of frequency) and of "other"; picked to be
# distinguishable for common colour-vision deficiencies (Okabe-Ito plus two greys-blue tones).
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#e69f00", "#cc79a7", "#56b4e9", "#7f6a00", "#4d4d9f")
OTHER_COLOUR = "#a0a7b0"
COOP_COLOUR = "#2e8b57"
CONFLICT_COLOUR = "#c0392b"
NEUTRAL_COLOUR = "#6b7785"


def project(lat: float, lon: float) -> tuple[float, float]:
    """Equirectangular projection onto the MAP_WIDTH x MAP_HEIGHT map (as web/build.mjs does)."""
    return (lon + 180.0) / 360.0 * MAP_WIDTH, (90.0 - lat) / 180.0 * MAP_HEIGHT


def tone_colour(goldstein: float | None) -> str:
    """Green for cooperation, red for conflict, grey for neutral or unknown."""
    if goldstein is None or goldstein == 0:
        return NEUTRAL_COLOUR
    return COOP_COLOUR if goldstein > 0 else CONFLICT_COLOUR


def map_dots(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Dots for ``queries.map_points``: biggest first so small dots are drawn on top."""
    dots = []
    for p in sorted(points, key=lambda p: -int(p["events"])):
        x, y = project(float(p["lat"]), float(p["lon"]))
        r = min(MAP_DOT_MAX, MAP_DOT_MIN + MAP_DOT_SCALE * math.sqrt(int(p["events"])))
        label = (f"{p['name'] or '?'} ({p['country'] or '?'}): {p['events']} events, "
                 f"mean Goldstein {p['mean_goldstein']}")
        dots.append({"x": round(x, 1), "y": round(y, 1), "r": round(r, 1), "fill": tone_colour(p["mean_goldstein"]),
                     "title": label})
    return dots


def _next_bucket(day: dt.date, bucket: str) -> dt.date:
    if bucket == "day":
        return day + dt.timedelta(days=1)
    if bucket == "week":
        return day + dt.timedelta(days=7)
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _bucket_label(day: dt.date, bucket: str) -> str:
    return day.strftime("%Y-%m") if bucket == "month" else day.isoformat()


def _nice_max(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


def _x_labels(labels: list[str], x_of: list[float]) -> list[dict[str, Any]]:
    if not labels:
        return []
    step = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    return [{"x": round(x_of[i], 1), "text": labels[i]} for i in range(0, len(labels), step)]


def timeline_chart(timeline: dict[str, Any]) -> dict[str, Any]:
    """Stacked bars of events per time bucket and PLOVER type (``queries.timeline``)."""
    bucket = timeline["bucket"]
    types: list[str] = list(timeline["types"])
    colours = {t: (OTHER_COLOUR if t == "other" else PALETTE[i % len(PALETTE)]) for i, t in enumerate(types)}
    legend = [{"type": t, "colour": colours[t]} for t in types]
    rows = timeline["rows"]
    base = {"width": CHART_WIDTH, "height": CHART_HEIGHT, "legend": legend, "bucket": bucket}
    if not rows:
        return {**base, "bars": [], "y_ticks": [], "x_labels": [], "axis_y": CHART_HEIGHT - MARGIN_BOTTOM}
    counts: dict[dt.date, dict[str, int]] = {}
    for r in rows:
        counts.setdefault(r["bucket"], {})[r["plover"]] = int(r["events"])
    days = []
    day, last = min(counts), max(counts)
    while day <= last:
        days.append(day)
        day = _next_bucket(day, bucket)
    top = _nice_max(max(sum(c.values()) for c in counts.values()))
    plot_w = CHART_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = CHART_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_w / len(days)
    gap = min(2.0, slot * 0.2)
    bars = []
    for i, day in enumerate(days):
        y = float(CHART_HEIGHT - MARGIN_BOTTOM)
        for t in types:
            n = counts.get(day, {}).get(t, 0)
            if not n:
                continue
            h = n / top * plot_h
            y -= h
            bars.append({"x": round(MARGIN_LEFT + i * slot + gap / 2, 2), "y": round(y, 2),
                         "w": round(max(0.5, slot - gap), 2), "h": round(h, 2), "fill": colours[t],
                         "title": f"{_bucket_label(day, bucket)}: {t} {n}"})
    y_ticks = [{"y": round(CHART_HEIGHT - MARGIN_BOTTOM - f * plot_h, 1), "text": f"{top * f:g}"} for f in (0, 0.5, 1)]
    labels = [_bucket_label(d, bucket) for d in days]
    x_of = [MARGIN_LEFT + (i + 0.5) * slot for i in range(len(days))]
    return {**base, "bars": bars, "y_ticks": y_ticks, "x_labels": _x_labels(labels, x_of),
            "axis_y": CHART_HEIGHT - MARGIN_BOTTOM}


def dyad_chart(days: list[dict[str, Any]]) -> dict[str, Any]:
    """Cooperation counts up, conflict counts down, mean Goldstein as a line, one slot per day."""
    base = {"width": CHART_WIDTH, "height": CHART_HEIGHT}
    mid = MARGIN_TOP + (CHART_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) / 2
    half = (CHART_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) / 2
    if not days:
        return {**base, "bars": [], "points": [], "line": "", "mid": mid, "x_labels": [], "y_ticks": [], "g_ticks": []}
    top = _nice_max(max(max(int(d["cooperation"]), int(d["conflict"])) for d in days))
    plot_w = CHART_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    slot = plot_w / len(days)
    bar_w = max(1.0, min(28.0, slot * 0.6))
    bars, points = [], []
    for i, d in enumerate(days):
        cx = MARGIN_LEFT + (i + 0.5) * slot
        day = d["date"].isoformat()
        for n, sign, colour, what in ((int(d["cooperation"]), -1, COOP_COLOUR, "cooperation"),
                                      (int(d["conflict"]), 1, CONFLICT_COLOUR, "conflict")):
            if n:
                h = n / top * half
                bars.append({"x": round(cx - bar_w / 2, 2), "y": round(mid if sign > 0 else mid - h, 2),
                             "w": round(bar_w, 2), "h": round(h, 2), "fill": colour,
                             "title": f"{day}: {n} {what} events", "href": f"#day-{day}"})
        if d["mean_goldstein"] is not None:
            gy = mid - float(d["mean_goldstein"]) / 10.0 * half
            points.append({"x": round(cx, 2), "y": round(gy, 2), "href": f"#day-{day}",
                           "title": f"{day}: {d['events']} events, mean Goldstein {d['mean_goldstein']}"})
    line = " ".join(f"{p['x']},{p['y']}" for p in points)
    y_ticks = [{"y": round(mid - f * half, 1), "text": f"{abs(top * f):g}"} for f in (-1, 0, 1)]
    g_ticks = [{"y": round(mid - g / 10.0 * half, 1), "text": f"{g:+g}"} for g in (-10, 0, 10)]
    labels = [d["date"].isoformat() for d in days]
    x_of = [MARGIN_LEFT + (i + 0.5) * slot for i in range(len(days))]
    return {**base, "bars": bars, "points": points, "line": line, "mid": round(mid, 1),
            "x_labels": _x_labels(labels, x_of), "y_ticks": y_ticks, "g_ticks": g_ticks}

