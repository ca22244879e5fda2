"""A resolved JSON schema compiled into column generators that only produce valid values.

Input: a resolved schema (no `$ref`), the stream's field hints, and constants (`$schema`,
`meta.stream`, ...). Output: a tree of `Node`s; `Node.draw(batch)` returns one Arrow column for
a whole batch of events, and `Node.json_column` turns a column back into JSON-shaped Python
data (absent optional fields left out).

Supported: `type` (one of object, array, string, integer, number, boolean), `enum`, `const`,
`properties` / `required`, maps (`additionalProperties` with a schema and no `properties`),
`items` (one schema), `minItems` / `maxItems`, `uniqueItems` over finite values, `minimum` /
`maximum` / `exclusive*` / integral `multipleOf`, `minLength` / `maxLength`, `format`
(date-time, date, uri, uri-reference, iri, iri-reference, uuid, email, hostname, ipv4), `pattern`s
that one of the built-in string shapes satisfies (UUIDs, hex ids, digits, words), and `allOf` /
`anyOf` / `oneOf` that reduce to one schema. Anything else raises a `SchemaError` naming the
schema and the JSON path instead of producing invalid events.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jsonschema
import numpy as np
import pyarrow as pa

from tallyflow.errors import ConfigError, SchemaError
from tallyflow.schemas.generate.hints import FieldHint
from tallyflow.schemas.generate.nodes import (
    MAP_KEYS,
    ArrayNode,
    Batch,
    ChoiceNode,
    ConstantNode,
    FunnelNode,
    HeadersNode,
    IntegerNode,
    MapNode,
    Member,
    Node,
    NumberNode,
    ObjectNode,
    PerSessionNode,
    SourceNode,
    StringNode,
)
from tallyflow.schemas.generate.sources import SOURCE_DOMAINS, SourceDomain, default_source
from tallyflow.schemas.generate.strings import KNOWN_FORMATS, UNSUPPORTED_FORMATS, string_shapes

_IGNORED = {
    "title", "description", "examples", "default", "$id", "$schema", "$comment", "readOnly",
    "writeOnly", "deprecated", "contentMediaType", "contentEncoding", "definitions", "$defs",
    "additionalItems",
}  # fmt: skip
_DEFAULT_SPAN = 1000
_INT64 = (-(2**63), 2**63 - 1)

# Optional capsule fields that clients do not send (refine or EventGate fill some of them).
DEFAULT_ABSENT = frozenset(
    {
        "ip", "recvFrom", "revision", "seqId", "topic", "uuid", "useragent", "http.has_cookies",
        "http.method", "http.protocol", "http.response_headers", "http.status_code",
        "http.client_ip", "meta.request_id", "meta.uri",
    }
)  # fmt: skip


@dataclass
class Compiler:
    """Turns one resolved schema into a Node tree, checking hints against it."""

    schema_uri: str
    hints: Mapping[str, FieldHint] = field(default_factory=dict)
    constants: Mapping[str, Any] = field(default_factory=dict)
    hints_where: str = "generate.fields"
    with_sources: bool = True
    capsule: bool = False
    seen_paths: list[str] = field(default_factory=list)

    def unsupported(self, path: str, reason: str) -> SchemaError:
        return SchemaError(
            f"{self.schema_uri}: {_json_path(path)}: cannot generate values: {reason}",
            hint=f"give it a `values:` or `source:` hint under {self.hints_where}.{path or '$'} "
            "in streams.yaml, or simplify the schema",
        )

    def bad_hint(self, path: str, reason: str) -> ConfigError:
        return ConfigError(
            f"{self.hints_where}.{path}: {reason} (schema {self.schema_uri})",
            hint="see docs/generate.md for the field hints",
        )

    def compile(self, schema: Any) -> ObjectNode:
        node = self.node(schema, "", in_array=False)
        if not isinstance(node, ObjectNode):
            raise self.unsupported("", "the event schema must be an object with properties")
        unknown = sorted(set(self.hints) - set(self.seen_paths))
        if unknown:
            close = difflib.get_close_matches(unknown[0], self.seen_paths, n=1)
            raise self.bad_hint(
                unknown[0],
                "no such field in the schema" + (f"; did you mean '{close[0]}'?" if close else ""),
            )
        return node

    # --- dispatch -------------------------------------------------------------------------

    def node(self, schema: Any, path: str, in_array: bool, required: bool = True) -> Node:
        node = self.plain_node(schema, path, in_array, required)
        hint = self.hints.get(path)
        if hint is None or hint.per == "event":
            return node
        if in_array or not self.with_sources or _needs_events(node):
            raise self.bad_hint(path, "`per: session` only works on generated fields of the event")
        return PerSessionNode(node)

    def plain_node(self, schema: Any, path: str, in_array: bool, required: bool) -> Node:
        self.seen_paths.append(path)
        if schema is True or schema == {}:
            raise self.unsupported(path, "no type (any value is allowed, so none is typical)")
        if not isinstance(schema, dict):
            raise self.unsupported(path, f"not a schema: {schema!r}")
        schema = self.flatten(schema, path)
        hint = self.hints.get(path)
        if path in self.constants:
            value = self.constants[path]
            self.check_values(schema, path, [value], what="constant")
            return ConstantNode(path, [value], _arrow_of(path, [value], self), None)
        if hint is not None and (hint.values is not None or hint.weights is not None):
            return self.hinted_choice(schema, path, hint)
        if hint is not None and hint.funnel is not None:
            if in_array or not self.with_sources:
                raise self.bad_hint(path, "a funnel only works on fields of the event itself")
            self.check_values(schema, path, list(hint.funnel), what="hinted value")
            steps = list(hint.funnel)
            return FunnelNode(path, steps, _arrow_of(path, steps, self), None)
        if hint is not None and hint.source is not None:
            if in_array:
                raise self.bad_hint(path, "array items cannot take a session or event source")
            reason = _source_misfit(SOURCE_DOMAINS[hint.source], schema, required)
            if reason:
                raise self.bad_hint(path, f"source {hint.source} does not fit: {reason}")
            return self.source_node(path, hint.source)
        shaped = hint is not None and (hint.min is not None or hint.max is not None)
        if self.with_sources and not in_array and not shaped:
            if path == "http.request_headers" and _is_string_map(schema):
                return HeadersNode(path)
            name = default_source(path, self.capsule)
            if name and not _source_misfit(SOURCE_DOMAINS[name], schema, required=False):
                return self.source_node(path, name)
        for keyword in schema:
            if keyword not in _HANDLED and keyword not in _IGNORED:
                raise self.unsupported(path, f"keyword `{keyword}` is not supported")
        if "const" in schema:
            return ChoiceNode(
                path, [schema["const"]], _arrow_of(path, [schema["const"]], self), None
            )
        if "enum" in schema:
            values = list(schema["enum"])
            if not values:
                raise self.unsupported(path, "empty enum")
            self.check_values(schema, path, values, what="enum value")
            return ChoiceNode(path, values, _arrow_of(path, values, self), None)
        kind = _type_of(schema)
        if kind is None:
            raise self.unsupported(path, "no `type`")
        if kind == "object":
            return self.object_node(schema, path, in_array)
        if kind == "array":
            return self.array_node(schema, path, hint)
        if kind == "string":
            return self.string_node(schema, path, hint)
        if kind in ("integer", "number"):
            return self.number_node(schema, path, hint, kind)
        if kind == "boolean":
            return ChoiceNode(path, [True, False], pa.bool_(), None)
        raise self.unsupported(path, f"type {kind!r} (use one of object, array, string, "
                               "integer, number, boolean)")  # fmt: skip

    def source_node(self, path: str, name: str) -> Node:
        domain = SOURCE_DOMAINS[name]
        return SourceNode(path, name, domain.arrow_type)

    def flatten(self, schema: dict[str, Any], path: str) -> dict[str, Any]:
        """Fold allOf into one schema; anyOf/oneOf only with a single branch."""
        schema = dict(schema)
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                branches = schema.pop(keyword)
                if not isinstance(branches, list) or len(branches) != 1:
                    raise self.unsupported(path, f"`{keyword}` with several branches")
                schema = _merge(schema, branches[0], lambda why: self.unsupported(path, why))
        for branch in schema.pop("allOf", []):
            if not isinstance(branch, dict):
                raise self.unsupported(path, "allOf branch is not a schema")
            branch = self.flatten(branch, path)
            schema = _merge(schema, branch, lambda why: self.unsupported(path, why))
        return schema

    # --- values ---------------------------------------------------------------------------

    def check_values(self, schema: dict[str, Any], path: str, values: list[Any], what: str) -> None:
        validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
        for value in values:
            error = jsonschema.exceptions.best_match(validator.iter_errors(value))
            if error is not None:
                if what == "hinted value":
                    raise self.bad_hint(path, f"value {value!r} is not valid: {error.message}")
                raise self.unsupported(path, f"{what} {value!r} is not valid: {error.message}")

    def hinted_choice(self, schema: dict[str, Any], path: str, hint: FieldHint) -> Node:
        if hint.weights is not None:
            values, weights = list(hint.weights), list(hint.weights.values())
        else:
            values, weights = list(hint.values or []), None
        self.check_values(schema, path, values, what="hinted value")
        return ChoiceNode(path, values, _arrow_of(path, values, self), weights)

    def number_node(
        self, schema: dict[str, Any], path: str, hint: FieldHint | None, kind: str
    ) -> Node:
        low, high = _bounds(schema, integer=kind == "integer")
        step = schema.get("multipleOf")
        log = hint is not None and hint.distribution == "log"
        if hint is not None and (hint.min is not None or hint.max is not None):
            want_low = low if hint.min is None else hint.min
            want_high = high if hint.max is None else hint.max
            if want_low < low or want_high > high:
                raise self.bad_hint(path, f"min/max must lie within the schema's [{low}, {high}]")
            low, high = want_low, want_high
        elif (high - low) > _DEFAULT_SPAN:
            center = min(max(0.0, low), high)
            low, high = center, min(high, center + _DEFAULT_SPAN)
        if kind == "number" and step is None:
            if low > high:
                raise self.unsupported(path, "minimum is above maximum")
            return NumberNode(path, float(low), float(high), log)
        step = 1 if step is None else step
        if isinstance(step, bool) or not float(step).is_integer() or step <= 0:
            raise self.unsupported(path, f"multipleOf {step} (only whole numbers are supported)")
        step = int(step)
        k_low, k_high = math.ceil(low / step), math.floor(high / step)
        k_low, k_high = max(k_low, _INT64[0] // step), min(k_high, _INT64[1] // step)
        if k_low > k_high:
            raise self.unsupported(path, "no whole number lies within the bounds")
        if kind == "number":
            raise self.unsupported(path, "multipleOf on a number (use type integer)")
        return IntegerNode(path, k_low, k_high, step, log)

    def string_node(self, schema: dict[str, Any], path: str, hint: FieldHint | None) -> Node:
        shortest = int(schema.get("minLength", 0))
        longest = int(schema.get("maxLength", 10**9))
        if hint is not None and hint.min is not None:
            shortest = max(shortest, int(hint.min))
        if hint is not None and hint.max is not None:
            longest = min(longest, int(hint.max))
        if shortest > longest:
            raise self.unsupported(path, f"minLength {shortest} is above maxLength {longest}")
        fmt = schema.get("format")
        pattern = schema.get("pattern")
        if fmt in UNSUPPORTED_FORMATS:
            raise self.unsupported(path, f"format {fmt}")
        candidates = string_shapes(fmt if fmt in KNOWN_FORMATS else None, shortest, longest)
        if not candidates:
            raise self.unsupported(
                path, f"format {fmt} cannot fit minLength {shortest} / maxLength {longest}"
            )
        if pattern is None:
            return StringNode(path, candidates[0])
        try:
            regex = re.compile(pattern)
        except re.error as error:
            raise self.unsupported(
                path, f"pattern '{pattern}' is not a valid regex: {error}"
            ) from None
        probe = Batch(np.random.default_rng(0), 64, 1_700_000_000_000, 1_700_100_000_000)
        for make in candidates:
            if all(regex.search(v) for v in make(probe).to_pylist()):
                return StringNode(path, make)
        raise self.unsupported(path, f"pattern '{pattern}' (no built-in string shape matches it)")

    # --- containers -----------------------------------------------------------------------

    def object_node(self, schema: dict[str, Any], path: str, in_array: bool) -> Node:
        properties = schema.get("properties") or {}
        required = list(schema.get("required") or [])
        missing = [name for name in required if name not in properties]
        if missing:
            raise self.unsupported(path, f"required {missing[0]!r} has no schema in properties")
        if schema.get("patternProperties"):
            for name in properties:
                if any(re.search(p, name) for p in schema["patternProperties"]):
                    raise self.unsupported(path, f"property {name!r} is also a patternProperty")
        extra = schema.get("additionalProperties")
        if not properties and isinstance(extra, dict):
            low = int(schema.get("minProperties", 0))
            high = min(int(schema.get("maxProperties", 3)), len(MAP_KEYS))
            hint = self.hints.get(path)
            if hint is not None and hint.min is not None:
                low = max(low, int(hint.min))
            if hint is not None and hint.max is not None:
                high = min(high, int(hint.max))
            if low > high:
                raise self.unsupported(path, "minProperties is above what can be generated")
            value = self.node(extra, f"{path}.*" if path else "*", in_array=True)
            return MapNode(path, value, low, max(low, high))
        if int(schema.get("minProperties", 0)) > len(required):
            raise self.unsupported(path, "minProperties above the number of required properties")
        if "maxProperties" in schema and int(schema["maxProperties"]) < len(properties):
            raise self.unsupported(path, "maxProperties below the number of properties")
        members = []
        for name, sub in properties.items():
            child = f"{path}.{name}" if path else name
            is_required = name in required
            node = self.node(sub, child, in_array, is_required)
            hint = self.hints.get(child)
            if is_required:
                present = 1.0
            elif hint is not None and hint.present is not None:
                present = hint.present
            elif child in DEFAULT_ABSENT:
                present = 0.0
            elif _carries_context(node):
                present = 1.0
            else:
                present = 0.5
            if present > 0:
                members.append(Member(name, node, present))
        return ObjectNode(path, members)

    def array_node(self, schema: dict[str, Any], path: str, hint: FieldHint | None) -> Node:
        items = schema.get("items")
        if not isinstance(items, dict):
            raise self.unsupported(path, "arrays need one `items` schema (tuples unsupported)")
        if "contains" in schema:
            raise self.unsupported(path, "keyword `contains` is not supported")
        low = int(schema.get("minItems", 0))
        high = int(schema.get("maxItems", max(low, 3)))
        if hint is not None and hint.min is not None:
            low = max(low, int(hint.min))
        if hint is not None and hint.max is not None:
            high = min(high, int(hint.max))
        if high < low:
            raise self.unsupported(path, f"minItems {low} is above maxItems {high}")
        item = self.node(items, f"{path}[]", in_array=True)
        unique = bool(schema.get("uniqueItems")) and high > 1
        if unique:
            pool = item.finite_values()
            if pool is None:
                raise self.unsupported(path, "uniqueItems over values that are not an enum")
            if len(pool) < low:
                raise self.unsupported(path, "uniqueItems with fewer distinct values than minItems")
            high = min(high, len(pool))
        return ArrayNode(path, item, low, high, unique)


_HANDLED = {
    "type", "properties", "required", "additionalProperties", "items", "enum", "const",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength",
    "maxLength", "format", "pattern", "minItems", "maxItems", "uniqueItems", "minProperties",
    "maxProperties", "patternProperties",
}  # fmt: skip


def _carries_context(node: Node) -> bool:
    """Session or event facts (ids, user agent, times) and stream constants are always sent
    when the schema has them."""
    if isinstance(node, SourceNode | HeadersNode | ConstantNode):
        return True
    return isinstance(node, ObjectNode) and any(_carries_context(m.node) for m in node.members)


def _needs_events(node: Node) -> bool:
    """The node reads the batch's per-event facts, so it cannot be drawn once per session."""
    if isinstance(node, SourceNode | HeadersNode | FunnelNode | PerSessionNode):
        return True
    return isinstance(node, ObjectNode) and any(_needs_events(m.node) for m in node.members)


