"""The intake's HTTP/1.1 wire behaviour as real clients see it, against one real
`tallyflow serve intake` process: keep-alive, pipelining, `Expect: 100-continue`, chunked
bodies, HTTP/1.0, `Connection: close`, the body-size limit, malformed requests, clients
that go away, the other routes, many concurrent connections, `date` and `content-length`.

Any HTTP server behind the intake must pass these; wire-level tests speak raw sockets (every
socket operation has a timeout), the others use httpx."""

from __future__ import annotations

import io
import re
import select
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from tests.collect.intake_fixtures import make_project
from tests.collect.test_intake_server import GOOD, free_port, start, wait_listening

pytestmark = pytest.mark.slow

TIMEOUT = 10.0
"""Seconds any one socket operation may take."""
LIMIT = 1024
"""intake.max_body_size of the test project (1kb)."""
INVALID = {"$schema": "/test/0.0.2", "meta": {"stream": "test.event"}, "test": 1}
ACCEPTED_ONE = "All 1 out of 1 events were accepted."
SUCCESS_METRIC = re.compile(
    r'^tallyflow_intake_events_total\{stream="test\.event",status="success"\} (\d+)$', re.M
)
IMF_FIXDATE = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d\d:\d\d:\d\d GMT$"
)


@dataclass(frozen=True)
class Intake:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def intake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Intake]:
    root: Path = tmp_path_factory.mktemp("intake_http") / "p"
    project = make_project(root, settings="intake:\n  max_body_size: 1kb\n")
    port = free_port()
    process = start(project, port)
    try:
        yield Intake(port, process)
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err.decode()


# --- a minimal HTTP/1.1 client on a raw socket ------------------------------------------


@dataclass(frozen=True)
class Reply:
    version: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    """(lower-cased name, value) in the order received."""
    body: bytes

    def header(self, name: str) -> str | None:
        values = [value for key, value in self.headers if key == name]
        assert len(values) <= 1, f"{name} repeated: {values}"
        return values[0] if values else None

    def json(self) -> Any:
        return orjson.loads(self.body)


def read_reply(stream: io.BufferedReader) -> Reply:
    """One response (interim or final): status line, headers and the body framed by
    content-length, chunked transfer coding, or the end of the connection."""
    line = stream.readline(65536)
    assert line, "the server closed the connection instead of answering"
    assert line.endswith(b"\r\n"), f"bad status line {line!r}"
    version, status, reason = (line[:-2].decode("latin-1").split(" ", 2) + [""])[:3]
    assert version in ("HTTP/1.0", "HTTP/1.1"), f"bad status line {line!r}"
    headers: list[tuple[str, str]] = []
    while True:
        line = stream.readline(65536)
        assert line.endswith(b"\r\n"), f"truncated header {line!r}"
        if line == b"\r\n":
            break
        name, colon, value = line[:-2].decode("latin-1").partition(":")
        assert colon and name == name.strip(), f"bad header line {line!r}"
        headers.append((name.lower(), value.strip()))
    code = int(status)
    reply = Reply(version, code, reason, headers, b"")
    if code < 200 or code in (204, 304):
        return reply
    if (reply.header("transfer-encoding") or "").lower() == "chunked":
        return Reply(version, code, reason, headers, _read_chunked(stream))
    length = reply.header("content-length")
    if length is None:
        return Reply(version, code, reason, headers, stream.read())
    body = stream.read(int(length))
    assert len(body) == int(length), "the connection closed inside the body"
    return Reply(version, code, reason, headers, body)


def _read_chunked(stream: io.BufferedReader) -> bytes:
    chunks: list[bytes] = []
    while True:
        size = int(stream.readline(1024).split(b";")[0], 16)
        if size == 0:
            while stream.readline(65536) not in (b"\r\n", b""):
                pass  # trailers
            return b"".join(chunks)
        chunks.append(stream.read(size))
        assert stream.read(2) == b"\r\n"


