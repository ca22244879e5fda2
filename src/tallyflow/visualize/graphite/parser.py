"""Graphite target expressions: text -> syntax tree, and Grafana's template substitution.

Input: a target as Grafana or a user writes it, e.g.
`aliasByNode(groupByNodes(a.{x,y}.*, 'sum', 1), 0)`. Output: a tree of `Call`, `Path` and
literal nodes (`str`, `int`, `float`, `bool`, `None`), following graphite-web's grammar:
nested calls, keyword arguments (`name=value`), pipes (`a.b | scale(2)` is `scale(a.b, 2)`),
path expressions with globs and brace alternatives (`a.{x,y}.c` is one argument although the
braces hold a comma), quoted strings kept as written (no escape processing, so `"\\1"` reaches
`aliasSub` as graphite-web passes it), numbers, `true`/`false`, `None` and `inf`.
A syntax error is a `QueryError` naming the position.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tallyflow.errors import QueryError

# graphite-web's pathExpression: printable characters but these, which need a backslash.
SYMBOLS = frozenset("(){},.'\"\\|")
NUMBER = re.compile(r"-?\d+(\.\d+)?([eE]-?\d+)?")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
KEYWORDS: dict[str, bool | float | None] = {
    "true": True,
    "false": False,
    "none": None,
    "inf": float("inf"),
}


@dataclass(frozen=True)
class Path:
    """A metric path expression (globs and braces included), fetched when evaluated."""

    text: str


@dataclass(frozen=True)
class Call:
    """A function call; `position` is where its name starts in the target (0-based)."""

    name: str
    args: tuple[Expr, ...] = ()
    kwargs: tuple[tuple[str, Expr], ...] = ()
    position: int = field(default=0, compare=False)


Literal = str | int | float | bool | None
Expr = Call | Path | Literal


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, expected: str) -> QueryError:
        found = repr(self.text[self.pos]) if self.pos < len(self.text) else "the end"
        pointer = " " * self.pos + "^"
        return QueryError(
            f"target syntax error at position {self.pos + 1}: expected {expected}, found {found}",
            hint=f"in: {self.text}\n         {pointer}",
        )

    def skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        self.skip()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise self.fail(repr(char))
        self.pos += 1

    def at_argument_end(self, pos: int) -> bool:
        rest = self.text[pos:].lstrip()
        return rest == "" or rest[0] in ",)|"

    def target(self) -> Expr:
        expr = self.expression()
        if self.peek():
            raise self.fail("the end of the target")
        return expr

    def expression(self) -> Expr:
        expr = self.primary()
        while self.peek() == "|":
            self.pos += 1
            self.skip()
            start = self.pos
            piped = self.call_or_path()
            if not isinstance(piped, Call):
                self.pos = start
                raise self.fail("a function call after '|'")
            expr = Call(piped.name, (expr, *piped.args), piped.kwargs, piped.position)
        return expr

    def primary(self) -> Expr:
        char = self.peek()
        if not char:
            raise self.fail("a function call, a path or a value")
        if char in "'\"":
            return self.string()
        number = NUMBER.match(self.text, self.pos)
        if number and self.at_argument_end(number.end()):
            self.pos = number.end()
            text = number.group()
            return int(text) if text.lstrip("-").isdigit() else float(text)
        word = IDENT.match(self.text, self.pos)
        if word and word.group().lower() in KEYWORDS and self.at_argument_end(word.end()):
            self.pos = word.end()
            return KEYWORDS[word.group().lower()]
        return self.call_or_path()

    def string(self) -> str:
        quote, start = self.text[self.pos], self.pos
        self.pos += 1
        while self.pos < len(self.text) and self.text[self.pos] != quote:
            self.pos += 2 if self.text[self.pos] == "\\" else 1
        if self.pos >= len(self.text):
            self.pos = start
            raise self.fail(f"a closing {quote} for the string")
        self.pos += 1
        return self.text[start + 1 : self.pos - 1]

    def call_or_path(self) -> Call | Path:
        start = self.pos
        word = IDENT.match(self.text, self.pos)
        if word:
            self.pos = word.end()
            if self.peek() == "(":
                self.pos += 1
                return self.call(word.group(), start)
            self.pos = start
        return self.path()

    def call(self, name: str, start: int) -> Call:
        args: list[Expr] = []
        kwargs: list[tuple[str, Expr]] = []
        if self.peek() != ")":
            while True:
                keyword = self.keyword()
                if keyword:
                    kwargs.append((keyword, self.expression()))
                elif kwargs:
                    raise self.fail("a keyword argument (name=value) after keyword arguments")
                else:
                    args.append(self.expression())
                if self.peek() != ",":
                    break
                self.pos += 1
        self.expect(")")
        return Call(name, tuple(args), tuple(kwargs), start)

    def keyword(self) -> str | None:
        self.skip()
        word = IDENT.match(self.text, self.pos)
        if not word:
            return None
        after = word.end()
        while after < len(self.text) and self.text[after].isspace():
            after += 1
        if after < len(self.text) and self.text[after] == "=":
            self.pos = after + 1
            return word.group()
        return None

    def path(self) -> Path:
        start = self.pos
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                self.pos += 2
            elif char == "{":
                self.braces()
            elif char == "." or not (char.isspace() or char in SYMBOLS):
                self.pos += 1
            else:
                break
        text = self.text[start : self.pos]
        if not text:
            raise self.fail("a function call, a path or a value")
        nodes = text.split(".")
        if "" in nodes:
            empty = nodes.index("")
            self.pos = start + max(0, sum(len(node) + 1 for node in nodes[:empty]) - 1)
            raise self.fail("a path node (a name or a pattern) around this dot")
        return Path(text)

    def braces(self) -> None:
        start = self.pos
        self.pos += 1
        while self.pos < len(self.text) and self.text[self.pos] != "}":
            char = self.text[self.pos]
            if char in "{()'\"|" or char.isspace():
                raise self.fail("'}' closing the '{' at position " + str(start + 1))
            self.pos += 1
        if self.pos >= len(self.text):
            self.pos = start
            raise self.fail("a '}' closing this '{'")
        self.pos += 1


def parse(target: str) -> Expr:
    """The syntax tree of one target; QueryError with the position of a syntax error."""
    return _Parser(target).target()


def first_path(name: str) -> str:
    """The first metric path in a series name such as `divideSeries(a.b,c)` -> `a.b`, as
    graphite-web's aliasByNode and groupByNodes read names that carry function wrappers.
    A bare first argument that is a number or `true` counts as a path here (graphite-web
    would fall back to the whole name); a name that does not parse is returned as it is."""
    if not name.endswith(")"):
        return name
    try:
        parser = _Parser(name)
        expr = parser.target()
    except QueryError:
        return name
    while isinstance(expr, Call) and expr.args:
        expr = expr.args[0]
    if isinstance(expr, Path):
        return expr.text
    if isinstance(expr, bool):
        return "true" if expr else "false"
    if isinstance(expr, int | float):
        return str(expr)
    return name


VARIABLE = re.compile(r"\$(\w+)|\$\{(\w+)\}|\[\[(\w+)\]\]")


def substitute(target: str, variables: Mapping[str, Sequence[str]]) -> str:
    """Grafana's template substitution for Graphite: `$name`, `${name}` and `[[name]]` become
    the variable's value; several values become `{a,b}`; the all value `*` (or an empty
    selection) becomes `*`. Variables not in `variables` are left as written, as Grafana does."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2) or match.group(3)
        if name not in variables:
            return match.group(0)
        values = list(dict.fromkeys(variables[name]))
        if not values or "*" in values:
            return "*"
        if len(values) == 1:
            return values[0]
        return "{" + ",".join(values) + "}"

    return VARIABLE.sub(value, target)
