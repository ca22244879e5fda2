"""The StatsD receive process (collect stage): UDP packets in, snapshots out on request.

Why a process: CPython's socket calls release the GIL on every `recv`, so a receive *thread*
loses the GIL to any busy thread (the flush computing timer statistics) at each packet and then
waits a whole switch interval (5 ms) to get it back; during a flush it drained one packet per
5 ms and the kernel queue overflowed. The receive process has a single thread that only receives,
parses and aggregates, draining the socket in batches of non-blocking `recv` calls; between
batches it answers requests from the parent on a control socket: `snapshot` (Etsy's flush
swap), `get` (a copy of a state attribute, for the admin interface), `delete`, `stop`.

Input: a bound UDP socket (inherited file descriptor) and the statsd settings (first control
message). Output: pickled `Snapshot`s and admin answers on the control socket.
"""

from __future__ import annotations

import copy
import logging
import os
import pickle
import select
import socket
import subprocess
import sys
import tempfile
import threading
from multiprocessing.connection import Connection
from typing import Any

from tallyflow.collect.statsd_aggregate import Aggregator, Snapshot
from tallyflow.project import StatsdSettings

log = logging.getLogger(__name__)

_BATCH = 1024
_SHM = "/dev/shm" if os.path.isdir("/dev/shm") else None
_MAX_DATAGRAM = 65535


def serve(sock: socket.socket, control: Connection, settings: StatsdSettings) -> None:
    """The receive loop; returns after a `stop` request (answered with the last snapshot)."""
    aggregator = Aggregator(settings)
    recv, ingest = sock.recv, aggregator.ingest
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    poller.register(control.fileno(), select.POLLIN)
    ready = control.poll
    while True:
        packets: list[bytes] = []
        try:
            for _ in range(_BATCH):
                packets.append(recv(_MAX_DATAGRAM))
        except BlockingIOError:
            if not packets:
                poller.poll(1000)
        except OSError:  # e.g. ECONNREFUSED reported on an unconnected socket: keep going
            pass
        if packets:
            try:
                ingest(packets)
            except Exception:  # a parser bug must not end reception; bad input is counted
                log.exception("statsd: a batch of %d packets failed", len(packets))
        if ready():
            request = control.recv()
            if request[0] == "stop":
                _drain(recv, ingest)
                control.send(_handover(aggregator.snapshot(request[1])))
                return
            control.send(_answer(aggregator, request))


def _answer(aggregator: Aggregator, request: tuple[Any, ...]) -> Any:
    if request[0] == "snapshot":
        return _handover(aggregator.snapshot(request[1]))
    if request[0] == "get":
        return copy.copy(getattr(aggregator, request[1]))
    if request[0] == "delete":
        return aggregator.delete(request[1], request[2])
    raise ValueError(f"unknown request {request[0]!r}")


def _handover(snap: Snapshot) -> str:
    """Write the snapshot to a file in shared memory and return its path. A big snapshot sent
    through the control socket would block this process until the parent had read it all."""
    fd, path = tempfile.mkstemp(prefix="tallyflow-statsd-", suffix=".pickle", dir=_SHM)
    with os.fdopen(fd, "wb") as out:
        pickle.dump(snap, out, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _take_over(path: str) -> Snapshot:
    try:
        with open(path, "rb") as source:
            snap: Snapshot = pickle.load(source)
    finally:
        os.unlink(path)
    return snap


def _drain(recv: Any, ingest: Any) -> None:
    packets: list[bytes] = []
    try:
        while True:
            packets.append(recv(_MAX_DATAGRAM))
    except OSError:
        pass
    ingest(packets)


def child_main() -> None:
    """Entry point of the child: fds of the UDP socket and the control socket in argv."""
    sock = socket.socket(fileno=int(sys.argv[1]))
    sock.setblocking(False)
    control = Connection(int(sys.argv[2]))
    settings = StatsdSettings.model_validate(control.recv())
    try:
        serve(sock, control, settings)
    except (EOFError, KeyboardInterrupt):  # the parent went away
        pass
    finally:
        sock.close()
        control.close()


class ReceiverProcess:
    """The parent's handle: starts the child and makes request/answer calls to it."""

    def __init__(self, sock: socket.socket, settings: StatsdSettings) -> None:
        parent_end, child_end = socket.socketpair()
        command = [
            sys.executable,
            "-c",
            "from tallyflow.collect.statsd_receiver import child_main; child_main()",
            str(sock.fileno()),
            str(child_end.fileno()),
        ]
        self.process = subprocess.Popen(command, pass_fds=(sock.fileno(), child_end.fileno()))
        child_end.close()
        self._conn = Connection(parent_end.detach())
        self._lock = threading.Lock()
        self._conn.send(settings.model_dump())

    def call(self, *request: Any) -> Any:
        with self._lock:
            self._conn.send(request)
            return self._conn.recv()

    def snapshot(self, timestamp: int) -> Snapshot:
        return _take_over(self.call("snapshot", timestamp))

    def stop(self, timestamp: int) -> Snapshot | None:
        """Ask for the last snapshot and wait for the child to end."""
        try:
            snap: Snapshot | None = _take_over(self.call("stop", timestamp))
        except (EOFError, OSError):
            snap = None
        self._conn.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return snap
