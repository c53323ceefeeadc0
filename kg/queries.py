"""The SPARQL query catalogue: ``queries/**/*.rq`` with headers, bound parameters, output.

One query a file; the file name (without ``.rq``) is the query's name and its folder its
category (``contradictions``, ``reports``, ``checks``). A header of comment lines at the
top describes it, so the file stays valid SPARQL::

    #+ summary: Tijdlijn van een wet of maatregel.
    #+ description: Longer text; indented continuation lines
    #+   (two or more spaces after ``#+``) are joined to it.
    #+ tags: rapport, tijd
    #+ params:
    #+   - entity (iri, optional)
    #+   - actor (iri) = groep:gemeenten
    #+ severity: hoog            (contradiction rules: hoog, midden or laag)
    #+ rule: instrument-verwijderd   (contradiction rules: a slug of begrip/tegenstrijdigheid)

Parameter types are ``iri``, ``string``, ``date`` (YYYY-MM-DD), ``integer`` and ``boolean``;
each becomes a pyoxigraph term that the engine binds to the variable of the same name
(pyoxigraph substitutions, or a ``VALUES`` block for a remote endpoint). Values are never
pasted into the query text. A parameter without a default must be given unless it is marked
``optional``; an optional one left out stays unbound. An IRI may be absolute, a prefixed
name from ``data/PREFIXES.ttl`` (``maatregel:intrekking-spreidingswet``) or a path under
the id base (``maatregel/intrekking-spreidingswet``).

The header is parsed strictly: an unknown key, a malformed line, a duplicate key, a missing
summary, a bad parameter or a header line after the query has started is a
:class:`~kg.errors.QueryError` naming the file and line.

>>> q = parse_query_text('''#+ summary: Alles over een ding.
... #+ params: thing (iri) = maatregel/intrekking-spreidingswet
... SELECT ?p ?o WHERE { ?thing ?p ?o }''', name="demo")
>>> q.summary, [p.name for p in q.params]
('Alles over een ding.', ['thing'])
>>> q.bindings()["thing"].value
'https://w3id.org/asielketen/id/maatregel/intrekking-spreidingswet'
>>> try:
...     q.bindings({"thing": '"} ; DROP ALL ; #'})
... except QueryError as err:
...     print(err.location, err.message[:67])
demo.rq:2 parameter thing: '"} ; DROP ALL ; #' is not an IRI: it contains '"'
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import pyoxigraph as ox

from kg.drafts import include_drafts_option
from kg.errors import KgError, QueryError
from kg.namespaces import prefixed
from kg.options import data_option, endpoint_option, format_option, shared_options
from kg.paths import DATA_DIR, QUERIES_DIR

if TYPE_CHECKING:
    from kg.store import Engine, Rows

__all__ = [
    "FORMATS",
    "HEADER_KEYS",
    "PARAM_TYPES",
    "SEVERITIES",
    "Param",
    "Query",
    "catalogue",
    "expand_iri",
    "find_query",
    "format_rows",
    "parse_query",
    "parse_query_text",
    "prefixes",
    "queries_command",
    "query_command",
    "run_query",
    "shorten",
    "term_json",
    "term_text",
]

BASE = "https://w3id.org/asielketen/"
ID_BASE = BASE + "id/"
XSD = "http://www.w3.org/2001/XMLSchema#"

HEADER_KEYS = ("summary", "description", "tags", "params", "severity", "rule")
"""The keys a ``#+`` header line may have."""
PARAM_TYPES = ("iri", "string", "date", "integer", "boolean")
"""The types a parameter may have."""
SEVERITIES = ("hoog", "midden", "laag")
"""Severities of contradiction rules, most severe first (begrip/ernst)."""
FORMATS = ("table", "md", "json", "csv")
"""Output formats of :func:`format_rows`."""

