"""StatsD throughput, end to end: UDP packets sent vs values flushed to a Graphite listener.

Starts `tallyflow serve statsd` (a separate process, 1 s flush unless --flush-interval, Graphite
output to a TCP sink in this process, series store off, as Etsy's benchmark ran with the Graphite
backend only), then for
each rate step sends single-metric packets over loopback UDP for a few seconds and prints: sent,
counted (the sum of the flushed `stats_counts.<key>` / `stats.timers.<key>.count`), loss %, the
server's CPU % of one core, and the kernel's UDP receive-buffer drops. With `--etsy STATS_JS` the
same steps run against Etsy statsd 0.9.0 (node) as well, interleaved, for a ratio on this machine.

    python bench/statsd.py                         # counters 40k..240k/s, timers 20k..160k/s
    python bench/statsd.py --etsy node_modules/statsd/stats.js --pin
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLK_TCK = os.sysconf("SC_CLK_TCK")


class Sink:
    """A Graphite plaintext listener that sums values per path."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.totals: dict[str, float] = {}
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as lines:
            for line in lines:
                parts = line.split()
                if len(parts) == 3:
                    with self.lock:
                        path = parts[0].decode()
                        self.totals[path] = self.totals.get(path, 0.0) + float(parts[1])

    def total(self, path: str) -> float:
        with self.lock:
            return self.totals.get(path, 0.0)


def free_port(kind: int = socket.SOCK_DGRAM) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process and its children (tallyflow's receive process)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / CLK_TCK
    return total


def udp_rcvbuf_errors() -> int:
    lines = [line.split() for line in Path("/proc/net/snmp").read_text().splitlines()]
    header, values = [pair for pair in zip(lines, lines[1:], strict=False) if pair[0][0] == "Udp:"][
        0
    ]
    return int(values[header.index("RcvbufErrors")])


def start_tallyflow(
    port: int, sink_port: int, workdir: Path, cpu: int | None, flush: float
) -> subprocess.Popen[bytes]:
    project = workdir / "tallyflow-project"
    project.mkdir(exist_ok=True)
    (project / "tallyflow.yaml").write_text("statsd:\n  series_store: false\n  admin_port: null\n")
    command = [
        sys.executable,
        "-m",
        "tallyflow",
        "serve",
        "statsd",
        "-p",
        str(project),
        "--port",
        str(port),
        "--flush-interval",
        str(flush),
        "--graphite",
        f"127.0.0.1:{sink_port}",
    ]
    return _spawn(command, cpu)


def start_etsy(
    stats_js: str, port: int, sink_port: int, workdir: Path, cpu: int | None, flush: float
) -> subprocess.Popen[bytes]:
    config = workdir / "etsy-config.js"
    mgmt = free_port(socket.SOCK_STREAM)
    config.write_text(
        f'{{ address: "127.0.0.1", port: {port}, mgmt_address: "127.0.0.1", mgmt_port: {mgmt},'
        f' graphiteHost: "127.0.0.1", graphitePort: {sink_port},'
        f" flushInterval: {int(flush * 1000)},"
        f' backends: ["./backends/graphite"], automaticConfigReload: false }}\n'
    )
    return _spawn(["node", stats_js, str(config)], cpu)


def _spawn(command: list[str], cpu: int | None) -> subprocess.Popen[bytes]:
    pin = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None
    return subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=pin
    )


