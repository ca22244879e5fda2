"""`tallyflow up` wired (a project and options in; the running embedded pipeline out): which
services run, on which ports (and the tallyflow.yaml keys that set them), how each is started
and checked, the stage file that tells the web UI what runs where, and the loop that keeps it
all running until Ctrl-C / SIGTERM or a service dies. Like `pipeline`, it reaches across stages.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

import orjson

from tallyflow import pipeline
from tallyflow.aggregate.scheduler import ReportScheduler, reports_output
from tallyflow.errors import UsageError
from tallyflow.project import PROJECT_FILE, Project
from tallyflow.supervise import (
    Child,
    ChildDied,
    Port,
    Supervisor,
    check_ports,
    http_ok,
    local_address,
    tcp_accepts,
    udp_bound,
)

STAGES_ENV = "TALLYFLOW_UP_STAGES"
"""Names the stage file for the web UI's /healthz and /metrics."""
STAGES_FILE = "up.json"
HISTORY_DAYS = 30
"""Days of history `--traffic` seeds before today."""
_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*")


def parse_duration(text: str) -> float:
    """`30s`, `5m`, `1h` or a number of seconds -> seconds."""
    match = _DURATION.fullmatch(text)
    if not match or float(match.group(1)) <= 0:
        raise UsageError(f"--every {text!r}: expected a duration such as 30s, 5m or 1h")
    return float(match.group(1)) * {"s": 1, "m": 60, "h": 3600}[match.group(2) or "s"]


@dataclass(frozen=True)
class UpOptions:
    traffic: bool = False
    every: float | None = None
    """Seconds between report runs; None: hourly at the top of the hour."""
    ui: bool = True
    host: str | None = None
    """Interface every service listens on (default: each service's own host setting)."""


