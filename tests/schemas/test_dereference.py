from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tallyflow.errors import SchemaError
from tallyflow.schemas.dereference import RefResolver


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def http_base(primary_repo: Path) -> Iterator[str]:
    """A real HTTP server serving the primary fragments, as schema.wikimedia.org would."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_QuietHandler, directory=str(primary_repo))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


def test_pointer_into_a_fragment_splices_its_properties(schema_repo: Path) -> None:
    resolver = RefResolver([str(schema_repo)])
    schema = {
        "properties": {
            "event": {"properties": {"$ref": "/fragment/analytics/web/2.0.0#/properties"}}
        }
    }
    result = resolver.dereference(schema, schema_repo / "x.yaml")
    assert set(result["properties"]["event"]["properties"]) == {"is_anon", "is_bot", "wiki", "skin"}


def test_hash_id_in_examples_becomes_the_id(schema_repo: Path) -> None:
    schema = {"$id": "/a/1.0.0", "examples": [{"$schema": {"$ref": "#/$id"}}]}
    result = RefResolver([str(schema_repo)]).dereference(schema, schema_repo / "a/current.yaml")
    assert result["examples"] == [{"$schema": "/a/1.0.0"}]


def test_base_uris_are_tried_in_order_over_http(schema_repo: Path, http_base: str) -> None:
    resolver = RefResolver([str(schema_repo), http_base])
    result = resolver.dereference({"allOf": [{"$ref": "/fragment/http/1.2.0#"}]}, schema_repo)
    assert result["allOf"][0]["$id"] == "/fragment/http/1.2.0"


def test_missing_ref_names_the_ref_the_file_and_the_place(tmp_path: Path) -> None:
    source = tmp_path / "current.yaml"
    with pytest.raises(SchemaError) as raised:
        RefResolver([str(tmp_path)]).dereference(
            {"properties": {"x": {"$ref": "/fragment/nope/1.0.0"}}}, source
        )
    message = raised.value.message
    assert "'/fragment/nope/1.0.0'" in message and str(source) in message
    assert "/properties/x" in message


def test_pointer_to_nothing_and_circular_refs_are_errors(tmp_path: Path) -> None:
    resolver = RefResolver([str(tmp_path)])
    with pytest.raises(SchemaError, match="nothing at #/definitions/a"):
        resolver.dereference({"x": {"$ref": "#/definitions/a"}}, tmp_path / "s.yaml")
    with pytest.raises(SchemaError, match="circular"):
        resolver.dereference({"definitions": {"a": {"$ref": "#/definitions/a"}}}, tmp_path / "s")


def test_sibling_keys_next_to_a_ref_override(schema_repo: Path) -> None:
    schema = {
        "$id": "/a/1.0.0",
        "p": {"$ref": "#/q", "description": "mine"},
        "q": {"type": "string", "description": "theirs"},
    }
    result = RefResolver([]).dereference(schema, schema_repo / "a.yaml")
    assert result["p"] == {"type": "string", "description": "mine"}


def test_relative_and_file_url_refs(tmp_path: Path) -> None:
    (tmp_path / "frag.yaml").write_text("type: string\nmaxLength: 5\n")
    source = tmp_path / "current.yaml"
    resolver = RefResolver([])
    assert resolver.dereference({"$ref": "frag.yaml"}, source) == {"type": "string", "maxLength": 5}
    url = (tmp_path / "frag.yaml").as_uri()
    assert resolver.dereference({"$ref": url + "#/maxLength"}, source) == 5
