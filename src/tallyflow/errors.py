"""The exception tree. Messages become user-facing text in one place per edge:
`tallyflow.cli` (exit codes) and the intake's response builder (HTTP statuses).

    TallyflowError                 exit 1
    ├── ConfigError                exit 2  bad tallyflow.yaml, streams.yaml, profile, report config
    ├── UsageError                 exit 2  bad command-line input
    ├── NotYetError                exit 2  a command whose stage has not been built yet
    ├── SchemaError                exit 1  a schema cannot be found, loaded or compiled
    ├── EventError                         one event was not accepted (per-event, at intake)
    │   ├── EventInvalid                   schema validation failed -> EventGate status "invalid"
    │   └── EventRejected                  anything else -> EventGate status "error"
    ├── StoreError                 exit 1  the event or series store cannot be read or written
    ├── QueryError                 exit 1  a query failed to parse, transpile or run
    ├── ReportError                exit 1  a report failed (the runner isolates and counts these)
    ├── CheckFailed                exit 1  a check (`check`, `spec check`, `schemas test`) failed
    └── PublishError               exit 1  a sink could not take data
        ├── PublishTransient               retry later (connection refused, timeout)
        └── PublishTerminal                skip and count (the data itself is bad)

Every error carries a message that names the file, key or field at fault and, where there is
one, a `hint` saying what to do.
"""

from __future__ import annotations

from typing import Any


class TallyflowError(Exception):
    """Base of every error tallyflow raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class ConfigError(TallyflowError):
    """A configuration file is missing, malformed, or has an unknown key or a wrong type."""

    exit_code = 2


class UsageError(TallyflowError):
    """Bad command-line input."""

    exit_code = 2


class NotYetError(TallyflowError):
    """The command exists but its stage is not implemented in this version."""

    exit_code = 2


class SchemaError(TallyflowError):
    """A schema cannot be found, loaded, parsed or compiled."""


class EventError(TallyflowError):
    """One event was not accepted. `status` is EventGate's per-event status."""

    status: str = "error"

    def context(self) -> dict[str, Any]:
        """The `context` object of EventGate's per-event result."""
        return {"message": self.message}


class EventInvalid(EventError):
    """The event does not validate against its schema (EventGate's ValidationError)."""

    status = "invalid"

    def __init__(self, errors: list[dict[str, Any]], errors_text: str) -> None:
        super().__init__(errors_text)
        self.errors = errors
        self.errors_text = errors_text

    def context(self) -> dict[str, Any]:
        return {"errors": self.errors, "errorsText": self.errors_text}


class EventRejected(EventError):
    """The event cannot be processed: missing field, unknown stream, unloadable schema."""


class StoreError(TallyflowError):
    """The event or series store cannot be read or written."""


class QueryError(TallyflowError):
    """A query failed to parse, transpile or run."""


class ReportError(TallyflowError):
    """A report failed for one interval."""


class CheckFailed(TallyflowError):
    """A check found problems; the message lists them."""


class PublishError(TallyflowError):
    """A sink could not take data."""


class PublishTransient(PublishError):
    """The sink is unavailable for now; the data is kept and retried."""


class PublishTerminal(PublishError):
    """The sink rejected the data itself; it is skipped and counted."""
