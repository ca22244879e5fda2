"""Generated dashboards: valid against Grafana's published JSON Schema, deterministic, and
following the seed's dashboard tips."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models.dashboard import Dashboard as DashboardModel
from jsonschema import Draft7Validator

from tallyflow.spec.load import SpecFile, load_spec
from tallyflow.visualize.grafana import (
    Datasource,
    build_dashboard,
    dashboard_json,
    dashboard_uid,
    prometheus_name,
)
from tests.conftest import FIXTURES, skip_unless_ci
from tests.spec.conftest import EXAMPLE

GRAFANA = FIXTURES / "grafana"
SPECS = sorted((EXAMPLE / "metrics").glob("*.yaml"))


def schema(name: str, definition: str | None = None) -> Draft7Validator:
    document = json.loads((GRAFANA / f"{name}.jsonschema.json").read_text())
    if definition is not None:
        document = {**document, "$ref": f"#/definitions/{definition}"}
    return Draft7Validator(document)


DASHBOARD = schema("dashboard")
PANEL_OPTIONS = {"timeseries": schema("timeseries", "Options"), "text": schema("text", "Options")}
TIMESERIES_FIELDS = schema("timeseries", "FieldConfig")


def problems(dashboard: dict[str, Any]) -> list[str]:
    """Every schema error of a dashboard, its panels' options and field config."""
    found = [e.message for e in DASHBOARD.iter_errors(dashboard)]
    for panel in dashboard.get("panels", []):
        if panel["type"] in PANEL_OPTIONS and "options" in panel:
            found += [e.message for e in PANEL_OPTIONS[panel["type"]].iter_errors(panel["options"])]
        custom = panel.get("fieldConfig", {}).get("defaults", {}).get("custom")
        if panel["type"] == "timeseries" and custom is not None:
            found += [e.message for e in TIMESERIES_FIELDS.iter_errors(custom)]
    return found


@pytest.fixture(params=SPECS, ids=lambda p: p.stem)
def spec_file(request: pytest.FixtureRequest) -> SpecFile:
    return load_spec(request.param)


@pytest.mark.parametrize("source", ["graphite", "prometheus"])
def test_every_generated_dashboard_validates(spec_file: SpecFile, source: Datasource) -> None:
    dashboard = build_dashboard(spec_file, source)
    assert problems(dashboard) == []
    assert dashboard["schemaVersion"] == 41


def test_the_validator_catches_a_broken_dashboard(spec_file: SpecFile) -> None:
    dashboard = build_dashboard(spec_file)
    dashboard["panels"][1]["gridPos"]["w"] = "wide"
    dashboard["panels"][2]["fieldConfig"]["defaults"]["custom"]["stacking"]["mode"] = "sideways"
    dashboard["titel"] = "typo"
    assert len(problems(dashboard)) == 3


def test_output_is_deterministic_and_the_example_files_are_up_to_date(
    spec_file: SpecFile,
) -> None:
    text = dashboard_json(spec_file)
    assert text == dashboard_json(load_spec(spec_file.path))
    committed = EXAMPLE / "dashboards" / f"{spec_file.id}.json"
    assert committed.read_text() == text, "run `tallyflow dashboards build -p examples/codemirror`"


def test_uid_is_stable_and_fits_grafanas_limit(tmp_path: Path) -> None:
    path = tmp_path / ("a-very-long-feature-name-" * 3 + ".yaml")
    shutil.copy(SPECS[0], path)
    uid = dashboard_uid(load_spec(path))
    assert len(uid) <= 40 and uid == dashboard_uid(load_spec(path))
    assert dashboard_uid(load_spec(SPECS[0])) == "tallyflow-codemirror-toggle"


def toggle() -> dict[str, Any]:
    return build_dashboard(load_spec(EXAMPLE / "metrics" / "codemirror-toggle.yaml"))


def test_intro_panel_names_ticket_and_responsible_person() -> None:
    intro = toggle()["panels"][0]
    assert intro["type"] == "text" and intro["gridPos"]["w"] == 24
    content = intro["options"]["content"]
    assert "[T300001](https://phabricator.wikimedia.org/T300001)" in content
    assert "Jane Doe (Technical Wishes)" in content
    assert "How often do people switch syntax highlighting" in content


