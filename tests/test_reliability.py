"""A reviewer's bad input: one line on stderr that says what to do, exit 2, no damage.

Each case runs ``python -m kg`` the way a user does, in a subprocess, so what reaches the
terminal (including anything a library logs) is what is checked. Every case shares one
build folder with a good build made first; after each case that build must still be
there, unchanged, and answer queries.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store import EmbeddedEngine, current_build

from .conftest import EXAMPLE, free_port, run_kg

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "data" / "reliability"
GRAPH_FILE = Path("graphs") / "example.trig"
SOURCES_FILE = Path("sources") / "sources.ttl"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
LABEL_LINE = '      rdfs:label "Wet voorbeeldhuisvesting"@nl ;'


def assert_clean_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """Exit 2, one ``error: ...`` line on stderr holding every fragment, no traceback."""
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    message = lines[0]
    assert message.startswith("error: "), message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert result.returncode == 2, (result.returncode, message)
    return message


def line_of(path: Path, text: str) -> int:
    """1-based number of the line of ``path`` that holds ``text``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def replace_line(path: Path, old: str, new: str) -> int:
    """Replace the one line of ``path`` holding ``old`` by ``new``; return its number."""
    number = line_of(path, old)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[number - 1] = new + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return number


@dataclass
class Baseline:
    """A good build that every bad input must leave as it was."""

    data: Path
    build: Path
    store: Path
    quads: int
    listing: dict[str, int]

    def snapshot(self) -> dict[str, int]:
        return {
            str(p.relative_to(self.build)): p.stat().st_size
            for p in sorted(self.build.rglob("*"))
            if p.is_file() and p.suffix != ".log" and p.name != "LOCK"
        }

    def assert_intact(self) -> None:
        info = current_build(self.data, self.build)
        assert info is not None and info.path == self.store
        for name, size in self.listing.items():
            assert (self.build / name).is_file(), f"{name} of the good build was removed"
            if name.endswith(".json"):
                assert (self.build / name).stat().st_size == size
        assert not list(self.build.glob(".tmp-*")), "a temporary build was left behind"
        store = ox.Store.read_only(str(self.store))
        count = EmbeddedEngine(store).select(COUNT)
        assert int(count[0]["n"].value) == self.quads


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    root = tmp_path_factory.mktemp("reliability")
    data = root / "good"
    shutil.copytree(EXAMPLE, data)
    build = root / "build"
    result = run_kg("build", "--data", str(data), build=build)
    assert result.returncode == 0, result.stderr
    info = current_build(data, build)
    assert info is not None
    base = Baseline(data, build, info.path, info.quads, {})
    base.listing = base.snapshot()
    return base


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    """A writable copy of the example data folder to break."""
    target = tmp_path / "bad"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture
def check_intact(baseline: Baseline) -> Iterator[Baseline]:
    yield baseline
    baseline.assert_intact()


# --------------------------------------------------------------------------- data files


def test_malformed_trig_names_file_line_and_column(bad: Path, check_intact: Baseline) -> None:
    line = replace_line(bad / GRAPH_FILE, LABEL_LINE, '      rdfs:label "Wet" ;;; ]] .')
    result = run_kg("build", "--data", str(bad), build=check_intact.build)
    message = assert_clean_error(result, f"example.trig:{line}:", "RDF syntax error", "fix the")
    column = int(message.split(f"example.trig:{line}:")[1].split(":")[0])
    assert column > 1


def test_malformed_turtle_in_sources_ttl_is_bad_input(bad: Path, check_intact: Baseline) -> None:
    line = replace_line(
        bad / SOURCES_FILE, 'ak:documentKind "ledenbrief" ;', '    ak:documentKind "ledenbrief ;'
    )
    result = run_kg("check", "--data", str(bad), build=check_intact.build)
    assert_clean_error(result, f"sources.ttl:{line}:", "RDF syntax error")


