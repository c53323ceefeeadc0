"""DCAT-AP-NL 3.0 description of the published dataset, with VoID statistics.

:func:`describe` turns a loaded dataset into a catalogue graph: a ``dcat:Catalog`` with
one ``dcat:Dataset`` (also a ``void:Dataset``), a ``dcat:Distribution`` per export format
and the SPARQL endpoint as a ``dcat:DataService``. The statistics (triples, entities,
classes, properties, per named graph) and the temporal coverage are computed from the
data, never written by hand. :func:`validate_description` checks the result against the
official DCAT-AP 3.0.1 and DCAT-AP-NL 3.0 SHACL shapes kept in ``ontology/shapes/dcat-ap/``.

Every IRI the description mints lies under the configurable base (``id/catalogus/…``,
``id/dataset/…``, ``id/distributie/…``, ``id/dienst/…``, ``id/organisatie/…``,
``id/contactpunt/…``); code lists are the EU Publications Office authority tables that
DCAT-AP-NL prescribes.

>>> g = ox.NamedNode("https://w3id.org/asielketen/id/graaf/x")
>>> law = ox.NamedNode("https://w3id.org/asielketen/id/wet/a")
>>> stats = void_statistics([ox.Quad(law, ox.NamedNode(str(RDF.type)), ox.NamedNode("urn:C"), g)])
>>> (stats.total.triples, stats.total.entities, stats.total.classes, len(stats.graphs))
(1, 1, 1, 1)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    VOID,
    XSD,
    DefinedNamespace,
)
from rdflib.term import Node

from kg.namespaces import BASE, ONTOLOGY_GRAPH
from kg.paths import SHAPES_DIR

__all__ = [
    "CatalogueInfo",
    "DistributionInfo",
    "GraphStatistics",
    "ShapeFinding",
    "ShapeReport",
    "Statistics",
    "describe",
    "temporal_coverage",
    "validate_description",
    "void_statistics",
]

DCAT_AP_DIR: Path = SHAPES_DIR / "dcat-ap"
"""Unedited copies of the official DCAT-AP 3.0.1 and DCAT-AP-NL 3.0 shapes."""

REQUIRED_SHAPES: tuple[str, ...] = (
    "dcat-ap-3.0.1/shapes.ttl",
    "dcat-ap-3.0.1/range.ttl",
    "dcat-ap-nl-3.0/dcat-ap-nl-SHACL.ttl",
    "dcat-ap-nl-3.0/dcat-ap-nl-SHACL-klassebereik.ttl",
    "dcat-ap-nl-3.0/dcat-ap-nl-SHACL-klassebereik-codelijsten.ttl",
)
"""The shapes a conforming description must pass with zero violations."""

RECOMMENDED_SHAPES: tuple[str, ...] = (
    "dcat-ap-3.0.1/shapes_recommended.ttl",
    "dcat-ap-nl-3.0/dcat-ap-nl-SHACL-aanbevolen.ttl",
)
"""The shapes for recommended properties; what they find are warnings."""

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"


class DCAT3(DefinedNamespace):
    """DCAT 3 terms that rdflib's ``DCAT`` namespace lacks."""

    _NS = Namespace("http://www.w3.org/ns/dcat#")
    _fail = True

    version: URIRef


class DCATAP(DefinedNamespace):
    """DCAT-AP's own terms (``http://data.europa.eu/r5r/``)."""

    _NS = Namespace("http://data.europa.eu/r5r/")
    _fail = True

    availability: URIRef


class VCARD(DefinedNamespace):
    """vCard ontology (the terms a contact point uses)."""

    _NS = Namespace("http://www.w3.org/2006/vcard/ns#")
    _fail = True

    Kind: URIRef
    Organization: URIRef
    fn: URIRef
    hasEmail: URIRef  # noqa: N815
    hasURL: URIRef  # noqa: N815


class SPDX(DefinedNamespace):
    """SPDX terms for distribution checksums."""

    _NS = Namespace("http://spdx.org/rdf/terms#")
    _fail = True

    Checksum: URIRef
    algorithm: URIRef
    checksum: URIRef
    checksumAlgorithm_sha256: URIRef  # noqa: N815
    checksumValue: URIRef  # noqa: N815


