from pathlib import Path

import pytest

from tallyflow.errors import SchemaError
from tallyflow.schemas.repository import SchemaRepository, needs_extension

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("/test/0.0.1", True),
        ("/a/b/1.0.0", True),
        ("/a/latest", True),
        ("/a/1.0.0.yaml", False),
        ("/a/current.json", False),
    ],
)
def test_extension_rule_of_url_get(uri: str, expected: bool) -> None:
    assert needs_extension(uri) is expected


def test_extensionless_uri_finds_symlinked_version() -> None:
    repo = SchemaRepository([FIXTURES / "schemas"])
    schema = repo.load("/analytics/legacy/codemirrorusage/1.1.0")
    assert schema["$id"] == "/analytics/legacy/codemirrorusage/1.1.0"
    assert repo.load("/analytics/legacy/codemirrorusage/1.1.0") is schema


def test_file_extension_is_appended_only_when_missing_or_numeric() -> None:
    repo = SchemaRepository([FIXTURES / "schemas"], file_extension=".yaml")
    assert repo.path_of("/analytics/legacy/codemirrorusage/1.0.0").name == "1.0.0.yaml"
    assert repo.path_of("/analytics/legacy/codemirrorusage/current.yaml").name == "current.yaml"


def test_base_paths_are_tried_in_order(tmp_path: Path) -> None:
    repo = SchemaRepository([tmp_path, FIXTURES / "eventgate" / "schemas"])
    assert repo.load("/test/0.0.2")["title"] == "test"


@pytest.mark.parametrize(
    "uri",
    [
        "http://example.org/schema/1.0.0",
        "https://schema.wikimedia.org/repositories/primary/jsonschema/test/event/1.0.0",
        "file:///etc/passwd",
        "/../../etc/passwd",
        "/test/../../secret",
        "",
    ],
)
def test_uris_outside_the_repository_are_refused(uri: str) -> None:
    repo = SchemaRepository([FIXTURES / "eventgate" / "schemas"])
    with pytest.raises(SchemaError, match="Failed loading schema at"):
        repo.load(uri)


def test_missing_schema_names_every_path_tried(tmp_path: Path) -> None:
    repo = SchemaRepository([tmp_path / "a", tmp_path / "b"])
    with pytest.raises(SchemaError) as caught:
        repo.load("/nope/1.0.0")
    assert str(tmp_path / "a" / "nope" / "1.0.0") in caught.value.message
    assert str(tmp_path / "b" / "nope" / "1.0.0") in caught.value.message


def test_resolved_inlines_refs_to_fragments() -> None:
    repo = SchemaRepository([FIXTURES / "schemas"])
    current = repo.resolved("/analytics/legacy/codemirrorusage/current.yaml")
    assert "$ref" not in str(current)
    capsule = current["allOf"][0]
    assert capsule["$id"] == "/fragment/analytics/legacy/eventcapsule/1.3.0"
    assert "webHost" in capsule["properties"]


def test_resolved_follows_json_pointers_and_keeps_siblings(tmp_path: Path) -> None:
    (tmp_path / "frag").mkdir()
    (tmp_path / "frag" / "1.0.0").write_text(
        "properties:\n  a: {type: string}\n  b: {type: integer}\n"
    )
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "1.0.0").write_text(
        "type: object\nproperties:\n  event:\n    type: object\n"
        "    properties: {$ref: /frag/1.0.0#/properties}\n"
        "  local: {$ref: '#/definitions/x', description: kept}\n"
        "definitions:\n  x: {type: boolean}\n"
    )
    schema = SchemaRepository([tmp_path]).resolved("/s/1.0.0")
    assert schema["properties"]["event"]["properties"] == {
        "a": {"type": "string"},
        "b": {"type": "integer"},
    }
    assert schema["properties"]["local"] == {"type": "boolean", "description": "kept"}


def test_resolved_reports_a_missing_fragment() -> None:
    repo = SchemaRepository([FIXTURES / "schemas"])
    with pytest.raises(SchemaError, match="fragment/common/1.0.0"):
        repo.resolved("/fragment/analytics/common/current.yaml")
