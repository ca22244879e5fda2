"""The report index: the example's folders read with the aggregation stage's reader, and the
checks over it."""

from __future__ import annotations

from pathlib import Path

from tallyflow.project import load_project
from tallyflow.spec.report_index import (
    build_report_index,
    check_graphite_columns,
    check_metrics_produced,
    check_report_config,
)
from tests.spec.conftest import findings, replace


def test_the_index_reads_the_example_report_folders(example_project: Path) -> None:
    index = build_report_index(load_project(example_project))
    assert index.problems == []
    assert [q.report for q in index.queries] == ["toggles", "sessions", "baseline"]
    toggles = index.mappings[0]
    assert toggles.template == (
        "MediaWiki.CodeMirror.toggles.byEditor.{editor}.byEnabled.{enabled}.byWiki.{wiki}"
    )
    assert toggles.outputs == ("date", "wiki", "editor", "enabled", "toggles")
    config = example_project.resolve() / "reports" / "codemirror" / "config.yaml"
    line = (
        config.read_text().splitlines().index("        MediaWiki.CodeMirror.toggles: toggles") + 1
    )
    assert toggles.where == f"{config}:{line}"


def test_a_renamed_graphite_metric_leaves_the_spec_metric_unproduced(example_project: Path) -> None:
    config = example_project / "reports" / "codemirror" / "config.yaml"
    replace(
        config, "MediaWiki.CodeMirror.sessions: sessions", "MediaWiki.CodeMirror.session: sessions"
    )
    [finding] = findings(example_project, check_metrics_produced)
    assert finding.rule == "metric-unproduced"
    assert "MediaWiki.CodeMirror.sessions.byEditor.{editor}.byWiki.{wiki}" in finding.message


def test_graphite_mapping_must_name_result_columns(example_project: Path) -> None:
    config = example_project / "reports" / "codemirror" / "config.yaml"
    replace(config, "MediaWiki.CodeMirror.toggles: toggles", "MediaWiki.CodeMirror.toggles: toggle")
    replace(config, ".byEnabled.{enabled}.byWiki", ".byEnabled.{enabld}.byWiki")
    found = findings(example_project, check_graphite_columns)
    assert [f.rule for f in found] == ["report-graphite", "report-graphite"]
    assert "sends value column toggle, which its query" in found[0].message
    assert "toggles.hql) does not return" in found[0].message
    assert "sends path placeholder enabld" in found[1].message


def test_report_config_errors_become_findings(example_project: Path) -> None:
    config = example_project / "reports" / "reference-previews" / "config.yaml"
    replace(config, "    granularity: days", "    granularty: days")
    found = findings(example_project, check_report_config)
    assert [f.rule for f in found] == ["report-config"]
    assert found[0].where.startswith(str(config.resolve()))
    assert "granularty" in found[0].message


def test_unknown_placeholder_in_a_query(example_project: Path) -> None:
    query = example_project / "reports" / "codemirror" / "sessions.hql"
    replace(query, "day = {day}", "day = {dya}")
    [finding] = findings(example_project, check_report_config)
    assert finding.rule == "report-config" and "{dya}" in finding.message
