"""data/sources/sources.ttl: the five source documents, described in graaf:bronnen.

Each source text in data/sources/ has one ak:SourceDocument with a Dutch title, the VNG as
publisher, its kind, its file name and a date at its real precision that is marked as
inferred (the texts carry no date of their own).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.paths import DATA_DIR

AK = "https://w3id.org/asielketen/def#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SOURCES = DATA_DIR / "sources"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=SOURCES / "sources.ttl", format=ox.RdfFormat.TURTLE)
    return store


def _documents(store: ox.Store) -> dict[str, dict[str, ox.Literal | ox.NamedNode]]:
    solutions = store.query(
        f"""PREFIX ak: <{AK}> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?doc ?title ?publisher ?kind ?file ?date ?inferred ?format WHERE {{
          ?doc a ak:SourceDocument ; dcterms:title ?title ; ak:publisher ?publisher ;
               ak:documentKind ?kind ; ak:file ?file ; ak:date ?date ;
               ak:dateInferred ?inferred ; dcterms:format ?format .
        }}"""
    )
    assert isinstance(solutions, ox.QuerySolutions)
    fields = ("doc", "title", "publisher", "kind", "date", "inferred", "format")
    return {row["file"].value: {f: row[f] for f in fields} for row in solutions}


def test_every_source_text_is_described_once(store: ox.Store) -> None:
    texts = {p.name for p in SOURCES.glob("*.txt")}
    documents = _documents(store)
    assert len(texts) == 5
    assert set(documents) == texts


def test_document_iri_is_named_after_the_file(store: ox.Store) -> None:
    for file, doc in _documents(store).items():
        assert doc["doc"] == ox.NamedNode(
            "https://w3id.org/asielketen/id/bron/" + file.removesuffix(".txt")
        )


def test_titles_are_dutch_and_the_vng_publishes(store: ox.Store) -> None:
    for doc in _documents(store).values():
        title = doc["title"]
        assert isinstance(title, ox.Literal) and title.language == "nl"
        assert doc["publisher"] == ox.NamedNode("https://w3id.org/asielketen/id/organisatie/vng")
        assert doc["format"] == ox.Literal("text/plain")


@pytest.mark.parametrize(
    "file, date, datatype, kind",
    [
        ("vng-ledenbrief-lrt-regeerprogramma-2024.txt", "2024-10", "gYearMonth", "ledenbrief"),
        ("vng-ledenbrief-voorrang-doorstroom-2025-02.txt", "2025-02", "gYearMonth", "ledenbrief"),
        ("vng-ledenbrief-asiel-oekraine-2025-07.txt", "2025-07", "gYearMonth", "ledenbrief"),
        ("vng-bijlage-uitvoering-onderbouwing-2025.txt", "2025", "gYear", "bijlage"),
        ("vng-position-paper-asielwetten-2025.txt", "2025", "gYear", "position paper"),
    ],
)
def test_dates_are_inferred_at_their_real_precision(
    store: ox.Store, file: str, date: str, datatype: str, kind: str
) -> None:
    doc = _documents(store)[file]
    assert doc["date"] == ox.Literal(date, datatype=ox.NamedNode(XSD + datatype))
    assert doc["inferred"] == ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
    assert doc["kind"] == ox.Literal(kind)
