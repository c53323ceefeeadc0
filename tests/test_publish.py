"""``kg publish`` against a real Oxigraph server in read-write mode on loopback.

After publishing, the remote store holds the same named graphs as the data (isomorphic)
and answers the catalogue's queries like the embedded engine. A small forwarding proxy in
front of the server injects failures and checks credentials.
"""

from __future__ import annotations

import base64
import http.server
import json
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import EndpointError
from kg.paths import DATA_DIR
from kg.publish import collect_quads, publish
from kg.serve import find_oxigraph
from kg.store import RemoteEngine, open_engine

from .conftest import EXAMPLE, free_port, start_oxigraph, stop_process

TESTS = Path(__file__).resolve().parent
PUBLISH = TESTS / "data" / "publish"
FOREIGN = "http://example.org/someone-elses-graph"


@dataclass
class Oxigraph:
    process: subprocess.Popen[bytes]
    url: str

    @property
    def store(self) -> str:
        return self.url + "store"

    @property
    def query(self) -> str:
        return self.url + "query"

    def quads(self) -> list[ox.Quad]:
        request = urllib.request.Request(self.store, headers={"Accept": "application/n-quads"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return list(ox.parse(response.read(), ox.RdfFormat.N_QUADS))

    def graphs(self) -> set[str]:
        return {q.graph_name.value for q in self.quads() if isinstance(q.graph_name, ox.NamedNode)}

    def put(self, graph: str, ntriples: str) -> None:
        request = urllib.request.Request(
            f"{self.store}?graph={graph}",
            data=ntriples.encode(),
            method="PUT",
            headers={"Content-Type": "application/n-triples"},
        )
        urllib.request.urlopen(request, timeout=30).close()

    def clear(self) -> None:
        request = urllib.request.Request(
            self.url + "update",
            data=b"DROP ALL",
            method="POST",
            headers={"Content-Type": "application/sparql-update"},
        )
        urllib.request.urlopen(request, timeout=30).close()


def start(*args: str) -> Oxigraph:
    return Oxigraph(*start_oxigraph(find_oxigraph(), *args))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    location = tmp_path_factory.mktemp("remote-store")
    remote = start("serve", "--location", str(location), "--union-default-graph")
    yield remote
    stop_process(remote.process)


@pytest.fixture
def remote(server: Oxigraph) -> Oxigraph:
    server.clear()
    return server


def canonical(quads: list[ox.Quad]) -> set[str]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def assert_remote_holds(remote: Oxigraph, data: Path, extra: tuple[str, ...] = ()) -> None:
    got = canonical(
        [
            q
            for q in remote.quads()
            if isinstance(q.graph_name, ox.DefaultGraph) or q.graph_name.value not in extra
        ]
    )
    want = canonical(collect_quads(data))
    assert got == want, (
        f"{len(want - got)} statements missing, {len(got - want)} extra; "
        f"e.g. missing {sorted(want - got)[:3]}, extra {sorted(got - want)[:3]}"
    )


# --------------------------------------------------------------------------- a proxy


@dataclass
class Proxy:
    """Forwards to ``upstream``; can refuse the n-th PUT or demand an Authorization header."""

    upstream: str
    fail_put: int | None = None
    require: str | None = None
    puts: int = 0
    seen_auth: list[str | None] = field(default_factory=list)
    url: str = ""
    _server: Any = None

    def __enter__(self) -> Proxy:
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                proxy.seen_auth.append(self.headers.get("Authorization"))
                if proxy.require is not None and self.headers.get("Authorization") != proxy.require:
                    self._reply(401, b"authentication required")
                    return
                if self.command == "PUT":
                    proxy.puts += 1
                    if proxy.fail_put is not None and proxy.puts == proxy.fail_put:
                        self._reply(500, b"disk full")
                        return
                headers = {k: v for k, v in self.headers.items() if k in ("Content-Type", "Accept")}
                request = urllib.request.Request(
                    proxy.upstream + self.path.lstrip("/"),
                    data=body,
                    method=self.command,
                    headers=headers,
                )
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        self._reply(response.status, response.read())
                except urllib.error.HTTPError as err:
                    self._reply(err.code, err.read())

            def _reply(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_PUT = do_POST = do_DELETE = _forward  # noqa: N815

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("method", ["move", "put"])
def test_publish_fills_the_store_with_every_named_graph(remote: Oxigraph, method: str) -> None:
    result = publish(remote.store, PUBLISH, method=method)
    assert result.method == method
    assert set(result.graphs) == remote.graphs()
    assert_remote_holds(remote, PUBLISH)


def test_publishing_twice_gives_the_same_store(remote: Oxigraph) -> None:
    publish(remote.store, PUBLISH)
    first = canonical(remote.quads())
    publish(remote.store, PUBLISH)
    assert canonical(remote.quads()) == first
    assert not any(g.startswith("urn:uuid:") for g in remote.graphs())


def test_replace_leaves_other_graphs_alone_and_append_keeps_what_was_there(
    remote: Oxigraph,
) -> None:
    graph = "https://w3id.org/asielketen/id/graaf/demo-voorrang"
    remote.put(FOREIGN, "<http://example.org/a> <http://example.org/b> <http://example.org/c> .")
    remote.put(graph, "<http://example.org/old> <http://example.org/b> <http://example.org/c> .")
    publish(remote.store, PUBLISH, replace=False)
    subjects = {q.subject for q in remote.quads() if q.graph_name == ox.NamedNode(graph)}
    assert ox.NamedNode("http://example.org/old") in subjects
    publish(remote.store, PUBLISH)  # replace: the old statement goes, the foreign graph stays
    assert FOREIGN in remote.graphs()
    assert_remote_holds(remote, PUBLISH, extra=(FOREIGN,))


def test_the_remote_store_answers_the_catalogue_like_the_embedded_engine(
    remote: Oxigraph,
) -> None:
    queries = pytest.importorskip("kg.queries")
    publish(remote.store, EXAMPLE)
    embedded = open_engine(EXAMPLE, cache=False)
    far = RemoteEngine(remote.query)
    compared = 0
    for query in queries.catalogue():
        if any(p.required for p in query.params):
            continue
        local_rows = queries.run_query(embedded, query)
        remote_rows = queries.run_query(far, query)
        assert remote_rows.variables == local_rows.variables, query.name
        assert rows_key(remote_rows) == rows_key(local_rows), query.name
        compared += 1
    assert compared >= 5


def rows_key(rows: list[dict[str, Any]]) -> list[tuple[tuple[str, str], ...]]:
    """Rows as sorted tuples, with blank nodes (labels differ per store) as ``_``."""

    def text(term: Any) -> str:
        return "_" if isinstance(term, ox.BlankNode) else str(term)

    return sorted(tuple(sorted((k, text(v)) for k, v in row.items())) for row in rows)


@pytest.mark.parametrize("data", [EXAMPLE, DATA_DIR], ids=["example", "curated"])
def test_kg_contradictions_answers_the_same_from_the_remote_store(
    remote: Oxigraph, data: Path
) -> None:
    pytest.importorskip("kg.contradictions")
    publish(remote.store, data)
    runner = CliRunner()
    local = runner.invoke(main, ["contradictions", "--data", str(data), "--format", "json"])
    far = runner.invoke(main, ["contradictions", "--endpoint", remote.query, "--format", "json"])
    assert local.exit_code == far.exit_code and local.exit_code in (0, 1), local.stderr + far.stderr
    findings = json.loads(local.stdout)
    assert findings, "no findings: the comparison would prove nothing"
    # Same findings in the same order; within a finding the sources may come in the
    # order each engine returns its rows.
    assert [normalised(f) for f in json.loads(far.stdout)] == [normalised(f) for f in findings]


def normalised(finding: dict[str, Any]) -> dict[str, Any]:
    result = dict(finding)
    result["sources"] = sorted(json.dumps(s, sort_keys=True) for s in finding["sources"])
    result["corroborated_by"] = sorted(finding["corroborated_by"])
    return result


def test_failed_upload_leaves_no_partial_or_temporary_graph(remote: Oxigraph) -> None:
    publish(remote.store, EXAMPLE)
    before = canonical(remote.quads())
    with Proxy(remote.url, fail_put=2) as proxy:
        with pytest.raises(EndpointError, match="500"):
            publish(proxy.url + "store", PUBLISH, update=proxy.url + "update", method="move")
    after = remote.quads()
    assert not any(
        not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name.value.startswith("urn:uuid:")
        for q in after
    )
    assert canonical(after) == before


def test_cli_publish_reports_graphs_and_statements(remote: Oxigraph) -> None:
    result = CliRunner().invoke(
        main, ["publish", "--data", str(PUBLISH), "--endpoint", remote.store]
    )
    assert result.exit_code == 0, result.stderr
    assert "published 5 named graphs" in result.stderr and "by move" in result.stderr
    assert_remote_holds(remote, PUBLISH)


def test_unreachable_endpoint_is_a_one_line_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    result = CliRunner().invoke(main, ["publish", "--data", str(PUBLISH), "--endpoint", url])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot reach {url}")


def test_read_only_store_refuses_and_nothing_changes(tmp_path: Path) -> None:
    location = tmp_path / "ro"
    store = ox.Store(str(location))
    store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/b"), ox.Literal("c")))
    store.flush()
    del store
    read_only = start("serve-read-only", "--location", str(location))
    try:
        result = CliRunner().invoke(
            main, ["publish", "--data", str(PUBLISH), "--endpoint", read_only.store]
        )
        assert result.exit_code == 2
        assert "refused PUT (403" in result.stderr and "read-only" in result.stderr
        assert len(read_only.quads()) == 1
    finally:
        stop_process(read_only.process)


def test_a_query_url_instead_of_the_graph_store_says_what_to_pass(remote: Oxigraph) -> None:
    result = CliRunner().invoke(
        main, ["publish", "--data", str(PUBLISH), "--endpoint", remote.query, "--method", "put"]
    )
    assert result.exit_code == 2
    assert "Graph Store" in result.stderr or "refused PUT" in result.stderr
    assert remote.graphs() == set()


def test_basic_auth_and_bearer_token(remote: Oxigraph, monkeypatch: pytest.MonkeyPatch) -> None:
    basic = "Basic " + base64.b64encode(b"uploader:geheim").decode()
    with Proxy(remote.url, require=basic) as proxy:
        refused = CliRunner().invoke(
            main, ["publish", "--data", str(PUBLISH), "--endpoint", proxy.url + "store"]
        )
        assert refused.exit_code == 2
        assert "--auth USER:PASS" in refused.stderr
        ok = CliRunner().invoke(
            main,
            ["publish", "--data", str(PUBLISH), "--endpoint", proxy.url + "store"]
            + ["--auth", "uploader:geheim"],
        )
        assert ok.exit_code == 0, ok.stderr
    assert_remote_holds(remote, PUBLISH)
    remote.clear()
    monkeypatch.setenv("KG_ENDPOINT_TOKEN", "s3cret-token")
    with Proxy(remote.url, require="Bearer s3cret-token") as proxy:
        ok = CliRunner().invoke(
            main, ["publish", "--data", str(PUBLISH), "--endpoint", proxy.url + "store"]
        )
        assert ok.exit_code == 0, ok.stderr
        assert set(proxy.seen_auth) == {"Bearer s3cret-token"}
    assert_remote_holds(remote, PUBLISH)


def test_base_is_rewritten_before_publishing(remote: Oxigraph) -> None:
    publish(remote.store, PUBLISH, base="https://data.example.org/asiel/")
    assert all(
        g.startswith("https://data.example.org/asiel/id/graaf/") or g.endswith("/def")
        for g in remote.graphs()
    )


# --------------------------------------------------------------------------- --prune

GONE = "https://w3id.org/asielketen/id/graaf/demo-spreiding"
LOOKALIKE = "https://w3id.org/asielketen/id/graafje/x"
"""Shares the string prefix of the graph namespace, but is not under ``.../id/graaf/``."""


def one_graph_less(tmp_path: Path) -> Path:
    """A copy of the publish data without the demo-spreiding graph (a removed source)."""
    data = tmp_path / "data"
    shutil.copytree(PUBLISH, data)
    (data / "graphs" / "demo-spreiding.trig").unlink()
    names = {q.graph_name for q in collect_quads(data)}
    assert GONE not in {n.value for n in names if not isinstance(n, ox.DefaultGraph)}
    return data


def put_others(remote: Oxigraph) -> None:
    triple = "<http://example.org/a> <http://example.org/b> <http://example.org/c> ."
    remote.put(FOREIGN, triple)
    remote.put(LOOKALIKE, triple)


@pytest.mark.parametrize("method", ["move", "put"])
def test_prune_removes_graphs_the_data_no_longer_has_and_nothing_else(
    remote: Oxigraph, tmp_path: Path, method: str
) -> None:
    publish(remote.store, PUBLISH)
    put_others(remote)
    assert GONE in remote.graphs()
    data = one_graph_less(tmp_path)
    result = CliRunner().invoke(
        main,
        ["publish", "--data", str(data), "--endpoint", remote.store]
        + ["--method", method, "--prune"],
    )
    assert result.exit_code == 0, result.stderr
    graphs = remote.graphs()
    assert GONE not in graphs
    assert {FOREIGN, LOOKALIKE} <= graphs
    assert_remote_holds(remote, data, extra=(FOREIGN, LOOKALIKE))
    assert f"removed 1 named graph the data no longer has: {GONE}" in result.stderr


def test_without_prune_a_removed_graph_stays(remote: Oxigraph, tmp_path: Path) -> None:
    publish(remote.store, PUBLISH)
    data = one_graph_less(tmp_path)
    result = publish(remote.store, data)
    assert GONE in remote.graphs()
    assert result.pruned == []


def test_prune_follows_base(remote: Oxigraph, tmp_path: Path) -> None:
    base = "https://data.example.org/asiel/"
    moved = GONE.replace("https://w3id.org/asielketen/", base)
    publish(remote.store, PUBLISH, base=base)
    publish(remote.store, PUBLISH)  # the same data under the project's own base
    result = publish(remote.store, one_graph_less(tmp_path), base=base, prune=True)
    assert result.pruned == [moved]
    graphs = remote.graphs()
    assert moved not in graphs and GONE in graphs


def test_prune_with_append_is_a_usage_error(remote: Oxigraph) -> None:
    result = CliRunner().invoke(
        main, ["publish", "--data", str(PUBLISH), "--endpoint", remote.store, "--append", "--prune"]
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--prune" in lines[0] and "--append" in lines[0]
    assert remote.graphs() == set()


def test_prune_without_a_query_endpoint_says_what_to_pass(remote: Oxigraph) -> None:
    with Proxy(remote.url) as proxy:
        result = CliRunner().invoke(
            main,
            ["publish", "--data", str(PUBLISH), "--endpoint", proxy.url + "graphs"]
            + ["--update", proxy.url + "update", "--prune"],
        )
    assert result.exit_code == 2
    assert "--query URL" in result.stderr
    assert remote.graphs() == set()
