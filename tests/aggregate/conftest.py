"""Fixtures for the aggregate tests: a copy of the codemirror query folder, a store with sample
events, the local MariaDB with MediaWiki-like tables, and a real TCP Graphite listener."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.aggregate.events import sample_store
from tests.conftest import FIXTURES, skip_unless_ci

WIKIS = {
    "tallyflow_test_enwiki": [(1, "Ann", 1), (2, "Bo", 1), (3, "Cy", 0)],
    "tallyflow_test_dewiki": [(1, "Dee", 1)],
}


@pytest.fixture(scope="session")
def mariadb() -> Iterator[None]:
    """MediaWiki-like `user` and `user_properties` tables, one database per wiki."""
    import pymysql

    try:
        connection = pymysql.connect(host="127.0.0.1", port=3306, user="root", autocommit=True)
    except pymysql.err.OperationalError as error:
        skip_unless_ci(f"MariaDB is not reachable on 127.0.0.1:3306: {error}")
    with connection.cursor() as cursor:
        for database, users in WIKIS.items():
            cursor.execute(f"DROP DATABASE IF EXISTS {database}")
            cursor.execute(f"CREATE DATABASE {database}")
            cursor.execute(
                f"CREATE TABLE {database}.user (user_id INT UNSIGNED PRIMARY KEY, "
                "user_name VARBINARY(255) NOT NULL)"
            )
            cursor.execute(
                f"CREATE TABLE {database}.user_properties (up_user INT UNSIGNED NOT NULL, "
                "up_property VARBINARY(255) NOT NULL, up_value BLOB, "
                "PRIMARY KEY (up_user, up_property))"
            )
            for user_id, name, enabled in users:
                cursor.execute(f"INSERT INTO {database}.user VALUES (%s, %s)", (user_id, name))
                cursor.execute(
                    f"INSERT INTO {database}.user_properties VALUES (%s, 'usecodemirror', %s)",
                    (user_id, str(enabled)),
                )
    yield
    with connection.cursor() as cursor:
        for database in WIKIS:
            cursor.execute(f"DROP DATABASE IF EXISTS {database}")
    connection.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the codemirror query folder (`q/`), sample events and a `local` profile
    that points the `mediawiki` database at the local MariaDB instead of production."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(FIXTURES / "reports" / "codemirror", root / "q")
    (root / "q" / "sessions").chmod(0o755)
    (root / "tallyflow.yaml").write_text(
        "store: store\n"
        "aggregate:\n"
        "  databases:\n"
        "    mediawiki: {host: db.production.invalid, port: 3306, user: research}\n"
        "profiles:\n"
        "  local:\n"
        "    aggregate:\n"
        "      databases:\n"
        "        mediawiki: {host: 127.0.0.1, user: root}\n"
    )
    sample_store(root / "store")
    return root


class Listener:
    """A carbon stand-in: a real TCP server that keeps every line it receives."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.received = b""
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(5)
                while chunk := conn.recv(65536):
                    self.received += chunk

    def settle(self) -> None:
        """Wait until nothing new has arrived for 0.2 s."""
        size = -1
        while size != len(self.received):
            size = len(self.received)
            time.sleep(0.2)

    @property
    def lines(self) -> list[str]:
        return self.received.decode().splitlines()

    def close(self) -> None:
        self._stop.set()
        self.thread.join(5)
        self.server.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()
