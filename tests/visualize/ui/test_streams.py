"""The Streams page: accepted and invalid events per stream and hour from the event store and
its write-ahead log, and the latest invalid events, posted through the real intake app."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import time
from pathlib import Path
from random import Random

import duckdb
import httpx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tallyflow.project import Project
from tallyflow.visualize.ui.app import create_app
from tallyflow.visualize.ui.streams import HOUR, RowCounts, stream_activity, stream_infos
from tests.collect.test_intake_server import free_port, start
from tests.visualize.ui.conftest import LiveServer
from tests.visualize.ui.intake_events import (
    BAD_EDITOR,
    STREAM,
    post,
    post_sync,
    slow_flush,
    toggle,
)


def _client(project: Project) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(project)), base_url="http://ui"
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_every_configured_stream_is_listed_with_its_table_and_sampling(
    example_project: Project,
) -> None:
    infos = {info.name: info for info in stream_infos(example_project)}
    assert infos[STREAM].table == "codemirror_toggle"
    assert infos[STREAM].schema_title == "analytics/codemirror/toggle"
    assert infos[STREAM].sampling == "6.25% per session"


async def test_events_still_in_the_log_are_counted_at_once(example_project: Project) -> None:
    project = slow_flush(example_project)
    store, response = await post(project, [toggle(), toggle(), toggle(BAD_EDITOR)])
    try:
        assert response.status_code == 207
        activity = stream_activity(project, _now(), hours=24)
        assert activity.in_log == 3
        assert activity.total(activity.accepted, STREAM) == 2
        assert activity.total(activity.invalid, STREAM) == 1
        [invalid] = activity.latest_invalid
        assert invalid.stream == STREAM
        assert "'.editor' should be equal to one of the allowed values" in invalid.message
        assert json.loads(invalid.raw_event)["editor"] == BAD_EDITOR
    finally:
        store.close()


async def test_events_moved_to_parquet_are_counted_once(example_project: Project) -> None:
    project = slow_flush(example_project)
    store, _ = await post(project, [toggle(), toggle(BAD_EDITOR)])
    segment = next((project.store_root / "wal").glob("*.log"))
    kept = segment.read_bytes()
    store.close()  # converts the log to Parquet and deletes the segment
    activity = stream_activity(project, _now(), hours=24)
    assert (
        activity.in_log,
        activity.total(activity.accepted),
        activity.total(activity.invalid),
    ) == (0, 1, 1)
    # a segment converted but not yet deleted: its events are in the log and in Parquet
    segment.write_bytes(kept)
    activity = stream_activity(project, _now(), hours=24)
    assert (
        activity.in_log,
        activity.total(activity.accepted),
        activity.total(activity.invalid),
    ) == (2, 1, 1)
    assert len(activity.latest_invalid) == 1


async def test_counts_are_per_hour_of_the_window_and_series_fill_empty_hours(
    example_project: Project,
) -> None:
    project = slow_flush(example_project)
    old = toggle()
    old["meta"]["dt"] = (_now() - dt.timedelta(days=3)).isoformat()
    store, _ = await post(project, [toggle(), old])
    store.close()
    day = stream_activity(project, _now(), hours=24)
    week = stream_activity(project, _now(), hours=24 * 7)
    assert day.total(day.accepted) == 1 and week.total(week.accepted) == 2
    [series] = day.series(day.accepted, [STREAM])
    assert len(series["datapoints"]) == 24
    assert [value for value, _ in series["datapoints"]][-1] == 1
    assert all(t % HOUR == 0 for _, t in series["datapoints"])


async def test_a_stream_page_shows_only_that_stream(example_project: Project) -> None:
    project = slow_flush(example_project)
    other = toggle(BAD_EDITOR)
    other["meta"]["stream"] = "reference_previews.baseline"
    other["$schema"] = "/analytics/reference_previews/baseline/1.0.0"
    store, _ = await post(project, [toggle(BAD_EDITOR), other])
    try:
        activity = stream_activity(project, _now(), hours=24, stream=STREAM)
        assert set(activity.invalid) == {STREAM}
        assert [e.stream for e in activity.latest_invalid] == [STREAM]
    finally:
        store.close()


async def test_streams_routes(example_project: Project) -> None:
    project = slow_flush(example_project)
    store, _ = await post(project, [toggle(), toggle(BAD_EDITOR)])
    try:
        async with _client(project) as client:
            index = await client.get("/streams")
            one = await client.get(f"/streams/{STREAM}?hours=6")
            unknown = await client.get("/streams/no.such.stream")
    finally:
        store.close()
    assert index.status_code == 200
    assert "should be equal to one of the allowed values" in index.text
    assert '<strong id="total-accepted">1</strong>' in index.text
    assert "event.codemirror_toggle" in index.text
    assert one.status_code == 200 and "last 6 hours" in one.text
    assert unknown.status_code == 404 and "not in streams.yaml" in unknown.text


async def test_an_empty_store_says_so(example_project: Project) -> None:
    async with _client(example_project) as client:
        response = await client.get("/streams")
    assert response.status_code == 200
    assert "No invalid events in this time range." in response.text


def test_browser_shows_a_posted_bad_event_and_accepted_counts_in_the_chart(
    example_project: Project, page: object
) -> None:
    project = slow_flush(example_project)
    store, _ = post_sync(project, [toggle(), toggle(), toggle(BAD_EDITOR)])
    try:
        with LiveServer(project) as server:
            page.goto(f"{server.url}/streams")  # type: ignore[attr-defined]
            message = page.locator("table.invalid-events td.message").first  # type: ignore[attr-defined]
            assert "'.editor' should be equal to one of the allowed values" in message.inner_text()
            page.locator("table.invalid-events summary").first.click()  # type: ignore[attr-defined]
            assert BAD_EDITOR in page.locator("pre.raw").first.inner_text()  # type: ignore[attr-defined]
            page.wait_for_selector("#accepted-chart canvas")  # type: ignore[attr-defined]
            drawn = page.evaluate(  # type: ignore[attr-defined]
                "JSON.parse(document.getElementById('accepted-chart').dataset.series)"
            )
            assert STREAM in drawn
            counts = page.evaluate(  # type: ignore[attr-defined]
                "JSON.parse(document.getElementById('accepted-data').textContent)"
                ".map(s => [s.target, s.datapoints.reduce((n, p) => n + p[0], 0)])"
            )
            assert dict(counts)[STREAM] == 2
            page.goto(f"{server.url}/streams/{STREAM}")  # type: ignore[attr-defined]
            page.wait_for_selector("#invalid-chart canvas")  # type: ignore[attr-defined]
            assert page.locator("#total-invalid").inner_text() == "1"  # type: ignore[attr-defined]
    finally:
        store.close()


@pytest.mark.slow
def test_a_real_intake_process_is_seen_at_once_and_counted_once_while_converting(
    example_project: Project,
) -> None:
    """`tallyflow serve intake` (its workers write the log, a converter process moves it to
    Parquet every 2 s): the page's counts are exact from the response on, before and after."""
    port = free_port()
    process = start(example_project, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            response = client.post("/v1/events", json=[toggle(), toggle(BAD_EDITOR)])
        assert response.status_code == 207
        seen_in_log, seen_converted = False, False
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not (seen_in_log and seen_converted):
            activity = stream_activity(example_project, _now(), hours=24)
            assert activity.total(activity.accepted, STREAM) == 1
            assert activity.total(activity.invalid, STREAM) == 1
            assert len(activity.latest_invalid) == 1
            seen_in_log |= activity.in_log == 2
            seen_converted |= activity.in_log == 0
            time.sleep(0.1)
        assert seen_in_log and seen_converted
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)


