"""The query catalogue: strict headers, typed parameters bound by the engine, output formats.

Every ``.rq`` under queries/ is parsed and run; malformed headers and bad or hostile
parameter values are errors that name the file and line.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import QueryError
from kg.paths import QUERIES_DIR
from kg.queries import (
    Query,
    catalogue,
    expand_iri,
    find_query,
    format_rows,
    parse_query,
    parse_query_text,
    run_query,
)
from kg.store import EmbeddedEngine, Engine, open_engine

TESTS = Path(__file__).resolve().parent
RULES = TESTS / "data" / "rules"
EXAMPLE = TESTS / "data" / "example"
ALL_QUERIES = sorted(QUERIES_DIR.rglob("*.rq"))


@pytest.fixture(scope="module")
def example() -> Engine:
    return open_engine(data_dir=EXAMPLE, cache=False)


@pytest.mark.parametrize("path", ALL_QUERIES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_query_in_the_catalogue_parses_and_runs(path: Path) -> None:
    query = parse_query(path)
    assert query.name == path.stem
    assert query.summary
    assert query.category == path.parent.relative_to(QUERIES_DIR).as_posix()
    # Valid SPARQL: it runs on an empty store with its defaults bound.
    engine = EmbeddedEngine(ox.Store())
    bindings = {p.name: "maatregel/x" for p in query.params if p.required and p.type == "iri"}
    rows = run_query(engine, query, bindings)
    assert rows == []


def test_query_names_are_unique() -> None:
    names = [q.name for q in catalogue()]
    assert len(names) == len(set(names))


def test_reports_the_issue_asks_for_are_there() -> None:
    reports = {q.name for q in catalogue() if q.category == "reports"}
    assert {
        "objections",
        "affects-actor",
        "instruments-at-risk",
        "timeline",
        "abolitions",
        "entity-sources",
        "source-disagreements",
    } <= reports
    assert find_query("affects-actor").param("actor").default == "groep:gemeenten"
    assert find_query("timeline").param("entity").optional


GOOD = """#+ summary: Iets.
#+ description: Eerste regel
#+   en tweede regel.
#+ tags: a, b c
#+ params:
#+   - thing (iri) = maatregel/x
#+   - since (date, optional)
#+   - n (integer) = 3
#+ severity: hoog
#+ rule: instrument-verwijderd
# an ordinary comment
SELECT * WHERE { ?thing ?p ?o FILTER(?o > ?since) } LIMIT 3
# ?n
"""


def test_a_full_header() -> None:
    query = parse_query_text(GOOD, name="demo")
    assert query.description == "Eerste regel en tweede regel."
    assert query.tags == ("a", "b c")
    assert [(p.name, p.type, p.default, p.optional, p.line) for p in query.params] == [
        ("thing", "iri", "maatregel/x", False, 6),
        ("since", "date", None, True, 7),
        ("n", "integer", "3", False, 8),
    ]
    assert (query.severity, query.rule) == ("hoog", "instrument-verwijderd")


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("SELECT * WHERE { ?s ?p ?o }", 1, "missing '#+ summary:'"),
        ("#+ summary: x\n#+ author: me\nSELECT * {}", 2, "unknown header key 'author'"),
        ("#+ summary: x\n#+summary y\nSELECT * {}", 2, "malformed header line"),
        ("#+ summary: x\n#+ summary: y\nSELECT * {}", 2, "duplicate header key 'summary'"),
        ("#+ summary:\nSELECT * {}", 1, "has no value"),
        ("#+ summary: x\n#+   more\nSELECT * {}", 2, "continues nothing"),
        ("#+ summary: x\n#+ tags: a,,b\nSELECT * {}", 2, "empty tag"),
        ("#+ summary: x\n#+ severity: extreem\nSELECT * {}", 2, "severity 'extreem'"),
        ("#+ summary: x\n#+ rule: Geen Slug\nSELECT * {}", 2, "not a slug"),
        ("#+ summary: x\n#+ params:\nSELECT * {}", 2, "no entries"),
        ("#+ summary: x\n#+ params: a\nSELECT ?a {}", 2, "malformed parameter"),
        ("#+ summary: x\n#+ params: a (url)\nSELECT ?a {}", 2, "unknown type 'url'"),
        ("#+ summary: x\n#+ params: a (iri, required)\nSELECT ?a {}", 2, "unknown flag"),
        ("#+ summary: x\n#+ params: a (iri, optional) = b/c\nSELECT ?a {}", 2, "contradict"),
        ("#+ summary: x\n#+ params: a (iri)\nSELECT ?b {}", 2, "no variable ?a"),
        ("#+ summary: x\n#+ params: d (date) = 2025-02-30\nSELECT ?d {}", 2, "not a date"),
        ("#+ summary: x\n#+ params: a (iri) = a b\nSELECT ?a {}", 2, "not an IRI"),
        (
            "#+ summary: x\n#+ params:\n#+   - a (iri)\n#+   - a (string)\nSELECT ?a {}",
            4,
            "declared twice",
        ),
        ("#+ summary: x\nSELECT * {}\n#+ tags: late", 3, "after the query has started"),
        ("#+ summary: x\n", 1, "no query"),
    ],
)
def test_malformed_headers_are_errors_with_file_and_line(
    text: str, line: int, message: str
) -> None:
    with pytest.raises(QueryError, match=re.escape(message)) as caught:
        parse_query_text(text, name="broken")
    assert caught.value.file == "broken.rq"
    assert caught.value.line == line


def test_a_malformed_file_is_named_relative_to_the_project(tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text("#+ summmary: typo\nSELECT * {}\n", encoding="utf-8")
    with pytest.raises(QueryError) as caught:
        parse_query(path)
    assert str(caught.value).startswith(f"{path}:1: unknown header key 'summmary'")


@pytest.mark.parametrize(
    "value, iri",
    [
        (
            "maatregel/verbod-op-voorrang-statushouders",
            "https://w3id.org/asielketen/id/maatregel/verbod-op-voorrang-statushouders",
        ),
        (
            "maatregel:verbod-op-voorrang-statushouders",
            "https://w3id.org/asielketen/id/maatregel/verbod-op-voorrang-statushouders",
        ),
        ("ak:Measure", "https://w3id.org/asielketen/def#Measure"),
        ("https://example.org/x?y=1#z", "https://example.org/x?y=1#z"),
        ("urn:isbn:123", "urn:isbn:123"),
    ],
)
def test_iri_forms(value: str, iri: str) -> None:
    assert expand_iri(value) == iri


@pytest.mark.parametrize(
    "value",
    [
        '"} ; DROP ALL ; #',
        "<x> } UNION { ?s ?p ?o",
        "https://example.org/a b",
        "https://example.org/{x}",
        "https://example.org/x>",
        'https://example.org/"',
        "https://example.org/a|b",
        "https://example.org/a^b",
        "https://example.org/a`b",
        "https://example.org/a\\b",
        "https://example.org/a\nb",
        "geen-iri",
        "",
    ],
)
def test_bad_iris_are_rejected(value: str) -> None:
    query = find_query("timeline")
    with pytest.raises(QueryError, match="is not an IRI") as caught:
        query.bindings({"entity": value})
    assert caught.value.file == "queries/reports/timeline.rq"
    assert caught.value.line == query.param("entity").line


@pytest.mark.parametrize(
    "kind, raw, term",
    [
        ("string", '"} ; DROP ALL ; #', ox.Literal('"} ; DROP ALL ; #')),
        (
            "date",
            "2025-02-17",
            ox.Literal(
                "2025-02-17", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
            ),
        ),
        (
            "integer",
            "+12",
            ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ),
        (
            "boolean",
            "TRUE",
            ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
        ),
    ],
)
def test_typed_parameters(kind: str, raw: str, term: ox.Literal) -> None:
    query = parse_query_text(f"#+ summary: x\n#+ params: v ({kind})\nSELECT ?v {{}}", name="t")
    assert query.bindings({"v": raw})["v"] == term


@pytest.mark.parametrize(
    "kind, raw",
    [("date", "17-02-2025"), ("date", "2025-2-17"), ("integer", "1.5"), ("boolean", "ja")],
)
def test_bad_typed_values(kind: str, raw: str) -> None:
    query = parse_query_text(f"#+ summary: x\n#+ params: v ({kind})\nSELECT ?v {{}}", name="t")
    with pytest.raises(QueryError, match="parameter v"):
        query.bindings({"v": raw})


def test_unknown_and_missing_parameters() -> None:
    query = parse_query_text("#+ summary: x\n#+ params: v (iri)\nSELECT ?v {}", name="t")
    with pytest.raises(QueryError, match="is required; give it with --param v=VALUE"):
        query.bindings()
    with pytest.raises(QueryError, match="unknown parameter 'w'"):
        query.bindings({"v": "a/b", "w": "x"})


def test_injection_through_a_string_parameter_is_just_a_literal(example: Engine) -> None:
    assert isinstance(example, EmbeddedEngine) and example.store is not None
    before = len(example.store)
    query = parse_query_text(
        "#+ summary: Dingen met dit label.\n#+ params: text (string)\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?s WHERE { ?s rdfs:label ?label FILTER(STR(?label) = ?text) }",
        name="label",
    )
    for hostile in (
        '"} ; DROP ALL ; #',
        "<x> } UNION { ?s ?p ?o",
        'x" ) } DELETE WHERE { ?s ?p ?o',
    ):
        assert run_query(example, query, {"text": hostile}) == []
    assert len(example.store) == before
    # The same query finds a real label, so the empty answers above are not vacuous.
    assert run_query(example, query, {"text": "Vereniging van Nederlandse Gemeenten"})


def test_a_bound_iri_selects_that_entity(example: Engine) -> None:
    rows = run_query(example, find_query("entity-sources"), {"entity": "organisatie:vng"})
    assert rows and {r["entity"].value for r in rows} == {expand_iri("organisatie:vng")}
    every = run_query(example, find_query("entity-sources"))
    assert len(every) > len(rows)


def test_unknown_and_ambiguous_names(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="unknown query 'nope'"):
        find_query("nope")
    for folder in ("reports", "contradictions"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.rq").write_text("#+ summary: x\nSELECT * {}\n")
    with pytest.raises(QueryError, match="ambiguous; use one of contradictions/same, reports/same"):
        find_query("same", tmp_path)
    assert find_query("reports/same", tmp_path).category == "reports"


ROWS: list[dict[str, Any]] = [
    {
        "x": ox.NamedNode("https://w3id.org/asielketen/id/groep/gemeenten"),
        "n": ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        "t": ox.Literal('a | b, "c"', language="nl"),
    },
    {"x": ox.BlankNode("b0")},
]


def test_output_formats() -> None:
    variables = ["x", "n", "t"]
    table = format_rows(ROWS, variables, "table").splitlines()
    assert table[0].split() == ["x", "n", "t"] and table[2].startswith("groep:gemeenten")
    md = format_rows(ROWS, variables, "md").splitlines()
    assert md[2] == '| groep:gemeenten | 3 | a \\| b, "c" |'
    assert json.loads(format_rows(ROWS, variables, "json")) == [
        {"x": "https://w3id.org/asielketen/id/groep/gemeenten", "n": 3, "t": 'a | b, "c"'},
        {"x": "_:b0", "n": None, "t": None},
    ]
    rows = list(csv.reader(io.StringIO(format_rows(ROWS, variables, "csv"))))
    assert rows == [
        ["x", "n", "t"],
        ["https://w3id.org/asielketen/id/groep/gemeenten", "3", 'a | b, "c"'],
        ["_:b0", "", ""],
    ]


def test_kg_queries_lists_the_catalogue() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["queries"])
    assert result.exit_code == 0
    for query in catalogue():
        assert query.name in result.output
    data = json.loads(runner.invoke(main, ["queries", "--format", "json"]).output)
    timeline = next(q for q in data if q["name"] == "timeline")
    assert timeline["params"] == [
        {"name": "entity", "type": "iri", "default": None, "optional": True}
    ]
    reports = runner.invoke(main, ["queries", "--category", "reports", "--format", "md"])
    assert "| timeline | reports |" in reports.output and "instrument-removed" not in reports.output


def test_kg_query_runs_a_report_with_parameters() -> None:
    result = CliRunner().invoke(
        main,
        [
            "query",
            "timeline",
            "--data",
            str(RULES / "as-of"),
            "--param",
            "entity=maatregel:verbod",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["date"], r["subject"]) for r in rows] == [
        ("2025-02-17", expand_iri("wetsvoorstel:verbodswet"))
    ]


def test_kg_query_runs_a_users_own_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text(
        "#+ summary: Labels.\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?label WHERE { ?s a <https://w3id.org/asielketen/def#Task> ; rdfs:label ?label }\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main,
        [
            "query",
            str(path),
            "--data",
            str(RULES / "obligation-without-means-fires"),
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(result.stdout.splitlines()[1:]) == ["exploiteren van opvang", "huisvestingstaak"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--param", 'entity="} ; DROP ALL ; #'], "queries/reports/timeline.rq:"),
        (["--param", "entity=<x> } UNION { ?s ?p ?o"], "is not an IRI"),
        (["--param", "thing=x"], "unknown parameter 'thing'"),
    ],
)
def test_kg_query_rejects_bad_parameters_with_exit_2(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["query", "timeline", "--data", str(RULES / "as-of"), *args])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_kg_query_without_equals_sign_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["query", "timeline", "--param", "entity"])
    assert result.exit_code == 2
    assert "NAME=VALUE" in result.output


def test_a_syntax_error_names_the_query_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("#+ summary: x\nSELECT * WHERE { ?s ?p }\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(path), "--data", str(RULES / "as-of")])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {path}:") and "SPARQL syntax error" in result.output


def test_query_objects_compare_by_content() -> None:
    assert isinstance(find_query("timeline"), Query)
    assert find_query("timeline") == find_query("reports/timeline")


def test_reports_have_no_duplicate_rows_when_graphs_repeat_statements(tmp_path: Path) -> None:
    """Regression: oxigraph's union default graph returns a triple once per graph."""
    (tmp_path / "graphs").mkdir()
    text = (RULES / "as-of" / "graphs" / "case.trig").read_text(encoding="utf-8")
    (tmp_path / "graphs" / "case.trig").write_text(text, encoding="utf-8")
    (tmp_path / "graphs" / "kopie.trig").write_text(
        text.replace("GRAPH graaf:case {", "GRAPH graaf:kopie {"), encoding="utf-8"
    )
    engine = open_engine(data_dir=tmp_path, cache=False)
    for query in catalogue():
        if query.category == "checks" or any(p.required for p in query.params):
            continue
        rows = run_query(engine, query)
        keys = [tuple(sorted((k, str(v)) for k, v in row.items())) for row in rows]
        assert len(keys) == len(set(keys)), query.name


def test_unordered_query_output_does_not_depend_on_engine_row_order(tmp_path: Path) -> None:
    """Regression: reports without ORDER BY (quotes) printed rows in the engine's order,
    so `kg query quotes` differed between the embedded store and `--endpoint`."""
    path = tmp_path / "unordered.rq"
    path.write_text(
        "#+ summary: Drie waarden zonder volgorde.\n"
        'SELECT ?x WHERE { VALUES ?x { "b" "c" "a" } }\n',
        encoding="utf-8",
    )
    args = ["query", str(path), "--data", str(RULES / "as-of"), "--format", "csv"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["x", "a", "b", "c"]
