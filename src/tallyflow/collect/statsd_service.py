"""`serve statsd` assembled (collect stage): settings in, running server + admin + sinks out.

Input: a `Project` (its statsd, graphite, prometheus and series settings, already overridden by
command-line flags). Output: a started `StatsdService` whose `close()` stops everything after a
last flush. `tallyflow up` and the tests use it the same way the CLI does.
"""

from __future__ import annotations

from tallyflow.collect.prometheus_mapping import Mapper
from tallyflow.collect.statsd_admin import AdminServer
from tallyflow.collect.statsd_server import StatsdServer
from tallyflow.collect.statsd_sinks import FlushSink, GraphiteSink, PrometheusSink, SeriesSink
from tallyflow.project import Project
from tallyflow.publish.graphite import GraphiteSender
from tallyflow.publish.prometheus import PrometheusEndpoint, PrometheusRegistry
from tallyflow.store.series import SeriesStore, series_root


class StatsdService:
    def __init__(self, project: Project) -> None:
        settings = project.settings
        sinks: list[FlushSink] = []
        graphite = settings.graphite
        if graphite.host:
            sender = GraphiteSender(graphite.host, graphite.port, max_buffer=graphite.max_buffer)
            sinks.append(GraphiteSink(sender))
        if settings.statsd.series_store:
            store = SeriesStore(series_root(project.store_root), settings.series)
            sinks.append(SeriesSink(store))
        self.registry: PrometheusRegistry | None = None
        self.endpoint: PrometheusEndpoint | None = None
        prometheus = settings.prometheus
        if prometheus.port is not None:
            self.registry = PrometheusRegistry(Mapper(prometheus))
            sinks.append(PrometheusSink(self.registry))
        self.server = StatsdServer(settings.statsd, sinks)
        self.admin: AdminServer | None = None
        try:
            if prometheus.port is not None and self.registry is not None:
                self.endpoint = PrometheusEndpoint(self.registry, prometheus.host, prometheus.port)
            if settings.statsd.admin_port is not None:
                self.admin = AdminServer(
                    self.server, settings.statsd.admin_host, settings.statsd.admin_port
                )
        except OSError:
            self.close()
            raise

    def start(self) -> None:
        self.server.start()
        if self.endpoint:
            self.endpoint.start()
        if self.admin:
            self.admin.start()

    def alive(self) -> bool:
        return self.server.alive()

    def describe(self) -> list[str]:
        """One line per listener, for the start-up message."""
        s = self.server.settings
        lines = [
            f"statsd: UDP {s.host}:{self.server.port} (receive buffer "
            f"{self.server.receive_buffer // 1024} KiB), flush every {s.flush_interval:g}s"
        ]
        if self.admin:
            lines.append(f"admin: TCP {s.admin_host}:{self.admin.port}")
        if self.endpoint:
            lines.append(f"prometheus: http://{self.endpoint.host}:{self.endpoint.port}/metrics")
        lines += [f"sink: {sink.name}" for sink in self.server.sinks]
        return lines

    def close(self) -> None:
        if self.admin:
            self.admin.close()
        if self.endpoint:
            self.endpoint.close()
        self.server.close()
