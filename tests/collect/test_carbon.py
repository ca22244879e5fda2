"""The carbon plaintext receiver: real TCP clients, real whisper files."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from tallyflow.collect.carbon import CarbonReceiver, parse_plaintext
from tallyflow.project import SeriesSettings
from tallyflow.records import MetricPoint
from tallyflow.store.series import SeriesStore


@pytest.mark.parametrize(
    "line,expected",
    [
        (b"a.b 1.5 1700000000\n", MetricPoint("a.b", 1.5, 1700000000)),
        (b"a.b 2 1700000000.9", MetricPoint("a.b", 2, 1700000000)),
        (b"a.b nan 1700000000", None),
        (b"a.b 1", "field_count"),
        (b"a.b x 1700000000", "bad_number"),
        (b"a.b inf 1700000000", "bad_number"),
        (b"a b c d", "field_count"),
    ],
)
def test_parse_plaintext(line: bytes, expected: object) -> None:
    assert parse_plaintext(line) == expected


def test_receiver_writes_lines_from_several_connections(tmp_path: Path) -> None:
    store = SeriesStore(tmp_path, SeriesSettings())
    receiver = CarbonReceiver(store, "127.0.0.1", 0, write_interval=0.05)
    receiver.start()
    now = int(time.time()) // 600 * 600  # the default schema keeps 10-minute points
    try:
        for payload in (
            f"reports.edits.daily 42 {now}\nreports.edits.daily 43 {now - 600}\n",
            f"not a line\n..evil 1 {now}\nreports.other 7 {now}\n",
        ):
            with socket.create_connection(("127.0.0.1", receiver.port)) as conn:
                conn.sendall(payload.encode())
        deadline = time.monotonic() + 5
        while receiver.totals.written < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        receiver.close()
    assert receiver.received == 5
    assert receiver.bad_lines == {"bad_number": 1}
    assert receiver.totals.rejected == 1  # the unsafe path
    values = {ts: v for ts, v in store.fetch("reports.edits.daily", now - 700, now + 1) if v}
    assert values == {now: 42, now - 600: 43}
    assert (tmp_path / "reports" / "other.wsp").exists()
