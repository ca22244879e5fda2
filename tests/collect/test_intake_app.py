import asyncio
import gzip
import zlib
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tallyflow.collect.intake_app import IntakeApp
from tallyflow.collect.process import EventProcessor
from tallyflow.project import Project
from tallyflow.records import AcceptedEvent
from tests.collect.intake_fixtures import TEST_EVENT, MemorySink, make_project

URL = "http://intake/v1/events"
JSON = {"content-type": "application/json"}
GOOD = {"$schema": "/test/0.0.2", "meta": {"stream": "test.event"}, "test": "a"}
BAD = {"$schema": "/test/0.0.2", "meta": {"stream": "test.event"}, "test": 1}
UNKNOWN = {"$schema": "/test/0.0.2", "meta": {"stream": "nope"}}


def build(project: Project, sink: Any) -> IntakeApp:
    return IntakeApp(EventProcessor.from_project(project), sink, project.settings.intake)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    settings = (
        "intake:\n  max_body_size: 64kb\n"
        "  test_events:\n    - {$schema: /test/0.0.2, meta: {stream: test.event}, test: t}\n"
    )
    return make_project(tmp_path / "p", settings=settings)


@pytest.fixture
def sink() -> MemorySink:
    return MemorySink()


@pytest.fixture
async def client(project: Project, sink: MemorySink) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build(project, sink))
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
        yield client


async def post(client: httpx.AsyncClient, body: Any, **kwargs: Any) -> httpx.Response:
    return await client.post(URL, content=orjson.dumps(body), headers=JSON, **kwargs)


async def test_single_event_is_accepted_and_stored(
    client: httpx.AsyncClient, sink: MemorySink
) -> None:
    response = await post(client, GOOD)
    assert response.status_code == 201
    assert response.content == b""
    assert response.headers["x-status-message"] == "All 1 out of 1 events were accepted."
    assert sink.streams() == ["test.event"]
    assert sink.events[0].event["test_default"] == "default_value"


async def test_batch_with_invalid_and_error_is_207(
    client: httpx.AsyncClient, sink: MemorySink
) -> None:
    response = await post(client, [GOOD, BAD, UNKNOWN])
    assert response.status_code == 207
    body = response.json()
    assert [item["status"] for item in body["invalid"]] == ["invalid"]
    assert body["invalid"][0]["context"]["errorsText"] == "'.test' should be string"
    assert body["invalid"][0]["event"]["test"] == 1
    assert body["error"][0]["context"]["message"].endswith("nope is not a configured stream.")
    assert response.headers["x-status-message"] == (
        "1 out of 3 events were accepted, but 2 failed (1 invalid and 1 errored)."
    )
    # the good event and the invalid event's error event are stored, in one write
    assert sink.streams() == ["test.event", "eventgate-analytics-external.error.validation"]
    assert sink.writes == 1


async def test_all_invalid_is_400_with_invalid_only(client: httpx.AsyncClient) -> None:
    response = await post(client, [BAD, BAD])
    assert response.status_code == 400
    assert list(response.json()) == ["invalid"]
    assert response.headers["content-type"] == "application/json; charset=utf-8"


async def test_no_success_with_an_error_is_500(client: httpx.AsyncClient) -> None:
    response = await post(client, [BAD, UNKNOWN])
    assert response.status_code == 500
    body = response.json()
    assert (len(body["invalid"]), len(body["error"])) == (1, 1)
    response = await client.post(URL, content=TEST_EVENT, headers=JSON)
    assert response.status_code == 500  # EventGate's own test event names stream topicA


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "text/plain;charset=UTF-8",
        "application/reports+json",
        "application/json; charset=utf-8",
    ],
)
async def test_accepted_content_types(client: httpx.AsyncClient, content_type: str) -> None:
    response = await client.post(
        URL, content=orjson.dumps(GOOD), headers={"content-type": content_type}
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b"", JSON),
        (b"{}", JSON),
        (b"[]", JSON),
        (orjson.dumps(GOOD), {"content-type": "application/x-www-form-urlencoded"}),
        (orjson.dumps(GOOD), {}),
    ],
)
async def test_empty_body_is_400_without_body(
    client: httpx.AsyncClient, sink: MemorySink, body: bytes, headers: dict[str, str]
) -> None:
    response = await client.post(URL, content=body, headers=headers)
    assert response.status_code == 400
    assert response.content == b""
    assert response.headers["x-status-message"] == (
        "Request body was empty. Must provide JSON encoded events."
    )
    assert sink.events == []


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
async def test_compressed_bodies(client: httpx.AsyncClient, encoding: str) -> None:
    raw = orjson.dumps([GOOD, GOOD])
    body = gzip.compress(raw) if encoding == "gzip" else zlib.compress(raw)
    response = await client.post(URL, content=body, headers={**JSON, "content-encoding": encoding})
    assert response.status_code == 201


