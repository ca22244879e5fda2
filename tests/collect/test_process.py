import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tallyflow.collect.process import (
    BUILTIN_SCHEMAS,
    ERROR_SCHEMA_URI,
    EventProcessor,
    RequestContext,
)
from tallyflow.collect.streams import load_streams
from tallyflow.collect.validation import ValidatorCache
from tallyflow.project import IntakeSettings
from tallyflow.schemas.repository import SchemaRepository
from tests.collect.intake_fixtures import EVENTGATE, make_project

RECEIVED = "2026-11-28T02:04:42.123Z"
HEADERS = {"user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0", "x-request-id": "r-1"}
CONTEXT = RequestContext(RECEIVED, HEADERS)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture
def processor(tmp_path: Path) -> EventProcessor:
    return EventProcessor.from_project(make_project(tmp_path / "p"))


def test_eventgate_test_event_is_accepted_with_wikimedia_defaults(
    processor: EventProcessor,
) -> None:
    event = {"$schema": "/test/0.0.2", "meta": {"stream": "test.event"}, "test": "a"}
    result = processor.process(event, CONTEXT)
    assert result.outcome.status == "success"
    assert result.stored is not None
    assert (result.stored.stream, result.stored.schema_uri) == ("test.event", "/test/0.0.2")
    stored = result.stored.event
    assert stored["meta"]["dt"] == RECEIVED
    assert UUID.match(stored["meta"]["id"])
    assert stored["test_default"] == "default_value"
    assert "dt" not in stored  # the test schema has no dt field
    assert "http" not in stored and "request_id" not in stored["meta"]  # not declared


def test_client_values_are_kept(processor: EventProcessor) -> None:
    meta = {
        "stream": "test.event",
        "dt": "2020-01-01T00:00:00Z",
        "id": "5e1dd101-641c-11e8-ab6c-b083fecf1280",
    }
    result = processor.process({"$schema": "/test/0.0.2", "meta": dict(meta)}, CONTEXT)
    assert result.stored is not None
    assert result.stored.event["meta"] == meta


def legacy_event(**extra: Any) -> dict[str, Any]:
    return {
        "$schema": "/analytics/legacy/codemirrorusage/1.1.0",
        "meta": {"stream": "eventlogging_CodeMirrorUsage", "domain": "en.wikipedia.org"},
        "client_dt": "2026-11-28T02:04:40.000Z",
        "event": {
            "editor": "wikitext",
            "enabled": True,
            "toggled": False,
            "session_token": "abc",
            "user_id": 1,
            "edit_start_ts_ms": 1,
        },
        "schema": "CodeMirrorUsage",
        "webHost": "en.wikipedia.org",
        "wiki": "enwiki",
        **extra,
    }


def test_legacy_event_gets_dt_user_agent_and_request_id(processor: EventProcessor) -> None:
    result = processor.process(legacy_event(), CONTEXT)
    assert result.outcome.status == "success", result.outcome.context
    assert result.stored is not None
    event = result.stored.event
    assert event["dt"] == RECEIVED
    assert event["http"]["request_headers"]["user-agent"] == HEADERS["user-agent"]
    assert event["meta"]["request_id"] == "r-1"


def test_enrichment_does_not_overwrite_client_values(processor: EventProcessor) -> None:
    event = legacy_event(http={"request_headers": {"user-agent": "MediaWiki/1.44"}})
    result = processor.process(event, CONTEXT)
    assert result.stored is not None
    assert result.stored.event["http"]["request_headers"]["user-agent"] == "MediaWiki/1.44"


