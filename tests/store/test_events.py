import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tallyflow.project import EventStoreSettings
from tallyflow.schemas.repository import SchemaRepository
from tallyflow.store import catalog
from tallyflow.store.events import EventStore
from tests.store.conftest import FIXTURES, codemirror_event


def count(root: Path, sql: str = "select count(*) from event.codemirrorusage") -> int:
    if not catalog.stored_tables(root):
        return 0
    con = catalog.connect(root)
    try:
        return int(con.execute(sql).fetchone()[0])  # type: ignore[index]
    finally:
        con.close()


def test_bulk_path_writes_hive_partitions_by_meta_dt(
    tmp_path: Path, repository: SchemaRepository
) -> None:
    store = EventStore(tmp_path, repository)
    receipt = store.write_batch(
        [codemirror_event(1), codemirror_event(2, dt="2026-02-10T23:59:59Z")]
    )
    assert receipt.rows == {"codemirrorusage": 2}
    rel = sorted(str(p.parent.relative_to(tmp_path)) for p in receipt.files)
    assert rel == [
        "events/event/codemirrorusage/year=2026/month=1/day=2/hour=3",
        "events/event/codemirrorusage/year=2026/month=2/day=10/hour=23",
    ]
    con = catalog.connect(tmp_path)
    row = con.execute(
        "select event.editor, webhost, _schema, useragent.browser_family, year, month, day, hour "
        "from event.CodeMirrorUsage order by month"
    ).fetchone()
    con.close()
    assert row == (
        "wikitext",
        "en.wikipedia.org",
        codemirror_event().schema_uri,
        "Firefox",
        2026,
        1,
        2,
        3,
    )


def test_durable_path_is_queryable_after_a_flush(
    tmp_path: Path, repository: SchemaRepository
) -> None:
    store = EventStore(tmp_path, repository, EventStoreSettings(flush_interval=0.2))
    store.start()

    async def send() -> None:
        await asyncio.gather(*(store.write([codemirror_event(n)]) for n in range(50)))

    asyncio.run(send())
    deadline = 50
    while count(tmp_path) < 50 and deadline:
        asyncio.run(asyncio.sleep(0.1))
        deadline -= 1
    assert count(tmp_path) == 50
    store.close()
    assert list((tmp_path / "wal").iterdir()) == []


def test_close_flushes_what_is_left(tmp_path: Path, repository: SchemaRepository) -> None:
    store = EventStore(tmp_path, repository, EventStoreSettings(flush_interval=3600))
    store.start()
    store.write_sync([codemirror_event(n) for n in range(5)])
    assert count(tmp_path) == 0
    store.close()
    assert count(tmp_path) == 5


def test_new_optional_field_adds_a_column_and_old_files_stay_readable(
    tmp_path: Path, repository: SchemaRepository
) -> None:
    store = EventStore(tmp_path, repository)
    old = codemirror_event(1)
    old = type(old)(old.stream, "/analytics/legacy/codemirrorusage/1.0.0", old.event)
    store.write_batch([old])
    store.write_batch([codemirror_event(2, user_id=7)])
    con = catalog.connect(tmp_path)
    rows = con.execute(
        "select event.session_token, event.user_id from event.codemirrorusage order by 1"
    ).fetchall()
    con.close()
    assert rows == [("s1", None), ("s2", 7)]


def test_rows_arrow_cannot_take_are_quarantined_not_lost(
    tmp_path: Path, repository: SchemaRepository
) -> None:
    store = EventStore(tmp_path, repository)
    receipt = store.write_batch([codemirror_event(1), codemirror_event(2, user_id="seven")])
    assert receipt.rows == {"codemirrorusage": 1}
    assert receipt.quarantined == {"codemirrorusage": 1}
    kept = list((tmp_path / "quarantine" / "codemirrorusage").glob("*.jsonl"))
    assert len(kept) == 1 and b'"seven"' in kept[0].read_bytes()


def test_replaying_a_segment_twice_writes_each_event_once(
    tmp_path: Path, repository: SchemaRepository
) -> None:
    store = EventStore(tmp_path, repository)
    store.start()
    store.write_sync([codemirror_event(n) for n in range(10)])
    wal = store._wal
    assert wal is not None
    segment = wal.rotate()
    assert segment is not None
    copy = segment.read_bytes()
    store._flush_segment(segment)
    segment.write_bytes(copy)  # as if the process died between Parquet and deleting the log
    store.close()
    assert EventStore(tmp_path, repository).recover().rows == {"codemirrorusage": 10}
    assert count(tmp_path) == 10
    files = list(tmp_path.rglob("*.parquet"))
    assert sum(pq.read_metadata(f).num_rows for f in files) == 10


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tallyflow.project import EventStoreSettings
    from tallyflow.schemas.repository import SchemaRepository
    from tallyflow.store.events import EventStore
    from tests.store.conftest import codemirror_event

    store = EventStore(Path(sys.argv[1]), SchemaRepository([Path(sys.argv[2])]),
                       EventStoreSettings(flush_interval=0.05))
    store.start()
    n = 0
    while True:
        store.write_sync([codemirror_event(n + i) for i in range(7)])
        n += 7
        print(n, flush=True)  # acknowledged: durable in the log
    """
)


@pytest.mark.slow
def test_kill_9_during_writes_loses_no_acknowledged_event_and_duplicates_none(
    tmp_path: Path, repository: SchemaRepository
) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path.cwd()), *sys.path])}
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path), str(FIXTURES / "schemas")],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).parents[2],
    )
    assert process.stdout is not None
    acknowledged = 0
    for line in process.stdout:
        acknowledged = int(line)
        if acknowledged >= 3_000:
            break
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()
    EventStore(tmp_path, repository).recover()
    con = catalog.connect(tmp_path)
    total, distinct = con.execute(
        "select count(*), count(distinct meta.id) from event.codemirrorusage"
    ).fetchone()  # type: ignore[misc]
    con.close()
    assert total == distinct  # exactly once
    assert total >= acknowledged  # every acknowledged event (and perhaps a few not yet printed)
    assert list((tmp_path / "wal").glob("*.log")) == []


def test_columnar_bulk_path_matches_the_event_path(
    tmp_path: Path, repository: SchemaRepository
) -> None:
    events = [codemirror_event(n, dt=f"2026-01-02T0{n % 3}:00:00Z") for n in range(6)]
    by_dict, by_columns = tmp_path / "a", tmp_path / "b"
    EventStore(by_dict, repository).write_batch(events)
    data = pa.Table.from_pylist([e.event for e in events])
    receipt = EventStore(by_columns, repository).write_columns(
        events[0].stream, events[0].schema_uri, data
    )
    assert receipt.rows == {"codemirrorusage": 6} and len(receipt.files) == 3
    sql = (
        "select meta.id, webhost, _schema, event.toggled, useragent.browser_family, hour "
        "from event.codemirrorusage order by 1"
    )
    results = []
    for root in (by_dict, by_columns):
        con = catalog.connect(root)
        results.append(con.execute(sql).fetchall())
        con.close()
    assert results[0] == results[1] and len(results[0]) == 6
    assert results[1][0][4] == "Firefox"
