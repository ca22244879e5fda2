"""The Schemas page: titles and versions, the fields of a version, the diff of two versions
(a second version made with `tallyflow schemas materialize`, as a user makes one)."""

from __future__ import annotations

import httpx
import pytest

from tallyflow.cli import main
from tallyflow.project import Project
from tallyflow.visualize.ui.app import create_app
from tallyflow.visualize.ui.schemas import schema_diff, schema_fields, schema_titles
from tests.visualize.ui.conftest import LiveServer

TITLE = "analytics/codemirror/toggle"
ADDED = """\
  source:
    type: string
    description: Where the button was clicked (toolbar or keyboard shortcut).
    maxLength: 32
"""


@pytest.fixture
def two_versions(example_project: Project) -> Project:
    """The example with analytics/codemirror/toggle 1.1.0, which adds the field `source`."""
    current = example_project.root / "schemas" / TITLE / "current.yaml"
    text = current.read_text().replace(f"$id: /{TITLE}/1.0.0", f"$id: /{TITLE}/1.1.0", 1)
    current.write_text(text.replace("\nexamples:\n", "\n" + ADDED + "examples:\n", 1))
    with pytest.raises(SystemExit) as done:
        main(["schemas", "materialize", "-p", str(example_project.root)])
    assert done.value.code in (0, None)
    return example_project


def _client(project: Project) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(project))
    return httpx.AsyncClient(transport=transport, base_url="http://ui")


def test_titles_list_their_versions(two_versions: Project) -> None:
    titles = {t.title: t for t in schema_titles(two_versions)}
    assert set(titles) == {TITLE, "analytics/reference_previews/baseline"}
    assert titles[TITLE].versions == ["1.0.0", "1.1.0"]
    assert titles[TITLE].current == "1.1.0" and titles[TITLE].latest == "1.1.0"


def test_fields_of_a_version(two_versions: Project) -> None:
    old = {f.name: f for f in schema_fields(two_versions, TITLE, "1.0.0")}
    new = {f.name: f for f in schema_fields(two_versions, TITLE, "1.1.0")}
    assert "source" not in old and new["source"].type == "string"
    assert not new["source"].required and new["editor"].required
    assert new["editor"].type.startswith("string (one of wikitext_2010, wikitext_2017)")
    assert new["meta.dt"].required and new["meta.dt"].type == "string (date-time)"
    current = {f.name for f in schema_fields(two_versions, TITLE, "current")}
    assert current == set(new)


def test_diff_is_what_schemas_diff_reports(two_versions: Project) -> None:
    result = schema_diff(two_versions, TITLE, "1.0.0", "1.1.0")
    assert result.verdict == "compatible"
    assert [(c.path, c.kind) for c in result.changes if c.kind != "annotation"] == [
        (".properties.source", "added-field")
    ]


async def test_schemas_routes(two_versions: Project) -> None:
    async with _client(two_versions) as client:
        index = await client.get("/schemas")
        one = await client.get(f"/schemas/{TITLE}?version=1.0.0")
        diff = await client.get(f"/schemas/{TITLE}/diff?old=1.0.0&new=1.1.0")
        unknown = await client.get("/schemas/analytics/nope")
        bad_version = await client.get(f"/schemas/{TITLE}/diff?old=0.1.0")
    assert index.status_code == 200 and f'href="/schemas/{TITLE}/diff"' in index.text
    assert one.status_code == 200 and "<code>meta.dt</code>" in one.text
    assert "<code>source</code>" not in one.text
    assert diff.status_code == 200 and "field &#39;source&#39; added" in diff.text
    assert unknown.status_code == 404
    assert bad_version.status_code == 404 and "0.1.0" in bad_version.text


def test_browser_diff_page_shows_the_added_field(two_versions: Project, page: object) -> None:
    with LiveServer(two_versions) as server:
        page.goto(f"{server.url}/schemas/{TITLE}")  # type: ignore[attr-defined]
        assert page.locator("table.fields").get_by_text("source", exact=True).count() == 1  # type: ignore[attr-defined]
        page.get_by_role("link", name="compare versions").click()  # type: ignore[attr-defined]
        page.select_option("select[name=old]", "1.0.0")  # type: ignore[attr-defined]
        page.select_option("select[name=new]", "1.1.0")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Compare").click()  # type: ignore[attr-defined]
        page.wait_for_url("**/diff?old=1.0.0&new=1.1.0")  # type: ignore[attr-defined]
        added = page.locator("tr.change-added")  # type: ignore[attr-defined]
        assert "field 'source' added" in added.first.inner_text()
        assert page.locator("#verdict").inner_text() == "compatible"  # type: ignore[attr-defined]
