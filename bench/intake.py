"""Throughput and latency of `tallyflow serve intake` over real HTTP on loopback.

Starts the intake in its own process on a temporary project holding EventGate's test schema
(/test/0.0.2) and a stream config allowing it, then drives it with wrk (Debian package `wrk`)
using single-event requests and batches of 10, for 1 and 2 worker processes. Prints
requests/s, events/s and p50/p99 latency (medians over `--rounds` runs), and the CPU time per
request from /proc of the serving processes (`cpu us`) and of the log converter that turns
the write-ahead log into Parquet beside them (`conv us`). After each figure the events in the
event store are counted (read back through its query catalog once the intake has stopped)
and any difference from the acknowledged count is printed.

With `--reference URL`, another intake already running (Wikimedia's EventGate) is driven
with the same requests right after each one-worker run of tallyflow, alternating, and the
ratio of the two request rates is printed (`--reference-pid` adds its CPU time);
`bench/eventgate.sh` starts EventGate from a checkout the way docs/performance.md describes.

    .venv/bin/python bench/intake.py [--duration 10] [--connections 32] [--workers 1 2]
        [--rounds 3] [--reference http://127.0.0.1:8193/v1/events --reference-pid PID]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
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
    (root / "schemas" / "test" / "latest").symlink_to("0.0.2")  # as schema repositories have
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


def cpu_seconds(pids: list[int], niced: bool = False) -> float:
    """User + system CPU time used so far by those of `pids` running niced (the log converter)
    or not (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        if (int(fields[16]) > 0) == niced:  # nice (field 19)
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


def run_wrk(url: str, body: str, duration: int, connections: int, script: Path) -> dict[str, float]:
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
        url,
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


def measure(
    url: str, pids: list[int], body: str, args: argparse.Namespace, script: Path
) -> dict[str, float]:
    """One wrk run against `url`, with the CPU time `pids` used meanwhile (split into the
    serving processes and the niced log converter)."""
    before = cpu_seconds(pids, niced=False), cpu_seconds(pids, niced=True)
    result = run_wrk(url, body, args.duration, args.connections, script)
    result["cpu"] = cpu_seconds(pids, niced=False) - before[0]
    result["converter_cpu"] = cpu_seconds(pids, niced=True) - before[1]
    return result


def row(label: str, workers: int, batch: int, runs: list[dict[str, float]]) -> str:
    """Medians over `runs`, as one line of the table."""

    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    rate = statistics.median(r["requests"] / r["seconds"] for r in runs)
    cpu_us = statistics.median(r["cpu"] / max(r["requests"], 1) * 1e6 for r in runs)
    conv_us = statistics.median(r["converter_cpu"] / max(r["requests"], 1) * 1e6 for r in runs)
    failed = sum(int(r["failed"]) for r in runs)
    return (
        f"{label:<10} {workers:>7} {batch:>5} {rate:>9.0f} {rate * batch:>9.0f} "
        f"{median('p50_ms'):>7.2f} {median('p99_ms'):>7.2f} {cpu_us:>7.0f} {conv_us:>7.0f} "
        f"{failed:>6}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run [10]")
    parser.add_argument("--connections", type=int, default=32, help="open connections [32]")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--rounds", type=int, default=1, help="runs per figure (median) [1]")
    parser.add_argument(
        "--reference",
        metavar="URL",
        help="an events URL of another intake (EventGate) already running: each run of "
        "tallyflow with one worker is followed by the same run against it, and the ratio "
        "is printed",
    )
    parser.add_argument(
        "--reference-pid", type=int, help="the reference's process id, to read its CPU time"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    event = json.loads((FIXTURE / "test_event_0.0.2.json").read_text())
    load = os.getloadavg()[0]
    print(
        f"# {' '.join(sys.argv)}  ({os.cpu_count()} cores, {args.connections} connections, "
        f"{args.duration}s per run, median of {args.rounds}, load average at start {load:.1f})"
    )
    print(
        f"{'intake':<10} {'workers':>7} {'batch':>5} {'req/s':>9} {'events/s':>9} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'cpu us':>7} {'conv us':>7} {'failed':>6}"
    )
    reference_pids = process_tree(args.reference_pid) if args.reference_pid else []
    for workers in args.workers:
        for batch in args.batches:
            with tempfile.TemporaryDirectory() as tmp:
                root = Path(tmp)
                make_project(root)
                port = free_port()
                process = start(root, port, workers)
                url = f"http://127.0.0.1:{port}/v1/events"
                ours: list[dict[str, float]] = []
                theirs: list[dict[str, float]] = []
                try:
                    body = json.dumps(event if batch == 1 else [event] * batch)
                    pids = process_tree(process.pid)
                    for _ in range(args.rounds):
                        ours.append(measure(url, pids, body, args, root / "bench.lua"))
                        if args.reference and workers == 1:
                            theirs.append(
                                measure(args.reference, reference_pids, body, args, root / "r.lua")
                            )
                finally:
                    process.send_signal(signal.SIGTERM)
                    process.wait(timeout=120)
                accepted = sum(int(r["requests"]) for r in ours) * batch
                print(row("tallyflow", workers, batch, ours), flush=True)
                count = stored(root)
                if count < accepted:  # more is fine: wrk does not count answers after its end
                    print(f"# LOST EVENTS: {count} stored, but {accepted} were acknowledged")
                if theirs:
                    print(row("reference", workers, batch, theirs), flush=True)
                    ratio = statistics.median(r["requests"] / r["seconds"] for r in ours) / (
                        statistics.median(r["requests"] / r["seconds"] for r in theirs)
                    )
                    print(f"# tallyflow / reference: {ratio:.2f}x", flush=True)


if __name__ == "__main__":
    main()