def test_stream_config_can_turn_enrichment_off(tmp_path: Path) -> None:
    streams = (
        "eventlogging_CodeMirrorUsage:\n  schema_title: analytics/legacy/codemirrorusage\n"
        "  producers:\n    eventgate:\n      enrich_fields_from_http_headers:\n"
        "        http.request_headers.user-agent: false\n"
        "        meta.request_id: x-trace\n"
    )
    processor = EventProcessor.from_project(make_project(tmp_path / "p", streams=streams))
    context = RequestContext(RECEIVED, {**HEADERS, "x-trace": "t-9"})
    result = processor.process(legacy_event(), context)
    assert result.stored is not None
    assert "http" not in result.stored.event
    assert result.stored.event["meta"]["request_id"] == "t-9"


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (
            {"meta": {"stream": "test.event"}},
            "Field(s) $schema were missing from event and could not be extracted.",
        ),
        (1, "Field(s) $schema were missing from event and could not be extracted."),
        (None, "Field(s) $schema were missing from event and could not be extracted."),
        (
            {"$schema": "/test/0.0.2"},
            "Field(s) meta.stream were missing from event and could not be extracted.",
        ),
        ({"$schema": "/test/0.0.2", "meta": {"stream": 3}}, "meta.stream must be a string"),
        (
            {"$schema": "/test/0.0.2", "meta": {"stream": "nope.test.event"}},
            "event of schema at /test/0.0.2 destined to stream nope.test.event is not allowed in "
            "stream; nope.test.event is not a configured stream.",
        ),
        (
            {"$schema": "/error/0.0.1", "meta": {"stream": "test.event", "id": "e-1"}},
            "event e-1 of schema at /error/0.0.1 destined to stream test.event is not allowed in "
            "stream; schema title must be test.",
        ),
        (
            {"$schema": "/test/0.0.2", "meta": {"stream": "test.untitled"}},
            "test.untitled does not have a configured schema_title.",
        ),
        (
            {"$schema": "/test_insecure/0.0.1", "meta": {"stream": "test.insecure"}},
            "Failed loading schema at /test_insecure/0.0.1",
        ),
        (
            {"$schema": "bad/uri/right/here@@@", "meta": {"stream": "test.event"}},
            "Failed loading schema at bad/uri/right/here@@@",
        ),
    ],
)
def test_errors_carry_eventgate_messages(
    processor: EventProcessor, event: Any, message: str
) -> None:
    result = processor.process(event, CONTEXT)
    assert result.outcome.status == "error"
    assert result.stored is None
    assert result.outcome.context is not None
    assert message in result.outcome.context["message"]


def test_regex_stream_key_allows_its_schema(processor: EventProcessor) -> None:
    event = {"$schema": "/test_draft4/0.0.1", "meta": {"stream": "test_draft4.anything"}}
    assert processor.process(event, CONTEXT).outcome.status == "success"


def test_schema_without_title_is_an_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    (project.root / "schemas" / "untitled").mkdir()
    (project.root / "schemas" / "untitled" / "1.0.0").write_text("type: object\n")
    result = EventProcessor.from_project(project).process(
        {"$schema": "/untitled/1.0.0", "meta": {"stream": "test.event"}}, CONTEXT
    )
    assert result.outcome.context == {
        "message": "Schema at /untitled/1.0.0 must define a 'title' field. From event of "
        "schema at /untitled/1.0.0 destined to stream test.event"
    }


def test_invalid_event_makes_an_error_event_that_fits_the_shipped_schema(
    processor: EventProcessor,
) -> None:
    event = {
        "$schema": "/test/0.0.2",
        "meta": {"stream": "test.event", "request_id": "q"},
        "test": 1,
    }
    result = processor.process(event, CONTEXT)
    assert result.outcome.status == "invalid"
    assert result.outcome.context is not None
    assert result.outcome.context["errorsText"] == "'.test' should be string"
    error_event = result.stored
    assert error_event is not None
    assert error_event.stream == "eventgate-analytics-external.error.validation"
    assert error_event.schema_uri == ERROR_SCHEMA_URI
    body = error_event.event
    assert body["errored_stream_name"] == "test.event"
    assert body["message"] == "'.test' should be string"
    assert body["emitter_id"] == "tallyflow"
    assert body["meta"]["request_id"] == "q"
    assert '"test":1' in body["raw_event"]
    ValidatorCache(SchemaRepository([BUILTIN_SCHEMAS])).get(ERROR_SCHEMA_URI).validate(body)


