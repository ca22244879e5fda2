"""Series for the dashboard tests, written through the real series store at the example
project's metric paths: known hourly values (for assertions) or plausible daily values (for
screenshots)."""

from __future__ import annotations

import math
import random
import time

from tallyflow.project import Project
from tallyflow.records import MetricPoint
from tallyflow.store.series import SeriesStore, series_root

TOGGLES = "MediaWiki.CodeMirror.toggles.byEditor.{e}.byEnabled.{b}.byWiki.{w}"
SESSIONS = "MediaWiki.CodeMirror.sessions.byEditor.{e}.byWiki.{w}"
CLICKS = "reference_previews.baseline.footnote_clicks.{w}"
PAGEVIEWS = "reference_previews.baseline.pageviews.{w}"
EVENTS = "stats_counts.MediaWiki.CodeMirror.events.byWiki.{w}"

EDITORS = {"wikitext_2010": 1, "wikitext_2017": 3}
WIKIS = {"enwiki": 2, "dewiki": 1, "frwiki": 5}
HOURS = 48
DAY = 86_400


def write(project: Project, points: list[MetricPoint]) -> None:
    store = SeriesStore(series_root(project.store_root), project.settings.series)
    receipt = store.write(points)
    assert receipt.written == len(points), receipt


def known_points(now: float | None = None) -> list[MetricPoint]:
    """The last HOURS hours, one point per hour and series: sessions = 10 x editor weight x
    wiki weight, toggles on = half of that, toggles off = a tenth; footnote clicks = wiki
    weight, pageviews = 100 x wiki weight. So toggles per session are 0.5 whatever is picked,
    and the total of toggles on is 5 x (sum of picked editor weights) x (sum of wiki weights)."""
    hour = int(now or time.time()) // 3600 * 3600
    points = []
    for ts in range(hour - (HOURS - 1) * 3600, hour + 1, 3600):
        for w, wiki in WIKIS.items():
            points.append(MetricPoint(CLICKS.format(w=w), float(wiki), ts))
            points.append(MetricPoint(PAGEVIEWS.format(w=w), 100.0 * wiki, ts))
            points.append(MetricPoint(EVENTS.format(w=w), 3.0 * wiki, ts))
            for e, editor in EDITORS.items():
                sessions = 10.0 * editor * wiki
                points.append(MetricPoint(SESSIONS.format(e=e, w=w), sessions, ts))
                points.append(MetricPoint(TOGGLES.format(e=e, b="true", w=w), sessions / 2, ts))
                points.append(MetricPoint(TOGGLES.format(e=e, b="false", w=w), sessions / 10, ts))
    return points


def realistic_points(days: int = 91, now: float | None = None, seed: int = 7) -> list[MetricPoint]:
    """`days` daily values up to today (UTC), as a daily report publishes them: sampled and
    reweighted counts (multiples of 16 at a 6.25% sample) with a weekly rhythm (fewer edits
    at weekends), a slow rise and noise."""
    rng = random.Random(seed)
    today = int(now or time.time()) // DAY * DAY
    sessions_base = {"enwiki": 5200, "dewiki": 2300, "frwiki": 1600, "jawiki": 900}
    editor_share = {"wikitext_2010": 0.7, "wikitext_2017": 0.3}
    toggle_rate = {"wikitext_2010": 0.045, "wikitext_2017": 0.08}
    pageviews_base = {"enwiki": 410_000, "dewiki": 150_000, "frwiki": 98_000, "jawiki": 120_000}
    points = []
    for day in range(days):
        ts = today - (days - 1 - day) * DAY
        weekday = time.gmtime(ts).tm_wday
        level = (0.78 if weekday >= 5 else 1.0 + 0.04 * math.sin(weekday)) * (1 + 0.15 * day / days)

        def noisy(value: float, spread: float, level: float = level) -> float:
            return float(round(value * level * rng.gauss(1.0, spread) / 16) * 16)

        for w in sessions_base:
            pageviews = noisy(pageviews_base[w], 0.04)
            points.append(MetricPoint(PAGEVIEWS.format(w=w), pageviews, ts))
            clicks = round(pageviews * rng.gauss(0.0042, 0.0003) / 16) * 16.0
            points.append(MetricPoint(CLICKS.format(w=w), clicks, ts))
            events = round(sessions_base[w] * level * rng.gauss(0.09, 0.01)) * 1.0
            points.append(MetricPoint(EVENTS.format(w=w), events, ts))
            for e, share in editor_share.items():
                sessions = noisy(sessions_base[w] * share, 0.06)
                on = round(sessions * toggle_rate[e] * rng.gauss(1.0, 0.12) / 16) * 16.0
                off = round(on * rng.gauss(0.35, 0.05) / 16) * 16.0
                points.append(MetricPoint(SESSIONS.format(e=e, w=w), sessions, ts))
                points.append(MetricPoint(TOGGLES.format(e=e, b="true", w=w), on, ts))
                points.append(MetricPoint(TOGGLES.format(e=e, b="false", w=w), off, ts))
    return points
