"""The Dashboards section: the routes in process (httpx ASGITransport), and what a user sees in
a real headless Chromium against the UI served by uvicorn over a series store seeded at the
example project's metric paths (tests/visualize/ui/series_data.py)."""

from __future__ import annotations

import html
import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tallyflow.project import Project
from tallyflow.spec.load import load_specs
from tallyflow.store.series import series_root
from tallyflow.visualize.grafana import build_dashboard
from tallyflow.visualize.ui.app import create_app
from tests.visualize.ui import series_data
from tests.visualize.ui.conftest import LiveServer

TOGGLE = "tallyflow-codemirror-toggle"
PREVIEWS = "tallyflow-reference-previews-baseline"
WIKIS = ["dewiki", "enwiki", "frwiki"]
EDITORS = ["wikitext_2010", "wikitext_2017"]
ITEM = re.compile(
    r'<h2 class="row-title">(?P<row>[^<]*)</h2>'
    r'|<section class="panel[^"]*"[^>]*?data-type="(?P<type>\w+)"[^>]*?'
    r'style="grid-column: (?P<column>\d+) / span (?P<width>\d+)"[^>]*>\s*'
    r"<h[23][^>]*>(?P<title>[^<]*)<",
    re.S,
)


def dashboards(project: Project) -> dict[str, dict[str, Any]]:
    """The generated Grafana dashboards of a project by uid."""
    built = [build_dashboard(sf, "graphite") for sf in load_specs(project)]
    return {d["uid"]: d for d in built}


def client(project: Project) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(project))
    return httpx.AsyncClient(transport=transport, base_url="http://ui")


