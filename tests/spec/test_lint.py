"""Each lint rule: silent on the example, and firing (with file:line and a fix) when broken."""

from datetime import date
from pathlib import Path
from typing import Any

from tallyflow.spec.findings import Finding
from tallyflow.spec.lint import LintContext, add_month, lint
from tallyflow.spec.load import load_spec
from tests.spec.conftest import WriteSpec

TODAY = date(2026, 11, 28)


def findings(path: Path, today: date = TODAY, **context: Any) -> list[Finding]:
    return lint([load_spec(path)], LintContext(today=today, **context))


def rules(path: Path, **context: Any) -> list[str]:
    return [f.rule for f in findings(path, **context)]


def line_of(path: Path, text: str) -> int:
    return next(n for n, t in enumerate(path.read_text().splitlines(), 1) if text in t)


def test_the_example_passes_every_rule(write_spec: WriteSpec) -> None:
    assert findings(write_spec()) == []


def test_add_month_clamps_to_the_month_end() -> None:
    assert add_month(date(2026, 1, 31)) == date(2026, 2, 28)
    assert add_month(date(2026, 12, 5)) == date(2027, 1, 5)


def test_baseline_shorter_than_a_month_fails(write_spec: WriteSpec) -> None:
    path = write_spec(lambda d: d.update(baseline_start=date(2026, 2, 1)))
    [finding] = findings(path)
    assert finding.rule == "baseline-too-short"
    assert finding.where == f"{path}:{line_of(path, 'baseline_start:')}"
    assert "15 days" in finding.message


def test_deploy_without_baseline_fails(write_spec: WriteSpec) -> None:
    path = write_spec(lambda d: d.pop("baseline_start"))
    assert rules(path) == ["baseline-too-short"]


def test_temporary_without_sunset_or_cleanup_ticket_fails(write_spec: WriteSpec) -> None:
    path = write_spec(lambda d: d.pop("cleanup_ticket"))
    [finding] = findings(path)
    assert finding.rule == "temporary-without-sunset"
    assert "cleanup_ticket" in finding.message
    long_term = write_spec(lambda d: (d.pop("cleanup_ticket"), d.update(term="long-term")))
    assert rules(long_term) == []


def test_passed_sunset_fails_until_retired(write_spec: WriteSpec) -> None:
    path = write_spec(lambda d: d.update(sunset=date(2026, 10, 1)))
    [finding] = findings(path)
    assert finding.rule == "sunset-passed"
    assert finding.where.endswith(f":{line_of(path, 'sunset:')}")
    assert "58 days ago" in finding.message and "lifecycle" in finding.fix
    assert rules(write_spec(lambda d: d.update(sunset=date(2026, 10, 1), status="retired"))) == []


def test_new_spec_on_a_legacy_eventlogging_stream_fails(write_spec: WriteSpec) -> None:
    def legacy(d: dict[str, Any]) -> None:
        d.update(status="planned")
        d["streams"][0].update(name="eventlogging_CodeMirrorUsage")
        d["streams"][0].pop("schema_title")

    path = write_spec(legacy)
    [finding] = findings(path)
    assert finding.rule == "legacy-schema"
    assert "eventlogging_CodeMirrorUsage" in finding.message
    # the schema title from streams.yaml counts too
    modern_name = write_spec(lambda d: (legacy(d), d["streams"][0].update(name="cm.usage")))
    assert rules(modern_name) == []
    assert rules(modern_name, stream_schema=lambda s: "analytics/legacy/codemirrorusage") == [
        "legacy-schema"
    ]


def test_deployed_spec_on_a_legacy_stream_is_not_new(write_spec: WriteSpec) -> None:
    path = write_spec(lambda d: d["streams"][0].update(name="eventlogging_CodeMirrorUsage"))
    assert rules(path) == []


def test_per_event_sampling_fails(write_spec: WriteSpec) -> None:
    path = write_spec(lambda d: d["streams"][0]["sample"].update(unit="event"))
    [finding] = findings(path)
    assert finding.rule == "per-event-sampling"
    assert "unit: session" in finding.fix