@dataclass(frozen=True)
class Plan:
    """The services of one `up`: where they listen and how to reach them."""

    project: Project
    options: UpOptions

    def host(self, configured: str) -> str:
        return self.options.host or configured

    @property
    def intake_url(self) -> str:
        s = self.project.settings.intake
        return f"http://{_url_host(local_address(self.host(s.host)))}:{s.port}"

    @property
    def ui_url(self) -> str:
        s = self.project.settings.ui
        return f"http://{_url_host(local_address(self.host(s.host)))}:{s.port}/"

    @property
    def statsd_address(self) -> tuple[str, int]:
        s = self.project.settings.statsd
        return local_address(self.host(s.host)), s.port

    @property
    def carbon_address(self) -> tuple[str, int]:
        s = self.project.settings.carbon
        return local_address(self.host(s.host)), s.port

    def ports(self) -> list[Port]:
        s = self.project.settings
        ports = [
            Port(self.host(s.intake.host), s.intake.port, "tcp", "intake.port"),
            Port(self.host(s.statsd.host), s.statsd.port, "udp", "statsd.port"),
            Port(self.host(s.carbon.host), s.carbon.port, "tcp", "carbon.port"),
        ]
        if s.statsd.admin_port is not None:
            ports.append(Port(s.statsd.admin_host, s.statsd.admin_port, "tcp", "statsd.admin_port"))
        if s.prometheus.port is not None:
            ports.append(Port(s.prometheus.host, s.prometheus.port, "tcp", "prometheus.port"))
        if self.options.ui:
            ports.insert(0, Port(self.host(s.ui.host), s.ui.port, "tcp", "ui.port"))
        return ports

    def check(self) -> None:
        """Every port is fixed, distinct and free, before anything starts."""
        where = str(self.project.root / PROJECT_FILE)
        seen: dict[tuple[str, int], str] = {}
        for port in self.ports():
            if port.port == 0:
                raise UsageError(
                    f"{port.setting} is 0: `up` needs a fixed port for every service",
                    hint=f"set `{port.setting}` to a free port in {where}",
                )
            other = seen.setdefault((port.protocol, port.port), port.setting)
            if other != port.setting:
                raise UsageError(
                    f"{other} and {port.setting} are both {port.protocol.upper()} {port.port}",
                    hint=f"give each service its own port in {where}",
                )
        check_ports(self.ports(), where)

    def _command(self, service: str, host: str) -> list[str]:
        command = [sys.executable, "-m", "tallyflow", "serve", service]
        command += ["-p", str(self.project.root), "--host", host]
        if self.project.profile:
            command += ["--profile", self.project.profile]
        return command

    def children(self, log_dir: Path, stage_file: Path) -> list[Child]:
        s = self.project.settings
        intake_host = self.host(s.intake.host)
        statsd_host = self.host(s.statsd.host)
        carbon_host = self.host(s.carbon.host)
        statsd_ready = (
            tcp_accepts(s.statsd.admin_host, s.statsd.admin_port)
            if s.statsd.admin_port is not None
            else udp_bound(statsd_host, s.statsd.port)
        )
        children = [
            Child(
                "intake",
                self._command("intake", intake_host),
                http_ok(self.intake_url + "/_info"),
                log_dir / "intake.log",
            ),
            Child(
                "statsd", self._command("statsd", statsd_host), statsd_ready, log_dir / "statsd.log"
            ),
            Child(
                "carbon",
                self._command("carbon", carbon_host),
                tcp_accepts(carbon_host, s.carbon.port),
                log_dir / "carbon.log",
            ),
        ]
        if self.options.ui:
            env = {**os.environ, STAGES_ENV: str(stage_file)}
            children.append(
                Child(
                    "ui",
                    self._command("ui", self.host(s.ui.host)),
                    http_ok(self.ui_url + "healthz"),
                    log_dir / "ui.log",
                    env,
                )
            )
        return children

    def stages(self) -> dict[str, Any]:
        """What runs where, for the web UI's health checks."""
        s = self.project.settings
        return {
            "intake": {"url": self.intake_url},
            "statsd": {
                "host": self.statsd_address[0],
                "port": s.statsd.port,
                "admin_host": local_address(s.statsd.admin_host),
                "admin_port": s.statsd.admin_port,
            },
            "carbon": {"host": self.carbon_address[0], "port": s.carbon.port},
            "scheduler": {
                "reports": str(reports_output(self.project)),
                "every": self.options.every or 3600.0,
            },
        }

    def summary(self) -> list[tuple[str, str, str]]:
        """(service, where, tallyflow.yaml key) rows, the web UI first."""
        s = self.project.settings
        statsd = f"udp://{self.statsd_address[0]}:{s.statsd.port}"
        if s.statsd.admin_port is not None:
            statsd += f" (admin tcp {s.statsd.admin_port})"
        every = f"every {self.options.every:g}s" if self.options.every else "hourly (top of hour)"
        rows = [
            ("intake", f"{self.intake_url}/v1/events", "intake.port"),
            ("statsd", statsd, "statsd.port"),
            ("carbon", f"tcp://{self.carbon_address[0]}:{s.carbon.port}", "carbon.port"),
            ("reports", f"{every} -> {reports_output(self.project)}", "reports"),
            ("store", str(self.project.store_root), "store"),
        ]
        if self.options.ui:
            rows.insert(0, ("web UI", self.ui_url, "ui.port"))
        return rows


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _prune(project: Project) -> Callable[[dt.datetime], str]:
    def job(now: dt.datetime) -> str:
        receipt = pipeline.prune_store(project, now.replace(tzinfo=dt.UTC))
        deleted = sum(receipt.deleted.values())
        return f"store retention: {deleted} old hour partition(s) deleted"

    return job


def _report_log(log_dir: Path) -> None:
    """The runner's per-interval warnings and errors go to a file that rotates at 5 MB (a run
    every 30 s logs each empty interval); the scheduler prints one line a run."""
    logger = logging.getLogger("tallyflow.reports")
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    handler = RotatingFileHandler(log_dir / "reports.log", maxBytes=5_000_000, backupCount=2)
    handler.setFormatter(logging.Formatter("%(asctime)s - %(levelname)s - %(message)s"))
    logger.addHandler(handler)


