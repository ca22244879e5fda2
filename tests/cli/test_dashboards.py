"""`tallyflow dashboards build`: files that validate against Grafana's schema, rebuilt
byte-identically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tallyflow.cli import main
from tests.spec.conftest import copy_example
from tests.visualize.test_grafana import problems


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_example(tmp_path)


def build(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as done:
        main(["dashboards", "build", *args])
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("source", ["graphite", "prometheus"])
def test_build_writes_valid_dashboards(
    example: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    source: str,
) -> None:
    out = tmp_path / "out"
    build(capsys, "-p", str(example), "--out", str(out), "--datasource", source)
    files = sorted(out.glob("*.json"))
    assert [f.name for f in files] == ["codemirror-toggle.json", "reference-previews-baseline.json"]
    for file in files:
        assert problems(json.loads(file.read_text())) == []


def test_default_folder_and_unchanged_rebuild(
    example: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = example / "dashboards"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    output = build(capsys, "-p", str(example))
    assert output.count("unchanged ") == 2
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