_MULTILINE = ("description", "params")
_KEY_LINE = re.compile(r"^ (?P<key>[A-Za-z][A-Za-z0-9_-]*):(?:[ \t]+(?P<value>.*?))?[ \t]*$")
_PARAM = re.compile(
    r"^(?:-[ \t]*)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)[ \t]*"
    r"\([ \t]*(?P<type>[A-Za-z]+)[ \t]*(?:,[ \t]*(?P<flag>[A-Za-z]+)[ \t]*)?\)"
    r"[ \t]*(?:=[ \t]*(?P<default>\S.*?))?[ \t]*$"
)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_IRI_FORBIDDEN = re.compile(r"[\x00-\x20<>\"{}|^`\\]")
_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):(?P<rest>.*)$", re.S)
_ID_PATH = re.compile(r"^[a-z][a-z0-9-]*/[^/].*$", re.S)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_PREFIX_LINE = re.compile(r"@prefix\s+([A-Za-z][\w-]*)?:\s*<([^>\s]+)>\s*\.")

_FALLBACK_PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "ak": BASE + "def#",
}


@cache
def prefixes() -> dict[str, str]:
    """The prefixes of ``data/PREFIXES.ttl`` (the shared prefix block), by name.

    Used to expand prefixed names in parameters and to shorten IRIs in table output.
    Falls back to rdf, rdfs, xsd, skos and ak when the file is missing.

    >>> prefixes()["ak"]
    'https://w3id.org/asielketen/def#'
    """
    table = dict(_FALLBACK_PREFIXES)
    try:
        text = (DATA_DIR / "PREFIXES.ttl").read_text(encoding="utf-8")
    except OSError:
        return table
    for name, iri in _PREFIX_LINE.findall(text):
        if name:
            table[name] = iri
    return table


def expand_iri(text: str) -> str:
    """Return the absolute IRI for a parameter value, or raise :class:`ValueError`.

    >>> expand_iri("maatregel/verbod-op-voorrang-statushouders")
    'https://w3id.org/asielketen/id/maatregel/verbod-op-voorrang-statushouders'
    >>> expand_iri("groep:gemeenten")
    'https://w3id.org/asielketen/id/groep/gemeenten'
    >>> expand_iri("https://example.org/x")
    'https://example.org/x'
    >>> expand_iri("<x> } UNION { ?s ?p ?o")
    Traceback (most recent call last):
    ...
    ValueError: it contains '<'
    """
    if not text:
        raise ValueError("it is empty")
    bad = _IRI_FORBIDDEN.search(text)
    if bad:
        raise ValueError(f"it contains {bad.group()!r}")
    match = _SCHEME.match(text)
    if match and not match.group("rest").startswith("//"):
        namespace = prefixes().get(match.group("scheme"))
        if namespace is not None:
            text = namespace + match.group("rest")
    elif not match:
        if not _ID_PATH.match(text):
            raise ValueError("it is not absolute and not a path such as maatregel/SLUG")
        text = ID_BASE + text
    try:
        return ox.NamedNode(text).value
    except ValueError as err:
        raise ValueError(str(err)) from None


def _term(kind: str, raw: str) -> ox.NamedNode | ox.Literal:
    """The pyoxigraph term for a parameter value of type ``kind`` (ValueError if invalid)."""
    if kind == "iri":
        return ox.NamedNode(expand_iri(raw))
    if kind == "string":
        return ox.Literal(raw)
    if kind == "date":
        if not _DATE.match(raw):
            raise ValueError("write a date as YYYY-MM-DD")
        try:
            date.fromisoformat(raw)
        except ValueError as err:
            raise ValueError(str(err)) from None
        return ox.Literal(raw, datatype=ox.NamedNode(XSD + "date"))
    if kind == "integer":
        if not _INTEGER.match(raw):
            raise ValueError("write a whole number such as 12")
        return ox.Literal(str(int(raw)), datatype=ox.NamedNode(XSD + "integer"))
    if kind == "boolean":
        value = raw.lower()
        if value not in ("true", "false"):
            raise ValueError("write true or false")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "boolean"))
    raise ValueError(f"unknown type {kind!r}")  # guarded by the header parser


