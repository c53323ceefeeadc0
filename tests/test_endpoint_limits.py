"""The endpoint's limits: read-only, a time limit, a size limit, bounded concurrency, load.

``kg serve`` is started as a user starts it, with a one-second query time limit and a
2 MB answer limit, on a free loopback port. Clients talk to the bounded gateway of
:mod:`kg.gateway`; the Oxigraph server behind it has no size limit of its own.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from kg.errors import EndpointError, QueryError
from kg.store import RemoteEngine

from .conftest import ASK, EXAMPLE, free_port, run_kg, stop_process, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
CARTESIAN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CARTESIAN_ROWS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def load_test_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_test", ROOT / "benchmarks" / "load_test.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_test"] = module
    spec.loader.exec_module(module)
    return module


@dataclass
class Served:
    base: str
    data: Path
    build: Path
    quads: int
    pid: int = 0

    @property
    def query(self) -> str:
        return self.base + "query"

    def engine_pids(self) -> set[int]:
        """The Oxigraph processes kg serve runs (children of any of its threads)."""
        pids: set[int] = set()
        for children in Path(f"/proc/{self.pid}/task").glob("*/children"):
            pids.update(int(p) for p in children.read_text().split())
        return pids


def http(
    url: str,
    *,
    data: bytes | None = None,
    method: str = "GET",
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("served")
    data = root / "data"
    shutil.copytree(EXAMPLE, data)
    build = root / "build"
    built = run_kg("build", "--data", str(data), "--format", "json", build=build)
    assert built.returncode == 0, built.stderr
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kg",
            "serve",
            "--data",
            str(data),
            "--port",
            str(port),
            "--timeout-s",
            "1",
            "--max-result-mb",
            "2",
        ],
        env=dict(os.environ, KG_BUILD_DIR=str(build)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(base + ASK, process, timeout=120, what="kg serve")
        yield Served(base, data, build, json.loads(built.stdout)["quads"], process.pid)
    finally:
        stop_process(process, signal.SIGINT, timeout=30)


def count(served: Served) -> int:
    return int(RemoteEngine(served.query).select(COUNT)[0]["n"].value)


def test_every_way_of_writing_is_refused(served: Served) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    attempts = [
        (
            served.base + "update",
            urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
            "POST",
            form,
        ),
        (
            served.base + "update",
            b"DROP ALL",
            "POST",
            {"Content-Type": "application/sparql-update"},
        ),
        (served.base + "update?" + urllib.parse.urlencode({"update": "DROP ALL"}), None, "GET", {}),
        (served.query, urllib.parse.urlencode({"query": "DROP ALL"}).encode(), "POST", form),
        (served.query, urllib.parse.urlencode({"update": "DROP ALL"}).encode(), "POST", form),
        (served.base + "store?default", b"", "DELETE", {}),
        (
            served.base + "store?default",
            b"<http://e/a> <http://e/b> <http://e/c> .",
            "PUT",
            {"Content-Type": "application/n-triples"},
        ),
        (
            served.base + "store?graph=http%3A%2F%2Fe%2Fg",
            b"<http://e/a> <http://e/b> <http://e/c> .",
            "POST",
            {"Content-Type": "application/n-triples"},
        ),
    ]
    for url, body, method, headers in attempts:
        status, _ = http(url, data=body, method=method, headers=headers)
        assert status >= 400, (method, url, status)
    assert count(served) == served.quads


def test_a_pathological_query_is_stopped_and_reported_in_one_line(served: Served) -> None:
    engine = RemoteEngine(served.query, timeout=300)
    with pytest.raises(EndpointError, match="stopped the query before it finished") as err:
        engine.select(CARTESIAN_COUNT)
    assert "\n" not in str(err.value) and "--timeout-s" in str(err.value)
    # The server is not hung: the next query gets the full answer.
    assert count(served) == served.quads


def test_the_cli_reports_a_stopped_query_as_bad_input(served: Served, tmp_path: Path) -> None:
    query = tmp_path / "cartesisch.rq"
    query.write_text("#+ summary: Alles maal alles maal alles.\n" + CARTESIAN_COUNT + "\n")
    result = run_kg("query", str(query), "--endpoint", served.query, build=served.build)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "stopped the query" in result.stderr


def test_a_huge_result_is_refused_at_the_size_limit_in_one_line(served: Served) -> None:
    status, body = http(
        served.query,
        data=urllib.parse.urlencode({"query": CARTESIAN_ROWS}).encode(),
        method="POST",
        headers={
            "Accept": "text/tab-separated-values",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert status == 400
    message = body.decode("utf-8")
    assert message.count("\n") == 1 and "limit of 2 MB" in message
    assert "--max-result-mb" in message and "LIMIT" in message
    with pytest.raises(QueryError, match="--max-result-mb"):
        RemoteEngine(served.query).select(CARTESIAN_ROWS)
    # The server goes on answering in full.
    assert count(served) == served.quads


def test_other_clients_are_answered_while_huge_queries_run(served: Served) -> None:
    outcomes: list[int] = []

    def huge() -> None:
        body = urllib.parse.urlencode({"query": CARTESIAN_ROWS}).encode()
        outcomes.append(http(served.query, data=body, method="POST")[0])

    threads = [threading.Thread(target=huge, daemon=True) for _ in range(3)]
    for thread in threads:
        thread.start()
    answers = [count(served) for _ in range(5)]
    for thread in threads:
        thread.join(timeout=120)
    assert answers == [served.quads] * 5
    assert outcomes == [400, 400, 400]


def test_a_request_body_over_the_limit_is_refused(served: Served) -> None:
    padding = "#" + "x" * (2 * 1024 * 1024) + "\n"
    status, body = http(
        served.query,
        data=(padding + "ASK {}").encode(),
        method="POST",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert status == 413 and b"send a shorter query" in body
    assert count(served) == served.quads


def test_the_cli_reports_a_too_large_result_as_bad_input(served: Served, tmp_path: Path) -> None:
    query = tmp_path / "alles.rq"
    query.write_text("#+ summary: Alle rijen van alles maal alles.\n" + CARTESIAN_ROWS + "\n")
    result = run_kg("query", str(query), "--endpoint", served.query, build=served.build)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "--max-result-mb" in result.stderr


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
def test_a_sort_that_ignores_the_time_limit_is_stopped_by_a_restart(served: Served) -> None:
    # Oxigraph checks its time limit only once a sort is done: this one would run for
    # minutes and take about 1 GB. The gateway answers 504 and restarts the engine.
    before = served.engine_pids()
    assert len(before) == 1
    others: list[int] = []
    stop = threading.Event()

    def other_client() -> None:
        while not stop.is_set():
            others.append(count(served))
            time.sleep(0.2)

    thread = threading.Thread(target=other_client, daemon=True)
    thread.start()
    status, body = http(
        served.query,
        data=urllib.parse.urlencode({"query": CARTESIAN_ROWS + " ORDER BY ?i ?c"}).encode(),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 504 and b"stopped the query before it finished" in body
    # The 504 is sent before the restart: wait for the new engine (stopping the old one
    # takes up to its 5 s grace on a loaded machine), the other client asking all along.
    deadline = time.monotonic() + 60
    after = served.engine_pids()
    while (len(after) != 1 or after == before) and time.monotonic() < deadline:
        time.sleep(0.1)
        after = served.engine_pids()
    time.sleep(1.0)
    stop.set()
    thread.join(timeout=60)
    assert len(after) == 1 and after != before
    # Every other client was answered in full, before, during and after the restart.
    assert others and others == [served.quads] * len(others)
    assert count(served) == served.quads


def test_short_load_test_has_no_errors(served: Served) -> None:
    load_test = load_test_module()
    work = load_test.workload()
    result = load_test.run_load(served.query, clients=4, duration=3.0, queries=work)
    assert result.errors == 0, result.error_examples
    assert result.requests >= len(work) > 0
    assert all(row["requests"] > 0 for row in result.per_query.values())
    assert result.p50 <= result.p99 <= result.max


def test_forced_rebuild_while_serving_leaves_the_endpoint_answering(served: Served) -> None:
    result = run_kg("build", "--force", "--data", str(served.data), build=served.build)
    assert result.returncode == 0, result.stderr
    assert count(served) == served.quads
    assert len(RemoteEngine(served.query).select("SELECT ?s WHERE { ?s a ?c } LIMIT 50")) == 50


def test_load_test_counts_a_stopped_query_as_an_error(served: Served) -> None:
    load_test = load_test_module()
    result = load_test.run_load(
        served.query, clients=1, duration=0.1, queries=[("cartesian", CARTESIAN_COUNT)]
    )
    assert result.requests >= 1 and result.errors == result.requests
    assert "HTTP 504" in result.error_examples[0]


def test_a_served_store_outlives_later_builds(served: Served, tmp_path: Path) -> None:
    # kg build keeps the newest few stores; the one a running kg serve reads is kept too.
    served_stores = {p.name for p in served.build.glob("store-*") if p.is_dir()}
    for n in range(4):
        data = tmp_path / f"data-{n}"
        shutil.copytree(served.data, data)
        extra = data / "graphs" / "extra.trig"
        extra.write_text(
            "@prefix ex: <https://example.org/> .\n"
            f"<https://w3id.org/asielketen/id/graaf/extra> {{ ex:a ex:b {n} . }}\n",
            "utf-8",
        )
        built = run_kg("build", "--data", str(data), build=served.build)
        assert built.returncode == 0, built.stderr
    marked = {p.name.partition(".serving-")[0] for p in served.build.glob("store-*.serving-*")}
    assert marked and marked <= served_stores
    assert all((served.build / name).is_dir() for name in marked)
    assert count(served) == served.quads
