"""The series store (store stage): metric points -> whisper files in carbon's layout.

Input: `MetricPoint`s from the StatsD flush, the carbon receiver or report publishers. Output:
`<store>/whisper/a/b/c.wsp` for the path `a.b.c` (dots become directories, as carbon-cache does
with ENABLE_TAGS off), so a real graphite-web or graphite-api can serve the directory. A file is
created on its first point with the first matching storage schema (retentions) and aggregation
rule (method, xFilesFactor) from `series:` in tallyflow.yaml, exactly as carbon applies
storage-schemas.conf and storage-aggregation.conf. Files are locked while written (whisper's
flock), so the StatsD server and the carbon receiver can share one store.
"""

from __future__ import annotations

import math
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import whisper

from tallyflow.errors import ConfigError, StoreError
from tallyflow.project import SeriesSettings
from tallyflow.records import MetricPoint

whisper.LOCK = True


def series_root(store_root: Path) -> Path:
    """Where the whisper tree of a project's store lives (graphite-web's WHISPER_DIR)."""
    return store_root / "whisper"


def parse_retentions(text: str) -> list[tuple[int, int]]:
    """`10s:6h,1m:7d` -> [(10, 2160), (60, 10080)] (seconds per point, points)."""
    try:
        archives = [whisper.parseRetentionDef(part.strip()) for part in text.split(",")]
        whisper.validateArchiveList(archives)
    except (ValueError, whisper.InvalidConfiguration) as error:
        raise ConfigError(
            f"series.schemas: bad retentions {text!r}: {error}",
            hint="write precision:duration pairs, finest first, e.g. 10s:6h,1m:7d,10m:5y",
        ) from None
    return [(int(step), int(points)) for step, points in archives]


def metric_file(root: Path, metric: str) -> Path:
    """The whisper file of `metric`; StoreError for paths that cannot be a file path."""
    parts = metric.split(".")
    if any(part in ("", ".", "..") or "/" in part or "\0" in part for part in parts):
        raise StoreError(f"metric path {metric!r} cannot be stored (empty or unsafe part)")
    return root.joinpath(*parts[:-1], parts[-1] + ".wsp")


@dataclass
class WriteReceipt:
    written: int = 0
    created: list[str] = field(default_factory=list)
    rejected: int = 0
    """Points with an unstorable path or a non-finite value."""
    too_old: int = 0
    """Points older than the file's longest retention (whisper ignores them)."""


class SeriesStore:
    """Whisper files under `root` with carbon-style schemas and aggregation rules."""

    def __init__(self, root: Path, settings: SeriesSettings) -> None:
        self.root = root
        try:
            self._schemas = [
                (re.compile(s.pattern), parse_retentions(s.retentions)) for s in settings.schemas
            ]
            self._aggregation = [
                (re.compile(a.pattern), a.method, a.x_files_factor) for a in settings.aggregation
            ]
        except re.error as error:
            raise ConfigError(f"series: bad pattern {error.pattern!r}: {error}") from None

    def archives_for(self, metric: str) -> list[tuple[int, int]]:
        for pattern, archives in self._schemas:
            if pattern.search(metric):
                return archives
        return [(60, 1440 * 7)]

    def aggregation_for(self, metric: str) -> tuple[str, float]:
        for pattern, method, x_files_factor in self._aggregation:
            if pattern.search(metric):
                return method, x_files_factor
        return "average", 0.5

    def write(self, points: Iterable[MetricPoint], now: float | None = None) -> WriteReceipt:
        """Write points (grouped per file, one update per file); never raises for one bad path."""
        receipt = WriteReceipt()
        by_metric: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for point in points:
            if not math.isfinite(point.value):
                receipt.rejected += 1
                continue
            by_metric[point.path].append((point.timestamp, point.value))
        for metric, values in by_metric.items():
            try:
                path = metric_file(self.root, metric)
            except StoreError:
                receipt.rejected += len(values)
                continue
            try:
                if not path.exists():
                    path.parent.mkdir(parents=True, exist_ok=True)
                    method, x_files_factor = self.aggregation_for(metric)
                    whisper.create(str(path), self.archives_for(metric), x_files_factor, method)
                    receipt.created.append(metric)
                oldest = (now or time.time()) - whisper.info(str(path))["maxRetention"]
                fresh = [(ts, value) for ts, value in values if ts > oldest]
                receipt.too_old += len(values) - len(fresh)
                if fresh:
                    whisper.update_many(str(path), fresh, now=int(now) if now else None)
                receipt.written += len(fresh)
            except (OSError, whisper.WhisperException) as error:
                raise StoreError(f"{path}: cannot write series {metric!r}: {error}") from error
        return receipt

    def fetch(
        self, metric: str, start: int, end: int | None = None
    ) -> list[tuple[int, float | None]]:
        """(timestamp, value) pairs of the best archive covering `start`..`end`."""
        path = metric_file(self.root, metric)
        if not path.exists():
            raise StoreError(f"no series {metric!r} in {self.root}")
        result = whisper.fetch(str(path), start, end)
        if result is None:
            return []
        (first, _, step), values = result
        return [(first + i * step, value) for i, value in enumerate(values)]
