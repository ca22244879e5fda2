"""Graphite's time forms: `from`/`until` values and interval strings -> epoch seconds.

Input: text as graphite-web's render API takes it (`now`, `-7d`, `now-1h`, `1700000000`,
`20260105`, `12:00_20260105`, `midnight`, `yesterday`) and intervals (`5min`, `1h`, `2w`,
`1mon` = 30 days, `1y` = 365 days). Output: integers, in UTC (graphite-web uses its configured
TIME_ZONE; tallyflow's store and dashboards are UTC).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tallyflow.errors import QueryError

UNITS = (
    ("s", 1),
    ("min", 60),
    ("h", 3600),
    ("d", 86400),
    ("w", 7 * 86400),
    ("mon", 30 * 86400),
    ("y", 365 * 86400),
)
OFFSET_PART = re.compile(r"(\d+)([a-z]+)")
TIME_OF_DAY = re.compile(r"(\d{1,2}):(\d{2})(am|pm)?")
NAMED_TIMES = {"noon": 12, "midnight": 0, "teatime": 16}
DAY_SHIFTS = {"today": 0, "yesterday": -1, "tomorrow": 1}


def offset_seconds(text: str) -> int:
    """`-1h` -> -3600, `5min` -> 300, `1h30min` -> 5400 (graphite-web's parseTimeOffset)."""
    body = text.strip().lower()
    sign = -1 if body.startswith("-") else 1
    body = body.lstrip("+-")
    total, pos = 0, 0
    while pos < len(body):
        match = OFFSET_PART.match(body, pos)
        if not match:
            raise QueryError(
                f"bad time offset {text!r}",
                hint="write a number and a unit: 30s, 5min, 1h, 7d, 2w, 1mon, 1y",
            )
        number, unit = int(match.group(1)), match.group(2)
        seconds = next((s for prefix, s in UNITS if unit.startswith(prefix)), None)
        if seconds is None:
            raise QueryError(
                f"bad time unit {unit!r} in {text!r}",
                hint="units: s, min, h, d, w, mon, y (graphite reads m as nothing)",
            )
        total += number * seconds
        pos = match.end()
    if not body:
        raise QueryError(f"empty time offset {text!r}")
    return sign * total


def interval_seconds(text: str) -> int:
    """A positive interval such as summarize's `1h`."""
    seconds = abs(offset_seconds(text))
    if seconds == 0:
        raise QueryError(f"interval {text!r} is zero", hint="write e.g. 10min or 1d")
    return seconds


def parse_time(text: str, now: int) -> int:
    """A `from`/`until` value -> epoch seconds; relative forms count from `now`."""
    value = text.strip().lower().replace("_", "").replace(",", "").replace(" ", "")
    if value.isdigit() and not _is_date(value):
        return int(value)
    reference, offset = value, ""
    for sign in "+-":
        if sign in value:
            reference, rest = value.split(sign, 1)
            offset = sign + rest
            break
    return _reference(reference, now, text) + (offset_seconds(offset) if offset else 0)


def _is_date(digits: str) -> bool:
    """YYYYMMDD rather than an epoch (graphite-web's test)."""
    return (
        len(digits) == 8
        and int(digits[:4]) > 1900
        and int(digits[4:6]) < 13
        and int(digits[6:]) < 32
    )


def _reference(ref: str, now: int, text: str) -> int:
    if ref in ("", "now"):
        return now
    moment = datetime.fromtimestamp(now, UTC).replace(minute=0, second=0, microsecond=0)
    hour, minute = 0, 0
    clock = TIME_OF_DAY.match(ref)
    if clock:
        hour, minute = int(clock.group(1)) % 24, int(clock.group(2))
        if clock.group(3) == "pm":
            hour = (hour + 12) % 24
        ref = ref[clock.end() :]
    for name, named_hour in NAMED_TIMES.items():
        if ref.startswith(name):
            hour, ref = named_hour, ref[len(name) :]
    moment = moment.replace(hour=hour, minute=minute)
    if ref in DAY_SHIFTS:
        return int((moment + timedelta(days=DAY_SHIFTS[ref])).timestamp())
    if len(ref) == 8 and ref.isdigit():
        try:
            day = datetime(int(ref[:4]), int(ref[4:6]), int(ref[6:]), hour, minute, tzinfo=UTC)
        except ValueError:
            raise QueryError(f"bad date in time {text!r}", hint="dates are YYYYMMDD") from None
        return int(day.timestamp())
    if ref:
        raise QueryError(
            f"unknown time reference {ref!r} in {text!r}",
            hint="write now, -1h, now-7d, an epoch, YYYYMMDD, HH:MM_YYYYMMDD, today, yesterday",
        )
    return int(moment.timestamp())
