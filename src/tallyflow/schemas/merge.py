"""allOf merging: fold every `allOf` into the schema that holds it.

Input: a dereferenced schema. Output: an equivalent schema without `allOf`, as
json-schema-merge-allof builds it with `ignoreAdditionalProperties: true` and jsonschema-tools'
`examples` resolver:
- `properties` are unioned; a property named in several branches is merged recursively.
- `required` lists are unioned and sorted when several branches have one; a single list keeps
  its authored order.
- `examples`, `title`, `description`, `$id`, `$schema`, `default`: the first value wins
  (the holder's own keys come first, then the branches in order).
- `type`: the intersection; `enum`: the intersection; numeric/length bounds: the tightest;
  `additionalProperties`: false if any branch says false.
- any other key must agree across branches; a conflict is a `SchemaError` naming the key.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from tallyflow.errors import SchemaError

_FIRST = ("$id", "$schema", "title", "description", "default", "examples", "$comment")
_MAXIMUM_OF = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_MINIMUM_OF = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")


def merge_all_of(schema: Any, path: str = "") -> Any:
    """The schema with every `allOf` (at any depth) merged into its holder."""
    if isinstance(schema, list):
        return [merge_all_of(item, f"{path}/{i}") for i, item in enumerate(schema)]
    if not isinstance(schema, dict):
        return schema
    merged = {key: merge_all_of(value, f"{path}/{key}") for key, value in schema.items()}
    branches = merged.pop("allOf", None)
    if not isinstance(branches, list):
        if branches is not None:
            merged["allOf"] = branches
        return merged
    return merge_schemas([merged, *branches], path)


def merge_schemas(schemas: list[Any], path: str) -> Any:
    """Merge sibling schemas (already free of nested allOf) into one."""
    dicts = [schema for schema in schemas if isinstance(schema, dict)]
    if any(schema is False for schema in schemas):
        return False
    if len(dicts) == 1:
        return dicts[0]
    keys: list[str] = []
    for schema in dicts:
        keys.extend(key for key in schema if key not in keys)
    result: dict[str, Any] = {}
    for key in keys:
        values = [schema[key] for schema in dicts if key in schema]
        result[key] = values[0] if len(values) == 1 else _resolve(key, values, f"{path}/{key}")
    return result


def _resolve(key: str, values: list[Any], path: str) -> Any:
    resolver = _RESOLVERS.get(key)
    if resolver is not None:
        return resolver(values, path)
    if key in _FIRST:
        return values[0]
    if key in _MAXIMUM_OF:
        return max(values)
    if key in _MINIMUM_OF:
        return min(values)
    if all(value == values[0] for value in values):
        return values[0]
    raise SchemaError(
        f"allOf at {path or '/'}: cannot merge {key!r}: the branches disagree ({values!r})",
        hint="make the branches agree on this keyword, or drop it from all but one",
    )


def _properties(values: list[Any], path: str) -> Any:
    names: list[str] = []
    for value in values:
        names.extend(name for name in value if name not in names)
    return {
        name: merge_schemas([v[name] for v in values if name in v], f"{path}/{name}")
        for name in names
    }


def _required(values: list[Any], _path: str) -> Any:
    return sorted({name for value in values for name in value})


def _type(values: list[Any], path: str) -> Any:
    sets = [set(v) if isinstance(v, list) else {v} for v in values]
    common = set.intersection(*sets)
    if "number" in set.union(*sets) and "integer" in set.union(*sets) and not common:
        common = {"integer"}
    if not common:
        raise SchemaError(f"allOf at {path}: the branches allow no common type ({values!r})")
    if len(common) == 1:
        return common.pop()
    return [t for t in (values[0] if isinstance(values[0], list) else [values[0]]) if t in common]


def _enum(values: list[Any], path: str) -> Any:
    kept = [item for item in values[0] if all(item in other for other in values[1:])]
    if not kept:
        raise SchemaError(f"allOf at {path}: the enums have no value in common")
    return kept


def _additional(values: list[Any], path: str) -> Any:
    if any(value is False for value in values):
        return False
    schemas = [value for value in values if isinstance(value, dict)]
    return merge_schemas(schemas, path) if schemas else True


def _items(values: list[Any], path: str) -> Any:
    if all(isinstance(value, dict) for value in values):
        return merge_schemas(values, path)
    if all(value == values[0] for value in values):
        return values[0]
    raise SchemaError(f"allOf at {path}: cannot merge tuple `items` that differ")


def _multiple_of(values: list[Any], _path: str) -> Any:
    if all(isinstance(v, int) for v in values):
        return math.lcm(*values)
    return max(values)


def _unique(values: list[Any], _path: str) -> Any:
    return any(values)


_RESOLVERS: dict[str, Callable[[list[Any], str], Any]] = {
    "properties": _properties,
    "patternProperties": _properties,
    "required": _required,
    "type": _type,
    "enum": _enum,
    "additionalProperties": _additional,
    "items": _items,
    "multipleOf": _multiple_of,
    "uniqueItems": _unique,
}
