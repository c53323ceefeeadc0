"""Exports: every format parses back isomorphic, in rdflib and in pyoxigraph.

The expected graph is what :func:`kg.dataset.load_dataset` reads from the data folder
(parsed independently of the export code); formats that keep named graphs are compared
graph by graph, Turtle and RDF/XML against the union.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from kg import publish
from kg.cli import main
from kg.dataset import load_dataset
from kg.namespaces import BASE, ONTOLOGY_GRAPH
from kg.publish import FORMATS, collect_quads, export, rebase, serialize
from kg.terms import to_oxigraph, to_rdflib

TESTS = Path(__file__).resolve().parent
PUBLISH = TESTS / "data" / "publish"
EXAMPLE = TESTS / "data" / "example"

RDFLIB_FORMAT = {
    "trig": "trig",
    "nquads": "nquads",
    "turtle": "turtle",
    "jsonld": "json-ld",
    "rdfxml": "xml",
}
OX_FORMAT = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}

HOSTILE_TRIG = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ak: <https://w3id.org/asielketen/def#> .
@prefix graaf: <https://w3id.org/asielketen/id/graaf/> .
@prefix wet: <https://w3id.org/asielketen/id/wet/> .

GRAPH graaf:vreemd {
  wet:x a ak:Law ;
      rdfs:label "</script><script>alert('x')</script> & \\"quotes\\" <b>"@nl ,
          "two\\nlines\\ttab \\u00e9\\u20ac \\U0001F600"@en-GB ;
      rdfs:comment \"\"\"multi
line with ]]> and --> and {"@id": "x"}\"\"\" ;
      ak:value "7.0"^^xsd:decimal , "007"^^xsd:integer , "1e3"^^xsd:double ;
      ak:date "2025-02"^^xsd:gYearMonth , "0001-01-01"^^xsd:date ,
          "2025-02-17T10:00:00Z"^^xsd:dateTime ;
      ak:note "odd datatype"^^<urn:example:type> ;
      rdfs:seeAlso <urn:isbn:9789012345678> , <https://example.org/a%20b?c=d#e> ;
      ak:hasQuote [ ak:note "nested" ; ak:hasQuote [ ak:note "deeper" ] ] .
  _:c1 ak:partOf _:c2 .
  _:c2 ak:partOf _:c1 .
  _:shared ak:note "used twice" .
  wet:x ak:affects _:shared .
  wet:y ak:affects _:shared .
}
"""


def expected_dataset(data: Path, with_ontology: bool = True) -> rdflib.Dataset:
    return load_dataset(data, with_ontology=with_ontology)


def named_graphs(ds: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    return {str(g.identifier): g for g in ds.graphs() if len(g) and not _is_default(g)}


def _is_default(graph: rdflib.Graph) -> bool:
    return str(graph.identifier) == str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID)


