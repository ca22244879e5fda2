from __future__ import annotations

import datetime as dt
from pathlib import Path

from tallyflow.aggregate.config import Report, ReportSpec
from tallyflow.aggregate.schedule import (
    Interval,
    Variant,
    due_intervals,
    placeholders,
    read_reruns,
    script_arguments,
    truncate,
    variants,
)


def report(explode: dict[str, list[str]] | None = None, **keys: object) -> Report:
    spec = ReportSpec.model_validate({"granularity": "days", "starts": "2020-01-01", **keys})
    return Report(key="r", spec=spec, template="", script=Path("/q/sub/r"), explode=explode or {})


def starts(intervals: list[Interval]) -> list[str]:
    return [i.start.isoformat() for i in intervals]


def test_weeks_start_on_sunday_and_months_on_the_first() -> None:
    assert truncate(dt.date(2020, 12, 16), "weeks") == dt.date(2020, 12, 13)
    assert truncate(dt.date(2020, 12, 13), "weeks") == dt.date(2020, 12, 13)
    assert truncate(dt.date(2020, 12, 16), "months") == dt.date(2020, 12, 1)


def test_reference_example_monthly_and_weekly_with_one_day_lag() -> None:
    now = dt.datetime(2021, 1, 5, 10)
    monthly = report(granularity="months", starts="2020-10-01", lag=86400)
    weekly = report(granularity="weeks", starts="2020-12-16", lag=86400)
    assert starts(due_intervals(monthly, now)) == ["2020-10-01", "2020-11-01", "2020-12-01"]
    assert starts(due_intervals(weekly, now)) == ["2020-12-13", "2020-12-20", "2020-12-27"]


def test_an_interval_is_due_once_its_end_plus_lag_has_passed() -> None:
    daily = report(starts="2021-06-01", lag=18000)
    assert starts(due_intervals(daily, dt.datetime(2021, 6, 3, 4, 59))) == ["2021-06-01"]
    assert starts(due_intervals(daily, dt.datetime(2021, 6, 3, 5, 0))) == [
        "2021-06-01",
        "2021-06-02",
    ]


def test_max_data_points_and_ends_bound_the_backfill() -> None:
    now = dt.datetime(2021, 6, 10)
    assert starts(due_intervals(report(max_data_points=2), now)) == ["2021-06-08", "2021-06-09"]
    ended = report(starts="2021-06-01", ends="2021-06-03")
    assert starts(due_intervals(ended, now)) == ["2021-06-01", "2021-06-02"]


def test_placeholder_formats_per_report_type() -> None:
    interval = Interval(dt.date(2021, 6, 7), dt.date(2021, 6, 8))
    assert placeholders(report(type="sql"), interval, {"wiki_db": "enwiki"}) == {
        "from_timestamp": "20210607000000",
        "to_timestamp": "20210608000000",
        "wiki_db": "enwiki",
    }
    hive = placeholders(report(type="hive"), interval, {"year": "override"})
    assert hive == {
        "from_date": "2021-06-07",
        "to_date": "2021-06-08",
        "year": "override",
        "month": "06",
        "day": "07",
    }


def test_script_arguments_follow_the_reference_order() -> None:
    interval = Interval(dt.date(2021, 1, 2), dt.date(2021, 1, 3))
    args = script_arguments(report(type="script"), interval, {"zeta": "z1", "alpha": "x1"})
    assert args == ["2021-01-02", "2021-01-03", "x1", "z1", "/q/sub"]


def test_exploded_output_paths_nest_by_sorted_placeholder_name() -> None:
    multi = report(explode={"wiki": ["enwiki"], "editor": ["visualeditor", "wikitext"]})
    found = [v.output_path(Path("/out")) for v in variants(multi)]
    assert found == [
        Path("/out/r/visualeditor/enwiki.tsv"),
        Path("/out/r/wikitext/enwiki.tsv"),
    ]
    assert Variant(report(), ()).output_path(Path("/out")) == Path("/out/r.tsv")


def test_rerun_files_are_parsed_and_bad_ones_ignored(tmp_path: Path) -> None:
    (tmp_path / ".reruns").mkdir()
    (tmp_path / ".reruns" / "1").write_text("2021-06-01\n2021-06-03\nr\n")
    (tmp_path / ".reruns" / "2").write_text("garbage\n")
    (rerun,) = read_reruns(tmp_path)
    assert rerun.covers("r", dt.date(2021, 6, 2)) and not rerun.covers("r", dt.date(2021, 6, 3))
    assert not rerun.covers("other", dt.date(2021, 6, 2))
