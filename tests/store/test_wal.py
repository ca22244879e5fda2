import asyncio
import os
from pathlib import Path

from tallyflow.store.wal import WriteAheadLog, encode, orphaned_segments, read_segment
from tests.store.conftest import codemirror_event


def test_records_round_trip(tmp_path: Path) -> None:
    events = [codemirror_event(n) for n in range(3)]
    path = tmp_path / "a.log"
    path.write_bytes(encode(events))
    assert list(read_segment(path)) == events


def test_a_torn_tail_ends_the_replay(tmp_path: Path) -> None:
    events = [codemirror_event(n) for n in range(3)]
    data = encode(events)
    path = tmp_path / "a.log"
    path.write_bytes(data[:-5])
    assert list(read_segment(path)) == events[:2]
    corrupt = bytearray(data)
    corrupt[-3] ^= 0xFF
    path.write_bytes(bytes(corrupt))
    assert list(read_segment(path)) == events[:2]


def test_concurrent_appends_are_group_committed(tmp_path: Path) -> None:
    wal = WriteAheadLog(tmp_path / "wal")
    wal.open()

    async def many() -> None:
        await asyncio.gather(*(wal.append([codemirror_event(n)]) for n in range(200)))

    asyncio.run(many())
    assert wal.appended == 200
    assert wal.fsyncs < 200  # appends that arrive during an fsync share the next one
    segment = wal.close()
    assert segment is not None
    assert sorted(e.event["event"]["session_token"] for e in read_segment(segment)) == sorted(
        f"s{n}" for n in range(200)
    )


def test_live_segments_are_not_orphans_but_closed_ones_are(tmp_path: Path) -> None:
    wal = WriteAheadLog(tmp_path)
    wal.open()
    wal.append_sync([codemirror_event()])
    assert list(orphaned_segments(tmp_path)) == []
    closed = wal.rotate()
    assert closed is not None
    found = list(orphaned_segments(tmp_path))
    assert [path for path, _ in found] == [closed]
    for _, fd in found:
        os.close(fd)
    assert wal.close() is None  # the new segment is empty and is removed
    assert sorted(tmp_path.iterdir()) == [closed]
