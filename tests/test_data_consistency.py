"""The five curated graphs and the reference graph, loaded together, are one consistent graph.

Every quote anchors in its source text; ``kg check`` (without the reasoner) finds no
violation; an entity has one Dutch label in the union of all graphs and no two IRIs go by
the same name; every claim is attributed to an actor and says what it is about; notes do
not lean on web pages the source does not name; merged duplicates do not come back.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

import pytest

from kg.check import run_checks
from kg.namespaces import BASE, ONTOLOGY_GRAPH
from kg.paths import DATA_DIR
from kg.store import EmbeddedEngine, build_in_memory

ID = f"{BASE}id/"
GRAAF = f"{ID}graaf/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PREFIXES = (
    f"PREFIX ak: <{BASE}def#> "
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
)
SOURCES = sorted(p.stem for p in (DATA_DIR / "graphs").glob("*.trig"))


@pytest.fixture(scope="module")
def engine() -> EmbeddedEngine:
    return build_in_memory(DATA_DIR)


def _select(engine: EmbeddedEngine, where: str, variables: str = "*") -> list[dict[str, str]]:
    rows = engine.select(f"{PREFIXES} SELECT DISTINCT {variables} WHERE {{ {where} }}")
    return [{k: v.value for k, v in row.items() if v is not None} for row in rows]


def _short(iri: str) -> str:
    return iri.removeprefix(ID)


def normalise_name(name: str) -> str:
    """Case, accents, punctuation and spacing do not make a different name.

    >>> normalise_name("Oekraïners ")
    'oekrainers'
    >>> normalise_name("LVV") == normalise_name("lvv")
    True
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_name.casefold()))


def test_every_quote_anchors_at_exactly_one_place() -> None:
    report = run_checks(DATA_DIR, reasoner=False, skip=("shacl", "queries"))
    problems = [f"{f.location()} {f.focus}: {f.message}" for f in report.findings]
    assert problems == []
    assert report.counts["quotes"] >= 818
    assert report.counts["quotes anchored"] == report.counts["quotes"]


def test_kg_check_finds_no_violation() -> None:
    report = run_checks(DATA_DIR, reasoner=False)
    violations = [
        f"{f.location()} {f.focus}: {f.message}"
        for f in report.findings
        if f.severity == "violation"
    ]
    assert violations == []
    assert report.exit_code == 0


def test_every_entity_has_exactly_one_dutch_label(engine: EmbeddedEngine) -> None:
    rows = _select(
        engine,
        f"GRAPH ?g {{ ?s a ?type }} FILTER(STRSTARTS(STR(?s), '{ID}')) "
        "FILTER(STRSTARTS(STR(?type), STR(ak:))) "
        "OPTIONAL { GRAPH ?h { ?s rdfs:label ?label } }",
        "?s ?label",
    )
    labels: dict[str, set[str]] = {}
    for row in rows:
        found = labels.setdefault(row["s"], set())
        if "label" in row:
            found.add(row["label"])
    wrong = {_short(s): sorted(found) for s, found in labels.items() if len(found) != 1}
    assert wrong == {}, "give each entity one rdfs:label, the same in every graph"
    untagged = _select(
        engine,
        f"GRAPH ?g {{ ?s rdfs:label ?label }} FILTER(STRSTARTS(STR(?s), '{ID}')) "
        f"FILTER(?g != <{ONTOLOGY_GRAPH}> && LANG(?label) != 'nl')",
        "?s ?label",
    )
    assert untagged == [], 'labels of data are Dutch: rdfs:label "..."@nl'


def _names(engine: EmbeddedEngine) -> list[dict[str, str]]:
    return _select(
        engine,
        f"GRAPH ?g {{ ?s ?p ?name }} VALUES ?p {{ rdfs:label skos:altLabel }} "
        f"FILTER(STRSTARTS(STR(?s), '{ID}')) FILTER(?g != <{ONTOLOGY_GRAPH}>) "
        "OPTIONAL { GRAPH ?t { ?s a ?type } FILTER(STRSTARTS(STR(?type), STR(ak:))) }",
        "?s ?p ?name ?type",
    )


def test_no_two_iris_share_a_normalised_label_and_type(engine: EmbeddedEngine) -> None:
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in _names(engine):
        if row["p"] == RDFS_LABEL and "type" in row:
            seen[(normalise_name(row["name"]), row["type"])].add(row["s"])
    duplicates = {key: sorted(map(_short, iris)) for key, iris in seen.items() if len(iris) > 1}
    assert duplicates == {}, "the same thing under two IRIs: merge them (see data/REGISTER.md)"


def test_no_name_is_used_by_two_iris(engine: EmbeddedEngine) -> None:
    # Stricter than the label check: an altLabel that is another entity's name (the measure
    # 'stimuleren van doorstroomlocaties' once had the regulation's name as altLabel) makes
    # a search for that name ambiguous.
    owners: dict[str, set[str]] = defaultdict(set)
    for row in _names(engine):
        owners[normalise_name(row["name"])].add(row["s"])
    shared = {name: sorted(map(_short, iris)) for name, iris in owners.items() if len(iris) > 1}
    assert shared == {}


