import asyncio
from pathlib import Path

import orjson
import pytest

from tallyflow.collect.sink import EventSink, JsonLinesSink
from tallyflow.errors import StoreError
from tallyflow.records import AcceptedEvent


def event(n: int) -> AcceptedEvent:
    return AcceptedEvent("s", "/test/0.0.2", {"n": n})


async def test_concurrent_writes_all_land_as_json_lines(tmp_path: Path) -> None:
    sink = JsonLinesSink(tmp_path / "out" / "events.jsonl")
    assert isinstance(sink, EventSink)
    await sink.start()
    await asyncio.gather(*(sink.write([event(i), event(i + 1000)]) for i in range(200)))
    await sink.close()
    lines = (tmp_path / "out" / "events.jsonl").read_bytes().splitlines()
    assert sorted(orjson.loads(line)["n"] for line in lines) == sorted(
        [*range(200), *range(1000, 1200)]
    )


async def test_write_before_start_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not started"):
        await JsonLinesSink(tmp_path / "x.jsonl").write([event(1)])
