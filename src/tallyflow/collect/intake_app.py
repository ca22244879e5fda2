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
import inspect
import logging
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
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
from tallyflow.collect.sink import EventSink
from tallyflow.project import IntakeSettings
from tallyflow.records import EventOutcome

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


class IntakeApp:
    """ASGI application of the intake. `sink` receives every accepted event."""

    def __init__(
        self, processor: EventProcessor, sink: EventSink, settings: IntakeSettings
    ) -> None:
        self.processor = processor
        self.sink = sink
        self.settings = settings
        self.metrics = IntakeMetrics(processor.streams)
        self.spec = load_spec()
        self._headers = common_headers(settings)
        self._json_headers = [(b"content-type", b"application/json; charset=utf-8")]
        self._other = self._routes()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path, method = scope["path"], scope["method"]
            if path in EVENTS_PATHS:
                if method == "POST":
                    await self._post_events(scope, receive, send)
                elif method == "OPTIONS":
                    await self._respond(send, 200, [(b"allow", b"POST, OPTIONS")])
                else:
                    await self._problem(
                        send,
                        scope,
                        BadRequest(
                            405,
                            "method_not_allowed",
                            "Method Not Allowed",
                            f"{method} is not allowed; use POST",
                        ),
                        [(b"allow", b"POST, OPTIONS")],
                    )
                return
            if path in TEST_EVENTS_PATHS and self.settings.test_events is not None:
                if method in ("GET", "HEAD"):
                    events = copy.deepcopy(self.settings.test_events)
                    await self._handle(scope, send, list(events), _context_headers(scope))
                    return
            await self._other(scope, receive, self._with_headers(send))
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)

    # --- POST /v1/events ---------------------------------------------------------------

    async def _post_events(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers: dict[str, str] = {}
        try:
            events = await self._read_events(scope, receive, headers)
        except BadRequest as error:
            self.metrics.request(error.status)
            await self._problem(send, scope, error)
            return
        await self._handle(scope, send, events, headers)

    async def _handle(
        self, scope: Scope, send: Send, events: list[Any], headers: dict[str, str]
    ) -> None:
        if not events:
            self.metrics.request(400)
            await self._respond(send, 400, [(STATUS_HEADER, EMPTY_BODY.encode())])
            return
        hasty = self._hasty(scope)
        if hasty:
            self.metrics.request(202)
            reason = f"{len(events)} events hastily received."
            await self._respond(send, 202, [(STATUS_HEADER, reason.encode())])
        try:
            outcomes = await self._process(events, headers)
        except Exception as error:  # never let one request take the service down
            log.exception("unexpected error while processing a request")
            if not hasty:
                self.metrics.request(500)
                reason = f"Encountered an unexpected error while processing events: {error}"
                await self._respond(send, 500, [(STATUS_HEADER, _header_safe(reason))])
            return
        if hasty:
            return
        status, reason, body = _summary(outcomes)
        self.metrics.request(status)
        extra = [(STATUS_HEADER, _header_safe(reason))]
        if body is None:
            await self._respond(send, status, extra)
        else:
            await self._respond(send, status, extra + self._json_headers, _dump(body))

    async def _process(self, events: list[Any], headers: dict[str, str]) -> list[EventOutcome]:
        context = RequestContext.now(headers)
        results: list[Processed] = []
        for start in range(0, len(events), CHUNK):
            if start:  # a huge batch must not keep other requests waiting
                await asyncio.sleep(0)
            results += self.processor.process_batch(events[start : start + CHUNK], context)
        stored = [r.stored for r in results if r.stored is not None]
        outcomes = [r.outcome for r in results]
        error_events = sum(1 for r in results if r.outcome.status == "invalid" and r.stored)
        if stored:
            try:
                await self.sink.write(stored)
            except Exception as error:
                log.exception("the event sink failed")
                # the log has the details; server paths stay out of the answer
                kind = type(error).__name__
                message = {"message": f"The event could not be made durable ({kind})."}
                outcomes = [
                    EventOutcome("error", o.event, message, o.stream)
                    if o.status == "success"
                    else o
                    for o in outcomes
                ]
                error_events = 0
        self.metrics.outcomes(outcomes, error_events)
        return outcomes

    @staticmethod
    def _hasty(scope: Scope) -> bool:
        query = scope.get("query_string", b"")
        if not query or b"hasty" not in query:
            return False
        values = parse_qs(query.decode("latin-1"), keep_blank_values=True).get("hasty", [])
        return any(values) or len(values) > 1

    async def _read_events(
        self, scope: Scope, receive: Receive, context_headers: dict[str, str]
    ) -> list[Any]:
        """The events of the body; fills `context_headers` (user-agent, x-request-id)."""
        media_type = charset = encoding = b""
        declared = -1
        for name, value in scope["headers"]:
            if name in CONTEXT_HEADERS:
                context_headers[name.decode("latin-1")] = value.decode("latin-1")
            elif name == b"content-type":
                media_type, _, params = value.partition(b";")
                for param in params.split(b";"):
                    key, _, val = param.partition(b"=")
                    if key.strip().lower() == b"charset":
                        charset = val.strip().strip(b'"').lower()
            elif name == b"content-encoding":
                encoding = value.strip().lower()
            elif name == b"content-length":
                declared = int(value) if value.isdigit() else -1
        limit = self.settings.max_body_size
        if declared > limit:
            raise _too_large(limit)
        body = await _read_body(receive, limit)
        if media_type.strip().lower().decode("latin-1") not in JSON_TYPES or not body:
            return []
        if charset and charset.decode("latin-1") not in UTF8_CHARSETS:
            raise BadRequest(
                415,
                "unsupported_charset",
                "Unsupported Charset",
                f'unsupported charset "{charset.decode("latin-1").upper()}"; send UTF-8',
            )
        if encoding not in (b"", b"identity"):
            body = _inflate(body, encoding.decode("latin-1"), limit)
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

    # --- responses ---------------------------------------------------------------------

    async def _respond(
        self, send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes = b""
    ) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    *self._headers,
                    *headers,
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _problem(
        self,
        send: Send,
        scope: Scope,
        error: BadRequest,
        headers: list[tuple[bytes, bytes]] | None = None,
    ) -> None:
        body = {
            "status": error.status,
            "type": error.kind,
            "title": error.title,
            "detail": error.detail,
            "method": scope["method"],
            "uri": scope["path"],
        }
        await self._respond(
            send,
            error.status,
            [(b"content-type", b"application/problem+json"), *(headers or [])],
            orjson.dumps(body),
        )

    def _with_headers(self, send: Send) -> Send:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self._headers]
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
                try:
                    await _maybe_await(getattr(self.sink, "close", None))
                except Exception as error:
                    log.exception("the event sink failed to close")
                    await send({"type": "lifespan.shutdown.failed", "message": str(error)})
                    return
                await send({"type": "lifespan.shutdown.complete"})
                return


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


def _too_large(limit: int) -> BadRequest:
    return BadRequest(
        413,
        "payload_too_large",
        "Payload Too Large",
        f"request entity too large: the limit is {limit} bytes (intake.max_body_size)",
    )


async def _read_body(receive: Receive, limit: int) -> bytes:
    message = await receive()
    body: bytes = message.get("body", b"")
    if not message.get("more_body"):
        if len(body) > limit:
            raise _too_large(limit)
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
            raise _too_large(limit)
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
        raise _too_large(limit)
    return data