_HINTS = {
    "iri": "give an absolute IRI, a prefixed name or a path such as "
    "maatregel/verbod-op-voorrang-statushouders",
    "date": "e.g. 2025-07-01",
    "integer": "e.g. 12",
    "boolean": "true or false",
    "string": "any text",
}


@dataclass(frozen=True)
class Param:
    """A declared parameter of a query.

    Attributes:
        name: The variable it binds (without ``?``).
        type: One of :data:`PARAM_TYPES`.
        default: The default value as written in the header, or None.
        optional: Left unbound when not given (only without a default).
        line: The header line that declares it.
    """

    name: str
    type: str
    default: str | None = None
    optional: bool = False
    line: int = 0

    @property
    def required(self) -> bool:
        """Whether a value must be given."""
        return self.default is None and not self.optional

    def describe(self) -> str:
        """The parameter as written in a header.

        >>> Param("actor", "iri", "groep:gemeenten").describe()
        'actor (iri) = groep:gemeenten'
        """
        flag = ", optional" if self.optional else ""
        default = f" = {self.default}" if self.default is not None else ""
        return f"{self.name} ({self.type}{flag}){default}"


@dataclass(frozen=True)
class Query:
    """A query of the catalogue (or a user's own ``.rq`` file).

    Attributes:
        name: The file name without ``.rq``.
        path: Where it was read from (None for text given directly).
        text: The whole file, header included (comments are valid SPARQL).
        summary: One line saying what it answers.
        description: Longer explanation, or an empty string.
        tags: Keywords.
        params: Declared parameters.
        severity: For contradiction rules: ``hoog``, ``midden`` or ``laag``.
        rule: For contradiction rules: the family slug in begrip/tegenstrijdigheid.
        category: The folder under ``queries/`` (``contradictions``, ``reports``, ``checks``),
            or an empty string for a file elsewhere.
    """

    name: str
    path: Path | None
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    severity: str | None = None
    rule: str | None = None
    category: str = ""
    _lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def file(self) -> str:
        """The file name to put in messages."""
        return _display(self.path, self.name)

    def param(self, name: str) -> Param:
        """The declared parameter ``name``.

        Raises:
            QueryError: If the query has no such parameter.
        """
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(
            f"unknown parameter {name!r}; this query's parameters: {known}", file=self.file
        )

    def bindings(
        self, values: Mapping[str, str] | None = None
    ) -> dict[str, ox.NamedNode | ox.Literal]:
        """Turn parameter values (as text) into terms for the engine, with the defaults.

        Args:
            values: Parameter name to value as the user wrote it.

        Raises:
            QueryError: An unknown parameter, a missing required one, or a value that is
                not valid for its type (IRIs with spaces or ``<>"{}|^`\\``, bad dates, ...).
        """
        values = dict(values or {})
        for name in values:
            self.param(name)
        out: dict[str, ox.NamedNode | ox.Literal] = {}
        for param in self.params:
            raw = values.get(param.name, param.default)
            if raw is None:
                if param.optional:
                    continue
                raise QueryError(
                    f"parameter {param.name} ({param.type}) is required; "
                    f"give it with --param {param.name}=VALUE ({_HINTS[param.type]})",
                    file=self.file,
                    line=param.line,
                )
            try:
                out[param.name] = _term(param.type, raw)
            except ValueError as err:
                raise QueryError(
                    f"parameter {param.name}: {raw!r} is not {_type_word(param.type)}: "
                    f"{err}; {_HINTS[param.type]}",
                    file=self.file,
                    line=param.line,
                ) from None
        return out


def _display(path: Path | None, name: str) -> str:
    """A query file as messages name it: relative to the project when inside it."""
    if path is None:
        return f"{name}.rq"
    try:
        return str(path.resolve().relative_to(QUERIES_DIR.parent.resolve()))
    except ValueError:
        return str(path)


def _type_word(kind: str) -> str:
    return {"iri": "an IRI", "integer": "an integer"}.get(kind, "a " + kind)


def _fail(message: str, file: str, line: int) -> QueryError:
    return QueryError(message, file=file, line=line)


