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

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jsonschema
import numpy as np
import pyarrow as pa

from tallyflow.errors import ConfigError, SchemaError
from tallyflow.schemas.generate import columns
from tallyflow.schemas.generate.hints import FieldHint
from tallyflow.schemas.generate.sources import SOURCE_DOMAINS, SourceDomain, default_source

_IGNORED = {
    "title", "description", "examples", "default", "$id", "$schema", "$comment", "readOnly",
    "writeOnly", "deprecated", "contentMediaType", "contentEncoding", "definitions", "$defs",
    "additionalItems",
}  # fmt: skip
_FORMATS_BY_LENGTH = {"date-time": 24, "date": 10, "uuid": 36}
_KNOWN_FORMATS = {
    "date-time", "date", "uri", "uri-reference", "iri", "iri-reference", "url", "uuid", "email",
    "hostname", "ipv4",
}  # fmt: skip
_UNSUPPORTED_FORMATS = {
    "time", "duration", "ipv6", "idn-email", "idn-hostname", "json-pointer",
    "relative-json-pointer", "regex", "uri-template",
}  # fmt: skip
_WORDS = (
    "edit", "save", "preview", "toolbar", "dialog", "citation", "template", "link", "table",
    "gallery", "media", "transclusion", "reference", "section", "source", "visual", "history",
    "search", "watchlist", "settings",
)  # fmt: skip
_MAP_KEYS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta")
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
class Batch:
    """What a batch of rows draws from: randomness, size, time range, session/event facts."""

    rng: np.random.Generator
    size: int
    start_ms: int
    end_ms: int
    source: Callable[[str], pa.Array] | None = None


class Node:
    """Generates one column; `path` is the JSON path used in messages and hints."""

    arrow_type: pa.DataType = pa.null()

    def __init__(self, path: str) -> None:
        self.path = path

    def draw(self, batch: Batch) -> pa.Array:
        raise NotImplementedError

    def json_column(self, column: pa.Array) -> list[Any]:
        """The column's values as JSON-shaped Python data (None: absent)."""
        if pa.types.is_dictionary(column.type):
            values = column.dictionary.to_pylist()
            return [None if i is None else values[i] for i in column.indices.to_pylist()]
        plain: list[Any] = column.to_pylist()
        return plain

    def finite_values(self) -> list[Any] | None:
        """The values this node can produce, when they are few and known (for uniqueItems)."""
        return None


class ChoiceNode(Node):
    def __init__(
        self, path: str, values: list[Any], arrow_type: pa.DataType, weights: list[float] | None
    ) -> None:
        super().__init__(path)
        self.values, self.arrow_type, self.weights = values, arrow_type, weights

    def draw(self, batch: Batch) -> pa.Array:
        return columns.choice(batch.rng, batch.size, self.values, self.arrow_type, self.weights)

    def finite_values(self) -> list[Any] | None:
        if self.weights is None:
            return self.values
        return [v for v, w in zip(self.values, self.weights, strict=True) if w > 0]


class FunnelNode(ChoiceNode):
    """The n-th event of a session takes the n-th step (the last step repeats)."""

    def draw(self, batch: Batch) -> pa.Array:
        if batch.source is None:
            raise SchemaError(f"{self.path}: a funnel needs the event's place in its session")
        step = batch.source("sequence").to_numpy() - 1
        return columns.from_table(
            pa.array(self.values, type=self.arrow_type), np.minimum(step, len(self.values) - 1)
        )


class IntegerNode(Node):
    arrow_type = pa.int64()

    def __init__(self, path: str, low: int, high: int, step: int, log: bool) -> None:
        super().__init__(path)
        self.low, self.high, self.step, self.log = low, high, step, log

    def draw(self, batch: Batch) -> pa.Array:
        if self.log:
            scaled = columns.log_uniform(batch.rng, batch.size, 0, self.high - self.low)
            k = np.minimum(np.floor(scaled).astype(np.int64), self.high - self.low)
        else:
            k = batch.rng.integers(0, self.high - self.low, size=batch.size, endpoint=True)
        return pa.array((k + self.low) * self.step, type=pa.int64())


