"""Counts the curated data must keep (``data/``).

Exact where a number is a fact of the project (five source documents, five source graphs,
one reference graph); minimums everywhere else, measured when the five graphs were
consolidated, so that curating more never breaks a test but losing statements does.
Categories count distinct subjects typed in the graph with a class or any subclass of it
in the ontology (``actors`` counts organisations, groups, persons and posts together).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.namespaces import BASE, ONTOLOGY_GRAPH
from kg.paths import DATA_DIR
from kg.store import EmbeddedEngine, build_in_memory

GRAAF = f"{BASE}id/graaf/"
AK = f"{BASE}def#"
SOURCES = (
    "vng-ledenbrief-lrt-regeerprogramma-2024",
    "vng-ledenbrief-voorrang-doorstroom-2025-02",
    "vng-ledenbrief-asiel-oekraine-2025-07",
    "vng-bijlage-uitvoering-onderbouwing-2025",
    "vng-position-paper-asielwetten-2025",
)
CATEGORIES = {
    "legal resources": "LegalResource",
    "programmes": "PolicyProgramme",
    "measures": "Measure",
    "instruments": "Instrument",
    "tasks": "Task",
    "goals": "Goal",
    "factors": "Factor",
    "figures": "Figure",
    "actors": "Actor",
    "documents": "Document",
    "meetings": "Meeting",
    "events": "LifecycleEvent",
    "claims": "Claim",
    "objections": "Objection",
    "expected effects": "ExpectedEffect",
    "conflict statements": "ConflictStatement",
    "requests": "Request",
    "resolutions": "Resolution",
    "quotes": "Quote",
}
# Measured on the consolidated data (November 2026); the data may only grow.
MINIMUMS: dict[str, dict[str, int]] = {
    "vng-ledenbrief-lrt-regeerprogramma-2024": {
        "quads": 1337,
        "legal resources": 5,
        "programmes": 2,
        "measures": 9,
        "instruments": 13,
        "tasks": 6,
        "goals": 4,
        "factors": 9,
        "figures": 4,
        "actors": 28,
        "documents": 5,
        "meetings": 4,
        "events": 3,
        "claims": 38,
        "objections": 8,
        "expected effects": 3,
        "conflict statements": 1,
        "requests": 14,
        "resolutions": 1,
        "quotes": 158,
    },
    "vng-ledenbrief-voorrang-doorstroom-2025-02": {
        "quads": 1631,
        "legal resources": 10,
        "measures": 7,
        "instruments": 11,
        "tasks": 6,
        "goals": 2,
        "factors": 20,
        "figures": 5,
        "actors": 20,
        "documents": 8,
        "meetings": 1,
        "events": 7,
        "claims": 43,
        "objections": 15,
        "expected effects": 16,
        "conflict statements": 3,
        "requests": 7,
        "resolutions": 1,
        "quotes": 201,
    },
    "vng-ledenbrief-asiel-oekraine-2025-07": {
        "quads": 1710,
        "legal resources": 7,
        "programmes": 1,
        "measures": 13,
        "instruments": 15,
        "tasks": 3,
        "goals": 8,
        "factors": 15,
        "figures": 7,
        "actors": 35,
        "documents": 10,
        "meetings": 4,
        "events": 9,
        "claims": 47,
        "objections": 13,
        "expected effects": 4,
        "requests": 18,
        "resolutions": 3,
        "quotes": 209,
    },
    "vng-bijlage-uitvoering-onderbouwing-2025": {
        "quads": 891,
        "legal resources": 4,
        "programmes": 1,
        "measures": 8,
        "instruments": 4,
        "tasks": 5,
        "goals": 3,
        "factors": 8,
        "actors": 24,
        "documents": 6,
        "meetings": 2,
        "events": 1,
        "claims": 29,
        "objections": 11,
        "expected effects": 5,
        "conflict statements": 3,
        "requests": 7,
        "resolutions": 1,
        "quotes": 108,
    },
    "vng-position-paper-asielwetten-2025": {
        "quads": 1343,
        "legal resources": 9,
        "measures": 12,
        "instruments": 11,
        "tasks": 6,
        "goals": 5,
        "factors": 21,
        "figures": 2,
        "actors": 27,
        "documents": 2,
        "meetings": 1,
        "events": 2,
        "claims": 39,
        "objections": 13,
        "expected effects": 16,
        "conflict statements": 3,
        "requests": 3,
        "quotes": 160,
    },
    "referentie": {
        "quads": 346,
        "legal resources": 17,
        "figures": 2,
        "actors": 4,
        "documents": 15,
        "events": 13,
    },
}


@pytest.fixture(scope="module")
def engine() -> EmbeddedEngine:
    return build_in_memory(DATA_DIR)


def _count(engine: EmbeddedEngine, graph: str, category: str) -> int:
    if category == "quads":
        sparql = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    else:
        sparql = (
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s a ?c }} "
            f"GRAPH <{ONTOLOGY_GRAPH}> {{ ?c rdfs:subClassOf* <{AK}{CATEGORIES[category]}> }} }}"
        )
    return int(engine.select(sparql)[0]["n"].value)


def test_five_source_texts_and_five_source_graphs() -> None:
    texts = sorted(p.stem for p in (DATA_DIR / "sources").glob("*.txt"))
    graphs = sorted(p.stem for p in (DATA_DIR / "graphs").glob("*.trig"))
    assert texts == sorted(SOURCES)
    assert graphs == sorted(SOURCES)


def test_sources_ttl_describes_exactly_the_five_texts(engine: EmbeddedEngine) -> None:
    rows = engine.select(
        f"PREFIX ak: <{AK}> SELECT ?doc ?file WHERE {{ GRAPH <{GRAAF}bronnen> "
        "{ ?doc a ak:SourceDocument ; ak:file ?file } }"
    )
    assert len(rows) == 5
    assert sorted(r["file"].value for r in rows) == sorted(f"{n}.txt" for n in SOURCES)
    assert {r["doc"].value for r in rows} == {f"{BASE}id/bron/{n}" for n in SOURCES}


def test_the_named_graphs_are_the_five_sources_the_record_and_the_ontology(
    engine: EmbeddedEngine,
) -> None:
    rows = engine.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    expected = {f"{GRAAF}{n}" for n in (*SOURCES, "bronnen", "referentie")}
    assert {r["g"].value for r in rows} == expected | {str(ONTOLOGY_GRAPH)}


@pytest.mark.parametrize("name", SOURCES)
def test_a_source_graph_quotes_only_its_own_document(engine: EmbeddedEngine, name: str) -> None:
    rows = engine.select(
        f"PREFIX ak: <{AK}> SELECT DISTINCT ?doc WHERE {{ GRAPH <{GRAAF}{name}> "
        "{ ?q a ak:Quote ; ak:inDocument ?doc } }"
    )
    assert [r["doc"] for r in rows] == [ox.NamedNode(f"{BASE}id/bron/{name}")]


@pytest.mark.parametrize(
    ("graph", "category"),
    [(graph, category) for graph, counts in MINIMUMS.items() for category in counts],
)
def test_counts_do_not_shrink(engine: EmbeddedEngine, graph: str, category: str) -> None:
    found = _count(engine, f"{GRAAF}{graph}", category)
    assert found >= MINIMUMS[graph][category], (
        f"graaf:{graph} has {found} {category}, fewer than the {MINIMUMS[graph][category]} "
        "it had when the graphs were consolidated; restore what was lost or, if it was "
        "wrong, lower the minimum in this test and say why in the commit"
    )