class Up:
    """One running `up`: children, scheduler and (with traffic) the feeders."""

    def __init__(self, plan: Plan, echo: Callable[[str], None]) -> None:
        self.plan = plan
        self.echo = echo
        self.project = plan.project
        self.log_dir = self.project.store_root / "logs"
        self.stage_file = self.project.store_root / STAGES_FILE
        self.supervisor = Supervisor()
        self.stopping = threading.Event()
        carbon = plan.carbon_address
        self.scheduler = ReportScheduler(
            self.project,
            carbon,
            plan.options.every,
            self._log,
            [_prune(self.project)],
            lambda: pipeline.declared_tables(self.project),
        )
        self._background: threading.Thread | None = None
        self._feed: Any = None

    def _log(self, line: str) -> None:
        self.echo(f"{dt.datetime.now():%H:%M:%S} {line}")

    def start(self) -> None:
        """Check ports, start and wait for every service (stopping them all on failure)."""
        self.plan.check()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        _report_log(self.log_dir)
        self.stage_file.write_bytes(orjson.dumps(self.plan.stages(), option=orjson.OPT_INDENT_2))
        for child in self.plan.children(self.log_dir, self.stage_file):
            self.supervisor.start(child)
        try:
            self.supervisor.wait_ready()
        except BaseException:
            self.supervisor.stop()
            raise
        self._background = threading.Thread(target=self._run_background, daemon=True)
        self._background.start()

    def _run_background(self) -> None:
        """With traffic: seed history first (so the first report run has data), then start
        the live feed; then the scheduler."""
        if self.plan.options.traffic:
            self._start_traffic()
        if not self.stopping.is_set():
            self.scheduler.start()

    def _start_traffic(self) -> None:
        from tallyflow.schemas.generate.live import CounterRule, LiveFeed, seed_history
        from tallyflow.spec.load import load_specs

        streams = traffic_streams(self.project)
        if not streams:
            self._log("traffic: no stream with a schema_title in streams.yaml; nothing to send")
            return
        self._log(f"traffic: seeding {HISTORY_DAYS} days of history for {', '.join(streams)}")
        written = seed_history(self.project, streams, dt.date.today(), HISTORY_DAYS)
        self._log(
            "traffic: history "
            + ", ".join(f"{stream} {count} events" for stream, count in written.items())
            + " (days already present skipped)"
        )
        rules = [
            CounterRule(source.name, counter.name)
            for spec_file in load_specs(self.project)
            for source in spec_file.spec.streams
            for counter in spec_file.spec.counters
        ]
        if self.stopping.is_set():
            return
        self._feed = LiveFeed(
            self.project,
            streams,
            self.plan.intake_url + "/v1/events",
            self.plan.statsd_address,
            rules,
        )
        self._feed.start()
        self._log(
            f"traffic: live events -> {self.plan.intake_url}/v1/events, "
            f"{len(rules)} StatsD counter(s) -> udp {self.plan.statsd_address[1]}"
        )

    def watch(self) -> None:
        """Until `stopping` is set; ChildDied when a service exits."""
        while not self.stopping.wait(0.5):
            dead = self.supervisor.dead()
            if dead is not None:
                raise ChildDied(dead)

    def stop(self) -> dict[str, int]:
        """Stop feeders and scheduler, then every service (each flushes on SIGTERM)."""
        self.stopping.set()
        if self._feed is not None:
            self._feed.stop()
        self.scheduler.stop()
        codes = self.supervisor.stop()
        self.stage_file.unlink(missing_ok=True)
        return codes


def traffic_streams(project: Project) -> list[str]:
    """The configured streams (exact names with a schema title), in file order."""
    config = pipeline.streams(project)
    return [
        name
        for name in config.names()
        if (entry := config.lookup(name)) is not None and entry.schema_title
    ]
