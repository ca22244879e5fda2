from __future__ import annotations

from pathlib import Path

import pytest

from tallyflow.aggregate.config import DatabaseSpec, Report, ReportSpec
from tallyflow.aggregate.databases import server_address
from tallyflow.errors import ReportError
from tallyflow.project import AggregateSettings


def sql_report() -> Report:
    spec = ReportSpec.model_validate({"db": "mw", "granularity": "days", "starts": "2021-01-01"})
    return Report(key="r", spec=spec, template="", script=None, explode={})


def test_static_entry_with_a_creds_file(tmp_path: Path) -> None:
    creds = tmp_path / "my.cnf"
    creds.write_text("[client]\nuser = research\npassword = s3cret\n")
    databases = {"mw": DatabaseSpec(host="db1", port=3307, creds_file=str(creds), db="enwiki")}
    address = server_address(sql_report(), {}, databases, AggregateSettings())
    assert (address.host, address.port, address.user, address.password, address.database) == (
        "db1",
        3307,
        "research",
        "s3cret",
        "enwiki",
    )


def test_profile_replaces_the_shard_lookup_and_wiki_db_picks_the_database() -> None:
    databases = {"mw": DatabaseSpec(auto_find_db_shard=True, wiki_db_placeholder="wiki_db")}
    settings = AggregateSettings.model_validate(
        {"databases": {"default": {"host": "127.0.0.1", "user": "root"}}}
    )
    address = server_address(sql_report(), {"wiki_db": "dewiki"}, databases, settings)
    assert (address.host, address.port, address.user, address.database) == (
        "127.0.0.1",
        3306,
        "root",
        "dewiki",
    )
    with pytest.raises(ReportError, match="does not explode by"):
        server_address(sql_report(), {}, databases, settings)


def test_shard_lookup_without_a_profile_says_what_to_set() -> None:
    databases = {"mw": DatabaseSpec(auto_find_db_shard=True)}
    with pytest.raises(ReportError, match="auto_find_db_shard") as error:
        server_address(sql_report(), {}, databases, AggregateSettings())
    assert error.value.hint is not None and "aggregate.databases.mw.host" in error.value.hint
