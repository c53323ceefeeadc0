"""Loading a data folder: which files, which named graphs, and parse errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from kg.dataset import data_files, load, load_dataset, parse_file
from kg.errors import InputError
from kg.namespaces import BRONNEN_GRAPH, GRAAF, ONTOLOGY_GRAPH, REFERENTIE_GRAPH

from .conftest import EXAMPLE


def test_data_files_in_load_order_and_nothing_else(tmp_path: Path) -> None:
    for name in ("sources/sources.ttl", "sources/a.txt", "graphs/b.trig", "graphs/a.trig",
                 "graphs/notes.md", "reference/identifiers.trig", "PREFIXES.ttl"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in data_files(tmp_path)] == [
        "sources/sources.ttl", "graphs/a.trig", "graphs/b.trig", "reference/identifiers.trig"
    ]


def test_missing_data_folder_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="data folder not found"):
        data_files(tmp_path / "nope")


def test_each_file_lands_in_its_named_graph() -> None:
    loaded = load(EXAMPLE)
    graphs = {str(g.identifier): len(g) for g in loaded.dataset.graphs() if len(g)}
    assert set(graphs) == {
        str(ONTOLOGY_GRAPH), str(BRONNEN_GRAPH), str(REFERENTIE_GRAPH), str(GRAAF.example)
    }
    assert [p.name for p in loaded.origins[str(GRAAF.example)]] == ["example.trig"]
    # The default graph is the union, so a plain triple pattern sees every graph.
    union = loaded.dataset.query(
        "ASK { ?d a <https://w3id.org/asielketen/def#SourceDocument> . "
        "?c a <http://www.w3.org/2002/07/owl#Class> }"
    )
    assert union.askAnswer


def test_default_graph_triples_of_a_graph_file_go_to_its_graph(tmp_path: Path) -> None:
    (tmp_path / "graphs").mkdir()
    (tmp_path / "graphs" / "brief.trig").write_text(
        "<http://e/a> <http://e/p> _:x .\n"
        "<https://w3id.org/asielketen/id/graaf/brief> { <http://e/b> <http://e/p> _:x . }\n",
        encoding="utf-8",
    )
    (tmp_path / "graphs" / "ander.trig").write_text(
        "<http://e/c> <http://e/p> _:x .\n", encoding="utf-8"
    )
    dataset = load_dataset(tmp_path, with_ontology=False)
    brief = dataset.graph(rdflib.URIRef(GRAAF.brief))
    assert len(brief) == 2
    ander = dataset.graph(rdflib.URIRef(GRAAF.ander))
    # _:x is one node within a file and another node in another file.
    assert set(brief.objects()) & set(ander.objects()) == set()
    assert len(set(brief.objects())) == 1


def test_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(
        '<http://e/a> <http://e/p> "x" .\n<http://e/a> <http://e/p> "y" <http://e/z> .\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        list(parse_file(path))
    assert (err.value.file, err.value.line) == (str(path), 2)
    assert err.value.column is not None
    assert "RDF syntax error" in err.value.message and "kg check" in err.value.message