class SD(DefinedNamespace):
    """SPARQL 1.1 Service Description."""

    _NS = Namespace("http://www.w3.org/ns/sparql-service-description#")
    _fail = True

    Dataset: URIRef
    NamedGraph: URIRef
    SPARQL11Query: URIRef
    Service: URIRef
    UnionDefaultGraph: URIRef
    defaultDataset: URIRef  # noqa: N815
    endpoint: URIRef
    feature: URIRef
    name: URIRef
    namedGraph: URIRef  # noqa: N815
    resultFormat: URIRef  # noqa: N815
    supportedLanguage: URIRef  # noqa: N815


DATA_THEMES: dict[str, tuple[str, str]] = {
    "SOCI": ("Bevolking en samenleving", "Population and society"),
    "GOVE": ("Overheid en publieke sector", "Government and public sector"),
    "JUST": (
        "Justitie, rechtsstelsel en openbare veiligheid",
        "Justice, legal system and public safety",
    ),
}
"""EU data themes of the dataset, with their labels in the authority table."""

LICENCES: dict[str, tuple[str, str]] = {
    "CC_BY_4_0": (
        "Creative Commons Naamsvermelding 4.0 Internationaal",
        "Creative Commons Attribution 4.0 International",
    ),
    "CC0": ("Creative Commons CC0 1.0 Universeel", "Creative Commons CC0 1.0 Universal"),
}
"""Licences from the EU licence authority table the description can name."""

LICENCE_TYPES: dict[str, str] = {
    "CC_BY_4_0": "http://purl.org/adms/licencetype/Attribution",
    "CC0": "http://purl.org/adms/licencetype/PublicDomain",
}

SPARQL_RESULT_FORMATS: tuple[str, ...] = (
    "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
)