async def test_hasty_answers_202_and_still_stores(
    client: httpx.AsyncClient, sink: MemorySink
) -> None:
    response = await post(client, [GOOD, BAD], params={"hasty": "true"})
    assert response.status_code == 202
    assert response.content == b""
    assert response.headers["x-status-message"] == "2 events hastily received."
    assert sink.streams() == ["test.event", "eventgate-analytics-external.error.validation"]


@pytest.mark.parametrize("query", ["hasty", "hasty=", "other=1"])
async def test_empty_hasty_is_not_hasty(client: httpx.AsyncClient, query: str) -> None:
    response = await client.post(f"{URL}?{query}", content=orjson.dumps(GOOD), headers=JSON)
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"{not json", "unexpected character"),
        (b'{"a": 1}\n{"b": 2}', "unexpected content after document"),
        (b'"\xff\xfe"', "UTF-8"),
        (b"[" * 2000 + b"]" * 2000, "depth limit"),
        (b"42", "must be a JSON object"),
    ],
)
async def test_unreadable_json_is_400_problem(
    client: httpx.AsyncClient, body: bytes, detail: str
) -> None:
    response = await client.post(URL, content=body, headers=JSON)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["status"], problem["type"]) == (400, "invalid_json")
    assert detail.lower() in problem["detail"].lower()
    assert (problem["method"], problem["uri"]) == ("POST", "/v1/events")


async def test_oversize_body_is_413_problem(client: httpx.AsyncClient) -> None:
    big = orjson.dumps({**GOOD, "test": "x" * 70_000})
    response = await client.post(URL, content=big, headers=JSON)
    assert response.status_code == 413
    assert response.json()["type"] == "payload_too_large"
    assert "65536" in response.json()["detail"]

    async def chunks() -> AsyncIterator[bytes]:  # no content-length: counted while reading
        for _ in range(10):
            yield b" " * 10_000

    response = await client.post(URL, content=chunks(), headers=JSON)
    assert response.status_code == 413


async def test_gzip_bomb_is_413(client: httpx.AsyncClient) -> None:
    bomb = gzip.compress(b"[" + b" " * 10_000_000 + b"]")
    response = await client.post(URL, content=bomb, headers={**JSON, "content-encoding": "gzip"})
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        ({"content-type": "application/json; charset=latin-1"}, "unsupported_charset"),
        ({**JSON, "content-encoding": "br"}, "unsupported_encoding"),
    ],
)
async def test_unsupported_charset_and_encoding_are_415(
    client: httpx.AsyncClient, headers: dict[str, str], kind: str
) -> None:
    response = await client.post(URL, content=orjson.dumps(GOOD), headers=headers)
    assert response.status_code == 415
    assert response.json()["type"] == kind


async def test_non_object_batch_items_are_errors(client: httpx.AsyncClient) -> None:
    response = await post(client, [1, None, "x", [], GOOD])
    assert response.status_code == 207
    messages = {item["context"]["message"] for item in response.json()["error"]}
    assert messages == {"Field(s) $schema were missing from event and could not be extracted."}


async def test_flood_batch_does_not_block_other_requests(client: httpx.AsyncClient) -> None:
    flood = b"[" + b",".join([b"1"] * 30_000) + b"]"  # 60 kB, 30,000 non-events
    big = asyncio.create_task(client.post(URL, content=flood, headers=JSON))
    await asyncio.sleep(0)
    small = await post(client, GOOD)
    assert small.status_code == 201
    assert not big.done()  # the small request was answered while the flood was processed
    response = await big
    assert response.status_code == 500
    assert len(response.json()["error"]) == 30_000


