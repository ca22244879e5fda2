"""`tallyflow spec check|render|lifecycle` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
import wikitextparser

from tallyflow.cli import main
from tests.spec.conftest import copy_example


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_example(tmp_path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    out = capsys.readouterr()
    return int(done.value.code or 0), out.out, out.err


def edit(path: Path, old: str, new: str) -> int:
    """Replace text in a file; the 1-based line it is on."""
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return text[: text.index(old)].count("\n") + 1


def test_check_passes_on_the_example(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "spec", "check", "-p", str(example), "--today", "2026-11-28")
    assert code == 0
    assert "2 spec(s) checked: 0 error(s), 0 warning(s)" in out


def test_undeclared_dimension_fails_with_file_line_and_fix(
    example: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = example / "metrics" / "codemirror-toggle.yaml"
    line = edit(
        spec,
        "byWiki.{wiki}\n    dimensions: [byEnabled",
        "bySkin.{skin}\n    dimensions: [byEnabled",
    )
    code, out, _ = run(capsys, "spec", "check", "-p", str(example), "--today", "2026-11-28")
    assert code == 1
    assert f"{spec.resolve()}:{line}: error [undeclared-dimension]" in out
    assert "{skin}" in out and "fix: declare a dimension with key `skin`" in out


def test_expired_sunset_fails(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "spec", "check", "-p", str(example), "--today", "2027-03-01")
    assert code == 1
    assert "error [sunset-passed] sunset date 2027-01-31 has passed (29 days ago)" in out


def test_unknown_key_exits_2_with_did_you_mean(
    example: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = example / "metrics" / "codemirror-toggle.yaml"
    line = edit(spec, "cleanup_ticket:", "clean_up_ticket:")
    code, _, err = run(capsys, "spec", "check", "-p", str(example))
    assert code == 2
    assert f"codemirror-toggle.yaml:{line}: unknown key 'clean_up_ticket'" in err
    assert "did you mean 'cleanup_ticket'?" in err


def test_render_wikitext_to_stdout(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "spec", "render", "-p", str(example), "--format", "wikitext")
    assert code == 0
    parsed = wikitextparser.parse(out)
    assert len(parsed.tables) == 6  # 3 tables x 2 specs
    assert parsed.tables[0].data()[1][0] == "byEditor"


def test_render_out_writes_documents_and_one_diagram_per_metric(
    example: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out_dir = tmp_path / "rendered"
    code, _, _ = run(
        capsys,
        "spec",
        "render",
        "-p",
        str(example),
        "--format",
        "html",
        "--out",
        str(out_dir),
    )
    assert code == 0
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == [
        "codemirror-toggle-events.svg",
        "codemirror-toggle-sessions.svg",
        "codemirror-toggle-toggle.svg",
        "codemirror-toggle.html",
        "reference-previews-baseline-footnoteclicks.svg",
        "reference-previews-baseline-pageviews.svg",
        "reference-previews-baseline.html",
    ]
    assert 'src="codemirror-toggle-toggle.svg"' in (out_dir / "codemirror-toggle.html").read_text()


def test_lifecycle_prints_the_checklist(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "spec", "lifecycle", "-p", str(example), "--today", "2027-02-01")
    assert code == 0
    assert (
        "reference-previews-baseline.yaml: Reference Previews baseline — sunset 2027-01-31 passed"
        in out
    )
    assert "1. [visualization] delete the dashboard" in out
    config = example.resolve() / "reports" / "reference-previews" / "config.yaml"
    baseline = example.resolve() / "reports" / "reference-previews" / "baseline.hql"
    assert (
        f"[aggregation] remove the report entry {config}:15: reports.baseline "
        f"and its query {baseline}" in out
    )
    code, out, _ = run(capsys, "spec", "lifecycle", "-p", str(example), "--today", "2026-06-01")
    assert out == "nothing is due for deprecation\n"
