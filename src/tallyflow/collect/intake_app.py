"""The HTTP intake (ASGI): EventGate's API in front of an EventProcessor and an EventSink.

`POST /v1/events` takes a JSON array or object (application/json, text/plain,
application/reports+json; gzip or deflate bodies), processes every event and answers once the
accepted ones (and the error events of invalid ones) are durable in the sink: 201 all
accepted, 207 some, 400 all invalid, 500 none accepted and some errored, each with EventGate's
body; `?hasty=<anything>` answers 202 first and processes afterwards. Malformed JSON is a 400
and an over-size body a 413 (problem JSON; EventGate answers 500 for both). The other routes
(`/_info`, `/robots.txt`, `/?spec`, `/_metrics`, `GET /v1/_test/events`) are a Starlette app.
Every response carries the CORS and security headers the settings ask for.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import inspect
import logging
import zlib
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

import orjson
import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from tallyflow import __version__
from tallyflow.collect.intake_metrics import IntakeMetrics
from tallyflow.collect.process import EventProcessor, Processed, RequestContext
from tallyflow.collect.sink import CallbackSink, EventSink
from tallyflow.project import IntakeSettings
from tallyflow.records import AcceptedEvent, EventOutcome

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

NAME = "tallyflow"
DESCRIPTION = "EventGate-compatible event intake of tallyflow"
HOME: str | None = None
EVENTS_PATHS = ("/v1/events", "/v1/events/")
TEST_EVENTS_PATHS = ("/v1/_test/events", "/v1/_test/events/")
JSON_TYPES = frozenset({"application/json", "text/plain", "application/reports+json"})
CONTEXT_HEADERS = frozenset({b"user-agent", b"x-request-id"})
"""Request headers an event may be enriched with (see process.DEFAULT_ENRICH)."""
EVENTS_HEADERS = CONTEXT_HEADERS | {b"content-type", b"content-encoding", b"content-length"}
"""The request headers POST /v1/events reads."""
UTF8_CHARSETS = frozenset({"utf-8", "utf8", "us-ascii"})
CSP = (
    "default-src 'self'; object-src 'none'; media-src 'none'; img-src 'none'; "
    "style-src 'none'; base-uri 'self'; frame-ancestors 'self'"
)
EMPTY_BODY = "Request body was empty. Must provide JSON encoded events."
CHUNK = 1000
"""Events processed between two yields to the event loop."""
STATUS_HEADER = b"x-status-message"
"""EventGate puts its summary in the HTTP reason phrase; ASGI cannot, so it goes here."""


def common_headers(settings: IntakeSettings) -> list[tuple[bytes, bytes]]:
    """The CORS and security headers every response carries."""
    headers: list[tuple[bytes, bytes]] = []
    if settings.cors is not False:
        origin = "*" if settings.cors is True else settings.cors
        headers += [
            (b"access-control-allow-origin", origin.encode()),
            (b"access-control-allow-headers", b"accept, x-requested-with, content-type"),
            (b"access-control-expose-headers", b"etag"),
            (b"access-control-allow-methods", b"post"),
        ]
    if settings.csp:
        headers += [
            (b"x-xss-protection", b"1; mode=block"),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"SAMEORIGIN"),
            (b"content-security-policy", CSP.encode()),
        ]
    return headers


class BadRequest(Exception):
    """The request cannot be read; answered with a problem-JSON body."""

    def __init__(self, status: int, kind: str, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.kind, self.title, self.detail = status, kind, title, detail


def load_spec() -> dict[str, Any]:
    """The OpenAPI document of this API, shipped with the package."""
    text = resources.files("tallyflow.collect").joinpath("openapi.yaml").read_text("utf-8")
    spec: dict[str, Any] = yaml.safe_load(text)
    spec.setdefault("openapi", "3.0.0")
    spec.setdefault("info", {})["version"] = __version__
    return spec


def _summary(results: list[EventOutcome]) -> tuple[int, str, dict[str, Any] | None]:
    """EventGate's status, reason and body for a batch's outcomes."""
    total = len(results)
    invalid = [r for r in results if r.status == "invalid"]
    errors = [r for r in results if r.status == "error"]
    failed = len(invalid) + len(errors)
    accepted = total - failed

    def items(group: list[EventOutcome]) -> list[dict[str, Any]]:
        return [{"status": r.status, "event": r.event, "context": r.context} for r in group]

    if failed == 0:
        return 201, f"All {accepted} out of {total} events were accepted.", None
    if len(invalid) == total:
        return (
            400,
            f"{len(invalid)} out of {total} events were invalid and not accepted.",
            {"invalid": items(invalid)},
        )
    body = {"invalid": items(invalid), "error": items(errors)}
    if accepted:
        reason = (
            f"{accepted} out of {total} events were accepted, but {failed} failed "
            f"({len(invalid)} invalid and {len(errors)} errored)."
        )
        return 207, reason, body
    reason = (
        f"{failed} out of {total} events had failures and were not accepted. "
        f"({len(invalid)} invalid and {len(errors)} errored)."
    )
    return 500, reason, body


@dataclass(slots=True)
class Reply:
    """One HTTP answer, independent of the server that sends it."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes = b""
    reason: bytes = b""
    """EventGate's summary, which it sends as the reason phrase (and as `x-status-message`)."""
    wire: bytes = b""
    """The header lines as a server writes them, kept by the server that wrote them once
    (answers that repeat, such as "All 1 out of 1 events were accepted.", are shared)."""