class Conn:
    """A raw TCP connection to the intake; every socket operation times out."""

    def __init__(self, intake: Intake, timeout: float = TIMEOUT) -> None:
        self.sock = socket.create_connection(("127.0.0.1", intake.port), timeout=timeout)
        self.stream = self.sock.makefile("rb")

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def reply(self) -> Reply:
        return read_reply(self.stream)

    def assert_closed_by_server(self) -> None:
        """The server ended the connection: end of stream, no further bytes."""
        assert self.stream.read(1) == b""

    def readable(self, wait: float) -> bool:
        """Whether the server sent something (or closed) within `wait` seconds."""
        readable, _, _ = select.select([self.sock], [], [], wait)
        return bool(readable)

    def assert_open(self) -> None:
        """Neither closed by the server nor holding unrequested bytes."""
        assert not self.readable(0.2), "the server closed the connection or sent unrequested data"

    def close(self) -> None:
        self.stream.close()
        self.sock.close()

    def __enter__(self) -> Conn:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def post(
    body: bytes,
    *,
    version: str = "HTTP/1.1",
    headers: str = "",
    path: str = "/v1/events",
) -> bytes:
    """A complete POST with a content-length body; `headers` are extra `Name: value\\r\\n` lines."""
    head = (
        f"POST {path} {version}\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n{headers}\r\n"
    )
    return head.encode() + body


def get(path: str, headers: str = "") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n".encode()


def chunked(*parts: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts)


def chunked_head(path: str = "/v1/events") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()


def assert_works(intake: Intake) -> None:
    """The intake still listens and accepts an event on a new connection."""
    wait_listening(intake.port, intake.process)
    with Conn(intake) as conn:
        conn.send(post(orjson.dumps(GOOD)))
        reply = conn.reply()
    assert reply.status == 201
    assert reply.header("x-status-message") == ACCEPTED_ONE


def accepted_events(client: httpx.Client) -> int:
    """Events of stream test.event accepted since the intake started, from /_metrics."""
    response = client.get("/_metrics")
    assert response.status_code == 200
    match = SUCCESS_METRIC.search(response.text)
    return int(match.group(1)) if match else 0


# --- connections --------------------------------------------------------------------------


def test_keep_alive_serves_several_requests_on_one_connection(intake: Intake) -> None:
    with Conn(intake) as conn:
        for _ in range(3):
            conn.send(post(orjson.dumps(GOOD)))
            reply = conn.reply()
            assert (reply.version, reply.status) == ("HTTP/1.1", 201)
            assert reply.header("x-status-message") == ACCEPTED_ONE
            assert reply.body == b""
            assert (reply.header("connection") or "").lower() != "close"
            conn.assert_open()


def test_pipelined_requests_are_answered_in_order(intake: Intake) -> None:
    requests = [post(orjson.dumps(GOOD)), post(orjson.dumps(INVALID)), post(orjson.dumps(GOOD))]
    with Conn(intake) as conn:
        conn.send(b"".join(requests))
        replies = [conn.reply() for _ in requests]
        conn.assert_open()
    assert [reply.status for reply in replies] == [201, 400, 201]
    assert replies[0].body == replies[2].body == b""
    invalid = replies[1].json()["invalid"]
    assert [item["event"]["test"] for item in invalid] == [1]
    assert replies[1].header("x-status-message") == (
        "1 out of 1 events were invalid and not accepted."
    )
    # as EventGate does, the summary is also the reason phrase
    assert replies[0].reason == ACCEPTED_ONE
    assert replies[1].reason == "1 out of 1 events were invalid and not accepted."


def test_expect_100_continue(intake: Intake) -> None:
    body = orjson.dumps(GOOD)
    with Conn(intake) as conn:
        conn.send(post(body, headers="Expect: 100-continue\r\n")[: -len(body)])
        interim = conn.reply()
        assert (interim.version, interim.status, interim.body) == ("HTTP/1.1", 100, b"")
        conn.send(body)
        reply = conn.reply()
    assert reply.status == 201
    assert reply.header("x-status-message") == ACCEPTED_ONE


