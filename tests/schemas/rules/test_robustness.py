"""Each robustness case fails on a schema that breaks it, passes on the fixtures, and is skipped
by `skipSchemaTestCases`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tallyflow.schemas.config import ToolsConfig
from tallyflow.schemas.inventory import SchemaFile
from tallyflow.schemas.rules.outcome import FAILED, PASSED, SKIPPED
from tallyflow.schemas.rules.robustness import check_robustness
from tallyflow.schemas.versions import Version

GOOD: dict[str, Any] = {
    "title": "analytics/button_click",
    "$id": "/analytics/button_click/1.0.0",
    "$schema": "https://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["$schema", "dt"],
    "properties": {
        "$schema": {"type": "string"},
        "dt": {"type": "string", "format": "date-time", "maxLength": 128},
        "count": {"type": "integer", "minimum": 0, "maximum": 100},
        "tags": {"type": "array", "items": {"type": "string"}},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "examples": [
        {"$schema": "/analytics/button_click/1.0.0", "dt": "2021-01-01T00:00:00Z", "count": 1}
    ],
}


def _outcomes(
    schema: dict[str, Any], config: ToolsConfig, current: bool = False
) -> dict[str, list[str]]:
    record = SchemaFile(
        Path("/x/1.0.0.yaml"), "analytics/button_click", Version(1, 0, 0), current, "yaml", schema
    )
    found: dict[str, list[str]] = {}
    for outcome in check_robustness(record, config):
        found.setdefault(outcome.rule, []).append(
            outcome.status
            if outcome.status != FAILED
            else f"{outcome.json_path}: {outcome.message}"
        )
    return found


@pytest.fixture
def plain(tmp_path: Path) -> ToolsConfig:
    return ToolsConfig(root=tmp_path, schema_base_uris=(str(tmp_path),))


def _with(path: list[str], value: Any) -> dict[str, Any]:
    import copy

    schema = copy.deepcopy(GOOD)
    node = schema
    for key in path[:-1]:
        node = node[key]
    if value is None:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return schema


def test_a_good_schema_passes_every_case(plain: ToolsConfig) -> None:
    outcomes = _outcomes(GOOD, plain)
    assert len(outcomes) == 8
    assert all(statuses == [PASSED] for statuses in outcomes.values()), outcomes


BAD = {
    "schema-is-valid": (["properties", "count", "minimum"], "zero", ".properties.count.minimum"),
    "schema-is-secure": (["properties", "dt", "maxLength"], None, ".properties.dt"),
    "schema-snake-case-properties": (
        ["properties", "buttonName"],
        {"type": "string"},
        ".properties.buttonName",
    ),
    "schema-deterministic-types": (
        ["properties", "count", "type"],
        ["integer", "null"],
        ".properties.count",
    ),
    "schema-required-properties-exist": (["required"], ["$schema", "dt", "missing"], ".required"),
    "schema-examples-$schema-matches-schema-$id": (
        ["examples", 0, "$schema"],
        "/other/1.0.0",
        ".examples[0].$schema",
    ),
    "schema-examples-are-valid": (["examples", 0, "count"], 1000, ".examples[0].count"),
    "schema-enforced-numeric-bounds": (
        ["properties", "count", "maximum"],
        1e17,
        ".properties.count",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_each_case_fails_on_a_schema_that_breaks_it(plain: ToolsConfig, case: str) -> None:
    path, value, where = BAD[case]
    outcomes = _outcomes(_with(path, value), plain)  # type: ignore[arg-type]
    assert any(result.startswith(f"{where}:") for result in outcomes[case]), outcomes[case]


@pytest.mark.parametrize("case", sorted(BAD))
def test_each_case_can_be_skipped_by_id_regex(plain: ToolsConfig, case: str) -> None:
    path, value, _ = BAD[case]
    skipping = replace(plain, skip_schema_test_cases={"^/analytics/button_.*": (case,)})
    outcomes = _outcomes(_with(path, value), skipping)  # type: ignore[arg-type]
    assert outcomes[case] == [SKIPPED]


def test_more_deterministic_type_problems(plain: ToolsConfig) -> None:
    schema = _with(["properties", "tags", "items"], {})
    schema["properties"]["untyped"] = {"description": "no type"}
    schema["properties"]["open"] = {"type": "object"}
    schema["properties"]["kind"] = {"type": "string", "enum": ["a", None]}
    problems = _outcomes(schema, plain)["schema-deterministic-types"]
    assert ".properties.tags: an array needs `items` with a `type`" in problems
    assert ".properties.untyped: missing type" in problems
    assert any(p.startswith(".properties.open: an object needs") for p in problems)
    assert ".properties.kind.enum: an enum must not contain null" in problems


def test_current_files_get_only_the_cases_that_work_on_refs(plain: ToolsConfig) -> None:
    current = dict(GOOD, properties={"camelCase": {"$ref": "/fragment/x/1.0.0"}})
    outcomes = _outcomes(current, plain, current=True)
    assert set(outcomes) == {"schema-is-secure", "schema-snake-case-properties"}
    assert outcomes["schema-snake-case-properties"] == [
        ".properties.camelCase: 'camelCase' is not snake_case"
    ]


def test_secure_rules_for_pattern_properties_and_unique_items(plain: ToolsConfig) -> None:
    schema = _with(["properties", "labels", "patternProperties"], {"^x": {"type": "string"}})
    schema["properties"]["sets"] = {
        "type": "array",
        "uniqueItems": True,
        "items": {"type": "object", "properties": {}},
    }
    problems = _outcomes(schema, plain)["schema-is-secure"]
    assert any(p.startswith(".properties.labels:") and "propertyNames" in p for p in problems)
    assert any(p.startswith(".properties.sets:") and "maxItems" in p for p in problems)
