"""The intake's own HTTP/1.1 server protocol: httptools parsing on uvloop, answering
`POST /v1/events` without ASGI.

uvicorn still runs the process (listening socket, worker processes, signals, lifespan,
graceful shutdown, the `date` header); this protocol replaces its per-connection HTTP handling
for the intake (`uvicorn.Config(http=IntakeProtocol)`). A request to the events path is
answered from the parsed headers and body directly: no task, no ASGI messages; the answer is
written when the sink's future says the events are durable. Every other request (`/_info`,
`/?spec`, `/_metrics`, ...) goes through the app's ASGI interface.

HTTP/1.1 as clients rely on it: keep-alive (closed after `timeout_keep_alive` idle seconds),
pipelining (answers in request order), `Expect: 100-continue`, chunked bodies, HTTP/1.0 and
`Connection: close`, a body over `intake.max_body_size` answered 413 without reading it
(then the connection closes), a request that cannot be parsed answered 400 (then closed). The
reason phrase carries EventGate's summary of the request, as EventGate's does.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote

import httptools
import uvicorn
from uvicorn.server import ServerState

from tallyflow.collect.intake_app import (
    EVENTS_PATHS,
    BadRequest,
    EventsRequest,
    IntakeApp,
    Message,
    Reply,
    is_hasty,
    too_large,
)

log = logging.getLogger(__name__)

MAX_PIPELINE = 64
"""Answers a connection may owe before the server stops reading from it."""
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
DRAIN_SECONDS = 2.0
"""How long a connection the server ends is read (and discarded) before it is closed."""
REASONS = {status.value: status.phrase.encode() for status in HTTPStatus}


class _Answer:
    """An answer a connection owes, in request order; `data` is set once it is ready."""

    __slots__ = ("data", "close", "head")

    def __init__(self, close: bool, head: bool) -> None:
        self.data: bytes | None = None
        self.close = close
        self.head = head


class IntakeProtocol(asyncio.Protocol):
    """One client connection of the intake (see the module docstring)."""

    def __init__(
        self,
        config: uvicorn.Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        if not config.loaded:
            config.load()
        app = config.loaded_app
        if not isinstance(app, IntakeApp):
            raise TypeError(f"IntakeProtocol serves an IntakeApp, not {type(app).__name__}")
        self.app = app
        self.limit = app.settings.max_body_size
        self.loop = _loop or asyncio.get_event_loop()
        self.state = server_state
        self.idle_timeout = float(config.timeout_keep_alive)
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self.client: tuple[str, int] | None = None
        self.server: tuple[str, int] | None = None
        self.answers: deque[_Answer] = deque()
        self.closing = False
        self.draining = False
        self.done_reading = False
        """A request that ends the connection was read; what follows it is ignored."""
        self.reading = True
        self.last_active = 0.0
        self.idle_timer: asyncio.TimerHandle | None = None
        self._defaults: list[tuple[bytes, bytes]] | None = None
        self._default_wire = b""
        # the request being read
        self.url = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self.size = 0
        self.events: EventsRequest | None = None
        self.skip_body = False
        self.expects = False

    # --- connection --------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's TCPTransport
        self.state.connections.add(self)  # type: ignore[arg-type]
        self.client = transport.get_extra_info("peername")
        self.server = transport.get_extra_info("sockname")
        self.last_active = self.loop.time()
        self.idle_timer = self.loop.call_later(self.idle_timeout, self._idle_check)

    def connection_lost(self, exc: Exception | None) -> None:
        self.state.connections.discard(self)
        if self.idle_timer is not None:
            self.idle_timer.cancel()
            self.idle_timer = None
        self.answers.clear()
        self.transport = None

    def data_received(self, data: bytes) -> None:
        if self.draining:
            return
        self.last_active = self.loop.time()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fatal(b"upgrades are not supported")
        except httptools.HttpParserError:
            self._fatal(b"")

    def eof_received(self) -> bool | None:
        return None

    def pause_writing(self) -> None:
        self._pause()

    def resume_writing(self) -> None:
        self._resume()

    def shutdown(self) -> None:
        """uvicorn's graceful shutdown: close once the answers owed are written."""
        self.closing = True
        if not self.answers and self.transport is not None:
            self.transport.close()

    def _idle_check(self) -> None:
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        idle = self.loop.time() - self.last_active
        if not self.answers and idle >= self.idle_timeout:
            transport.close()
            return
        self.idle_timer = self.loop.call_later(max(self.idle_timeout - idle, 0.1), self._idle_check)

    def _close_after_write(self, transport: asyncio.Transport) -> None:
        """End the connection once the last answer is written. The client may still be sending
        (a body refused with 413): closing at once could reset the connection before it reads
        the answer, so the server ends its side and reads on, discarding, for a moment."""
        self.draining = True
        if not transport.can_write_eof():
            transport.close()
            return
        transport.write_eof()
        self._resume()
        self.loop.call_later(DRAIN_SECONDS, transport.close)

    def _pause(self) -> None:
        if self.reading and self.transport is not None:
            self.reading = False
            self.transport.pause_reading()

    def _resume(self) -> None:
        if self.reading or self.transport is None:
            return
        if self.draining or len(self.answers) < MAX_PIPELINE:
            self.reading = True
            self.transport.resume_reading()

    def _fatal(self, detail: bytes) -> None:
        """A request that cannot be parsed: 400, then close (after the answers owed)."""
        if self.done_reading:
            return
        answer = self._owe(close=True)
        message = b"Invalid HTTP request received." + (b" " + detail if detail else b"")
        answer.data = (
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\n"
            b"connection: close\r\ncontent-length: %d\r\n\r\n%s" % (len(message), message)
        )
        self._flush()

    # --- parser callbacks --------------------------------------------------------------

    def on_message_begin(self) -> None:
        self.url = b""
        self.headers = []
        self.body = []
        self.size = 0
        self.events = None
        self.skip_body = False
        self.expects = False

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        name = name.lower()
        if name == b"expect" and value.lower() == b"100-continue":
            self.expects = True
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        if self.done_reading:
            self.skip_body = True
            return
        path = self._path()
        if path in EVENTS_PATHS and self.parser.get_method() == b"POST":
            try:
                self.events = self.app.events_request(self.headers)
            except BadRequest as error:
                self.skip_body = True
                self.app.metrics.request(error.status)
                self._answer(self._owe(close=True), self.app.problem(error, "POST", path))
                return
        if self.expects and not self.answers and self.transport is not None:
            self.transport.write(CONTINUE)

    def on_body(self, body: bytes) -> None:
        if self.skip_body:
            return
        self.size += len(body)
        if self.size > self.limit and self.events is not None:
            self.skip_body = True
            self.app.metrics.request(413)
            problem = self.app.problem(too_large(self.limit), "POST", self._path())
            self._answer(self._owe(close=True), problem)
            return
        self.body.append(body)

    def on_message_complete(self) -> None:
        if self.skip_body:
            return
        keep_alive = self.parser.should_keep_alive() and not self.closing
        answer = self._owe(not keep_alive, self.parser.get_method() == b"HEAD")
        body = b"".join(self.body)
        if self.events is not None:
            self._post_events(answer, self.events, body)
        else:
            self._asgi(answer, body)

    # --- answers -----------------------------------------------------------------------

    def _path(self) -> str:
        return self.url.partition(b"?")[0].decode("latin-1")

    def _owe(self, close: bool, head: bool = False) -> _Answer:
        answer = _Answer(close, head)
        self.answers.append(answer)
        if close:
            self.done_reading = True
            self._pause()
        elif len(self.answers) >= MAX_PIPELINE:
            self._pause()
        return answer

    def _post_events(self, answer: _Answer, request: EventsRequest, body: bytes) -> None:
        app = self.app
        try:
            events = app.decode(request, body)
        except BadRequest as error:
            app.metrics.request(error.status)
            self._answer(answer, app.problem(error, "POST", self._path()))
            return
        query = self.url.partition(b"?")[2]
        hasty = bool(query) and is_hasty(query)
        if hasty and events:
            self._answer(answer, app.hasty(len(events)))
            app.accept(events, request.context, _ignore, hasty=True)
        else:
            app.accept(events, request.context, lambda reply: self._answer(answer, reply))

    def _answer(self, answer: _Answer, reply: Reply) -> None:
        if not reply.wire:
            reply.wire = b"".join(b"%s: %s\r\n" % header for header in reply.headers)
        defaults = self.state.default_headers
        if defaults is not self._defaults:  # the date changes once a second
            self._defaults = defaults
            self._default_wire = b"".join(b"%s: %s\r\n" % header for header in defaults)
        if answer.close:
            connection = b"connection: close\r\n"
        elif self.parser.get_http_version() == "1.0":
            connection = b"connection: keep-alive\r\n"
        else:
            connection = b""
        answer.data = b"HTTP/1.1 %d %s\r\n%s%s%scontent-length: %d\r\n\r\n%s" % (
            reply.status,
            reply.reason or REASONS.get(reply.status, b""),
            self._default_wire,
            reply.wire,
            connection,
            len(reply.body),
            b"" if answer.head else reply.body,
        )
        self._flush()

    def _flush(self) -> None:
        transport = self.transport
        answers = self.answers
        while answers and answers[0].data is not None:
            answer = answers.popleft()
            if transport is None or transport.is_closing():
                continue
            transport.write(answer.data)  # type: ignore[arg-type]
            self.state.total_requests += 1
            if answer.close:
                self._close_after_write(transport)
                answers.clear()
                return
        if not answers:
            if self.closing and transport is not None:
                transport.close()
            self.last_active = self.loop.time()
        self._resume()

    # --- other routes: the app's ASGI interface ------------------------------------------

    def _asgi(self, answer: _Answer, body: bytes) -> None:
        method = self.parser.get_method().decode("ascii")
        version = self.parser.get_http_version()
        url = httptools.parse_url(self.url)
        raw_path: bytes = url.path
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": version,
            "server": self.server,
            "client": self.client,
            "scheme": "http",
            "method": method,
            "root_path": "",
            "path": _unquote(raw_path),
            "raw_path": raw_path,
            "query_string": url.query or b"",
            "headers": self.headers,
            "state": {},
        }
        task = self.loop.create_task(self._run_asgi(answer, scope, body))
        self.state.tasks.add(task)
        task.add_done_callback(self.state.tasks.discard)

    async def _run_asgi(self, answer: _Answer, scope: dict[str, Any], body: bytes) -> None:
        received = False
        status = 500
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def receive() -> Message:
            nonlocal received
            if not received:
                received = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.Future()  # nothing more comes; cancelled with the task
            raise AssertionError("unreachable")

        async def send(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [
                    (bytes(name).lower(), bytes(value))
                    for name, value in message.get("headers", [])
                    if bytes(name).lower() != b"content-length"
                ]
            elif message["type"] == "http.response.body":
                chunks.append(bytes(message.get("body", b"")))

        try:
            await self.app(scope, receive, send)
        except Exception:
            log.exception("unexpected error answering %s %s", scope["method"], scope["path"])
            status, headers, chunks = 500, list(self.app.headers), [b"Internal Server Error"]
        self._answer(answer, Reply(status, headers, b"".join(chunks)))


def _unquote(raw_path: bytes) -> str:
    path = raw_path.decode("latin-1")
    return unquote(path) if "%" in path else path


def _ignore(reply: Reply) -> None:
    """The answer to a hasty request, which was answered 202 before."""
