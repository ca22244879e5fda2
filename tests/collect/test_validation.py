from pathlib import Path
from typing import Any

import pytest

from tallyflow.collect.validation import ValidatorCache, insecure_reasons
from tallyflow.errors import EventInvalid, EventRejected
from tallyflow.schemas.repository import SchemaRepository
from tests.collect.intake_fixtures import EVENTGATE, FIXTURES

SCHEMAS = EVENTGATE / "schemas"


@pytest.fixture
def cache() -> ValidatorCache:
    return ValidatorCache(SchemaRepository([SCHEMAS, FIXTURES / "schemas"]))


def invalid(cache: ValidatorCache, uri: str, event: Any) -> EventInvalid:
    with pytest.raises(EventInvalid) as caught:
        cache.get(uri).validate(event)
    return caught.value


def test_valid_event_gets_schema_defaults(cache: ValidatorCache) -> None:
    event = {"$schema": "/test/0.0.2", "meta": {"stream": "s"}, "test": "x"}
    cache.get("/test/0.0.2").validate(event)
    assert event["test_default"] == "default_value"


def test_default_does_not_replace_a_given_value(cache: ValidatorCache) -> None:
    event = {"$schema": "/test/0.0.2", "meta": {"stream": "s"}, "test_default": "mine"}
    cache.get("/test/0.0.2").validate(event)
    assert event["test_default"] == "mine"


def test_invalid_event_has_ajv_errors_and_errors_text(cache: ValidatorCache) -> None:
    event = {"$schema": "/test/0.0.2", "meta": {"stream": "s"}, "test": 5}
    error = invalid(cache, "/test/0.0.2", event)
    assert error.errors == [
        {
            "keyword": "type",
            "dataPath": ".test",
            "schemaPath": "#/properties/test/type",
            "params": {"type": "string"},
            "message": "should be string",
        }
    ]
    assert error.errors_text == "'.test' should be string"
    assert event["test_default"] == "default_value"  # AJV writes defaults into invalid events too


def test_all_errors_are_listed_with_js_style_paths(cache: ValidatorCache) -> None:
    event = {
        "$schema": "/test/0.0.2",
        "meta": {"id": "nope", "dt": "yesterday"},
        "test_map": {"x-y": 1, "ok": "fine"},
    }
    error = invalid(cache, "/test/0.0.2", event)
    by_path = {(e["dataPath"], e["keyword"]): e for e in error.errors}
    assert by_path[(".meta", "required")]["message"] == "should have required property 'stream'"
    assert by_path[(".meta", "required")]["params"] == {"missingProperty": "stream"}
    assert by_path[(".meta.id", "pattern")]["message"].startswith('should match pattern "^[a-fA-F')
    assert by_path[(".meta.dt", "format")]["message"] == 'should match format "date-time"'
    assert by_path[(".test_map['x-y']", "type")]["schemaPath"] == (
        "#/properties/test_map/additionalProperties/type"
    )
    assert len(error.errors) == 4
    assert error.errors_text.count(", ") == 3


def test_additional_properties_and_required_are_listed_per_property(
    cache: ValidatorCache,
) -> None:
    meta = {"stream": "s", "dt": "2020-01-01T00:00:00Z"}
    event = {"$schema": "/x", "meta": meta, "event": {}, "a": 1, "b": 2}
    error = invalid(cache, "/analytics/legacy/codemirrorusage/1.1.0", event)
    extra = [e["params"] for e in error.errors if e["keyword"] == "additionalProperties"]
    assert extra == [{"additionalProperty": "a"}, {"additionalProperty": "b"}]
    missing = [e["params"]["missingProperty"] for e in error.errors if e["keyword"] == "required"]
    assert missing == [
        "editor",
        "enabled",
        "toggled",
        "session_token",
        "user_id",
        "edit_start_ts_ms",
    ]


def test_array_index_and_limit_messages(tmp_path: Path) -> None:
    (tmp_path / "arr").mkdir()
    (tmp_path / "arr" / "1.0.0").write_text(
        "title: arr\n$schema: http://json-schema.org/draft-07/schema#\ntype: object\n"
        "properties:\n  list:\n    type: array\n    maxItems: 2\n"
        "    items: {type: string, maxLength: 3}\n  n: {type: integer, maximum: 10}\n"
    )
    cache = ValidatorCache(SchemaRepository([tmp_path]))
    error = invalid(cache, "/arr/1.0.0", {"list": ["abcd", "ok", "x"], "n": 11})
    messages = {e["dataPath"]: e["message"] for e in error.errors}
    assert messages == {
        ".list": "should NOT have more than 2 items",
        ".list[0]": "should NOT be longer than 3 characters",
        ".n": "should be <= 10",
    }


