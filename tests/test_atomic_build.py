"""Atomic builds: an interrupted or failed ``kg build`` leaves the previous build usable.

A good build of the example data is made first. Then a larger data folder is built and
the build is killed with SIGKILL once its temporary store exists, or fails on a syntax
error at the end of a large file (after most of it was loaded). Either way the good
build must still be the current build of its data, answer queries through the CLI, and
no half-written store may be taken for a finished one.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store import EmbeddedEngine, current_build

from .conftest import EXAMPLE, run_kg

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def kg_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kg", *args]


def write_big_graph(data: Path, triples: int, broken_tail: bool = False) -> None:
    """Add graphs/groot.trig with ``triples`` statements (and a syntax error at the end)."""
    lines = [
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "GRAPH <https://w3id.org/asielketen/id/graaf/groot> {",
    ]
    lines += [
        f'<https://w3id.org/asielketen/id/maatregel/m{i}> rdfs:label "maatregel {i}"@nl .'
        for i in range(triples)
    ]
    lines.append(
        "<https://w3id.org/asielketen/id/maatregel/kapot> rdfs:label" if broken_tail else "}"
    )
    (data / "graphs" / "groot.trig").write_text("\n".join(lines) + "\n", encoding="utf-8")


def store_count(store_path: Path) -> int:
    store = ox.Store.read_only(str(store_path))
    return int(EmbeddedEngine(store).select(COUNT)[0]["n"].value)


@pytest.fixture
def good(tmp_path: Path) -> tuple[Path, Path, dict[str, object]]:
    """A data folder, its build folder and the manifest of its finished build."""
    data = tmp_path / "good"
    shutil.copytree(EXAMPLE, data)
    build = tmp_path / "build"
    result = run_kg("build", "--data", str(data), "--format", "json", build=build)
    assert result.returncode == 0, result.stderr
    return data, build, json.loads(result.stdout)


def assert_good_build_works(data: Path, build: Path, manifest: dict[str, object]) -> None:
    info = current_build(data, build)
    assert info is not None, "the good build is no longer the current build of its data"
    assert info.hash == manifest["hash"] and info.quads == manifest["quads"]
    assert store_count(info.path) == manifest["quads"]
    stats = run_kg("stats", "--data", str(data), "--format", "json", build=build)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["quads"] == manifest["quads"]
    query = run_kg("query", "entities", "--data", str(data), "--format", "json", build=build)
    assert query.returncode == 0, query.stderr
    assert json.loads(query.stdout), "the good build answers no query"
    again = run_kg("build", "--data", str(data), build=build)
    assert again.returncode == 0 and again.stderr.startswith("Up to date"), again.stderr


def test_build_killed_half_way_leaves_the_previous_build(
    good: tuple[Path, Path, dict[str, object]], tmp_path: Path
) -> None:
    data, build, manifest = good
    bigger = tmp_path / "bigger"
    shutil.copytree(data, bigger)
    write_big_graph(bigger, 300_000)
    manifests_before = sorted(p.name for p in build.glob("*.json"))
    process = subprocess.Popen(
        kg_command("build", "--data", str(bigger)),
        env=dict(os.environ, KG_BUILD_DIR=str(build)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and process.poll() is None:
            temporary = [p for p in build.glob(".tmp-*") if p.is_dir() and any(p.iterdir())]
            if temporary:
                break
            time.sleep(0.005)
        assert process.poll() is None, "the build finished before it could be interrupted"
        assert temporary, "no temporary store appeared"
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=60) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    # The interrupted build left no store or manifest that could pass for finished.
    assert sorted(p.name for p in build.glob("*.json")) == manifests_before
    assert current_build(bigger, build) is None
    assert_good_build_works(data, build, manifest)

    # The next build of the larger data succeeds and clears what the killed one left.
    result = run_kg("build", "--data", str(bigger), "--format", "json", build=build)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["quads"] == manifest["quads"] + 300_000  # type: ignore[operator]
    assert not list(build.glob(".tmp-*")), "the killed build's temporary store stayed"
    assert_good_build_works(data, build, manifest)


def test_build_failing_on_bad_data_leaves_the_previous_build(
    good: tuple[Path, Path, dict[str, object]], tmp_path: Path
) -> None:
    data, build, manifest = good
    broken = tmp_path / "broken"
    shutil.copytree(data, broken)
    write_big_graph(broken, 50_000, broken_tail=True)
    listing = sorted(str(p.relative_to(build)) for p in build.rglob("*") if p.is_file())
    result = run_kg("build", "--data", str(broken), build=build)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "groot.trig:50004" in result.stderr
    assert not list(build.glob(".tmp-*")), "the failed build left its temporary store"
    assert not list(build.glob("*.json.*")), "the failed build left a temporary manifest"
    after = sorted(str(p.relative_to(build)) for p in build.rglob("*") if p.is_file())
    assert [p for p in after if not p.endswith(".log")] == [
        p for p in listing if not p.endswith(".log")
    ]
    assert_good_build_works(data, build, manifest)


def test_forced_rebuild_keeps_an_open_reader_answering(
    good: tuple[Path, Path, dict[str, object]],
) -> None:
    data, build, manifest = good
    info = current_build(data, build)
    assert info is not None
    reader = ox.Store.read_only(str(info.path))
    result = run_kg("build", "--force", "--data", str(data), build=build)
    assert result.returncode == 0, result.stderr
    assert int(EmbeddedEngine(reader).select(COUNT)[0]["n"].value) == manifest["quads"]
    assert_good_build_works(data, build, manifest)


def test_two_builds_at_once_both_succeed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    write_big_graph(data, 20_000)
    build = tmp_path / "build"
    env = dict(os.environ, KG_BUILD_DIR=str(build))
    processes = [
        subprocess.Popen(
            kg_command("build", "--data", str(data), "--format", "json"),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=600) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], [err for _, err in outputs]
    counts = {json.loads(out)["quads"] for out, _ in outputs}
    info = current_build(data, build)
    assert info is not None and counts == {info.quads} == {store_count(info.path)}
    assert not list(build.glob(".tmp-*"))