@dataclass(slots=True)
class EventsRequest:
    """What the headers of a POST /v1/events say about its body and the event context."""

    media_type: str = ""
    charset: str = ""
    encoding: str = ""
    declared_length: int = -1
    context: dict[str, str] = field(default_factory=dict)
    """Request headers an event may be enriched with (user-agent, x-request-id)."""


@dataclass(slots=True)
class _Batch:
    """The processed events of one request, before the sink has them."""

    outcomes: list[EventOutcome]
    stored: list[AcceptedEvent]
    error_events: int
    failed: int
    """Outcomes other than success."""


class IntakeApp:
    """The intake: EventGate's API over an EventProcessor and an EventSink.

    It is an ASGI application (any ASGI server can host it), and it offers the same answers
    without ASGI (`events_request`, `decode`, `accept`) to the intake's own HTTP server, which
    avoids a task and the ASGI messages per request on its hot path."""

    def __init__(
        self, processor: EventProcessor, sink: EventSink, settings: IntakeSettings
    ) -> None:
        self.processor = processor
        self.sink = sink
        self.settings = settings
        self.metrics = IntakeMetrics(processor.streams)
        self.spec = load_spec()
        self.headers = common_headers(settings)
        self._json_headers = [(b"content-type", b"application/json; charset=utf-8")]
        self._other = self._routes()
        self._callbacks = sink if isinstance(sink, CallbackSink) else None
        self._background = 0
        self._accepted: dict[int, Reply] = {}
        """Hasty requests still being stored."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path, method = scope["path"], scope["method"]
            if path in EVENTS_PATHS:
                if method == "POST":
                    await self._post_events(scope, receive, send)
                else:
                    await self._send(send, self.not_post(method, path))
                return
            if path in TEST_EVENTS_PATHS and self.settings.test_events is not None:
                if method in ("GET", "HEAD"):
                    events = copy.deepcopy(self.settings.test_events)
                    query = scope.get("query_string", b"")
                    await self._handle(send, list(events), _context_headers(scope), query)
                    return
            await self._other(scope, receive, self._with_headers(send))
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)

    # --- POST /v1/events ---------------------------------------------------------------

    async def _post_events(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            request = self.events_request(scope["headers"])
            events = self.decode(request, await _read_body(receive, self.settings.max_body_size))
        except BadRequest as error:
            self.metrics.request(error.status)
            await self._send(send, self.problem(error, scope["method"], scope["path"]))
            return
        await self._handle(send, events, request.context, scope.get("query_string", b""))

    async def _handle(
        self, send: Send, events: list[Any], headers: dict[str, str], query: bytes
    ) -> None:
        hasty = is_hasty(query)
        if hasty and events:
            await self._send(send, self.hasty(len(events)))
        reply = await self.accepted(events, headers, hasty=hasty)
        if not hasty or not events:
            await self._send(send, reply)

    def not_post(self, method: str, path: str) -> Reply:
        """The answer to another method on the events path (OPTIONS: the CORS preflight)."""
        allow = [(b"allow", b"POST, OPTIONS")]
        if method == "OPTIONS":
            return Reply(200, [*self.headers, *allow])
        error = BadRequest(
            405, "method_not_allowed", "Method Not Allowed", f"{method} is not allowed; use POST"
        )
        return self.problem(error, method, path, allow)

    def hasty(self, count: int) -> Reply:
        """202 for a hasty request of `count` events (processed afterwards)."""
        self.metrics.request(202)
        return self._reply(202, f"{count} events hastily received.")

    def events_request(self, headers: Iterable[tuple[bytes, bytes]]) -> EventsRequest:
        """Read the request headers; a declared body over the limit is a BadRequest (413)."""
        request = EventsRequest()
        for name, value in headers:
            if name not in EVENTS_HEADERS:
                continue
            if name in CONTEXT_HEADERS:
                request.context[name.decode("latin-1")] = value.decode("latin-1")
            elif name == b"content-type":
                request.media_type, request.charset = _content_type(value)
            elif name == b"content-encoding":
                request.encoding = value.strip().lower().decode("latin-1")
            else:
                request.declared_length = int(value) if value.isdigit() else -1
        if request.declared_length > self.settings.max_body_size:
            raise too_large(self.settings.max_body_size)
        return request

    def decode(self, request: EventsRequest, body: bytes) -> list[Any]:
        """The events of the body (none when it is empty or not a JSON type)."""
        if request.media_type not in JSON_TYPES or not body:
            return []
        if request.charset and request.charset not in UTF8_CHARSETS:
            raise BadRequest(
                415,
                "unsupported_charset",
                "Unsupported Charset",
                f'unsupported charset "{request.charset.upper()}"; send UTF-8',
            )
        if request.encoding not in ("", "identity"):
            body = _inflate(body, request.encoding, self.settings.max_body_size)
        try:
            parsed = orjson.loads(body)
        except orjson.JSONDecodeError as error:
            raise BadRequest(400, "invalid_json", "Malformed JSON", str(error)) from None
        if isinstance(parsed, dict):
            return [parsed] if parsed else []
        if isinstance(parsed, list):
            return parsed
        raise BadRequest(
            400,
            "invalid_json",
            "Malformed JSON",
            "the body must be a JSON object (one event) or an array of events",
        )

    def accept(
        self,
        events: list[Any],
        headers: dict[str, str],
        respond: Callable[[Reply], None],
        *,
        hasty: bool = False,
    ) -> None:
        """Process `events`, hand the accepted ones to the sink and call `respond` with the
        answer once the sink has made them durable (at once when nothing needs storing).
        Hasty requests (already answered 202) are not counted again."""
        if not events:
            self.metrics.request(400)
            respond(self._reply(400, EMPTY_BODY))
            return
        if hasty:
            respond = self._in_background(respond)
        context = RequestContext.now(headers)
        if len(events) > CHUNK:  # a huge batch must not keep other requests waiting
            asyncio.get_running_loop().create_task(
                self._accept_in_chunks(events, context, respond, hasty)
            )
            return
        try:
            batch = _batch(self.processor.process_batch(events, context))
        except Exception as error:  # never let one request take the service down
            respond(self._failed(error, hasty))
            return
        self._store(batch, respond, hasty)

    async def accepted(
        self, events: list[Any], headers: dict[str, str], *, hasty: bool = False
    ) -> Reply:
        """`accept`, awaited."""
        answer: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        self.accept(events, headers, answer.set_result, hasty=hasty)
        return await answer

    def _in_background(self, respond: Callable[[Reply], None]) -> Callable[[Reply], None]:
        """`respond`, counted until it is called (the shutdown waits for hasty requests)."""
        self._background += 1

        def done(reply: Reply) -> None:
            self._background -= 1
            respond(reply)

        return done

    async def _accept_in_chunks(
        self,
        events: list[Any],
        context: RequestContext,
        respond: Callable[[Reply], None],
        hasty: bool,
    ) -> None:
        results: list[Processed] = []
        try:
            for start in range(0, len(events), CHUNK):
                if start:
                    await asyncio.sleep(0)
                results += self.processor.process_batch(events[start : start + CHUNK], context)
        except Exception as error:
            respond(self._failed(error, hasty))
            return
        self._store(_batch(results), respond, hasty)

    def _failed(self, error: Exception, hasty: bool) -> Reply:
        log.exception("unexpected error while processing a request", exc_info=error)
        if hasty:
            return Reply(500, [])
        self.metrics.request(500)
        return self._reply(500, f"Encountered an unexpected error while processing events: {error}")

    def _store(self, batch: _Batch, respond: Callable[[Reply], None], hasty: bool) -> None:
        if not batch.stored:
            respond(self._summary(batch, None, hasty))
            return

        def durable(failure: BaseException | None) -> None:
            respond(self._summary(batch, failure, hasty))

        try:
            if self._callbacks is not None:
                self._callbacks.write_then(batch.stored, durable)
            else:
                written = asyncio.ensure_future(self.sink.write(batch.stored))
                written.add_done_callback(
                    lambda done: durable(
                        asyncio.CancelledError() if done.cancelled() else done.exception()
                    )
                )
        except Exception as error:
            durable(error)

    def _summary(self, batch: _Batch, failure: BaseException | None, hasty: bool) -> Reply:
        outcomes, error_events = batch.outcomes, batch.error_events
        if failure is None and not batch.failed and not hasty:
            self.metrics.outcomes(outcomes, 0)
            self.metrics.request(201)
            return self._all_accepted(len(outcomes))
        if failure is not None:
            log.error("the event sink failed", exc_info=failure)
            # the log has the details; server paths stay out of the answer
            kind = type(failure).__name__
            message = {"message": f"The event could not be made durable ({kind})."}
            outcomes = [
                EventOutcome("error", o.event, message, o.stream) if o.status == "success" else o
                for o in outcomes
            ]
            error_events = 0
        self.metrics.outcomes(outcomes, error_events)
        status, reason, body = _summary(outcomes)
        if hasty:
            return Reply(status, [])
        self.metrics.request(status)
        if body is None:
            return self._reply(status, reason)
        return self._reply(status, reason, self._json_headers, _dump(body))

    # --- responses ---------------------------------------------------------------------

    def _all_accepted(self, count: int) -> Reply:
        reply = self._accepted.get(count)
        if reply is None:
            reply = self._reply(201, f"All {count} out of {count} events were accepted.")
            if count <= CHUNK:
                self._accepted[count] = reply
        return reply

    def _reply(
        self,
        status: int,
        reason: str,
        headers: list[tuple[bytes, bytes]] | None = None,
        body: bytes = b"",
    ) -> Reply:
        safe = _header_safe(reason)
        return Reply(status, [*self.headers, (STATUS_HEADER, safe), *(headers or [])], body, safe)

    def problem(
        self,
        error: BadRequest,
        method: str,
        path: str,
        headers: list[tuple[bytes, bytes]] | None = None,
    ) -> Reply:
        """A problem-JSON answer for a request that cannot be read."""
        body = {
            "status": error.status,
            "type": error.kind,
            "title": error.title,
            "detail": error.detail,
            "method": method,
            "uri": path,
        }
        return Reply(
            error.status,
            [*self.headers, (b"content-type", b"application/problem+json"), *(headers or [])],
            orjson.dumps(body),
        )

    @staticmethod
    async def _send(send: Send, reply: Reply) -> None:
        headers = [*reply.headers, (b"content-length", str(len(reply.body)).encode())]
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        await send({"type": "http.response.body", "body": reply.body})

    def _with_headers(self, send: Send) -> Send:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        return send_with_headers

    # --- other routes ------------------------------------------------------------------

    def _routes(self) -> Starlette:
        info = {"name": NAME, "version": __version__, "description": DESCRIPTION, "home": HOME}

        async def root(request: Request) -> Response:
            if "spec" in request.query_params:
                return JSONResponse(self.spec)
            return PlainTextResponse(f"Cannot GET {request.url.path}", status_code=404)

        async def robots(request: Request) -> Response:
            return PlainTextResponse("User-agent: *\nDisallow: /\n")

        async def info_all(request: Request) -> Response:
            return JSONResponse(info)

        async def info_key(request: Request) -> Response:
            key = request.path_params["key"]
            if key == "home":
                if HOME and HOME.startswith("http"):
                    return RedirectResponse(HOME, status_code=301)
                return PlainTextResponse(f"No home page URL defined for {NAME}", status_code=404)
            if key in ("name", "version"):
                return JSONResponse({key: info[key]})
            return PlainTextResponse(f"Cannot GET {request.url.path}", status_code=404)

        async def metrics(request: Request) -> Response:
            return PlainTextResponse(self.metrics.render(), media_type="text/plain; version=0.0.4")

        return Starlette(
            routes=[
                Route("/", root),
                Route("/robots.txt", robots),
                Route("/_info", info_all),
                Route("/_info/", info_all),
                Route("/_info/{key}", info_key, methods=["GET", "HEAD", "POST"]),
                Route("/_metrics", metrics),
            ]
        )

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await _maybe_await(getattr(self.sink, "start", None))
                except Exception as error:
                    log.exception("the event sink failed to start")
                    await send({"type": "lifespan.startup.failed", "message": str(error)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                while self._background:  # hasty requests still being stored
                    await asyncio.sleep(0.01)
                try:
                    await _maybe_await(getattr(self.sink, "close", None))
                except Exception as error:
                    log.exception("the event sink failed to close")
                    await send({"type": "lifespan.shutdown.failed", "message": str(error)})
                    return
                await send({"type": "lifespan.shutdown.complete"})
                return


@functools.lru_cache(maxsize=256)
def _content_type(value: bytes) -> tuple[str, str]:
    """Media type and charset of a Content-Type header, lower-cased."""
    media_type, _, params = value.partition(b";")
    charset = ""
    for param in params.split(b";"):
        key, _, val = param.partition(b"=")
        if key.strip().lower() == b"charset":
            charset = val.strip().strip(b'"').lower().decode("latin-1")
    return media_type.strip().lower().decode("latin-1"), charset


def is_hasty(query: bytes) -> bool:
    """`?hasty=<anything non-empty>` (or `hasty` given twice), as EventGate reads it."""
    if not query or b"hasty" not in query:
        return False
    values = parse_qs(query.decode("latin-1"), keep_blank_values=True).get("hasty", [])
    return any(values) or len(values) > 1


def _batch(results: list[Processed]) -> _Batch:
    batch = _Batch([], [], 0, 0)
    outcomes, stored = batch.outcomes, batch.stored
    for result in results:
        outcome = result.outcome
        outcomes.append(outcome)
        if result.stored is not None:
            stored.append(result.stored)
        if outcome.status != "success":
            batch.failed += 1
            if outcome.status == "invalid" and result.stored is not None:
                batch.error_events += 1
    return batch


async def _maybe_await(method: Callable[[], Any] | None) -> None:
    if method is None:
        return
    result = method()
    if inspect.isawaitable(result):
        await result


def _dump(body: dict[str, Any]) -> bytes:
    """The response body; an event too deeply nested to echo is replaced by a note."""
    try:
        return orjson.dumps(body)
    except orjson.JSONEncodeError:
        for items in body.values():
            for item in items:
                try:
                    orjson.dumps(item["event"])
                except orjson.JSONEncodeError as error:
                    item["event"] = f"(the event cannot be echoed: {error})"
        return orjson.dumps(body)


def _context_headers(scope: Scope) -> dict[str, str]:
    return {
        name.decode("latin-1"): value.decode("latin-1")
        for name, value in scope["headers"]
        if name in CONTEXT_HEADERS
    }


def _header_safe(text: str) -> bytes:
    return text.encode("latin-1", "replace").replace(b"\r", b" ").replace(b"\n", b" ")[:1024]


def too_large(limit: int) -> BadRequest:
    return BadRequest(
        413,
        "payload_too_large",
        "Payload Too Large",
        f"request entity too large: the limit is {limit} bytes (intake.max_body_size)",
    )


async def _read_body(receive: Receive, limit: int) -> bytes:
    message = await receive()
    body: bytes = message.get("body", b"")
    if len(body) > limit:
        raise too_large(limit)
    if not message.get("more_body"):
        return body
    chunks = [body]
    size = len(body)
    while message.get("more_body"):
        message = await receive()
        if message["type"] == "http.disconnect":
            raise BadRequest(400, "client_disconnected", "Client Disconnected", "body cut short")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _inflate(body: bytes, encoding: str, limit: int) -> bytes:
    wbits = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
    if encoding not in wbits:
        raise BadRequest(
            415,
            "unsupported_encoding",
            "Unsupported Content-Encoding",
            f'unsupported content encoding "{encoding}"; send gzip, deflate or identity',
        )
    inflater = zlib.decompressobj(wbits[encoding])
    try:
        data = inflater.decompress(body, limit + 1)
    except zlib.error as error:
        raise BadRequest(400, "invalid_encoding", "Bad Content-Encoding", str(error)) from None
    if len(data) > limit:
        raise too_large(limit)
    return data
