"""A Graphite-compatible read API over the series store (visualize stage).

Input: whisper files in carbon's layout (`tallyflow.store.series`) and Graphite targets as the
generated Grafana dashboards carry them. Output: graphite-web's JSON shapes for `/render`
(format=json), `/metrics/find` and `/metrics/expand`, so the built-in web UI and a real
Grafana (Graphite datasource) can read the store. Modules: `parser` (target syntax and
template substitution), `timespec` (from/until), `finder` (glob matching, fetch), `series`
(consolidation), `combine` / `transform` / `select` (the render functions), `evaluate`,
`output` (JSON) and `routes` (Starlette wiring).
"""

from tallyflow.visualize.graphite.evaluate import render, supported_functions
from tallyflow.visualize.graphite.finder import Node, expand, find
from tallyflow.visualize.graphite.output import expand_json, find_json, render_json
from tallyflow.visualize.graphite.parser import parse, substitute
from tallyflow.visualize.graphite.routes import routes
from tallyflow.visualize.graphite.series import Series
from tallyflow.visualize.graphite.timespec import parse_time

__all__ = [
    "Node",
    "Series",
    "expand",
    "expand_json",
    "find",
    "find_json",
    "parse",
    "parse_time",
    "render",
    "render_json",
    "routes",
    "substitute",
    "supported_functions",
]
