"""Conversion of RDF terms between pyoxigraph (queries, storage) and rdflib (parsing
helpers, SHACL, serialisation).

>>> import pyoxigraph as ox
>>> to_rdflib(ox.Literal("drie", language="nl"))
rdflib.term.Literal('drie', lang='nl')
>>> to_oxigraph(to_rdflib(ox.Literal("5", datatype=ox.NamedNode(XSD_DECIMAL))))
<Literal value=5 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#decimal>>
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Union

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

__all__ = [
    "OxTerm",
    "quads_to_rdflib",
    "to_oxigraph",
    "to_rdflib",
]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

OxTerm = Union[ox.NamedNode, ox.BlankNode, ox.Literal, ox.DefaultGraph, ox.Triple]
"""Any pyoxigraph term that can appear in a quad or a query solution."""


def to_rdflib(term: OxTerm) -> Identifier:
    """Return the rdflib term for a pyoxigraph term.

    Plain literals become rdflib literals without a datatype (rdflib keeps ``"x"`` and
    ``"x"^^xsd:string`` apart; Turtle parsed by rdflib gives the former).

    Args:
        term: A pyoxigraph NamedNode, BlankNode or Literal.

    Raises:
        TypeError: For quoted triples and the default graph, which rdflib cannot hold.
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def to_oxigraph(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Return the pyoxigraph term for an rdflib term.

    Args:
        term: An rdflib URIRef, BNode or Literal.

    >>> to_oxigraph(URIRef("https://w3id.org/asielketen/def#Measure"))
    <NamedNode value=https://w3id.org/asielketen/def#Measure>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != RDF_LANGSTRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to a pyoxigraph term")


def quads_to_rdflib(
    quads: Iterable[ox.Quad],
) -> Iterator[tuple[Identifier, Identifier, Identifier, Identifier | None]]:
    """Yield ``(s, p, o, graph)`` rdflib tuples; ``graph`` is None for the default graph."""
    for quad in quads:
        graph = None if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name
        yield (
            to_rdflib(quad.subject),
            to_rdflib(quad.predicate),
            to_rdflib(quad.object),
            to_rdflib(graph) if graph is not None else None,
        )