def test_one_panel_per_view_no_stacking_tags_and_variables() -> None:
    dashboard = toggle()
    assert dashboard["tags"] == ["techwish", "wmde", "tallyflow"]
    graphs = [p for p in dashboard["panels"] if p["type"] == "timeseries"]
    assert [p["title"] for p in graphs[:2]] == [
        "Average activations per session — mean",
        "Average activations per session — total",
    ]
    assert len(graphs) == 10  # 5 graphs x (normalized + total)
    assert {p["fieldConfig"]["defaults"]["custom"]["stacking"]["mode"] for p in graphs} == {"none"}
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert set(variables) == {"graphite_ds", "editor", "wiki"}  # byEnabled is no variable
    assert variables["editor"]["type"] == "custom"
    assert variables["editor"]["query"] == "wikitext_2010,wikitext_2017"
    assert variables["wiki"]["type"] == "query"
    assert (
        variables["wiki"]["query"] == "MediaWiki.CodeMirror.toggles.byEditor.*.byEnabled.*.byWiki.*"
    )


def test_graphite_targets_normalize_and_total() -> None:
    targets = [p["targets"][0]["target"] for p in toggle()["panels"] if p["type"] == "timeseries"]
    toggles = "MediaWiki.CodeMirror.toggles.byEditor.$editor.byEnabled.true.byWiki.$wiki"
    sessions = "MediaWiki.CodeMirror.sessions.byEditor.$editor.byWiki.$wiki"
    assert targets[0] == (
        f"alias(divideSeries(sumSeries({toggles}), sumSeries({sessions})), 'Toggle per Sessions')"
    )
    assert targets[1] == f"alias(sumSeries({toggles}), 'Toggle')"
    assert targets[3] == f"aliasByNode(groupByNodes({toggles}, 'sum', 8), 0)"
    assert targets[4].startswith("aliasByNode(asPercent(groupByNodes(")
    assert "'sum', 4, 6)" in targets[4]


def test_prometheus_names_come_from_the_fixed_part_of_the_path() -> None:
    spec = load_spec(EXAMPLE / "metrics" / "codemirror-toggle.yaml").spec
    assert prometheus_name(spec.metrics[0]) == "mediawiki_codemirror_toggles"


def test_promql_targets_parse_with_promtool(spec_file: SpecFile, tmp_path: Path) -> None:
    """Each PromQL expression, with Grafana's variables filled in, is checked by Prometheus's
    own parser (promtool, Debian's prometheus package)."""
    promtool = shutil.which("promtool")
    if promtool is None:
        skip_unless_ci("promtool (Debian package prometheus) is not installed")
    dashboard = build_dashboard(spec_file, "prometheus")
    exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    assert exprs
    rules = [
        {"record": f"tallyflow:check_{i}", "expr": re.sub(r"\$\w+", ".*", e)}
        for i, e in enumerate(exprs)
    ]
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    result = subprocess.run(
        [str(promtool), "check", "rules", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(rules)} rules found" in result.stdout


@pytest.mark.parametrize("source", ["graphite", "prometheus"])
def test_grafana_model_reads_the_dashboard_back_unchanged(
    spec_file: SpecFile, source: Datasource
) -> None:
    """The SDK's dashboard model (generated from Grafana's own schema) imports the JSON and
    writes it back identically: nothing is dropped or renamed on import."""
    dashboard = build_dashboard(spec_file, source)
    model = DashboardModel.from_json(dashboard)
    assert json.loads(json.dumps(model, cls=JSONEncoder)) == dashboard


def test_deprecated_spec_gets_a_banner() -> None:
    sf = load_spec(EXAMPLE / "metrics" / "codemirror-toggle.yaml")
    deprecated = SpecFile(
        sf.path, sf.spec.model_copy(update={"status": "deprecated"}), sf.locations
    )
    content = build_dashboard(deprecated)["panels"][0]["options"]["content"]
    assert content.startswith(
        "> **Deprecated:** these metrics are removed on 2027-09-30 (T300002)."
    )
    assert "Deprecated" not in toggle()["panels"][0]["options"]["content"]
