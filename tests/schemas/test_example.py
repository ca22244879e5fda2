from __future__ import annotations

from tallyflow.schemas.example import generate_example


def test_values_match_json_schema_faker_pinned_to_0_15() -> None:
    schema = {
        "$id": "/fragment/x/1.0.0",
        "type": "object",
        "properties": {
            "$schema": {"type": "string"},
            "n": {"type": "integer", "minimum": -9007199254740991, "maximum": 9007199254740991},
            "b": {"type": "boolean"},
            "s": {"type": "string"},
            "dt": {"type": "string", "format": "date-time", "maxLength": 128},
            "uri": {"type": "string", "format": "uri-reference", "maxLength": 8192},
            "headers": {"type": "object", "additionalProperties": {"type": "string"}},
            "kind": {"type": "string", "enum": ["a", "b", "c", "d", "e", "f", "g"]},
        },
    }
    assert generate_example(schema) == {
        "$schema": "/fragment/x/1.0.0",
        "n": -6305039478318694,
        "b": False,
        "s": "dolor",
        "dt": "2021-01-01T00:00:00.0Z",
        "uri": "http://example.org",
        "headers": {"dolorb": "dolor"},
        "kind": "b",
    }