def test_chunked_request_body(intake: Intake) -> None:
    body = orjson.dumps([GOOD, {**GOOD, "test": "chunked"}])
    parts = [body[:7], body[7:50], body[50:]]
    with Conn(intake) as conn:
        conn.send(chunked_head())
        for part in parts:  # separate writes: the body arrives in pieces
            conn.send(chunked(part))
            time.sleep(0.02)
        conn.send(b"0\r\n\r\n")
        reply = conn.reply()
        assert reply.status == 201
        assert reply.header("x-status-message") == "All 2 out of 2 events were accepted."
        # the connection is still usable: the chunked body was read to its end
        conn.send(post(orjson.dumps(GOOD)))
        assert conn.reply().status == 201


def test_http_1_0_without_keep_alive_is_answered_then_closed(intake: Intake) -> None:
    with Conn(intake) as conn:
        conn.send(post(orjson.dumps(GOOD), version="HTTP/1.0"))
        reply = conn.reply()
        assert reply.status == 201
        assert reply.header("x-status-message") == ACCEPTED_ONE
        assert reply.header("content-length") == "0"
        conn.assert_closed_by_server()


def test_connection_close_is_answered_then_closed(intake: Intake) -> None:
    with Conn(intake) as conn:
        conn.send(post(orjson.dumps(GOOD), headers="Connection: close\r\n"))
        reply = conn.reply()
        assert reply.status == 201
        assert reply.header("x-status-message") == ACCEPTED_ONE
        assert (reply.header("connection") or "").lower() == "close"
        conn.assert_closed_by_server()


# --- body size limit ------------------------------------------------------------------------


def _assert_too_large(reply: Reply) -> None:
    assert reply.status == 413
    assert reply.header("content-type") == "application/problem+json"
    problem = reply.json()
    assert problem["status"] == 413
    assert problem["type"] == "payload_too_large"
    assert f"the limit is {LIMIT} bytes" in problem["detail"]
    assert reply.header("access-control-allow-origin") == "*"


@pytest.mark.parametrize("expect", ["", "Expect: 100-continue\r\n"], ids=["plain", "expect"])
def test_declared_oversize_body_is_413_before_the_body_is_sent(intake: Intake, expect: str) -> None:
    head = (
        "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {LIMIT * 5}\r\n{expect}\r\n"
    )
    with Conn(intake) as conn:
        conn.send(head.encode())  # and never the body: the answer must not wait for it
        reply = conn.reply()  # with Expect, the first reply is the 413, no 100 Continue
    _assert_too_large(reply)
    assert_works(intake)


def test_chunked_body_growing_over_the_limit_is_413(intake: Intake) -> None:
    piece = b" " * 400
    with Conn(intake) as conn:
        conn.send(chunked_head() + chunked(b"["))
        for _ in range(10):  # up to 4 kb, never the last chunk: the body does not end
            conn.send(chunked(piece))
            if conn.readable(0.2):
                break
        reply = conn.reply()
    _assert_too_large(reply)
    assert_works(intake)


def test_chunked_body_over_the_limit_in_one_write_is_413(intake: Intake) -> None:
    piece = b" " * 400
    with Conn(intake, timeout=2) as conn:
        conn.send(chunked_head() + chunked(b"[", piece, piece, piece))  # no last chunk
        reply = conn.reply()
    _assert_too_large(reply)


# --- bad clients ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "garbage",
    [b"GARBAGE\r\n\r\n", b"POST /v1/events HTTP/1.1\r\nContent-Length: nope\r\n\r\n"],
    ids=["request-line", "content-length"],
)
def test_malformed_http_is_400_and_closed(intake: Intake, garbage: bytes) -> None:
    with Conn(intake) as conn:
        conn.send(garbage)
        reply = conn.reply()
        assert reply.status == 400
        conn.assert_closed_by_server()
    assert_works(intake)


def test_client_leaving_mid_body_does_not_hurt_the_server(intake: Intake) -> None:
    head = (
        "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: 500\r\n\r\n"
    )
    with Conn(intake) as conn:
        conn.send(head.encode() + b'[{"$schema"')
    for _ in range(2):  # also on a second, pipelined-then-abandoned connection
        with Conn(intake) as conn:
            conn.send(post(orjson.dumps(GOOD)) + head.encode() + b"0123456789")
            assert conn.reply().status == 201
    assert_works(intake)


# --- the other routes -----------------------------------------------------------------------


