"""Helpers for the collect tests: a real TCP line listener (a stand-in carbon) and polling."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest


def wait_for(condition: Callable[[], object], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


class LineListener:
    """A TCP server on loopback that keeps every line it receives, and counts connections."""

    def __init__(self, port: int = 0) -> None:
        self.sock = socket.create_server(("127.0.0.1", port))
        self.port = self.sock.getsockname()[1]
        self.lines: list[str] = []
        self.connections = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn: socket.socket) -> None:
        with conn, conn.makefile("r") as lines:
            for line in lines:
                self.lines.append(line.rstrip("\n"))

    def values(self, path: str) -> list[float]:
        return [float(line.split()[1]) for line in self.lines if line.split()[0] == path]

    def close(self) -> None:
        self.sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self.sock.close()
        self._thread.join(timeout=2)


@pytest.fixture
def line_listener() -> Iterator[LineListener]:
    listener = LineListener()
    yield listener
    listener.close()
