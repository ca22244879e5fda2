"""Event processing of the intake, independent of HTTP: one raw event plus its request context
-> an outcome (`success` / `invalid` / `error`, with EventGate's `context`) and, to store, the
accepted event or, for an invalid event, its error event. Used by the HTTP intake,
`tallyflow events load` and the synthetic event generator alike.

Steps, as eventgate-wikimedia runs them: extract `$schema` and `meta.stream`; check the stream
config (the schema has a `title`, the stream is configured, its `schema_title` equals the
title); default `meta.dt`, `meta.id` and `dt`; copy HTTP headers into the event as the stream
asks (`producers.eventgate.enrich_fields_from_http_headers`); write schema defaults and
validate. The event is changed in place.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from tallyflow.collect.streams import StreamConfig, Streams, load_streams
from tallyflow.collect.validation import CompiledSchema, ValidatorCache
from tallyflow.errors import EventError, EventInvalid, EventRejected
from tallyflow.project import IntakeSettings, Project
from tallyflow.records import AcceptedEvent, EventOutcome
from tallyflow.schemas.repository import SchemaRepository

log = logging.getLogger(__name__)

BUILTIN_SCHEMAS = Path(__file__).parent / "schemas"
"""Schemas shipped with tallyflow; a schema repository that should resolve error events
includes this folder after the project's own base paths."""
ERROR_SCHEMA_URI = "/tallyflow/error/1.0.0.yaml"
"""`$schema` of error events. It names the file with its extension, so it resolves whatever
`schemas.file_extension` is."""

DEFAULT_ENRICH: dict[str, str] = {
    "http.request_headers.user-agent": "user-agent",
    "meta.request_id": "x-request-id",
}
"""Event field -> HTTP request header copied into it, unless the stream config says otherwise.
A field is only filled when the event lacks it and the event's schema declares it."""

_NODE = random.getrandbits(48) | (1 << 40)  # random node id with the multicast bit (RFC 4122)
_MAX_ROUTES = 10_000