def parse_query_text(
    text: str,
    *,
    name: str,
    path: Path | None = None,
    category: str = "",
) -> Query:
    """Parse a query's header (see the module docstring) and return the :class:`Query`.

    Args:
        text: The whole ``.rq`` file.
        name: The query's name (the file name without ``.rq``).
        path: The file, for messages.
        category: The catalogue folder it lives in.

    Raises:
        QueryError: For a malformed header, naming the file and line.
    """
    file = _display(path, name)
    values: dict[str, str] = {}
    lines_of: dict[str, int] = {}
    param_lines: list[tuple[str, int]] = []
    last_key: str | None = None
    in_header = True
    body_lines: list[str] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped.startswith("#+"):
            if in_header and (not stripped or stripped.startswith("#")):
                continue
            if stripped:
                in_header = False
            body_lines.append(line)
            continue
        if not in_header:
            raise _fail(
                "header line after the query has started; move the #+ lines to the top",
                file,
                lineno,
            )
        content = stripped[2:]
        if content.startswith(("  ", "\t")) and content.strip():
            if last_key not in _MULTILINE:
                raise _fail(
                    "indented header line continues nothing; only description and params "
                    "take continuation lines",
                    file,
                    lineno,
                )
            assert last_key is not None
            if last_key == "params":
                param_lines.append((content.strip(), lineno))
            else:
                values[last_key] = (values[last_key] + " " + content.strip()).strip()
            continue
        match = _KEY_LINE.match(content)
        if not match:
            raise _fail(
                f"malformed header line {stripped!r}; write '#+ key: value' with a key from "
                f"{', '.join(HEADER_KEYS)}",
                file,
                lineno,
            )
        key, value = match.group("key"), (match.group("value") or "")
        if key not in HEADER_KEYS:
            raise _fail(
                f"unknown header key {key!r}; use one of {', '.join(HEADER_KEYS)}", file, lineno
            )
        if key in values:
            raise _fail(
                f"duplicate header key {key!r} (first on line {lines_of[key]}); keep one",
                file,
                lineno,
            )
        values[key] = value
        lines_of[key] = lineno
        last_key = key
        if key == "params" and value:
            param_lines.append((value, lineno))
        elif key not in ("params", "description") and not value:
            raise _fail(f"header key {key!r} has no value", file, lineno)
    body = "\n".join(body_lines)
    if "summary" not in values:
        raise _fail("missing '#+ summary:' header line; add one at the top", file, 1)
    if not body.strip():
        raise _fail("the file has a header but no query", file, len(text.splitlines()) or 1)

    tags: tuple[str, ...] = ()
    if "tags" in values:
        tags = tuple(t.strip() for t in values["tags"].split(","))
        if any(not t for t in tags):
            raise _fail("empty tag; separate tags with single commas", file, lines_of["tags"])
    severity = values.get("severity")
    if severity is not None and severity not in SEVERITIES:
        raise _fail(
            f"severity {severity!r} is unknown; use one of {', '.join(SEVERITIES)}",
            file,
            lines_of["severity"],
        )
    rule = values.get("rule")
    if rule is not None and not _SLUG.match(rule):
        raise _fail(
            f"rule {rule!r} is not a slug; use a concept of begrip/tegenstrijdigheid such as "
            "instrument-verwijderd",
            file,
            lines_of["rule"],
        )
    if "params" in values and not param_lines:
        raise _fail(
            "params has no entries; add '#+   - name (type)' lines", file, lines_of["params"]
        )
    params = tuple(_parse_param(entry, lineno, body, file) for entry, lineno in param_lines)
    seen: dict[str, int] = {}
    for param in params:
        if param.name in seen:
            raise _fail(
                f"parameter {param.name!r} declared twice (first on line {seen[param.name]})",
                file,
                param.line,
            )
        seen[param.name] = param.line
    return Query(
        name=name,
        path=path,
        text=text,
        summary=values["summary"],
        description=values.get("description", ""),
        tags=tags,
        params=params,
        severity=severity,
        rule=rule,
        category=category,
        _lines=lines_of,
    )


