"""Closed loop, visualization: generated dashboards and their targets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tallyflow.cli import main
from tests.spec.conftest import findings, replace


def test_hand_edited_or_orphaned_dashboards(example_project: Path) -> None:
    dashboards = example_project / "dashboards"
    replace(dashboards / "codemirror-toggle.json", '"now-90d"', '"now-7d"')
    orphan = json.loads((dashboards / "reference-previews-baseline.json").read_text())
    (dashboards / "old-feature.json").write_text(json.dumps({**orphan, "uid": "tallyflow-old"}))
    found = findings(example_project)
    assert [f.rule for f in found] == ["dashboard-stale", "dashboard-stale"]
    assert (
        "codemirror-toggle.json:" in found[0].where and "tallyflow dashboards build" in found[0].fix
    )
    assert "tallyflow-old has no spec" in found[1].message


def test_panel_target_reading_an_undeclared_metric(example_project: Path) -> None:
    path = example_project / "dashboards" / "codemirror-toggle.json"
    replace(
        path,
        "alias(sumSeries(MediaWiki.CodeMirror.toggles.",
        "alias(sumSeries(MediaWiki.CodeMirror.togles.",
    )
    rules = [f for f in findings(example_project) if f.rule == "dashboard-target"]
    assert len(rules) == 1
    assert (
        "MediaWiki.CodeMirror.togles.byEditor.$editor.byEnabled.true.byWiki.$wiki"
        in rules[0].message
    )
    line = path.read_text()[: path.read_text().index("togles")].count("\n") + 1
    assert rules[0].where == f"{path.resolve()}:{line}"


def test_promql_targets_are_checked_too(example_project: Path) -> None:

    with pytest.raises(SystemExit):
        main(["dashboards", "build", "-p", str(example_project), "--datasource", "prometheus"])
    assert findings(example_project) == []
    path = example_project / "dashboards" / "reference-previews-baseline.json"
    replace(path, "(reference_previews_baseline_pageviews{", "(reference_previews_pageviews{")
    found = [f.rule for f in findings(example_project)]
    assert found == ["dashboard-stale", "dashboard-target"]
