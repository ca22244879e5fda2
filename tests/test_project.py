from pathlib import Path

import pytest

from tallyflow.errors import ConfigError
from tallyflow.project import load_project, parse_size


def write(root: Path, text: str) -> None:
    (root / "tallyflow.yaml").write_text(text)


def test_empty_file_gives_every_default(project_dir: Path) -> None:
    project = load_project(project_dir)
    assert project.settings.intake.port == 8192
    assert project.settings.intake.max_body_size == 4 * 1024 * 1024
    assert project.settings.statsd.port == 8125
    assert project.store_root == (project_dir / ".tallyflow").resolve()
    assert project.schema_paths == [(project_dir / "schemas").resolve()]


def test_missing_file_names_it_and_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path)
    assert str(tmp_path / "tallyflow.yaml") in caught.value.message
    assert caught.value.hint is not None and "tallyflow init" in caught.value.hint
    assert caught.value.exit_code == 2


def test_unknown_key_names_file_line_path_and_closest_key(project_dir: Path) -> None:
    write(project_dir, "intake:\n  host: 0.0.0.0\n  prot: 9000\n")
    with pytest.raises(ConfigError) as caught:
        load_project(project_dir)
    message = caught.value.message
    assert f"{project_dir / 'tallyflow.yaml'}:3" in message
    assert "intake.prot" in message
    assert "did you mean 'port'" in message


def test_wrong_type_names_key_and_value(project_dir: Path) -> None:
    write(project_dir, "statsd:\n  port: eighty\n")
    with pytest.raises(ConfigError) as caught:
        load_project(project_dir)
    assert "statsd.port" in caught.value.message
    assert "'eighty'" in caught.value.message
    assert ":2" in caught.value.message


def test_bad_yaml_names_the_line(project_dir: Path) -> None:
    write(project_dir, "intake:\n  port: [1, 2\n")
    with pytest.raises(ConfigError) as caught:
        load_project(project_dir)
    assert "tallyflow.yaml:" in caught.value.message
    assert "not valid YAML" in caught.value.message


def test_profile_overrides_settings(project_dir: Path) -> None:
    write(
        project_dir,
        "graphite:\n  host: graphite.prod\nprofiles:\n  local:\n    graphite:\n      host: null\n",
    )
    assert load_project(project_dir).settings.graphite.host == "graphite.prod"
    assert load_project(project_dir, profile="local").settings.graphite.host is None


def test_unknown_profile_suggests_closest(project_dir: Path) -> None:
    write(project_dir, "profiles:\n  local: {}\n")
    with pytest.raises(ConfigError, match="did you mean 'local'"):
        load_project(project_dir, profile="lokal")


def test_profile_errors_are_checked_like_the_file(project_dir: Path) -> None:
    write(project_dir, "profiles:\n  local:\n    intake:\n      workerz: 2\n")
    with pytest.raises(ConfigError, match="did you mean 'workers'"):
        load_project(project_dir, profile="local")


@pytest.mark.parametrize(
    ("text", "size"),
    [("4mb", 4 * 1024**2), ("100kb", 100 * 1024), ("512", 512), ("1.5kb", 1536), (7, 7)],
)
def test_sizes_read_like_eventgate(text: str | int, size: int) -> None:
    assert parse_size(text) == size


def test_bad_size_is_a_config_error(project_dir: Path) -> None:
    write(project_dir, "intake:\n  max_body_size: lots\n")
    with pytest.raises(ConfigError, match="intake.max_body_size"):
        load_project(project_dir)