_RDF_TYPE = str(RDF.type)
TEMPORAL_DATATYPES = (XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth)
_DATE_RE = re.compile(r"^(-?\d{4,})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class DistributionInfo:
    """One export format as the catalogue describes it.

    Attributes:
        key: Short name of the format (``trig``), used in the distribution's IRI.
        title: Name of the format for people (``TriG``).
        file_name: Name of the published file (``asielketen-kg.trig``).
        media_type: IANA media type (``application/trig``).
        file_type: Code of the EU file-type table (``RDF_TRIG``).
        keeps_graphs: Whether the format keeps the named graphs.
        path: The written file, if there is one to measure (size and checksum).
    """

    key: str
    title: str
    file_name: str
    media_type: str
    file_type: str
    keeps_graphs: bool
    path: Path | None = None


@dataclass(frozen=True)
class CatalogueInfo:
    """What the catalogue says about the publisher and the dataset.

    The defaults describe the project itself; a publisher that republishes the graph
    under its own domain passes its ``base`` (and may override the rest).
    """

    base: str = BASE
    slug: str = "asielketen-kg"
    title_nl: str = "Kennisgraaf asielketen"
    title_en: str = "Asylum chain knowledge graph"
    description_nl: str = (
        "Kennisgraaf van het Nederlandse asiel- en migratiebeleid: wetten, wetsvoorstellen, "
        "amendementen, maatregelen, instrumenten, taken, doelen, verwachte effecten, actoren "
        "en hun bezwaren, elk met het letterlijke citaat uit het brondocument. Iedere bron "
        "heeft een eigen benoemde graaf."
    )
    description_en: str = (
        "Knowledge graph of Dutch asylum and migration policy: laws, bills, amendments, "
        "measures, instruments, tasks, goals, expected effects, actors and their objections, "
        "each with the verbatim quote from its source document. Every source has its own "
        "named graph."
    )
    catalogue_title_nl: str = "Catalogus van asielketen-kg"
    catalogue_title_en: str = "Catalogue of asielketen-kg"
    publisher_name: str = "asielketen-kg"
    contact_email: str | None = None
    keywords_nl: tuple[str, ...] = (
        "asiel",
        "migratie",
        "statushouders",
        "huisvesting",
        "opvang",
        "gemeenten",
        "wetgeving",
        "tegenstrijdigheden",
    )
    themes: tuple[str, ...] = ("SOCI", "GOVE", "JUST")
    licence: str = "CC_BY_4_0"
    issued: dt.date = dt.date(2026, 11, 23)
    """Date of the first publication (release 0.1.0)."""
    version: str = "0.1.0"
    sparql_url: str | None = None
    """Public SPARQL endpoint; defaults to ``{base}sparql``."""
    download_url: str | None = None
    """Folder the export files are published in; defaults to ``{base}export/``."""
    ontology: str = str(ONTOLOGY_GRAPH)
    languages: tuple[str, ...] = ("NLD", "ENG")
    extra_keywords: tuple[str, ...] = field(default_factory=tuple)

    def iri(self, kind: str, slug: str | None = None) -> URIRef:
        """Return the IRI ``{base}id/{kind}/{slug}`` of a catalogue resource.

        >>> CatalogueInfo(base="https://data.example.org/").iri("dataset")
        rdflib.term.URIRef('https://data.example.org/id/dataset/asielketen-kg')
        """
        return URIRef(f"{self.base}id/{kind}/{slug or self.slug}")

    @property
    def endpoint(self) -> URIRef:
        """The SPARQL endpoint the catalogue names."""
        return URIRef(self.sparql_url or f"{self.base}sparql")

    def download(self, file_name: str) -> URIRef:
        """The public URL of an export file."""
        folder = self.download_url or f"{self.base}export/"
        return URIRef(folder.rstrip("/") + "/" + file_name)


@dataclass
class GraphStatistics:
    """VoID counts for one named graph or for the whole dataset."""

    triples: int = 0
    entities: int = 0
    classes: int = 0
    properties: int = 0
    distinct_subjects: int = 0
    distinct_objects: int = 0


@dataclass
class Statistics:
    """VoID counts for the dataset, per named graph and per class."""

    total: GraphStatistics
    graphs: dict[str, GraphStatistics]
    class_entities: dict[str, int]


def _node(*parts: object) -> BNode:
    """A blank node whose label follows from what it describes, so that the catalogue is
    written the same way every time (random labels reordered it from run to run)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()
    return BNode("n" + digest[:20])


def void_statistics(quads: Iterable[ox.Quad]) -> Statistics:
    """Count triples, entities, classes and properties, in total and per named graph.

    Entities are the distinct IRIs in subject position (VoID's definition); a triple
    that occurs in two graphs counts in each graph and once in the total.

    Args:
        quads: The dataset's statements.
    """
    triples: set[ox.Triple] = set()
    per_graph: dict[str, list[ox.Quad]] = defaultdict(list)
    members: dict[str, set[str]] = defaultdict(set)
    for q in quads:
        triples.add(q.triple)
        if not isinstance(q.graph_name, ox.DefaultGraph):
            per_graph[q.graph_name.value].append(q)
        if (
            q.predicate.value == _RDF_TYPE
            and isinstance(q.subject, ox.NamedNode)
            and isinstance(q.object, ox.NamedNode)
        ):
            members[q.object.value].add(q.subject.value)
    return Statistics(
        total=_count(triples),
        graphs={name: _count(graph_quads) for name, graph_quads in sorted(per_graph.items())},
        class_entities={c: len(m) for c, m in sorted(members.items())},
    )


def _count(statements: Iterable[ox.Quad | ox.Triple]) -> GraphStatistics:
    subjects: set[Any] = set()
    objects: set[Any] = set()
    predicates: set[str] = set()
    classes: set[Any] = set()
    n = 0
    for t in statements:
        n += 1
        subjects.add(t.subject)
        objects.add(t.object)
        predicates.add(t.predicate.value)
        if t.predicate.value == _RDF_TYPE:
            classes.add(t.object)
    return GraphStatistics(
        triples=n,
        entities=sum(1 for s in subjects if isinstance(s, ox.NamedNode)),
        classes=len(classes),
        properties=len(predicates),
        distinct_subjects=len(subjects),
        distinct_objects=len(objects),
    )


def _bounds(value: Literal) -> tuple[dt.date, dt.date] | None:
    """Return the first and last day a temporal literal covers, or None if malformed.

    >>> _bounds(Literal("2025-02", datatype=XSD.gYearMonth))
    (datetime.date(2025, 2, 1), datetime.date(2025, 2, 28))
    >>> _bounds(Literal("2025-13-45", datatype=XSD.date)) is None
    True
    """
    match = _DATE_RE.match(str(value))
    if match is None:
        return None
    year_text, month_text, day_text = match.groups()
    try:
        year = int(year_text)
        if value.datatype == XSD.gYear:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if month_text is None:
            return None
        month = int(month_text)
        if value.datatype == XSD.gYearMonth:
            first = dt.date(year, month, 1)
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return first, following - dt.timedelta(days=1)
        if day_text is None:
            return None
        day = dt.date(year, month, int(day_text))
        return day, day
    except ValueError:
        return None


def temporal_coverage(quads: Iterable[ox.Quad]) -> tuple[Literal, Literal] | None:
    """Return the earliest and the latest date the data mentions, at their own precision.

    Every ``xsd:date``, ``xsd:dateTime``, ``xsd:gYearMonth`` and ``xsd:gYear`` literal
    outside the ontology graph counts; malformed ones are skipped (``kg check`` reports
    them). A ``gYear`` covers its whole year, so ``"2025"`` ends on 31 December.

    Args:
        quads: The dataset's statements.

    Returns:
        ``(start, end)`` as typed rdflib literals, or None when the data has no dates.

    >>> g = ox.NamedNode("https://w3id.org/asielketen/id/graaf/x")
    >>> def dated(value, kind):
    ...     return ox.Quad(g, g, ox.Literal(value, datatype=ox.NamedNode(str(kind))), g)
    >>> start, end = temporal_coverage([dated("2024-10", XSD.gYearMonth), dated("2025", XSD.gYear),
    ...                                 dated("2025-02-17", XSD.date)])
    >>> str(start), str(end), end.datatype == XSD.gYear
    ('2024-10', '2025', True)
    """
    temporal = {str(d) for d in TEMPORAL_DATATYPES}
    ontology = str(ONTOLOGY_GRAPH)
    start: tuple[dt.date, Literal] | None = None
    end: tuple[dt.date, Literal] | None = None
    for q in quads:
        o = q.object
        if not isinstance(o, ox.Literal) or o.datatype.value not in temporal:
            continue
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == ontology:
            continue
        literal = Literal(o.value, datatype=URIRef(o.datatype.value))
        bounds = _bounds(literal)
        if bounds is None:
            continue
        if start is None or bounds[0] < start[0]:
            start = (bounds[0], literal)
        if end is None or bounds[1] > end[0]:
            end = (bounds[1], literal)
    if start is None or end is None:
        return None
    return start[1], end[1]


def inputs_modified(paths: Iterable[Path]) -> dt.date:
    """Return the date the inputs last changed (``SOURCE_DATE_EPOCH`` wins when set).

    Args:
        paths: The files the dataset is built from.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    times = [p.stat().st_mtime for p in paths if p.is_file()]
    moment = max(times) if times else dt.datetime.now(tz=dt.timezone.utc).timestamp()
    return dt.datetime.fromtimestamp(moment, tz=dt.timezone.utc).date()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _concept(
    graph: Graph, iri: URIRef, label_nl: str | None, label_en: str, scheme: str | None
) -> URIRef:
    graph.add((iri, RDF.type, SKOS.Concept))
    if label_nl:
        graph.add((iri, SKOS.prefLabel, Literal(label_nl, lang="nl")))
    graph.add((iri, SKOS.prefLabel, Literal(label_en, lang="en")))
    if scheme:
        graph.add((iri, SKOS.inScheme, URIRef(scheme)))
    return iri


def _both(graph: Graph, subject: URIRef, predicate: URIRef, nl: str, en: str) -> None:
    graph.add((subject, predicate, Literal(nl, lang="nl")))
    graph.add((subject, predicate, Literal(en, lang="en")))


def describe(
    quads: Sequence[ox.Quad],
    distributions: Sequence[DistributionInfo],
    *,
    info: CatalogueInfo | None = None,
    modified: dt.date | None = None,
    statistics: Statistics | None = None,
) -> Graph:
    """Build the DCAT-AP-NL description of the dataset.

    Args:
        quads: The statements as published (after any base rewriting).
        distributions: The export formats to describe, one ``dcat:Distribution`` each;
            those with a ``path`` that exists get their size and SHA-256 checksum.
        info: Publisher and dataset metadata; the project's own by default.
        modified: When the data last changed; today when not given.
        statistics: Precomputed :func:`void_statistics` of ``quads``.

    Returns:
        The catalogue as an rdflib graph, with the project's prefixes bound.
    """
    info = info or CatalogueInfo()
    stats = statistics or void_statistics(quads)
    modified = max(modified or dt.date.today(), info.issued)
    g = Graph()
    for prefix, ns in (
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("foaf", FOAF),
        ("void", VOID),
        ("skos", SKOS),
        ("vcard", VCARD._NS),
        ("spdx", SPDX._NS),
        ("sd", SD._NS),
        ("dcatap", DCATAP._NS),
        ("prov", PROV),
        ("xsd", XSD),
    ):
        g.bind(prefix, ns)

    catalogue = info.iri("catalogus")
    dataset_iri = info.iri("dataset")
    service = info.iri("dienst", "sparql")
    service_description = info.iri("dienst", "sparql-beschrijving")
    publisher = info.iri("organisatie")
    contact = info.iri("contactpunt")
    homepage = URIRef(info.base)
    documentation = URIRef(info.ontology)
    ontology = URIRef(info.ontology)
    issued = Literal(info.issued.isoformat(), datatype=XSD.date)
    modified_literal = Literal(modified.isoformat(), datatype=XSD.date)

    # Shared resources, typed so that the class-range shapes can check them.
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal(info.publisher_name)))
    g.add((publisher, FOAF.homepage, homepage))
    publisher_type = _concept(
        g,
        URIRef("http://purl.org/adms/publishertype/NonProfitOrganisation"),
        "Organisatie zonder winstoogmerk",
        "Non-Profit Organisation",
        "http://purl.org/adms/publishertype/1.0",
    )
    g.add((publisher, DCTERMS.type, publisher_type))

    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(info.publisher_name)))
    g.add((contact, VCARD.hasURL, homepage))
    if info.contact_email:
        g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{info.contact_email}")))

    licence = URIRef(f"{EU_AUTHORITY}licence/{info.licence}")
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    if info.licence in LICENCES:
        _both(g, licence, RDFS.label, *LICENCES[info.licence])
    if info.licence in LICENCE_TYPES:
        licence_type = _concept(
            g,
            URIRef(LICENCE_TYPES[info.licence]),
            None,
            LICENCE_TYPES[info.licence].rsplit("/", 1)[1],
            "http://purl.org/adms/licencetype/1.0",
        )
        g.add((licence, DCTERMS.type, licence_type))

    public = URIRef(f"{EU_AUTHORITY}access-right/PUBLIC")
    g.add((public, RDF.type, DCTERMS.RightsStatement))
    _both(g, public, RDFS.label, "openbaar", "public")

    taxonomy = URIRef(f"{EU_AUTHORITY}data-theme")
    g.add((taxonomy, RDF.type, SKOS.ConceptScheme))
    _both(g, taxonomy, DCTERMS.title, "Datathema", "Data theme")
    themes = [
        _concept(g, URIRef(f"{EU_AUTHORITY}data-theme/{code}"), *DATA_THEMES[code], str(taxonomy))
        if code in DATA_THEMES
        else _concept(g, URIRef(f"{EU_AUTHORITY}data-theme/{code}"), None, code, str(taxonomy))
        for code in info.themes
    ]

    languages = []
    for code in info.languages:
        language = URIRef(f"{EU_AUTHORITY}language/{code}")
        g.add((language, RDF.type, DCTERMS.LinguisticSystem))
        languages.append(language)

    netherlands = URIRef(f"{EU_AUTHORITY}country/NLD")
    g.add((netherlands, RDF.type, DCTERMS.Location))
    g.add((netherlands, SKOS.prefLabel, Literal("Nederland", lang="nl")))

    frequency = URIRef(f"{EU_AUTHORITY}frequency/IRREG")
    g.add((frequency, RDF.type, DCTERMS.Frequency))

    g.add((ontology, RDF.type, DCTERMS.Standard))
    _both(g, ontology, DCTERMS.title, "asielketen-ontologie", "asielketen ontology")
    for page in (homepage, documentation):
        g.add((page, RDF.type, FOAF.Document))

    # What the catalogue, the dataset, its distributions and the service all say.
    agents = [
        (DCTERMS.publisher, publisher),
        (DCTERMS.creator, publisher),
        (DCAT.contactPoint, contact),
    ]
    dates = [(DCTERMS.issued, issued), (DCTERMS.modified, modified_literal)]
    spoken = [(DCTERMS.language, language) for language in languages]

    # Catalogue.
    g.add((catalogue, RDF.type, DCAT.Catalog))
    _both(g, catalogue, DCTERMS.title, info.catalogue_title_nl, info.catalogue_title_en)
    _both(
        g,
        catalogue,
        DCTERMS.description,
        f"Catalogus met de dataset {info.title_nl} en het SPARQL-endpoint ervan.",
        f"Catalogue holding the dataset {info.title_en} and its SPARQL endpoint.",
    )
    _add(
        g,
        catalogue,
        [
            *agents,
            (DCAT.dataset, dataset_iri),
            (DCAT.service, service),
            (DCTERMS.license, licence),
            *dates,
            (DCTERMS.spatial, netherlands),
            (FOAF.homepage, homepage),
            (DCAT.themeTaxonomy, taxonomy),
            *spoken,
        ],
    )

    # Dataset.
    _both(g, dataset_iri, DCTERMS.title, info.title_nl, info.title_en)
    _both(g, dataset_iri, DCTERMS.description, info.description_nl, info.description_en)
    _add(
        g,
        dataset_iri,
        [
            (RDF.type, DCAT.Dataset),
            (RDF.type, VOID.Dataset),
            (DCTERMS.identifier, Literal(str(dataset_iri))),
            *agents,
            (DCTERMS.accessRights, public),
            *dates,
            (DCTERMS.conformsTo, ontology),
            (DCTERMS.spatial, netherlands),
            (DCTERMS.accrualPeriodicity, frequency),
            (DCAT3.version, Literal(info.version)),
            (DCAT.landingPage, homepage),
            (FOAF.page, documentation),
            *[(DCAT.theme, theme) for theme in themes],
            *[
                (DCAT.keyword, Literal(keyword, lang="nl"))
                for keyword in (*info.keywords_nl, *info.extra_keywords)
            ],
            *spoken,
        ],
    )
    coverage = temporal_coverage(quads)
    if coverage is not None:
        period = _node("period", dataset_iri)
        g.add((dataset_iri, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, coverage[0]))
        g.add((period, DCAT.endDate, coverage[1]))

    # VoID statistics: the whole dataset, then one subset per named graph.
    _add_counts(g, dataset_iri, stats.total)
    g.add((dataset_iri, VOID.sparqlEndpoint, info.endpoint))
    g.add((dataset_iri, VOID.uriSpace, Literal(f"{info.base}id/")))
    g.add((dataset_iri, VOID.vocabulary, URIRef(info.ontology)))
    for class_iri, entities in stats.class_entities.items():
        partition = _node("class-partition", class_iri)
        g.add((dataset_iri, VOID.classPartition, partition))
        g.add((partition, VOID["class"], URIRef(class_iri)))
        g.add((partition, VOID.entities, Literal(entities)))
    for graph_name, graph_stats in stats.graphs.items():
        subset = URIRef(f"{dataset_iri}/graaf/{graph_name.rstrip('/').rsplit('/', 1)[-1]}")
        g.add((dataset_iri, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, RDF.type, SD.NamedGraph))
        g.add((subset, SD.name, URIRef(graph_name)))
        g.add((subset, DCTERMS.title, Literal(f"benoemde graaf {graph_name}", lang="nl")))
        _add_counts(g, subset, graph_stats)

    # Distributions: one per file format, and the endpoint.
    for dist in distributions:
        iri = info.iri("distributie", f"{info.slug}-{dist.key}")
        url = info.download(dist.file_name)
        g.add((dataset_iri, DCAT.distribution, iri))
        g.add((dataset_iri, VOID.dataDump, url))
        _both(
            g,
            iri,
            DCTERMS.title,
            f"{info.title_nl} in {dist.title}",
            f"{info.title_en} in {dist.title}",
        )
        if dist.keeps_graphs:
            text_nl = f"Alle benoemde grafen in {dist.title}, met de graafnamen."
            text_en = f"All named graphs in {dist.title}, keeping the graph names."
        else:
            text_nl = (
                f"De vereniging van alle benoemde grafen in {dist.title}; dit formaat kent geen "
                "graafnamen, gebruik TriG of N-Quads om de herkomst per bron te behouden."
            )
            text_en = (
                f"The union of all named graphs in {dist.title}; the format has no graph names, "
                "use TriG or N-Quads to keep the provenance per source."
            )
        _both(g, iri, DCTERMS.description, text_nl, text_en)
        file_type = URIRef(f"{EU_AUTHORITY}file-type/{dist.file_type}")
        g.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
        media_type = URIRef(f"https://www.iana.org/assignments/media-types/{dist.media_type}")
        g.add((media_type, RDF.type, DCTERMS.MediaType))
        _distribution(
            g,
            iri,
            [
                (DCAT.accessURL, url),
                (DCAT.downloadURL, url),
                (DCTERMS.format, file_type),
                (DCAT.mediaType, media_type),
                (DCTERMS.license, licence),
                (DCTERMS.conformsTo, ontology),
                *dates,
                *spoken,
            ],
        )
        if dist.path is not None and dist.path.is_file():
            g.add(
                (
                    iri,
                    DCAT.byteSize,
                    Literal(dist.path.stat().st_size, datatype=XSD.nonNegativeInteger),
                )
            )
            checksum = _node("checksum", iri)
            g.add((iri, SPDX.checksum, checksum))
            g.add((checksum, RDF.type, SPDX.Checksum))
            g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            g.add(
                (checksum, SPDX.checksumValue, Literal(_sha256(dist.path), datatype=XSD.hexBinary))
            )

    endpoint_distribution = info.iri("distributie", f"{info.slug}-sparql")
    g.add((dataset_iri, DCAT.distribution, endpoint_distribution))
    _both(g, endpoint_distribution, DCTERMS.title, "SPARQL-endpoint", "SPARQL endpoint")
    _both(
        g,
        endpoint_distribution,
        DCTERMS.description,
        "Bevraag alle benoemde grafen met SPARQL 1.1.",
        "Query all named graphs with SPARQL 1.1.",
    )
    _distribution(
        g,
        endpoint_distribution,
        [
            (DCAT.accessURL, info.endpoint),
            (DCAT.accessService, service),
            (DCTERMS.license, licence),
            (DCTERMS.conformsTo, ontology),
            *spoken,
        ],
    )

    # The SPARQL endpoint as a data service, with a SPARQL service description.
    protocol = URIRef("https://www.w3.org/TR/sparql11-protocol/")
    g.add((protocol, RDF.type, DCTERMS.Standard))
    g.add((protocol, DCTERMS.title, Literal("SPARQL 1.1 Protocol", lang="en")))
    _both(
        g,
        service,
        DCTERMS.title,
        f"SPARQL-endpoint van {info.title_nl}",
        f"SPARQL endpoint of {info.title_en}",
    )
    _both(
        g,
        service,
        DCTERMS.description,
        "Alleen-lezen SPARQL 1.1-endpoint (GET en POST; resultaten in JSON, XML, CSV en TSV) "
        "over alle benoemde grafen van de dataset.",
        "Read-only SPARQL 1.1 endpoint (GET and POST; results in JSON, XML, CSV and TSV) "
        "over all named graphs of the dataset.",
    )
    _add(
        g,
        service,
        [
            (RDF.type, DCAT.DataService),
            (DCAT.endpointURL, info.endpoint),
            (DCAT.endpointDescription, service_description),
            (DCAT.servesDataset, dataset_iri),
            (DCTERMS.conformsTo, protocol),
            (DCTERMS.identifier, Literal(str(service))),
            (DCTERMS.accessRights, public),
            (DCTERMS.license, licence),
            *agents,
            (DCAT.landingPage, homepage),
            *[(DCAT.theme, theme) for theme in themes],
            *[(DCAT.keyword, Literal(keyword, lang="en")) for keyword in ("SPARQL", "linked data")],
            *spoken,
        ],
    )

    g.add((service_description, RDF.type, SD.Service))
    g.add((service_description, SD.endpoint, info.endpoint))
    g.add((service_description, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service_description, SD.feature, SD.UnionDefaultGraph))
    for result_format in SPARQL_RESULT_FORMATS:
        g.add((service_description, SD.resultFormat, URIRef(result_format)))
    default_dataset = _node("default-dataset", service_description)
    g.add((service_description, SD.defaultDataset, default_dataset))
    g.add((default_dataset, RDF.type, SD.Dataset))
    for graph_name in stats.graphs:
        named = _node("named-graph", graph_name)
        g.add((default_dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(graph_name)))
    g.add((dataset_iri, PROV.wasGeneratedBy, _generation(g, info, modified)))
    return g


