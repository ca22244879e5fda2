from typing import Any

import pytest

from tallyflow.collect.ajv_errors import AjvReporter, data_path, errors_text, schema_path
from tallyflow.collect.ajv_formats import AJV_FORMATS


def test_data_path_is_javascript_property_access() -> None:
    assert data_path(["meta", "id"]) == ".meta.id"
    assert data_path(["test_map", "x-y", 0]) == ".test_map['x-y'][0]"
    assert data_path(["$schema", "it's"]) == ".$schema['it\\'s']"
    assert data_path([]) == ""


def test_schema_path_is_an_escaped_fragment() -> None:
    assert schema_path(["properties", "a/b", "type"]) == "#/properties/a~1b/type"
    assert schema_path(["properties", "a b"]) == "#/properties/a%20b"


def messages(schema: dict[str, Any], event: Any) -> list[tuple[str, str]]:
    return [(e["keyword"], e["message"]) for e in AjvReporter(schema).errors(event)]


@pytest.mark.parametrize(
    ("schema", "event", "expected"),
    [
        ({"enum": ["a", "b"]}, "c", [("enum", "should be equal to one of the allowed values")]),
        ({"const": 1}, 2, [("const", "should be equal to constant")]),
        ({"type": ["string", "null"]}, 1, [("type", "should be string,null")]),
        ({"minimum": 1.0}, 0, [("minimum", "should be >= 1")]),
        ({"exclusiveMaximum": 3}, 3, [("exclusiveMaximum", "should be < 3")]),
        ({"multipleOf": 2}, 3, [("multipleOf", "should be multiple of 2")]),
        (
            {"uniqueItems": True},
            [1, 2, 1],
            [("uniqueItems", "should NOT have duplicate items (items ## 0 and 2 are identical)")],
        ),
        (
            {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            1.5,
            [
                ("type", "should be string"),
                ("type", "should be integer"),
                ("anyOf", 'should match some schema in "anyOf"'),
            ],
        ),
        (
            {"oneOf": [{"type": "integer"}, {"minimum": 0}]},
            1,
            [("oneOf", 'should match exactly one schema in "oneOf"')],
        ),
        ({"not": {"type": "string"}}, "x", [("not", "should NOT be valid")]),
        (
            {"properties": {"d": {"type": "string", "format": "date-time"}}},
            {"d": "nope"},
            [("format", 'should match format "date-time"')],
        ),
    ],
)
def test_ajv_messages(schema: dict[str, Any], event: Any, expected: list[tuple[str, str]]) -> None:
    assert messages(schema, event) == expected


def test_one_of_names_the_passing_schemas() -> None:
    schema = {"oneOf": [{"type": "integer"}, {"minimum": 0}]}
    [error] = AjvReporter(schema).errors(1)
    assert error["params"] == {"passingSchemas": [0, 1]}


def test_errors_text_joins_quoted_paths() -> None:
    errors = AjvReporter({"properties": {"a": {"type": "string"}, "b": {"type": "integer"}}})
    found = errors.errors({"a": 1, "b": "x"})
    assert errors_text(found) == "'.a' should be string, '.b' should be integer"


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("date-time", "2020-01-01 00:00:00z", "2020-01-01"),
        ("date-time", "2026-11-28T02:04:42.123Z", "2026-11-28T02:04:42.123Z\n"),
        ("uuid", "urn:uuid:5e1dd101-641c-11e8-ab6c-b083fecf1280", "5e1dd101"),
        ("ipv4", "127.0.0.1", "256.0.0.1"),
        ("hostname", "en.wikipedia.org", "-bad-.org"),
        ("uri", "https://example.org/x", "example.org"),
    ],
)
def test_formats_follow_ajv_fast_mode(name: str, good: str, bad: str) -> None:
    assert AJV_FORMATS[name](good)
    assert not AJV_FORMATS[name](bad)
