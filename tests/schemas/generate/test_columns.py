"""The vectorised building blocks agree with Python's own formatting."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow as pa

from tallyflow.schemas.generate import columns

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def test_iso_times_match_datetime_formatting() -> None:
    rng = np.random.default_rng(4)
    stamps = np.concatenate(
        [rng.integers(1_600_000_000_000, 1_800_000_000_000, 3000), [0, 253402300799999]]
    )
    expected = [
        (EPOCH + timedelta(milliseconds=int(ms))).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        for ms in stamps
    ]
    assert columns.iso_times(stamps).to_pylist() == expected


def test_compact_times_are_mediawiki_timestamps_with_milliseconds() -> None:
    assert columns.compact_times(np.array([1614113405123])).to_pylist() == [20210223205005123]


def test_ids_and_uuids() -> None:
    rng = np.random.default_rng(1)
    ids = columns.hex_ids(rng, 500).to_pylist()
    assert all(re.fullmatch(r"[0-9a-f]{20}", i) for i in ids) and len(set(ids)) == 500
    for text in columns.uuid4s(rng, 500).to_pylist():
        assert uuid.UUID(text).version == 4 and str(uuid.UUID(text)) == text


def test_letters_and_choice() -> None:
    rng = np.random.default_rng(2)
    words = columns.letters(rng, 300, 2, 5, b"xyz").to_pylist()
    assert all(2 <= len(w) <= 5 and set(w) <= set("xyz") for w in words)
    picked = columns.choice(rng, 1000, ["a", "b"], pa.string(), [1, 0]).to_pylist()
    assert picked == ["a"] * 1000