def _add(graph: Graph, subject: URIRef, statements: Iterable[tuple[URIRef, Node]]) -> None:
    """Add ``subject`` with each (predicate, object) of ``statements`` to ``graph``."""
    for predicate, value in statements:
        graph.add((subject, predicate, value))


def _distribution(
    graph: Graph, distribution: URIRef, statements: Iterable[tuple[URIRef, Node]]
) -> None:
    """A ``dcat:Distribution`` with ``statements``, available as stable."""
    stable = URIRef("http://data.europa.eu/r5r/availability/stable")
    _concept(graph, stable, "stabiel", "stable", "http://data.europa.eu/r5r/availability")
    _add(graph, distribution, [(RDF.type, DCAT.Distribution), *statements])
    graph.add((distribution, DCATAP.availability, stable))


def _generation(graph: Graph, info: CatalogueInfo, modified: dt.date) -> URIRef:
    activity = info.iri("activiteit", f"{info.slug}-export-{modified.isoformat()}")
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, RDFS.label, Literal(f"export door kg {info.version}", lang="nl")))
    graph.add((activity, PROV.wasAssociatedWith, info.iri("organisatie")))
    return activity


def _add_counts(graph: Graph, subject: URIRef, stats: GraphStatistics) -> None:
    graph.add((subject, VOID.triples, Literal(stats.triples)))
    graph.add((subject, VOID.entities, Literal(stats.entities)))
    graph.add((subject, VOID.classes, Literal(stats.classes)))
    graph.add((subject, VOID.properties, Literal(stats.properties)))
    graph.add((subject, VOID.distinctSubjects, Literal(stats.distinct_subjects)))
    graph.add((subject, VOID.distinctObjects, Literal(stats.distinct_objects)))


