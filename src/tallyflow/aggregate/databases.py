"""Where an `sql` report connects (aggregate stage: a report's `db` + explode values + the
project's database profiles in, a server address out).

ReportUpdater reads `databases.<db>` of config.yaml (host/port or WMF shard lookup, a my.cnf
`creds_file`, `wiki_db_placeholder`). tallyflow.yaml's `aggregate.databases.<db>` (or
`.default`) overrides host, port, credentials and database, so production configs run locally
unchanged.
"""

from __future__ import annotations

import configparser
from collections.abc import Mapping
from pathlib import Path

from tallyflow.aggregate.config import DatabaseSpec, Report
from tallyflow.aggregate.engines import ServerAddress
from tallyflow.errors import ReportError
from tallyflow.project import AggregateSettings


def credentials_file(creds_file: str | None) -> tuple[str | None, str | None]:
    """(user, password) of a my.cnf `[client]` section; (None, None) when unreadable."""
    if not creds_file or not Path(creds_file).is_file():
        return None, None
    parser = configparser.ConfigParser(allow_no_value=True, strict=False)
    parser.read(creds_file)
    if not parser.has_section("client"):
        return None, None
    section = parser["client"]
    return section.get("user"), section.get("password")


def server_address(
    report: Report,
    explode: dict[str, str],
    databases: Mapping[str, DatabaseSpec],
    settings: AggregateSettings,
) -> ServerAddress:
    """The server, credentials and database of one variant of an `sql` report."""
    assert report.spec.db is not None
    key = report.spec.db
    spec = databases.get(key)
    profile = settings.databases.get(key) or settings.databases.get("default")
    user, password = credentials_file(spec.creds_file if spec else None)
    host = profile.host if profile and profile.host else (spec.host if spec else None)
    port = profile.port if profile and profile.port else (spec.port if spec else None)
    if host is None:
        raise ReportError(
            f"database `{key}` has no host"
            + (
                " (auto_find_db_shard needs WMF DNS)"
                if spec and spec.auto_find_db_shard is not None
                else ""
            ),
            hint=f"set aggregate.databases.{key}.host (or aggregate.databases.default.host) "
            "in tallyflow.yaml, for example in a profile",
        )
    database = spec.db if spec else None
    if spec and spec.wiki_db_placeholder:
        if spec.wiki_db_placeholder not in explode:
            raise ReportError(
                f"database `{key}` takes its name from placeholder "
                f"{{{spec.wiki_db_placeholder}}}, which the report does not explode by"
            )
        database = explode[spec.wiki_db_placeholder]
    if profile and profile.database:
        database = profile.database
    return ServerAddress(
        host=host,
        port=port or 3306,
        user=profile.user if profile and profile.user else user,
        password=profile.password if profile and profile.password is not None else password,
        database=database,
    )
