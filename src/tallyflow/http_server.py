"""What the HTTP services (intake, web UI) share: a listening socket bound with a clear error
when the port is taken, and uvicorn's server exiting cleanly on SIGINT/SIGTERM."""

from __future__ import annotations

import errno
import socket
from types import FrameType

import uvicorn

from tallyflow.errors import UsageError


class Server(uvicorn.Server):
    """uvicorn's server, exiting with status 0 after a graceful stop on SIGINT/SIGTERM
    (uvicorn re-raises the signal once it has shut down)."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        self._captured_signals.clear()


def bind(host: str, port: int, setting: str = "--port") -> socket.socket:
    """A listening TCP socket on host:port, or a UsageError saying why not and naming the
    `setting` (flag or tallyflow.yaml key) that chooses another port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        hint = (
            f"another process is listening there; stop it or choose another port with {setting}"
            if error.errno == errno.EADDRINUSE
            else "check the host setting"
        )
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror}", hint=hint) from None
    sock.set_inheritable(True)
    return sock
