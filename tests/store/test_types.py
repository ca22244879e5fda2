import pyarrow as pa
import pytest

from tallyflow.schemas.repository import SchemaRepository
from tallyflow.store.types import USERAGENT_TYPE, arrow_type, normalize_name, table_schema


@pytest.mark.parametrize(
    ("name", "top", "column"),
    [
        ("$schema", True, "_schema"),
        ("webHost", True, "webhost"),
        ("recvFrom", True, "recvfrom"),
        ("client_dt", True, "client_dt"),
        ("editingSessionId", False, "editingSessionId"),
        ("1x", True, "_x"),
        ("a-b.c", False, "a_b_c"),
    ],
)
def test_names_follow_refine(name: str, top: bool, column: str) -> None:
    assert normalize_name(name, top_level=top) == column


@pytest.mark.parametrize(
    ("schema", "kind"),
    [
        ({"type": "boolean"}, pa.bool_()),
        ({"type": "integer"}, pa.int64()),
        ({"type": "number"}, pa.float64()),
        ({"type": "string", "format": "date-time"}, pa.string()),
        ({"type": "array", "items": {"type": "string"}}, pa.list_(pa.string())),
        (
            {"type": "object", "additionalProperties": {"type": "integer"}},
            pa.map_(pa.string(), pa.int64()),
        ),
        (
            {"type": "object", "properties": {"B": {"type": "integer"}, "a": {"type": "string"}}},
            pa.struct([("B", pa.int64()), ("a", pa.string())]),
        ),
        ({"type": ["string", "null"]}, pa.string()),
        ({"type": "object"}, pa.string()),
    ],
)
def test_json_schema_types_map_to_hive_types(schema: dict[str, object], kind: pa.DataType) -> None:
    assert arrow_type(schema) == kind


def test_legacy_table_has_refine_columns(repository: SchemaRepository) -> None:
    schema = table_schema(repository.resolved("/analytics/legacy/codemirrorusage/1.1.0"))
    assert {"_schema", "dt", "client_dt", "wiki", "webhost", "recvfrom", "seqid"} <= set(
        schema.names
    )
    assert schema.field("revision").type == pa.int64()
    assert schema.field("useragent").type == USERAGENT_TYPE
    event = schema.field("event").type
    assert {event.field(i).name for i in range(event.num_fields)} >= {
        "editor",
        "enabled",
        "toggled",
        "user_id",
    }
    assert event.field("user_id").type == pa.int64()
    headers = schema.field("http").type.field("request_headers").type
    assert headers == pa.map_(pa.string(), pa.string())


def test_allof_branches_are_merged(repository: SchemaRepository) -> None:
    schema = table_schema(repository.resolved("/analytics/legacy/codemirrorusage/current.yaml"))
    assert "webhost" in schema.names and "event" in schema.names
