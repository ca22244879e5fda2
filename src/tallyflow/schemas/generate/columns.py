"""Vectorised building blocks: whole Arrow columns of random values from a numpy generator.

Each function takes a `numpy.random.Generator` and a row count and returns a `pyarrow.Array`
without nulls; strings are assembled straight into Arrow buffers (no Python object per value).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_HEX_PAIRS = np.stack([_HEX_DIGITS[np.arange(256) >> 4], _HEX_DIGITS[np.arange(256) & 15]], axis=1)
_UUID_DASHES = (8, 13, 18, 23)


def _fixed_width(rows: np.ndarray) -> pa.Array:
    """Rows of a (n, width) uint8 array of ASCII as a string column."""
    count, width = rows.shape
    offsets = np.arange(count + 1, dtype=np.int32) * width
    data = np.ascontiguousarray(rows, dtype=np.uint8)
    return pa.Array.from_buffers(
        pa.string(), count, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


def hex_ids(rng: np.random.Generator, count: int, nbytes: int = 10) -> pa.Array:
    """Random lowercase hex strings of `2 * nbytes` characters (10 bytes: a session id)."""
    raw = rng.integers(0, 256, size=(count, nbytes), dtype=np.uint8)
    return _fixed_width(_HEX_PAIRS[raw].reshape(count, 2 * nbytes))


def hex_from_bytes(raw: np.ndarray) -> pa.Array:
    """Hex strings of the rows of a (n, k) uint8 array."""
    count, nbytes = raw.shape
    return _fixed_width(_HEX_PAIRS[raw].reshape(count, 2 * nbytes))


def uuid4s(rng: np.random.Generator, count: int) -> pa.Array:
    """Random version-4 UUIDs in their 36-character lowercase form."""
    raw = rng.integers(0, 256, size=(count, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    digits = _HEX_PAIRS[raw].reshape(count, 32)
    rows = np.full((count, 36), ord("-"), dtype=np.uint8)
    rows[:, 0:8], rows[:, 9:13], rows[:, 14:18] = digits[:, 0:8], digits[:, 8:12], digits[:, 12:16]
    rows[:, 19:23], rows[:, 24:36] = digits[:, 16:20], digits[:, 20:32]
    return _fixed_width(rows)


def letters(
    rng: np.random.Generator, count: int, shortest: int, longest: int, alphabet: bytes
) -> pa.Array:
    """Random strings from `alphabet`, lengths uniform in [shortest, longest]."""
    lengths = rng.integers(shortest, longest + 1, size=count, dtype=np.int64)
    offsets = np.zeros(count + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    table = np.frombuffer(alphabet, dtype=np.uint8)
    data = table[rng.integers(0, len(table), size=int(offsets[-1]))]
    return pa.Array.from_buffers(
        pa.string(), count, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


def choice(
    rng: np.random.Generator,
    count: int,
    values: Sequence[Any],
    arrow_type: pa.DataType,
    weights: Sequence[float] | None = None,
) -> pa.Array:
    """`count` values drawn from `values` (with relative `weights`, or uniformly)."""
    if len(values) == 1:
        indices = np.zeros(count, dtype=np.int64)
    elif weights is None:
        indices = rng.integers(0, len(values), size=count)
    else:
        p = np.asarray(weights, dtype=np.float64)
        indices = np.searchsorted(np.cumsum(p / p.sum()), rng.random(count), side="right")
        indices = np.minimum(indices, len(values) - 1)
    return from_table(pa.array(values, type=arrow_type), indices)


def from_table(table: pa.Array, indices: np.ndarray) -> pa.Array:
    """`table[indices]`; strings stay dictionary-encoded (no copy of each string)."""
    if pa.types.is_string(table.type):
        return pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), table)
    return table.take(pa.array(indices))


_DECIMAL_PAIRS = np.array([[48 + i // 10, 48 + i % 10] for i in range(100)], dtype=np.uint8)
_DAY_MS = 86_400_000


def _digits(rows: np.ndarray, column: int, values: np.ndarray, width: int) -> None:
    """Write `values` as `width` zero-padded decimal digits into rows[:, column:column+width]."""
    position = column + width
    while width >= 2:
        values, pair = np.divmod(values, 100)
        rows[:, position - 2 : position] = _DECIMAL_PAIRS[pair]
        position, width = position - 2, width - 2
    if width:
        rows[:, position - 1] = values % 10 + 48


def _text_table(template: bytes, fields: list[tuple[int, np.ndarray, int]]) -> np.ndarray:
    """Fixed-width strings from a template with decimal fields (column, values, width) filled."""
    rows = np.empty((len(fields[0][1]), len(template)), dtype=np.uint8)
    rows[:] = np.frombuffer(template, dtype=np.uint8)
    for column, values, width in fields:
        _digits(rows, column, values, width)
    return rows.view(f"S{len(template)}").ravel()


_SECOND = np.arange(86_400)
_CLOCK = _text_table(b"00:00:00", [(0, _SECOND // 3600, 2), (3, _SECOND // 60 % 60, 2),
                                   (6, _SECOND % 60, 2)])  # fmt: skip
_MILLIS = _text_table(b".000Z", [(1, np.arange(1000), 3)])


def iso_times(epoch_ms: np.ndarray) -> pa.Array:
    """Epoch milliseconds as ISO-8601 UTC strings with milliseconds: `2026-01-01T00:00:00.000Z`.

    Built from three lookup tables (date of each distinct day, time of day to the second,
    milliseconds), gathered into 24-byte rows.
    """
    ms = np.asarray(epoch_ms, dtype=np.int64)
    days = ms // _DAY_MS
    first = int(days.min()) if len(days) else 0
    span = np.arange(first, (int(days.max()) if len(days) else first) + 1, dtype=np.int64)
    year, month, day, _ = _calendar(span * _DAY_MS)
    dates = _text_table(b"0000-00-00T", [(0, year, 4), (5, month, 2), (8, day, 2)])
    within = ms - days * _DAY_MS
    rows = np.empty(len(ms), dtype=[("date", "S11"), ("clock", "S8"), ("millis", "S5")])
    rows["date"] = dates[days - first]
    rows["clock"] = _CLOCK[within // 1000]
    rows["millis"] = _MILLIS[within % 1000]
    return _fixed_width(rows.view(np.uint8).reshape(len(ms), 24))


def _calendar(epoch_ms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(year, month, day, milliseconds into the day) of epoch milliseconds (UTC)."""
    stamps = np.asarray(epoch_ms, dtype=np.int64).astype("datetime64[ms]")
    days = stamps.astype("datetime64[D]")
    months = stamps.astype("datetime64[M]")
    year = months.astype(np.int64) // 12 + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day, (stamps - days).astype(np.int64)


def compact_times(epoch_ms: np.ndarray) -> pa.Array:
    """Epoch milliseconds as MediaWiki timestamp digits plus milliseconds: 20260101000000000."""
    year, month, day, ms_of_day = _calendar(epoch_ms)
    ymd = year * 10000 + month * 100 + day
    hours, rest = np.divmod(ms_of_day, 3_600_000)
    minutes, rest = np.divmod(rest, 60_000)
    seconds, millis = np.divmod(rest, 1000)
    value = ymd * 10**9 + hours * 10**7 + minutes * 10**5 + seconds * 10**3 + millis
    return pa.array(value, type=pa.int64())


def log_uniform(rng: np.random.Generator, count: int, low: float, high: float) -> np.ndarray:
    """Floats in [low, high] with log-uniform weight on (value - low + 1): many small values."""
    span = np.log1p(high - low)
    values: np.ndarray = low + np.expm1(rng.random(count) * span)
    return values
