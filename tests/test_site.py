"""The static linked-data site: pages, alternates, links, ontology docs, escaping, offline."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import OWL, RDF

from kg.cli import main
from kg.dataset import load_dataset
from kg.namespaces import BASE, ONTOLOGY_GRAPH
from kg.publish import collect_quads
from kg.site import CSP, STYLE, build_site

TESTS = Path(__file__).resolve().parent
PUBLISH = TESTS / "data" / "publish"
AK = "https://w3id.org/asielketen/def#"

HOSTILE_TRIG = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix ak: <https://w3id.org/asielketen/def#> .
@prefix graaf: <https://w3id.org/asielketen/id/graaf/> .
@prefix bron: <https://w3id.org/asielketen/id/bron/> .
@prefix wet: <https://w3id.org/asielketen/id/wet/> .

GRAPH graaf:hostile {
  wet:hostile a ak:Law ;
      rdfs:label "</script><script>alert('label')</script>"@nl ;
      skos:altLabel "\\"><img src=x onerror=alert(1)>"@nl ;
      rdfs:seeAlso <javascript:alert(1)> , <https://example.org/%22onmouseover=alert(1)> ;
      ak:hasQuote [ a ak:Quote ; ak:inDocument bron:demo-voorrang ;
          oa:exact "<!-- </style><script>alert(2)</script>" ] .
  <https://w3id.org/asielketen/id/wet/../../../../escape> a ak:Law ; rdfs:label "traversal"@nl .
  <https://w3id.org/asielketen/id/wet/x.html> a ak:Law ; rdfs:label "<b>looks like a page</b>"@nl .
}
"""


