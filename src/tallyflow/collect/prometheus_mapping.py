"""StatsD key -> Prometheus metric name and labels (collect stage), statsd_exporter style.

Input: a StatsD key as the aggregator keeps it (`name;tag=value;...`) and its kind (`counter`,
`gauge`, `observer`). Output: a `Mapped` name, labels and histogram buckets, or None when a rule
drops the metric. Rules come from `prometheus.mappings` in tallyflow.yaml and are tried in order;
the first match wins:

    - match: "shop.*.checkout.*"         # glob: `*` is one dot-separated part
      name: "shop_checkout_total"        # `$1`/`${1}` insert captures
      labels: {shop: "$1", outcome: "$2"}

Without a matching rule the name is the key with every character outside `[a-zA-Z0-9_]` turned
into `_` (and `_` put before a leading digit), as statsd_exporter does. DogStatsD tags become
labels; a rule's labels win over tags of the same name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tallyflow.errors import ConfigError
from tallyflow.project import PrometheusMapping, PrometheusSettings

_NOT_NAME = re.compile(r"[^a-zA-Z0-9_]")
_REFERENCE = re.compile(r"\$\{(\d+)\}|\$(\d+)")


def escape_name(name: str) -> str:
    """A valid Prometheus metric or label name: `api.latency-p` -> `api_latency_p`."""
    escaped = _NOT_NAME.sub("_", name)
    return f"_{escaped}" if escaped[:1].isdigit() else escaped


@dataclass(frozen=True)
class Mapped:
    name: str
    labels: tuple[tuple[str, str], ...]
    buckets: tuple[float, ...] | None = None


def _compile(rule: PrometheusMapping, index: int) -> re.Pattern[str]:
    where = f"prometheus.mappings[{index}]"
    if rule.action == "map" and not rule.name:
        raise ConfigError(f"{where}: `name` is required", hint="or set `action: drop`")
    if rule.match_type == "glob":
        if not re.fullmatch(r"[A-Za-z0-9_\-.*:;=]+", rule.match):
            raise ConfigError(f"{where}.match: {rule.match!r} is not a glob of dotted names")
        pattern = "".join("([^.]*)" if char == "*" else re.escape(char) for char in rule.match)
        return re.compile(pattern)
    try:
        return re.compile(rule.match)
    except re.error as error:
        raise ConfigError(f"{where}.match: bad regular expression: {error}") from None


def _expand(template: str, match: re.Match[str]) -> str:
    def group(ref: re.Match[str]) -> str:
        number = int(ref.group(1) or ref.group(2))
        return (match.group(number) or "") if number <= (match.re.groups or 0) else ""

    return _REFERENCE.sub(group, template)


class Mapper:
    """Applies the configured rules; results are cached per (key, kind)."""

    def __init__(self, settings: PrometheusSettings) -> None:
        self._rules = [(_compile(rule, i), rule) for i, rule in enumerate(settings.mappings)]
        self._default_buckets = tuple(settings.buckets)
        self._cache: dict[tuple[str, str], Mapped | None] = {}

    def map(self, key: str, kind: str) -> Mapped | None:
        cached = self._cache.get((key, kind), False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        result = self._map(key, kind)
        if len(self._cache) > 100_000:
            self._cache.clear()
        self._cache[(key, kind)] = result
        return result

    def _map(self, key: str, kind: str) -> Mapped | None:
        base, *tags = key.split(";")
        labels = {escape_name(k): v for k, _, v in (tag.partition("=") for tag in tags) if k}
        for pattern, rule in self._rules:
            if rule.match_metric_type and rule.match_metric_type != kind:
                continue
            match = pattern.fullmatch(base)
            if match is None:
                continue
            if rule.action == "drop":
                return None
            labels.update(
                {escape_name(name): _expand(value, match) for name, value in rule.labels.items()}
            )
            buckets = tuple(rule.buckets) if rule.buckets else self._default_buckets
            return Mapped(
                escape_name(_expand(rule.name, match)), tuple(sorted(labels.items())), buckets
            )
        return Mapped(escape_name(base), tuple(sorted(labels.items())), self._default_buckets)