async def test_deeply_nested_events_get_an_answer(client: httpx.AsyncClient) -> None:
    body = b"[" + b'{"a":' * 500 + b"1" + b"}" * 500 + b"," + orjson.dumps(GOOD) + b"]"
    response = await client.post(URL, content=body, headers=JSON)
    assert response.status_code == 207
    error = response.json()["error"][0]
    assert error["event"].startswith("(the event cannot be echoed")
    assert error["context"]["message"].startswith("Field(s) $schema were missing")


async def test_cors_and_security_headers_on_every_response(client: httpx.AsyncClient) -> None:
    for response in [
        await post(client, GOOD),
        await client.post(URL, content=b"{", headers=JSON),
        await client.get("/nowhere"),
        await client.get("/_info"),
        await client.options(URL),
    ]:
        assert response.headers["access-control-allow-origin"] == "*"
        assert response.headers["access-control-allow-methods"] == "post"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "SAMEORIGIN"
        assert "frame-ancestors 'self'" in response.headers["content-security-policy"]


async def test_cors_and_csp_can_be_turned_off(tmp_path: Path, sink: MemorySink) -> None:
    project = make_project(tmp_path / "q", settings="intake:\n  cors: false\n  csp: false\n")
    transport = httpx.ASGITransport(app=build(project, sink))
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
        response = await post(client, GOOD)
    assert response.status_code == 201
    assert "access-control-allow-origin" not in response.headers
    assert "content-security-policy" not in response.headers


async def test_preflight(client: httpx.AsyncClient) -> None:
    response = await client.options(
        URL, headers={"origin": "https://example.org", "access-control-request-method": "POST"}
    )
    assert response.status_code == 200
    assert response.headers["allow"] == "POST, OPTIONS"
    assert response.headers["access-control-allow-headers"] == (
        "accept, x-requested-with, content-type"
    )
    assert (await client.get(URL)).status_code == 405


async def test_info_robots_spec_and_unknown_paths(client: httpx.AsyncClient) -> None:
    info = (await client.get("/_info")).json()
    assert info["name"] == "tallyflow" and info["version"]
    assert (await client.get("/_info/name")).json() == {"name": "tallyflow"}
    assert (await client.get("/_info/version")).json() == {"version": info["version"]}
    home = await client.get("/_info/home")
    assert home.status_code == 404 and home.text == "No home page URL defined for tallyflow"
    robots = await client.get("/robots.txt")
    assert robots.text == "User-agent: *\nDisallow: /\n"
    spec = (await client.get("/?spec")).json()
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["version"] == info["version"]
    assert "post" in spec["paths"]["/v1/events"]
    assert (await client.get("/")).status_code == 404
    assert (await client.get("/v1/nothing")).status_code == 404


async def test_test_events_route(client: httpx.AsyncClient, sink: MemorySink) -> None:
    response = await client.get("/v1/_test/events")
    assert response.status_code == 201
    assert sink.events[0].event["test"] == "t"
    assert (await client.get("/v1/_test/events?hasty=1")).status_code == 202
    assert len(sink.events) == 2


async def test_test_events_route_is_absent_by_default(tmp_path: Path, sink: MemorySink) -> None:
    transport = httpx.ASGITransport(app=build(make_project(tmp_path / "q"), sink))
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
        assert (await client.get("/v1/_test/events")).status_code == 404


async def test_metrics_count_outcomes_per_stream(client: httpx.AsyncClient) -> None:
    await post(client, [GOOD, GOOD, BAD, UNKNOWN])
    await client.post(URL, content=b"{", headers=JSON)
    text = (await client.get("/_metrics")).text
    assert 'tallyflow_intake_events_total{stream="test.event",status="success"} 2' in text
    assert 'tallyflow_intake_events_total{stream="test.event",status="invalid"} 1' in text
    assert 'tallyflow_intake_events_total{stream="(unconfigured)",status="error"} 1' in text
    assert 'tallyflow_intake_requests_total{code="207"} 1' in text
    assert 'tallyflow_intake_requests_total{code="400"} 1' in text
    assert "tallyflow_intake_error_events_total 1" in text


