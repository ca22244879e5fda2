"""tallyflow: product analytics as code.

A metric spec says what a team wants to learn; features emit StatsD counters and
schema-validated events; tallyflow collects, stores, aggregates and charts them, wire- and
file-compatible with the Wikimedia analytics stack (EventGate, schema repositories, Hive tables,
ReportUpdater, Graphite/Prometheus, Grafana).
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
