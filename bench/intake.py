"""Throughput and latency of `tallyflow serve intake` over real HTTP on loopback.

Starts the intake in its own process on a temporary project holding EventGate's test schema
(/test/0.0.2) and a stream config allowing it, then drives it with wrk (Debian package `wrk`)
using single-event requests and batches of 10, for 1 and 2 worker processes. Prints
requests/s, events/s and p50/p99 latency; the intake's CPU time per request (`cpu us`, all
its processes, from /proc) and what that makes per CPU-second (`ev/cpu-s`: the events/s one
fully available core would take, a figure that holds up when other work shares the
machine); and counts the events that reached the event store (read back through its query
catalog after the intake has stopped and flushed).

    .venv/bin/python bench/intake.py [--duration 10] [--connections 32] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "eventgate"
LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [=[%s]=]
done = function(summary, latency, requests)
  io.write(string.format("BENCH %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.errors.status, latency:percentile(50), latency:percentile(99), summary.duration))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_project(root: Path) -> None:
    shutil.copytree(FIXTURE / "schemas", root / "schemas", symlinks=True)
    (root / "streams.yaml").write_text("topicA:\n  schema_title: test\n")
    (root / "tallyflow.yaml").write_text("intake:\n  max_body_size: 4mb\n")


def start(root: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [
        sys.executable,
        "-m",
        "tallyflow",
        "serve",
        "intake",
        "-p",
        str(root),
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                time.sleep(0.5 * workers)  # let every worker come up
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the intake did not start")


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (the uvicorn supervisor's worker processes)."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            pids += process_tree(int(child))
    return pids


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time used so far by `pids` (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / os.sysconf("SC_CLK_TCK")


def stored(root: Path) -> int:
    """Events of the bench stream in the store (read back through the query catalog)."""
    sys.path.insert(0, str(ROOT / "src"))
    from tallyflow import pipeline
    from tallyflow.project import load_project

    connection = pipeline.query_connection(load_project(root))
    try:
        row = connection.execute("select count(*) from event.topica").fetchone()
    finally:
        connection.close()
    return int(row[0]) if row else 0


def run_wrk(
    port: int, body: str, duration: int, connections: int, script: Path
) -> dict[str, float]:
    script.write_text(LUA % body)
    command = [
        "wrk",
        "-t",
        "1",
        "-c",
        str(connections),
        "-d",
        f"{duration}s",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}/v1/events",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"BENCH (\d+) (\d+) (\d+) (\d+) (\d+)", output)
    if not match:
        raise SystemExit(f"unexpected wrk output:\n{output}")
    requests, failed, p50, p99, micros = (int(g) for g in match.groups())
    return {
        "requests": requests,
        "failed": failed,
        "p50_ms": p50 / 1000,
        "p99_ms": p99 / 1000,
        "seconds": micros / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run [10]")
    parser.add_argument("--connections", type=int, default=32, help="open connections [32]")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 10])
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    event = json.loads((FIXTURE / "test_event_0.0.2.json").read_text())
    load = os.getloadavg()[0]
    print(
        f"# {' '.join(sys.argv)}  ({os.cpu_count()} cores, {args.connections} connections, "
        f"{args.duration}s per run, load average at start {load:.1f})"
    )
    print(
        f"{'workers':>7} {'batch':>5} {'req/s':>9} {'events/s':>9} {'p50 ms':>7} {'p99 ms':>7}"
        f" {'cpu us':>7} {'ev/cpu-s':>9} {'failed':>6} {'stored':>8}"
    )
    for workers in args.workers:
        for batch in args.batches:
            with tempfile.TemporaryDirectory() as tmp:
                root = Path(tmp)
                make_project(root)
                port = free_port()
                process = start(root, port, workers)
                try:
                    body = json.dumps(event if batch == 1 else [event] * batch)
                    pids = process_tree(process.pid)
                    cpu_before = cpu_seconds(pids)
                    result = run_wrk(
                        port, body, args.duration, args.connections, root / "bench.lua"
                    )
                    cpu = cpu_seconds(pids) - cpu_before
                finally:
                    process.send_signal(signal.SIGTERM)
                    process.wait(timeout=60)
                rate = result["requests"] / result["seconds"]
                cpu_us = cpu / max(result["requests"], 1) * 1e6
                per_cpu_second = 1e6 / cpu_us * batch if cpu_us else 0.0
                print(
                    f"{workers:>7} {batch:>5} {rate:>9.0f} {rate * batch:>9.0f} "
                    f"{result['p50_ms']:>7.2f} {result['p99_ms']:>7.2f} "
                    f"{cpu_us:>7.0f} {per_cpu_second:>9.0f} "
                    f"{result['failed']:>6} {stored(root):>8}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
