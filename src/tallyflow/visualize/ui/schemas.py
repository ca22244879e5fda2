"""The Schemas section: each schema title of the project's repositories, its versions, the
fields of one version, and the changes between two versions.

Input: the schema roots (`schemas.base_paths`, read as `tallyflow schemas` reads them).
Output: `SchemaTitle` and `Field` records, the `SchemaDiff` that `tallyflow schemas diff`
prints, and the pages `/schemas`, `/schemas/{title}` and `/schemas/{title}/diff`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tallyflow.errors import TallyflowError
from tallyflow.project import Project
from tallyflow.schemas.diff import SchemaDiff, diff_schemas, load_for_diff, locate
from tallyflow.schemas.inventory import by_title, find_schema_files
from tallyflow.schemas.workspace import root_configs
from tallyflow.visualize.ui.pages import UI

CURRENT = "current"


@dataclass(frozen=True)
class SchemaTitle:
    title: str
    versions: list[str]
    """Materialized versions, oldest first."""
    current: str | None
    """The version current.yaml declares, if there is one."""
    description: str

    @property
    def latest(self) -> str:
        return self.versions[-1] if self.versions else CURRENT


@dataclass(frozen=True)
class Field:
    name: str
    """Dotted path (`meta.dt`; `[]` marks array items)."""
    type: str
    required: bool
    description: str


def schema_titles(project: Project) -> list[SchemaTitle]:
    """Every title in the project's schema roots, sorted."""
    found: dict[str, SchemaTitle] = {}
    for config in root_configs(project):
        for title, records in by_title(find_schema_files(config)).items():
            if title in found:
                continue
            versions = sorted({r.version for r in records if not r.current})
            current = next((r for r in records if r.current), None)
            newest = records[-1].schema
            found[title] = SchemaTitle(
                title=title,
                versions=[str(v) for v in versions],
                current=str(current.version) if current else None,
                description=str(newest.get("description", "")).strip(),
            )
    return [found[t] for t in sorted(found)]


def _type(node: dict[str, Any]) -> str:
    kind = node.get("type")
    text = " | ".join(map(str, kind)) if isinstance(kind, list) else str(kind or "any")
    if kind == "array" and isinstance(node.get("items"), dict):
        text = f"array<{_type(node['items'])}>"
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        text = f"map<string, {_type(node['additionalProperties'])}>"
    if "enum" in node:
        text += " (one of " + ", ".join(map(str, node["enum"])) + ")"
    if "format" in node:
        text += f" ({node['format']})"
    return text


def fields_of(schema: dict[str, Any], prefix: str = "") -> list[Field]:
    """The properties of a materialized schema, nested ones as dotted names, in order."""
    found: list[Field] = []
    required = set(schema.get("required") or [])
    for name, node in (schema.get("properties") or {}).items():
        if not isinstance(node, dict):
            continue
        path = f"{prefix}{name}"
        description = " ".join(str(node.get("description", "")).split())
        found.append(Field(path, _type(node), name in required, description))
        if isinstance(node.get("properties"), dict):
            found += fields_of(node, path + ".")
        items = node.get("items")
        if isinstance(items, dict) and isinstance(items.get("properties"), dict):
            found += fields_of(items, path + "[].")
    return found


def schema_fields(project: Project, title: str, version: str) -> list[Field]:
    """The fields of `<title>/<version>` (`current` is materialized first)."""
    configs = root_configs(project)
    record = load_for_diff(locate(f"{title}/{version}", configs), configs)
    return fields_of(record.schema)


def schema_diff(project: Project, title: str, old: str, new: str) -> SchemaDiff:
    """What `tallyflow schemas diff <title>/<old> <title>/<new>` reports."""
    configs = root_configs(project)
    return diff_schemas(f"{title}/{old}", f"{title}/{new}", configs)


def change_class(kind: str) -> str:
    if "added" in kind or kind == "widened":
        return "change-added"
    if "removed" in kind:
        return "change-removed"
    return "change-changed"


def routes(ui: UI) -> list[BaseRoute]:
    project = ui.project

    def problem(request: Request, title: str, message: str, status: int) -> Response:
        return ui.page(
            request,
            "missing.html",
            title=title,
            section="schemas",
            status_code=status,
            message=message,
            back=("/schemas", "every schema"),
        )

    def find(title: str) -> SchemaTitle | None:
        return next((t for t in schema_titles(project) if t.title == title), None)

    def index(request: Request) -> Response:
        try:
            titles = schema_titles(project)
        except TallyflowError as error:
            return problem(request, "Schemas", str(error), 500)
        return ui.page(
            request, "schemas/index.html", title="Schemas", section="schemas", titles=titles
        )

    def one(request: Request) -> Response:
        title = request.path_params["title"].strip("/")
        try:
            found = find(title)
            if found is None:
                return problem(request, "No such schema", f"No schema titled {title!r}.", 404)
            version = request.query_params.get("version") or found.latest
            if version not in [*found.versions, CURRENT]:
                return problem(request, title, f"{title} has no version {version!r}.", 404)
            fields = schema_fields(project, title, version)
        except TallyflowError as error:
            return problem(request, title, str(error), 500)
        return ui.page(
            request,
            "schemas/schema.html",
            title=title,
            section="schemas",
            schema=found,
            version=version,
            fields=fields,
        )

    def diff(request: Request) -> Response:
        title = request.path_params["title"].strip("/")
        try:
            found = find(title)
            if found is None:
                return problem(request, "No such schema", f"No schema titled {title!r}.", 404)
            choices = [*found.versions, CURRENT]
            default_old = found.versions[-2] if len(found.versions) > 1 else choices[0]
            old = request.query_params.get("old") or default_old
            default_new = found.latest if len(found.versions) > 1 else CURRENT
            new = request.query_params.get("new") or default_new
            unknown = [v for v in (old, new) if v not in choices]
            if unknown:
                return problem(request, title, f"{title} has no version {unknown[0]!r}.", 404)
            result = schema_diff(project, title, old, new)
        except TallyflowError as error:
            return problem(request, title, str(error), 500)
        return ui.page(
            request,
            "schemas/diff.html",
            title=f"{title}: {old} → {new}",
            section="schemas",
            schema=found,
            old=old,
            new=new,
            result=result,
            choices=choices,
            change_class=change_class,
        )

    return [
        Route("/schemas", index, name="schemas"),
        Route("/schemas/{title:path}/diff", diff, name="schema_diff"),
        Route("/schemas/{title:path}", one, name="schema"),
    ]
