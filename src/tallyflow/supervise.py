"""Child processes of `tallyflow up` (service commands in, watched processes out).

Every port is checked before anything starts, so a taken port stops `up` with a message naming
the port and its tallyflow.yaml key instead of leaving half the services running. Each child
runs in its own process group (Ctrl-C reaches only the parent, which then stops the children in
order), writes its output to a log file, and is ended by the kernel if the parent dies. A child
is ready when its own check passes (HTTP answers, TCP accepts, UDP port bound).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

from tallyflow.errors import TallyflowError, UsageError

Protocol = Literal["tcp", "udp"]


@dataclass(frozen=True)
class Port:
    """A port a service will listen on, and the tallyflow.yaml key that sets it."""

    host: str
    port: int
    protocol: Protocol
    setting: str


def local_address(host: str) -> str:
    """The address to connect to a service listening on `host` (any-address -> loopback)."""
    return {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def check_ports(ports: list[Port], where: str) -> None:
    """Raise a UsageError for the first port that cannot be bound (`where`: the config file)."""
    for item in ports:
        kind = socket.SOCK_STREAM if item.protocol == "tcp" else socket.SOCK_DGRAM
        with socket.socket(_family(item.host), kind) as sock:
            if item.protocol == "tcp":  # the services set it too: TIME_WAIT is no conflict
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((item.host, item.port))
            except OSError as error:
                taken = error.errno == errno.EADDRINUSE
                reason = "is taken by another process" if taken else f"cannot be used: {error}"
                raise UsageError(
                    f"{item.protocol.upper()} port {item.port} on {item.host} ({item.setting}) "
                    f"{reason}; nothing was started",
                    hint=f"stop the other process, or set another port with `{item.setting}` "
                    f"in {where}",
                ) from None


def http_ok(url: str) -> Callable[[], bool]:
    """Ready when GET `url` answers with any HTTP status below 500."""

    def check() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return int(response.status) < 500
        except OSError:
            return False

    return check


def tcp_accepts(host: str, port: int) -> Callable[[], bool]:
    def check() -> bool:
        try:
            with socket.create_connection((local_address(host), port), timeout=1):
                return True
        except OSError:
            return False

    return check


def udp_bound(host: str, port: int) -> Callable[[], bool]:
    """Ready when the UDP port can no longer be bound (the service holds it)."""

    def check() -> bool:
        with socket.socket(_family(host), socket.SOCK_DGRAM) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                return True
            return False

    return check


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Ask Linux to SIGTERM this child when the parent dies (prctl PR_SET_PDEATHSIG)."""
    name = ctypes.util.find_library("c")
    if name:
        ctypes.CDLL(name, use_errno=True).prctl(1, signal.SIGTERM)


@dataclass
class Child:
    """One service process."""

    name: str
    argv: list[str]
    ready: Callable[[], bool]
    log: Path
    env: dict[str, str] | None = None
    process: subprocess.Popen[bytes] | None = None
    _output: IO[bytes] | None = field(default=None, repr=False)

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def tail(self, lines: int = 15) -> str:
        """The end of the child's log."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.rstrip().splitlines()[-lines:])


class ChildDied(TallyflowError):
    """A child exited while it should be running."""

    def __init__(self, child: Child) -> None:
        status = child.exited()
        super().__init__(
            f"{child.name} exited with status {status}; stopping the other services",
            hint=f"its log: {child.log}\n{child.tail()}",
        )
        self.child = child


class Supervisor:
    """Starts children, waits until they are ready, watches them and stops them."""

    def __init__(self) -> None:
        self.children: list[Child] = []

    def start(self, child: Child) -> None:
        child.log.parent.mkdir(parents=True, exist_ok=True)
        child._output = child.log.open("ab")
        child._output.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} start\n".encode())
        child._output.flush()
        child.process = subprocess.Popen(
            child.argv,
            stdin=subprocess.DEVNULL,
            stdout=child._output,
            stderr=subprocess.STDOUT,
            env=child.env,
            process_group=0,
            preexec_fn=_die_with_parent,
        )
        self.children.append(child)

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Return when every child is ready; ChildDied or TallyflowError otherwise."""
        deadline = time.monotonic() + timeout
        waiting = list(self.children)
        while waiting:
            for child in list(waiting):
                if child.exited() is not None:
                    raise ChildDied(child)
                if child.ready():
                    waiting.remove(child)
            if not waiting:
                return
            if time.monotonic() > deadline:
                names = ", ".join(child.name for child in waiting)
                raise TallyflowError(
                    f"{names} did not become ready within {timeout:g} s; stopping",
                    hint="see the logs in " + str(waiting[0].log.parent),
                )
            time.sleep(0.1)

    def dead(self) -> Child | None:
        """The first child that has exited, if any."""
        return next((child for child in self.children if child.exited() is not None), None)

    def stop(self, timeout: float = 30.0) -> dict[str, int]:
        """SIGTERM every running child, wait for them (SIGKILL after `timeout`); exit codes."""
        for child in self.children:
            if child.process is not None and child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        codes: dict[str, int] = {}
        for child in self.children:
            assert child.process is not None
            try:
                codes[child.name] = child.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
                codes[child.name] = child.process.wait()
            if child._output is not None:
                child._output.close()
        return codes