@dataclass(frozen=True)
class ShapeFinding:
    """One SHACL result: which node, which property, which shape, and why."""

    severity: str
    focus: str
    path: str | None
    message: str
    shape: str

    def __str__(self) -> str:
        where = f"{self.focus} {self.path}" if self.path else self.focus
        return f"{self.severity}: {where}: {self.message}"


@dataclass
class ShapeReport:
    """The SHACL results of a description, split by severity."""

    violations: list[ShapeFinding] = field(default_factory=list)
    warnings: list[ShapeFinding] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings are allowed)."""
        return not self.violations


def shapes_graph(*, recommended: bool = False) -> Graph:
    """Return the official DCAT-AP and DCAT-AP-NL shapes as one graph.

    Args:
        recommended: Also load the shapes for recommended properties (warnings).
    """
    from kg.errors import InputError

    shapes = Graph()
    names = REQUIRED_SHAPES + (RECOMMENDED_SHAPES if recommended else ())
    for name in names:
        path = DCAT_AP_DIR / name
        if not path.is_file():
            raise InputError(
                "DCAT-AP shapes file missing; restore ontology/shapes/dcat-ap/ from git",
                file=path,
            )
        shapes.parse(path, format="turtle")
    return shapes


def validate_description(description: Graph, *, recommended: bool = False) -> ShapeReport:
    """Validate a description against the DCAT-AP 3.0.1 and DCAT-AP-NL 3.0 shapes.

    Args:
        description: The catalogue graph from :func:`describe`.
        recommended: Also check the recommended properties; their findings are warnings.

    Returns:
        The findings; ``report.conforms`` is True when there are no violations.
    """
    from pyshacl import validate

    _conforms, results, _text = validate(
        description,
        shacl_graph=shapes_graph(recommended=recommended),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    report = ShapeReport()
    assert isinstance(results, Graph)
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        messages = [str(m) for m in results.objects(result, SH.resultMessage)]
        path = results.value(result, SH.resultPath)
        finding = ShapeFinding(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            focus=str(results.value(result, SH.focusNode)),
            path=str(path) if isinstance(path, URIRef) else None,
            message="; ".join(sorted(messages)) or "constraint not met",
            shape=str(results.value(result, SH.sourceShape)),
        )
        if severity == SH.Violation:
            report.violations.append(finding)
        else:
            report.warnings.append(finding)
    report.violations.sort(key=str)
    report.warnings.sort(key=str)
    return report
