"""Rendered tables parse back, in each format, into the seed's rows and columns."""

from html.parser import HTMLParser

import wikitextparser
from markdown_it import MarkdownIt

from tallyflow.spec.load import load_spec
from tallyflow.spec.models import Spec
from tallyflow.spec.render import DATA_FLOW_HEADERS, page, render_spec
from tests.spec.conftest import EXAMPLE, TOGGLE

PREVIEWS = EXAMPLE / "metrics" / "reference-previews-baseline.yaml"


def toggle() -> Spec:
    return load_spec(TOGGLE).spec


def test_wikitext_tables_parse_into_the_seeds_cells() -> None:
    parsed = wikitextparser.parse(render_spec(toggle(), "wikitext"))
    dimensions, metrics = parsed.tables[0].data(), parsed.tables[1].data()
    assert dimensions[0] == ["dimension", "possible values", "include as variable?"]
    assert dimensions[1] == ["byEditor", "wikitext_2010, wikitext_2017", "yes"]
    assert dimensions[2] == ["byEnabled", "true, false", "no"]
    assert [row[2] for row in metrics][:4] == [
        "Toggle",
        "number of button clicks in the editor (to activate or deactivate syntax highlighting)",
        "MediaWiki.CodeMirror.toggles.byEditor.{editor}.byEnabled.{enabled}.byWiki.{wiki}",
        "byEnabled, byWiki, byEditor",
    ]
    graphs = metrics[5][2]
    assert "Average activations per session<br />Activations per session, by wiki" in graphs
    titles = [s.title.strip() for s in parsed.sections[2:]]
    assert titles == ["Dimensions", "Metrics", "Data flow"]


def test_wikitext_data_flow_row_matches_the_seed() -> None:
    parsed = wikitextparser.parse(render_spec(load_spec(PREVIEWS).spec, "wikitext"))
    header, row = parsed.tables[-1].data()
    assert header == DATA_FLOW_HEADERS
    assert row[0] == "Reference Previews Usage"
    assert row[3:8] == [
        "reference_previews.baseline.footnote_clicks_per_pageview.$wiki",
        "reference-previews/baseline",
        "ReferencePreviewsBaseline",
        "Cite extension",
        "Click on reference footnote",
    ]
    assert row[8:10] == ["Active", "Starts 2019-11"]


def test_wikitext_escapes_pipes_and_markup() -> None:
    spec = toggle().model_copy(update={"owner": "A | B [[User:X]]"})
    text = render_spec(spec, "wikitext")
    assert "A {{!}} B" not in text  # markup forces nowiki, which keeps the pipe literal
    assert "<nowiki>A | B [[User:X]]</nowiki>" in text
    assert wikitextparser.parse(text).wikilinks == []


def test_markdown_tables_have_one_cell_per_column() -> None:
    tokens = MarkdownIt("commonmark").enable("table").parse(render_spec(toggle(), "markdown"))
    tables, rows = 0, []
    cells: list[str] | None = None
    for token in tokens:
        if token.type == "table_open":
            tables += 1
        elif token.type == "tr_open":
            cells = []
        elif token.type == "inline" and cells is not None:
            cells.append(token.content)
        elif token.type == "tr_close":
            rows.append((tables, cells))
            cells = None
    assert tables == 3
    widths = {table: {len(c) for t, c in rows if t == table} for table in (1, 2, 3)}
    assert widths == {1: {3}, 2: {5}, 3: {11}}  # metrics are columns: Toggle, Sessions, Events


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.svgs = 0
        self._in = False

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._in = self._in or tag in ("td", "th")
        if tag in ("td", "th"):
            self.cells.append("")
        self.svgs += tag == "svg"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.cells[-1] += data


def test_html_page_escapes_and_inlines_one_diagram_per_metric() -> None:
    spec = toggle().model_copy(update={"feature": "<script>x</script>"})
    html = page([render_spec(spec, "html")], "html")
    assert "<script>x" not in html and "&lt;script&gt;" in html
    parser = _Cells()
    parser.feed(html)
    assert "wikitext_2010, wikitext_2017" in parser.cells
    assert parser.svgs == 3  # one diagram per metric


def test_linked_diagrams_replace_inline_ones() -> None:
    images = {"Toggle": "toggle.svg"}
    assert "![Data flow of Toggle](toggle.svg)" in render_spec(toggle(), "markdown", images)
    assert "[[File:toggle.svg|thumb|none|Data flow of Toggle]]" in render_spec(
        toggle(), "wikitext", images
    )
