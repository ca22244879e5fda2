"""The log converter: a process of its own that turns closed write-ahead-log segments into
Parquet (and compacts closed hours), so the intake's workers spend their CPU on requests.

The intake's workers write and rotate the log (`EventStore(converts=False)`); a rotated segment
is closed and unlocked, and this process claims it with the same lock-based hand-over that
replays a dead process's log. It runs at a lower priority than the workers (`nice` 10), so
under full load requests come first and conversion catches up when there is CPU to spare. It
stops on request or when its parent disappears, after a last pass; whatever it leaves is
replayed at the next start.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from datetime import UTC, datetime
from multiprocessing.synchronize import Event

import pyarrow as pa

from tallyflow import pipeline
from tallyflow.errors import TallyflowError
from tallyflow.project import Project
from tallyflow.store.compact import compact, finish_interrupted

log = logging.getLogger(__name__)


NICENESS = 10
"""The converter's scheduling priority below the intake's: its work can wait (the log is
durable), answering requests cannot."""


def run(project: Project, stop: Event, parent: int) -> None:
    """Convert segments every `events.flush_interval` until `stop` is set or `parent` exits."""
    os.nice(NICENESS)
    store = pipeline.event_store(project)
    settings = project.settings.events
    finish_interrupted(store.root)
    next_compaction = time.monotonic() + settings.compact_interval
    while True:
        stopping = stop.wait(settings.flush_interval) or os.getppid() != parent
        try:
            store.recover()
        except (TallyflowError, OSError) as error:
            log.error("converting the event log failed (will retry): %s", error)
        if stopping:
            return
        if settings.compact_interval and time.monotonic() >= next_compaction:
            next_compaction = time.monotonic() + settings.compact_interval
            try:
                compact(store.root, datetime.now(UTC))
            except (TallyflowError, OSError, pa.ArrowException) as error:
                log.error("compacting the event store failed (will retry): %s", error)


class Converter:
    """Starts and stops the converter process."""

    def __init__(self, project: Project) -> None:
        context = multiprocessing.get_context("spawn")
        self._stop = context.Event()
        self._process = context.Process(
            target=run, args=(project, self._stop, os.getpid()), name="tallyflow-converter"
        )

    def start(self) -> None:
        self._process.start()

    def stop(self, timeout: float = 120.0) -> None:
        """Ask for a last pass and wait for it."""
        self._stop.set()
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