def _json_path(path: str) -> str:
    return "$" if not path else "$." + path


def _merge(
    base: dict[str, Any], other: dict[str, Any], fail: Callable[[str], SchemaError]
) -> dict[str, Any]:
    merged = dict(base)
    for key, value in other.items():
        if key in _IGNORED or key not in merged:
            merged.setdefault(key, value)
        elif key == "properties":
            props = dict(merged[key])
            for name, sub in value.items():
                if name in props and props[name] != sub:
                    raise fail(f"allOf branches define property {name!r} differently")
                props[name] = sub
            merged[key] = props
        elif key == "required":
            merged[key] = list(dict.fromkeys([*merged[key], *value]))
        elif merged[key] != value:
            raise fail(f"allOf branches conflict on `{key}`")
    return merged


def _type_of(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        if len(kind) != 1:
            return "union " + "|".join(map(str, kind))
        kind = kind[0]
    if kind is None and ("properties" in schema or "additionalProperties" in schema):
        return "object"
    return kind if isinstance(kind, str) else None


def _is_string_map(schema: dict[str, Any]) -> bool:
    extra = schema.get("additionalProperties")
    return (
        _type_of(schema) == "object"
        and not schema.get("properties")
        and not schema.get("required")
        and isinstance(extra, dict)
        and _type_of(extra) == "string"
        and set(extra) <= {"type", "description"}
    )


def _arrow_of(path: str, values: Sequence[Any], compiler: Compiler) -> pa.DataType:
    kinds = {_json_kind(v) for v in values}
    if kinds <= {"integer"}:
        return pa.int64()
    if kinds <= {"integer", "number"}:
        return pa.float64()
    if kinds == {"boolean"}:
        return pa.bool_()
    if kinds == {"string"}:
        return pa.string()
    raise compiler.unsupported(path, f"values of mixed or structured types {sorted(kinds)}")


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() and abs(value) < 2**53 else "number"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def _bounds(schema: dict[str, Any], integer: bool) -> tuple[float, float]:
    low: float = -(2**53) if integer else -1e15
    high: float = 2**53 if integer else 1e15
    if "minimum" in schema:
        low = max(low, schema["minimum"])
    if "maximum" in schema:
        high = min(high, schema["maximum"])
    exclusive_low, exclusive_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if exclusive_low is True:
        exclusive_low = schema.get("minimum")
    if exclusive_high is True:
        exclusive_high = schema.get("maximum")
    if isinstance(exclusive_low, int | float) and not isinstance(exclusive_low, bool):
        bump = math.floor(exclusive_low) + 1 if integer else np.nextafter(exclusive_low, math.inf)
        low = max(low, float(bump))
    if isinstance(exclusive_high, int | float) and not isinstance(exclusive_high, bool):
        bump = math.ceil(exclusive_high) - 1 if integer else np.nextafter(exclusive_high, -math.inf)
        high = min(high, float(bump))
    if integer:
        low, high = math.ceil(low), math.floor(high)
    return low, high


def _source_misfit(domain: SourceDomain, schema: Any, required: bool) -> str | None:
    """Why a source's values would not validate against `schema` (None when they all do)."""
    if not isinstance(schema, dict):
        return "not a schema"
    if required and domain.nullable:
        return "it is absent for some sessions (anonymous users) but the field is required"
    if _type_of(schema) not in (None, domain.json_type) and not (
        domain.json_type == "integer" and _type_of(schema) == "number"
    ):
        return f"the field is {_type_of(schema)}, the source gives {domain.json_type}"
    if domain.json_type == "string" and schema.get("format") not in (None, domain.format):
        return f"the field has format {schema['format']}"
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    for example in domain.examples:
        if not validator.is_valid(example):
            return f"e.g. {example!r} is not valid"
    if domain.values is None and ("enum" in schema or "const" in schema):
        return "the field is an enum"
    if domain.low is not None and schema.get("minimum", -math.inf) > domain.low:
        return f"the field's minimum is above {domain.low}"
    if domain.high is not None and schema.get("maximum", math.inf) < domain.high:
        return f"the field's maximum is below {domain.high}"
    if domain.max_length is not None and schema.get("maxLength", math.inf) < domain.max_length:
        return f"the field's maxLength is below {domain.max_length}"
    if domain.min_length is not None and schema.get("minLength", 0) > domain.min_length:
        return f"the field's minLength is above {domain.min_length}"
    return None


def compile_schema(
    schema: dict[str, Any],
    schema_uri: str,
    hints: Mapping[str, FieldHint] | None = None,
    constants: Mapping[str, Any] | None = None,
    hints_where: str = "generate.fields",
    with_sources: bool = True,
) -> ObjectNode:
    """The generator tree of one event schema. Raises SchemaError for what it cannot generate
    and ConfigError for hints that do not fit the schema."""
    capsule = isinstance(schema.get("properties"), dict) and "client_dt" in schema["properties"]
    compiler = Compiler(
        schema_uri,
        hints or {},
        constants or {},
        hints_where,
        with_sources=with_sources,
        capsule=capsule,
    )
    return compiler.compile(schema)


def rows_to_json(root: ObjectNode, table: pa.StructArray) -> list[dict[str, Any]]:
    """Rows of a generated batch as JSON-shaped dicts (absent optional fields left out)."""
    rows: list[dict[str, Any]] = root.json_column(table)
    return rows
