"""``--endpoint``: the same queries against a real ``oxigraph serve`` give the same answers.

The server (the ``oxigraph`` binary of the oxigraph package) runs read-only on 127.0.0.1
with a free port, loaded with the quads of a fixture folder exactly as the embedded store
holds them, with the union of the named graphs as default graph (as ``kg serve`` does).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.contradictions import find_contradictions
from kg.queries import catalogue, run_query
from kg.store import EmbeddedEngine, RemoteEngine, open_engine

from .conftest import free_port, start_oxigraph, stop_process

RULES = Path(__file__).resolve().parent / "data" / "rules"
CASES = ["as-of", "asserted-quiet", "obligation-without-means-fires", "goal-vs-effect-fires"]


def _oxigraph() -> str:
    local = Path(sys.executable).parent / "oxigraph"
    found = str(local) if local.is_file() else shutil.which("oxigraph")
    if not found:
        pytest.skip("the oxigraph server binary is not installed")
    return found


class Server:
    """An ``oxigraph serve-read-only`` process loaded with one fixture folder."""

    def __init__(self, data: Path, location: Path) -> None:
        binary = _oxigraph()
        embedded = open_engine(data_dir=data, cache=False)
        assert isinstance(embedded, EmbeddedEngine) and embedded.store is not None
        self.embedded = embedded
        dump = location.parent / f"{location.name}.nq"
        embedded.store.dump(str(dump), ox.RdfFormat.N_QUADS)
        subprocess.run(
            [binary, "load", "--location", str(location), "--file", str(dump)],
            check=True,
            capture_output=True,
        )
        self.process, base = start_oxigraph(
            binary, "serve-read-only", "--location", str(location), "--union-default-graph"
        )
        self.url = base + "query"

    def stop(self) -> None:
        stop_process(self.process)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Server]]:
    started: dict[str, Server] = {}
    try:
        for case in CASES:
            started[case] = Server(RULES / case, tmp_path_factory.mktemp("oxigraph") / case)
        yield started
    finally:
        for server in started.values():
            server.stop()


def _canonical(rows: list[dict[str, object]]) -> list[tuple[tuple[str, str], ...]]:
    return sorted(tuple(sorted((k, str(v)) for k, v in row.items())) for row in rows)


@pytest.mark.parametrize("case", CASES)
def test_every_query_gives_the_same_rows(servers: dict[str, Server], case: str) -> None:
    server = servers[case]
    remote = RemoteEngine(server.url)
    for query in catalogue():
        if any(p.required for p in query.params):
            continue
        local_rows = run_query(server.embedded, query)
        remote_rows = run_query(remote, query)
        assert _canonical(remote_rows) == _canonical(local_rows), query.name


@pytest.mark.parametrize(
    "query, params",
    [
        ("timeline", {"entity": "maatregel:verbod"}),
        ("entity-sources", {"entity": "instrument:voorrang"}),
        ("claims-concerning", {"entity": "maatregel:verbod"}),
        ("affects-actor", {}),
        ("abolitions", {"measure": "maatregel:verbod"}),
    ],
)
def test_bound_parameters_give_the_same_rows(
    servers: dict[str, Server], query: str, params: dict[str, str]
) -> None:
    from kg.queries import find_query

    server = servers["as-of"]
    q = find_query(query)
    local_rows = run_query(server.embedded, q, params)
    remote_rows = run_query(RemoteEngine(server.url), q, params)
    assert _canonical(remote_rows) == _canonical(local_rows)


@pytest.mark.parametrize("case", CASES)
def test_contradictions_are_the_same(servers: dict[str, Server], case: str) -> None:
    server = servers[case]
    local = [f.to_json() for f in find_contradictions(server.embedded)]
    remote = [f.to_json() for f in find_contradictions(RemoteEngine(server.url))]
    assert local and remote == local
    for when in ("2024-06-01", "2025-10-01"):
        assert [f.to_json() for f in find_contradictions(RemoteEngine(server.url), as_of=when)] == [
            f.to_json() for f in find_contradictions(server.embedded, as_of=when)
        ]


def test_commands_with_endpoint_print_the_same(servers: dict[str, Server]) -> None:
    server = servers["as-of"]
    runner = CliRunner()
    for args in (
        ["contradictions", "--format", "json"],
        ["contradictions", "--format", "md", "--as-of", "2025-09-15"],
        ["query", "timeline", "--format", "csv", "--param", "entity=maatregel:hulpprogramma"],
    ):
        local = runner.invoke(main, [*args, "--data", str(RULES / "as-of")])
        remote = runner.invoke(main, [*args, "--endpoint", server.url])
        assert local.exit_code == remote.exit_code == 0, remote.output
        assert remote.output == local.output
    assert json.loads(
        runner.invoke(main, ["contradictions", "--format", "json", "--endpoint", server.url]).output
    )


def test_an_endpoint_that_is_down_is_a_one_line_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(main, ["contradictions", "--endpoint", url])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "cannot reach" in result.output
