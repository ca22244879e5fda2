import subprocess
import sys
from pathlib import Path

import pytest

from tallyflow.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tallyflow", *args], capture_output=True, text=True, check=False
    )


def test_help_lists_every_command_of_the_design() -> None:
    result = run("--help")
    assert result.returncode == 0
    for name in (
        "init",
        "up",
        "serve",
        "events",
        "query",
        "reports",
        "schemas",
        "spec",
        "dashboards",
        "check",
    ):
        assert f"  {name} " in result.stdout


def test_config_error_exits_2_with_message_and_hint(tmp_path: Path) -> None:
    result = run("query", "select 1", "-p", str(tmp_path))
    assert result.returncode == 2
    assert "error:" in result.stderr and "tallyflow.yaml" in result.stderr
    assert "hint:" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_error_exits_2() -> None:
    assert run("serve", "nothing").returncode == 2


def test_unknown_key_exits_2_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "tallyflow.yaml").write_text("stroe: x\n")
    with pytest.raises(SystemExit) as done:
        main(["query", "select 1", "-p", str(tmp_path)])
    assert done.value.code == 2
    assert "did you mean 'store'" in capsys.readouterr().err
