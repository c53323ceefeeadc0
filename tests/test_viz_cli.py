"""``kg viz`` end to end: from a data folder to a page, with its errors and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.network import project
from kg.store import open_engine
from kg.viz import load_input

HOSTILE = Path(__file__).parent / "data" / "viz" / "hostile-data"


@pytest.fixture(autouse=True)
def build_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "build"
    monkeypatch.setenv("KG_BUILD_DIR", str(folder))
    return folder


def page_data(path: Path) -> dict:
    text = path.read_text("utf-8")
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S)
    assert block is not None
    return dict(json.loads(block.group(1)))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["viz", *args])
    return result.exit_code, result.stdout, result.stderr


def test_writes_the_overview_with_every_projected_node(tmp_path: Path):
    out = tmp_path / "graph.html"
    code, stdout, stderr = run("--data", str(HOSTILE), "--out", str(out))
    assert code == 0, stderr
    assert stdout.startswith(f"wrote {out}")
    data = page_data(out)
    graph = project(open_engine(HOSTILE))
    findings = load_input(open_engine(HOSTILE)).findings
    sides = {f[s]["iri"] for f in findings for s in ("a", "b")}
    assert {n["iri"] for n in data["nodes"]} == set(graph.nodes) | sides
    assert len(data["findings"]) == len(findings)


def test_default_output_is_in_the_build_folder(build_dir: Path):
    code, _, stderr = run("--data", str(HOSTILE), "--view", "contradictions")
    assert code == 0, stderr
    assert (build_dir / "contradictions.html").is_file()


def test_hostile_data_never_reaches_the_page_as_markup(tmp_path: Path):
    out = tmp_path / "graph.html"
    assert run("--data", str(HOSTILE), "--out", str(out))[0] == 0
    text = out.read_text("utf-8")
    assert "<img" not in text and "<svg" not in text and "<iframe" not in text
    names = {n["name"] for n in page_data(out)["nodes"]}
    assert "<img src=x onerror=alert(1)>" in names  # kept as text, escaped in the page


def test_english_page(tmp_path: Path):
    out = tmp_path / "graph.html"
    assert run("--data", str(HOSTILE), "--out", str(out), "--lang", "en")[0] == 0
    data = page_data(out)
    assert data["meta"]["lang"] == "en"
    assert "measure" in {c["label"] for c in data["classes"]}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--view", "alles"], "--view 'alles' is unknown"),
        (["--view", "entity:bestaat-niet"], "no entity with slug 'bestaat-niet'"),
        (["--as-of", "2025-13-45"], "--as-of '2025-13-45' is not a date"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str):
    code, stdout, stderr = run("--data", str(HOSTILE), "--out", str(tmp_path / "x.html"), *args)
    assert code == 2
    assert stderr.startswith("error: ") and message in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.html").exists()


def test_unwritable_output_is_exit_2(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, _, stderr = run("--data", str(HOSTILE), "--out", str(blocker / "graph.html"))
    assert code == 2
    assert "cannot write the page" in stderr


def test_a_document_has_one_name_in_the_quotes_of_nodes_and_of_findings(tmp_path: Path):
    # Findings name a quote's document by its dcterms:title, the node quotes by the page's
    # document label: the same letter showed under two names on one page.
    data_dir = Path(__file__).parent / "data" / "rules" / "asserted-fires"
    out = tmp_path / "graph.html"
    code, _, stderr = run("--data", str(data_dir), "--out", str(out))
    assert code == 0, stderr
    data = page_data(out)
    names = data["documents"]
    node_docs = {names[q["document"]] for n in data["nodes"] for q in n.get("quotes", [])}
    finding_docs = {names[s["document"]] for f in data["findings"] for s in f["sources"]}
    assert data["findings"] and node_docs
    assert finding_docs <= node_docs, (finding_docs, node_docs)
