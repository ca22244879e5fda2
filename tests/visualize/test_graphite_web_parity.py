"""The render API answers as a real graphite-web does (PyPI graphite-web 1.1.10, the
`.venv-graphite-web` virtualenv `make test` creates), over the same whisper files: every
target of the example's generated dashboards and a target for each supported function."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tallyflow.project import SeriesSettings
from tallyflow.spec.load import load_spec
from tallyflow.store.series import series_root
from tallyflow.visualize.grafana import build_dashboard
from tallyflow.visualize.graphite import (
    expand,
    expand_json,
    find,
    find_json,
    render,
    render_json,
    substitute,
)
from tests.conftest import skip_unless_ci
from tests.spec.conftest import EXAMPLE
from tests.visualize.graphite_data import NOW, example_series, unit_series, write

pytestmark = pytest.mark.slow
VENV = Path(os.environ.get("GRAPHITE_WEB_VENV", Path(__file__).parents[2] / ".venv-graphite-web"))
START = NOW - 2 * 3600


def dashboard_targets() -> list[str]:
    targets = []
    for path in sorted((EXAMPLE / "metrics").glob("*.yaml")):
        for panel in build_dashboard(load_spec(path))["panels"]:
            targets += [t["target"] for t in panel.get("targets", [])]
    choices = [
        {"editor": ["*"], "wiki": ["*"]},
        {"editor": ["wikitext_2017"], "wiki": ["enwiki", "frwiki"]},
    ]
    return [substitute(t, v) for t in targets for v in choices]


FUNCTION_TARGETS = [
    "a.*",
    "sumSeries(a.*)",
    "sum(a.x, a.y)",
    "averageSeries(a.*)",
    "avg(a.gappy, a.y)",
    "maxSeries(a.*)",
    "minSeries(a.*)",
    "diffSeries(a.x, a.y)",
    "multiplySeries(a.x, a.y)",
    "stddevSeries(a.x, a.y)",
    "rangeOfSeries(a.x, a.neg)",
    "aggregate(a.{x,y}, 'median')",
    "sumSeries(a.x, coarse.y)",
    "divideSeries(a.x, a.zero)",
    "divideSeries(a.y, coarse.y)",
    "divideSeries(a.x, a.nothing)",
    "divideSeriesLists(a.{x,y}, a.{gappy,zero})",
    "asPercent(a.{x,y,gappy})",
    "asPercent(a.{x,y}, 50)",
    "asPercent(a.{x,y}, a.{gappy,zero})",
    "asPercent(a.{x,y}, sumSeries(a.*))",
    "asPercent(g.*.*, None, 1)",
    "asPercent(g.{1,2}.x, g.{1,3}.y, 1)",
    "pct(a.x, coarse.y)",
    "groupByNode(g.*.*, 1, 'sum')",
    "groupByNode(g.*.*, 2)",
    "groupByNodes(g.*.*, 'max', 2, 1)",
    "groupByNodes(g.*.*, 'sumSeries', 2)",
    "aliasByNode(sumSeries(g.*.x), 2)",
    "aliasByNode(divideSeries(g.1.x, g.2.x), 1, -1)",
    "aliasByNode(scale(g.*.y, 2), 1)",
    "alias(a.x, 'the x')",
    "aliasSub(a.*, 'a\\.(\\w)', 'letter \\1')",
    "aliasByMetric(scale(a.x, 2))",
    "scale(a.*, 2.5)",
    "offset(a.neg, 3)",
    "absolute(a.neg)",
    "keepLastValue(a.gappy)",
    "keepLastValue(a.gappy, 2)",
    "transformNull(a.gappy)",
    "transformNull(a.gappy, -1, a.y)",
    "summarize(a.x, '5min')",
    "summarize(a.gappy, '1h', 'avg')",
    "summarize(a.x, '7min', 'max', true)",
    "integral(a.gappy)",
    "derivative(a.counter)",
    "nonNegativeDerivative(a.counter)",
    "nonNegativeDerivative(a.counter, 400)",
    "perSecond(a.counter)",
    "movingAverage(a.x, 5)",
    "movingAverage(a.gappy, '10min')",
    "movingSum(a.x, 3)",
    "movingMin(coarse.y, '15min')",
    "movingMax(a.y, 4)",
    "movingWindow(a.x, 3, 'median')",
    "highestAverage(a.*, 2)",
    "highestMax(a.*, 1)",
    "highestCurrent(a.*, 2)",
    "highest(a.*, 2, 'sum')",
    "lowestAverage(a.*, 2)",
    "lowest(a.*, 1, 'max')",
    "limit(a.*, 2)",
    "sortByName(g.*.*, true, true)",
    "sortBy(a.*, 'max')",
    "exclude(a.*, 'gap|zero')",
    "grep(a.*, '^a\\.[xy]')",
    "removeEmptySeries(a.*)",
    "group(a.x, coarse.y)",
    "consolidateBy(a.x, 'max')",
    "a.x | scale(2) | alias('doubled')",
    "constantLine(100)",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store_root = tmp_path_factory.mktemp("store")
    write(store_root, unit_series())
    write(store_root, example_series(), SeriesSettings())
    return store_root


@pytest.fixture(scope="module")
def graphite_web(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not (VENV / "bin" / "python").exists():
        skip_unless_ci(f"graphite-web virtualenv missing: {VENV} (make test creates it)")
    conf = tmp_path_factory.mktemp("graphite-conf")
    (store / "log" / "webapp").mkdir(parents=True)
    (conf / "gw_local.py").write_text(
        'SECRET_KEY = "test"\nALLOWED_HOSTS = ["127.0.0.1"]\nTIME_ZONE = "UTC"\n'
        "CARBONLINK_HOSTS = []\n"
    )
    env = {
        **os.environ,
        "GRAPHITE_STORAGE_DIR": str(store),
        "GRAPHITE_CONF_DIR": str(conf),
        "GRAPHITE_SETTINGS_MODULE": "gw_local",
        "PYTHONPATH": str(conf),
        "DJANGO_SETTINGS_MODULE": "graphite.settings",
    }
    django = [str(VENV / "bin" / "python"), "-m", "django"]
    subprocess.run([*django, "migrate", "--run-syncdb", "-v0"], env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [*django, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/metrics/find?query=*", timeout=5).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                server.terminate()
                raise
            time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=30)


def graphite_web_render(base: str, target: str) -> list[dict[str, Any]]:
    query = urllib.parse.urlencode(
        {"target": target, "from": START, "until": NOW, "now": NOW, "format": "json"}
    )
    with urllib.request.urlopen(f"{base}/render?{query}", timeout=30) as response:
        result: list[dict[str, Any]] = json.load(response)
    return result


def comparable(series: list[dict[str, Any]]) -> list[tuple[str, list[Any]]]:
    return [(s["target"], [[pytest.approx(v), t] for v, t in s["datapoints"]]) for s in series]


@pytest.mark.parametrize("target", [*dashboard_targets(), *FUNCTION_TARGETS])
def test_render_matches_graphite_web(graphite_web: str, store: Path, target: str) -> None:
    ours = render_json(render(series_root(store), [target], START, NOW, now=NOW))
    theirs = graphite_web_render(graphite_web, target)
    assert theirs, f"graphite-web returned nothing for {target}"
    assert [(s["target"], s["datapoints"]) for s in ours] == comparable(theirs)


def graphite_web_json(base: str, path: str, **params: Any) -> Any:
    query = urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(f"{base}{path}?{query}", timeout=30) as response:
        return json.load(response)


FIND_QUERIES = [
    "*",
    "a.*",
    "g.*.*",
    "g.[12].{x,y}",
    "a.?",
    "MediaWiki.CodeMirror.toggles.byEditor.*",
    "MediaWiki.CodeMirror.toggles.byEditor.*.byEnabled.*.byWiki.*",
    "MediaWiki.CodeMirror.sessions.byEditor.wikitext_2010.byWiki.{en,de}wiki",
    "reference_previews.baseline.*",
    "nothing.here",
]


@pytest.mark.parametrize("query", FIND_QUERIES)
def test_find_matches_graphite_web(graphite_web: str, store: Path, query: str) -> None:
    ours = find_json(find(series_root(store), query), query)
    assert ours == graphite_web_json(graphite_web, "/metrics/find", query=query)


def test_expand_matches_graphite_web(graphite_web: str, store: Path) -> None:
    queries = ["a.*", "g.*", "g.*.*"]
    for group_by_expr in (0, 1):
        for leaves_only in (0, 1):
            ours = expand_json(
                expand(series_root(store), queries, leaves_only=bool(leaves_only)),
                bool(group_by_expr),
            )
            theirs = graphite_web_json(
                graphite_web,
                "/metrics/expand",
                query=queries,
                groupByExpr=group_by_expr,
                leavesOnly=leaves_only,
            )
            assert ours == theirs
