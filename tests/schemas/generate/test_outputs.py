"""JSON lines and POSTing to an intake. The intake here is a real HTTP server on a local port
that records each request and answers as EventGate does (201, 202 for ?hasty, 207)."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson
import pytest

from tallyflow.errors import PublishError
from tallyflow.schemas.generate.outputs import TEXT_PLAIN, post_events, write_jsonl
from tallyflow.schemas.generate.traffic import StreamPlan, generate

from .conftest import CODEMIRROR, plan


class Recorder(ThreadingHTTPServer):
    requests: list[dict[str, Any]]
    reject_every: int = 0


class Handler(BaseHTTPRequestHandler):
    server: Recorder

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["content-length"]))
        self.server.requests.append(
            {"path": self.path, "headers": dict(self.headers), "body": json.loads(body)}
        )
        events = json.loads(body)
        count = len(events) if isinstance(events, list) else 1
        if "hasty=true" in self.path:
            status, answer = 202, b""
        elif self.server.reject_every and len(self.server.requests) % self.server.reject_every == 0:
            invalid = [{"status": "invalid", "event": {}, "context": {}}]
            status, answer = (207 if count > 1 else 400), orjson.dumps({"invalid": invalid})
        else:
            status, answer = 201, b""
        self.send_response(status)
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def intake() -> Iterator[Recorder]:
    server = Recorder(("127.0.0.1", 0), Handler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def codemirror() -> StreamPlan:
    return plan(CODEMIRROR, {"schema_title": "analytics/legacy/codemirrorusage"})


def items(stream_plan: StreamPlan, per_day: int) -> Iterator[tuple[StreamPlan, Any]]:
    for batch in generate(stream_plan, date(2026, 1, 1), date(2026, 1, 1), per_day, 3):
        yield stream_plan, batch


def url(server: Recorder, query: str = "") -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/v1/events{query}"


def test_requests_carry_one_session_each_with_its_user_agent(intake: Recorder) -> None:
    report = post_events(items(codemirror(), 400), url(intake), batch_size=4)
    assert report.sent == report.accepted == 400 and report.failed == 0
    assert report.statuses == {201: report.requests}
    for request in intake.requests:
        body = request["body"]
        assert isinstance(body, list) and 1 <= len(body) <= 4
        assert request["headers"]["content-type"] == TEXT_PLAIN
        assert len({e["event"]["session_token"] for e in body}) == 1
        agents = {e["http"]["request_headers"]["user-agent"] for e in body}
        assert agents == {request["headers"]["user-agent"]}


def test_single_objects_json_content_type_and_hasty(intake: Recorder) -> None:
    report = post_events(items(codemirror(), 50), url(intake, "?hasty=true"), 1, "application/json")
    assert report.hasty == report.sent == report.requests == 50
    assert all(isinstance(r["body"], dict) for r in intake.requests)
    assert {r["path"] for r in intake.requests} == {"/v1/events?hasty=true"}
    assert {r["headers"]["content-type"] for r in intake.requests} == {"application/json"}


def test_invalid_answers_are_counted(intake: Recorder) -> None:
    intake.reject_every = 2
    report = post_events(items(codemirror(), 200), url(intake), batch_size=3)
    assert report.invalid == report.requests // 2
    assert report.accepted == report.sent - report.invalid
    assert report.first_problem and report.first_problem.startswith("HTTP")


def test_unreachable_intake_is_a_publish_error(intake: Recorder) -> None:
    dead = url(intake)
    intake.shutdown()
    intake.server_close()
    with pytest.raises(PublishError, match="cannot POST events to"):
        post_events(items(codemirror(), 10), dead)
    intake.requests.clear()


def test_jsonl_is_one_event_per_line_and_reproducible() -> None:
    first, second = io.BytesIO(), io.BytesIO()
    assert write_jsonl(items(codemirror(), 300), first) == {CODEMIRROR: 300}
    write_jsonl(items(codemirror(), 300), second)
    assert first.getvalue() == second.getvalue()
    lines = first.getvalue().splitlines()
    assert len(lines) == 300 and all(orjson.loads(line)["meta"]["stream"] for line in lines)