def test_unknown_prefix_names_the_prefix_and_where(bad: Path, check_intact: Baseline) -> None:
    line = replace_line(
        bad / GRAPH_FILE, LABEL_LINE, '      foaf:name "Wet voorbeeldhuisvesting" ;'
    )
    result = run_kg("build", "--data", str(bad), build=check_intact.build)
    assert_clean_error(result, f"example.trig:{line}:7:", "foaf:")


@pytest.mark.parametrize(
    ("literal", "datatype"),
    [
        ('"2025-13-45"^^xsd:date', "xsd:date"),
        ('"2025-02-30"^^xsd:date', "xsd:date"),
        ('"2025-00"^^xsd:gYearMonth', "xsd:gYearMonth"),
        ('"vijf"^^xsd:integer', "xsd:integer"),
        ('"ja"^^xsd:boolean', "xsd:boolean"),
    ],
)
def test_wrong_datatype_is_bad_input_with_the_value(
    bad: Path, check_intact: Baseline, literal: str, datatype: str
) -> None:
    line = replace_line(bad / GRAPH_FILE, LABEL_LINE, f"      ak:date {literal} ;")
    lexical = literal.split('"')[1]
    for command in ("build", "check"):
        result = run_kg(command, "--data", str(bad), build=check_intact.build)
        assert_clean_error(result, f"example.trig:{line}:", lexical, datatype)


def test_valid_typed_literals_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "graphs").mkdir()
    (tmp_path / "graphs" / "typed.trig").write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<http://e/a> <http://e/p> '2024-02-29'^^xsd:date, '2025-02'^^xsd:gYearMonth,\n"
        "  '2025'^^xsd:gYear, '2025-06-12T10:00:00Z'^^xsd:dateTime, '-12'^^xsd:integer,\n"
        "  '1.5'^^xsd:decimal, '1e3'^^xsd:double, 'true'^^xsd:boolean, 'P2Y6M'^^xsd:duration,\n"
        "  '2025-06-12+02:00'^^xsd:date, 'INF'^^xsd:double, '0'^^xsd:nonNegativeInteger .\n",
        encoding="utf-8",
    )
    result = run_kg("build", "--data", str(tmp_path), build=tmp_path / "build")
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------- files and folders


def test_missing_data_folder(tmp_path: Path, check_intact: Baseline) -> None:
    result = run_kg("build", "--data", str(tmp_path / "nope"), build=check_intact.build)
    assert_clean_error(result, "--data", "does not exist", "kg build -h")


def test_data_folder_that_is_a_file(tmp_path: Path, check_intact: Baseline) -> None:
    file = tmp_path / "data.trig"
    file.write_text("", encoding="utf-8")
    result = run_kg("stats", "--data", str(file), build=check_intact.build)
    assert_clean_error(result, "--data", "is a file")


def test_folder_without_data_files_says_what_it_expects(
    tmp_path: Path, check_intact: Baseline
) -> None:
    (tmp_path / "empty" / "graphs").mkdir(parents=True)
    result = run_kg("build", "--data", str(tmp_path / "empty"), build=check_intact.build)
    assert_clean_error(result, "no RDF files", "graphs/", "laid out like data/")


def test_data_file_that_is_a_folder(bad: Path, check_intact: Baseline) -> None:
    (bad / "graphs" / "map.trig").mkdir()
    result = run_kg("build", "--data", str(bad), build=check_intact.build)
    assert_clean_error(result, "map.trig", "cannot read")


def test_dangling_symlink_is_a_missing_file(bad: Path, check_intact: Baseline) -> None:
    (bad / "graphs" / "weg.trig").symlink_to(bad / "nergens.trig")
    result = run_kg("build", "--data", str(bad), build=check_intact.build)
    assert_clean_error(result, "weg.trig", "cannot read")