def test_screenshot_of_the_streams_page(
    example_project: Project, page: object, tmp_path: Path
) -> None:
    """Writes streams.png to $TALLYFLOW_SCREENSHOTS (default: the test's tmp dir); `make
    screenshots` writes it to docs/images. A day of traffic, a few events invalid."""
    folder = Path(os.environ.get("TALLYFLOW_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    random = Random(7)
    now = _now()
    events = []
    for hours_ago in range(24):
        at = now - dt.timedelta(hours=hours_ago)
        for _ in range(20 + random.randrange(30)):
            event = toggle(random.choice(["wikitext_2010", "wikitext_2017"]))
            if random.random() < 0.04:
                event["editor"] = BAD_EDITOR
            if random.random() < 0.03:
                event["wiki"] = "En Wiki"
            event["meta"]["dt"] = at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
            events.append(event)
    store, response = post_sync(example_project, events)
    store.close()
    assert response.status_code == 207
    with LiveServer(example_project) as server:
        page.set_viewport_size({"width": 1280, "height": 1100})  # type: ignore[attr-defined]
        page.goto(f"{server.url}/streams?hours=24")  # type: ignore[attr-defined]
        page.wait_for_selector("#invalid-chart canvas")  # type: ignore[attr-defined]
        page.screenshot(path=str(folder / "streams.png"))  # type: ignore[attr-defined]
    assert (folder / "streams.png").stat().st_size > 10_000


async def test_a_file_duckdb_cannot_read_is_a_message_not_a_crash(
    example_project: Project,
) -> None:
    hour = _now()
    partition = (
        example_project.store_root
        / "events/event/codemirror_toggle"
        / f"year={hour.year}/month={hour.month}/day={hour.day}/hour={hour.hour}"
    )
    partition.mkdir(parents=True)
    (partition / "part-broken.parquet").write_bytes(b"not parquet")
    async with _client(example_project) as client:
        response = await client.get("/streams")
    assert response.status_code == 500
    assert "part-broken.parquet" in response.text


def test_row_counts_are_read_once_per_file_version(tmp_path: Path) -> None:
    path = tmp_path / "year=2026/month=3/day=1/hour=5/part-a.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(pa.table({"x": [1, 2]}), path)
    counts = RowCounts()
    con = duckdb.connect()
    hour = int(dt.datetime(2026, 3, 1, 5, tzinfo=dt.UTC).timestamp())
    assert counts.hourly(con, [str(path)]) == {hour: 2}
    pq.write_table(pa.table({"x": [1, 2, 3, 4, 5]}), path)  # replaced: another size
    assert counts.hourly(con, [str(path)]) == {hour: 5}
    path.unlink()  # compacted away meanwhile
    assert counts.hourly(con, [str(path)]) == {}
