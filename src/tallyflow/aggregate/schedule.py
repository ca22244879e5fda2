"""Selection (aggregate stage: reports + existing output + `.reruns` in, intervals to compute out).

ReportUpdater's rules (reference §3): intervals are aligned to days, Sunday-based weeks or
calendar months; an interval [start, end) is due once `end + lag <= now` (UTC); the first is
`starts` truncated to the granularity; `max_data_points` keeps only the newest N; an interval is
missing when its start date has no row in the output file, or when a rerun covers it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from dataclasses import dataclass
from pathlib import Path

from tallyflow.aggregate.config import Granularity, Report
from tallyflow.errors import ReportError

log = logging.getLogger("tallyflow.reports")


@dataclass(frozen=True, order=True)
class Interval:
    start: dt.date
    end: dt.date

    def __str__(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


@dataclass(frozen=True)
class Variant:
    """One exploded copy of a report: its explode values and its output file."""

    report: Report
    values: tuple[tuple[str, str], ...]

    @property
    def explode(self) -> dict[str, str]:
        return dict(self.values)

    def output_path(self, output_folder: Path) -> Path:
        """`<out>/<key>.tsv`, or `<out>/<key>/<v1>/.../<vn>.tsv` by sorted placeholder name."""
        if not self.values:
            return output_folder / f"{self.report.key}.tsv"
        ordered = [value for _, value in sorted(self.values)]
        return output_folder.joinpath(self.report.key, *ordered[:-1], f"{ordered[-1]}.tsv")

    def label(self) -> str:
        if not self.values:
            return self.report.key
        return self.report.key + "[" + ",".join(f"{k}={v}" for k, v in sorted(self.values)) + "]"


def truncate(day: dt.date, granularity: Granularity) -> dt.date:
    if granularity == "weeks":
        return day - dt.timedelta(days=day.isoweekday() % 7)
    if granularity == "months":
        return day.replace(day=1)
    return day


def step(day: dt.date, granularity: Granularity, count: int = 1) -> dt.date:
    if granularity == "days":
        return day + dt.timedelta(days=count)
    if granularity == "weeks":
        return day + dt.timedelta(days=7 * count)
    months = day.year * 12 + day.month - 1 + count
    return dt.date(months // 12, months % 12 + 1, 1)


def due_intervals(report: Report, now: dt.datetime) -> list[Interval]:
    """Every complete interval from `starts` up to `now - lag`, oldest first."""
    spec = report.spec
    granularity = spec.granularity
    first = truncate(spec.starts, granularity)
    horizon = (now - dt.timedelta(seconds=spec.lag)).date()
    last = step(truncate(horizon, granularity), granularity, -1)
    if spec.max_data_points is not None:
        first = max(first, step(last, granularity, -(spec.max_data_points - 1)))
    intervals = []
    current = first
    while current <= last:
        if spec.ends is not None and current >= spec.ends:
            break
        intervals.append(Interval(current, step(current, granularity)))
        current = step(current, granularity)
    return intervals


def variants(report: Report) -> list[Variant]:
    """The cartesian product of the explode values (one variant when there are none)."""
    names = sorted(report.explode)
    combos = itertools.product(*(report.explode[name] for name in names))
    return [Variant(report, tuple(zip(names, combo, strict=True))) for combo in combos]


@dataclass(frozen=True)
class Rerun:
    """One `.reruns/<file>`: [start, end) for some report keys."""

    path: Path
    start: dt.date
    end: dt.date
    reports: tuple[str, ...]

    def covers(self, key: str, day: dt.date) -> bool:
        return key in self.reports and self.start <= day < self.end


def read_reruns(query_folder: Path) -> list[Rerun]:
    """Parse `<query_folder>/.reruns/*`; unparseable files are logged and left in place."""
    directory = query_folder / ".reruns"
    found: list[Rerun] = []
    if not directory.is_dir():
        return found
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        try:
            start = dt.datetime.strptime(lines[0], "%Y-%m-%d").date()
            end = dt.datetime.strptime(lines[1], "%Y-%m-%d").date()
        except (IndexError, ValueError):
            log.warning("rerun file %s is not START, END, REPORT... lines; ignored", path)
            continue
        found.append(Rerun(path, start, end, tuple(line for line in lines[2:] if line)))
    return found


def missing_intervals(
    variant: Variant, due: list[Interval], done: set[dt.date], reruns: list[Rerun]
) -> list[Interval]:
    """Due intervals whose start has no row, or is covered by a rerun of this report."""
    key = variant.report.key
    return [
        interval
        for interval in due
        if interval.start not in done or any(r.covers(key, interval.start) for r in reruns)
    ]


def placeholders(report: Report, interval: Interval, explode: dict[str, str]) -> dict[str, str]:
    """The str.format values of a template for one interval (reference §2.2)."""
    values: dict[str, str]
    if report.type == "sql":
        values = {
            "from_timestamp": interval.start.strftime("%Y%m%d000000"),
            "to_timestamp": interval.end.strftime("%Y%m%d000000"),
        }
    else:
        values = {
            "from_date": interval.start.isoformat(),
            "to_date": interval.end.isoformat(),
            "year": f"{interval.start.year:04d}",
            "month": f"{interval.start.month:02d}",
            "day": f"{interval.start.day:02d}",
        }
    values.update(explode)
    return values


def script_arguments(report: Report, interval: Interval, explode: dict[str, str]) -> list[str]:
    """start, end, one value per placeholder (sorted by name), then the script's folder."""
    assert report.script is not None
    return [
        interval.start.isoformat(),
        interval.end.isoformat(),
        *(explode[name] for name in sorted(explode)),
        str(report.script.parent),
    ]


def fill_template(template: str, values: dict[str, str]) -> str:
    """`str.format` the template, as ReportUpdater does; errors name the placeholder."""
    try:
        return template.format(**values)
    except KeyError as error:
        known = ", ".join("{" + name + "}" for name in sorted(values))
        raise ReportError(
            f"the query uses the unknown placeholder {{{error.args[0]}}} (known: {known})",
            hint="write a literal brace as {{ or }} (for example '[0-9]{{4}}')",
        ) from None
    except (IndexError, ValueError) as error:
        raise ReportError(
            f"the query is not a valid str.format template: {error}",
            hint="write a literal brace as {{ or }} (for example '[0-9]{{4}}')",
        ) from None