def test_sampling_far_from_related_features_warns(write_spec: WriteSpec) -> None:
    path = write_spec(lambda d: d["streams"][0]["sample"].update(rate=0.5))
    [finding] = findings(path)
    assert (finding.rule, finding.severity) == ("sampling-mismatch", "warning")
    assert "VisualEditor" in finding.message and "8x" in finding.message
    close = write_spec(lambda d: d["streams"][0]["sample"].update(rate=0.125))
    assert rules(close) == []


def test_sampling_is_compared_with_the_projects_other_specs(write_spec: WriteSpec) -> None:
    def no_related(rate: float) -> Any:
        return lambda d: (d.pop("related_sampling"), d["streams"][0]["sample"].update(rate=rate))

    one = load_spec(write_spec(no_related(0.01), name="one"))
    other = load_spec(write_spec(no_related(0.5), name="two"))
    found = lint([one, other], LintContext(today=TODAY))
    assert [f.rule for f in found] == ["sampling-mismatch", "sampling-mismatch"]


def test_dimension_in_path_but_not_declared_fails(write_spec: WriteSpec) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["metrics"][0]["path"] += ".bySkin.{skin}"

    path = write_spec(edit)
    [finding] = findings(path)
    assert finding.rule == "undeclared-dimension"
    assert "{skin}" in finding.message
    assert finding.where.endswith(f":{line_of(path, 'path: MediaWiki.CodeMirror.toggles')}")


def test_metric_dimension_not_declared_and_graph_by_fail(write_spec: WriteSpec) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["metrics"][0]["dimensions"].append("bySkin")
        d["metrics"][1]["graphs"][0]["by"] = ["byEnabled"]

    messages = [f.message for f in findings(write_spec(edit))]
    assert any("dimension bySkin, which is not declared" in m for m in messages)
    assert any("by names byEnabled, not a dimension of metric Sessions" in m for m in messages)


def test_invasive_fields_in_long_term_metrics_fail(write_spec: WriteSpec) -> None:
    def edit(d: dict[str, Any]) -> None:
        d.update(term="long-term")
        d["streams"][0]["fields"] += ["user_id", "user_edit_count_bucket", "event.edit_count"]

    found = findings(write_spec(edit))
    assert [f.rule for f in found] == ["invasive-field", "invasive-field"]
    assert "user_id" in found[0].message and "edit_count" in found[1].message
    temporary = write_spec(lambda d: d["streams"][0]["fields"].append("user_id"))
    assert rules(temporary) == []


def test_graph_without_normalized_and_total_views_fails(write_spec: WriteSpec) -> None:
    path = write_spec(lambda d: d["metrics"][0]["graphs"][0].update(show=["total"]))
    [finding] = findings(path)
    assert finding.rule == "graph-views"
    assert "normalized view" in finding.message
    only_mean = write_spec(lambda d: d["metrics"][0]["graphs"][0].update(show=["mean"]))
    assert "total view" in findings(only_mean)[0].message


def test_mean_needs_a_denominator_with_the_split(write_spec: WriteSpec) -> None:
    no_denominator = write_spec(lambda d: d["metrics"][0].pop("denominator"))
    assert set(rules(no_denominator)) == {"graph-views"}

    def split(d: dict[str, Any]) -> None:
        d["metrics"][0]["graphs"][1]["by"] = ["byEnabled"]
        d["metrics"][0]["graphs"][1]["where"] = {}

    [finding] = findings(write_spec(split))
    assert "denominator Sessions has no such dimension" in finding.message


def test_unknown_denominator_and_duplicate_names_fail(write_spec: WriteSpec) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["metrics"][0]["denominator"] = "Sesions"
        d["dimensions"].append(dict(d["dimensions"][0]))

    messages = [f.message for f in findings(write_spec(edit)) if f.rule == "unknown-reference"]
    assert any("Sesions" in m for m in messages)
    assert any("dimension byEditor is declared twice" in m for m in messages)