def _parse_param(entry: str, lineno: int, body: str, file: str) -> Param:
    match = _PARAM.match(entry)
    if not match:
        raise _fail(
            f"malformed parameter {entry!r}; write 'name (type) = default', 'name (type)' or "
            f"'name (type, optional)' with a type from {', '.join(PARAM_TYPES)}",
            file,
            lineno,
        )
    name, kind, flag, default = match.group("name", "type", "flag", "default")
    if kind not in PARAM_TYPES:
        raise _fail(
            f"parameter {name}: unknown type {kind!r}; use one of {', '.join(PARAM_TYPES)}",
            file,
            lineno,
        )
    if flag is not None and flag != "optional":
        raise _fail(f"parameter {name}: unknown flag {flag!r}; only 'optional'", file, lineno)
    if flag and default is not None:
        raise _fail(f"parameter {name}: optional and a default contradict; drop one", file, lineno)
    if not re.search(rf"[?$]{re.escape(name)}\b", body):
        raise _fail(f"parameter {name}: the query has no variable ?{name}", file, lineno)
    if default is not None:
        try:
            _term(kind, default)
        except ValueError as err:
            raise _fail(
                f"parameter {name}: default {default!r} is not {_type_word(kind)}: {err}",
                file,
                lineno,
            ) from None
    return Param(name=name, type=kind, default=default, optional=bool(flag), line=lineno)


def parse_query(path: Path, *, category: str | None = None) -> Query:
    """Read and parse a ``.rq`` file.

    Args:
        path: The file.
        category: Its catalogue folder; by default the folder's name when it is under
            ``queries/``, else an empty string.

    Raises:
        QueryError: If the file cannot be read or its header is malformed.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"cannot read the query: {err}", file=str(path)) from None
    if category is None:
        try:
            category = path.resolve().parent.relative_to(QUERIES_DIR.resolve()).as_posix()
        except ValueError:
            category = ""
        category = "" if category == "." else category
    return parse_query_text(text, name=path.stem, path=path, category=category)


def catalogue(queries_dir: Path | None = None) -> list[Query]:
    """Every query under ``queries/`` (or ``queries_dir``), sorted by category and name.

    >>> names = [q.name for q in catalogue()]
    >>> "instrument-removed" in names and "timeline" in names
    True

    Raises:
        QueryError: If any header is malformed.
    """
    folder = queries_dir or QUERIES_DIR
    out = []
    for path in sorted(folder.rglob("*.rq")):
        category = path.parent.relative_to(folder).as_posix()
        out.append(parse_query(path, category="" if category == "." else category))
    return sorted(out, key=lambda q: (q.category, q.name))


def find_query(name: str, queries_dir: Path | None = None) -> Query:
    """The query called ``name`` (or ``category/name``), or the ``.rq`` file at that path.

    Raises:
        QueryError: If there is no such query, or the name is ambiguous.
    """
    if name.endswith(".rq"):
        path = Path(name)
        if not path.is_file():
            raise QueryError(
                "no such query file; give a path to a .rq file or a name from `kg queries`",
                file=name,
            )
        return parse_query(path)
    hits = [q for q in catalogue(queries_dir) if name in (q.name, f"{q.category}/{q.name}")]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise QueryError(f"unknown query {name!r}; `kg queries` lists them")
    options = ", ".join(f"{q.category}/{q.name}" for q in hits)
    raise QueryError(f"query name {name!r} is ambiguous; use one of {options}")


def run_query(
    engine: Engine,
    query: Query,
    params: Mapping[str, str] | None = None,
    *,
    where: tuple[str, AbstractSet[str]] | None = None,
) -> Rows:
    """Run a SELECT query of the catalogue with its parameters bound by the engine.

    Args:
        engine: From :func:`kg.store.open_engine`.
        query: From :func:`find_query` or :func:`catalogue`.
        params: Parameter values as text (defaults fill the rest).
        where: ``(variable, IRIs)``: keep only the rows whose variable is one of the IRIs
            (see :meth:`kg.store.Engine.select_where`).

    Raises:
        QueryError: Bad parameters, or a query the engine rejects (with the file and line).
    """
    bindings = query.bindings(params)
    try:
        if where is not None:
            return engine.select_where(query.text, where[0], where[1], bindings)
        return engine.select(query.text, bindings)
    except QueryError as err:
        if err.file is None:
            raise QueryError(
                err.message, file=query.file, line=err.line, column=err.column
            ) from None
        raise


# --------------------------------------------------------------------------- output


_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


def in_stable_order(query: Query, rows: Rows) -> list[dict[str, Any]]:
    """The rows as the query orders them; sorted by their values when it has no ORDER BY.

    Without ORDER BY each engine returns rows in its own order; sorting them makes the
    output of ``kg query`` the same on the embedded store and on ``--endpoint``.

    >>> from kg.store import Rows
    >>> q = Query(name="x", path=None, text="SELECT ?x {}", summary="x")
    >>> rows = Rows([{"x": ox.Literal("b")}, {"x": ox.Literal("a")}], ["x"])
    >>> [r["x"].value for r in in_stable_order(q, rows)]
    ['a', 'b']
    """
    body = "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#"))
    if _ORDER_BY.search(body):
        return list(rows)
    return sorted(
        rows, key=lambda row: [term_text(row.get(v), short=False) for v in rows.variables]
    )


def shorten(iri: str) -> str:
    """An IRI as a prefixed name when a prefix of ``data/PREFIXES.ttl`` fits.

    >>> shorten("https://w3id.org/asielketen/id/maatregel/intrekking-spreidingswet")
    'maatregel:intrekking-spreidingswet'
    >>> shorten("https://example.org/x")
    'https://example.org/x'
    """
    short = prefixed(
        iri, prefixes(), lambda rest: bool(rest) and "/" not in rest and "#" not in rest
    )
    return short or iri


def term_text(term: Any, *, short: bool = True) -> str:
    """A term as text: a (short) IRI, ``_:id`` for a blank node, a literal's value.

    >>> term_text(ox.NamedNode("https://w3id.org/asielketen/id/groep/gemeenten"))
    'groep:gemeenten'
    >>> term_text(ox.Literal("2025-02", datatype=ox.NamedNode(XSD + "gYearMonth")))
    '2025-02'
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value) if short else term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


