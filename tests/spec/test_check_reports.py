"""Closed loop, aggregation: report configs, queries and Graphite mappings."""

from __future__ import annotations

from pathlib import Path

from tallyflow.project import load_project
from tallyflow.spec.check_reports import (
    GraphiteMapping,
    QuerySource,
    graphite_column_findings,
    query_findings,
    report_entries,
    unproduced_metrics,
)
from tallyflow.spec.crosscheck import context
from tallyflow.spec.load import load_specs


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


def test_graphite_columns_must_be_query_results() -> None:
    mapping = GraphiteMapping(
        "c.yaml:5",
        "toggles",
        "M.toggles.byEditor.{editor}.byWiki.{wiki}.{ver}",
        column="toggle",
        explode=("ver",),
        outputs=("date", "wiki", "editor", "toggles"),
        query="toggles.hql",
    )
    [finding] = graphite_column_findings([mapping])
    assert finding.where == "c.yaml:5" and "value column toggle" in finding.message
    unknown = GraphiteMapping("c.yaml:5", "t", "M.{x}", column="n", outputs=None)
    assert graphite_column_findings([unknown]) == []


def test_report_entries_name_the_mapping_and_the_query(example_project: Path) -> None:
    project = load_project(example_project)
    [toggle, previews] = load_specs(project)
    mapping = GraphiteMapping(
        "c.yaml:22",
        "sessions",
        "MediaWiki.CodeMirror.sessions.byEditor.{editor}.byWiki.{wiki}",
        query="sessions.hql",
    )
    assert report_entries([mapping], toggle) == [
        "c.yaml:22: reports.sessions and its query sessions.hql"
    ]
    assert report_entries([mapping], previews) == []
