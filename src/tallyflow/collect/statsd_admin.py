"""The StatsD admin interface (collect stage): Etsy statsd's TCP management commands.

Input: one command per line on a TCP connection (default 127.0.0.1:8126). Output: Etsy's
answers: `stats`, `counters`, `timers`, `gauges` (each followed by `END` and a blank line),
`delcounters|deltimers|delgauges NAME...` (`a.*` deletes a folder), `health [up|down]`,
`config`, `help`, `quit`; anything else gets `ERROR`. Dumps use the layout of Node's
`util.inspect` (`{ 'hits': 3 }`), which is what scripts written for Etsy's daemon parse.
"""

from __future__ import annotations

import socketserver
import threading
import time
from array import array
from typing import Any

from tallyflow.collect.statsd_server import StatsdServer
from tallyflow.collect.statsd_sinks import GraphiteSink
from tallyflow.publish.graphite import format_value

COMMANDS = (
    "stats, counters, timers, gauges, delcounters, deltimers, delgauges, health, config, quit"
)


def inspect(value: Any) -> str:
    """A Node `util.inspect`-like rendering of dicts, lists, numbers and strings."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{inspect(k)}: {inspect(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, set, array)):
        return "[ " + ", ".join(inspect(v) for v in value) + " ]" if value else "[]"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_value(float(value))
    return "null" if value is None else str(value)


class _TCPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class AdminServer:
    """Serves the admin commands for one `StatsdServer` on a background thread."""

    def __init__(self, statsd: StatsdServer, host: str, port: int) -> None:
        self.statsd = statsd
        admin = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                for raw in self.rfile:
                    words = raw.decode("utf-8", "replace").split()
                    if not words:
                        continue
                    if words[0].lower() == "quit":
                        return
                    self.wfile.write(admin.answer(words[0].lower(), words[1:]).encode())

        self._server = _TCPServer((host, port), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.1,), name="statsd-admin", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    def answer(self, command: str, args: list[str]) -> str:
        statsd = self.statsd
        if command == "help":
            return f"Commands: {COMMANDS}\n\n"
        if command == "stats":
            return self._stats()
        if command in ("counters", "timers", "gauges"):
            return inspect(statsd.get(command)) + "\nEND\n\n"
        if command in ("delcounters", "deltimers", "delgauges"):
            lines = statsd.delete(command[3:], args)
            return "".join(f"{line}\n" for line in lines) + "END\n\n"
        if command == "health":
            if args and args[0].lower() in ("up", "down"):
                statsd.health = args[0].lower()  # type: ignore[assignment]
            return f"health: {statsd.health}\n"
        if command == "config":
            settings = statsd.settings.model_dump()
            return "".join(f"{k}: {inspect(v)}\n" for k, v in settings.items()) + "END\n\n"
        return "ERROR\n"

    def _stats(self) -> str:
        statsd, now = self.statsd, time.time()
        bad_lines: dict[str, int] = statsd.get("bad_lines_total")

        def ago(ts: float) -> int:
            return round(now - ts) if ts else 0

        lines = [
            f"uptime: {round(now - statsd.started)}",
            f"messages.last_msg_seen: {ago(statsd.get('last_msg_seen'))}",
            f"messages.bad_lines_seen: {sum(bad_lines.values())}",
        ]
        lines += [f"messages.bad_lines.{reason}: {n}" for reason, n in sorted(bad_lines.items())]
        for sink in statsd.sinks:
            if isinstance(sink, GraphiteSink):
                lines += [
                    f"graphite.last_flush: {ago(sink.last_flush)}",
                    f"graphite.last_exception: {ago(sink.last_exception)}",
                    f"graphite.flush_time: {sink.flush_time}",
                    f"graphite.flush_length: {sink.flush_length}",
                    f"graphite.dropped_points: {sink.sender.dropped}",
                ]
        return "\n".join(lines) + "\nEND\n\n"