class NumberNode(Node):
    arrow_type = pa.float64()

    def __init__(self, path: str, low: float, high: float, log: bool) -> None:
        super().__init__(path)
        self.low, self.high, self.log = low, high, log

    def draw(self, batch: Batch) -> pa.Array:
        if self.log:
            values = columns.log_uniform(batch.rng, batch.size, self.low, self.high)
        else:
            values = self.low + batch.rng.random(batch.size) * (self.high - self.low)
        return pa.array(np.clip(values, self.low, self.high), type=pa.float64())


class StringNode(Node):
    arrow_type = pa.string()

    def __init__(self, path: str, make: Callable[[Batch], pa.Array]) -> None:
        super().__init__(path)
        self.make = make

    def draw(self, batch: Batch) -> pa.Array:
        return self.make(batch)


class SourceNode(Node):
    def __init__(self, path: str, name: str, arrow_type: pa.DataType) -> None:
        super().__init__(path)
        self.name, self.arrow_type = name, arrow_type

    def draw(self, batch: Batch) -> pa.Array:
        if batch.source is None:
            raise SchemaError(f"{self.path}: source {self.name} is not available here")
        column = batch.source(self.name)
        kind = column.type
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
        return column if kind == self.arrow_type else column.cast(self.arrow_type)


@dataclass
class Member:
    name: str
    node: Node
    present: float
    """Probability an optional member is there; 1.0 for required members. Where a source has
    no value (e.g. the edit-count bucket of an anonymous user) the member is absent."""


class ObjectNode(Node):
    def __init__(self, path: str, members: list[Member]) -> None:
        super().__init__(path)
        self.members = members
        self.arrow_type = pa.struct([pa.field(m.name, m.node.arrow_type) for m in members])

    def draw(self, batch: Batch) -> pa.Array:
        arrays = []
        for member in self.members:
            column = member.node.draw(batch)
            if member.present < 1:
                keep = pa.array(batch.rng.random(batch.size) < member.present)
                column = pa.compute.if_else(keep, column, pa.scalar(None, column.type))
            arrays.append(column)
        if not arrays:
            return pa.array([{}] * batch.size, type=self.arrow_type)
        return pa.StructArray.from_arrays(arrays, names=[m.name for m in self.members])

    def json_column(self, column: pa.Array) -> list[Any]:
        names = [m.name for m in self.members]
        children = [m.node.json_column(column.field(i)) for i, m in enumerate(self.members)]
        rows: list[Any] = [
            {k: v for k, v in zip(names, values, strict=True) if v is not None}
            for values in zip(*children, strict=True)
        ] if children else [{} for _ in range(len(column))]  # fmt: skip
        if column.null_count:
            valid = column.is_valid().to_pylist()
            rows = [row if ok else None for row, ok in zip(rows, valid, strict=True)]
        return rows


def _lengths(batch: Batch, low: int, high: int) -> np.ndarray:
    return batch.rng.integers(low, high, size=batch.size, endpoint=True)


class ArrayNode(Node):
    def __init__(self, path: str, item: Node, low: int, high: int, unique: bool) -> None:
        super().__init__(path)
        self.item, self.low, self.high, self.unique = item, low, high, unique
        self.arrow_type = pa.list_(item.arrow_type)

    def draw(self, batch: Batch) -> pa.Array:
        lengths = _lengths(batch, self.low, self.high)
        offsets = np.zeros(batch.size + 1, dtype=np.int32)
        np.cumsum(lengths, out=offsets[1:])
        total = int(offsets[-1])
        if self.unique:
            pool = self.item.finite_values() or []
            picks = [batch.rng.permutation(len(pool))[:n] for n in lengths]
            flat = np.concatenate(picks) if picks else np.zeros(0, dtype=np.int64)
            items = columns.from_table(pa.array(pool, type=self.item.arrow_type), flat)
        else:
            items = self.item.draw(Batch(batch.rng, total, batch.start_ms, batch.end_ms))
        return pa.ListArray.from_arrays(pa.array(offsets), items)

    def json_column(self, column: pa.Array) -> list[Any]:
        items = self.item.json_column(column.flatten())
        offsets = column.offsets.to_numpy()
        offsets = (offsets - offsets[0]).tolist()
        rows: list[Any] = [items[a:b] for a, b in zip(offsets, offsets[1:], strict=False)]
        if column.null_count:
            valid = column.is_valid().to_pylist()
            rows = [row if ok else None for row, ok in zip(rows, valid, strict=True)]
        return rows


