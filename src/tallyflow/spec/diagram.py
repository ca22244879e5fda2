"""The data-flow diagram of one metric as SVG, drawn right to left as the seed draws it:
initiated by ▭ → collected by ◯ → collected metrics ═ → aggregation ◯ → aggregate metrics ═ →
panel ▭ → dashboard ▭, with the research question above.

Input: a spec and one metric (its data-flow row, or what the spec says of it). Output: SVG text,
deterministic (same spec, same bytes).
"""

from __future__ import annotations

import re
from html import escape

from tallyflow.spec.models import DataFlowRow, Metric, Spec

STEPS: list[tuple[str, str, str]] = [
    ("dashboard", "Dashboard", "box"),
    ("panel", "Panel", "box"),
    ("aggregate_metric", "Aggregate metrics", "store"),
    ("aggregation", "Aggregation", "process"),
    ("collected_metric", "Collected metrics", "store"),
    ("collected_by", "Collected by", "process"),
    ("initiated_by", "Initiated by", "box"),
]
"""Left to right on the page; data flows from the right end to the left end."""
NODE_W, NODE_H, GAP, TOP, CHARS = 150, 84, 40, 56, 21


def row_for(spec: Spec, metric: Metric) -> DataFlowRow:
    """The metric's data-flow row, or one built from the rest of its spec."""
    for row in spec.data_flow:
        if row.metric == metric.name:
            return row
    return DataFlowRow(
        research_question=spec.research_questions[0] if spec.research_questions else metric.name,
        dashboard=spec.dashboard.title or spec.feature,
        panel=metric.graphs[0].title if metric.graphs else None,
        aggregate_metric=metric.path,
        collected_metric=", ".join(s.name for s in spec.streams + spec.counters) or None,
    )


def _wrap(text: str) -> list[str]:
    """Lines of at most CHARS characters, broken after spaces, dots and slashes."""
    tokens = [t for t in re.split(r"(?<=[ ./])", text) if t]
    lines: list[str] = []
    current = ""
    for token in tokens:
        while len(token) > CHARS:
            if current:
                lines.append(current)
                current = ""
            lines.append(token[:CHARS])
            token = token[CHARS:]
        if len(current) + len(token.rstrip()) > CHARS:
            lines.append(current)
            current = ""
        current += token
    lines = [line.strip() for line in [*lines, current] if line.strip()] or [""]
    if len(lines) > 4:
        lines = [*lines[:3], lines[3][: CHARS - 1] + "…"]
    return lines


def _shape(kind: str, x: int, y: int) -> str:
    if kind == "process":
        cx, cy = x + NODE_W // 2, y + NODE_H // 2
        return (
            f'<ellipse cx="{cx}" cy="{cy}" rx="{NODE_W // 2}" ry="{NODE_H // 2}" class="process"/>'
        )
    if kind == "store":
        return (
            f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" class="fill"/>'
            f'<line x1="{x}" y1="{y}" x2="{x + NODE_W}" y2="{y}" class="edge"/>'
            f'<line x1="{x}" y1="{y + 5}" x2="{x + NODE_W}" y2="{y + 5}" class="edge"/>'
            f'<line x1="{x}" y1="{y + NODE_H - 5}" x2="{x + NODE_W}" y2="{y + NODE_H - 5}" '
            'class="edge"/>'
            f'<line x1="{x}" y1="{y + NODE_H}" x2="{x + NODE_W}" y2="{y + NODE_H}" class="edge"/>'
        )
    return f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="2" class="box"/>'


def diagram(spec: Spec, metric: Metric) -> str:
    """SVG text of the metric's data flow."""
    row = row_for(spec, metric)
    steps = [(label, kind, getattr(row, key)) for key, label, kind in STEPS if getattr(row, key)]
    width = max(1, len(steps)) * (NODE_W + GAP) - GAP + 20
    height = TOP + NODE_H + 20
    title = f"{metric.name}: {row.research_question}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        "<style>.box,.process,.fill{fill:#f8f9fa}.box,.process{stroke:#36c;stroke-width:1.5}"
        ".edge{stroke:#36c;stroke-width:1.5}.arrow{stroke:#54595d;stroke-width:1.5;"
        "marker-end:url(#head)}.label{fill:#54595d;font-size:10px}</style>",
        '<defs><marker id="head" markerWidth="8" markerHeight="8" refX="7" refY="4" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#54595d"/></marker></defs>',
        f'<text x="10" y="20" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for index, (label, kind, text) in enumerate(steps):
        x, y = 10 + index * (NODE_W + GAP), TOP
        parts.append(_shape(kind, x, y))
        parts.append(
            f'<text x="{x + NODE_W // 2}" y="{y - 6}" text-anchor="middle" '
            f'class="label">{escape(label)}</text>'
        )
        lines = _wrap(str(text))
        first = y + NODE_H // 2 - (len(lines) - 1) * 7 + 4
        for number, line in enumerate(lines):
            parts.append(
                f'<text x="{x + NODE_W // 2}" y="{first + number * 14}" '
                f'text-anchor="middle">{escape(line)}</text>'
            )
        if index > 0:
            arrow_y = y + NODE_H // 2
            parts.append(
                f'<line x1="{x - 2}" y1="{arrow_y}" x2="{x - GAP + 4}" y2="{arrow_y}" '
                'class="arrow"/>'
            )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