@pytest.mark.parametrize("name", SOURCES)
def test_every_claim_is_raised_by_an_actor(engine: EmbeddedEngine, name: str) -> None:
    graph = f"{GRAAF}{name}"
    claims = _select(
        engine,
        f"GRAPH <{graph}> {{ ?c a ?type }} "
        f"GRAPH <{ONTOLOGY_GRAPH}> {{ ?type rdfs:subClassOf* ak:Claim }}",
        "?c",
    )
    assert claims, f"graaf:{name} has no claims"
    unattributed = _select(
        engine,
        f"GRAPH <{graph}> {{ ?c a ?type }} "
        f"GRAPH <{ONTOLOGY_GRAPH}> {{ ?type rdfs:subClassOf* ak:Claim }} "
        f"FILTER NOT EXISTS {{ GRAPH <{graph}> {{ ?c ak:raisedBy ?actor }} }}",
        "?c",
    )
    assert [_short(r["c"]) for r in unattributed] == []
    not_actors = _select(
        engine,
        f"GRAPH <{graph}> {{ ?c ak:raisedBy ?actor }} "
        "FILTER NOT EXISTS { GRAPH ?any { ?actor a ?kind } "
        f"GRAPH <{ONTOLOGY_GRAPH}> {{ ?kind rdfs:subClassOf* ak:Actor }} }}",
        "?c ?actor",
    )
    assert [(_short(r["c"]), _short(r["actor"])) for r in not_actors] == []


@pytest.mark.parametrize("name", SOURCES)
def test_every_claim_says_what_it_is_about(engine: EmbeddedEngine, name: str) -> None:
    graph = f"{GRAAF}{name}"
    loose = _select(
        engine,
        f"GRAPH <{graph}> {{ ?c a ?type }} "
        f"GRAPH <{ONTOLOGY_GRAPH}> {{ ?type rdfs:subClassOf* ak:Claim }} "
        f"FILTER NOT EXISTS {{ GRAPH <{graph}> "
        "{ ?c ak:concerns|ak:effectOf|ak:conflictBetween ?about } }",
        "?c",
    )
    assert [_short(r["c"]) for r in loose] == []


@pytest.mark.parametrize("name", SOURCES)
def test_every_entity_is_quoted_in_the_graph_that_describes_it(
    engine: EmbeddedEngine, name: str
) -> None:
    graph = f"{GRAAF}{name}"
    unquoted = _select(
        engine,
        f"GRAPH <{graph}> {{ ?s a ?type FILTER(?type != ak:Quote) "
        "FILTER NOT EXISTS { ?s ak:hasQuote ?q } }",
        "?s",
    )
    assert [_short(r["s"]) for r in unquoted] == []


@pytest.mark.parametrize("name", SOURCES)
def test_notes_name_no_web_source_that_the_text_does_not(engine: EmbeddedEngine, name: str) -> None:
    # Regression: a note justified the HAR+ theme with coa.nl, a page the annex never cites.
    text = (DATA_DIR / "sources" / f"{name}.txt").read_text(encoding="utf-8").casefold()
    notes = _select(engine, f"GRAPH <{GRAAF}{name}> {{ ?s ak:note ?note }}", "?s ?note")
    outside = [
        (_short(row["s"]), domain)
        for row in notes
        for domain in re.findall(r"\b[\w-]+(?:\.[\w-]+)*\.(?:nl|com|org|eu|net)\b", row["note"])
        if domain.casefold() not in text
    ]
    assert outside == []


def test_har_plus_gets_no_theme_the_annex_does_not_state(engine: EmbeddedEngine) -> None:
    # Regression: ak:theme thema:huisvesting on HAR+ came from a COA web page.
    rows = _select(
        engine,
        "GRAPH ?g { <https://w3id.org/asielketen/id/regeling/har-plus> ?p ?o } "
        "FILTER(?p NOT IN (rdf:type, rdfs:label, skos:altLabel, ak:hasQuote, ak:note))",
        "?p ?o",
    )
    assert rows == []
    notes = _select(
        engine, "GRAPH ?g { <https://w3id.org/asielketen/id/regeling/har-plus> ak:note ?n }", "?n"
    )
    assert any("zegt niet wat de HAR+ regeling is" in r["n"] for r in notes)


def retired_iris() -> list[tuple[str, str]]:
    """The rows of the 'Retired IRIs' table in data/REGISTER.md."""
    text = (DATA_DIR / "REGISTER.md").read_text(encoding="utf-8")
    table = text.split("## Retired IRIs", 1)[1]
    return re.findall(r"^\| ([a-z]+:[\w-]+) \| ([a-z]+:[\w-]+) \|$", table, flags=re.MULTILINE)


def test_merged_duplicates_do_not_come_back() -> None:
    retired = retired_iris()
    assert len(retired) >= 6
    files = [*DATA_DIR.rglob("*.trig"), *DATA_DIR.rglob("*.ttl")]
    found = [
        (old, path.name)
        for old, _ in retired
        for path in files
        if re.search(re.escape(old) + r"(?![\w-])", path.read_text(encoding="utf-8"))
    ]
    assert found == []
