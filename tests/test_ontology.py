"""The ontology's header, the annotations of every term and its alignment (issue 2, item 5).

Every class and property of the ``ak:`` namespace needs an ``rdfs:label`` in Dutch and in
English, a ``skos:definition`` and ``rdfs:isDefinedBy`` the ontology; standard vocabularies
are reused by subclass and subproperty axioms, never imported.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg.paths import ONTOLOGY_DIR

AK = "https://w3id.org/asielketen/def#"
ONTOLOGY = rdflib.URIRef("https://w3id.org/asielketen/def")
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
STANDARDS = {
    "ELI": "http://data.europa.eu/eli/ontology#",
    "ELI-DL": "http://data.europa.eu/eli/eli-draft-legislation-ontology#",
    "ORG": "http://www.w3.org/ns/org#",
    "PROV-O": "http://www.w3.org/ns/prov#",
    "Web Annotation": "http://www.w3.org/ns/oa#",
    "SKOS": "http://www.w3.org/2004/02/skos/core#",
    "DCTERMS": "http://purl.org/dc/terms/",
}


def _graph(path: Path = ONTOLOGY_DIR / "asielketen.ttl") -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def annotation_gaps(graph: rdflib.Graph) -> list[str]:
    """What each ``ak:`` term lacks of its labels, definition and rdfs:isDefinedBy."""
    gaps = []
    terms = {s for kind in KINDS for s in graph.subjects(RDF.type, kind) if str(s).startswith(AK)}
    for term in sorted(terms, key=str):
        name = "ak:" + str(term)[len(AK) :]
        languages = [
            label.language
            for label in graph.objects(term, RDFS.label)
            if isinstance(label, rdflib.Literal)
        ]
        for language in ("nl", "en"):
            if language not in languages:
                gaps.append(f"{name}: no rdfs:label@{language}")
        if not any(str(d).strip() for d in graph.objects(term, SKOS.definition)):
            gaps.append(f"{name}: no skos:definition")
        if ONTOLOGY not in set(graph.objects(term, RDFS.isDefinedBy)):
            gaps.append(f"{name}: no rdfs:isDefinedBy <{ONTOLOGY}>")
    return gaps


def test_header_has_iri_version_licence_modified_date_and_creator() -> None:
    graph = _graph()
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in graph
    (version,) = graph.objects(ONTOLOGY, OWL.versionIRI)
    assert str(version).startswith(str(ONTOLOGY) + "/")
    assert list(graph.objects(ONTOLOGY, DCTERMS.license))
    (modified,) = graph.objects(ONTOLOGY, DCTERMS.modified)
    assert isinstance(modified, rdflib.Literal) and modified.datatype == rdflib.XSD.date
    creators = list(graph.objects(ONTOLOGY, DCTERMS.creator)) + list(
        graph.objects(ONTOLOGY, rdflib.URIRef("http://purl.org/dc/elements/1.1/creator"))
    )
    assert creators
    assert not list(graph.objects(ONTOLOGY, OWL.imports))


def test_every_class_and_property_has_labels_definition_and_is_defined_by() -> None:
    graph = _graph()
    terms = {s for kind in KINDS for s in graph.subjects(RDF.type, kind) if str(s).startswith(AK)}
    assert len(terms) > 50
    assert annotation_gaps(graph) == []


def test_a_term_without_english_label_or_definition_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(
        "@prefix ak: <https://w3id.org/asielketen/def#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'ak:Thing a owl:Class ; rdfs:label "ding"@nl .\n',
        encoding="utf-8",
    )
    assert annotation_gaps(_graph(path)) == [
        "ak:Thing: no rdfs:label@en",
        "ak:Thing: no skos:definition",
        f"ak:Thing: no rdfs:isDefinedBy <{ONTOLOGY}>",
    ]


@pytest.mark.parametrize("name", sorted(STANDARDS))
def test_aligned_to_each_standard_by_subclass_or_subproperty(name: str) -> None:
    graph = _graph()
    namespace = STANDARDS[name]
    aligned = [
        (s, o)
        for p in (RDFS.subClassOf, RDFS.subPropertyOf)
        for s, o in graph.subject_objects(p)
        if str(s).startswith(AK) and str(o).startswith(namespace)
    ]
    assert aligned, f"no ak: term is a subclass or subproperty of a {name} term"
    for _, target in aligned:  # declared, so that the ontology stays OWL 2 DL
        assert set(graph.objects(target, RDF.type)) & {
            OWL.Class,
            OWL.ObjectProperty,
            OWL.DatatypeProperty,
            OWL.AnnotationProperty,
        }, target
