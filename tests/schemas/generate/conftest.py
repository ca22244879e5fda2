"""Helpers for generator tests: plans over the fixture schema repository."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import jsonschema

from tallyflow.collect.streams import parse_streams
from tallyflow.schemas.generate.traffic import StreamPlan, generate, plan_stream
from tallyflow.schemas.repository import SchemaRepository
from tallyflow.yamlfile import Locations

FIXTURE_SCHEMAS = Path(__file__).parents[2] / "fixtures" / "schemas"
CODEMIRROR = "eventlogging_CodeMirrorUsage"


def plan(stream: str, config: dict[str, Any], root: Path = FIXTURE_SCHEMAS) -> StreamPlan:
    streams = parse_streams({stream: config}, Locations(Path("streams.yaml")))
    return plan_stream(stream, streams, SchemaRepository([root]))


def events(
    stream_plan: StreamPlan, per_day: int, seed: int = 1, days: int = 1
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    end = date(2026, 1, days)
    for batch in generate(stream_plan, date(2026, 1, 1), end, per_day, seed):
        rows.extend(stream_plan.to_json(batch.events))
    return rows


def validator(schema: dict[str, Any]) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
