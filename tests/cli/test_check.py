"""`tallyflow check` on the example project, whole and broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from tallyflow.cli import main
from tests.spec.conftest import copy_example


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_example(tmp_path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main(["check", *args])
    return int(done.value.code or 0), capsys.readouterr().out


def test_check_passes_on_the_example(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "-p", str(example), "--today", "2026-11-28")
    assert code == 0, out
    assert "checked 2 spec(s)" in out and "0 error(s)" in out


def test_check_fails_on_lint_and_drift(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    streams = example / "streams.yaml"
    streams.write_text(streams.read_text().replace("reference_previews.baseline:", "refprev:"))
    code, out = run(capsys, "-p", str(example), "--today", "2027-03-01")
    assert code == 1
    assert "error [sunset-passed]" in out
    assert "error [stream-missing] stream reference_previews.baseline is not in" in out


def test_broken_column_names_the_query_the_column_and_the_table(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    query = example / "reports" / "codemirror" / "sessions.hql"
    query.write_text(
        query.read_text().replace("COUNT(DISTINCT session_token)", "COUNT(DISTINCT session_id)")
    )
    code, out = run(capsys, "-p", str(example), "--today", "2026-11-28")
    assert code == 1
    line = (
        query.read_text().splitlines().index("    COUNT(DISTINCT session_id) * 16 AS sessions") + 1
    )
    assert (
        f"{query.resolve()}:{line}: error [query-column] query of report sessions reads column "
        "session_id, which table event.codemirror_toggle (stream codemirror.toggle) does not have"
    ) in out
    assert "fix: did you mean session_token?" in out
