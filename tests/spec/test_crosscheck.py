"""The closed loop: each broken link between spec, streams, schemas and dashboards is found,
named with its file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tallyflow.cli import main
from tallyflow.project import load_project
from tallyflow.spec.crosscheck import (
    GraphiteMapping,
    QuerySource,
    context,
    crosscheck,
    query_findings,
    unproduced_metrics,
)
from tallyflow.spec.findings import Finding
from tallyflow.spec.load import load_specs


def findings(root: Path) -> list[Finding]:
    project = load_project(root)
    return crosscheck(project, load_specs(project))


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_the_example_agrees(example_project: Path) -> None:
    assert findings(example_project) == []


def test_stream_missing_from_streams_yaml(example_project: Path) -> None:
    replace(example_project / "streams.yaml", "codemirror.toggle:", "codemirror.toggles:")
    [finding] = findings(example_project)
    assert finding.rule == "stream-missing"
    spec = (example_project / "metrics" / "codemirror-toggle.yaml").resolve()
    assert finding.where == f"{spec}:16"
    assert "codemirror.toggle is not in" in finding.message


def test_sampling_and_schema_title_must_match_the_stream_config(example_project: Path) -> None:
    streams = example_project / "streams.yaml"
    replace(streams, "{rate: 0.0625, unit: session}", "{rate: 0.125, unit: session}")
    replace(streams, "schema_title: analytics/codemirror/toggle", "schema_title: analytics/x")
    rules = sorted(f.rule for f in findings(example_project))
    assert rules == ["stream-sampling", "stream-schema"]


def test_missing_and_invalid_schemas(example_project: Path) -> None:
    latest = example_project / "schemas" / "analytics" / "codemirror" / "toggle" / "latest"
    latest.unlink()
    [missing] = findings(example_project)
    assert missing.rule == "schema-missing" and "analytics/codemirror/toggle" in missing.message
    previews = example_project / "schemas" / "analytics" / "reference_previews" / "baseline"
    replace(previews / "1.0.0.yaml", "type: object\n", "type: 5\n")
    rules = [f.rule for f in findings(example_project)]
    assert rules == ["schema-missing", "schema-invalid"]


def test_spec_fields_must_be_in_the_schema(example_project: Path) -> None:
    spec = example_project / "metrics" / "codemirror-toggle.yaml"
    replace(spec, "fields: [editor,", "fields: [editor_name,")
    replace(spec, "    field: wiki\n", "    field: event.wiki_db\n")
    found = findings(example_project)
    assert [f.rule for f in found] == ["schema-field", "schema-field"]
    assert "field editor_name is not in schema analytics/codemirror/toggle" in found[0].message


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


def test_metric_paths_must_be_produced_by_a_report_or_a_counter(example_project: Path) -> None:
    project = load_project(example_project)
    specs = load_specs(project)
    ctx = context(project, specs)
    mappings = [
        GraphiteMapping(
            "c.yaml:3",
            "toggles",
            "MediaWiki.CodeMirror.toggles.byEditor.{editor}.byEnabled.{enabled}.byWiki.{wiki}",
        ),
        GraphiteMapping(
            "c.yaml:9", "sessions", "MediaWiki.CodeMirror.sessions.byEditor.{editor}.byWiki.{wiki}"
        ),
        GraphiteMapping("r.yaml:3", "baseline", "reference_previews.baseline.pageviews.{wiki}"),
    ]
    [missing] = unproduced_metrics(ctx, mappings)
    assert missing.rule == "metric-unproduced"
    assert "reference_previews.baseline.footnote_clicks.{wiki}" in missing.message
    assert "closest: reference_previews.baseline.pageviews.{wiki} (r.yaml:3" in missing.message
    spec = (example_project / "metrics" / "reference-previews-baseline.yaml").resolve()
    assert missing.where.startswith(f"{spec}:")
    # a declared StatsD counter produces it too
    text = spec.read_text().replace(
        "related_sampling:",
        "counters:\n  - name: reference_previews.baseline.footnote_clicks.{wiki}\n"
        "related_sampling:",
    )
    spec.write_text(text)
    assert unproduced_metrics(context(project, load_specs(project)), mappings) == []


def hql(root: Path, name: str, folder: str = "codemirror") -> str:
    text = (root / "reports" / folder / f"{name}.hql").read_text()
    return text.format(from_date="2026-02-20", year="2026", month="02", day="20")


def queries(root: Path) -> list[QuerySource]:
    return [
        QuerySource(
            root / "reports" / "codemirror" / "toggles.hql", "toggles", hql(root, "toggles"), "hive"
        ),
        QuerySource(
            root / "reports" / "reference-previews" / "baseline.hql",
            "baseline",
            hql(root, "baseline", "reference-previews"),
            "hive",
        ),
    ]


def test_example_queries_read_existing_columns(example_project: Path) -> None:
    project = load_project(example_project)
    ctx = context(project, load_specs(project))
    assert query_findings(ctx, queries(example_project)) == []


def test_broken_column_names_the_query_the_column_and_the_table(example_project: Path) -> None:
    path = example_project / "reports" / "codemirror" / "toggles.hql"
    path.write_text(path.read_text().replace("    editor,\n", "    editr,\n"))
    project = load_project(example_project)
    [finding] = query_findings(context(project, load_specs(project)), queries(example_project))
    assert finding.rule == "query-column"
    line = path.read_text().splitlines().index("    editr,") + 1
    assert finding.where == f"{path}:{line}"
    assert "reads column editr, which table event.codemirror_toggle (stream codemirror.toggle)" in (
        finding.message
    )
    assert finding.fix.startswith("did you mean editor?")


def test_unknown_event_table(example_project: Path) -> None:
    path = example_project / "reports" / "codemirror" / "toggles.hql"
    path.write_text(path.read_text().replace("event.codemirror_toggle", "event.codemirror_toggles"))
    project = load_project(example_project)
    found = query_findings(context(project, load_specs(project)), queries(example_project))
    assert [f.rule for f in found] == ["query-table"]
    assert "event.codemirror_toggle," in found[0].fix