class MapNode(Node):
    def __init__(self, path: str, value: Node, low: int, high: int) -> None:
        super().__init__(path)
        self.value, self.low, self.high = value, low, high
        self.arrow_type = pa.map_(pa.string(), value.arrow_type)

    def draw(self, batch: Batch) -> pa.Array:
        lengths = _lengths(batch, self.low, self.high)
        offsets = np.zeros(batch.size + 1, dtype=np.int32)
        np.cumsum(lengths, out=offsets[1:])
        total = int(offsets[-1])
        starts = np.repeat(offsets[:-1], lengths)
        key_index = np.arange(total, dtype=np.int64) - starts
        keys = pa.array(_MAP_KEYS, pa.string()).take(pa.array(key_index))  # keys: plain strings
        values = self.value.draw(Batch(batch.rng, total, batch.start_ms, batch.end_ms))
        return pa.MapArray.from_arrays(pa.array(offsets), keys, values)

    def json_column(self, column: pa.Array) -> list[Any]:
        keys = column.keys.to_pylist()
        values = self.value.json_column(column.items)
        offsets = column.offsets.to_numpy()
        offsets = (offsets - offsets[0]).tolist()
        return [
            dict(zip(keys[a:b], values[a:b], strict=True))
            for a, b in zip(offsets, offsets[1:], strict=False)
        ]


class HeadersNode(Node):
    """`http.request_headers`: the one header a browser's beacon carries, its user agent."""

    arrow_type = pa.map_(pa.string(), pa.string())

    def draw(self, batch: Batch) -> pa.Array:
        assert batch.source is not None
        agents = batch.source("user_agent")
        offsets = pa.array(np.arange(batch.size + 1, dtype=np.int32))
        keys = pa.array(["user-agent"], pa.string()).take(pa.array(np.zeros(batch.size, np.int64)))
        return pa.MapArray.from_arrays(offsets, keys, agents)

    def json_column(self, column: pa.Array) -> list[Any]:
        agents = Node.json_column(self, column.items)
        return [{"user-agent": agent} for agent in agents]


# ---------------------------------------------------------------------------------------------


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
            import difflib

            close = difflib.get_close_matches(unknown[0], self.seen_paths, n=1)
            raise self.bad_hint(
                unknown[0],
                "no such field in the schema" + (f"; did you mean '{close[0]}'?" if close else ""),
            )
        return node

    # --- dispatch -------------------------------------------------------------------------

    def node(self, schema: Any, path: str, in_array: bool) -> Node:
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
            return ChoiceNode(path, [value], _arrow_of(path, [value], self), None)
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
            reason = _source_misfit(SOURCE_DOMAINS[hint.source], schema, required=True)
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
        if fmt in _UNSUPPORTED_FORMATS:
            raise self.unsupported(path, f"format {fmt}")
        candidates = _string_shapes(fmt if fmt in _KNOWN_FORMATS else None, shortest, longest)
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
            high = min(int(schema.get("maxProperties", 3)), len(_MAP_KEYS))
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
            node = self.node(sub, child, in_array)
            is_required = name in required
            hint = self.hints.get(child)
            if is_required:
                present = 1.0
            elif hint is not None and hint.present is not None:
                present = hint.present
            elif child in DEFAULT_ABSENT:
                present = 0.0
            elif _carries_context(node) or child in self.constants:
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
    """Session or event facts (ids, user agent, times) are always sent when the schema has them."""
    if isinstance(node, SourceNode | HeadersNode):
        return True
    return isinstance(node, ObjectNode) and any(_carries_context(m.node) for m in node.members)


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


