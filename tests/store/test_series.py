"""The series store writes real whisper files in carbon's layout with schemas from settings."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import whisper

from tallyflow.errors import ConfigError
from tallyflow.project import SeriesSettings
from tallyflow.records import MetricPoint
from tallyflow.store.series import SeriesStore, parse_retentions


def test_default_schemas_fit_statsd_and_daily_metrics(tmp_path: Path) -> None:
    store = SeriesStore(tmp_path, SeriesSettings())
    now = int(time.time()) // 10 * 10
    day = now - now % 86400 - 86400 * 400
    receipt = store.write(
        [
            MetricPoint("stats_counts.hits", 7, now - 10),
            MetricPoint("stats_counts.hits", 2, now),
            MetricPoint("stats.timers.t.upper_90", 5, now),
            MetricPoint("reports.edits.daily", 42, day),
        ]
    )
    assert receipt.written == 4 and receipt.created == [
        "stats_counts.hits",
        "stats.timers.t.upper_90",
        "reports.edits.daily",
    ]
    hits = tmp_path / "stats_counts" / "hits.wsp"
    info = whisper.info(str(hits))
    assert [a["secondsPerPoint"] for a in info["archives"]] == [10, 60, 600]
    assert info["aggregationMethod"] == "sum" and info["xFilesFactor"] == 0
    upper = whisper.info(str(tmp_path / "stats" / "timers" / "t" / "upper_90.wsp"))
    assert upper["aggregationMethod"] == "max"
    assert [v for _, v in store.fetch("stats_counts.hits", now - 60, now + 1) if v] == [7, 2]
    # a daily point a year back survives in the daily archive
    assert (day, 42.0) in store.fetch("reports.edits.daily", day - 86400, day + 86400)


def test_custom_schema_and_aggregation_apply_on_create(tmp_path: Path) -> None:
    settings = SeriesSettings.model_validate(
        {
            "schemas": [{"name": "all", "pattern": ".*", "retentions": "1s:1m,1m:1h"}],
            "aggregation": [
                {"name": "all", "pattern": ".*", "method": "last", "x_files_factor": 0.3}
            ],
        }
    )
    SeriesStore(tmp_path, settings).write([MetricPoint("a.b", 1, int(time.time()))])
    info = whisper.info(str(tmp_path / "a" / "b.wsp"))
    assert [(a["secondsPerPoint"], a["points"]) for a in info["archives"]] == [(1, 60), (60, 60)]
    assert info["aggregationMethod"] == "last"
    assert info["xFilesFactor"] == pytest.approx(0.3)


def test_unsafe_paths_and_old_points_are_counted_not_written(tmp_path: Path) -> None:
    store = SeriesStore(tmp_path / "w", SeriesSettings())
    now = int(time.time())
    receipt = store.write(
        [
            MetricPoint("a..b", 1, now),
            MetricPoint("..", 1, now),
            MetricPoint("ok.nan", float("nan"), now),
            MetricPoint("stats.old", 1, now - 86400 * 365 * 10),
        ]
    )
    assert (receipt.rejected, receipt.too_old, receipt.written) == (3, 1, 0)
    assert not (tmp_path / "a").exists()


def test_bad_retentions_are_a_config_error() -> None:
    with pytest.raises(ConfigError, match="series.schemas"):
        parse_retentions("1m:1h,10s:1d")
