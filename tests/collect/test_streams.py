from pathlib import Path

import pytest

from tallyflow.collect.streams import load_streams
from tallyflow.errors import ConfigError

FIXTURE = Path(__file__).parents[1] / "fixtures" / "eventgate" / "schemas"


def test_eventgate_fixture_exact_and_regex_keys() -> None:
    streams = load_streams(FIXTURE / "stream-config.test.yaml")
    config = streams.lookup("test.event")
    assert config is not None and config.schema_title == "test"
    draft4 = streams.lookup("test_draft4.event")
    assert draft4 is not None and draft4.schema_title == "test_draft4"
    assert streams.lookup("nope.test.event") is None
    assert streams.names() == ["test.event"]


def test_first_matching_key_wins_and_regex_is_unanchored(tmp_path: Path) -> None:
    path = tmp_path / "streams.yaml"
    path.write_text(
        "/client/:\n  schema_title: a\nmediawiki.client.x:\n  schema_title: b\n"
        "eventlogging_Foo:\n  sample: {rate: 0.0625, unit: session}\n  retention_days: 30\n"
    )
    streams = load_streams(path)
    config = streams.lookup("mediawiki.client.x")
    assert config is not None and config.schema_title == "a"
    foo = streams.lookup("eventlogging_Foo")
    assert foo is not None and foo.sample is not None
    assert (foo.sample.rate, foo.sample.unit, foo.retention_days) == (0.0625, "session", 30)


def test_missing_file_means_no_stream_is_configured(tmp_path: Path) -> None:
    assert load_streams(tmp_path / "streams.yaml").lookup("anything") is None


def test_unknown_key_names_stream_line_and_closest(tmp_path: Path) -> None:
    path = tmp_path / "streams.yaml"
    path.write_text("a.b:\n  schema_title: x\n  sampel: {rate: 1}\n")
    with pytest.raises(ConfigError) as caught:
        load_streams(path)
    assert f"{path}:3" in caught.value.message
    assert "a.b.sampel" in caught.value.message and "did you mean 'sample'" in caught.value.message


def test_bad_rate_and_bad_regex_are_config_errors(tmp_path: Path) -> None:
    path = tmp_path / "streams.yaml"
    path.write_text("a:\n  sample: {rate: 5, unit: session}\n")
    with pytest.raises(ConfigError, match="a.sample.rate"):
        load_streams(path)
    path.write_text("/(unclosed/:\n  schema_title: x\n")
    with pytest.raises(ConfigError, match="not a valid regex"):
        load_streams(path)
