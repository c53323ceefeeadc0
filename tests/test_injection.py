"""Parameters cannot inject SPARQL: payloads are bound as literals or refused as IRIs.

The payloads close a string, a group or an IRI and then try to widen the query
(``UNION { ?s ?p ?o }``) or to run an update (``DROP ALL``). The store holds resources
whose labels are exactly those payloads, so a value bound as a literal finds exactly
that resource, while an injected one would find everything (or delete it). Checked on
the embedded engine (pyoxigraph substitutions and its VALUES fallback), on a real
read-write Oxigraph server through the remote engine, and through ``kg query``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.queries import find_query, parse_query_text, run_query
from kg.serve import find_oxigraph
from kg.store import EmbeddedEngine, Engine, RemoteEngine, build_in_memory

from .conftest import EXAMPLE, run_kg, start_oxigraph, stop_process

TESTS = Path(__file__).resolve().parent
LABEL_SEARCH = TESTS / "data" / "reliability" / "label-search.rq"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
HOSTILE_GRAPH = ox.NamedNode("https://w3id.org/asielketen/id/graaf/hostile")

PAYLOADS = [
    '"} ; DROP ALL ; #',
    "<x> } UNION { ?s ?p ?o",
    'x" } UNION { ?s ?p ?o } #',
    "x' } UNION { ?s ?p ?o } #",
    '""" } UNION { ?s ?p ?o } #',
    '\\" } DROP ALL #',
    "x\n} UNION { ?s ?p ?o }\n#",
    ") } UNION { ?s ?p ?o } VALUES (?x) { (1",
]

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
COUNT_MATCHES = (
    "#+ summary: Hoeveel dingen dit label hebben.\n#+ params: label (string)\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT (COUNT(?thing) AS ?n) WHERE { ?thing rdfs:label ?text . FILTER(STR(?text) = ?label) }"
)


def hostile_quads() -> list[ox.Quad]:
    return [
        ox.Quad(
            ox.NamedNode(f"https://e.org/hostile/{i}"), RDFS_LABEL, ox.Literal(p), HOSTILE_GRAPH
        )
        for i, p in enumerate(PAYLOADS)
    ]


@pytest.fixture(scope="module")
def embedded() -> EmbeddedEngine:
    engine = build_in_memory(EXAMPLE)
    assert engine.store is not None
    engine.store.extend(hostile_quads())
    return engine


def total(engine: Engine) -> int:
    return int(engine.select(COUNT)[0]["n"].value)


@pytest.fixture(scope="module")
def remote(embedded: EmbeddedEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A read-write Oxigraph server holding the same quads: an update would succeed."""
    location = tmp_path_factory.mktemp("rw-store")
    store = ox.Store(str(location))
    assert embedded.store is not None
    store.extend(list(embedded.store))
    store.flush()
    del store
    process, base = start_oxigraph(
        find_oxigraph(), "serve", "--location", str(location), "--union-default-graph"
    )
    try:
        yield base + "query"
    finally:
        stop_process(process, timeout=30)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_string_parameter_is_one_literal_on_the_embedded_engine(
    embedded: EmbeddedEngine, payload: str
) -> None:
    before = total(embedded)
    rows = run_query(embedded, find_query(str(LABEL_SEARCH)), {"label": payload})
    assert [r["text"].value for r in rows] == [payload]
    # An aggregate does not project ?label, so the engine binds it with a VALUES block.
    counted = run_query(embedded, parse_query_text(COUNT_MATCHES, name="count"), {"label": payload})
    assert counted[0]["n"].value == "1"
    assert total(embedded) == before


@pytest.mark.parametrize("payload", PAYLOADS)
def test_string_parameter_is_one_literal_on_a_writable_remote_endpoint(
    embedded: EmbeddedEngine, remote: str, payload: str
) -> None:
    engine = RemoteEngine(remote)
    before = total(engine)
    assert before == total(embedded)
    rows = run_query(engine, find_query(str(LABEL_SEARCH)), {"label": payload})
    assert [r["text"].value for r in rows] == [payload]
    counted = run_query(engine, parse_query_text(COUNT_MATCHES, name="count"), {"label": payload})
    assert counted[0]["n"].value == "1"
    assert total(engine) == before


@pytest.mark.parametrize("payload", PAYLOADS)
def test_iri_parameter_refuses_payloads(embedded: EmbeddedEngine, payload: str) -> None:
    query = find_query("timeline")
    name = next(p.name for p in query.params if p.type == "iri")
    with pytest.raises(QueryError, match="is not an IRI"):
        run_query(embedded, query, {name: payload})


@pytest.mark.parametrize(
    "value",
    ["javascript:alert(1)", "maatregel/x%3E%20%7D", "urn:x:y"],
)
def test_odd_but_valid_iris_are_bound_as_iris_and_match_nothing(
    embedded: EmbeddedEngine, value: str
) -> None:
    query = find_query("timeline")
    name = next(p.name for p in query.params if p.type == "iri")
    before = total(embedded)
    assert run_query(embedded, query, {name: value}) == []
    assert total(embedded) == before


def test_payloads_through_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    build = tmp_path / "build"
    first = run_kg("build", "--data", str(data), "--format", "json", build=build)
    assert first.returncode == 0, first.stderr
    quads = json.loads(first.stdout)["quads"]

    found = run_kg(
        "query",
        str(LABEL_SEARCH),
        "--data",
        str(data),
        "--format",
        "json",
        "--param",
        f"label={PAYLOADS[0]}",
        build=build,
    )
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout) == []

    refused = run_kg(
        "query",
        "timeline",
        "--data",
        str(data),
        "--param",
        f"entity={PAYLOADS[1]}",
        build=build,
    )
    assert refused.returncode == 2 and "is not an IRI" in refused.stderr
    for args in (
        ("contradictions", "--as-of", '2025-01-01" } UNION { ?s ?p ?o'),
        ("viz", "--view", "entity:x> } UNION { ?s ?p ?o", "--out", str(tmp_path / "v.html")),
    ):
        result = run_kg(*args, "--data", str(data), build=build)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr

    again = run_kg("stats", "--data", str(data), "--format", "json", build=build)
    assert json.loads(again.stdout)["quads"] == quads
