from datetime import date
from pathlib import Path

from tallyflow.project import load_project
from tallyflow.spec.lifecycle import format_plan, plan
from tallyflow.spec.load import load_specs

STAGES = ["visualization", "aggregation", "collection", "bookkeeping"]


def test_nothing_due_before_the_window(example_project: Path) -> None:
    project = load_project(example_project)
    assert plan(project, load_specs(project), date(2026, 11, 28), within=30) == []
    assert format_plan([]) == "nothing is due for deprecation\n"


def test_passed_sunset_gives_the_checklist_in_the_seeds_order(example_project: Path) -> None:
    project = load_project(example_project)
    [due] = plan(project, load_specs(project), date(2027, 2, 10), within=30)
    assert due.spec.path.name == "reference-previews-baseline.yaml"
    assert "passed 10 days ago" in due.reason
    stages = [step.stage for step in due.steps]
    assert stages == sorted(stages, key=STAGES.index)  # visualization, aggregation, collection
    actions = "\n".join(step.action for step in due.steps)
    root = example_project.resolve()
    assert str(root / "dashboards" / "reference-previews-baseline.json") in actions
    assert f"{root / 'reports' / 'reference-previews' / 'config.yaml'}: reports.baseline" in actions
    assert f"{root / 'streams.yaml'}:6" in actions
    assert str(root / "schemas" / "analytics" / "reference_previews" / "baseline") in actions
    assert "close T300011" in actions


def test_window_lists_upcoming_sunsets_and_shared_streams_are_kept(
    example_project: Path,
) -> None:
    toggle = example_project / "metrics" / "codemirror-toggle.yaml"
    text = toggle.read_text().replace("status: active", "status: deprecated")
    (example_project / "metrics" / "toggle-copy.yaml").write_text(
        text.replace("sunset: 2027-09-30", "sunset: 2030-01-01").replace(
            "status: deprecated", "status: active"
        )
    )
    toggle.write_text(text)
    project = load_project(example_project)
    due = plan(project, load_specs(project), date(2026, 11, 28), within=90)
    assert [d.spec.path.name for d in due] == [
        "codemirror-toggle.yaml",
        "reference-previews-baseline.yaml",
    ]
    assert due[0].reason == "marked deprecated"
    assert any(
        s.action == "keep stream codemirror.toggle: still used by toggle-copy.yaml"
        for s in due[0].steps
    )
    assert "in 64 days" in due[1].reason
