"""End to end: every panel of the example project's generated dashboards is drawn from the
series store through the render API, with its template variables filled as Grafana fills
them, and shows the numbers the spec means (means are ratios, shares add up to 100)."""

from __future__ import annotations

from itertools import product
from pathlib import Path
from typing import Any

import pytest

from tallyflow.project import SeriesSettings
from tallyflow.spec.load import load_spec
from tallyflow.visualize.grafana import build_dashboard
from tallyflow.visualize.graphite import find, find_json, render, substitute
from tests.spec.conftest import EXAMPLE
from tests.visualize.graphite_data import HOURS, NOW, STEP, example_series, write

DASHBOARDS = {
    p.stem: build_dashboard(load_spec(p)) for p in sorted((EXAMPLE / "metrics").glob("*.yaml"))
}
START = NOW - HOURS * 3600
TIMES = list(range(START + STEP, NOW + 1, STEP))
DATA = example_series()


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("store"), DATA, SeriesSettings())


def variable_values(root: Path, dashboard: dict[str, Any]) -> dict[str, list[str]]:
    """Each template variable's values: its custom list, or what its find query returns."""
    values = {}
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "custom":
            values[variable["name"]] = variable["query"].split(",")
        elif variable["type"] == "query":
            query = variable["query"]
            values[variable["name"]] = [n["text"] for n in find_json(find(root, query), query)]
    return values


def panels(name: str) -> dict[str, str]:
    return {
        panel["title"]: panel["targets"][0]["target"]
        for panel in DASHBOARDS[name]["panels"]
        if panel.get("targets")
    }


def draw(root: Path, target: str, **variables: list[str]) -> dict[str, list[float | None]]:
    series = render(root, [substitute(target, variables)], START, NOW, now=NOW)
    if "stats_counts." not in target:  # StatsD series keep 10 s points for 6 hours
        assert all(s.start == TIMES[0] and s.step == STEP for s in series)
    return {s.name: list(s.values) for s in series}


def test_wiki_variable_values_come_from_the_store(root: Path) -> None:
    assert variable_values(root, DASHBOARDS["codemirror-toggle"]) == {
        "editor": ["wikitext_2010", "wikitext_2017"],
        "wiki": ["dewiki", "enwiki", "frwiki"],
    }
    assert variable_values(root, DASHBOARDS["reference-previews-baseline"]) == {
        "wiki": ["dewiki", "enwiki", "frwiki"]
    }


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_every_panel_draws_for_every_variable_choice(root: Path, name: str) -> None:
    values = variable_values(root, DASHBOARDS[name])
    choices = {key: [["*"], found[:1], found] for key, found in values.items()}
    for target in panels(name).values():
        for picked in product(*choices.values()):
            drawn = draw(root, target, **dict(zip(choices, picked, strict=True)))
            assert drawn, target
            assert all(any(v is not None for v in vs) for vs in drawn.values()), target


def raw(prefix: str, **where: str) -> list[dict[int, float]]:
    """The example's raw series whose path starts with `prefix` and holds each `.key.value`."""
    return [
        values
        for path, values in DATA.items()
        if path.startswith(prefix) and all(f".{k}.{v}" in path + "." for k, v in where.items())
    ]


def total(series: list[dict[int, float]], t: int) -> float | None:
    present = [s[t] for s in series if t in s]
    return sum(present) if present else None


def test_mean_is_toggles_per_session(root: Path) -> None:
    target = panels("codemirror-toggle")["Average activations per session — mean"]
    toggles = "MediaWiki.CodeMirror.toggles"
    sessions = "MediaWiki.CodeMirror.sessions"
    for editor in ("wikitext_2010", "wikitext_2017"):
        drawn = draw(root, target, editor=[editor], wiki=["*"])
        on = raw(toggles, byEditor=editor, byEnabled="true")
        below = raw(sessions, byEditor=editor)
        per_session = [(total(on, t) or 0) / (total(below, t) or 1) for t in TIMES]
        assert drawn == {"Toggle per Sessions": pytest.approx(per_session)}
        # every wiki present: half a toggle per session; frwiki's gaps lower it
        assert drawn["Toggle per Sessions"][1] == pytest.approx(0.5)
        assert drawn["Toggle per Sessions"][0] == pytest.approx(0.5 * 3 / 8)


def test_mean_by_wiki_is_none_where_sessions_are_zero_or_toggles_missing(root: Path) -> None:
    target = panels("codemirror-toggle")["Activations per session, by wiki — mean"]
    drawn = draw(root, target, editor=["*"], wiki=["*"])
    assert list(drawn) == ["dewiki", "enwiki", "frwiki"]
    assert drawn["enwiki"] == [0.5] * len(TIMES)
    assert drawn["dewiki"] == [None if i == 5 else 0.5 for i in range(len(TIMES))]
    assert drawn["frwiki"] == [None if i % 3 == 0 else 0.5 for i in range(len(TIMES))]


def test_shares_add_up_to_100(root: Path) -> None:
    share = panels("codemirror-toggle")[
        "Toggle on vs off in wikitext_2010 and wikitext_2017 — share (%)"
    ]
    drawn = draw(root, share, editor=["*"], wiki=["enwiki", "frwiki"])
    assert {k: v[1] for k, v in drawn.items()} == pytest.approx(
        {
            "wikitext_2010.false": 100 * 0.1 / 2.4,
            "wikitext_2010.true": 100 * 0.5 / 2.4,
            "wikitext_2017.false": 100 * 0.3 / 2.4,
            "wikitext_2017.true": 100 * 1.5 / 2.4,
        }
    )
    for i in range(len(TIMES)):
        assert sum(v[i] for v in drawn.values() if v[i] is not None) == pytest.approx(100)
    sessions = panels("codemirror-toggle")["Sessions by editor — share (%)"]
    assert draw(root, sessions, editor=["*"], wiki=["*"]) == {
        "wikitext_2010": pytest.approx([25.0] * len(TIMES)),
        "wikitext_2017": pytest.approx([75.0] * len(TIMES)),
    }


def test_totals_are_sums_of_the_selected_series(root: Path) -> None:
    titles = panels("codemirror-toggle")
    drawn = draw(
        root, titles["Average activations per session — total"], editor=["*"], wiki=["dewiki"]
    )
    on = raw("MediaWiki.CodeMirror.toggles", byEnabled="true", byWiki="dewiki")
    assert drawn == {"Toggle": [total(on, t) for t in TIMES]}
    by_editor = draw(
        root, titles["Sessions by editor — total"], editor=["wikitext_2017"], wiki=["*"]
    )
    assert by_editor == {"wikitext_2017": [240.0 if i != 5 else 210.0 for i in range(len(TIMES))]}


def test_reference_previews_clicks_per_pageview(root: Path) -> None:
    titles = panels("reference-previews-baseline")
    drawn = draw(root, titles["Footnote clicks per pageview — mean"], wiki=["*"])
    assert drawn == {
        wiki: pytest.approx([0.03] * len(TIMES)) for wiki in ("dewiki", "enwiki", "frwiki")
    }
    shares = draw(root, titles["Pageviews by wiki — share (%)"], wiki=["enwiki", "dewiki"])
    assert shares == {
        "dewiki": pytest.approx([100 / 3] * len(TIMES)),
        "enwiki": pytest.approx([200 / 3] * len(TIMES)),
    }