class Page(HTMLParser):
    """Collects what the tests look at in one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self._in: str | None = None
        self._attrs: dict[str, str | None] = {}
        self._text: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in, self._attrs, self._text = tag, dict(attrs), []

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            body = "".join(self._text)
            if tag == "script":
                self.scripts.append((self._attrs, body))
            else:
                self.styles.append(body)
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)
        else:
            self.text.append(data)

    def attrs(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "site"
    result = build_site(folder, PUBLISH)
    assert result.report is not None and result.report.conforms
    return folder


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(PUBLISH, data)
    (data / "graphs" / "hostile.trig").write_text(HOSTILE_TRIG, encoding="utf-8")
    folder = root / "site"
    build_site(folder, data, validate=False)
    return folder


def resource_iris(data: Path) -> set[str]:
    iris = set()
    for q in collect_quads(data):
        for term in (q.subject, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(BASE + "id/"):
                iris.add(term.value)
    return iris


def test_a_page_with_alternates_for_every_resource(site: Path) -> None:
    for iri in resource_iris(PUBLISH):
        stem = site / iri[len(BASE) :]
        html = stem.with_name(stem.name + ".html")
        assert html.is_file(), iri
        for suffix, media_type in ((".ttl", "text/turtle"), (".jsonld", "application/ld+json")):
            alternate = stem.with_name(stem.name + suffix)
            assert alternate.is_file(), alternate
            links = [
                a
                for a in parse(html).attrs("link")
                if a.get("rel") == "alternate" and a.get("type") == media_type
            ]
            assert [a["href"] for a in links] == [stem.name + suffix]


def test_alternates_hold_the_resource_description(site: Path) -> None:
    iri = BASE + "id/maatregel/verbod-op-voorrang-statushouders"
    expected = rdflib.Graph()
    for graph in load_dataset(PUBLISH).graphs():
        for triple in graph.triples((rdflib.URIRef(iri), None, None)):
            expected.add(triple)
    turtle = rdflib.Graph().parse(site / "id/maatregel/verbod-op-voorrang-statushouders.ttl")
    jsonld = rdflib.Dataset()
    jsonld.parse(site / "id/maatregel/verbod-op-voorrang-statushouders.jsonld", format="json-ld")
    union = rdflib.Graph()
    for graph in jsonld.graphs():
        for triple in graph:
            union.add(triple)
    for read in (turtle, union):
        about = {(p, o) for _, p, o in read.triples((rdflib.URIRef(iri), None, None))}
        want = {(p, o) for _, p, o in expected}
        assert {x for x in about if not isinstance(x[1], rdflib.BNode)} == {
            x for x in want if not isinstance(x[1], rdflib.BNode)
        }
        # The quote blank nodes come along, with their text.
        assert any("verbod wordt ingesteld" in str(o) for o in read.objects())


def test_page_shows_labels_types_statements_quotes_and_incoming_links(site: Path) -> None:
    page = parse(site / "id/instrument/voorrang-huisvesting-statushouders.html")
    text = " ".join(page.text)
    assert "met voorrang huisvesten van statushouders" in text  # label
    assert "instrument" in text  # type
    assert "gemeenten te verbieden statushouders met voorrang" in text  # quote
    assert "Uittreksel uit de VNG-ledenbrief" in text  # quote's source document
    hrefs = [a.get("href") for a in page.attrs("a")]
    # Incoming links: the measures that prohibit and incentivise it, the conflict statement.
    assert "../maatregel/verbod-op-voorrang-statushouders.html" in hrefs
    assert "../maatregel/eenmalige-bijdrage-huisvesting-statushouders.html" in hrefs
    assert "../claim/vng-verbod-voorrang-haaks-op-bonus.html" in hrefs
    source = parse(site / "id/bron/demo-voorrang.html")
    assert "(via citaat)" in " ".join(source.text)


def test_every_local_link_resolves_and_nothing_loads_from_the_network(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    anchors: dict[Path, set[str | None]] = {}
    assert len(pages) > 60
    for path in pages:
        page = parse(path)
        assert not page.attrs("img") and not page.attrs("iframe")
        for attrs in page.attrs("script"):
            assert attrs.get("type") == "application/ld+json" and "src" not in attrs, path
        for attrs in page.attrs("link"):
            assert attrs.get("rel") in ("alternate", "canonical"), (path, attrs)
        for attrs in page.attrs("a") + page.attrs("link"):
            href = attrs.get("href") or ""
            parts = urlsplit(href)
            if parts.scheme in ("http", "https") or attrs.get("rel") == "canonical":
                continue
            assert not parts.scheme, (path, href)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.is_file(), (path, href)
            if parts.fragment:
                if target not in anchors:
                    anchors[target] = {a.get("id") for _, a in parse(target).tags}
                assert parts.fragment in anchors[target], (path, href)


def test_every_page_has_a_csp_that_allows_only_its_own_style(site: Path) -> None:
    digest = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in CSP
    assert "default-src 'none'" in CSP and "script-src" not in CSP
    for path in site.rglob("*.html"):
        page = parse(path)
        policies = [
            a.get("content")
            for a in page.attrs("meta")
            if a.get("http-equiv") == "Content-Security-Policy"
        ]
        assert policies == [CSP], path
        assert page.styles == [STYLE], path


def test_laws_and_bills_embed_schema_org_legislation(site: Path) -> None:
    def legislation(path: Path) -> list[dict[str, object]]:
        return [
            json.loads(body)
            for attrs, body in parse(path).scripts
            if attrs.get("type") == "application/ld+json"
        ]

    law = legislation(site / "id/wet/huisvestingswet-2014.html")
    assert len(law) == 1 and law[0]["@type"] == "Legislation"
    assert law[0]["name"] == "Huisvestingswet 2014"
    assert law[0]["legislationIdentifier"] == "BWBR0035303"
    assert law[0]["legislationLegalForce"] == "https://schema.org/InForce"
    bill = legislation(
        site / "id/wetsvoorstel/wet-nieuwe-regels-huisvesting-vergunninghouders.html"
    )
    assert bill[0]["legislationType"] == "wetsvoorstel"
    assert bill[0]["legislationChanges"] == [{"@id": BASE + "id/wet/huisvestingswet-2014"}]
    # schema.org's own context resolves names; it reads as RDF with the Legislation type.
    assert legislation(site / "id/maatregel/verbod-op-voorrang-statushouders.html") == []
    assert legislation(site / "id/organisatie/vng.html") == []


def test_class_indexes_list_their_members(site: Path) -> None:
    expected = {
        str(s)
        for g in load_dataset(PUBLISH).graphs()
        for s in g.subjects(RDF.type, rdflib.URIRef(AK + "Measure"))
    }
    page = parse(site / "klasse/ak-Measure.html")
    linked = {a.get("title") for a in page.attrs("a") if a.get("title")}
    assert expected and expected <= linked
    home = parse(site / "index.html")
    assert "klasse/ak-Measure.html" in [a.get("href") for a in home.attrs("a")]


def test_ontology_documentation_has_every_term(site: Path) -> None:
    ontology = load_dataset(PUBLISH).graph(ONTOLOGY_GRAPH)
    terms = {
        str(s)[len(AK) :]
        for s in ontology.subjects()
        if isinstance(s, rdflib.URIRef) and str(s).startswith(AK)
    }
    classes = {
        str(s)[len(AK) :] for s in ontology.subjects(RDF.type, OWL.Class) if str(s).startswith(AK)
    }
    page = parse(site / "def/index.html")
    ids = {a.get("id") for _, a in page.tags}
    assert terms and terms <= ids
    assert classes <= terms
    text = " ".join(page.text)
    assert "maatregel" in text and "measure" in text  # labels in both languages
    assert rdflib.Graph().parse(site / "def/index.ttl")  # the alternate parses


def test_the_site_has_the_exports_and_the_catalogue(site: Path) -> None:
    names = sorted(p.name for p in (site / "export").iterdir())
    assert names == [
        "asielketen-kg.jsonld",
        "asielketen-kg.nq",
        "asielketen-kg.rdf",
        "asielketen-kg.trig",
        "asielketen-kg.ttl",
        "catalog.ttl",
        "context.jsonld",
    ]


def test_hostile_data_is_escaped(hostile_site: Path) -> None:
    for path in hostile_site.rglob("*.html"):
        raw = path.read_text(encoding="utf-8")
        page = parse(path)
        assert "<script>alert" not in raw and "<img" not in raw, path
        assert not page.attrs("img"), path
        for _tag, attrs in page.tags:
            assert not any(name.startswith("on") for name in attrs), (path, attrs)
            assert not (attrs.get("href") or "").lower().startswith("javascript:"), path
        for attrs, body in page.scripts:
            assert attrs.get("type") == "application/ld+json"
            assert "<" not in body
            json.loads(body)
    page = parse(hostile_site / "id/wet/hostile.html")
    text = " ".join(page.text)
    assert "</script><script>alert('label')</script>" in text  # shown as text
    assert "<!-- </style><script>alert(2)</script>" in text
    (data,) = [json.loads(body) for _, body in page.scripts]
    assert data["name"] == "</script><script>alert('label')</script>"


def test_iris_cannot_write_outside_the_site(hostile_site: Path) -> None:
    root = hostile_site.resolve()
    for path in hostile_site.rglob("*"):
        assert root in path.resolve().parents or path.resolve() == root
    assert not (hostile_site.parent / "escape.html").exists()
    assert not list(hostile_site.rglob("escape*")) or all(
        "x-" in str(p.relative_to(hostile_site)) for p in hostile_site.rglob("escape*")
    )
    # An IRI ending in .html gets its own page name and does not overwrite another page.
    pages = [p for p in (hostile_site / "id" / "wet").glob("x-*.html")]
    assert any("looks like a page" in p.read_text(encoding="utf-8") for p in pages)


def test_rebuild_replaces_the_site_and_a_foreign_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    build_site(folder, PUBLISH, validate=False)
    (folder / "stale.html").write_text("old", encoding="utf-8")
    build_site(folder, PUBLISH, validate=False)
    assert not (folder / "stale.html").exists()
    foreign = tmp_path / "home"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "--data", str(PUBLISH), "--site", str(foreign)])
    assert result.exit_code == 2
    assert "not written by `kg export --site`" in result.stderr
    assert (foreign / "thesis.txt").read_text(encoding="utf-8") == "keep me"


def test_cli_builds_the_site(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "export",
            "--data",
            str(PUBLISH),
            "--site",
            str(tmp_path / "s"),
            "--base",
            "https://data.example.org/",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "resource pages" in result.stderr and "0 violations" in result.stderr
    law = (tmp_path / "s" / "id" / "wet" / "huisvestingswet-2014.html").read_text(encoding="utf-8")
    assert "https://data.example.org/id/wet/huisvestingswet-2014" in law
    assert re.search(r"https://w3id\.org/asielketen/id/", law) is None


def test_legislation_same_as_is_not_a_source_document() -> None:
    # schema:sameAs says "the same thing": a law's official page (rdfs:seeAlso) is, the
    # Kamerstuk a curated statement cites (dcterms:source) is a document about it.
    from kg.site import _Index, _legislation

    bill = ox.NamedNode(BASE + "id/wetsvoorstel/voorbeeld")
    source = ox.NamedNode(BASE + "id/document/kamerstuk-1-2")
    official = ox.NamedNode("https://wetten.overheid.nl/BWBR0000000")
    graph = ox.NamedNode(BASE + "id/graaf/referentie")
    quads = [
        ox.Quad(bill, ox.NamedNode(str(RDF.type)), ox.NamedNode(AK + "Bill"), graph),
        ox.Quad(bill, ox.NamedNode("http://purl.org/dc/terms/source"), source, graph),
        ox.Quad(bill, ox.NamedNode(str(rdflib.RDFS.seeAlso)), official, graph),
    ]
    data = _legislation(_Index(quads, BASE, {}), bill, BASE + "id/wetsvoorstel/voorbeeld.html")
    assert data is not None
    assert data["sameAs"] == [official.value]
    assert data["subjectOf"] == [{"@id": source.value}]
