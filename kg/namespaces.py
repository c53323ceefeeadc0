"""RDF namespaces of the project and of the vocabularies it reuses.

``AK`` is a :class:`rdflib.namespace.DefinedNamespace` listing every term of
``ontology/asielketen.ttl``, so a mistyped term fails at import time instead of minting a
new IRI silently (``tests/test_namespaces.py`` keeps the list in step with the ontology).

>>> str(AK.Measure)
'https://w3id.org/asielketen/def#Measure'
>>> AK.Mesure
Traceback (most recent call last):
...
AttributeError: term 'Mesure' not in namespace 'https://w3id.org/asielketen/def#'
>>> graph_iri("vng-ledenbrief-voorrang-doorstroom-2025-02")
rdflib.term.URIRef('https://w3id.org/asielketen/id/graaf/vng-ledenbrief-voorrang-doorstroom-2025-02')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rdflib import Namespace, URIRef
from rdflib.namespace import ORG, DefinedNamespace

__all__ = [
    "AK",
    "BASE",
    "BEGRIP",
    "BRON",
    "BRONNEN_GRAPH",
    "ELI",
    "GRAAF",
    "ID",
    "OA",
    "ONTOLOGY_GRAPH",
    "ORG",
    "PREFIXES",
    "REFERENTIE_GRAPH",
    "graph_iri",
    "prefixed",
    "source_iri",
]

BASE = "https://w3id.org/asielketen/"
"""Base of every IRI the project mints (``def#`` for terms, ``id/{type}/{slug}`` for data)."""

ID = Namespace(BASE + "id/")
GRAAF = Namespace(BASE + "id/graaf/")
BRON = Namespace(BASE + "id/bron/")
BEGRIP = Namespace(BASE + "id/begrip/")

ONTOLOGY_GRAPH = URIRef(BASE + "def")
"""Named graph holding ``ontology/*.ttl`` (the ontology and the SKOS value lists)."""
BRONNEN_GRAPH = URIRef(GRAAF + "bronnen")
"""Named graph holding ``data/sources/sources.ttl`` (descriptions of the source documents)."""
REFERENTIE_GRAPH = URIRef(GRAAF + "referentie")
"""Named graph holding ``data/reference/identifiers.trig`` (official identifiers)."""


class AK(DefinedNamespace):
    """The asielketen ontology, ``https://w3id.org/asielketen/def#``."""

    _NS = Namespace(BASE + "def#")
    _fail = True

    Actor: URIRef  # actor
    ActorGroup: URIRef  # actor group
    AdvisoryBody: URIRef  # advisory body
    Amendment: URIRef  # amendment
    Association: URIRef  # association
    Bill: URIRef  # bill
    Claim: URIRef  # claim
    ConflictStatement: URIRef  # conflict statement
    ConsultationBody: URIRef  # consultation body
    Court: URIRef  # court
    Document: URIRef  # document
    Duration: URIRef  # duration
    EUInstitution: URIRef  # EU institution
    EULegislation: URIRef  # EU regulation or directive
    ExecutiveAgency: URIRef  # executive agency
    ExpectedEffect: URIRef  # expected effect
    Factor: URIRef  # factor
    Figure: URIRef  # figure
    Goal: URIRef  # goal
    Government: URIRef  # government or cabinet
    Instrument: URIRef  # instrument
    Law: URIRef  # law in force
    LegalResource: URIRef  # legal resource
    LifecycleEvent: URIRef  # lifecycle event
    Measure: URIRef  # measure
    Meeting: URIRef  # meeting
    Ministry: URIRef  # ministry
    Motion: URIRef  # parliamentary motion
    Municipality: URIRef  # municipality
    NGO: URIRef  # non-governmental organisation
    Novelle: URIRef  # novelle
    Objection: URIRef  # objection
    Organisation: URIRef  # organisation
    ParliamentaryChamber: URIRef  # parliamentary chamber
    Person: URIRef  # person
    PolicyProgramme: URIRef  # policy programme
    Post: URIRef  # post
    Province: URIRef  # province
    Quote: URIRef  # quote
    Regulation: URIRef  # general administrative order or ministerial regulation
    Request: URIRef  # request
    Resolution: URIRef  # resolution
    SourceDocument: URIRef  # source document
    TargetGroup: URIRef  # target group
    Task: URIRef  # task or obligation

    abolishes: URIRef  # abolishes
    about: URIRef  # about
    actor: URIRef  # acting actor
    addressedTo: URIRef  # addressed to
    affects: URIRef  # affects
    alternativeFor: URIRef  # is alternative for
    amends: URIRef  # amends
    author: URIRef  # author or signatory
    bwbId: URIRef  # BWB identifier
    concerns: URIRef  # concerns
    confirmed: URIRef  # confirmed
    conflictBetween: URIRef  # conflict between
    conflictPivot: URIRef  # conflict pivot
    conflictType: URIRef  # conflict type
    date: URIRef  # date
    dateInferred: URIRef  # date inferred
    decreases: URIRef  # decreases
    dependsOn: URIRef  # depends on
    documentKind: URIRef  # document kind
    durationOf: URIRef  # duration of
    effectOf: URIRef  # is effect of
    eventOf: URIRef  # event of
    eventType: URIRef  # event type
    executedBy: URIRef  # executed by
    expectedEffect: URIRef  # has expected effect
    file: URIRef  # file
    funds: URIRef  # funds
    hasGoal: URIRef  # has goal
    hasQuote: URIRef  # has quote
    heldBy: URIRef  # held by
    imposesTask: URIRef  # imposes task
    inDocument: URIRef  # in document
    incentivises: URIRef  # incentivises
    increases: URIRef  # increases
    increasesDemandOn: URIRef  # increases demand on
    kamerstuk: URIRef  # parliamentary paper number
    laidDownIn: URIRef  # laid down in
    meetingOf: URIRef  # meeting of
    memberOf: URIRef  # member of
    months: URIRef  # months
    note: URIRef  # note
    obliges: URIRef  # obliges
    partOf: URIRef  # part of
    participant: URIRef  # participant
    postIn: URIRef  # post in
    prohibits: URIRef  # prohibits
    publisher: URIRef  # publisher
    raisedAt: URIRef  # raised at
    raisedBy: URIRef  # raised by
    reducesCapacityOf: URIRef  # reduces capacity of
    reliesOnDuration: URIRef  # relies on duration
    repeals: URIRef  # repeals
    replaces: URIRef  # replaces
    requires: URIRef  # requires
    resolves: URIRef  # resolves
    responsibleActor: URIRef  # responsible actor
    retains: URIRef  # retains
    reviewStatus: URIRef  # review status
    scope: URIRef  # scope
    setsDuration: URIRef  # sets duration
    severity: URIRef  # severity
    statedIn: URIRef  # stated in
    status: URIRef  # status
    subOrganizationOf: URIRef  # sub-organisation of
    theme: URIRef  # theme
    unit: URIRef  # unit
    value: URIRef  # value
    worksAgainst: URIRef  # works against


class OA(DefinedNamespace):
    """W3C Web Annotation vocabulary (the terms the project uses)."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    Annotation: URIRef
    TextQuoteSelector: URIRef
    TextPositionSelector: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef
    start: URIRef
    end: URIRef
    hasBody: URIRef
    hasTarget: URIRef
    hasSelector: URIRef
    hasSource: URIRef


class ELI(DefinedNamespace):
    """European Legislation Identifier ontology (the terms the project uses)."""

    _NS = Namespace("http://data.europa.eu/eli/ontology#")
    _fail = True

    LegalResource: URIRef
    LegalExpression: URIRef
    Work: URIRef
    amends: URIRef
    amended_by: URIRef
    repeals: URIRef
    repealed_by: URIRef
    changes: URIRef
    based_on: URIRef
    cites: URIRef
    date_document: URIRef
    date_publication: URIRef
    first_date_entry_in_force: URIRef
    date_no_longer_in_force: URIRef
    id_local: URIRef
    is_about: URIRef
    title: URIRef
    title_short: URIRef
    passed_by: URIRef
    responsibility_of: URIRef
    type_document: URIRef
    in_force: URIRef


PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "ak": str(AK._NS),
    "oa": str(OA._NS),
    "eli": str(ELI._NS),
    "org": str(ORG._NS),
    "graaf": str(GRAAF),
    "bron": str(BRON),
    "begrip": str(BEGRIP),
    **{
        kind: f"{ID}{kind}/"
        for kind in (
            "wet", "wetsvoorstel", "amendement", "regeling", "eu", "motie", "programma",
            "maatregel", "instrument", "taak", "doel", "factor", "cijfer", "organisatie",
            "groep", "persoon", "functie", "vergadering", "document", "claim", "resolutie",
            "gebeurtenis",
        )
    },
    "soort": f"{BEGRIP}gebeurtenis/",
    "status": f"{BEGRIP}status/",
    "tegenstrijdigheid": f"{BEGRIP}tegenstrijdigheid/",
    "thema": f"{BEGRIP}thema/",
    "beoordeling": f"{BEGRIP}beoordeling/",
}
"""Project prefixes (as in ``data/PREFIXES.ttl``) for serialising and for query headers."""


def graph_iri(name: str) -> URIRef:
    """Return the named graph of the source ``data/sources/NAME.txt``.

    Args:
        name: The source's file stem.

    >>> graph_iri("x")
    rdflib.term.URIRef('https://w3id.org/asielketen/id/graaf/x')
    """
    return URIRef(GRAAF + name)


def source_iri(name: str) -> URIRef:
    """Return the IRI of the source document ``data/sources/NAME.txt``.

    Args:
        name: The source's file stem.

    >>> source_iri("x")
    rdflib.term.URIRef('https://w3id.org/asielketen/id/bron/x')
    """
    return URIRef(BRON + name)


def prefixed(iri: str, table: Mapping[str, str], local_ok: Callable[[str], bool]) -> str | None:
    """``name:local`` for ``iri`` with the longest namespace of ``table`` it starts with
    whose rest ``local_ok`` accepts, or None when there is none.

    Args:
        iri: The IRI to shorten.
        table: Namespaces by prefix name.
        local_ok: Whether a rest may stand as a local name.

    >>> prefixed(ID + "wet/x", PREFIXES, str.isidentifier)
    'wet:x'
    >>> prefixed("http://example.org/x", PREFIXES, str.isidentifier) is None
    True
    """
    best = ""
    best_name = ""
    for name, namespace in table.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            if local_ok(iri[len(namespace) :]):
                best, best_name = namespace, name
    return f"{best_name}:{iri[len(best) :]}" if best else None
