"""``data/REGISTER.md`` says what the data says.

Every row names an IRI that the data has, with its one label, a type it has, altLabels it
has and, in the "in" column, exactly the source graphs that describe it. Every IRI that two
or more source graphs describe has a row, so the next curator finds it before minting a
second IRI for the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
import pytest

from kg.namespaces import BASE
from kg.paths import DATA_DIR
from kg.store import EmbeddedEngine, build_in_memory

AK = f"{BASE}def#"
GRAAF = f"{BASE}id/graaf/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
NUMBERS = {
    "vng-ledenbrief-lrt-regeerprogramma-2024": 1,
    "vng-ledenbrief-voorrang-doorstroom-2025-02": 2,
    "vng-ledenbrief-asiel-oekraine-2025-07": 3,
    "vng-bijlage-uitvoering-onderbouwing-2025": 4,
    "vng-position-paper-asielwetten-2025": 5,
}
PREFIXES = dict(
    re.findall(r"@prefix (\w+): <([^>]+)>", (DATA_DIR / "PREFIXES.ttl").read_text("utf-8"))
)


@dataclass(frozen=True)
class Row:
    """One row of the register table."""

    iri: str
    types: frozenset[str]
    label: str
    alt_labels: frozenset[str]
    sources: frozenset[int]


def parse_in(column: str) -> frozenset[int]:
    """Read the "in" column: ``1-5``, ``2,4`` or ``3``.

    >>> sorted(parse_in("1-3,5"))
    [1, 2, 3, 5]
    """
    numbers: set[int] = set()
    for part in column.split(","):
        first, _, last = part.strip().partition("-")
        numbers.update(range(int(first), int(last or first) + 1))
    return frozenset(numbers)


def register_rows() -> list[Row]:
    """The rows of the main table of data/REGISTER.md (not the retired IRIs)."""
    text = (DATA_DIR / "REGISTER.md").read_text(encoding="utf-8").split("## Retired IRIs")[0]
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or not re.fullmatch(r"[a-z]+:[\w-]+", cells[0]):
            continue
        prefix, local = cells[0].split(":", 1)
        rows.append(
            Row(
                iri=PREFIXES[prefix] + local,
                types=frozenset(re.findall(r"[A-Z]\w+", cells[1])),
                label=cells[2],
                alt_labels=frozenset(a.strip() for a in cells[3].split(",") if a.strip()),
                sources=parse_in(cells[4]),
            )
        )
    return rows


@pytest.fixture(scope="module")
def engine() -> EmbeddedEngine:
    return build_in_memory(DATA_DIR)


@pytest.fixture(scope="module")
def described(engine: EmbeddedEngine) -> dict[str, frozenset[int]]:
    """IRI to the numbers of the source graphs that type and quote it."""
    found: dict[str, set[int]] = {}
    for row in engine.select(
        f"PREFIX ak: <{AK}> SELECT DISTINCT ?s ?g WHERE {{ "
        f"GRAPH ?g {{ ?s a ?t ; ak:hasQuote ?q }} FILTER(STRSTARTS(STR(?g), '{GRAAF}')) }}"
    ):
        name = row["g"].value.removeprefix(GRAAF)
        if name in NUMBERS:
            found.setdefault(row["s"].value, set()).add(NUMBERS[name])
    return {iri: frozenset(nums) for iri, nums in found.items()}


def test_the_register_has_rows() -> None:
    rows = register_rows()
    assert len(rows) >= 113
    assert len({r.iri for r in rows}) == len(rows), "an IRI has two rows"


def _values(engine: EmbeddedEngine, iri: str, predicate: str) -> set[str]:
    rows = engine.select(
        f"SELECT DISTINCT ?o WHERE {{ GRAPH ?g {{ ?s <{predicate}> ?o }} }}",
        bindings={"s": ox.NamedNode(iri)},
    )
    return {row["o"].value for row in rows}


@pytest.mark.parametrize("row", register_rows(), ids=lambda r: r.iri.split("/id/")[1])
def test_a_register_row_matches_the_data(
    engine: EmbeddedEngine, described: dict[str, frozenset[int]], row: Row
) -> None:
    assert _values(engine, row.iri, RDFS_LABEL) == {row.label}
    types = {t.removeprefix(AK) for t in _values(engine, row.iri, RDF_TYPE)}
    assert row.types <= types
    assert row.alt_labels <= _values(engine, row.iri, SKOS_ALT_LABEL)
    assert described.get(row.iri, frozenset()) == row.sources, (
        "the 'in' column lists exactly the source graphs that describe the IRI"
    )


def test_iris_that_two_sources_describe_are_registered(
    described: dict[str, frozenset[int]],
) -> None:
    registered = {r.iri for r in register_rows()}
    missing = sorted(
        iri.removeprefix(f"{BASE}id/")
        for iri, sources in described.items()
        if len(sources) >= 2 and iri not in registered and "/bron/" not in iri
    )
    assert missing == [], "add a row to data/REGISTER.md for each"
