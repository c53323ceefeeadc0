"""Leave draft graphs out of every view.

``kg ingest`` writes what it finds in a new document into a draft named graph: the graph
node carries ``ak:reviewStatus beoordeling:concept`` inside the graph itself. Until a
curator promotes it, nothing in it is a fact, so every view leaves it out unless the user
asks for ``--include-drafts``: ``kg query``, ``kg contradictions``, ``kg viz`` and
``kg impact`` wrap their engine with :func:`view_engine`; ``kg export`` (and so the site)
and ``kg publish`` read their statements through :func:`without_draft_quads`; ``kg serve``
serves a store built without them (``kg.store.build_store(include_drafts=False)``).

* Embedded engine: the quads of every other graph are copied into an in-memory store
  (pyoxigraph's union default graph cannot be narrowed by ``FROM`` clauses).
* Remote engine: each query gets ``FROM`` and ``FROM NAMED`` clauses for the graphs that
  are not drafts, which any SPARQL 1.1 endpoint honours.

Without draft graphs the engine is returned unchanged, so the common case costs nothing.

>>> import pyoxigraph as ox
>>> from kg.store import EmbeddedEngine
>>> store = ox.Store()
>>> g, d = ox.NamedNode("https://e/g"), ox.NamedNode("https://e/draft")
>>> store.add(ox.Quad(ox.NamedNode("https://e/a"), ox.NamedNode("https://e/p"), ox.Literal("1"), g))
>>> store.add(ox.Quad(d, ox.NamedNode(REVIEW_STATUS), ox.NamedNode(CONCEPT), d))
>>> engine = EmbeddedEngine(store)
>>> draft_graphs(engine)
['https://e/draft']
>>> len(without_drafts(engine).select("SELECT * WHERE { ?s ?p ?o }"))
1
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import click
import pyoxigraph as ox

from kg.store import Engine

if TYPE_CHECKING:
    from kg.store import Bindings, Rows

__all__ = [
    "CONCEPT",
    "INGEST_HEADER",
    "INGEST_NOTE",
    "REVIEW_STATUS",
    "DraftFreeEngine",
    "draft_graphs",
    "include_drafts_option",
    "view_engine",
    "without_draft_quads",
    "without_drafts",
]

F = TypeVar("F", bound=Callable[..., Any])

REVIEW_STATUS = "https://w3id.org/asielketen/def#reviewStatus"
CONCEPT = "https://w3id.org/asielketen/id/begrip/beoordeling/concept"
INGEST_HEADER = "written by `kg ingest`"
"""In the comment block above a draft graph as kg ingest writes it; promoting deletes it."""
INGEST_NOTE = (
    "Concept geschreven door kg ingest; nog niet beoordeeld. Zie data/README.md, "
    "'Reviewing an ingested document'."
)
"""The ``ak:note`` of a draft graph's node as kg ingest writes it; promoting deletes it."""

_DRAFTS = f"""SELECT DISTINCT ?g WHERE {{
  GRAPH ?g {{ ?g <{REVIEW_STATUS}> <{CONCEPT}> }} }} ORDER BY ?g"""
_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def include_drafts_option(func: F) -> F:
    """Add ``--include-drafts/--no-include-drafts`` (passed as ``include_drafts``)."""
    return click.option(
        "--include-drafts/--no-include-drafts",
        "include_drafts",
        default=False,
        show_default=True,
        help="Also read the draft graphs kg ingest writes (ak:reviewStatus "
        "beoordeling:concept); by default they are left out.",
    )(func)


def view_engine(engine: Engine, include_drafts: bool) -> Engine:
    """``engine`` for a view: as it is with ``include_drafts``, else :func:`without_drafts`.

    >>> import pyoxigraph as ox
    >>> from kg.store import EmbeddedEngine
    >>> engine = EmbeddedEngine(ox.Store())
    >>> view_engine(engine, True) is engine
    True
    """
    return engine if include_drafts else without_drafts(engine)


