"""Graphite lines of a report (aggregate stage: result rows in, plaintext lines out).

ReportUpdater's mapping (reference §4.6): for each row and each `metrics` entry (in order), the
metric name is `path.format(**values)` where values are the explode values (through the
`lookups` of the top-level `graphite:`), then every row column by header name, then `_metric`;
the value is the row's value in the metric's column. tallyflow skips values that are not
numbers (the reference sent `NULL` and empty fields verbatim), can sanitise names, and stamps
points at the row date's midnight UTC (local midnight with `compat.graphite_timestamps: local`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
import time

from tallyflow.aggregate.config import GraphiteMapping
from tallyflow.errors import ReportError
from tallyflow.publish.tsv import Row

log = logging.getLogger("tallyflow.reports")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.=-]")


def timestamp(day: dt.date, local: bool = False) -> int:
    midnight = dt.datetime(day.year, day.month, day.day)
    if local:
        return int(time.mktime(midnight.timetuple()))
    return calendar.timegm(midnight.timetuple())


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower() not in ("nan", "inf", "-inf", "infinity")


def graphite_lines(
    mapping: GraphiteMapping,
    explode: dict[str, str],
    lookups: dict[str, dict[str, str]],
    header: list[str],
    rows: list[Row],
    day: dt.date,
    *,
    sanitize: bool = False,
    local_time: bool = False,
) -> list[str]:
    """Plaintext lines for the rows of one date."""
    stamp = timestamp(day, local_time)
    lines = []
    base = {name: lookups.get(name, {}).get(value, value) for name, value in explode.items()}
    for row in rows:
        values: dict[str, object] = dict(base)
        values.update(
            {name: "" if value is None else value for name, value in zip(header, row, strict=True)}
        )
        for metric, column in mapping.metrics.items():
            values["_metric"] = metric
            try:
                name = mapping.path.format(**values)
            except (KeyError, IndexError, ValueError) as error:
                raise ReportError(
                    f"graphite path {mapping.path!r} cannot be filled: {error!r} "
                    f"(row columns: {', '.join(header)})",
                    hint="every {name} in `path` must be a result column, an explode_by "
                    "placeholder or {_metric}",
                ) from None
            if column not in header:
                raise ReportError(
                    f"graphite metric {metric!r} reads column {column!r}, which the result "
                    f"does not have ({', '.join(header)})"
                )
            value = row[header.index(column)]
            if value is None:
                continue
            if not _is_number(value):
                log.warning(
                    "graphite: %s on %s has no numeric value (%r); skipped", name, day, value
                )
                continue
            if sanitize:
                name = _UNSAFE.sub("_", name)
            if " " in name or '"' in name or not name:
                raise ReportError(
                    f"graphite metric name {name!r} contains a space or a quote",
                    hint="set `sanitize: true` under the top-level `graphite:` to replace them",
                )
            lines.append(f"{name} {value} {stamp}\n")
    return lines
