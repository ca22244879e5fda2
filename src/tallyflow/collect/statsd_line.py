"""StatsD line parser (collect stage): one line of a UDP packet -> samples, or a failure reason.

Input: one line (bytes, no newline) as Etsy statsd 0.9.0 and DogStatsD clients send it:
`key:value|type[|@rate][|#tag:v,...][|c:container][|T<ts>]`, with any number of extra
`:value|type` samples after the first. Output: a tuple of `Sample`s (all samples of the line) or a
`BadLine` naming why the line was refused. The parser is pure: no state, no I/O.

Keys are built as Etsy builds them: DogStatsD tags are appended as `;k=v` (first `;` of a tag
becomes `_`, its first `:` becomes `=`), then the key is sanitised (whitespace runs -> `_`,
`/` -> `-`, anything outside `[A-Za-z0-9_.;=-]` deleted). Deliberate deviations from Etsy are
listed in docs/statsd.md and marked "deviation" below.
"""

from __future__ import annotations

import math
import re
from typing import Any, NamedTuple

COUNTER = "c"
TIMER = "ms"
HISTOGRAM = "h"
GAUGE = "g"
SET = "s"

_WHITESPACE = re.compile(rb"\s+")
_NOT_KEY_CHAR = re.compile(rb"[^A-Za-z0-9_\-.;=]")
_NUMBER = re.compile(rb"\s*[-+]?(\d+\.?\d*(e[-+]?\d+)?|\.\d+(e[-+]?\d+)?|0x[0-9a-f]+)\s*", re.I)
# DogStatsD histograms and distributions (`h`, `d`) are observations flushed like timers
# (deviation: Etsy counts them as counters). Any other unknown type is a counter, as in Etsy.
_HISTOGRAM_TYPES = frozenset((b"h", b"d"))


class Sample(NamedTuple):
    """One parsed sample. `value` is a float, or a str for sets; `delta` marks a signed gauge."""

    kind: str
    key: str
    value: Any  # float, or str for sets
    rate: float = 1.0
    delta: bool = False


class BadLine(NamedTuple):
    """A refused line: `reason` is a short snake_case word used as a counter label."""

    reason: str
    line: bytes


_SANITIZED: dict[bytes, str] = {}
_SANITIZED_MAX = 100_000


def sanitize_key(raw: bytes) -> str:
    """Etsy's keyNameSanitize: `fo/o` -> `fo-o`, `b ar` -> `b_ar`, `foo+bar` -> `foobar`.

    Results are memoised (bounded): real traffic repeats a few thousand names.
    """
    key = _SANITIZED.get(raw)
    if key is None:
        cleaned = _WHITESPACE.sub(b"_", raw).replace(b"/", b"-")
        key = _NOT_KEY_CHAR.sub(b"", cleaned).decode("ascii")
        if len(_SANITIZED) >= _SANITIZED_MAX:
            _SANITIZED.clear()
        _SANITIZED[raw] = key
    return key


def _tag_suffix(tags: bytes) -> bytes:
    out = b""
    for tag in tags.split(b","):
        out += b";" + tag.replace(b";", b"_", 1).replace(b":", b"=", 1)
    return out


def _number(text: bytes) -> float | None:
    """A number as JavaScript's `Number(x)` would accept it (Etsy's isNumber), else None."""
    if not text or not _NUMBER.fullmatch(text):
        return None
    stripped = text.strip()
    if b"x" in stripped.lower():  # JavaScript reads unsigned hex only
        return None if stripped[:1] in (b"+", b"-") else float(int(stripped, 16))
    return float(stripped)


def parse_line(line: bytes) -> tuple[Sample, ...] | BadLine:
    """Parse one non-empty line into its samples (a bad sample makes the whole line bad)."""
    if line.startswith(b"_e{"):
        return BadLine("dogstatsd_event", line)
    if line.startswith(b"_sc|"):
        return BadLine("service_check", line)
    body, has_tags, tag_part = line.partition(b"|#")
    extra: list[bytes] = []
    if has_tags:
        # deviation: fields after the tags (`|@rate`, `|c:id`, `|T<ts>`) stay fields, as in
        # statsd_exporter; Etsy folds them into the last tag.
        tags, *extra = tag_part.split(b"|")
        name, colon, rest = body.partition(b":")
        name += _tag_suffix(tags)
    else:
        name, colon, rest = body.partition(b":")
    if not colon:
        return BadLine("no_value", line)
    key = sanitize_key(name)
    if not key:
        return BadLine("empty_key", line)
    samples = []
    for raw_sample in rest.split(b":"):
        fields = raw_sample.split(b"|")
        if extra:
            fields += extra
        sample = _sample(key, fields)
        if isinstance(sample, str):
            return BadLine(sample, line)
        samples.append(sample)
    return tuple(samples)


def _sample(key: str, fields: list[bytes]) -> Sample | str:
    """One `value|type[|field...]` sample, or the reason it is refused."""
    if len(fields) < 2:
        return "no_type"
    raw_value, raw_type = fields[0], fields[1]
    rate = 1.0
    for field in fields[2:]:
        if field.startswith(b"@"):
            # deviation: the whole number is read (Etsy reads `@2e-1` as 2)
            parsed = _number(field[1:])
            if parsed is None or parsed < 0 or field[1:2] in (b"-", b"+"):
                return "bad_sample_rate"
            if parsed == 0:  # deviation: Etsy divides by zero and flushes Infinity
                return "bad_sample_rate"
            rate = parsed
        elif field.startswith((b"c:", b"T")):  # DogStatsD container id, timestamp: ignored
            continue
        else:
            return "bad_field"
    if raw_type == b"s":
        return Sample(SET, key, raw_value.decode("utf-8", "replace") or "0", rate)
    value = _number(raw_value)
    if value is None or not math.isfinite(value):  # `1e999` overflows to infinity
        return "bad_value"
    if raw_type == b"g":
        return Sample(GAUGE, key, value, rate, raw_value[:1] in (b"+", b"-"))
    if raw_type == b"ms":
        if value < 0:
            return "negative_timer"
        return Sample(TIMER, key, value, rate)
    if raw_type in _HISTOGRAM_TYPES:
        return Sample(HISTOGRAM, key, value, rate)
    if not raw_type:
        return "no_type"
    return Sample(COUNTER, key, value, rate)
