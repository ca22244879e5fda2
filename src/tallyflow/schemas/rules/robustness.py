"""Robustness rules, per schema file (jsonschema-tools' `lib/tests/robustness.js`).

Input: one `SchemaFile` and the `ToolsConfig`. Output: `Outcome`s for the test cases
`schema-is-valid`, `schema-is-secure`, `schema-snake-case-properties`,
`schema-deterministic-types`, `schema-required-properties-exist`,
`schema-examples-$schema-matches-schema-$id`, `schema-examples-are-valid` and
`schema-enforced-numeric-bounds`. Each is skipped when `skipSchemaTestCases` matches the file's
`$id`; most only run on materialized (versioned) files, which hold no `$ref`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import jsonschema_rs
from jsonschema import Draft7Validator, FormatChecker

from tallyflow.schemas.config import ToolsConfig
from tallyflow.schemas.inventory import SchemaFile
from tallyflow.schemas.rules.outcome import FAILED, PASSED, SKIPPED, Outcome

Problem = tuple[str, str]  # (json path, message)

_SCHEMA_ARRAY = {"type": "array", "minItems": 1, "items": {"$ref": "#"}}
# AJV 6's lib/refs/json-schema-secure.json: patterns, formats and uniqueness checks on unbounded
# input are slow, so each needs a length limit.
SECURE_METASCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "definitions": {"schemaArray": _SCHEMA_ARRAY},
    "dependencies": {
        "patternProperties": {
            "required": ["propertyNames"],
            "properties": {"propertyNames": {"required": ["maxLength"]}},
        },
        "uniqueItems": {
            "if": {
                "properties": {
                    "uniqueItems": {"const": True},
                    "items": {
                        "properties": {
                            "type": {
                                "anyOf": [
                                    {"enum": ["object", "array"]},
                                    {"type": "array", "contains": {"enum": ["object", "array"]}},
                                ]
                            }
                        }
                    },
                }
            },
            "then": {"required": ["maxItems"]},
        },
        "pattern": {"required": ["maxLength"]},
        "format": {"required": ["maxLength"]},
    },
    "properties": {
        "additionalItems": {"$ref": "#"},
        "additionalProperties": {"$ref": "#"},
        "dependencies": {"additionalProperties": {"anyOf": [{"type": "array"}, {"$ref": "#"}]}},
        "items": {"anyOf": [{"$ref": "#"}, {"$ref": "#/definitions/schemaArray"}]},
        "properties": {"additionalProperties": {"$ref": "#"}},
        "patternProperties": {"additionalProperties": {"$ref": "#"}},
        "propertyNames": {"$ref": "#"},
        "not": {"$ref": "#"},
        "allOf": {"$ref": "#/definitions/schemaArray"},
        "anyOf": {"$ref": "#/definitions/schemaArray"},
        "oneOf": {"$ref": "#/definitions/schemaArray"},
    },
}
# jsonschema-rs answers "valid?" fast; python-jsonschema explains the (rare) failures.
_META = Draft7Validator(Draft7Validator.META_SCHEMA)
_FAST_META = jsonschema_rs.Draft7Validator(Draft7Validator.META_SCHEMA)
_SECURE = Draft7Validator(SECURE_METASCHEMA)
_FAST_SECURE = jsonschema_rs.Draft7Validator(SECURE_METASCHEMA)
_SNAKE_CASE = re.compile(r"^[$a-z]+[a-z0-9_]*$")
_FORMATS = FormatChecker()


def _path(parts: Any) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def schema_is_valid(schema: Any, config: ToolsConfig) -> Iterator[Problem]:
    if _FAST_META.is_valid(schema):
        return
    for error in _META.iter_errors(schema):
        yield _path(error.absolute_path), f"not a valid draft-07 schema: {error.message}"


def schema_is_secure(schema: Any, config: ToolsConfig) -> Iterator[Problem]:
    if _FAST_SECURE.is_valid(schema):
        return
    for error in _SECURE.iter_errors(schema):
        where = _path(error.absolute_path)
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        yield where, f"needs {missing} to be safe on untrusted input ({error.message})"


def snake_case_properties(schema: Any, config: ToolsConfig) -> Iterator[Problem]:
    def walk(node: Any, path: str) -> Iterator[Problem]:
        if not isinstance(node, dict):
            return
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name, sub in properties.items():
                if not _SNAKE_CASE.match(str(name)):
                    yield f"{path}.properties.{name}", f"{name!r} is not snake_case"
                yield from walk(sub, f"{path}.properties.{name}")
        for index, branch in enumerate(node.get("allOf") or []):
            yield from walk(branch, f"{path}.allOf[{index}]")

    yield from walk(schema, "")


def deterministic_types(schema: Any, config: ToolsConfig) -> Iterator[Problem]:
    def walk(node: Any, path: str) -> Iterator[Problem]:
        if not isinstance(node, dict):
            return
        kind = node.get("type")
        if isinstance(kind, list):
            yield path or ".", f"polymorphic type {kind}: use exactly one type"
        if kind == "array":
            items = node.get("items")
            if not isinstance(items, dict) or "type" not in items:
                yield path or ".", "an array needs `items` with a `type`"
            else:
                yield from walk(items, f"{path}.items")
        if kind == "object":
            extra = node.get("additionalProperties")
            if not any(key in node for key in ("properties", "oneOf", "allOf")) and not extra:
                yield (
                    path or ".",
                    "an object needs `properties` (or a typed additionalProperties map)",
                )
            if isinstance(extra, dict):
                yield from walk(extra, f"{path}.additionalProperties")
        if isinstance(node.get("enum"), list) and None in node["enum"]:
            yield f"{path}.enum", "an enum must not contain null"
        for name, sub in (node.get("properties") or {}).items():
            if not isinstance(sub, dict) or "type" not in sub:
                yield f"{path}.properties.{name}", "missing type"
            else:
                yield from walk(sub, f"{path}.properties.{name}")
        for index, branch in enumerate(node.get("allOf") or []):
            yield from walk(branch, f"{path}.allOf[{index}]")
        branches = node.get("oneOf") or []
        if branches:
            kinds = {str(b.get("type")) for b in branches if isinstance(b, dict)}
            if len(kinds) != 1:
                yield f"{path}.oneOf", f"all oneOf branches must have the same type, not {kinds}"
            elif kinds == {"object"}:
                requireds = [b.get("required") for b in branches]
                if (
                    any(r is None for r in requireds)
                    or len({tuple(sorted(r)) for r in requireds}) > 1
                ):
                    yield f"{path}.oneOf", "object oneOf branches must require the same fields"
            for index, branch in enumerate(branches):
                yield from walk(branch, f"{path}.oneOf[{index}]")

    yield from walk(schema, "")


def required_properties_exist(schema: Any, config: ToolsConfig) -> Iterator[Problem]:
    def walk(node: Any, path: str) -> Iterator[Problem]:
        if not isinstance(node, dict):
            return
        found = node.get("properties")
        properties: dict[str, Any] = found if isinstance(found, dict) else {}
        for name in node.get("required") or []:
            if name not in properties:
                yield f"{path}.required", f"{name!r} is required but not in properties"
        for name, sub in properties.items():
            yield from walk(sub, f"{path}.properties.{name}")

    yield from walk(schema, "")


def examples_schema_matches_id(schema: Any, config: ToolsConfig) -> Iterator[Problem]:
    for index, example in enumerate(schema.get("examples") or []):
        value = example.get("$schema") if isinstance(example, dict) else None
        if value != schema.get("$id"):
            yield f".examples[{index}].$schema", f"is {value!r}, not the schema's $id"


def examples_are_valid(schema: Any, config: ToolsConfig) -> Iterator[Problem]:
    if not _FAST_META.is_valid(schema):
        yield "", "the examples cannot be checked: the schema itself is not valid"
        return
    examples = schema.get("examples") or []
    try:
        fast = jsonschema_rs.Draft7Validator(schema, validate_formats=True)
        if all(fast.is_valid(example) for example in examples):
            return
    except (ValueError, jsonschema_rs.ValidationError):
        pass  # a construct jsonschema-rs does not compile: let python-jsonschema decide
    validator = Draft7Validator(schema, format_checker=_FORMATS)
    for index, example in enumerate(schema.get("examples") or []):
        for error in validator.iter_errors(example):
            where = f".examples[{index}]{_path(error.absolute_path)}"
            yield where, f"the example does not validate: {error.message}"


def enforced_numeric_bounds(schema: Any, config: ToolsConfig) -> Iterator[Problem]:
    low, high = config.enforced_numeric_bounds or (None, None)

    def walk(node: Any, path: str) -> Iterator[Problem]:
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from walk(item, f"{path}[{index}]")
            return
        if not isinstance(node, dict):
            return
        if node.get("type") in ("number", "integer"):
            minimum, maximum = node.get("minimum"), node.get("maximum")
            if not isinstance(minimum, int | float) or low is None or minimum < low:
                yield path or ".", f"minimum {minimum} is not a number ≥ {low}"
            if not isinstance(maximum, int | float) or high is None or maximum > high:
                yield path or ".", f"maximum {maximum} is not a number ≤ {high}"
        for key, value in node.items():
            if key not in ("examples", "enum", "const", "default", "required"):
                yield from walk(value, f"{path}.{key}")

    yield from walk(schema, "")


Check = Callable[[Any, ToolsConfig], Iterator[Problem]]
Condition = Callable[[SchemaFile, ToolsConfig], bool]


def _versioned(record: SchemaFile, config: ToolsConfig) -> bool:
    return not record.current


def _always(record: SchemaFile, config: ToolsConfig) -> bool:
    return True


def _has_examples_and_schema_field(record: SchemaFile, config: ToolsConfig) -> bool:
    properties = record.schema.get("properties")
    return (
        not record.current
        and bool(record.schema.get("examples"))
        and isinstance(properties, dict)
        and "$schema" in properties
    )


def _has_examples(record: SchemaFile, config: ToolsConfig) -> bool:
    return not record.current and "examples" in record.schema


def _bounds_enforced(record: SchemaFile, config: ToolsConfig) -> bool:
    return not record.current and config.enforced_numeric_bounds is not None


HINTS = {
    "schema-is-valid": "fix the schema so it is valid JSON Schema draft-07",
    "schema-is-secure": "add maxLength next to pattern/format (e.g. 128 for date-time)",
    "schema-snake-case-properties": "rename to lower snake_case, or skip this case for legacy "
    "schemas in .jsonschema-tools.yaml skipSchemaTestCases",
    "schema-deterministic-types": "give every property exactly one type; arrays need items.type",
    "schema-required-properties-exist": "add the field to properties or drop it from required",
    "schema-examples-$schema-matches-schema-$id": "write `$schema: {$ref: '#/$id'}` in "
    "current.yaml examples and materialize again",
    "schema-examples-are-valid": "fix the example in current.yaml and materialize again",
    "schema-enforced-numeric-bounds": "keep minimum/maximum within enforcedNumericBounds "
    "(materialize fills in missing ones)",
}

CASES: tuple[tuple[str, Condition, Check], ...] = (
    ("schema-is-valid", _versioned, schema_is_valid),
    ("schema-is-secure", _always, schema_is_secure),
    ("schema-snake-case-properties", _always, snake_case_properties),
    ("schema-deterministic-types", _versioned, deterministic_types),
    ("schema-required-properties-exist", _versioned, required_properties_exist),
    (
        "schema-examples-$schema-matches-schema-$id",
        _has_examples_and_schema_field,
        examples_schema_matches_id,
    ),
    ("schema-examples-are-valid", _has_examples, examples_are_valid),
    ("schema-enforced-numeric-bounds", _bounds_enforced, enforced_numeric_bounds),
)


def check_robustness(record: SchemaFile, config: ToolsConfig) -> Iterator[Outcome]:
    """Every robustness case that applies to `record`."""
    version = str(record.version) + (" (current)" if record.current else "")
    for name, applies, check in CASES:
        if not applies(record, config):
            continue
        if config.skips(record.schema_id, name):
            yield Outcome(name, record.title, SKIPPED, record.path, version)
            continue
        problems = list(check(record.schema, config))
        if not problems:
            yield Outcome(name, record.title, PASSED, record.path, version)
        for json_path, message in problems:
            yield Outcome(
                name,
                record.title,
                FAILED,
                record.path,
                version,
                message=message,
                json_path=json_path,
                hint=HINTS[name],
            )
