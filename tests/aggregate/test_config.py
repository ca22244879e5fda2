from __future__ import annotations

from pathlib import Path

import pytest

from tallyflow.aggregate.config import read_explode_values, read_query_folder
from tallyflow.errors import ConfigError


def folder(tmp_path: Path, config: str, files: dict[str, str] | None = None) -> Path:
    (tmp_path / "config.yaml").write_text(config)
    for name, text in (files or {}).items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


HIVE = "reports:\n  r:\n    type: hive\n    granularity: days\n    starts: 2021-01-01\n"


def test_defaults_and_reference_keys_are_read(tmp_path: Path) -> None:
    config = (
        "defaults: {type: hive, granularity: weeks, lag: 86400}\n"
        "reports:\n"
        "  r:\n    starts: '2021-01-06'\n    funnel: true\n    max_data_points: 3\n"
        "    execute: hive/q\n    explode_by: {wiki: 'enwiki, dewiki'}\n"
    )
    result = read_query_folder(folder(tmp_path, config, {"hive/q.hql": "SELECT 1"}))
    assert result.errors == {}
    (report,) = result.reports
    assert (report.type, report.spec.granularity, report.spec.lag) == ("hive", "weeks", 86400)
    assert report.template == "SELECT 1" and report.explode == {"wiki": ["enwiki", "dewiki"]}


def test_unknown_report_key_fails_that_report_with_a_suggestion(tmp_path: Path) -> None:
    config = (
        HIVE + "    granulariy: days\n  ok:\n    type: hive\n    granularity: days\n"
        "    starts: 2021-01-01\n"
    )
    result = read_query_folder(folder(tmp_path, config, {"r.hql": "x", "ok.hql": "x"}))
    assert [r.key for r in result.reports] == ["ok"]
    assert (
        "config.yaml:6" in result.errors["r"] and "did you mean 'granularity'" in result.errors["r"]
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("    lag: 1.5\n", "lag"),
        ("    lag: true\n", "lag"),
        ("    max_data_points: 0\n", "max_data_points"),
        ("    explode_by: {v: 1.28}\n", "explode_by"),
        ("    graphite: {path: x, metrics: [a]}\n", "graphite.metrics"),
    ],
)
def test_values_are_validated_as_the_reference_does(
    tmp_path: Path, line: str, message: str
) -> None:
    result = read_query_folder(folder(tmp_path, HIVE + line, {"r.hql": "x"}))
    assert message in result.errors["r"]


def test_missing_template_and_non_executable_script_are_clear(tmp_path: Path) -> None:
    config = HIVE + "  s:\n    type: script\n    granularity: days\n    starts: 2021-01-01\n"
    result = read_query_folder(folder(tmp_path, config, {"s": "#!/bin/sh\n"}))
    assert "r.hql" in result.errors["r"]
    assert "chmod +x" in result.errors["s"]


def test_sql_report_needs_a_known_database(tmp_path: Path) -> None:
    config = "reports:\n  r:\n    db: nope\n    granularity: days\n    starts: 2021-01-01\n"
    result = read_query_folder(folder(tmp_path, config, {"r.sql": "x"}))
    assert "nope" in result.errors["r"]


def test_top_level_problems_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="reports"):
        read_query_folder(folder(tmp_path, "defaults: {}\n"))
    with pytest.raises(ConfigError, match="did you mean 'graphite'"):
        read_query_folder(folder(tmp_path, "graphit: {}\nreports: {}\n"))
    with pytest.raises(
        ConfigError, match="config.yaml:1: unknown key 'defaults.lags'; did you mean 'lag'"
    ):
        read_query_folder(folder(tmp_path, "defaults: {lags: 1}\nreports: {}\n"))
    with pytest.raises(ConfigError, match="graphite.port"):
        read_query_folder(folder(tmp_path, "graphite: {host: h, port: '2003'}\nreports: {}\n"))


def test_explode_values_inline_file_missing_file_empty_file_and_list(tmp_path: Path) -> None:
    (tmp_path / "wikis.txt").write_text("enwiki\n\ndewiki\n\n")
    (tmp_path / "empty.txt").write_text("")
    assert read_explode_values("a, b ,c", tmp_path) == ["a", "b", "c"]
    assert read_explode_values("wikis.txt", tmp_path) == ["enwiki", "", "dewiki"]
    assert read_explode_values("enwiki", tmp_path) == ["enwiki"]
    assert read_explode_values("empty.txt", tmp_path) is None
    assert read_explode_values(["x", "y"], tmp_path) == ["x", "y"]


def test_sql_report_may_name_a_database_configured_only_in_tallyflow_yaml(tmp_path: Path) -> None:
    config = "reports:\n  r:\n    db: local\n    granularity: days\n    starts: 2021-01-01\n"
    path = folder(tmp_path, config, {"r.sql": "x"})
    assert read_query_folder(path, profile_databases=["local"]).errors == {}
    assert read_query_folder(path, profile_databases=["default"]).errors == {}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT '{form_date}'", "unknown placeholder {form_date}"),
        ("SELECT x RLIKE '[0-9]{4}'", "positional placeholder {4}"),
        ("SELECT '{}'", "positional placeholder {}"),
        ("SELECT '{from_date'", "not a valid str.format template"),
    ],
)
def test_template_placeholders_are_checked_once_up_front(
    tmp_path: Path, query: str, message: str
) -> None:
    result = read_query_folder(folder(tmp_path, HIVE, {"r.hql": query}))
    assert message in result.errors["r"] and "{{" in result.errors["r"]


def test_explode_placeholders_and_escaped_braces_are_accepted(tmp_path: Path) -> None:
    config = HIVE + "    explode_by: {wiki: 'a, b'}\n"
    query = "SELECT '{from_date}', '{wiki}', x RLIKE '[0-9]{{4}}'"
    assert read_query_folder(folder(tmp_path, config, {"r.hql": query})).errors == {}
