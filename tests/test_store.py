"""The embedded store cache and the two engines."""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import EndpointError, InputError, QueryError
from kg.store import (
    EmbeddedEngine,
    Engine,
    RemoteEngine,
    bind_values,
    build_store,
    current_build,
    open_engine,
)

from .conftest import EXAMPLE

MEASURES = """
PREFIX ak: <https://w3id.org/asielketen/def#>
SELECT ?m WHERE { ?m a ak:Measure } ORDER BY ?m
"""


def test_build_is_reused_while_inputs_are_unchanged_and_rebuilt_when_a_file_changes(
    example_copy: Path, tmp_path: Path
) -> None:
    build = tmp_path / "build"
    first = build_store(example_copy, build)
    assert not first.reused and first.path.is_dir()
    again = build_store(example_copy, build)
    assert again.reused and again.path == first.path and again.quads == first.quads

    trig = example_copy / "graphs" / "example.trig"
    trig.write_text(
        trig.read_text(encoding="utf-8").replace(
            'rdfs:label "tweede verbod"@nl', 'rdfs:label "een tweede verbod"@nl'
        ),
        encoding="utf-8",
    )
    changed = build_store(example_copy, build)
    assert not changed.reused and changed.path != first.path
    assert changed.hash != first.hash
    current = current_build(example_copy, build)
    assert current is not None and current.reused and current.path == changed.path


def test_failed_build_leaves_the_previous_build_usable(example_copy: Path, tmp_path: Path) -> None:
    build = tmp_path / "build"
    good = build_store(example_copy, build)
    trig = example_copy / "graphs" / "example.trig"
    trig.write_text(trig.read_text(encoding="utf-8") + "\nthis is not trig .\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        build_store(example_copy, build)
    assert err.value.file is not None and err.value.file.endswith("example.trig")
    assert [p.name for p in build.iterdir() if p.name.startswith(".tmp")] == []
    store = ox.Store.read_only(str(good.path))
    assert len(EmbeddedEngine(store).select(MEASURES)) == 3


def test_open_engine_reads_the_cached_store(example_copy: Path, tmp_path: Path) -> None:
    engine = open_engine(example_copy, build_dir=tmp_path / "b")
    assert isinstance(engine, EmbeddedEngine) and engine.path is not None
    rows = engine.select(MEASURES)
    assert rows.variables == ["m"]
    assert [r["m"].value.rsplit("/", 1)[1] for r in rows] == [
        "eenmalige-bijdrage", "tweede-verbod", "verbod-op-voorrang"
    ]


def test_default_graph_is_the_union_of_named_graphs() -> None:
    engine = open_engine(EXAMPLE, cache=False)
    assert engine.ask(
        "ASK { ?doc a <https://w3id.org/asielketen/def#SourceDocument> . "
        "?m a <https://w3id.org/asielketen/def#Measure> }"
    )


def test_bindings_are_bound_by_the_engine_not_pasted_into_the_text() -> None:
    engine = open_engine(EXAMPLE, cache=False)
    query = """
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?m WHERE { ?m rdfs:label ?label }
    """
    hostile = ox.Literal('x" } ; DROP ALL ; SELECT * { "')
    assert engine.select(query, {"label": hostile}) == []
    # ?label is not projected here, so the engine binds it with a VALUES block instead.
    label = ox.Literal("tweede verbod", language="nl")
    rows = engine.select(query, {"label": label})
    assert [r["m"].value for r in rows] == [
        "https://w3id.org/asielketen/id/maatregel/tweede-verbod"
    ]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    assert engine.select(count, {"l": label})[0]["n"].value == "1"


def test_query_kind_and_syntax_errors_are_query_errors() -> None:
    engine = open_engine(EXAMPLE, cache=False)
    with pytest.raises(QueryError, match="expected a SELECT query but got a ASK"):
        engine.select("ASK { ?s ?p ?o }")
    with pytest.raises(QueryError) as err:
        engine.select("SELECT ?s WHERE {\n ?s ?p \n}")
    assert (err.value.line, err.value.column) == (3, 2)
    assert str(err.value).startswith("line 3:2: SPARQL syntax error")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "SELECT * WHERE { ?s ?p ?o }",
            'SELECT * WHERE { VALUES (?s) { (<http://e/a>) } ?s ?p ?o }',
        ),
        (
            "# a { comment\nSELECT * { ?s ?p '}' }",
            "# a { comment\nSELECT * { VALUES (?s) { (<http://e/a>) } ?s ?p '}' }",
        ),
        (
            "PREFIX e: <http://e/{x}> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "PREFIX e: <http://e/{x}> CONSTRUCT { ?s ?p ?o } WHERE "
            "{ VALUES (?s) { (<http://e/a>) } ?s ?p ?o }",
        ),
    ],
)
def test_values_block_opens_the_where_group(query: str, expected: str) -> None:
    assert bind_values(query, {"s": ox.NamedNode("http://e/a")}) == expected


class _Sparql(BaseHTTPRequestHandler):
    """A SPARQL 1.1 Protocol endpoint over an in-memory store (POST form queries)."""

    store: ox.Store

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers["Content-Length"])
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
        try:
            result = self.store.query(form["query"][0], use_default_graph_as_union=True)
        except SyntaxError as err:
            self.send_response(400)
            self.end_headers()
            self.wfile.write(str(err).encode())
            return
        if isinstance(result, ox.QueryTriples):
            body = result.serialize(format=ox.RdfFormat.N_TRIPLES)
            kind = "application/n-triples"
        else:
            body = result.serialize(format=ox.QueryResultsFormat.JSON)
            kind = "application/sparql-results+json"
        # serialize() without an output returns the bytes; the stub says bytes | None.
        assert body is not None
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    embedded = open_engine(EXAMPLE, cache=False)
    handler = type("Handler", (_Sparql,), {"store": embedded.store})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/query"
    server.shutdown()


def test_remote_engine_answers_like_the_embedded_one(endpoint: str) -> None:
    remote: Engine = open_engine(endpoint=endpoint)
    embedded = open_engine(EXAMPLE, cache=False)
    assert isinstance(remote, RemoteEngine) and remote.store is None
    assert remote.select(MEASURES) == embedded.select(MEASURES)
    assert remote.ask("ASK { ?s ?p ?o }") is True
    query = "CONSTRUCT { ?m a ?c } WHERE { ?m a ?c FILTER(isIRI(?m)) }"
    assert set(remote.construct(query)) == set(embedded.construct(query))
    bound = {"m": ox.NamedNode("https://w3id.org/asielketen/id/maatregel/tweede-verbod")}
    query = "SELECT ?label WHERE { ?m <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    assert remote.select(query, bound) == embedded.select(query, bound)
    with pytest.raises(QueryError, match="rejected the query"):
        remote.select("SELECT nonsense")


def test_unreachable_endpoint_is_an_endpoint_error() -> None:
    with pytest.raises(EndpointError, match="cannot reach"):
        RemoteEngine("http://127.0.0.1:9/query", timeout=2).ask("ASK {}")
    with pytest.raises(EndpointError, match="not an HTTP"):
        open_engine(endpoint="ftp://example.org/sparql")