def test_error_stream_and_emitter_come_from_settings(tmp_path: Path) -> None:
    settings = "intake:\n  error_stream: my.errors\n  emitter_id: intake-1\n"
    processor = EventProcessor.from_project(make_project(tmp_path / "p", settings=settings))
    result = processor.process(
        {"$schema": "/test/0.0.2", "meta": {"stream": "test.event"}, "test": []}, CONTEXT
    )
    assert result.stored is not None
    assert result.stored.stream == "my.errors"
    assert result.stored.event["meta"]["stream"] == "my.errors"
    assert result.stored.event["emitter_id"] == "intake-1"


def test_unstorable_event_is_an_error_not_a_crash(processor: EventProcessor) -> None:
    deep: Any = "leaf"
    for _ in range(300):
        deep = {"x": deep}
    event = {"$schema": "/test/0.0.2", "meta": {"stream": "test.event"}, "extra": deep}
    result = processor.process(event, CONTEXT)
    assert result.outcome.status == "error"
    assert result.outcome.context is not None
    assert "cannot be stored" in result.outcome.context["message"]


def test_context_now_is_javascript_iso() -> None:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", RequestContext.now().received)


def test_processor_from_parts_with_eventgate_stream_config() -> None:
    schemas = EVENTGATE / "schemas"
    processor = EventProcessor(
        SchemaRepository([schemas]),
        load_streams(schemas / "stream-config.test.yaml"),
        IntakeSettings(),
    )
    good = {"$schema": "/test/0.0.2", "meta": {"stream": "test.event"}}
    wrong = {"$schema": "/error/0.0.1", "meta": {"stream": "test_draft4.event"}}
    assert processor.process(good, CONTEXT).outcome.status == "success"
    assert processor.process(wrong, CONTEXT).outcome.status == "error"


_EVENTGATE_PROCESSOR = EventProcessor(
    SchemaRepository([EVENTGATE / "schemas"]),
    load_streams(EVENTGATE / "schemas" / "stream-config.test.yaml"),
    IntakeSettings(),
)
# events valid for EventGate's /test/0.0.2 schema, built by hand (hypothesis-jsonschema
# does not run with the installed hypothesis)
_UUIDS = st.uuids().map(str)
_TIMES = st.datetimes(min_value=datetime(1000, 1, 1), timezones=st.just(UTC)).map(
    lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
)
_VALID_EVENTS = st.fixed_dictionaries(
    {"meta": st.fixed_dictionaries({}, optional={"id": _UUIDS, "dt": _TIMES})},
    optional={
        "test": st.text(),
        "test_default": st.text(),
        "test_new_field": st.text(),
        "test_map": st.dictionaries(st.text(), st.text(), max_size=3),
        "extra": st.integers(-(2**63), 2**63 - 1),
    },
)


@settings(max_examples=150, deadline=None)
@given(event=_VALID_EVENTS)
def test_events_valid_for_the_schema_are_accepted(event: dict[str, Any]) -> None:
    event["$schema"] = "/test/0.0.2"
    event["meta"]["stream"] = "test.event"
    expected_default = event.get("test_default", "default_value")
    result = _EVENTGATE_PROCESSOR.process(event, CONTEXT)
    assert result.outcome.status == "success", result.outcome.context
    assert result.stored is not None
    assert result.stored.event["test_default"] == expected_default


@settings(max_examples=100, deadline=None)
@given(event=_VALID_EVENTS, bad=st.integers() | st.booleans() | st.lists(st.text(), max_size=2))
def test_a_wrong_type_makes_the_event_invalid(event: dict[str, Any], bad: Any) -> None:
    event.update({"$schema": "/test/0.0.2", "test": bad})
    event["meta"]["stream"] = "test.event"
    result = _EVENTGATE_PROCESSOR.process(event, CONTEXT)
    assert result.outcome.status == "invalid"
    assert result.outcome.context is not None
    assert "'.test' should be string" in result.outcome.context["errorsText"]
