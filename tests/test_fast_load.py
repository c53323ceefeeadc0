"""The in-memory loader's fast path: pyoxigraph's bulk loader after a scan of the literals.

:func:`kg.store.build_in_memory` hands a file to pyoxigraph's bulk loader only when
:func:`kg.dataset.typed_literals_well_formed` finds its typed literals well formed;
otherwise :func:`kg.dataset.parse_file` checks every literal. The scan may be cautious
(say no to a good file) but must never say yes to a file with an ill-typed literal,
however the literal is spelled.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.dataset import input_files, literal_problem, parse_file, typed_literals_well_formed
from kg.errors import InputError
from kg.paths import DATA_DIR
from kg.store import build_in_memory

XSD = "http://www.w3.org/2001/XMLSchema#"
GRAPH = "https://w3id.org/asielketen/id/graaf/proef"


def data_folder(tmp_path: Path, body: str, name: str = "proef.trig") -> Path:
    """A data folder with one graph file holding ``body``."""
    (tmp_path / "graphs").mkdir(parents=True, exist_ok=True)
    (tmp_path / "graphs" / name).write_text(body, encoding="utf-8")
    return tmp_path


def in_graph(triples: str, prologue: str = "") -> str:
    return f"{prologue}\n<{GRAPH}> {{\n{triples}\n}}\n"


# The same ill-typed date (or number), spelled every way Turtle and TriG allow.
ILL_TYPED = {
    "xsd prefix": in_graph(
        '<http://e/a> <http://e/d> "2025-13-45"^^xsd:date .', f"@prefix xsd: <{XSD}> ."
    ),
    "other prefix name": in_graph(
        '<http://e/a> <http://e/d> "2025-13-45"^^x:date .', f"@prefix x: <{XSD}> ."
    ),
    "SPARQL-style PREFIX": in_graph(
        '<http://e/a> <http://e/d> "2025-13-45"^^x:date .', f"PREFIX x: <{XSD}>"
    ),
    "full IRI": in_graph(f'<http://e/a> <http://e/d> "2025-13-45"^^<{XSD}date> .'),
    "single quotes": in_graph(
        "<http://e/a> <http://e/d> '2025-13-45'^^xsd:date .", f"@prefix xsd: <{XSD}> ."
    ),
    "long string": in_graph(
        '<http://e/a> <http://e/d> """2025-13-45"""^^xsd:date .', f"@prefix xsd: <{XSD}> ."
    ),
    "escape in the value": in_graph(
        '<http://e/a> <http://e/d> "2025-13-4\\u0035"^^xsd:date .', f"@prefix xsd: <{XSD}> ."
    ),
    "relative datatype IRI under @base": in_graph(
        '<http://e/a> <http://e/d> "2025-13-45"^^<#date> .', f"@base <{XSD[:-1]}> ."
    ),
    "prefix declared again": (
        "@prefix x: <http://e/> .\n"
        f"<{GRAPH}> {{ x:a x:b x:c . }}\n"
        f"@prefix x: <{XSD}> .\n"
        f'<{GRAPH}> {{ <http://e/a> <http://e/d> "2025-13-45"^^x:date . }}\n'
    ),
    "a ^^ in a comment first": in_graph(
        '# see "x"^^y\n<http://e/a> <http://e/d> "2025-13-45"^^xsd:date .',
        f"@prefix xsd: <{XSD}> .",
    ),
    "not a number": in_graph(
        '<http://e/a> <http://e/n> "veel"^^xsd:integer .', f"@prefix xsd: <{XSD}> ."
    ),
    "in a blank node": in_graph(
        '<http://e/a> <http://e/e> [ <http://e/d> "2025-02-30"^^xsd:date ] .',
        f"@prefix xsd: <{XSD}> .",
    ),
}


@pytest.mark.parametrize("spelling", sorted(ILL_TYPED))
def test_an_ill_typed_literal_is_never_bulk_loaded(tmp_path: Path, spelling: str) -> None:
    folder = data_folder(tmp_path, ILL_TYPED[spelling])
    assert not typed_literals_well_formed(folder / "graphs" / "proef.trig")
    with pytest.raises(InputError) as err:
        build_in_memory(folder)
    assert err.value.file is not None and err.value.file.endswith("proef.trig")
    assert "ill-typed literal" in str(err.value) or "not a valid" in str(err.value)


def test_ill_typed_literal_in_n_quads(tmp_path: Path) -> None:
    path = tmp_path / "proef.nq"
    path.write_text(f'<http://e/a> <http://e/d> "2025-00-01"^^<{XSD}date> <{GRAPH}> .\n')
    assert not typed_literals_well_formed(path)
    with pytest.raises(InputError, match="ill-typed literal"):
        list(parse_file(path))


def test_a_syntax_error_after_good_literals_is_reported_with_its_line(tmp_path: Path) -> None:
    body = in_graph(
        '<http://e/a> <http://e/d> "2025-02-14"^^xsd:date .\n<http://e/a> <http://e/b> .',
        f"@prefix xsd: <{XSD}> .",
    )
    folder = data_folder(tmp_path, body)
    assert typed_literals_well_formed(folder / "graphs" / "proef.trig")
    with pytest.raises(InputError) as err:
        build_in_memory(folder)
    assert err.value.line == 4


def test_the_curated_files_take_the_bulk_path_and_load_the_same_quads() -> None:
    files = input_files(DATA_DIR)
    assert all(typed_literals_well_formed(item.path) for item in files)
    store = build_in_memory(DATA_DIR).store
    assert store is not None
    reference = ox.Store()
    for item in files:
        reference.bulk_extend(parse_file(item.path, item.graph))

    def named(quads: ox.Store) -> set[ox.Quad]:
        return {
            q for q in quads if not isinstance(q.subject, ox.BlankNode)
            and not isinstance(q.object, ox.BlankNode)
        }

    assert len(store) == len(reference)
    assert named(store) == named(reference)


SPELLINGS = (
    ("@prefix xsd: <{xsd}> .", "xsd:{name}"),
    ("PREFIX dt: <{xsd}>", "dt:{name}"),
    ("", "<{xsd}{name}>"),
)
CHECKED = ("date", "gYear", "gYearMonth", "integer", "decimal", "boolean", "nonNegativeInteger")


@settings(max_examples=80, deadline=None, database=None)
@given(
    value=st.one_of(
        st.from_regex(r"-?[0-9]{1,4}(-[0-9]{1,2}){0,2}", fullmatch=True),
        st.text(alphabet="0123456789-.:TZe+", max_size=12),
        st.sampled_from(["true", "false", "1", "0", "2024-02-29", "2023-02-29", "1.5", ""]),
    ),
    name=st.sampled_from(CHECKED),
    spelling=st.sampled_from(SPELLINGS),
)
def test_bulk_path_and_literal_check_agree(
    value: str, name: str, spelling: tuple[str, str]
) -> None:
    prologue, datatype = spelling
    body = in_graph(
        f'<http://e/a> <http://e/v> "{value}"^^{datatype.format(xsd=XSD, name=name)} .',
        prologue.format(xsd=XSD),
    )
    expected = literal_problem(ox.Literal(value, datatype=ox.NamedNode(XSD + name)))
    with tempfile.TemporaryDirectory() as tmp:
        folder = data_folder(Path(tmp), body)
        if expected is None:
            assert len(build_in_memory(folder).store or []) > 0
        else:
            assert not typed_literals_well_formed(folder / "graphs" / "proef.trig")
            with pytest.raises(InputError):
                build_in_memory(folder)