def send(port: int, payloads: list[bytes], rate: int, seconds: float) -> int:
    """Send `rate` packets/s for `seconds`, in bursts every 0.5 ms; returns packets sent."""
    total = int(rate * seconds)
    burst = max(1, rate // 2000)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.connect(("127.0.0.1", port))
        out = sock.send
        count = len(payloads)
        sent = 0
        start = time.perf_counter()
        while sent < total:
            due = min(total, int((time.perf_counter() - start) * rate) + burst)
            if due <= sent:
                time.sleep(0.0002)
                continue
            for i in range(sent, due):
                try:
                    out(payloads[i % count])
                except OSError:  # ENOBUFS / ECONNREFUSED: the packet was not sent
                    total -= 1
                    continue
            sent = due
    return sent


def step(
    server: subprocess.Popen[bytes],
    port: int,
    sink: Sink,
    kind: str,
    rate: int,
    seconds: float,
    tag: str,
    flush: float,
) -> tuple[int, float, float, int, float]:
    key = f"bench.{tag}.{kind}{rate}"
    if kind == "c":
        payloads = [f"{key}:1|c".encode()]
        path = f"stats_counts.{key}"
    else:
        payloads = [f"{key}:{i % 1000}.{i % 7}|ms".encode() for i in range(4096)]
        path = f"stats.timers.{key}.count"
    drops = udp_rcvbuf_errors()
    cpu = cpu_seconds(server.pid)
    started = time.perf_counter()
    sent = send(port, payloads, rate, seconds)
    wall = time.perf_counter() - started
    cpu = cpu_seconds(server.pid) - cpu
    deadline = time.monotonic() + 2 * flush + 4
    counted = 0.0
    while time.monotonic() < deadline:  # wait for the flushes that carry the last packets
        time.sleep(0.5)
        if (counted := sink.total(path)) >= sent:
            break
    time.sleep(flush + 0.2)
    counted = sink.total(path)
    return sent, counted, 100 * cpu / wall, udp_rcvbuf_errors() - drops, sent / wall


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--counter-rates", default="40000,80000,120000,160000,200000,240000")
    parser.add_argument("--timer-rates", default="20000,40000,80000,120000,160000")
    parser.add_argument("--seconds", type=float, default=8.0, help="send time per step")
    parser.add_argument("--flush-interval", type=float, default=1.0, help="seconds")
    parser.add_argument("--etsy", metavar="STATS_JS", help="also run Etsy statsd 0.9.0 (node)")
    parser.add_argument("--pin", action="store_true", help="server on CPU 1, sender on CPU 0")
    args = parser.parse_args()
    if args.pin:
        os.sched_setaffinity(0, {0})
    sink = Sink()
    workdir = Path(tempfile.mkdtemp(prefix="bench-statsd-"))
    print(f"# {' '.join(sys.argv)}  ({os.cpu_count()} cores, load {os.getloadavg()[0]:.2f})")
    print(
        f"{'server':10} {'kind':6} {'rate/s':>8} {'sent':>9} {'counted':>9} {'loss %':>8} "
        f"{'CPU %':>6} {'rcvbuf drops':>12} {'sent/s':>8}"
    )
    steps = [("c", int(r)) for r in args.counter_rates.split(",") if r] + [
        ("ms", int(r)) for r in args.timer_rates.split(",") if r
    ]
    procs: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
    try:
        for name in ["tallyflow", *(["etsy"] if args.etsy else [])]:
            port = free_port()
            cpu = 1 if args.pin else None
            if name == "etsy":
                procs[name] = (
                    start_etsy(args.etsy, port, sink.port, workdir, cpu, args.flush_interval),
                    port,
                )
            else:
                procs[name] = (
                    start_tallyflow(port, sink.port, workdir, cpu, args.flush_interval),
                    port,
                )
        time.sleep(3)
        for kind, rate in steps:
            for name, (proc, port) in procs.items():
                sent, counted, cpu, drops, achieved = step(
                    proc, port, sink, kind, rate, args.seconds, name, args.flush_interval
                )
                loss = 100 * (sent - counted) / sent if sent else 0.0
                kind_name = "counter" if kind == "c" else "timer"
                print(
                    f"{name:10} {kind_name:6} {rate:>8} {sent:>9} {counted:>9.0f} {loss:>8.3f} "
                    f"{cpu:>6.1f} {drops:>12} {achieved:>8.0f}",
                    flush=True,
                )
    finally:
        for proc, _ in procs.values():
            proc.terminate()
            proc.wait(timeout=15)


if __name__ == "__main__":
    main()