_NUMBERS = {
    XSD + "integer": int,
    XSD + "decimal": float,
    XSD + "double": float,
    XSD + "float": float,
}


def term_json(term: Any) -> Any:
    """A term as a JSON value: IRIs and text as strings, numbers and booleans as such.

    >>> term_json(ox.Literal("36", datatype=ox.NamedNode(XSD + "integer")))
    36
    """
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _NUMBERS:
            try:
                return _NUMBERS[datatype](term.value)
            except ValueError:
                return term.value
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    if term is None:
        return None
    return term_text(term, short=False)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def text_table(header: Sequence[str], rows: Iterable[Sequence[str]], width: int = 60) -> str:
    """Rows as an aligned plain-text table; cells longer than ``width`` are clipped.

    >>> print(text_table(["a", "bb"], [["1", "2"]]))
    a  bb
    -  --
    1  2
    """
    body = [[_clip(cell, width) for cell in row] for row in rows]
    widths = [len(h) for h in header]
    for row in body:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in body:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def md_cell(text: str) -> str:
    """Text made safe for a Markdown table cell."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def format_rows(rows: Sequence[Mapping[str, Any]], variables: Sequence[str], fmt: str) -> str:
    """Render SELECT rows as ``table``, ``md``, ``json`` or ``csv``.

    ``table`` and ``md`` shorten IRIs with the shared prefixes; ``json`` (an array of
    objects, unbound variables as null) and ``csv`` keep full IRIs.

    >>> rows = [{"x": ox.NamedNode("https://w3id.org/asielketen/id/groep/gemeenten")}]
    >>> print(format_rows(rows, ["x", "y"], "md"))
    | x | y |
    | --- | --- |
    | groep:gemeenten |  |
    >>> format_rows(rows, ["x", "y"], "json")
    '[\\n  {\\n    "x": "https://w3id.org/asielketen/id/groep/gemeenten",\\n    "y": null\\n  }\\n]'

    Raises:
        KgError: For an unknown format.
    """
    if fmt == "table":
        return text_table(list(variables), ([term_text(r.get(v)) for v in variables] for r in rows))
    if fmt == "md":
        lines = [
            "| " + " | ".join(variables) + " |",
            "| " + " | ".join("---" for _ in variables) + " |",
        ]
        for row in rows:
            cells = [md_cell(term_text(row.get(v))) for v in variables]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)
    if fmt == "json":
        return json.dumps(
            [{v: term_json(r.get(v)) for v in variables} for r in rows],
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(list(variables))
        for row in rows:
            writer.writerow([term_text(row.get(v), short=False) for v in variables])
        return out.getvalue().rstrip("\n")
    raise KgError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


# --------------------------------------------------------------------------- commands


def _params(values: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(
                f"{item!r} is not NAME=VALUE; "
                "e.g. --param entity=maatregel/intrekking-spreidingswet",
                param_hint="--param",
            )
        if name.strip() in out:
            # Silently keeping the last of two values would answer another question.
            raise click.BadParameter(
                f"{name.strip()} is given twice; give each parameter once",
                param_hint="--param",
            )
        out[name.strip()] = value
    return out


@click.command("queries")
@click.option(
    "--category",
    type=click.Choice(["contradictions", "reports", "checks"]),
    default=None,
    help="Only the queries of this folder.",
)
@format_option(["table", "md", "json"], "Output format.")
@shared_options
def queries_command(category: str | None, fmt: str) -> None:
    """List the query catalogue (queries/) with parameters and summaries.

    \b
    Examples:
      kg queries
      kg queries --category reports --format md
    """
    found = [q for q in catalogue() if category is None or q.category == category]
    if fmt == "json":
        data = [
            {
                "name": q.name,
                "category": q.category,
                "summary": q.summary,
                "description": q.description,
                "tags": list(q.tags),
                "params": [
                    {"name": p.name, "type": p.type, "default": p.default, "optional": p.optional}
                    for p in q.params
                ],
                "severity": q.severity,
                "rule": q.rule,
                "file": q.file,
            }
            for q in found
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    header = ["name", "category", "params", "summary"]
    rows = [
        [q.name, q.category, "; ".join(p.describe() for p in q.params), q.summary] for q in found
    ]
    if fmt == "md":
        lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
        lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
        click.echo("\n".join(lines))
    else:
        click.echo(text_table(header, rows, width=100))


@click.command("query")
@click.argument("name")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter value; repeat for more (see `kg queries` for each query's parameters).",
)
@format_option(FORMATS, "Output format; json is an array of objects, csv keeps full IRIs.")
@data_option
@endpoint_option
@include_drafts_option
@shared_options
def query_command(
    name: str,
    params: tuple[str, ...],
    fmt: str,
    data: Path | None,
    endpoint: str | None,
    include_drafts: bool,
) -> None:
    """Run the query NAME from the catalogue, or a .rq file, with bound parameters.

    Parameter values are bound by the engine, never pasted into the query: an IRI may be
    absolute, a prefixed name (groep:gemeenten) or a path (maatregel/SLUG).

    \b
    Examples:
      kg query timeline --param entity=wetsvoorstel/asielnoodmaatregelenwet
      kg query affects-actor -p actor=organisatie:coa --format csv
      kg query my-own.rq --format json
    """
    from kg.drafts import without_drafts
    from kg.runtime import keep_until_exit, paused_gc
    from kg.store import open_engine

    query = find_query(name)
    values = _params(params)
    query.bindings(values)  # report bad parameters before building the store
    with paused_gc():
        engine = open_engine(data_dir=data, endpoint=endpoint)
        if not include_drafts:
            engine = without_drafts(engine)
        rows = run_query(engine, query, values)
        click.echo(format_rows(in_stable_order(query, rows), rows.variables, fmt))
        keep_until_exit(engine, rows)