def _term(node: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    # rdflib's stubs type graph terms as Node; the ones a graph holds are Identifiers.
    assert isinstance(node, rdflib.term.Identifier), node
    return to_oxigraph(node)


def canonical(ds: rdflib.Dataset, *, union: bool = False) -> set[str]:
    """The dataset's quads with RDFC-1.0 blank node labels (isomorphic datasets: equal sets).

    With ``union``, all triples go into one graph (what Turtle and RDF/XML can hold).
    """
    quads = []
    for graph in ds.graphs():
        name = ox.DefaultGraph() if union or _is_default(graph) else _term(graph.identifier)
        assert not isinstance(name, ox.Literal), name
        for s, p, o in graph:
            subject, predicate = _term(s), _term(p)
            assert isinstance(subject, (ox.NamedNode, ox.BlankNode)), subject
            assert isinstance(predicate, ox.NamedNode), predicate
            quads.append(ox.Quad(subject, predicate, _term(o), name))
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def assert_same_data(expected: rdflib.Dataset, actual: rdflib.Dataset, fmt: str) -> None:
    """Isomorphic as datasets (graph names kept) or, for union formats, as graphs."""
    union = not FORMATS[fmt].keeps_graphs
    want, got = canonical(expected, union=union), canonical(actual, union=union)
    if want == got:
        return
    lines = [f"{fmt}: not isomorphic ({len(want)} expected, {len(got)} read back)"]
    lines += [f"  missing: {q}" for q in sorted(want - got)[:10]]
    lines += [f"  extra:   {q}" for q in sorted(got - want)[:10]]
    raise AssertionError("\n".join(lines))


def oxigraph_dataset(data: bytes, fmt: str) -> rdflib.Dataset:
    """Parse with pyoxigraph (the second engine) and hand the quads to rdflib to compare."""
    ds = rdflib.Dataset()
    for quad in ox.parse(data, OX_FORMAT[fmt]):
        graph = None if isinstance(quad.graph_name, ox.DefaultGraph) else to_rdflib(quad.graph_name)
        ds.graph(graph).add(
            (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
        )
    return ds


def rdflib_dataset(data: bytes, fmt: str) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    ds.parse(data=data, format=RDFLIB_FORMAT[fmt])
    return ds


@pytest.mark.parametrize("data", [PUBLISH, EXAMPLE], ids=["publish", "example"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_export_round_trips_in_rdflib_and_pyoxigraph(data: Path, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"out.{FORMATS[fmt].extension}"
    result = export(data, fmt, out, catalog=False)
    written = out.read_bytes()
    expected = expected_dataset(data)
    assert result.statements == sum(len(g) for g in named_graphs(expected).values())
    assert_same_data(expected, rdflib_dataset(written, fmt), fmt)
    assert_same_data(expected, oxigraph_dataset(written, fmt), fmt)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_awkward_literals_and_blank_nodes_round_trip(fmt: str, example_copy: Path) -> None:
    (example_copy / "graphs" / "vreemd.trig").write_text(HOSTILE_TRIG, encoding="utf-8")
    quads = collect_quads(example_copy, with_ontology=False)
    written = serialize(quads, FORMATS[fmt])
    expected = expected_dataset(example_copy, with_ontology=False)
    assert_same_data(expected, rdflib_dataset(written, fmt), fmt)
    assert_same_data(expected, oxigraph_dataset(written, fmt), fmt)


def test_union_formats_carry_a_note(tmp_path: Path) -> None:
    runner = CliRunner()
    for fmt in ("turtle", "rdfxml"):
        out = tmp_path / f"x.{FORMATS[fmt].extension}"
        result = runner.invoke(
            main, ["export", "--data", str(PUBLISH), "--format", fmt, "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert "note: " in result.stderr and "TriG or N-Quads" in result.stderr
        head = out.read_text(encoding="utf-8")[:400]
        assert "union of 5 named graphs" in head


def test_jsonld_has_a_graph_per_named_graph_and_a_context_file(tmp_path: Path) -> None:
    out = tmp_path / "x.jsonld"
    result = export(PUBLISH, "jsonld", out, validate=False)
    document = json.loads(out.read_text(encoding="utf-8"))
    expected = named_graphs(expected_dataset(PUBLISH))
    assert result.context == tmp_path / "context.jsonld"
    assert sorted(item["@id"] for item in document["@graph"]) == sorted(
        "graaf:" + name.rsplit("/", 1)[1] if "/id/graaf/" in name else name for name in expected
    )
    assert all("@graph" in item for item in document["@graph"])
    # The context file is enough to read the document: swap it in for the inline one.
    context = json.loads(result.context.read_text(encoding="utf-8"))
    document["@context"] = context["@context"]
    reread = rdflib.Dataset()
    reread.parse(data=json.dumps(document), format="json-ld")
    assert_same_data(expected_dataset(PUBLISH), reread, "jsonld")


def test_out_dash_writes_to_stdout_and_the_catalog_to_the_build_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_BUILD_DIR", str(tmp_path / "build"))
    result = CliRunner().invoke(
        main, ["export", "--data", str(PUBLISH), "--format", "nquads", "--out", "-"]
    )
    assert result.exit_code == 0, result.stderr
    assert_same_data(
        expected_dataset(PUBLISH), rdflib_dataset(result.stdout_bytes, "nquads"), "nquads"
    )
    assert (tmp_path / "build" / "export" / "catalog.ttl").is_file()
    assert "wrote stdout" in result.stderr


def test_default_output_goes_under_the_build_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_BUILD_DIR", str(tmp_path / "build"))
    result = CliRunner().invoke(main, ["export", "--data", str(PUBLISH)])
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / "build" / "export"
    assert sorted(p.name for p in folder.iterdir()) == ["asielketen-kg.trig", "catalog.ttl"]


def test_export_is_deterministic(example_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each parse gives blank nodes new random labels; the hostile graph adds a symmetric
    # blank node cycle that only the RDFC-1.0 tie-break can order.
    (example_copy / "graphs" / "vreemd.trig").write_text(HOSTILE_TRIG, encoding="utf-8")
    calls: list[int] = []
    rdfc = publish._rdfc_labels

    def counting(quads: set[ox.Quad]) -> dict[str, str]:
        calls.append(len(quads))
        return rdfc(quads)

    monkeypatch.setattr(publish, "_rdfc_labels", counting)
    for fmt in FORMATS:
        first = serialize(collect_quads(example_copy), FORMATS[fmt])
        second = serialize(collect_quads(example_copy), FORMATS[fmt])
        assert first == second, fmt
    assert calls, "the symmetric cycle should need the RDFC-1.0 tie-break"


def test_base_rewrites_resources_but_not_the_vocabulary(tmp_path: Path) -> None:
    new_base = "https://data.example.org/asiel/"
    out = tmp_path / "x.nq"
    export(PUBLISH, "nquads", out, base=new_base, catalog=False)
    quads = list(ox.parse(out.read_bytes(), ox.RdfFormat.N_QUADS))
    iris = {
        t.value
        for q in quads
        for t in (q.subject, q.predicate, q.object, q.graph_name)
        if isinstance(t, ox.NamedNode)
    }
    assert not any(iri.startswith(BASE + "id/") for iri in iris)
    assert new_base + "id/wet/huisvestingswet-2014" in iris
    assert new_base + "id/graaf/demo-voorrang" in iris
    assert BASE + "def#Law" in iris
    assert str(ONTOLOGY_GRAPH) in iris
    # Same statements, only renamed: rebasing the original gives the export.
    original = collect_quads(PUBLISH)
    assert len(quads) == len(original)
    expected = oxigraph_dataset(serialize(rebase(original, new_base), FORMATS["nquads"]), "nquads")
    assert_same_data(expected, oxigraph_dataset(out.read_bytes(), "nquads"), "nquads")


@pytest.mark.parametrize("bad", ["data.example.org", "ftp://x.org/", "https://x.org/a b/"])
def test_bad_base_is_a_one_line_usage_error(bad: str) -> None:
    result = CliRunner().invoke(
        main, ["export", "--data", str(PUBLISH), "--base", bad, "--out", "-"]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --base must be")
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_format_is_refused() -> None:
    result = CliRunner().invoke(main, ["export", "--format", "csv"])
    assert result.exit_code == 2
    assert "csv" in result.stderr


def test_syntax_error_in_data_names_the_file(example_copy: Path) -> None:
    (example_copy / "graphs" / "kapot.trig").write_text("GRAPH <x> { <a> <b> ", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "--data", str(example_copy), "--out", "-"])
    assert result.exit_code == 2
    assert "kapot.trig:1" in result.stderr


def test_export_without_ontology_leaves_out_its_graph(tmp_path: Path) -> None:
    out = tmp_path / "x.trig"
    result = export(PUBLISH, "trig", out, with_ontology=False, catalog=False)
    graphs = named_graphs(rdflib_dataset(out.read_bytes(), "trig"))
    assert str(ONTOLOGY_GRAPH) not in graphs
    assert result.graphs == len(graphs) == 4


def test_site_and_out_together_are_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["export", "--site", str(tmp_path / "s"), "--out", str(tmp_path / "x.trig")]
    )
    assert result.exit_code == 2
    assert "--out or --site" in result.stderr


def test_data_folder_is_read_not_written(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(PUBLISH, data)
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    export(data, "trig", tmp_path / "x.trig")
    after = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    assert before == after


def test_format_all_writes_every_format_and_one_catalogue(tmp_path: Path) -> None:
    out = tmp_path / "export"
    result = CliRunner().invoke(
        main, ["export", "--data", str(PUBLISH), "--format", "all", "--out", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [f.file_name for f in FORMATS.values()] + ["catalog.ttl", "context.jsonld"]
    )
    assert result.stderr.count("0 violations") == 1
    expected = expected_dataset(PUBLISH)
    for key, fmt in FORMATS.items():
        assert_same_data(expected, rdflib_dataset((out / fmt.file_name).read_bytes(), key), key)
    refused = CliRunner().invoke(main, ["export", "--format", "all", "--out", "-"])
    assert refused.exit_code == 2 and "must be a folder" in refused.stderr


@pytest.mark.skipif(
    not Path("/proc/self").is_dir(), reason="uses /proc as a folder nobody can write"
)
def test_unwritable_out_is_a_one_line_error() -> None:
    result = CliRunner().invoke(
        main, ["export", "--data", str(PUBLISH), "--out", "/proc/kg/x.trig"]
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: /proc/kg/x.trig: cannot write")


@pytest.mark.parametrize("existing", [False, True], ids=["new-folder-slash", "existing-folder"])
@pytest.mark.parametrize("fmt", ["trig", "jsonld"])
def test_out_folder_gets_the_canonical_file_name(tmp_path: Path, existing: bool, fmt: str) -> None:
    # Regression: --out newdir/ wrote a file named newdir, and an existing folder was refused.
    folder = tmp_path / "newdir"
    if existing:
        folder.mkdir()
    out = str(folder) + ("" if existing else "/")
    result = CliRunner().invoke(
        main, ["export", "--data", str(PUBLISH), "--format", fmt, "--out", out, "--no-validate"]
    )
    assert result.exit_code == 0, result.stderr
    assert folder.is_dir()
    written = folder / FORMATS[fmt].file_name
    assert f"wrote {written}:" in result.stderr
    assert_same_data(expected_dataset(PUBLISH), rdflib_dataset(written.read_bytes(), fmt), fmt)
    assert (folder / "catalog.ttl").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["newdir"]


def test_out_an_existing_file_path_with_a_slash_is_an_error(tmp_path: Path) -> None:
    # A path ending in / names a folder; a file of that name is not one.
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["export", "--data", str(PUBLISH), "--out", str(tmp_path / "taken") + "/"]
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "not a folder" in lines[0]
    assert (tmp_path / "taken").read_text(encoding="utf-8") == "x"
