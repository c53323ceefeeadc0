"""``kg serve`` over HTTP with a real client: SPARQL Protocol, result formats, read-only.

The server is started the way a user starts it (``python -m kg serve`` in a subprocess,
on a free loopback port) and stopped with the signal Ctrl-C sends.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from kg.store import open_engine

from .conftest import free_port, wait_until_up
from .offline_browser import chromium

TESTS = Path(__file__).resolve().parent
PUBLISH = TESTS / "data" / "publish"

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABELS = """
PREFIX ak: <https://w3id.org/asielketen/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?m ?label ?g WHERE { GRAPH ?g { ?m a ak:Measure ; rdfs:label ?label } } ORDER BY ?m ?g
"""


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    build: Path

    @property
    def query(self) -> str:
        return self.url + "query"


def start(data: Path, build: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    env = dict(os.environ, KG_BUILD_DIR=str(build))
    return subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--data", str(data), "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def stop(process: subprocess.Popen[str], sig: int = signal.SIGINT) -> tuple[int, str]:
    process.send_signal(sig)
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
        raise AssertionError(f"kg serve did not stop on signal {sig}: {err}") from None
    return process.returncode, err


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    build = tmp_path_factory.mktemp("serve-build")
    port = free_port()
    process = start(PUBLISH, build, port)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, process)
        yield Served(process, url, build)
    finally:
        if process.poll() is None:
            stop(process)


def embedded_rows(query: str) -> list[dict[str, str]]:
    engine = open_engine(PUBLISH, cache=False)
    return [{k: str(v) for k, v in row.items()} for row in engine.select(query)]


def json_rows(body: dict[str, object]) -> list[dict[str, str]]:
    rows = []
    for binding in body["results"]["bindings"]:  # type: ignore[index]
        row = {}
        for name, value in binding.items():
            if value["type"] == "uri":
                row[name] = f"<{value['value']}>"
            elif "xml:lang" in value:
                row[name] = f'"{value["value"]}"@{value["xml:lang"]}'
            elif "datatype" in value:
                row[name] = f'"{value["value"]}"^^<{value["datatype"]}>'
            else:
                row[name] = f'"{value["value"]}"'
        rows.append(row)
    return rows


def test_get_and_post_answer_like_the_embedded_engine(served: Served) -> None:
    expected = embedded_rows(LABELS)
    assert expected
    accept = {"Accept": "application/sparql-results+json"}
    get = requests.get(served.query, params={"query": LABELS}, headers=accept, timeout=30)
    form = requests.post(served.query, data={"query": LABELS}, headers=accept, timeout=30)
    direct = requests.post(
        served.query,
        data=LABELS.encode(),
        headers={**accept, "Content-Type": "application/sparql-query"},
        timeout=30,
    )
    for response in (get, form, direct):
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("application/sparql-results+json")
        assert json_rows(response.json()) == expected


def test_default_graph_is_the_union_of_the_named_graphs(served: Served) -> None:
    response = requests.get(
        served.query, params={"query": COUNT}, headers={"Accept": "application/sparql-results+json"}
    )
    count = int(response.json()["results"]["bindings"][0]["n"]["value"])
    assert count == int(embedded_rows(COUNT)[0]["n"].split('"')[1])


@pytest.mark.parametrize(
    "accept, content_type",
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_xml_csv_and_tsv_results(served: Served, accept: str, content_type: str) -> None:
    expected = embedded_rows(LABELS)
    response = requests.get(served.query, params={"query": LABELS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(content_type)
    if content_type.endswith("xml"):
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        results = ET.fromstring(response.content).findall(".//r:result", ns)
        assert len(results) == len(expected)
        labels = []
        for r in results:
            label = r.find("r:binding[@name='label']/r:literal", ns)
            assert label is not None and label.text is not None, ET.tostring(r)
            labels.append(label.text)
    else:
        delimiter = "," if content_type == "text/csv" else "\t"
        reader = csv.reader(
            io.StringIO(response.text),
            delimiter=delimiter,
            quoting=csv.QUOTE_MINIMAL if delimiter == "," else csv.QUOTE_NONE,
        )
        rows = list(reader)
        assert len(rows) == len(expected) + 1
        column = [c.lstrip("?") for c in rows[0]].index("label")
        labels = [row[column] for row in rows[1:]]  # TSV keeps the "…"@nl syntax, CSV not
    expected_labels = {row["label"].split('"')[1] for row in expected}
    assert {
        label.split('"')[1] if label.startswith('"') else label for label in labels
    } == expected_labels


def test_updates_and_graph_store_writes_are_refused(served: Served) -> None:
    before = requests.get(
        served.query, params={"query": COUNT}, headers={"Accept": "text/csv"}
    ).text
    update = requests.post(
        served.url + "update",
        data="DROP ALL",
        headers={"Content-Type": "application/sparql-update"},
    )
    put = requests.put(
        served.url + "store",
        params={"graph": "http://example.org/g"},
        data="<http://a> <http://b> <http://c> .",
        headers={"Content-Type": "application/n-triples"},
    )
    assert update.status_code == 403
    assert put.status_code == 403
    after = requests.get(served.query, params={"query": COUNT}, headers={"Accept": "text/csv"}).text
    assert after == before


def test_query_ui_is_served_without_external_resources(served: Served) -> None:
    page = requests.get(served.url)
    assert page.status_code == 200 and "<html" in page.text.lower()
    assert "http://" not in page.text and "https://" not in page.text
    assert requests.get(served.url + "yasgui.min.js").status_code == 200


def wait_for_banner(process: subprocess.Popen[str]) -> str:
    """Read stderr up to the banner's last line, as a user waits for it before Ctrl-C."""
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if "Ctrl-C stops the server" in line:
            return "".join(seen)
    raise AssertionError(f"kg serve exited before its banner: {''.join(seen)}")


