from datetime import UTC, datetime, timedelta
from pathlib import Path

from tallyflow.records import AcceptedEvent
from tallyflow.schemas.repository import SchemaRepository
from tallyflow.store import catalog
from tallyflow.store.compact import compact, compact_partition, finish_interrupted
from tallyflow.store.events import EventStore
from tests.store.conftest import codemirror_event

HOUR = "events/event/codemirrorusage/year=2026/month=1/day=2/hour=3"


def rows(root: Path) -> list[tuple[str, int | None]]:
    con = catalog.connect(root)
    try:
        return con.execute(
            "select event.session_token, event.user_id from event.codemirrorusage order by 1"
        ).fetchall()
    finally:
        con.close()


def fill(root: Path, repository: SchemaRepository) -> EventStore:
    store = EventStore(root, repository)
    old = codemirror_event(0)
    store.write_batch(
        [AcceptedEvent(old.stream, "/analytics/legacy/codemirrorusage/1.0.0", old.event)]
    )
    for n in range(1, 4):
        store.write_batch([codemirror_event(n, user_id=n)])
    return store


def test_closed_hours_become_one_file_with_every_row(
    tmp_path: Path, repository: SchemaRepository
) -> None:
    fill(tmp_path, repository)
    before = rows(tmp_path)
    assert len(list((tmp_path / HOUR).glob("*.parquet"))) == 4
    receipt = compact(tmp_path, datetime(2026, 1, 2, 5, tzinfo=UTC))
    assert (receipt.partitions, receipt.files_in, receipt.files_out) == (1, 4, 1)
    assert len(list((tmp_path / HOUR).glob("*.parquet"))) == 1
    assert rows(tmp_path) == before == [("s0", None), ("s1", 1), ("s2", 2), ("s3", 3)]


def test_the_current_hour_is_left_alone(tmp_path: Path, repository: SchemaRepository) -> None:
    fill(tmp_path, repository)
    assert compact(tmp_path, datetime(2026, 1, 2, 4, 2, tzinfo=UTC)).partitions == 0
    assert compact(tmp_path, datetime(2026, 1, 2, 4, 6, tzinfo=UTC), timedelta(0)).partitions == 1


def test_a_crash_between_writing_and_deleting_is_finished_at_start(
    tmp_path: Path, repository: SchemaRepository
) -> None:
    fill(tmp_path, repository)
    hour = tmp_path / HOUR
    saved = {p.name: p.read_bytes() for p in hour.glob("*.parquet")}
    compact_partition(hour)
    for name, data in saved.items():  # as if the process died before deleting its inputs
        (hour / name).write_bytes(data)
    assert len(rows(tmp_path)) == 8
    assert finish_interrupted(tmp_path) == 4
    assert len(rows(tmp_path)) == 4
