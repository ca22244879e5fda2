"""The `generate:` section of streams.yaml is checked strictly, with file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tallyflow.collect.streams import load_streams
from tallyflow.errors import ConfigError
from tallyflow.schemas.generate.traffic import plan_stream
from tallyflow.schemas.repository import SchemaRepository

from .conftest import FIXTURE_SCHEMAS, events


def load(tmp_path: Path, generate: str) -> str:
    path = tmp_path / "streams.yaml"
    path.write_text(f"s:\n  schema_title: t\n  generate:\n{generate}")
    with pytest.raises(ConfigError) as raised:
        load_streams(path)
    return raised.value.message


def test_full_section_loads(tmp_path: Path) -> None:
    path = tmp_path / "streams.yaml"
    path.write_text(
        "s:\n  generate:\n    schema: /t/1.0.0\n    per_day: 5\n    wikis: [enwiki]\n"
        "    bots: 0\n    events_per_session: {mean: 1, max: 1}\n    fields:\n"
        "      event.a: {weights: {true: 1, false: 3}}\n      event.b: {funnel: [x, y]}\n"
    )
    config = load_streams(path).lookup("s")
    assert config is not None
    hints = config.generate
    assert hints.schema_uri == "/t/1.0.0" and hints.per_day == 5 and hints.wikis == ["enwiki"]
    assert hints.fields["event.a"].weights == {True: 1.0, False: 3.0}
    assert hints.fields["event.b"].funnel == ["x", "y"]


def test_unknown_key_names_line_and_closest_key(tmp_path: Path) -> None:
    message = load(tmp_path, "    botz: 0.1\n")
    assert "streams.yaml:4: unknown key 's.generate.botz'; did you mean 'bots'?" in message


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("    bots: 1.5\n", "s.generate.bots"),
        ("    events_per_session: {mean: 5, max: 2}\n", "max (2.0) must be at least mean"),
        ("    fields:\n      e.x: {weights: {a: -1}}\n", "weights must be non-negative"),
        ("    fields:\n      e.x: {values: [a], source: wiki}\n", "use only one of"),
        ("    fields:\n      e.x: {source: wikki}\n", "s.generate.fields.e.x.source"),
        ("    fields:\n      e.x: {min: 5, max: 1}\n", "min (5.0) is greater than max"),
        ("    fields:\n      e.x: {present: 2}\n", "present"),
        ("    wikis: []\n", "wikis must name at least one wiki"),
        ("    events_per_session: {mean: 0.5, max: 0.5}\n", "must be at least 1"),
    ],
)
def test_bad_values_are_config_errors(tmp_path: Path, section: str, expected: str) -> None:
    assert expected in load(tmp_path, section)


def test_the_documented_example_loads_and_generates(tmp_path: Path) -> None:
    docs = (Path(__file__).parents[3] / "docs" / "generate.md").read_text()
    example = docs.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "streams.yaml"
    path.write_text(example)
    streams = load_streams(path)
    stream_plan = plan_stream(
        "eventlogging_CodeMirrorUsage", streams, SchemaRepository([FIXTURE_SCHEMAS])
    )
    rows = events(stream_plan, per_day=400)
    assert rows and {row["wiki"] for row in rows} <= {"enwiki", "dewiki", "frwiki"}
