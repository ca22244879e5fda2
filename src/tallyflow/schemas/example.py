"""Example generation for schemas that have none (`shouldGenerateExample`).

Input: a materialized schema. Output: one example event, deterministic, reproducing what
jsonschema-tools gets from json-schema-faker with its random source pinned to 0.15 for the types
the fixtures use: every property present (optional ones too), strings `dolor`, booleans `false`,
integers `floor(0.15 * (max - min + 1)) + min`, `date-time` `2021-01-01T00:00:00.0Z`,
`uri-reference` `http://example.org`, a map `{dolorb: <value>}`, and `$schema` set to the `$id`.
Other constructs get a plain valid value; byte-equality with json-schema-faker is only claimed
for the ones above.
"""

from __future__ import annotations

import math
from typing import Any

RANDOM = 0.15
_FORMATS = {
    "date-time": "2021-01-01T00:00:00.0Z",
    "date": "2021-01-01",
    "uri-reference": "http://example.org",
    "uri": "http://example.org",
    "email": "dolor@example.org",
}


def generate_example(schema: dict[str, Any]) -> dict[str, Any] | Any:
    """An example instance of `schema`, with `$schema` set to its `$id` when it has one."""
    example = _value(schema)
    if isinstance(example, dict) and "$schema" in schema.get("properties", {}):
        example["$schema"] = schema.get("$id", "")
    return example


def _value(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return None
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        options = schema["enum"]
        return options[math.floor(RANDOM * len(options))]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = kind[0] if kind else None
    if kind == "object" or (kind is None and "properties" in schema):
        result = {name: _value(sub) for name, sub in schema.get("properties", {}).items()}
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and not schema.get("properties"):
            result["dolorb"] = _value(extra)
        return result
    if kind == "array":
        count = max(int(schema.get("minItems", 1)), 1)
        return [_value(schema.get("items", {})) for _ in range(count)]
    if kind == "boolean":
        return False
    if kind in ("integer", "number"):
        low = schema.get("minimum", -9007199254740991)
        high = schema.get("maximum", 9007199254740991)
        if kind == "integer":
            return math.floor(RANDOM * (high - low + 1)) + low
        return RANDOM * (high - low) + low
    if kind == "null":
        return None
    text = _FORMATS.get(str(schema.get("format")), "dolor")
    minimum = int(schema.get("minLength", 0))
    return text + "r" * max(minimum - len(text), 0)
