"""SPARQL engines: an embedded Oxigraph store built from the data folder, or a remote endpoint.

Both kinds answer the same calls, so the same ``.rq`` files run everywhere:

* :meth:`Engine.select` returns :class:`Rows`, a list of ``{variable: pyoxigraph term}``
  dicts (unbound variables left out) with the projected ``variables``;
* :meth:`Engine.ask` returns a bool; :meth:`Engine.construct` a list of pyoxigraph
  triples.

``bindings`` (variable name to pyoxigraph term) are bound by the engine, never pasted into
the query text: the embedded store uses pyoxigraph substitutions, a remote endpoint gets
the same values as a ``VALUES`` block at the start of the query's ``WHERE`` group.

The default graph is the union of all named graphs, so a query without ``GRAPH`` sees
everything; ``GRAPH ?g`` tells where a statement comes from.

The embedded store lives on disk under :func:`kg.paths.build_dir`, in ``store-<hash>``
where the hash covers every input file (ontology and data, paths and bytes) and the kg
version. It is built in a temporary folder and renamed into place, so a failed or
concurrent build never leaves a half-written store, and it is reused while the inputs are
unchanged.

>>> engine = open_engine(cache=False, data_dir=None)
>>> engine.ask("ASK { ?c a <http://www.w3.org/2002/07/owl#Class> }")
True
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.dataset import (
    InputFile,
    display_path,
    input_files,
    parse_file,
    rdf_format,
    typed_literals_well_formed,
)
from kg.errors import EndpointError, InputError, KgError, QueryError
from kg.namespaces import ONTOLOGY_GRAPH
from kg.paths import build_dir as default_build_dir
from kg.runtime import paused_gc

__all__ = [
    "BuildInfo",
    "EmbeddedEngine",
    "Engine",
    "RemoteEngine",
    "Rows",
    "build_store",
    "current_build",
    "input_hash",
    "open_engine",
]

log = logging.getLogger(__name__)

Bindings = Mapping[str, "ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple"]

_KEEP_BUILDS = 3
"""How many store builds to keep in the build folder (others may still be reading one)."""


class Rows(list[dict[str, Any]]):
    """Rows of a SELECT result: a list of ``{variable: term}`` with ``variables``."""

    def __init__(self, rows: list[dict[str, Any]], variables: list[str]) -> None:
        super().__init__(rows)
        self.variables = variables


class Engine(ABC):
    """Something that answers SPARQL 1.1 queries over the asielketen dataset.

    Attributes:
        store: The pyoxigraph Store of an embedded engine; None for a remote endpoint.
    """

    store: ox.Store | None = None

    @abstractmethod
    def select(self, sparql: str, bindings: Bindings | None = None) -> Rows:
        """Run a SELECT query.

        Args:
            sparql: The query text.
            bindings: Values for variables of the query, bound by the engine.

        Raises:
            QueryError: If the query is malformed or not a SELECT query.
        """

    def select_where(
        self,
        sparql: str,
        var: str,
        iris: AbstractSet[str],
        bindings: Bindings | None = None,
    ) -> Rows:
        """Run a SELECT query and keep the rows whose ``var`` is one of ``iris``.

        For a report about many entities at once: cheaper than one query per entity, and
        an embedded engine makes rows only for the solutions it keeps.

        Args:
            sparql: The query text.
            var: A variable the query projects.
            iris: The IRIs to keep.
            bindings: Values for variables of the query, bound by the engine.
        """
        rows = self.select(sparql, bindings)
        kept = [
            row for row in rows if type(term := row.get(var)) is ox.NamedNode and term.value in iris
        ]
        return Rows(kept, rows.variables)

    @abstractmethod
    def ask(self, sparql: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query (see :meth:`select` for the arguments)."""

    @abstractmethod
    def construct(self, sparql: str, bindings: Bindings | None = None) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query (see :meth:`select` for the arguments)."""


def _rows(solutions: ox.QuerySolutions, where: tuple[str, AbstractSet[str]] | None = None) -> Rows:
    """The solutions as rows; with ``where = (var, iris)`` only those whose ``var`` is one.

    A row is made only for a solution that is kept: for a report of which a few thousand
    of a few hundred thousand rows are wanted, that is most of the time it takes.
    """
    variables = [v.value for v in solutions.variables]
    if where is None:
        rows = [
            {name: term for name, term in zip(variables, solution) if term is not None}
            for solution in solutions
        ]
        return Rows(rows, variables)
    name, wanted = where
    if name not in variables:
        return Rows([], variables)
    index = variables.index(name)
    rows = []
    for solution in solutions:
        key = solution[index]
        if type(key) is ox.NamedNode and key.value in wanted:
            rows.append({n: term for n, term in zip(variables, solution) if term is not None})
    return Rows(rows, variables)


def _query_error(err: SyntaxError) -> QueryError:
    """A QueryError with the line and column pyoxigraph gives ("error at 3:2: ...")."""
    message = str(err.msg) if err.msg else str(err)
    line, column = err.lineno, err.offset
    found = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if found:
        line, column, message = int(found.group(1)), int(found.group(2)), found.group(3)
    if "Prefix not found" in message:
        return QueryError(
            "SPARQL syntax error: a prefix is used but not declared; add "
            "`PREFIX name: <IRI>` at the top of the query",
            line=line,
            column=column,
        )
    # The parser may list every character class it expected, over several lines; the
    # message must stay one line.
    message = " ".join(message.split())
    if len(message) > 160:
        message = message[:159] + "…"
    return QueryError(
        f"SPARQL syntax error: {message}; fix the query at this position", line=line, column=column
    )


def _wrong_kind(expected: str, result: object) -> QueryError:
    got = {
        ox.QuerySolutions: "SELECT",
        Rows: "SELECT",
        ox.QueryBoolean: "ASK",
        ox.QueryTriples: "CONSTRUCT or DESCRIBE",
    }.get(type(result), type(result).__name__)
    return QueryError(f"expected a {expected} query but got a {got} query")


class EmbeddedEngine(Engine):
    """An engine over a pyoxigraph Store (on disk or in memory).

    Args:
        store: The store; its named graphs are the dataset.
        path: Where the store lives on disk, if it does.
    """

    def __init__(self, store: ox.Store, path: Path | None = None) -> None:
        self.store = store
        self.path = path

    def _query(self, sparql: str, bindings: Bindings | None) -> Any:
        assert self.store is not None
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]
        substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        try:
            return self.store.query(
                sparql, use_default_graph_as_union=True, substitutions=substitutions or None
            )
        except SyntaxError as err:
            raise _query_error(err) from None
        except RuntimeError as err:
            # pyoxigraph substitutes only variables the SELECT projects; for the others
            # (aggregating queries, helper variables) bind them as the remote engine does.
            if not substitutions or "projection" not in str(err):
                raise QueryError(f"query failed: {err}") from None
        except OSError as err:
            raise QueryError(f"query failed: {err}") from None
        try:
            return self.store.query(
                bind_values(sparql, bindings), use_default_graph_as_union=True
            )
        except (SyntaxError, RuntimeError, OSError) as err:
            raise QueryError(f"query failed: {err}") from None

    def select(self, sparql: str, bindings: Bindings | None = None) -> Rows:
        """Run a SELECT query (see :meth:`Engine.select`).

        >>> engine = EmbeddedEngine(ox.Store())
        >>> engine.store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"),
        ...     ox.Literal("x"), ox.NamedNode("http://e/g")))
        >>> rows = engine.select("SELECT ?s ?o WHERE { ?s ?p ?o }")
        >>> rows.variables, rows[0]["o"].value
        (['s', 'o'], 'x')
        >>> len(engine.select("SELECT ?s WHERE { ?s ?p ?o }",
        ...     bindings={"o": ox.Literal("y")}))
        0
        >>> engine.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        ...     bindings={"o": ox.Literal("x")})[0]["n"].value
        '1'
        """
        result = self._query(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise _wrong_kind("SELECT", result)
        return _rows(result)

    def select_where(
        self,
        sparql: str,
        var: str,
        iris: AbstractSet[str],
        bindings: Bindings | None = None,
    ) -> Rows:
        """Run a SELECT query and keep the rows whose ``var`` is one of ``iris``.

        >>> engine = EmbeddedEngine(ox.Store())
        >>> for name in "abc":
        ...     engine.store.add(ox.Quad(ox.NamedNode("http://e/" + name),
        ...         ox.NamedNode("http://e/p"), ox.Literal(name), ox.NamedNode("http://e/g")))
        >>> rows = engine.select_where("SELECT ?s ?o WHERE { ?s ?p ?o }", "s",
        ...     {"http://e/a", "http://e/c"})
        >>> sorted(row["o"].value for row in rows)
        ['a', 'c']
        """
        result = self._query(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise _wrong_kind("SELECT", result)
        return _rows(result, (var, iris))

    def ask(self, sparql: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query (see :meth:`Engine.select`)."""
        result = self._query(sparql, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise _wrong_kind("ASK", result)
        return bool(result)

    def construct(self, sparql: str, bindings: Bindings | None = None) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query (see :meth:`Engine.select`)."""
        result = self._query(sparql, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise _wrong_kind("CONSTRUCT", result)
        return list(result)


def _skip_string(text: str, i: int) -> int:
    """Return the index just past the string literal starting at ``text[i]``."""
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = text.find(quote * 3, i + 3)
        return len(text) if end < 0 else end + 3
    j = i + 1
    while j < len(text) and text[j] != quote:
        j += 2 if text[j] == "\\" else 1
    return j + 1


def _where_brace(sparql: str) -> int:
    """Offset of the ``{`` that opens the query's WHERE group (skipping a CONSTRUCT template).

    Strings, IRIs and comments are skipped, so braces inside them do not count.

    Raises:
        QueryError: If there is no group pattern.
    """
    i, n = 0, len(sparql)
    word = ""
    construct_template = False
    depth = 0
    while i < n:
        ch = sparql[i]
        if ch == "#":
            end = sparql.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if ch in "\"'":
            i = _skip_string(sparql, i)
            continue
        if ch == "<" and depth == 0:
            end = sparql.find(">", i)
            if end > 0 and not any(c.isspace() for c in sparql[i + 1:end]):
                i = end + 1
                continue
        if ch.isalpha():
            j = i
            while j < n and (sparql[j].isalnum() or sparql[j] == "_"):
                j += 1
            word = sparql[i:j].upper()
            if word == "CONSTRUCT":
                construct_template = True
            elif word == "WHERE":
                construct_template = False
            i = j
            continue
        if ch == "{":
            if construct_template:
                depth += 1
            else:
                return i
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0:
                construct_template = False
        i += 1
    raise QueryError("the query has no WHERE group to bind parameters in")


def values_block(bindings: Bindings) -> str:
    """Render bindings as a SPARQL ``VALUES`` block (terms in N-Triples syntax).

    >>> values_block({"m": ox.NamedNode("http://e/m"), "d": ox.Literal("2025-01-01")})
    'VALUES (?m ?d) { (<http://e/m> "2025-01-01") }'

    Raises:
        QueryError: For a blank node, which cannot be sent to another engine.
    """
    for name, term in bindings.items():
        if isinstance(term, ox.BlankNode):
            raise QueryError(f"cannot bind ?{name} to a blank node on a remote endpoint")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(str(term) for term in bindings.values())
    return f"VALUES ({names}) {{ ({values}) }}"


def bind_values(sparql: str, bindings: Bindings | None) -> str:
    """Return ``sparql`` with ``bindings`` as a VALUES block opening its WHERE group.

    At the start of the group the values join before anything else is evaluated, which is
    what pyoxigraph's substitutions do for the embedded engine.

    >>> bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": ox.Literal("x")})
    'SELECT ?s WHERE { VALUES (?o) { ("x") } ?s ?p ?o }'
    >>> bind_values('CONSTRUCT { ?s ?p "{" } WHERE { ?s ?p ?o }', {"s": ox.NamedNode("http://e/s")})
    'CONSTRUCT { ?s ?p "{" } WHERE { VALUES (?s) { (<http://e/s>) } ?s ?p ?o }'
    """
    if not bindings:
        return sparql
    at = _where_brace(sparql) + 1
    return f"{sparql[:at]} {values_block(bindings)}{sparql[at:]}"


class RemoteEngine(Engine):
    """An engine that sends queries to a SPARQL 1.1 Protocol endpoint.

    Args:
        endpoint: The endpoint URL, e.g. ``http://localhost:7878/query``.
        timeout: Seconds to wait for an answer.
    """

    def __init__(self, endpoint: str, timeout: float = 60.0) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise EndpointError(
                f"not an HTTP(S) URL: {endpoint!r}; e.g. --endpoint http://localhost:7878/query"
            )
        self.endpoint = endpoint
        self.timeout = timeout
        self.store = None

    def _post(self, sparql: str, accept: str) -> tuple[bytes, str]:
        body = urllib.parse.urlencode({"query": sparql}).encode("utf-8")
        request = urllib.request.Request(
            self.endpoint,
            data=body,
            method="POST",
            headers={
                "Accept": accept,
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "User-Agent": "asielketen-kg",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read(), response.headers.get_content_type()
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", "replace").strip().splitlines()
            first = detail[0][:200] if detail else err.reason
            if 400 <= err.code < 500:
                raise QueryError(f"{self.endpoint} rejected the query ({err.code}): {first}")
            raise EndpointError(f"{self.endpoint} failed ({err.code}): {first}") from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise EndpointError(
                f"cannot reach {self.endpoint}: {reason}; is the endpoint running?"
            ) from None

    def _results(self, sparql: str, bindings: Bindings | None) -> Any:
        data, _ = self._post(
            bind_values(sparql, bindings),
            "application/sparql-results+json, application/sparql-results+xml;q=0.8",
        )
        fmt = (
            ox.QueryResultsFormat.XML
            if data.lstrip().startswith(b"<")
            else ox.QueryResultsFormat.JSON
        )
        try:
            result = ox.parse_query_results(data, fmt)
            # Solutions parse lazily: read them here, where a broken document is caught.
            return _rows(result) if isinstance(result, ox.QuerySolutions) else result
        except (SyntaxError, ValueError) as err:
            raise self._unreadable(data, "results", err) from None

    def _unreadable(self, data: bytes, what: str, err: Exception) -> EndpointError:
        # Oxigraph ends a response it cancels (its --timeout-s) with this sentence, after
        # the status line and part of the document have been sent.
        if b"operation has been cancelled" in data[-200:]:
            return EndpointError(
                f"{self.endpoint} stopped the query before it finished (the server's time "
                "limit); narrow the query or raise the limit (kg serve --timeout-s)"
            )
        return EndpointError(f"{self.endpoint} sent unreadable {what}: {err}")

    def select(self, sparql: str, bindings: Bindings | None = None) -> Rows:
        """Run a SELECT query on the endpoint (see :meth:`Engine.select`)."""
        result = self._results(sparql, bindings)
        if not isinstance(result, Rows):
            raise _wrong_kind("SELECT", result)
        return result

    def ask(self, sparql: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query on the endpoint (see :meth:`Engine.select`)."""
        result = self._results(sparql, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise _wrong_kind("ASK", result)
        return bool(result)

    def construct(self, sparql: str, bindings: Bindings | None = None) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query on the endpoint (see :meth:`Engine.select`)."""
        data, content_type = self._post(
            bind_values(sparql, bindings), "application/n-triples, text/turtle;q=0.9"
        )
        fmt = ox.RdfFormat.TURTLE if content_type == "text/turtle" else ox.RdfFormat.N_TRIPLES
        try:
            return [quad.triple for quad in ox.parse(data, fmt)]
        except SyntaxError as err:
            raise self._unreadable(data, "RDF", err) from None


@dataclass
class BuildInfo:
    """What a store build holds (also written as ``<hash>.json`` next to the store).

    Attributes:
        hash: Content hash of the inputs.
        path: The store folder.
        files: Input files (relative to the project or data folder).
        quads: Number of quads.
        graphs: Quads per named graph IRI.
        classes: Typed resources per class IRI (outside the ontology graph).
        built: When it was built (ISO 8601, UTC).
        reused: True when an existing build was reused instead of built now.
    """

    hash: str
    path: Path
    files: list[str]
    quads: int
    graphs: dict[str, int]
    classes: dict[str, int]
    built: str
    reused: bool = field(default=False)

    def to_json(self) -> str:
        """Serialise for the manifest file."""
        data = asdict(self)
        data["path"] = self.path.name
        data.pop("reused")
        return json.dumps(data, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, folder: Path) -> BuildInfo:
        """Read a manifest written by :meth:`to_json`; ``folder`` is the build folder."""
        data = json.loads(text)
        data["path"] = folder / data["path"]
        return cls(**data, reused=True)


def input_hash(data_dir: Path | None = None) -> tuple[str, list[InputFile]]:
    """Hash every input (ontology and data files, paths and bytes) and the kg version.

    Returns:
        The hex digest (first 16 characters are used in folder names) and the inputs.
    """
    from kg import __version__

    files = input_files(data_dir)
    digest = hashlib.sha256(f"kg {__version__}\n".encode())
    for item in files:
        base = item.path.parent.parent if item.kind != "ontology" else item.path.parent
        digest.update(f"{item.kind} {item.path.relative_to(base)} {item.graph}\n".encode())
        try:
            digest.update(item.path.read_bytes())
        except OSError as err:
            raise InputError(
                f"cannot read the file: {err.strerror}; check that it exists and is readable",
                file=display_path(item.path),
            ) from None
        digest.update(b"\n")
    return digest.hexdigest(), files


def _load(store: ox.Store, files: list[InputFile], skip: AbstractSet[str] = frozenset()) -> None:
    # One bulk_extend for all files: on disk it writes sorted runs instead of one
    # transaction per file, about 3x less time for a million quads (benchmarks/README.md).
    # It is not transactional, which is fine: a failed build is thrown away.
    with paused_gc():
        store.bulk_extend(
            quad for item in files for quad in parse_file(item.path, item.graph)
            if not (skip and isinstance(quad.graph_name, ox.NamedNode)
                    and quad.graph_name.value in skip)
        )


def _counts(store: ox.Store) -> tuple[int, dict[str, int], dict[str, int]]:
    engine = EmbeddedEngine(store)
    graphs = {
        str(row["g"].value): int(row["n"].value)
        for row in engine.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
    }
    classes = {
        str(row["c"].value): int(row["n"].value)
        for row in engine.select(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } "
            f"FILTER(?g != <{ONTOLOGY_GRAPH}>) }} GROUP BY ?c"
        )
    }
    return sum(graphs.values()), graphs, classes


def _file_names(files: list[InputFile]) -> list[str]:
    return [display_path(item.path) for item in files]


def build_in_memory(data_dir: Path | None = None) -> EmbeddedEngine:
    """Load the ontology and a data folder into an in-memory store (no cache).

    A file whose typed literals a quick scan finds well formed
    (:func:`kg.dataset.typed_literals_well_formed`) is loaded by pyoxigraph's own bulk
    loader, with no Python step per quad: at 1.46M quads 9 s instead of 12 s. Any other
    file, and one the bulk loader rejects, is parsed by :func:`kg.dataset.parse_file`,
    which checks each literal and reports an error with its line and column.

    Raises:
        InputError: If a file cannot be parsed.
    """
    store = ox.Store()
    with paused_gc():
        for item in input_files(data_dir):
            fmt = rdf_format(item.path)
            if typed_literals_well_formed(item.path):
                try:
                    store.bulk_load(path=item.path, format=fmt, to_graph=ox.NamedNode(item.graph))
                    continue
                except (SyntaxError, ValueError, OSError):
                    pass  # parse_file below says what is wrong, and where
            store.bulk_extend(parse_file(item.path, item.graph))
    return EmbeddedEngine(store)


def _manifest(folder: Path, digest: str) -> Path:
    return folder / f"{digest[:16]}.json"


def current_build(data_dir: Path | None = None, build_dir: Path | None = None) -> BuildInfo | None:
    """Return the build of the current inputs, or None if there is none.

    Args:
        data_dir: A folder laid out like ``data/``; default ``data/``.
        build_dir: The build folder; default :func:`kg.paths.build_dir`.
    """
    digest, _ = input_hash(data_dir)
    return _current(build_dir or default_build_dir(), digest)


def _current(folder: Path, digest: str) -> BuildInfo | None:
    manifest = _manifest(folder, digest)
    if not manifest.is_file() or not (folder / f"store-{digest[:16]}").is_dir():
        return None
    return BuildInfo.from_json(manifest.read_text(encoding="utf-8"), folder)


_ABANDONED = re.compile(
    r"^(?:\.tmp-store-[0-9a-f]{16}-(?P<pid>\d+)-.*|[0-9a-f]{16}\.json\.(?P<mpid>\d+))$"
)
"""Names of a build's temporary store and manifest, with the building process's id."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        pass
    return True


def _clear_abandoned(folder: Path) -> None:
    """Remove temporary stores and manifests of builds whose process is gone (killed)."""
    for path in folder.iterdir():
        found = _ABANDONED.match(path.name)
        if found is None or _alive(int(found.group("pid") or found.group("mpid"))):
            continue
        log.info("removing %s, left by an interrupted build", path)
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _served(store: Path) -> bool:
    """Whether a live ``kg serve`` marked this store as the one it serves.

    Marks of processes that are gone are removed.
    """
    served = False
    for mark in store.parent.glob(f"{store.name}.serving-*"):
        pid = mark.name.rpartition("-")[2]
        if pid.isdigit() and _alive(int(pid)):
            served = True
        else:
            mark.unlink(missing_ok=True)
    return served


def _prune(folder: Path, keep: Path) -> None:
    """Remove old store builds, keeping the newest few (readers may hold one open).

    A store that a running ``kg serve`` serves is never removed (nor counted).
    """
    stores = sorted(
        (p for p in folder.glob("store-*") if p.is_dir() and p != keep and not _served(p)),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in stores[_KEEP_BUILDS - 1:]:
        shutil.rmtree(old, ignore_errors=True)
        _manifest(folder, old.name.removeprefix("store-")).unlink(missing_ok=True)


def build_store(
    data_dir: Path | None = None,
    build_dir: Path | None = None,
    force: bool = False,
    *,
    include_drafts: bool = True,
) -> BuildInfo:
    """Build the on-disk store for the current inputs, or reuse it when up to date.

    The store is written into a temporary folder and renamed to ``store-<hash>``; the
    manifest ``<hash>.json`` is written after it, atomically. A build that fails (a syntax
    error, a full disk) leaves earlier builds as they were.

    Args:
        data_dir: A folder laid out like ``data/``; default ``data/``.
        build_dir: The build folder; default :func:`kg.paths.build_dir`.
        force: Rebuild even when a build of the same inputs exists.
        include_drafts: With False, a store without the draft graphs of ``kg ingest``
            (:mod:`kg.drafts`), for ``kg serve``: the whole store when there are none,
            else a store of its own whose hash also says "without drafts".

    Returns:
        What the build holds.

    Raises:
        InputError: If a file cannot be parsed (with file, line and column).
    """
    folder = build_dir or default_build_dir()
    digest, files = input_hash(data_dir)
    skip: frozenset[str] = frozenset()
    if not include_drafts:
        from kg.drafts import draft_graphs

        whole = build_store(data_dir, folder, force)
        reader = ox.Store.read_only(str(whole.path))
        skip = frozenset(draft_graphs(EmbeddedEngine(reader)))
        del reader
        if not skip:
            return whole
        digest = hashlib.sha256(f"{digest}\nwithout draft graphs\n".encode()).hexdigest()
    if not force:
        existing = _current(folder, digest)
        if existing is not None:
            log.info("reusing store %s", existing.path)
            return existing
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"store-{digest[:16]}"
    _clear_abandoned(folder)
    # The process id in the name tells a later build whether this one is still running.
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{final.name}-{os.getpid()}-", dir=folder))
    tmp.chmod(0o755)
    try:
        store = ox.Store(str(tmp))
        _load(store, files, skip)
        quads, graphs, classes = _counts(store)
        store.flush()
        store.optimize()
        del store  # releases the database lock before the folder moves
        info = BuildInfo(
            hash=digest,
            path=final,
            files=_file_names(files),
            quads=quads,
            graphs=graphs,
            classes=classes,
            built=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        )
        if final.exists():
            shutil.rmtree(final, ignore_errors=True)
        try:
            os.rename(tmp, final)
        except OSError:
            # Another process built the same inputs at the same time; use its store.
            shutil.rmtree(tmp, ignore_errors=True)
        manifest = _manifest(folder, digest)
        tmp_manifest = manifest.with_suffix(f".json.{os.getpid()}")
        tmp_manifest.write_text(info.to_json(), encoding="utf-8")
        os.replace(tmp_manifest, manifest)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    _prune(folder, final)
    log.info("built store %s (%d quads)", final, info.quads)
    return info


def open_engine(
    data_dir: Path | None = None,
    endpoint: str | None = None,
    *,
    cache: bool = True,
    build_dir: Path | None = None,
) -> Engine:
    """Return an engine over the dataset: a remote endpoint, or the embedded store.

    Args:
        data_dir: A folder laid out like ``data/``; default ``data/``.
        endpoint: A SPARQL endpoint URL; when given, ``data_dir`` is not read.
        cache: Use (and if needed build) the on-disk store under the build folder; with
            False the data is loaded into memory and nothing is written.
        build_dir: The build folder; default :func:`kg.paths.build_dir`.

    Raises:
        InputError: If the data cannot be parsed.
        EndpointError: If ``endpoint`` is not an HTTP(S) URL.
    """
    if endpoint:
        return RemoteEngine(endpoint)
    if not cache:
        return build_in_memory(data_dir)
    info = build_store(data_dir, build_dir)
    try:
        store = ox.Store.read_only(str(info.path))
    except OSError as err:
        raise KgError(
            f"cannot open the store: {err}; remove the folder and run `kg build`",
            file=display_path(info.path),
        ) from None
    return EmbeddedEngine(store, info.path)
