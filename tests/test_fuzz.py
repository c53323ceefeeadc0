"""Property-based tests: whatever a reviewer feeds the loader or a parameter, only clean errors.

Random bytes and mutated Turtle go through the same loading paths as ``kg build`` (the
pyoxigraph store) and ``kg check`` (the rdflib dataset); random text goes into every
parameter type and through both ways of binding (pyoxigraph substitutions and the
``VALUES`` block a remote endpoint gets). The only exception allowed out is a
:class:`~kg.errors.KgError` that names where the problem is.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.dataset import load
from kg.errors import InputError, KgError, QueryError
from kg.queries import PARAM_TYPES, catalogue, parse_query_text
from kg.store import EmbeddedEngine, bind_values, build_in_memory

from .conftest import EXAMPLE

EXAMPLE_TRIG = (EXAMPLE / "graphs" / "example.trig").read_text(encoding="utf-8")
FUZZ = settings(
    # KG_FUZZ_EXAMPLES raises the bound for a longer hunt; the suite keeps it small.
    max_examples=int(os.environ.get("KG_FUZZ_EXAMPLES", "60")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Pieces of Turtle/TriG syntax that, dropped anywhere, break or bend a file.
TOKENS = [
    ".",
    ";",
    ",",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    '"',
    "'",
    '"""',
    "<",
    ">",
    "#",
    "\\",
    "\n",
    "@prefix x: <http://e/> .",
    "@base <http://e/> .",
    "GRAPH",
    "a",
    "_:b0",
    "x:y",
    "<>",
    '"2025-13-45"^^xsd:date',
    '"x"^^xsd:integer',
    '"x"@nl-',
    "^^",
    "@",
    "true",
    "1e",
    "\x00",
    "\u2028",
    "\ufeff",
    "<javascript:alert(1)>",
    "<http://e/a b>",
]


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    """One data folder (sources.ttl and a graph file) rewritten by every example."""
    root = Path(tempfile.mkdtemp(prefix="kg-fuzz-"))
    (root / "graphs").mkdir()
    shutil.copytree(EXAMPLE / "sources", root / "sources")
    yield root
    shutil.rmtree(root, ignore_errors=True)


def load_everywhere(data: Path) -> None:
    """Load ``data`` the way ``kg build`` and ``kg check`` do; let only KgError out."""
    try:
        engine = build_in_memory(data)
        assert engine.store is not None
        quads = len(engine.store)
    except InputError as err:
        assert_located(err, data)
        with pytest.raises(InputError):
            load(data, with_ontology=False)
        return
    loaded = load(data, with_ontology=False)
    assert quads > 0 or not any(True for _ in loaded.dataset.quads())


def assert_located(err: KgError, data: Path) -> None:
    assert err.file is not None and Path(err.file).name in {
        p.name for p in data.rglob("*") if p.is_file()
    }, str(err)
    if err.line is not None:
        lines = Path(err.file).read_bytes().count(b"\n") + 1 if Path(err.file).exists() else 0
        assert 1 <= err.line <= max(lines, 1) + 1, (err.line, lines)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_are_a_clean_input_error_or_data(folder: Path, blob: bytes) -> None:
    (folder / "graphs" / "fuzz.trig").write_bytes(blob)
    load_everywhere(folder)


@st.composite
def mutated_trig(draw: st.DrawFn) -> str:
    text = EXAMPLE_TRIG
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "duplicate", "replace"]))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif kind == "duplicate":
            text = text[:at] + text[at : at + draw(st.integers(1, 80))] + text[at:]
        else:
            text = text[:at] + draw(st.characters()) + text[at + 1 :]
    return text


@FUZZ
@given(mutated_trig())
def test_mutated_trig_is_a_clean_input_error_or_data(folder: Path, text: str) -> None:
    (folder / "graphs" / "fuzz.trig").write_text(text, encoding="utf-8", errors="surrogatepass")
    load_everywhere(folder)


@FUZZ
@given(mutated_trig())
def test_mutated_sources_ttl_is_a_clean_input_error_or_data(folder: Path, text: str) -> None:
    # The graph file's text mutated into sources.ttl: Turtle, so GRAPH blocks are errors.
    (folder / "graphs" / "fuzz.trig").write_text("", encoding="utf-8")
    original = (EXAMPLE / "sources" / "sources.ttl").read_text(encoding="utf-8")
    try:
        (folder / "sources" / "sources.ttl").write_text(
            text, encoding="utf-8", errors="surrogatepass"
        )
        load_everywhere(folder)
    finally:
        (folder / "sources" / "sources.ttl").write_text(original, encoding="utf-8")


# --------------------------------------------------------------------------- parameters


@pytest.fixture(scope="module")
def engine() -> EmbeddedEngine:
    return build_in_memory(EXAMPLE)


def typed_query(kind: str) -> tuple[str, object]:
    text = (
        f"#+ summary: Alles met deze waarde.\n#+ params: value ({kind})\n"
        "SELECT ?s ?p WHERE { ?s ?p ?value }"
    )
    return text, parse_query_text(text, name=f"fuzz-{kind}")


PARAM_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            '"} ; DROP ALL ; #',
            "<x> } UNION { ?s ?p ?o",
            "x> } UNION { ?s ?p ?o } #",
            "javascript:alert(1)",
            "maatregel/x> . ?s ?p ?o . <y",
            "2025-13-45",
            "1 } UNION { ?s ?p ?o",
            "true) } UNION { (",
            '\\" } #',
            "\u0000",
        ]
    ),
    st.builds(
        lambda a, b: a + b, st.sampled_from(['"', "'", ">", "}", "\\"]), st.text(max_size=30)
    ),
)


@FUZZ
@given(kind=st.sampled_from(PARAM_TYPES), raw=PARAM_TEXT)
def test_random_parameter_text_is_bound_or_refused(
    engine: EmbeddedEngine, kind: str, raw: str
) -> None:
    text, query = typed_query(kind)
    try:
        bindings = query.bindings({"value": raw})  # type: ignore[attr-defined]
    except QueryError as err:
        assert err.file == f"fuzz-{kind}.rq" and "\n" not in err.message
        return
    term = bindings["value"]
    assert isinstance(term, ox.NamedNode | ox.Literal)
    if kind == "string":
        assert isinstance(term, ox.Literal) and term.value == raw
    assert engine.store is not None
    before = len(engine.store)
    direct = engine.select(text, bindings)
    # What a remote endpoint receives: the value rendered into a VALUES block. It must
    # parse and mean the same as the engine's own substitution.
    remote = engine.select(bind_values(text, bindings))
    assert sorted(str(r["s"]) + str(r["p"]) for r in direct) == sorted(
        str(r["s"]) + str(r["p"]) for r in remote
    )
    assert len(engine.store) == before


@FUZZ
@given(data=st.data())
def test_catalogue_parameters_take_any_text(engine: EmbeddedEngine, data: st.DataObject) -> None:
    queries = [q for q in catalogue() if q.params and q.category != "checks"]
    query = data.draw(st.sampled_from(queries), label="query")
    param = data.draw(st.sampled_from(query.params), label="param")
    raw = data.draw(PARAM_TEXT, label="value")
    try:
        bindings = query.bindings({param.name: raw})
    except QueryError as err:
        assert err.file is not None and query.name in err.file
        return
    assert engine.store is not None
    before = len(engine.store)
    engine.select(query.text, bindings)
    assert len(engine.store) == before