def page_config(text: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="dashboard-config">(.*?)</script>', text)
    assert match, "the page carries its panel configuration"
    config: dict[str, Any] = json.loads(match.group(1))
    return config


# In process: the routes


async def test_index_lists_every_dashboard_with_title_feature_owner_status(
    example_project: Project,
) -> None:
    async with client(example_project) as http:
        response = await http.get("/")
    assert response.status_code == 200
    text = html.unescape(response.text)
    assert (
        '<a href="/dashboards/tallyflow-codemirror-toggle">CodeMirror syntax highlighting' in text
    )
    assert '<a href="/dashboards/tallyflow-reference-previews-baseline">Reference Previews' in text
    assert text.count("Jane Doe (Technical Wishes)") == 2
    assert text.count('<span class="badge good">active</span>') == 2


async def test_a_bad_spec_is_listed_with_its_error_and_the_others_stay(
    example_project: Project,
) -> None:
    (example_project.root / "metrics" / "broken.yaml").write_text("feature: x\nownr: y\n")
    async with client(example_project) as http:
        response = await http.get("/")
    assert response.status_code == 200
    assert "broken.yaml" in response.text and "ownr" in response.text
    assert 'href="/dashboards/tallyflow-codemirror-toggle"' in response.text


async def test_a_project_without_specs_says_where_to_write_them(example_project: Project) -> None:
    for path in (example_project.root / "metrics").iterdir():
        path.unlink()
    async with client(example_project) as http:
        response = await http.get("/")
    assert response.status_code == 200
    assert "No metric specs in" in response.text and "metrics" in response.text


@pytest.mark.parametrize("uid", [TOGGLE, PREVIEWS])
async def test_dashboard_page_has_the_panels_of_the_grafana_json(
    example_project: Project, uid: str
) -> None:
    model = dashboards(example_project)[uid]
    async with client(example_project) as http:
        response = await http.get(f"/dashboards/{uid}")
    assert response.status_code == 200
    drawn = []
    for match in ITEM.finditer(response.text):
        if match["row"] is not None:
            drawn.append(("row", html.unescape(match["row"]), 1, 24))
        else:
            item = (match["type"], html.unescape(match["title"]))
            drawn.append((*item, int(match["column"]), int(match["width"])))
    expected = [
        (p["type"], p["title"], p["gridPos"]["x"] + 1, p["gridPos"]["w"]) for p in model["panels"]
    ]
    assert drawn == expected
    config = page_config(response.text)
    series_panels = [p for p in model["panels"] if p["type"] == "timeseries"]
    assert [p["targets"] for p in config["panels"]] == [
        [t["target"] for t in p["targets"]] for p in series_panels
    ]
    assert [p["unit"] for p in config["panels"]] == [
        p["fieldConfig"]["defaults"]["unit"] for p in series_panels
    ]
    assert [p["decimals"] for p in config["panels"]] == [
        p["fieldConfig"]["defaults"].get("decimals") for p in series_panels
    ]
    for panel in series_panels:
        assert html.escape(panel["description"], quote=False) in response.text


async def test_intro_panel_is_rendered_markdown_with_raw_html_escaped(
    example_project: Project,
) -> None:
    spec = example_project.root / "metrics" / "codemirror-toggle.yaml"
    text = spec.read_text().replace(
        "  - How often do people",
        "  - Is <script>alert(1)</script> escaped?\n  - How often do people",
    )
    spec.write_text(text)
    async with client(example_project) as http:
        response = await http.get(f"/dashboards/{TOGGLE}")
    assert '<a href="https://phabricator.wikimedia.org/T300001">T300001</a>' in response.text
    assert "<strong>Responsible person:</strong> Jane Doe (Technical Wishes)" in response.text
    assert "<li><strong>Toggle</strong>: number of button clicks" in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


async def test_variables_time_range_and_refresh_are_labelled_selects(
    example_project: Project,
) -> None:
    async with client(example_project) as http:
        response = await http.get(f"/dashboards/{TOGGLE}")
    text = response.text
    editor = re.search(
        r'<label for="var-editor">byEditor</label>\s*<select name="var-editor"[^>]*multiple[^>]*>'
        r"(.*?)</select>",
        text,
        re.S,
    )
    assert editor, "the editor variable is a labelled multi-select"
    assert re.findall(r'<option value="([^"]*)"', editor.group(1)) == ["$__all", *EDITORS]
    assert re.search(
        r'<label for="var-wiki">byWiki</label>\s*<select name="var-wiki"[^>]*multiple', text
    )
    ranges = re.search(r'<select name="from" id="time-from">(.*?)</select>', text, re.S)
    assert ranges
    assert re.findall(r'<option value="([^"]*)"', ranges.group(1)) == [
        "now-1h",
        "now-6h",
        "now-24h",
        "now-7d",
        "now-30d",
        "now-90d",
        "now-1y",
    ]
    assert '<option value="now-90d" selected>Last 90 days (default)</option>' in text
    refresh = re.search(r'<select name="refresh" id="refresh">(.*?)</select>', text, re.S)
    assert refresh
    assert re.findall(r'<option value="([^"]*)"', refresh.group(1)) == ["", "10s", "30s", "1m"]


async def test_unknown_dashboard_is_a_404_page_with_links(example_project: Project) -> None:
    async with client(example_project) as http:
        response = await http.get("/dashboards/no-such-uid")
    assert response.status_code == 404
    assert "no-such-uid" in response.text
    assert 'href="/dashboards/tallyflow-codemirror-toggle"' in response.text
    assert 'href="/dashboards/tallyflow-reference-previews-baseline"' in response.text


async def test_graphite_api_is_mounted_under_graphite(example_project: Project) -> None:
    series_data.write(example_project, series_data.known_points())
    async with client(example_project) as http:
        found = await http.get(
            "/graphite/metrics/find",
            params={"query": "MediaWiki.CodeMirror.toggles.byEditor.*.byEnabled.*.byWiki.*"},
        )
        rendered = await http.get(
            "/graphite/render",
            params={
                "target": "sumSeries(MediaWiki.CodeMirror.toggles.*.*.byEnabled.true.*.*)",
                "from": "-6h",
                "format": "json",
            },
        )
    assert found.status_code == 200
    assert [node["text"] for node in found.json()] == WIKIS
    assert rendered.status_code == 200
    (series,) = rendered.json()
    assert {v for v, _ in series["datapoints"] if v is not None} == {160.0}


# In the browser: what a user sees


@pytest.fixture
def seeded_ui(example_project: Project) -> Iterator[LiveServer]:
    series_data.write(example_project, series_data.known_points())
    with LiveServer(example_project) as server:
        yield server


@contextmanager
def watched_page(browser: Any, allowed: str = "", scheme: str = "light") -> Iterator[Any]:
    """A page like the `page` fixture's, which also tolerates console errors containing
    `allowed` (Chromium logs every HTTP error status of a load as a console error)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not (allowed and allowed in m.text)
            else None
        ),
    )
    try:
        yield page
    finally:
        context.close()
    assert not problems, f"browser console errors: {problems}"


def open_dashboard(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-dashboard=ready]")


def settled(page: Any) -> None:
    """Wait until no panel is loading."""
    page.wait_for_function("() => !document.querySelector('section[data-state=loading]')")


def chart(page: Any, title: str) -> Any:
    heading = page.get_by_role("heading", name=title, exact=True)
    return page.locator("section[data-panel]", has=heading).locator(".chart")


def series_names(page: Any, title: str) -> list[str]:
    names: list[str] = json.loads(chart(page, title).get_attribute("data-series"))
    return names


def values(page: Any, title: str) -> list[set[float]]:
    """The distinct values each drawn series holds."""
    script = "el => el.tfPlot.data.slice(1).map(col => col.filter(v => v != null))"
    return [set(column) for column in chart(page, title).evaluate(script)]


def test_dashboard_draws_every_panel_with_the_expected_series(
    page: Any, seeded_ui: LiveServer, example_project: Project
) -> None:
    open_dashboard(page, f"{seeded_ui.url}/dashboards/{TOGGLE}")
    model = dashboards(example_project)[TOGGLE]
    titles = [p["title"] for p in model["panels"] if p["type"] == "timeseries"]
    sections = page.locator("section[data-type=timeseries]")
    assert sections.count() == len(titles)
    assert [s.get_attribute("data-state") for s in sections.all()] == ["data"] * len(titles)
    assert series_names(page, "Average activations per session — total") == ["Toggle"]
    assert series_names(page, "Activations per session, by wiki — mean") == WIKIS
    assert series_names(page, "Sessions by editor — total") == EDITORS
    assert series_names(page, "Toggle on vs off in wikitext_2010 and wikitext_2017 — total") == [
        f"{e}.{b}" for e in EDITORS for b in ("false", "true")
    ]
    assert values(page, "Average activations per session — mean") == [{0.5}]
    assert values(page, "Average activations per session — total") == [{160.0}]
    assert values(page, "Sessions by editor — total") == [{80.0}, {240.0}]
    legend = chart(page, "Activations per session, by wiki — total").locator(".u-legend")
    for wiki in WIKIS:
        assert wiki in legend.inner_text()
    wiki_options = page.locator('select[name="var-wiki"] option')
    assert wiki_options.all_inner_texts() == ["All", *WIKIS]


def test_choosing_variables_changes_the_charts_and_the_url(
    page: Any, seeded_ui: LiveServer
) -> None:
    open_dashboard(page, f"{seeded_ui.url}/dashboards/{TOGGLE}")
    with page.expect_request(lambda r: "/graphite/render" in r.url and "wikitext_2017" in r.url):
        page.select_option('select[name="var-editor"]', "wikitext_2017")
    settled(page)
    assert "var-editor=wikitext_2017" in page.url
    assert series_names(page, "Sessions by editor — total") == ["wikitext_2017"]
    assert values(page, "Average activations per session — total") == [{120.0}]

    with page.expect_request(
        lambda r: "/graphite/render" in r.url and "%7Bdewiki%2Cfrwiki%7D" in r.url
    ):
        page.select_option('select[name="var-wiki"]', ["dewiki", "frwiki"])
    settled(page)
    assert series_names(page, "Activations per session, by wiki — total") == ["dewiki", "frwiki"]
    assert values(page, "Average activations per session — total") == [{5.0 * 3 * (1 + 5)}]

    with page.expect_request(lambda r: "/graphite/render" in r.url and "dewiki" not in r.url):
        page.go_back()
    settled(page)
    assert series_names(page, "Activations per session, by wiki — total") == WIKIS
    assert values(page, "Average activations per session — total") == [{120.0}]


def test_the_url_holds_the_state_so_links_can_be_shared(page: Any, seeded_ui: LiveServer) -> None:
    query = "from=now-7d&to=now&var-editor=wikitext_2017&var-wiki=enwiki&var-wiki=frwiki"
    with page.expect_request(lambda r: "/graphite/render" in r.url and "from=-7d" in r.url):
        open_dashboard(page, f"{seeded_ui.url}/dashboards/{TOGGLE}?{query}")
    assert page.locator("#time-from").input_value() == "now-7d"
    editor = page.locator('select[name="var-editor"]')
    assert editor.evaluate("s => Array.from(s.selectedOptions).map(o => o.value)") == [
        "wikitext_2017"
    ]
    assert series_names(page, "Activations per session, by wiki — total") == ["enwiki", "frwiki"]
    assert values(page, "Average activations per session — total") == [{5.0 * 3 * (2 + 5)}]


def test_all_in_a_grafana_link_selects_all(page: Any, seeded_ui: LiveServer) -> None:
    open_dashboard(page, f"{seeded_ui.url}/dashboards/{TOGGLE}?var-editor=All&var-wiki=%24__all")
    assert series_names(page, "Sessions by editor — total") == EDITORS
    assert values(page, "Average activations per session — total") == [{160.0}]


def test_time_range_picker_changes_the_request(page: Any, seeded_ui: LiveServer) -> None:
    open_dashboard(page, f"{seeded_ui.url}/dashboards/{TOGGLE}")
    with page.expect_request(lambda r: "/graphite/render" in r.url) as first:
        page.locator("#reload").click()
    assert "from=-90d" in first.value.url and "until=now" in first.value.url
    assert "maxDataPoints=" in first.value.url
    with page.expect_request(lambda r: "/graphite/render" in r.url and "from=-7d" in r.url):
        page.select_option("#time-from", "now-7d")
    settled(page)
    assert "from=now-7d" in page.url
    assert values(page, "Sessions by editor — total") == [{80.0}, {240.0}]


def test_a_time_range_from_the_url_is_offered_in_the_picker(
    page: Any, seeded_ui: LiveServer
) -> None:
    with page.expect_request(lambda r: "/graphite/render" in r.url and "from=-3d" in r.url):
        open_dashboard(page, f"{seeded_ui.url}/dashboards/{TOGGLE}?from=now-3d")
    picker = page.locator("#time-from")
    assert picker.input_value() == "now-3d"
    assert picker.locator("option:checked").inner_text() == "Last 3 days"


def test_epoch_milliseconds_in_the_url_are_sent_as_epoch_seconds(
    page: Any, seeded_ui: LiveServer
) -> None:
    start, end = 1_780_000_000, 1_780_086_400
    with page.expect_request(lambda r: "/graphite/render" in r.url) as request:
        open_dashboard(page, f"{seeded_ui.url}/dashboards/{TOGGLE}?from={start}000&to={end}000")
    assert f"from={start}&until={end}" in request.value.url


def test_dragging_across_a_chart_sets_an_absolute_time_range(
    page: Any, seeded_ui: LiveServer
) -> None:
    open_dashboard(page, f"{seeded_ui.url}/dashboards/{TOGGLE}?from=now-7d")
    plot = chart(page, "Sessions by editor — total").locator(".u-over")
    plot.scroll_into_view_if_needed()
    box = plot.bounding_box()
    middle = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.5, middle)
    with page.expect_request(lambda r: "/graphite/render" in r.url) as request:
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.75, middle, steps=5)
        page.mouse.up()
    found = re.search(r"from=(\d+)&until=(\d+)", request.value.url)
    assert found, request.value.url
    start, end = int(found[1]), int(found[2])
    now = time.time()
    assert now - 4 * 86400 < start < end < now - 86400
    settled(page)
    assert re.search(rf"from={start}000&to={end}000", page.url)
    assert page.locator("#time-from option:checked").inner_text().endswith(" UTC")
    drawn = chart(page, "Sessions by editor — total").evaluate("el => el.tfPlot.data[0]")
    assert start - 3600 <= min(drawn) and max(drawn) <= end

    with page.expect_request(lambda r: "/graphite/render" in r.url and "from=-24h" in r.url):
        page.select_option("#time-from", "now-24h")
    assert "from=now-24h&to=now" in page.url


def test_keyboard_changes_a_variable_and_reads_a_chart(page: Any, seeded_ui: LiveServer) -> None:
    open_dashboard(page, f"{seeded_ui.url}/dashboards/{TOGGLE}")
    page.get_by_label("byEditor").focus()
    with page.expect_request(lambda r: "/graphite/render" in r.url):
        page.keyboard.press("ArrowDown")
    settled(page)
    assert "var-editor=wikitext_2010" in page.url
    assert series_names(page, "Sessions by editor — total") == ["wikitext_2010"]

    sessions = chart(page, "Sessions by editor — total")
    sessions.focus()
    page.keyboard.press("End")
    spoken = sessions.locator("[aria-live]")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:00 UTC: wikitext_2010 80", spoken.inner_text())
    assert "80" in sessions.locator(".u-legend").inner_text()


def test_auto_refresh_redraws_the_panels_and_is_kept_in_the_url(
    page: Any, seeded_ui: LiveServer
) -> None:
    page.clock.install()
    open_dashboard(page, f"{seeded_ui.url}/dashboards/{TOGGLE}")
    page.select_option("#refresh", "10s")
    assert "refresh=10s" in page.url
    with page.expect_request(lambda r: "/graphite/render" in r.url):
        page.clock.fast_forward("00:11")
    settled(page)
    page.reload()
    page.wait_for_selector("body[data-dashboard=ready]")
    assert page.locator("#refresh").input_value() == "10s"


def test_an_empty_store_shows_no_data_panels_not_errors(page: Any, live_ui: LiveServer) -> None:
    open_dashboard(page, f"{live_ui.url}/dashboards/{TOGGLE}")
    sections = page.locator("section[data-type=timeseries]")
    assert sections.count() == 10
    assert {s.get_attribute("data-state") for s in sections.all()} == {"empty"}
    assert (
        sections.locator(".chart .empty").all_inner_texts() == ["No data in this time range."] * 10
    )
    assert page.locator(".panel-error").count() == 0
    status = page.locator('select[name="var-wiki"] + .variable-status')
    assert status.inner_text() == "no values in the store yet"


def test_a_broken_series_file_fails_only_the_panels_reading_it(
    browser: Any, example_project: Project
) -> None:
    series_data.write(example_project, series_data.known_points())
    broken = series_root(example_project.store_root) / "reference_previews/baseline/pageviews"
    (broken / "enwiki.wsp").write_bytes(b"not a whisper file")
    with LiveServer(example_project) as server, watched_page(browser, "status of 500") as page:
        open_dashboard(page, f"{server.url}/dashboards/{PREVIEWS}")
        states = {
            s.locator("h3").inner_text(): s.get_attribute("data-state")
            for s in page.locator("section[data-type=timeseries]").all()
        }
        assert states == {
            "Footnote clicks per pageview — mean": "error",
            "Footnote clicks per pageview — total": "data",
            "Pageviews by wiki — share (%)": "error",
            "Pageviews by wiki — total": "error",
        }
        error = page.locator("section[data-state=error] .panel-error").first
        assert "could not be drawn" in error.inner_text()
        assert "enwiki.wsp" in error.inner_text()
        assert page.get_by_role("heading", level=1, name="Reference Previews baseline").is_visible()


def test_unknown_dashboard_in_the_browser_links_to_the_others(
    browser: Any, live_ui: LiveServer
) -> None:
    with watched_page(browser, "status of 404") as page:
        response = page.goto(f"{live_ui.url}/dashboards/nope")
        assert response.status == 404
        page.get_by_role("link", name="CodeMirror syntax highlighting toggle").click()
        page.wait_for_selector("body[data-dashboard=ready]")
        assert page.url.endswith(f"/dashboards/{TOGGLE}")


def test_screenshot_of_a_dashboard_with_realistic_data(
    browser: Any, example_project: Project, tmp_path: Path
) -> None:
    """Writes dashboard.png (and dashboard-dark.png) to $TALLYFLOW_SCREENSHOTS (default: the
    test's tmp dir); `make screenshots` writes them to docs/images."""
    folder = Path(os.environ.get("TALLYFLOW_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    series_data.write(example_project, series_data.realistic_points())
    with LiveServer(example_project) as server:
        for scheme, name in (("light", "dashboard.png"), ("dark", "dashboard-dark.png")):
            with watched_page(browser, scheme=scheme) as page:
                open_dashboard(page, f"{server.url}/dashboards/{TOGGLE}")
                states = page.locator("section[data-type=timeseries]").evaluate_all(
                    "els => els.map(e => e.dataset.state)"
                )
                assert states == ["data"] * 10
                page.screenshot(path=str(folder / name), full_page=True)
            assert (folder / name).stat().st_size > 10_000
