"""The DCAT-AP-NL description: official shapes pass, statistics come from the data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, VOID, XSD
from rdflib.term import Node

from kg import dcat
from kg.cli import main
from kg.dataset import load_dataset
from kg.namespaces import ONTOLOGY_GRAPH
from kg.paths import PROJECT_ROOT
from kg.publish import FORMATS, collect_quads, export

TESTS = Path(__file__).resolve().parent
PUBLISH = TESTS / "data" / "publish"
EU = "http://publications.europa.eu/resource/authority/"
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> rdflib.Graph:
    folder = tmp_path_factory.mktemp("export")
    result = export(PUBLISH, "trig", folder / "asielketen-kg.trig")
    assert result.catalog is not None
    return rdflib.Graph().parse(result.catalog, format="turtle")


def one(graph: rdflib.Graph, subject: Node, predicate: URIRef) -> Node:
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, f"{subject} {predicate}: {values}"
    return values[0]


def literal(node: Node) -> Literal:
    assert isinstance(node, Literal), f"not a literal: {node!r}"
    return node


def the_dataset(graph: rdflib.Graph) -> URIRef:
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 1
    assert isinstance(datasets[0], URIRef), datasets
    return datasets[0]


def test_description_passes_the_official_shapes_with_zero_violations(
    catalog: rdflib.Graph,
) -> None:
    report = dcat.validate_description(catalog)
    assert report.violations == [], "\n".join(map(str, report.violations))
    # The recommended shapes too bring no violations (only a few warnings).
    recommended = dcat.validate_description(catalog, recommended=True)
    assert recommended.violations == []


@pytest.mark.parametrize(
    "predicate",
    [DCTERMS.publisher, DCAT.contactPoint, DCTERMS.identifier, DCAT.theme, DCTERMS.accessRights],
)
def test_the_shapes_catch_a_missing_required_property(
    catalog: rdflib.Graph, predicate: URIRef
) -> None:
    broken = rdflib.Graph()
    for triple in catalog:
        broken.add(triple)
    broken.remove((the_dataset(catalog), predicate, None))
    report = dcat.validate_description(broken)
    assert not report.conforms
    assert any(f.path == str(predicate) for f in report.violations)


def test_catalog_dataset_and_service_are_described(catalog: rdflib.Graph) -> None:
    dataset = the_dataset(catalog)
    catalogue = next(catalog.subjects(DCAT.dataset, dataset))
    assert (catalogue, RDF.type, DCAT.Catalog) in catalog
    for predicate in (DCTERMS.title, DCTERMS.description):
        languages = {literal(o).language for o in catalog.objects(dataset, predicate)}
        assert languages == {"nl", "en"}
    publisher = one(catalog, dataset, DCTERMS.publisher)
    assert str(publisher).startswith("https://w3id.org/asielketen/id/organisatie/")
    assert (publisher, RDF.type, FOAF.Agent) in catalog
    assert one(catalog, publisher, FOAF.name)
    contact = one(catalog, dataset, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in catalog
    licence = one(catalog, next(catalog.objects(dataset, DCAT.distribution)), DCTERMS.license)
    assert str(licence).startswith(EU + "licence/")
    assert (licence, RDF.type, DCTERMS.LicenseDocument) in catalog
    themes = {str(t) for t in catalog.objects(dataset, DCAT.theme)}
    assert themes == {EU + "data-theme/" + code for code in ("SOCI", "GOVE", "JUST")}
    for theme in themes:
        assert (URIRef(theme), RDF.type, SKOS.Concept) in catalog
    assert one(catalog, dataset, DCTERMS.conformsTo) == URIRef(str(ONTOLOGY_GRAPH))
    for predicate in (DCTERMS.issued, DCTERMS.modified):
        assert literal(one(catalog, dataset, predicate)).datatype == XSD.date
    service = next(catalog.subjects(DCAT.servesDataset, dataset))
    assert (service, RDF.type, DCAT.DataService) in catalog
    assert one(catalog, service, DCAT.endpointURL)


def test_a_distribution_per_format(catalog: rdflib.Graph) -> None:
    dataset = the_dataset(catalog)
    formats = {}
    for distribution in catalog.objects(dataset, DCAT.distribution):
        file_type = catalog.value(distribution, DCTERMS["format"])
        if file_type is not None:
            formats[str(file_type)] = distribution
    assert sorted(formats) == sorted(EU + "file-type/" + f.file_type for f in FORMATS.values())
    # The file written gets its size; the others are described without one.
    trig = formats[EU + "file-type/RDF_TRIG"]
    assert int(literal(one(catalog, trig, DCAT.byteSize))) > 0
    endpoint = [
        d
        for d in catalog.objects(dataset, DCAT.distribution)
        if (d, DCAT.accessService, None) in catalog
    ]
    assert len(endpoint) == 1


def test_void_statistics_match_the_data(catalog: rdflib.Graph) -> None:
    expected = load_dataset(PUBLISH)
    dataset = the_dataset(catalog)
    union = {t for g in expected.graphs() for t in g}
    assert int(literal(one(catalog, dataset, VOID.triples))) == len(union)
    subjects = {s for s, _, _ in union}
    assert int(literal(one(catalog, dataset, VOID.entities))) == sum(
        isinstance(s, URIRef) for s in subjects
    )
    assert int(literal(one(catalog, dataset, VOID.properties))) == len({p for _, p, _ in union})
    assert int(literal(one(catalog, dataset, VOID.classes))) == len(
        {o for _, p, o in union if p == RDF.type}
    )
    subsets = {
        str(
            one(catalog, subset, URIRef("http://www.w3.org/ns/sparql-service-description#name"))
        ): subset
        for subset in catalog.objects(dataset, VOID.subset)
    }
    graphs = {str(g.identifier): len(g) for g in expected.graphs() if len(g)}
    graphs.pop(str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID), None)
    assert sorted(subsets) == sorted(graphs)
    for name, count in graphs.items():
        assert int(literal(one(catalog, subsets[name], VOID.triples))) == count


def dated(
    value: str, datatype: URIRef, graph: str = "https://w3id.org/asielketen/id/graaf/x"
) -> ox.Quad:
    g = ox.NamedNode(graph)
    return ox.Quad(g, g, ox.Literal(value, datatype=ox.NamedNode(str(datatype))), g)


def test_temporal_coverage_keeps_precision_and_skips_bad_dates() -> None:
    quads = [
        dated("2025-02-17", XSD.date),
        dated("2024-10", XSD.gYearMonth),
        dated("2025", XSD.gYear),
        dated("2026-13-45", XSD.date),  # malformed: kg check reports it; coverage skips it
        dated("1999-01-01", XSD.date, graph=str(ONTOLOGY_GRAPH)),  # ontology dates are not data
    ]
    start, end = dcat.temporal_coverage(quads) or (None, None)
    assert start == Literal("2024-10", datatype=XSD.gYearMonth)
    assert end == Literal("2025", datatype=XSD.gYear)
    assert dcat.temporal_coverage([dated("x", XSD.date)]) is None


def test_temporal_coverage_of_the_description_comes_from_the_data(catalog: rdflib.Graph) -> None:
    period = one(catalog, the_dataset(catalog), DCTERMS.temporal)
    expected = dcat.temporal_coverage(collect_quads(PUBLISH))
    assert expected is not None
    assert one(catalog, period, DCAT.startDate) == expected[0]
    assert one(catalog, period, DCAT.endDate) == expected[1]


def test_modified_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01
    assert dcat.inputs_modified([]) == dt.date(2030, 1, 1)


def test_base_moves_the_catalogue_iris(tmp_path: Path) -> None:
    result = export(PUBLISH, "nquads", tmp_path / "x.nq", base="https://data.example.org/asiel/")
    assert result.catalog is not None and result.report is not None
    assert result.report.conforms
    graph = rdflib.Graph().parse(result.catalog, format="turtle")
    dataset = the_dataset(graph)
    assert str(dataset) == "https://data.example.org/asiel/id/dataset/asielketen-kg"
    downloads = {str(u) for u in graph.objects(None, DCAT.downloadURL)}
    assert "https://data.example.org/asiel/export/asielketen-kg.nq" in downloads


def test_cli_reports_the_validation(tmp_path: Path) -> None:
    out = tmp_path / "x.trig"
    result = CliRunner().invoke(main, ["export", "--data", str(PUBLISH), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "catalog.ttl: DCAT-AP 3.0.1 + DCAT-AP-NL 3.0 shapes: 0 violations" in result.stderr
    result = CliRunner().invoke(
        main,
        ["export", "--data", str(PUBLISH), "--out", str(tmp_path / "y" / "x.trig"), "--no-catalog"],
    )
    assert result.exit_code == 0
    assert not (tmp_path / "y" / "catalog.ttl").exists()


def test_shapes_are_unedited_copies_with_attribution() -> None:
    # The shared reference copies sit beside the repository on the developers' machines.
    reference = PROJECT_ROOT.parent / "shared" / "reference"
    readme = (dcat.DCAT_AP_DIR / "README.md").read_text(encoding="utf-8")
    assert "© European Union" in readme and "Geonovum" in readme
    for name in dcat.REQUIRED_SHAPES + dcat.RECOMMENDED_SHAPES:
        copy = dcat.DCAT_AP_DIR / name
        assert copy.is_file(), name
        original = reference / name
        if original.is_file():
            assert copy.read_bytes() == original.read_bytes(), name


def test_the_catalogue_is_written_the_same_way_every_time(tmp_path: Path) -> None:
    # Blank nodes (the period, class partitions, checksums, the endpoint's graphs) get
    # labels from what they describe; random labels reordered the file from run to run.
    texts = []
    for run in ("a", "b"):
        result = export(PUBLISH, "trig", tmp_path / run / "asielketen-kg.trig")
        assert result.catalog is not None
        texts.append(result.catalog.read_bytes())
    assert texts[0] == texts[1]
