from pathlib import Path

import pytest

from tallyflow.errors import ConfigError
from tallyflow.project import load_project
from tallyflow.spec.load import load_spec, load_specs
from tests.spec.conftest import TOGGLE


def test_example_spec_loads_with_the_seeds_toggle_metric() -> None:
    sf = load_spec(TOGGLE)
    toggle = sf.spec.metric("Toggle")
    assert toggle is not None
    assert toggle.dimensions == ["byEnabled", "byWiki", "byEditor"]
    assert toggle.normalization == "per session (not per user)"
    assert [d.placeholder for d in sf.spec.dimensions] == ["editor", "enabled", "wiki"]
    assert sf.spec.dimension("byEnabled").value_list == ["true", "false"]  # type: ignore[union-attr]
    assert sf.id == "codemirror-toggle"


def test_unknown_nested_key_names_file_line_and_closest_key(tmp_path: Path) -> None:
    text = TOGGLE.read_text().replace("        show: [percent, total]", "        shwo: [total]", 1)
    path = tmp_path / "toggle.yaml"
    path.write_text(text)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "shwo:" in t)
    with pytest.raises(ConfigError) as caught:
        load_spec(path)
    message = caught.value.message
    assert f"{path}:{line}" in message
    assert "metrics.0.graphs.2.shwo" in message
    assert "did you mean 'show'" in message
    assert caught.value.exit_code == 2


def test_wrong_type_names_key_and_line(tmp_path: Path) -> None:
    path = tmp_path / "toggle.yaml"
    path.write_text(TOGGLE.read_text().replace("deploy: 2026-02-16", "deploy: soon"))
    with pytest.raises(ConfigError) as caught:
        load_spec(path)
    assert f"{path}:11: deploy:" in caught.value.message


def test_project_without_specs_says_where_to_write_them(project_dir: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_specs(load_project(project_dir))
    assert "metrics" in caught.value.message and caught.value.hint
