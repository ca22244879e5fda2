"""The Catalog page: each feature's spec tables, data-flow diagrams, lifecycle and streams."""

from __future__ import annotations

import datetime as dt

import httpx

from tallyflow.project import Project
from tallyflow.spec.load import load_specs
from tallyflow.spec.render import tables
from tallyflow.visualize.ui.app import create_app
from tallyflow.visualize.ui.catalog import features
from tests.visualize.ui.conftest import LiveServer

TOGGLE = "codemirror-toggle"
PREVIEWS = "reference-previews-baseline"


def _client(project: Project) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(project))
    return httpx.AsyncClient(transport=transport, base_url="http://ui")


def test_features_carry_the_tables_spec_render_makes(example_project: Project) -> None:
    found = {f.id: f for f in features(example_project, dt.date(2026, 6, 1))}
    assert set(found) == {TOGGLE, PREVIEWS}
    [spec] = [sf.spec for sf in load_specs(example_project) if sf.id == TOGGLE]
    assert found[TOGGLE].tables == tables(spec)
    assert [d.metric for d in found[TOGGLE].diagrams] == ["Toggle", "Sessions", "Events"]


def test_diagrams_have_unique_markers_and_a_text_alternative(example_project: Project) -> None:
    [feature] = [f for f in features(example_project, dt.date(2026, 6, 1)) if f.id == TOGGLE]
    markers = [d.svg.split('<marker id="', 1)[1].split('"', 1)[0] for d in feature.diagrams]
    assert len(set(markers)) == len(markers)
    toggle = feature.diagrams[0]
    assert toggle.steps[0] == ("Initiated by", "Click on the syntax highlighting button")
    assert toggle.steps[-1] == ("Dashboard", "CodeMirror syntax highlighting toggle")


def test_lifecycle_state_follows_the_sunset_window(example_project: Project) -> None:
    # Reference Previews' sunset is 2027-01-31
    early = {f.id: f for f in features(example_project, dt.date(2026, 6, 1), within=30)}
    assert early[PREVIEWS].state == "active" and early[PREVIEWS].due is None
    late = {f.id: f for f in features(example_project, dt.date(2027, 1, 10), within=30)}
    due = late[PREVIEWS].due
    assert late[PREVIEWS].state == "due for sunset" and due is not None
    assert due.reason == "sunset 2027-01-31 is in 21 days"
    stages = [step.stage for step in due.steps]
    assert stages.index("visualization") < stages.index("aggregation") < stages.index("collection")
    assert any("reference-previews/config.yaml" in step.action for step in due.steps)


def test_streams_show_their_sampling(example_project: Project) -> None:
    [feature] = [f for f in features(example_project, dt.date(2026, 6, 1)) if f.id == TOGGLE]
    stream, counter = feature.streams
    assert (counter.kind, counter.name) == ("counter", "MediaWiki.CodeMirror.events.byWiki.{wiki}")
    assert (stream.name, stream.sampling, stream.configured) == (
        "codemirror.toggle",
        "6.25% per session",
        True,
    )


async def test_catalog_routes(example_project: Project) -> None:
    async with _client(example_project) as client:
        index = await client.get("/catalog")
        feature = await client.get(f"/catalog/{TOGGLE}")
        far = await client.get(f"/catalog/{PREVIEWS}?within=3650")
        far_index = await client.get("/catalog?within=3650")
        unknown = await client.get("/catalog/nope")
    assert index.status_code == 200
    assert f'href="/catalog/{TOGGLE}"' in index.text and "Jane Doe" in index.text
    assert feature.status_code == 200
    assert feature.text.count("<svg") == 3 and "<figcaption" in feature.text
    assert "https://phabricator.wikimedia.org/T300001" in feature.text
    for table in ("Dimensions", "Metrics", "Data flow"):
        assert f"<h2>{table}</h2>" in feature.text
    assert "Due for sunset" in far.text and "Clean-up plan" in far.text
    assert '<span class="badge warn">due for sunset</span>' in far_index.text
    assert f'href="/catalog/{PREVIEWS}?within=3650"' in far_index.text
    assert "due for sunset" not in index.text
    assert unknown.status_code == 404


async def test_a_broken_spec_is_reported_on_the_page(example_project: Project) -> None:
    (example_project.root / "metrics" / "broken.yaml").write_text("feature: x\nownr: y\n")
    async with _client(example_project) as client:
        index = await client.get("/catalog")
    assert index.status_code == 200
    assert "broken.yaml" in index.text and "ownr" in index.text


def test_browser_catalog_pages_load_without_errors(live_ui: LiveServer, page: object) -> None:
    page.goto(f"{live_ui.url}/catalog")  # type: ignore[attr-defined]
    page.get_by_role("link", name="CodeMirror syntax highlighting toggle").click()  # type: ignore[attr-defined]
    page.wait_for_url(f"**/catalog/{TOGGLE}")  # type: ignore[attr-defined]
    figure = page.get_by_role("img", name="Toggle (CodeMirror toggle usage)")  # type: ignore[attr-defined]
    assert figure.locator("svg").count() == 1