def test_ajv_fast_date_time_format_is_used(cache: ValidatorCache) -> None:
    compiled = cache.get("/test/0.0.2")
    compiled.validate({"meta": {"stream": "s", "dt": "2020-01-01 00:00:00z"}})
    with pytest.raises(EventInvalid):
        compiled.validate({"meta": {"stream": "s", "dt": "2020-01-01"}})


@pytest.mark.parametrize("uri", ["/test_draft4/0.0.1", "/test_draft6/0.0.1"])
def test_draft4_and_draft6_schemas_compile_offline(cache: ValidatorCache, uri: str) -> None:
    compiled = cache.get(uri)
    meta = {"stream": "s", "id": "5e1dd101-641c-11e8-ab6c-b083fecf1280"}
    compiled.validate({"meta": meta})
    with pytest.raises(EventInvalid):
        compiled.validate({"meta": {**meta, "stream": 5}})


def test_insecure_schema_is_an_error_unless_allowed() -> None:
    cache = ValidatorCache(SchemaRepository([SCHEMAS]))
    with pytest.raises(EventRejected) as caught:
        cache.get("/test_insecure/0.0.1")
    assert caught.value.message.startswith("Failed loading schema at /test_insecure/0.0.1")
    assert "not secure" in caught.value.message and "maxLength" in caught.value.message
    relaxed = ValidatorCache(SchemaRepository([SCHEMAS]), allow_insecure=True)
    meta = {"stream": "s", "id": "5e1dd101-641c-11e8-ab6c-b083fecf1280"}
    relaxed.get("/test_insecure/0.0.1").validate({"meta": meta})


def test_insecure_rules() -> None:
    assert insecure_reasons({"type": "string", "pattern": "a", "maxLength": 5}) == []
    assert insecure_reasons({"properties": {"a": {"format": "date"}}}) == [
        "#/properties/a: 'format' without 'maxLength'"
    ]
    assert insecure_reasons({"patternProperties": {"a": {}}})
    assert not insecure_reasons({"patternProperties": {"a": {}}, "propertyNames": {"maxLength": 9}})
    assert insecure_reasons({"uniqueItems": True, "items": {"type": "object"}})
    assert not insecure_reasons({"uniqueItems": True, "items": {"type": "string"}})
    assert insecure_reasons({"allOf": [{"items": [{"pattern": "x"}]}]})


def test_refs_resolve_through_the_repository(cache: ValidatorCache) -> None:
    compiled = cache.get("/analytics/legacy/codemirrorusage/1.1.0")
    assert compiled.accepts("http", "request_headers", "user-agent")
    assert compiled.accepts("meta", "request_id")
    assert not compiled.accepts("meta", "nonexistent")


def test_validators_are_cached_by_uri_and_by_id(cache: ValidatorCache) -> None:
    first = cache.get("/test/0.0.2")
    assert cache.get("/test/0.0.2") is first
    assert cache.get("//test/0.0.2") is first  # same file
    draft4 = cache.get("/test_draft4/0.0.1.yaml")
    assert cache.get("/test_draft4/0.0.1") is draft4  # found by its $id (`id` in draft-04)


@pytest.mark.parametrize(
    ("uri", "reason"),
    [
        ("http://example.org/test/0.0.2", "absolute URIs are not fetched"),
        ("/../etc/passwd", "'..' is not allowed"),
        ("/nope/1.0.0", "no such file"),
        ("bad/uri/right/here@@@", "no such file"),
        (5, "must be a string"),
    ],
)
def test_unloadable_schemas_are_rejected(cache: ValidatorCache, uri: Any, reason: str) -> None:
    with pytest.raises(EventRejected) as caught:
        cache.get(uri)
    assert caught.value.message.startswith(f"Failed loading schema at {uri}")
    assert reason in caught.value.message
    assert str(SCHEMAS.resolve()) not in caught.value.message  # no server paths leak