def _string_shapes(
    fmt: str | None, shortest: int, longest: int
) -> list[Callable[[Batch], pa.Array]]:
    """Generators for strings of a format (or plain), most natural first, that fit the lengths."""

    def fits(size_low: int, size_high: int) -> bool:
        return size_low >= shortest and size_high <= longest

    shapes: list[Callable[[Batch], pa.Array]] = []
    if fmt in ("date-time", "date"):
        width = _FORMATS_BY_LENGTH[fmt]
        if fits(width, width):

            def times(batch: Batch) -> pa.Array:
                ms = batch.rng.integers(batch.start_ms, max(batch.start_ms, batch.end_ms - 1),
                                        size=batch.size, endpoint=True)  # fmt: skip
                text = columns.iso_times(ms)
                return text if fmt == "date-time" else pa.compute.utf8_slice_codeunits(text, 0, 10)

            shapes.append(times)
        return shapes
    if fmt == "uuid":
        return [lambda b: columns.uuid4s(b.rng, b.size)] if fits(36, 36) else []
    if fmt in ("uri", "uri-reference", "iri", "iri-reference", "url"):
        if fits(30, 40):
            return [lambda b: _prefixed(b, "https://en.wikipedia.org/wiki/", 6, 10)]
        return []
    if fmt == "email":
        return (
            [lambda b: _prefixed(b, "user.", 4, 8, suffix="@example.org")] if fits(21, 25) else []
        )
    if fmt == "hostname":
        hosts = ["en.wikipedia.org", "de.wikipedia.org", "commons.wikimedia.org"]
        if fits(16, 21):
            return [lambda b: columns.choice(b.rng, b.size, hosts, pa.string())]
        return []
    if fmt == "ipv4":
        return [_ipv4] if fits(7, 15) else []
    words = [w for w in _WORDS if shortest <= len(w) <= longest]
    if words:
        shapes.append(lambda b: columns.choice(b.rng, b.size, words, pa.string()))
    if fits(36, 36):
        shapes.append(lambda b: columns.uuid4s(b.rng, b.size))
    if fits(20, 20):
        shapes.append(lambda b: columns.hex_ids(b.rng, b.size))
    top = min(longest, shortest + 12)
    digits_low = max(shortest, 1)
    shapes.append(
        lambda b: columns.letters(b.rng, b.size, shortest, top, b"abcdefghijklmnopqrstuvwxyz")
    )
    if digits_low <= longest:
        shapes.append(
            lambda b: columns.letters(
                b.rng, b.size, digits_low, min(longest, digits_low + 8), b"0123456789"
            )
        )
        shapes.append(
            lambda b: columns.letters(
                b.rng, b.size, digits_low, min(longest, digits_low + 12), b"0123456789abcdef"
            )
        )
        shapes.append(
            lambda b: columns.letters(
                b.rng, b.size, digits_low, min(longest, digits_low + 12),
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            )
        )  # fmt: skip
    return shapes


def _prefixed(batch: Batch, prefix: str, low: int, high: int, suffix: str = "") -> pa.Array:
    middle = columns.letters(batch.rng, batch.size, low, high, b"abcdefghijklmnopqrstuvwxyz")
    return pa.compute.binary_join_element_wise(prefix, middle, suffix, "")


def _ipv4(batch: Batch) -> pa.Array:
    parts = [
        pa.array(batch.rng.integers(1, 255, size=batch.size)).cast(pa.string()) for _ in "abcd"
    ]
    return pa.compute.binary_join_element_wise(*parts, ".")


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
