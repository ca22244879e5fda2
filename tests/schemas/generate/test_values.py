"""Schemas compiled into generators: every value validates, or a clear error says why not."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tallyflow.errors import ConfigError, SchemaError
from tallyflow.schemas.generate.hints import FieldHint
from tallyflow.schemas.generate.nodes import Batch
from tallyflow.schemas.generate.values import compile_schema, rows_to_json
from tallyflow.schemas.repository import SchemaRepository

from .conftest import FIXTURE_SCHEMAS, events, plan, validator

VERSIONED = sorted(
    "/" + str(path.relative_to(FIXTURE_SCHEMAS))[: -len(".yaml")]
    for path in FIXTURE_SCHEMAS.rglob("*.yaml")
    if re.fullmatch(r"\d+\.\d+\.\d+\.yaml", path.name)
)


def test_every_fixture_version_is_listed() -> None:
    assert len(VERSIONED) == 50
    assert "/analytics/legacy/codemirrorusage/1.1.0" in VERSIONED


@pytest.mark.parametrize("uri", VERSIONED)
def test_generated_events_validate_against_every_fixture_schema(uri: str) -> None:
    schema = SchemaRepository([FIXTURE_SCHEMAS]).resolved(uri)
    stream = "test." + schema["title"].replace("/", ".")
    stream_plan = plan(stream, {"schema_title": schema["title"], "generate": {"schema": uri}})
    check = validator(schema)
    rows = events(stream_plan, per_day=400)
    assert len(rows) == 400
    for row in rows:
        errors = sorted(check.iter_errors(row), key=str)
        assert not errors, f"{uri}: {errors[0].message} in {row}"


def draw(schema: dict[str, Any], size: int = 50, **hints: FieldHint) -> list[dict[str, Any]]:
    root = compile_schema(schema, "/test/1.0.0", hints, with_sources=False)
    batch = Batch(np.random.default_rng(7), size, 1_767_225_600_000, 1_767_312_000_000)
    return rows_to_json(root, root.draw(batch))


UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"


def obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties)}


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ({"type": "string", "pattern": "^[A-Z]{3}-\\d{2}x$"}, "pattern"),
        ({"not": {"type": "string"}}, "keyword `not`"),
        ({"oneOf": [{"type": "string"}, {"type": "integer"}]}, "`oneOf` with several branches"),
        ({"type": ["string", "integer"]}, "union string|integer"),
        ({"enum": ["a", 1]}, "mixed"),
        ({"type": "integer", "minimum": 5, "maximum": 4}, "no whole number"),
        ({"type": "string", "minLength": 5, "maxLength": 2}, "minLength 5 is above maxLength 2"),
        ({"type": "string", "format": "ipv6"}, "format ipv6"),
        ({"allOf": [{"type": "string"}, {"type": "integer"}]}, "allOf branches conflict"),
        ({}, "no type"),
        ({"type": "null"}, "type 'null'"),
    ],
)
def test_unsupported_constructs_name_schema_and_path(field: dict[str, Any], message: str) -> None:
    schema = obj(event=obj(x=field))
    with pytest.raises(SchemaError) as raised:
        compile_schema(schema, "/test/1.0.0", with_sources=False)
    assert "/test/1.0.0: $.event.x: cannot generate values" in raised.value.message
    assert message in raised.value.message
    assert raised.value.hint and "event.x" in raised.value.hint


def test_supported_keywords_produce_valid_values() -> None:
    schema = obj(
        n=obj(
            i={"type": "integer", "exclusiveMinimum": 3, "maximum": 10, "multipleOf": 2},
            f={"type": "number", "minimum": -1.5, "exclusiveMaximum": 2.5},
            s={"type": "string", "minLength": 2, "maxLength": 3},
            u={"type": "string", "pattern": UUID_PATTERN},
            d={"type": "string", "format": "date-time"},
            r={"type": "string", "format": "uri-reference"},
            c={"const": "fixed"},
            a={"type": "array", "items": {"enum": ["x", "y", "z"]}, "uniqueItems": True,
               "minItems": 1, "maxItems": 5},
            m={"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
            e={"allOf": [{"type": "string"}, {"maxLength": 4}]},
        ),
        flag={"type": "boolean"},
    )  # fmt: skip
    rows = draw(schema, size=300)
    check = validator(schema)
    assert all(check.is_valid(row) for row in rows)
    assert {len(row["n"]["a"]) for row in rows} >= {1, 3}
    assert {row["n"]["i"] for row in rows} == {4, 6, 8, 10}


def test_optional_fields_appear_in_some_events_only() -> None:
    schema = {"type": "object", "properties": {"maybe": {"type": "boolean"}}}
    present = sum("maybe" in row for row in draw(schema, size=400))
    assert 100 < present < 300


def test_hints_choose_values_ranges_and_presence() -> None:
    schema = {
        "type": "object",
        "required": ["editor", "count"],
        "properties": {
            "editor": {"type": "string", "enum": ["wikitext", "wikitext-2017", "visual"]},
            "count": {"type": "integer", "minimum": 0},
            "note": {"type": "string"},
        },
    }
    rows = draw(
        schema,
        size=2000,
        editor=FieldHint(weights={"wikitext": 9, "visual": 1}),
        count=FieldHint(min=10, max=20, distribution="log"),
        note=FieldHint(present=0),
    )
    editors = [row["editor"] for row in rows]
    assert set(editors) == {"wikitext", "visual"}
    assert 0.85 < editors.count("wikitext") / len(rows) < 0.95
    assert all(10 <= row["count"] <= 20 for row in rows)
    assert not any("note" in row for row in rows)


@pytest.mark.parametrize(
    ("hints", "message"),
    [
        ({"event.edtor": FieldHint(values=["wikitext"])}, "did you mean 'event.editor'?"),
        ({"event.editor": FieldHint(values=["visual"])}, "value 'visual' is not valid"),
        ({"event.user_id": FieldHint(min=-1e18)}, "min/max must lie within"),
        ({"event.user_id": FieldHint(source="wiki")}, "source wiki does not fit"),
        ({"event.user_id": FieldHint(source="user_name")}, "absent for some sessions"),
    ],
)
def test_hints_that_do_not_fit_the_schema_are_config_errors(
    hints: dict[str, FieldHint], message: str
) -> None:
    schema = SchemaRepository([FIXTURE_SCHEMAS]).resolved("/analytics/legacy/codemirrorusage/1.1.0")
    with pytest.raises(ConfigError) as raised:
        compile_schema(schema, "/analytics/legacy/codemirrorusage/1.1.0", hints)
    assert message in raised.value.message
    assert "generate.fields.event." in raised.value.message


# Arbitrary schemas of the supported subset, two levels deep. They are drawn with plain
# hypothesis strategies: hypothesis-jsonschema 0.23.1 (the latest) fails on object schemas with
# the installed hypothesis ("'many' object has no attribute 'more'"), so it cannot draw schemas.
_BOUND = st.integers(-1000, 1000)
_LENGTH = st.integers(0, 40)
_FORMATS = st.sampled_from(
    ["date-time", "date", "uri", "uri-reference", "uuid", "email", "hostname", "ipv4"]
)
_LEAF = st.one_of(
    st.just({"type": "boolean"}),
    st.fixed_dictionaries(
        {"type": st.just("integer")},
        optional={"minimum": _BOUND, "maximum": _BOUND, "multipleOf": st.integers(1, 7)},
    ),
    st.fixed_dictionaries(
        {"type": st.just("number")}, optional={"minimum": _BOUND, "exclusiveMaximum": _BOUND}
    ),
    st.fixed_dictionaries(
        {"type": st.just("string")},
        optional={"minLength": _LENGTH, "maxLength": _LENGTH, "format": _FORMATS},
    ),
    st.fixed_dictionaries({"enum": st.lists(st.text(max_size=8), min_size=1, max_size=5)}),
)
_NAMES = st.from_regex(r"\A[a-z_]{1,8}\Z")


def _object(values: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    def with_required(properties: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        names = sorted(properties)
        required = st.lists(st.sampled_from(names), unique=True) if names else st.just([])
        return st.fixed_dictionaries(
            {"type": st.just("object"), "properties": st.just(properties), "required": required}
        )

    return st.dictionaries(_NAMES, values, max_size=4).flatmap(with_required)


_CONTAINER = st.one_of(
    _LEAF,
    _object(_LEAF),
    st.fixed_dictionaries(
        {"type": st.just("array"), "items": _LEAF}, optional={"maxItems": st.integers(0, 4)}
    ),
    st.fixed_dictionaries({"type": st.just("object"), "additionalProperties": _LEAF}),
)
SUBSET = _object(_CONTAINER)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=SUBSET, seed=st.integers(0, 2**32 - 1))
def test_arbitrary_schemas_of_the_subset_give_valid_events_or_a_clear_error(
    schema: dict[str, Any], seed: int
) -> None:
    try:
        root = compile_schema(schema, "/prop/1.0.0", with_sources=False)
    except SchemaError as error:
        # Contradictory constraints (min above max, ...) are reported, never generated.
        assert error.message.startswith("/prop/1.0.0: $")
        assert "cannot generate values" in error.message
        return
    batch = Batch(np.random.default_rng(seed), 20, 1_767_225_600_000, 1_767_312_000_000)
    check = validator(schema)
    for row in rows_to_json(root, root.draw(batch)):
        assert check.is_valid(row), (schema, row, next(check.iter_errors(row)).message)