def test_other_routes(intake: Intake) -> None:
    with httpx.Client(base_url=intake.url, timeout=TIMEOUT) as client:
        info = client.get("/_info")
        assert info.status_code == 200
        assert info.json()["name"] == "tallyflow"

        robots = client.get("/robots.txt")
        assert robots.status_code == 200
        assert robots.text == "User-agent: *\nDisallow: /\n"

        spec = client.get("/?spec")
        assert spec.status_code == 200
        assert spec.headers["content-type"].startswith("application/json")
        assert spec.json()["openapi"].startswith("3.")
        assert "/v1/events" in spec.json()["paths"]

        metrics = client.get("/_metrics")
        assert metrics.status_code == 200
        assert metrics.headers["content-type"].startswith("text/plain")
        assert "# TYPE tallyflow_intake_requests_total counter" in metrics.text

        preflight = client.options(
            "/v1/events",
            headers={
                "origin": "https://example.org",
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "*"
        assert "content-type" in preflight.headers["access-control-allow-headers"]
        assert preflight.headers["access-control-allow-methods"].lower() == "post"

        wrong_method = client.get("/v1/events")
        assert wrong_method.status_code == 405
        assert wrong_method.headers["allow"] == "POST, OPTIONS"

        unknown = client.get("/nothing/here")
        assert unknown.status_code == 404

        for response in (info, robots, spec, metrics, preflight, wrong_method, unknown):
            assert response.headers["access-control-allow-origin"] == "*", response.url
            assert response.headers["x-content-type-options"] == "nosniff", response.url


# --- load -------------------------------------------------------------------------------------


def test_many_concurrent_connections(intake: Intake) -> None:
    connections, requests, batch = 50, 20, 10
    body = orjson.dumps([GOOD] * batch)
    assert len(body) <= LIMIT
    all_open = threading.Barrier(connections, timeout=30)

    def client_session(_: int) -> list[int]:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        with httpx.Client(base_url=intake.url, timeout=TIMEOUT, limits=limits) as client:
            statuses: list[int] = []
            for i in range(requests):
                response = client.post(
                    "/v1/events", content=body, headers={"content-type": "application/json"}
                )
                statuses.append(response.status_code)
                if i == 0:
                    all_open.wait()  # every connection is open and served at the same time
            return statuses

    with httpx.Client(base_url=intake.url, timeout=TIMEOUT) as client:
        before = accepted_events(client)
        with ThreadPoolExecutor(max_workers=connections) as pool:
            results = list(pool.map(client_session, range(connections)))
        after = accepted_events(client)
    assert [status for statuses in results for status in statuses] == [201] * (
        connections * requests
    )
    assert after - before == connections * requests * batch


# --- response framing -------------------------------------------------------------------------


def test_responses_have_date_and_exact_content_length(intake: Intake) -> None:
    """On one keep-alive connection, each response's content-length must frame its body
    exactly, or the next status line would not parse; the last one ends the connection."""
    requests = [
        (post(orjson.dumps(GOOD)), 201),
        (post(orjson.dumps(INVALID)), 400),
        (post(b"{oops"), 400),
        (post(b""), 400),
        (get("/_info"), 200),
        (get("/robots.txt"), 200),
        (get("/_metrics"), 200),
        (get("/v1/events"), 405),
        (get("/nothing/here"), 404),
        (get("/_info", "Connection: close\r\n"), 200),
    ]
    with Conn(intake) as conn:
        replies = []
        for request, _ in requests:
            conn.send(request)
            replies.append(conn.reply())
        conn.assert_closed_by_server()
    assert [reply.status for reply in replies] == [status for _, status in requests]
    now = time.time()
    for reply in replies:
        length = reply.header("content-length")
        assert length is not None and int(length) == len(reply.body), reply
        assert reply.header("transfer-encoding") is None
        date = reply.header("date")
        assert date is not None and IMF_FIXDATE.match(date), date
        assert abs(parsedate_to_datetime(date).timestamp() - now) < 60
    assert replies[1].json()["invalid"][0]["status"] == "invalid"
    assert replies[2].json()["type"] == "invalid_json"
    assert replies[4].json()["name"] == "tallyflow"
