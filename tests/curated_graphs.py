"""Helpers of the tests that pin a curated named graph (``tests/test_graph*_*.py``).

Each such test loads ``data/graphs/NAME.trig`` into a store of its own and asks SPARQL
questions inside the named graph ``graaf:NAME``, with the prefixes of
``data/PREFIXES.ttl``.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from kg.anchor import find_quote
from kg.paths import DATA_DIR

ID = "https://w3id.org/asielketen/id/"

PREFIXES = "\n".join(
    re.sub(r"^@prefix (.*) \.$", r"PREFIX \1", line)
    for line in (DATA_DIR / "PREFIXES.ttl").read_text(encoding="utf-8").splitlines()
    if line.startswith("@prefix")
)
"""The prefixes of ``data/PREFIXES.ttl``, as SPARQL."""

QUOTES = (
    "?q a ak:Quote ; oa:exact ?exact ; ak:inDocument ?doc . "
    "OPTIONAL { ?q oa:prefix ?prefix } OPTIONAL { ?q oa:suffix ?suffix }"
)
"""The quotes of a graph, with their document and optional prefix and suffix."""


def load(*names: str) -> ox.Store:
    """A store holding the curated graphs ``data/graphs/NAME.trig`` of ``names``."""
    store = ox.Store()
    for name in names:
        store.bulk_load(path=DATA_DIR / "graphs" / f"{name}.trig", format=ox.RdfFormat.TRIG)
    return store


def source_text(name: str) -> str:
    """The source text ``data/sources/NAME.txt``."""
    return (DATA_DIR / "sources" / f"{name}.txt").read_text(encoding="utf-8")


def select(store: ox.Store, name: str, where: str) -> list[ox.QuerySolution]:
    """The solutions of ``where`` inside the named graph of ``name``."""
    solutions = store.query(f"{PREFIXES} SELECT * WHERE {{ GRAPH graaf:{name} {{ {where} }} }}")
    assert isinstance(solutions, ox.QuerySolutions)
    return list(solutions)


def ask(store: ox.Store, name: str, where: str) -> bool:
    """Whether ``where`` matches inside the named graph of ``name``."""
    return bool(store.query(f"{PREFIXES} ASK {{ GRAPH graaf:{name} {{ {where} }} }}"))


def lexical(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str | None:
    """The lexical value of a term, or None for an unbound one."""
    return None if term is None else term.value


def unanchored(text: str, quotes: list[ox.QuerySolution]) -> list[str]:
    """The exact texts of the ``quotes`` (rows of :data:`QUOTES`) that do not occur in
    ``text`` at exactly one place."""
    problems = []
    for row in quotes:
        exact = lexical(row["exact"])
        assert exact is not None
        span = find_quote(text, exact, lexical(row["prefix"]), lexical(row["suffix"]))
        if span is None or span.ambiguous:
            problems.append(exact)
    return problems
