"""Whisper data for the Graphite render API tests, written by the real series store."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from tallyflow.project import SeriesSettings
from tallyflow.records import MetricPoint
from tallyflow.store.series import SeriesStore, series_root
from tallyflow.visualize.graphite import render

NOW = 1_780_000_000 - 1_780_000_000 % 3600
"""A fixed "now" on an hour boundary (2026-05-28T20:00Z); whisper reads and writes use it."""
MINUTE = 60

SETTINGS = SeriesSettings.model_validate(
    {
        "schemas": [
            {"name": "coarse", "pattern": r"^coarse\.", "retentions": "5m:2d"},
            {"name": "all", "pattern": ".*", "retentions": "1m:2d,1h:30d"},
        ]
    }
)
"""`coarse.*` has 5-minute points, everything else 1-minute points (for LCM tests)."""


def write(
    store_root: Path,
    series: Mapping[str, Mapping[int, float]],
    settings: SeriesSettings = SETTINGS,
) -> Path:
    """Write `{path: {timestamp: value}}` through SeriesStore; returns the whisper root."""
    root = series_root(store_root)
    points = [
        MetricPoint(path, value, ts)
        for path, values in series.items()
        for ts, value in values.items()
    ]
    receipt = SeriesStore(root, settings).write(points, now=NOW)
    assert receipt.written == len(points), receipt
    return root


EDITORS = {"wikitext_2010": 1, "wikitext_2017": 3}
WIKIS = {"enwiki": 2, "dewiki": 1, "frwiki": 5}
STEP = 600
"""The example's metrics fall under the default schema (10-minute points)."""
HOURS = 6


def example_series() -> dict[str, dict[int, float]]:
    """The example project's metrics over the last HOURS hours, every 10 minutes: sessions
    = 10 * editor weight * wiki weight; toggles on = half of that, off = a tenth; frwiki's
    toggles miss every third point (gaps), dewiki's sessions are 0 once (division by zero); the
    StatsD event counts are 4 * wiki weight."""
    series: dict[str, dict[int, float]] = {}
    times = range(NOW - HOURS * 3600 + STEP, NOW + 1, STEP)
    for editor, e in EDITORS.items():
        for wiki, w in WIKIS.items():
            sessions = {t: 10.0 * e * w for t in times}
            if wiki == "dewiki":
                sessions[times[5]] = 0.0
            series[f"MediaWiki.CodeMirror.sessions.byEditor.{editor}.byWiki.{wiki}"] = sessions
            for enabled, share in (("true", 0.5), ("false", 0.1)):
                toggles = {
                    t: v * share
                    for i, (t, v) in enumerate(sessions.items())
                    if wiki != "frwiki" or i % 3
                }
                path = f"MediaWiki.CodeMirror.toggles.byEditor.{editor}.byEnabled.{enabled}"
                series[f"{path}.byWiki.{wiki}"] = toggles
        for wiki, w in WIKIS.items():
            series[f"stats_counts.MediaWiki.CodeMirror.events.byWiki.{wiki}"] = {
                t: 4.0 * w for t in times
            }
            series[f"reference_previews.baseline.pageviews.{wiki}"] = {t: 100.0 * w for t in times}
            series[f"reference_previews.baseline.footnote_clicks.{wiki}"] = {
                t: 3.0 * w for t in times
            }
    return series


def unit_series() -> dict[str, dict[int, float]]:
    """Small series for the function tests, one point a minute over the last three hours
    (`coarse.y` one every five minutes) with gaps, zeros, a counter reset and an old-only file."""
    minutes = range(NOW - 180 * MINUTE, NOW + 1, MINUTE)
    counter, total = {}, 0.0
    for i, t in enumerate(minutes):
        total = 0.0 if i == 90 else total + i % 4 + 1
        counter[t] = total
    return {
        "a.x": {t: float(i % 7 + 1) for i, t in enumerate(minutes)},
        "a.y": {t: 2.0 * i for i, t in enumerate(minutes) if i % 5},
        "a.gappy": {t: float(i) for i, t in enumerate(minutes) if i % 4 == 0},
        "a.zero": {t: 0.0 if i % 2 else 5.0 for i, t in enumerate(minutes)},
        "a.counter": counter,
        "a.neg": {t: -float(i % 3) for i, t in enumerate(minutes)},
        "a.old": {NOW - 10 * 3600: 1.0},
        "coarse.y": {t: float(i) for i, t in enumerate(minutes) if (t - NOW) % 300 == 0},
        "g.1.x": {t: 1.0 for t in minutes},
        "g.1.y": {t: 3.0 for t in minutes},
        "g.2.x": {t: 2.0 for t in minutes},
        "g.3.y": {t: 4.0 for t in minutes},
    }


def minutes_ago(*values: float | None) -> dict[int, float]:
    """Values for the last len(values) minutes, oldest first, ending at NOW; None is a gap."""
    first = NOW - (len(values) - 1) * MINUTE
    return {first + i * MINUTE: v for i, v in enumerate(values) if v is not None}


def evaluate(
    store_root: Path, data: Mapping[str, Mapping[int, float]], target: str, minutes: int = 4
) -> list[tuple[str, list[float | None]]]:
    """(name, values) of `target` over the last `minutes` minutes (points NOW-minutes+1..NOW)."""
    root = write(store_root, data)
    series = render(root, [target], NOW - minutes * MINUTE, NOW, now=NOW)
    return [(s.name, list(s.values)) for s in series]