def _iso(moment: datetime) -> str:
    """JavaScript's Date.toISOString(): millisecond precision, `Z`."""
    text = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{moment.microsecond // 1000:03d}Z"


_last_now: tuple[int, str] = (0, "")


def now_iso() -> str:
    """The current time as `_iso` writes it (reused within the same millisecond)."""
    global _last_now
    millis = time.time_ns() // 1_000_000
    if millis != _last_now[0]:
        _last_now = (millis, _iso(datetime.fromtimestamp(millis / 1000, UTC)))
    return _last_now[1]


@dataclass(slots=True)  # not frozen: built per request (see records.py)
class RequestContext:
    """What the intake knows about the request that carried an event."""

    received: str
    """Receive time, ISO 8601 with milliseconds (`2026-11-28T02:04:42.123Z`)."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """Request headers, names lower-cased (only those the enrichment may copy are needed)."""

    @classmethod
    def now(cls, headers: Mapping[str, str] | None = None) -> RequestContext:
        return cls(now_iso(), headers or {})


@dataclass(slots=True)  # not frozen: built once per event, and frozen __init__ is slower
class Processed:
    """The outcome of one event and what to store for it (the event, or its error event)."""

    outcome: EventOutcome
    stored: AcceptedEvent | None


@dataclass(frozen=True, slots=True)
class _Route:
    """The checked schema and the per-stream work for events of one schema in one stream."""

    compiled: CompiledSchema
    enrich: list[tuple[list[str], str]]
    fills_dt: bool


def _enrich(
    event: dict[str, Any], plan: list[tuple[list[str], str]], context: RequestContext
) -> None:
    """Copy request headers into the event's fields, where the event has no value yet."""
    for path, header in plan:
        value = context.headers.get(header)
        if value is None:
            continue
        node: Any = event
        for name in path[:-1]:
            child = node.get(name)
            if child is None:
                child = node[name] = {}
            if type(child) is not dict:
                break
            node = child
        else:
            node.setdefault(path[-1], value)


def _enrich_plan(config: StreamConfig, compiled: CompiledSchema) -> list[tuple[list[str], str]]:
    mapping = dict(DEFAULT_ENRICH)
    eventgate = config.producers.get("eventgate")
    setting = (
        eventgate.get("enrich_fields_from_http_headers") if isinstance(eventgate, dict) else None
    )
    if setting is False:
        mapping = {}
    elif isinstance(setting, dict):
        for name, header in setting.items():
            if header in (False, None):
                mapping.pop(str(name), None)
            else:
                mapping[str(name)] = str(header).lower()
    plan = []
    for name, header in mapping.items():
        path = name.split(".")
        if compiled.accepts(*path):
            plan.append((path, header))
    return plan


class EventProcessor:
    """Validates and completes events for one project's schemas and streams."""

    def __init__(
        self,
        repository: SchemaRepository,
        streams: Streams,
        settings: IntakeSettings,
        *,
        allow_insecure: bool = False,
    ) -> None:
        self.validators = ValidatorCache(repository, allow_insecure=allow_insecure)
        self.streams = streams
        self.settings = settings
        self._routes: dict[tuple[str, str], _Route] = {}

    @classmethod
    def from_project(cls, project: Project) -> EventProcessor:
        settings = project.settings
        repository = SchemaRepository(project.schema_paths, settings.schemas.file_extension)
        return cls(
            repository,
            load_streams(project.streams_path),
            settings.intake,
            allow_insecure=settings.schemas.allow_insecure,
        )

    def process_batch(self, events: Iterable[Any], context: RequestContext) -> list[Processed]:
        """`process` for each event, in order."""
        return [self.process(event, context) for event in events]

    def process(self, event: Any, context: RequestContext) -> Processed:
        """Run every step on one event; never raises for bad input."""
        stream: str | None = None
        try:
            route = self._known_route(event)
            if route is None:
                stream = self._stream(event)
                route = self._route(event, event["$schema"], stream)
            else:
                stream = event["meta"]["stream"]
            accepted = self._accept(event, stream, route, context)
        except EventInvalid as invalid:
            outcome = EventOutcome("invalid", event, invalid.context(), stream)
            return Processed(outcome, self._error_event(event, stream, invalid, context))
        except EventError as error:
            return Processed(EventOutcome("error", event, error.context(), stream), None)
        except Exception:  # a bug must cost one event, never the service
            log.exception("unexpected error while processing an event")
            context_ = {"message": "Encountered an unexpected error while processing the event."}
            return Processed(EventOutcome("error", event, context_, stream), None)
        return Processed(EventOutcome("success", event, None, stream), accepted)

    def _stream(self, event: Any) -> str:
        if type(event) is not dict or "$schema" not in event:
            raise EventRejected(
                "Field(s) $schema were missing from event and could not be extracted."
            )
        meta = event.get("meta")
        if type(meta) is not dict or "stream" not in meta:
            raise EventRejected(
                "Field(s) meta.stream were missing from event and could not be extracted."
            )
        stream = meta["stream"]
        if type(stream) is not str:
            raise EventRejected(f"meta.stream must be a string, not {type(stream).__name__}.")
        return stream

    def _known_route(self, event: Any) -> _Route | None:
        """The remembered route of a well-formed event (the common case, checked cheaply)."""
        if type(event) is dict:
            meta = event.get("meta")
            if type(meta) is dict:
                uri, stream = event.get("$schema"), meta.get("stream")
                if type(uri) is str and type(stream) is str:
                    return self._routes.get((uri, stream))
        return None

    def _accept(
        self, event: dict[str, Any], stream: str, route: _Route, context: RequestContext
    ) -> AcceptedEvent:
        uri = event["$schema"]
        meta = event["meta"]
        if "dt" not in meta:
            meta["dt"] = context.received
        if "id" not in meta:
            meta["id"] = str(uuid.uuid1(_NODE))
        if route.fills_dt and "dt" not in event:
            event["dt"] = context.received
        if route.enrich:
            _enrich(event, route.enrich, context)
        route.compiled.validate(event)
        try:
            data = orjson.dumps(event)
        except orjson.JSONEncodeError as error:
            raise EventRejected(f"The event cannot be stored: {error}.") from None
        return AcceptedEvent(stream, uri, event, data)

    def _route(self, event: dict[str, Any], uri: Any, stream: str) -> _Route:
        """What to do with events of schema `uri` in `stream` (remembered once allowed)."""
        key = (uri, stream) if type(uri) is str else None
        route = self._routes.get(key) if key is not None else None
        if route is None:
            compiled = self.validators.get(uri)
            config = self._check_stream(event, uri, stream, compiled)
            route = _Route(compiled, _enrich_plan(config, compiled), compiled.accepts("dt"))
            if key is not None and len(self._routes) < _MAX_ROUTES:
                self._routes[key] = route
        return route

    def _check_stream(
        self, event: dict[str, Any], uri: str, stream: str, compiled: CompiledSchema
    ) -> StreamConfig:
        title = compiled.title
        if title is None:
            raise EventRejected(
                f"Schema at {uri} must define a 'title' field. From {self._repr(event, stream)}"
            )
        config = self.streams.lookup(stream)
        if config is None:
            raise EventRejected(
                f"{self._repr(event, stream)} is not allowed in stream; "
                f"{stream} is not a configured stream."
            )
        if config.schema_title is None:
            raise EventRejected(
                f"{self._repr(event, stream)} is not allowed in stream; "
                f"{stream} does not have a configured schema_title."
            )
        if title != config.schema_title:
            raise EventRejected(
                f"{self._repr(event, stream)} is not allowed in stream; "
                f"schema title must be {config.schema_title}."
            )
        return config

    @staticmethod
    def _repr(event: dict[str, Any], stream: str) -> str:
        """EventGate-Wikimedia's eventRepr: `event <id> of schema at <uri> destined to stream
        <stream>`."""
        event_id = event["meta"].get("id")
        text = "event"
        if event_id:
            text += f" {event_id}"
        return f"{text} of schema at {event['$schema']} destined to stream {stream}"

    def _error_event(
        self,
        event: Any,
        stream: str | None,
        invalid: EventInvalid,
        context: RequestContext,
    ) -> AcceptedEvent:
        meta = event.get("meta") if isinstance(event, dict) else None
        meta = meta if isinstance(meta, dict) else {}
        try:
            raw = orjson.dumps(event).decode()
        except orjson.JSONEncodeError:
            raw = repr(event)[:100_000]
        error_event = {
            "$schema": ERROR_SCHEMA_URI,
            "meta": {
                "stream": self.settings.error_stream,
                "id": str(uuid.uuid1(_NODE)),
                "dt": context.received,
                "uri": str(meta.get("uri", "unknown")),
                "domain": str(meta.get("domain", "unknown")),
                "request_id": str(meta.get("request_id", "unknown")),
            },
            "dt": context.received,
            "emitter_id": self.settings.emitter_id,
            "errored_stream_name": stream or "unknown",
            "raw_event": raw,
            "message": invalid.errors_text,
        }
        return AcceptedEvent(self.settings.error_stream, ERROR_SCHEMA_URI, error_event)