async def test_user_agent_and_request_id_headers_reach_the_event(
    client: httpx.AsyncClient, sink: MemorySink
) -> None:
    event = {
        "$schema": "/analytics/legacy/codemirrorusage/1.1.0",
        "meta": {"stream": "eventlogging_CodeMirrorUsage"},
        "event": {
            "editor": "wikitext",
            "enabled": True,
            "toggled": False,
            "session_token": "s",
            "user_id": 1,
            "edit_start_ts_ms": 1,
        },
    }
    response = await client.post(
        URL,
        content=orjson.dumps(event),
        headers={"content-type": "text/plain", "user-agent": "Firefox/128", "x-request-id": "r9"},
    )
    assert response.status_code == 201, response.text
    stored = sink.events[0].event
    assert stored["http"]["request_headers"]["user-agent"] == "Firefox/128"
    assert stored["meta"]["request_id"] == "r9"


class GatedSink:
    """Holds every write until released, to observe when the response is sent."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.written: list[AcceptedEvent] = []

    async def write(self, events: Sequence[AcceptedEvent]) -> None:
        await self.release.wait()
        self.written.extend(events)


async def test_response_waits_until_the_sink_has_the_events(project: Project) -> None:
    sink = GatedSink()
    transport = httpx.ASGITransport(app=build(project, sink))
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
        request = asyncio.create_task(post(client, GOOD))
        await asyncio.sleep(0.05)
        assert not request.done()
        sink.release.set()
        response = await request
    assert response.status_code == 201
    assert len(sink.written) == 1


class FailingSink:
    async def write(self, events: Sequence[AcceptedEvent]) -> None:
        raise OSError("disk full")


async def test_sink_failure_turns_successes_into_errors(project: Project) -> None:
    transport = httpx.ASGITransport(app=build(project, FailingSink()))
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
        response = await post(client, [GOOD, GOOD])
        assert response.status_code == 500
        assert response.json()["error"][0]["context"]["message"] == (
            "The event could not be made durable (OSError)."
        )
        assert (await post(client, GOOD)).status_code == 500  # and the service keeps answering


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats(allow_nan=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
events = st.fixed_dictionaries(
    {},
    optional={
        "$schema": st.sampled_from(["/test/0.0.2", "/test_draft4/0.0.1", "/nope", "http://x/"])
        | json_values,
        "meta": st.fixed_dictionaries(
            {},
            optional={
                "stream": st.sampled_from(["test.event", "x"]) | json_values,
                "id": json_values,
                "dt": json_values,
            },
        )
        | json_values,
        "test": json_values,
        "test_map": json_values,
    },
)
bodies = (
    st.binary(max_size=200)
    | json_values.map(orjson.dumps)
    | st.lists(events | json_values, max_size=6).map(orjson.dumps)
    | events.map(orjson.dumps)
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(body=bodies, content_type=st.sampled_from(["application/json", "text/plain", "x/y"]))
async def test_any_body_gets_a_clear_answer_and_the_service_goes_on(
    client: httpx.AsyncClient, sink: MemorySink, body: bytes, content_type: str
) -> None:
    before = len(sink.events)
    response = await client.post(URL, content=body, headers={"content-type": content_type})
    assert response.status_code in (201, 207, 400, 500)
    if response.status_code in (207, 500) or (
        response.status_code == 400 and response.content and "invalid" in response.json()
    ):
        answer = response.json()
        for item in answer.get("invalid", []) + answer.get("error", []):
            assert item["status"] in ("invalid", "error")
            assert item["context"]
    if response.status_code == 400 and response.content and "invalid" not in response.text:
        assert response.json()["type"] == "invalid_json"
    stored = sink.events[before:]
    assert all(
        e.stream in ("test.event", "eventgate-analytics-external.error.validation", "test_draft4.x")
        for e in stored
    )
    assert (await post(client, GOOD)).status_code == 201
