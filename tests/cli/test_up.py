"""`tallyflow up` as a user runs it: a real process starting real services on free ports of a
copy of the example project, fed over real HTTP and UDP, stopped with Ctrl-C or SIGTERM."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import orjson
import pytest
import whisper

import tallyflow

EXAMPLE = Path(__file__).parents[2] / "examples" / "codemirror"
ENV = {**os.environ, "PYTHONPATH": str(Path(tallyflow.__file__).parents[1])}
SERVICES = ("ui", "intake", "statsd", "carbon")


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _project(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """The example with free ports, short flushes, and reports starting a few days ago."""
    import shutil

    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".tallyflow"))
    names = ("ui", "intake", "statsd", "admin", "carbon")
    ports = dict(zip(names, _free_ports(len(names)), strict=True))
    with (root / "tallyflow.yaml").open("a") as config:
        config.write(
            f"ui: {{port: {ports['ui']}}}\n"
            f"intake: {{port: {ports['intake']}}}\n"
            f"statsd: {{port: {ports['statsd']}, admin_port: {ports['admin']}, "
            "flush_interval: 1}\n"
            f"carbon: {{port: {ports['carbon']}, write_interval: 0.5}}\n"
            "events: {flush_interval: 0.5}\n"
        )
    start = (dt.date.today() - dt.timedelta(days=4)).isoformat()
    for config in (root / "reports").glob("*/config.yaml"):
        config.write_text(config.read_text().replace("starts: 2026-01-05", f"starts: {start}"))
    streams = root / "streams.yaml"
    streams.write_text(
        streams.read_text().replace("unit: session}", "unit: session}\n  generate: {per_day: 400}")
    )
    return root, ports


class Up:
    """A running `tallyflow up`, its output collected by a thread."""

    def __init__(self, root: Path, *flags: str) -> None:
        command = [sys.executable, "-m", "tallyflow", "up", "-p", str(root), *flags]
        self.process = subprocess.Popen(
            command, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, text: str, timeout: float = 60) -> None:
        wait_until(lambda: text in self.output, timeout, f"{text!r} in {self.output}")

    def finish(self, timeout: float = 60) -> int:
        code = self.process.wait(timeout)
        self.close()
        return code

    def close(self) -> None:
        self.reader.join(5)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def children(self) -> dict[str, int]:
        """Service name -> pid of each child process."""
        pid = self.process.pid
        found = {}
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            words = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            if b"serve" in words:
                found[words[words.index(b"serve") + 1].decode()] = int(child)
        return found


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.25)


@pytest.fixture
def up_process(tmp_path: Path) -> Iterator[list[Up]]:
    started: list[Up] = []
    yield started
    for running in started:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait(10)
        running.close()


def _whisper_total(path: Path, seconds: int = 600) -> float:
    if not path.is_file():
        return 0.0
    fetched = whisper.fetch(str(path), time.time() - seconds)
    return sum(v for v in fetched[1] if v is not None) if fetched else 0.0


@pytest.mark.slow
def test_up_with_traffic_fills_the_store_answers_everywhere_and_stops_on_ctrl_c(
    tmp_path: Path, up_process: list[Up]
) -> None:
    root, ports = _project(tmp_path)
    running = Up(root, "--traffic", "--every", "2s")
    up_process.append(running)
    running.wait_for("Ctrl-C stops everything.")
    table = [line.split() for line in running.lines if line.startswith("  ")]
    assert table[0][:3] == ["web", "UI", f"http://127.0.0.1:{ports['ui']}/"]
    assert f"http://127.0.0.1:{ports['intake']}/v1/events" in running.output
    assert f"udp://127.0.0.1:{ports['statsd']}" in running.output
    assert f"tcp://127.0.0.1:{ports['carbon']}" in running.output
    assert set(running.children()) == set(SERVICES)

    event = {
        "$schema": "/analytics/codemirror/toggle/1.0.0",
        "meta": {"stream": "codemirror.toggle", "domain": "en.wikipedia.org"},
        "wiki": "enwiki",
        "editor": "wikitext_2010",
        "enabled": True,
        "toggled": True,
        "session_token": "feedc0ffee1234",
    }
    url = f"http://127.0.0.1:{ports['intake']}/v1/events"
    assert httpx.post(url, json=[event]).status_code == 201
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.sendto(b"tallyflow.uptest:5|c", ("127.0.0.1", ports["statsd"]))
    whisper_root = root / ".tallyflow" / "whisper"
    counted = whisper_root / "stats_counts" / "tallyflow" / "uptest.wsp"
    wait_until(lambda: _whisper_total(counted) == 5, 30, "the StatsD counter in the store")

    def healthy() -> bool:
        response = httpx.get(f"http://127.0.0.1:{ports['ui']}/healthz")
        stages = response.json().get("stages", {})
        return response.status_code == 200 and len(stages) == 4

    wait_until(healthy, 30, "every stage healthy")
    metrics = httpx.get(f"http://127.0.0.1:{ports['ui']}/metrics").text
    assert 'tallyflow_stage_up{stage="statsd"} 1' in metrics
    assert "tallyflow_intake_events_total" in metrics

    # history seeded, the first runs published report metrics through carbon, live counters
    toggles = whisper_root / "MediaWiki" / "CodeMirror" / "toggles"
    live = whisper_root / "stats_counts" / "MediaWiki" / "CodeMirror" / "events" / "byWiki"
    wait_until(lambda: any(toggles.rglob("*.wsp")), 90, "report metrics in the series store")
    wait_until(lambda: sum(_whisper_total(p) for p in live.glob("*.wsp")) > 0, 30, "live counters")
    previews = whisper_root / "reference_previews" / "baseline" / "pageviews"
    wait_until(lambda: any(previews.glob("*.wsp")), 60, "every query folder run")
    assert "reports codemirror:" in running.output and "0 failed" in running.output
    intake_metrics = f"http://127.0.0.1:{ports['intake']}/_metrics"
    wait_until(  # the live feed sends some invalid events too
        lambda: 'status="invalid"' in httpx.get(intake_metrics).text, 30, "invalid events"
    )

    running.process.send_signal(signal.SIGINT)
    assert running.finish() == 0, running.output
    assert running.lines[-1] == "stopped"
    query = subprocess.run(
        [sys.executable, "-m", "tallyflow", "query", "-p", str(root), "--format", "json",
         "select wiki from event.codemirror_toggle where session_token = 'feedc0ffee1234'"],
        env=ENV, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert query.returncode == 0, query.stderr
    assert orjson.loads(query.stdout) == [{"wiki": "enwiki"}]


@pytest.mark.slow
def test_sigterm_stops_every_service_with_status_0(tmp_path: Path, up_process: list[Up]) -> None:
    root, ports = _project(tmp_path)
    running = Up(root, "--no-ui")
    up_process.append(running)
    running.wait_for("Ctrl-C stops everything.")
    children = running.children()
    assert set(children) == {"intake", "statsd", "carbon"}
    assert "web UI" not in running.output
    running.process.send_signal(signal.SIGTERM)
    assert running.finish() == 0, running.output
    for pid in children.values():
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()


@pytest.mark.slow
def test_a_service_that_dies_stops_the_others_with_status_1(
    tmp_path: Path, up_process: list[Up]
) -> None:
    root, _ = _project(tmp_path)
    running = Up(root, "--no-ui")
    up_process.append(running)
    running.wait_for("Ctrl-C stops everything.")
    children = running.children()
    os.kill(children["carbon"], signal.SIGKILL)
    assert running.finish() == 1
    assert "carbon exited with status -9; stopping the other services" in running.output
    for name in ("intake", "statsd"):
        pid = children[name]
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()


def test_a_taken_port_stops_up_before_anything_starts(tmp_path: Path) -> None:
    root, ports = _project(tmp_path)
    with socket.create_server(("127.0.0.1", ports["intake"])):
        result = subprocess.run(
            [sys.executable, "-m", "tallyflow", "up", "-p", str(root)],
            env=ENV, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert result.returncode == 2
    assert f"TCP port {ports['intake']}" in result.stderr and "intake.port" in result.stderr
    assert "nothing was started" in result.stderr
    assert not (root / ".tallyflow" / "logs").exists()


def test_every_must_be_a_duration(tmp_path: Path) -> None:
    root, _ = _project(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "tallyflow", "up", "-p", str(root), "--every", "soon"],
        env=ENV, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2 and "--every 'soon'" in result.stderr