def without_draft_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads outside the draft graphs, for exports, publishing and the site.

    A draft graph is one whose graph node is marked ``beoordeling:concept`` inside it.

    >>> g, d = ox.NamedNode("https://e/g"), ox.NamedNode("https://e/draft")
    >>> quads = [ox.Quad(g, g, g, g),
    ...          ox.Quad(d, ox.NamedNode(REVIEW_STATUS), ox.NamedNode(CONCEPT), d)]
    >>> [q.graph_name.value for q in without_draft_quads(quads)]
    ['https://e/g']
    """
    quads = list(quads)
    status, concept = ox.NamedNode(REVIEW_STATUS), ox.NamedNode(CONCEPT)
    drafts = {
        q.graph_name for q in quads
        if q.predicate == status and q.object == concept and q.subject == q.graph_name
    }
    if not drafts:
        return quads
    return [q for q in quads if q.graph_name not in drafts]


def draft_graphs(engine: Engine) -> list[str]:
    """IRIs of the named graphs whose graph node is marked ``beoordeling:concept``."""
    return [str(row["g"].value) for row in engine.select(_DRAFTS) if "g" in row]


def without_drafts(engine: Engine) -> Engine:
    """An engine that answers like ``engine`` but without the draft graphs.

    Args:
        engine: From :func:`kg.store.open_engine`.

    Returns:
        ``engine`` itself when there are no drafts, else a :class:`DraftFreeEngine` or an
        embedded engine over a copy without them.
    """
    from kg.store import EmbeddedEngine

    drafts = set(draft_graphs(engine))
    if not drafts:
        return engine
    if engine.store is not None:
        copy = ox.Store()
        copy.extend(
            quad for quad in engine.store
            if not (isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value in drafts)
        )
        return EmbeddedEngine(copy)
    graphs = [
        str(row["g"].value) for row in engine.select(_GRAPHS)
        if "g" in row and str(row["g"].value) not in drafts
    ]
    return DraftFreeEngine(engine, graphs)


class DraftFreeEngine(Engine):
    """A remote engine whose queries read only the given graphs (``FROM``/``FROM NAMED``).

    Args:
        engine: The engine to send the queries to.
        graphs: The named graphs to read: the default graph is their merge.

    >>> class Echo:
    ...     store = None
    ...     def select(self, sparql, bindings=None):
    ...         return sparql
    >>> print(DraftFreeEngine(Echo(), ["https://e/g"]).select("SELECT * WHERE { ?s ?p ?o }"))
    SELECT * FROM <https://e/g> FROM NAMED <https://e/g> WHERE { ?s ?p ?o }
    """

    def __init__(self, engine: Engine, graphs: list[str]) -> None:
        self.store = None
        self.engine = engine
        self.graphs = graphs

    def _narrow(self, sparql: str) -> str:
        from kg.store import _where_brace

        brace = _where_brace(sparql)
        head = sparql[:brace].rstrip()
        match = re.search(r"\bWHERE$", head, re.IGNORECASE)
        at = match.start() if match else len(head)
        clauses = " ".join(f"FROM <{g}>" for g in self.graphs)
        clauses += " " + " ".join(f"FROM NAMED <{g}>" for g in self.graphs)
        return f"{sparql[:at].rstrip()} {clauses.strip()} {sparql[at:].lstrip()}"

    def select(self, sparql: str, bindings: Bindings | None = None) -> Rows:
        """Run a SELECT query over the graphs that are not drafts."""
        return self.engine.select(self._narrow(sparql), bindings)

    def ask(self, sparql: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query over the graphs that are not drafts."""
        return self.engine.ask(self._narrow(sparql), bindings)

    def construct(self, sparql: str, bindings: Bindings | None = None) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query over the graphs that are not drafts."""
        return self.engine.construct(self._narrow(sparql), bindings)