def test_ctrl_c_stops_server_and_frees_the_port(tmp_path: Path) -> None:
    # Regression: the test sent Ctrl-C as soon as the server answered, sometimes before
    # kg had printed its banner, and then missed the endpoint URL in stderr.
    port = free_port()
    process = start(PUBLISH, tmp_path, port)
    url = f"http://127.0.0.1:{port}/"
    banner = wait_for_banner(process)
    wait_until_up(url, process)
    engines = children(process.pid)
    assert engines or not LINUX, "kg serve runs no oxigraph process"
    code, rest = stop(process, signal.SIGINT)
    assert code == 0, banner + rest
    assert f"http://127.0.0.1:{port}/query" in banner
    assert "stopped" in rest
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=2)
    assert not [pid for pid in engines if running(pid)], "the oxigraph server outlived kg serve"


LINUX = Path("/proc/self/task").is_dir()


def children(pid: int) -> set[int]:
    """The processes ``pid`` started, from any of its threads (Linux; else empty)."""
    found: set[int] = set()
    for listing in Path(f"/proc/{pid}/task").glob("*/children"):
        found.update(int(p) for p in listing.read_text().split())
    return found


def running(pid: int) -> bool:
    """Whether ``pid`` is alive (a zombie waiting to be reaped is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def test_sigterm_stops_server_too(tmp_path: Path) -> None:
    port = free_port()
    process = start(PUBLISH, tmp_path, port)
    wait_until_up(f"http://127.0.0.1:{port}/", process)
    code, err = stop(process, signal.SIGTERM)
    assert code == 0, err
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/", timeout=2)


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start(PUBLISH, tmp_path, port)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    message = f"error: port {port} on 127.0.0.1 is in use; stop the other server or pass"
    assert err.strip().splitlines() == [f"{message} --port {port + 1}"]


def test_bad_data_is_a_clear_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "graphs").mkdir(parents=True)
    (data / "graphs" / "kapot.trig").write_text("GRAPH <x> {", encoding="utf-8")
    process = start(data, tmp_path / "build", free_port())
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "kapot.trig:1" in err and len(err.strip().splitlines()) == 1


DRAFT_GRAPH = "https://w3id.org/asielketen/id/graaf/concept-brief"
DRAFT = f"""@prefix ak: <https://w3id.org/asielketen/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
GRAPH <{DRAFT_GRAPH}> {{
  <{DRAFT_GRAPH}> ak:reviewStatus <https://w3id.org/asielketen/id/begrip/beoordeling/concept> .
  <https://w3id.org/asielketen/id/maatregel/kandidaat> a ak:Measure ;
      rdfs:label "kandidaat"@nl .
}}
"""
IN_DRAFT = f"ASK {{ GRAPH <{DRAFT_GRAPH}> {{ ?s ?p ?o }} }}"
CANDIDATE = "ASK { <https://w3id.org/asielketen/id/maatregel/kandidaat> ?p ?o }"


def test_draft_graphs_are_served_only_with_include_drafts(
    example_copy: Path, tmp_path: Path
) -> None:
    # Regression: kg serve served the draft graphs of kg ingest, which every other view
    # (query, contradictions, viz, export, publish) leaves out unless --include-drafts.
    (example_copy / "graphs" / "concept-brief.trig").write_text(DRAFT, encoding="utf-8")
    accept = {"Accept": "application/sparql-results+json"}
    answers = {}
    for extra in ((), ("--include-drafts",)):
        port = free_port()
        process = start(example_copy, tmp_path / "build", port, *extra)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/", process)
            query = f"http://127.0.0.1:{port}/query"
            answers[extra] = [
                requests.get(query, params={"query": q}, headers=accept, timeout=30).json()[
                    "boolean"
                ]
                for q in (IN_DRAFT, CANDIDATE, "ASK { ?s a ?c }")
            ]
        finally:
            stop(process)
    assert answers[()] == [False, False, True]
    assert answers[("--include-drafts",)] == [True, True, True]


def test_without_draft_graphs_the_served_store_is_the_built_one(tmp_path: Path) -> None:
    from kg.store import build_store

    whole = build_store(PUBLISH, tmp_path)
    assert build_store(PUBLISH, tmp_path, include_drafts=False).path == whole.path
    assert sorted(p.name for p in tmp_path.glob("store-*")) == [whole.path.name]


def test_results_parse_in_the_project_remote_engine(served: Served) -> None:
    from kg.store import RemoteEngine

    remote = RemoteEngine(served.query)
    rows = [{k: str(v) for k, v in row.items()} for row in remote.select(LABELS)]
    assert rows == embedded_rows(LABELS)
    assert json.loads(json.dumps(rows))  # plain strings, nothing engine-specific


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses PR_SET_PDEATHSIG")
def test_server_does_not_outlive_a_killed_kg(tmp_path: Path) -> None:
    port = free_port()
    process = start(PUBLISH, tmp_path, port)
    url = f"http://127.0.0.1:{port}/"
    wait_until_up(url, process)
    process.kill()
    process.communicate()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
        except requests.ConnectionError:
            return
        time.sleep(0.1)
    raise AssertionError("the oxigraph server kept running after kg was killed")


def test_the_catalogue_runs_against_kg_serve(served: Served) -> None:
    queries = pytest.importorskip("kg.queries")
    from kg.store import RemoteEngine

    embedded = open_engine(PUBLISH, cache=False)
    remote = RemoteEngine(served.query)
    answered = 0
    for query in queries.catalogue():
        if any(p.required for p in query.params):
            continue
        local_rows = queries.run_query(embedded, query)
        remote_rows = queries.run_query(remote, query)
        assert remote_rows.variables == local_rows.variables, query.name
        assert sorted(map(repr_row, remote_rows)) == sorted(map(repr_row, local_rows)), query.name
        answered += bool(local_rows)
    assert answered >= 3


def repr_row(row: dict[str, object]) -> str:
    # Blank node labels differ between stores; everything else must match.
    return repr(
        sorted((k, "_" if type(v).__name__ == "BlankNode" else str(v)) for k, v in row.items())
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium()


def test_query_ui_runs_a_query_in_a_browser_and_calls_no_other_host(
    served: Served, browser: Any
) -> None:
    # Oxigraph's YASGUI fetches a prefix list from http://prefix.cc on load: a request to
    # a third party (in plain HTTP) from every user who opens the page.
    page = browser.new_page()
    elsewhere: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(served.url):
            request_route.continue_()
        else:
            elsewhere.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(served.url)
    page.wait_for_selector(".yasqe_queryButton")
    page.evaluate("q => document.querySelector('.CodeMirror').CodeMirror.setValue(q)", COUNT)
    page.locator(".yasqe_queryButton").first.click()
    page.wait_for_selector(".yasr td:has-text('XMLSchema#integer')")
    expected = embedded_rows(COUNT)[0]["n"].split('"')[1]
    assert f'"{expected}"' in page.locator(".yasr").inner_text()
    page.close()
    assert elsewhere == []
