from __future__ import annotations

from pathlib import Path

from tallyflow.schemas.documents import dump_document, ordered, parse_document


def test_yaml_is_read_with_json_compatible_scalars() -> None:
    value = parse_document("a: 2021-01-01T00:00:00Z\nb: yes\nc: true\nd: 2021-01-01\n", "x")
    assert value == {"a": "2021-01-01T00:00:00Z", "b": "yes", "c": True, "d": "2021-01-01"}


def test_keys_are_ordered_like_jsonschema_tools_at_every_level() -> None:
    schema = {
        "properties": {"b": {}, "a": {}},
        "type": "object",
        "zzz": 1,
        "$id": "/x/1.0.0",
        "title": "x",
        "examples": [{"z": 1, "$schema": "/x/1.0.0"}],
        "required": [],
    }
    result = ordered(schema)
    assert list(result) == ["title", "$id", "type", "required", "properties", "examples", "zzz"]
    assert list(result["properties"]) == ["a", "b"]
    assert list(result["examples"][0]) == ["$schema", "z"]


def test_yaml_and_json_output_round_trip(tmp_path: Path) -> None:
    schema = {
        "title": "t",
        "description": "x " * 60,
        "dt": "2021-01-01T00:00:00.0Z",
        "s": "https://json-schema.org/draft-07/schema#",
        "e": ["yes", "no"],
    }
    for content_type in ("yaml", "json"):
        assert parse_document(dump_document(schema, content_type), "x", content_type) == schema
