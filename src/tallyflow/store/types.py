"""JSON Schema -> Arrow (Parquet/Hive) types and column names, as Wikimedia's Refine maps them.

| JSON Schema                                  | Arrow / Hive         |
|----------------------------------------------|----------------------|
| boolean                                      | bool / BOOLEAN       |
| integer                                      | int64 / BIGINT       |
| number                                       | float64 / DOUBLE     |
| string (any format)                          | string / STRING      |
| array with items                             | list / ARRAY         |
| object with properties                       | struct / STRUCT      |
| object with only additionalProperties: {..}  | map<string,..> / MAP |

Where Refine would fail (no `type`, a union, an open object), tallyflow keeps the data as a JSON
string column instead, so no accepted event is lost. Names: characters outside [A-Za-z0-9_] (and
a leading digit) become `_` (`$schema` -> `_schema`); top-level names are lower-cased, nested
struct fields keep their case. Every column is nullable. `allOf` branches are merged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pyarrow as pa

_BAD_CHARS = re.compile(r"^[^A-Za-z_]|[^A-Za-z0-9_]")

USERAGENT_FIELDS = (
    "browser_family",
    "browser_major",
    "browser_minor",
    "device_family",
    "is_bot",
    "is_mediawiki",
    "os_family",
    "os_major",
    "os_minor",
    "wmf_app_version",
)
USERAGENT_TYPE = pa.struct(
    [
        pa.field(name, pa.bool_() if name.startswith("is_") else pa.string())
        for name in USERAGENT_FIELDS
    ]
)
JSON_TEXT = pa.string()


def normalize_name(name: str, top_level: bool) -> str:
    """Refine's column name for a JSON property."""
    cleaned = _BAD_CHARS.sub("_", name)
    return cleaned.lower() if top_level else cleaned


def merge_all_of(schema: Mapping[str, Any]) -> dict[str, Any]:
    """`properties` and `required` of `allOf` branches folded into one object schema."""
    if "allOf" not in schema:
        return dict(schema)
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    properties: dict[str, Any] = dict(merged.get("properties", {}))
    for branch in schema["allOf"]:
        branch = merge_all_of(branch)
        for name, sub in branch.get("properties", {}).items():
            if name in properties and isinstance(properties[name], Mapping):
                properties[name] = merge_all_of({"allOf": [properties[name], sub]})
            else:
                properties[name] = sub
        for key in ("type", "additionalProperties"):
            if key in branch and key not in merged:
                merged[key] = branch[key]
    merged["properties"] = properties
    return merged


def arrow_type(schema: Any) -> pa.DataType:
    """The Arrow type of one JSON Schema node (nested names keep their case)."""
    if not isinstance(schema, Mapping):
        return JSON_TEXT
    schema = merge_all_of(schema)
    kind = schema.get("type")
    if kind == "boolean":
        return pa.bool_()
    if kind == "integer":
        return pa.int64()
    if kind == "number":
        return pa.float64()
    if kind == "string":
        return pa.string()
    if kind == "array":
        items = schema.get("items")
        return pa.list_(arrow_type(items)) if isinstance(items, Mapping) else JSON_TEXT
    if kind == "object" or (kind is None and "properties" in schema):
        properties = schema.get("properties")
        if properties:
            return pa.struct(
                [
                    pa.field(normalize_name(name, top_level=False), arrow_type(sub))
                    for name, sub in properties.items()
                ]
            )
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping) and extra.get("type"):
            return pa.map_(pa.string(), arrow_type(extra))
    return JSON_TEXT


def table_schema(schema: Mapping[str, Any]) -> pa.Schema:
    """Columns of the table an event schema refines into (plus the derived `useragent`)."""
    root = merge_all_of(schema)
    fields: dict[str, pa.Field] = {}
    for name, sub in root.get("properties", {}).items():
        column = normalize_name(name, top_level=True)
        fields[column] = pa.field(column, arrow_type(sub))
    fields["useragent"] = pa.field("useragent", USERAGENT_TYPE)
    return pa.schema(list(fields.values()))
