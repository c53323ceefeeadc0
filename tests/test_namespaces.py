"""The AK namespace class lists exactly the terms the ontology defines."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import OWL, RDF

from kg.namespaces import AK, ONTOLOGY_GRAPH, PREFIXES, graph_iri, source_iri
from kg.paths import ONTOLOGY_DIR

KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def test_ak_lists_every_term_of_the_ontology_and_no_other() -> None:
    graph = rdflib.Graph().parse(ONTOLOGY_DIR / "asielketen.ttl")
    namespace = str(AK._NS)
    defined = {
        str(term)[len(namespace):]
        for kind in KINDS
        for term in graph.subjects(RDF.type, kind)
        if str(term).startswith(namespace)
    }
    listed = {name for name in AK.__annotations__ if not name.startswith("_")}
    assert listed == defined


def test_mistyped_terms_fail() -> None:
    with pytest.raises(AttributeError):
        _ = AK.raisedby


def test_graph_and_source_iris_follow_the_uri_pattern() -> None:
    assert graph_iri("x") == rdflib.URIRef("https://w3id.org/asielketen/id/graaf/x")
    assert source_iri("x") == rdflib.URIRef("https://w3id.org/asielketen/id/bron/x")
    assert str(ONTOLOGY_GRAPH) == "https://w3id.org/asielketen/def"


def test_prefixes_match_data_prefixes_ttl() -> None:
    import re

    from kg.paths import DATA_DIR

    text = (DATA_DIR / "PREFIXES.ttl").read_text(encoding="utf-8")
    declared = dict(re.findall(r"@prefix\s+([\w-]+):\s*<([^>]+)>", text))
    assert declared, "data/PREFIXES.ttl declares no prefixes"
    assert {p: PREFIXES.get(p) for p in declared} == declared