@pytest.mark.skipif(not shutil.which("setpriv"), reason="needs setpriv to drop root")
@pytest.mark.parametrize("what", ["file", "folder"])
def test_unreadable_file_or_folder(what: str) -> None:
    # As root every file is readable, so root runs kg as nobody (in a folder nobody can
    # reach: pytest's own temporary folders are private to their owner).
    user = "65534" if os.geteuid() == 0 else None
    if user is not None:
        probe = subprocess.run(
            ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups",
             sys.executable, "-c", "import kg"],
            capture_output=True, text=True, check=False,
        )
        if probe.returncode != 0:
            # e.g. a checkout inside a `mktemp -d` folder, which only root may enter
            why = (probe.stderr.strip().splitlines() or ["?"])[-1]
            pytest.skip(f"uid {user} cannot import kg from this checkout ({why})")
    tmp_path = Path(tempfile.mkdtemp(prefix="kg-unreadable-"))
    try:
        _unreadable(tmp_path, what, user)
    finally:
        for path in tmp_path.rglob("*"):
            path.chmod(0o755)
        shutil.rmtree(tmp_path)


def _unreadable(tmp_path: Path, what: str, user: str | None) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    build = tmp_path / "build"
    build.mkdir()
    for path in (tmp_path, data, build, *data.rglob("*")):
        path.chmod(0o777 if path.is_dir() else 0o644)
    target = data / GRAPH_FILE if what == "file" else data / "graphs"
    target.chmod(0)
    result = run_kg("build", "--data", str(data), build=build, user=user)
    assert_clean_error(result, str(target.name), "cannot read")


def test_unknown_option_and_choice_are_one_line(check_intact: Baseline) -> None:
    result = run_kg("build", "--no-such-option", build=check_intact.build)
    assert_clean_error(result, "--no-such-option", "kg build -h")
    result = run_kg("export", "--format", "docx", build=check_intact.build)
    assert_clean_error(result, "docx", "kg export -h")
    result = run_kg("no-such-command", build=check_intact.build)
    assert_clean_error(result, "no-such-command", "kg -h")


def test_export_to_an_unwritable_place(tmp_path: Path, check_intact: Baseline) -> None:
    result = run_kg(
        "export",
        "--data",
        str(check_intact.data),
        "--format",
        "nquads",
        "--out",
        "/proc/asielketen.nq",
        build=check_intact.build,
    )
    assert_clean_error(result, "/proc/", "cannot write")


def test_site_onto_a_file_is_refused(tmp_path: Path, check_intact: Baseline) -> None:
    file = tmp_path / "site"
    file.write_text("mine", encoding="utf-8")
    result = run_kg(
        "export", "--data", str(check_intact.data), "--site", str(file), build=check_intact.build
    )
    assert_clean_error(result, "--site", "is a file")
    assert file.read_text(encoding="utf-8") == "mine"


# --------------------------------------------------------------------------- queries


def test_unknown_query_name(check_intact: Baseline) -> None:
    result = run_kg(
        "query", "no-such-query", "--data", str(check_intact.data), build=check_intact.build
    )
    assert_clean_error(result, "no-such-query", "kg queries")


def test_unknown_parameter(check_intact: Baseline) -> None:
    result = run_kg(
        "query",
        "timeline",
        "--param",
        "bogus=1",
        "--data",
        str(check_intact.data),
        build=check_intact.build,
    )
    assert_clean_error(result, "bogus", "parameters")


def test_missing_parameter_says_how_to_give_it(check_intact: Baseline) -> None:
    query = FIXTURES / "label-search.rq"
    result = run_kg("query", str(query), "--data", str(check_intact.data), build=check_intact.build)
    assert_clean_error(result, "label-search.rq", "required", "--param label=")


def test_parameter_without_equals_sign(check_intact: Baseline) -> None:
    result = run_kg(
        "query",
        "timeline",
        "--param",
        "entity",
        "--data",
        str(check_intact.data),
        build=check_intact.build,
    )
    assert_clean_error(result, "entity", "=")


def test_parameter_given_twice(check_intact: Baseline) -> None:
    result = run_kg(
        "query",
        "timeline",
        "-p",
        "entity=maatregel/a",
        "-p",
        "entity=maatregel/b",
        "--data",
        str(check_intact.data),
        build=check_intact.build,
    )
    assert_clean_error(result, "entity", "twice")


def test_sparql_syntax_error_in_a_users_query_has_line_and_column(
    check_intact: Baseline,
) -> None:
    query = FIXTURES / "syntax-error.rq"
    line = line_of(query, "FILTR(")
    result = run_kg("query", str(query), "--data", str(check_intact.data), build=check_intact.build)
    message = assert_clean_error(result, f"syntax-error.rq:{line}:", "SPARQL syntax error")
    column = int(message.split(f"syntax-error.rq:{line}:")[1].split(":")[0])
    assert column > 1


def test_undeclared_prefix_in_a_users_query_is_one_line(check_intact: Baseline) -> None:
    query = FIXTURES / "unknown-prefix.rq"
    line = line_of(query, "foaf:name")
    result = run_kg("query", str(query), "--data", str(check_intact.data), build=check_intact.build)
    assert_clean_error(result, f"unknown-prefix.rq:{line}:", "prefix", "PREFIX name: <IRI>")


def test_an_update_in_a_users_query_file_is_refused(check_intact: Baseline) -> None:
    query = FIXTURES / "drop-all.rq"
    result = run_kg("query", str(query), "--data", str(check_intact.data), build=check_intact.build)
    assert_clean_error(result, "drop-all.rq")


def test_missing_query_file(tmp_path: Path, check_intact: Baseline) -> None:
    result = run_kg(
        "query",
        str(tmp_path / "mine.rq"),
        "--data",
        str(check_intact.data),
        build=check_intact.build,
    )
    assert_clean_error(result, "mine.rq", "no such query file")


@pytest.mark.parametrize("command", ["contradictions", "viz"])
@pytest.mark.parametrize("value", ["2025-13-45", "gisteren", "01-07-2025"])
def test_invalid_as_of(check_intact: Baseline, command: str, value: str) -> None:
    result = run_kg(
        command, "--as-of", value, "--data", str(check_intact.data), build=check_intact.build
    )
    assert_clean_error(result, "--as-of", value, "YYYY-MM-DD")


# --------------------------------------------------------------------------- endpoints


@pytest.mark.parametrize(
    "args",
    [
        ("query", "timeline"),
        ("contradictions",),
    ],
)
def test_unreachable_endpoint(check_intact: Baseline, args: tuple[str, ...]) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = run_kg(*args, "--endpoint", url, build=check_intact.build)
    assert_clean_error(result, url, "cannot reach", "running")


def test_endpoint_that_is_not_a_url(check_intact: Baseline) -> None:
    result = run_kg("query", "timeline", "--endpoint", "localhost:7878", build=check_intact.build)
    assert_clean_error(result, "localhost:7878", "http://")


def test_publish_to_an_unreachable_store(check_intact: Baseline) -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    result = run_kg(
        "publish", "--data", str(check_intact.data), "--endpoint", url, build=check_intact.build
    )
    assert_clean_error(result, url, "cannot reach")


def test_port_in_use(check_intact: Baseline) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_kg(
            "serve",
            "--data",
            str(check_intact.data),
            "--port",
            str(port),
            build=check_intact.build,
        )
    assert_clean_error(result, f"port {port}", "in use", "--port")


# --------------------------------------------------------------------------- after all that


def test_the_good_build_still_answers_through_the_cli(baseline: Baseline) -> None:
    result = run_kg("stats", "--data", str(baseline.data), build=baseline.build)
    assert result.returncode == 0, result.stderr
    assert f"total {baseline.quads}".split() == [
        word
        for line in result.stdout.splitlines()
        if line.startswith("total")
        for word in line.split()
    ]
