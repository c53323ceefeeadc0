"""The reference graph only says what the checked list says, and letter and record meet.

``graaf:referentie`` may cite nothing but the places ``identifiers.md`` names in its
"checked at" column, in its own words: no registry URL built from a pattern, except the two
patterns the list documents (``https://wetten.overheid.nl/BWBR...`` and the TOOI URIs).
Where a letter and the record disagree (the Raad van State advice, the novelle), the
source-disagreement report shows both dates.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.namespaces import BASE
from kg.paths import DATA_DIR, PROJECT_ROOT, QUERIES_DIR
from kg.queries import parse_query, run_query
from kg.store import EmbeddedEngine, build_in_memory

REFERENTIE = f"{BASE}id/graaf/referentie"
PAPER = f"{BASE}id/graaf/vng-position-paper-asielwetten-2025"
VOORRANG = f"{BASE}id/graaf/vng-ledenbrief-voorrang-doorstroom-2025-02"
CHECKED_LIST = Path(__file__).parent / "data" / "reference-checked" / "identifiers.md"
SHARED_LIST = PROJECT_ROOT.parent / "shared" / "reference" / "identifiers.md"
DOCUMENTED_PATTERNS = (
    re.compile(r"https://wetten\.overheid\.nl/BWBR\d{7}"),
    re.compile(r"https://identifier\.overheid\.nl/tooi/id/(ministerie|gemeente|zbo|orgaan)/\w+"),
)
DCTERMS_SOURCE = "http://purl.org/dc/terms/source"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def engine() -> EmbeddedEngine:
    return build_in_memory(DATA_DIR)


def test_the_fixture_is_the_shared_checked_list() -> None:
    if not SHARED_LIST.is_file():
        pytest.skip(f"{SHARED_LIST} is not next to this checkout")
    assert CHECKED_LIST.read_text(encoding="utf-8") == SHARED_LIST.read_text(encoding="utf-8")


def test_links_outside_the_project_follow_a_documented_pattern(engine: EmbeddedEngine) -> None:
    rows = engine.select(
        f"SELECT DISTINCT ?iri WHERE {{ GRAPH <{REFERENTIE}> {{ "
        f"{{ ?iri ?p ?o }} UNION {{ ?s ?p ?iri FILTER(?p != <{RDF_TYPE}>) }} }} "
        f"FILTER(isIRI(?iri) && !STRSTARTS(STR(?iri), '{BASE}')) }}"
    )
    links = sorted(row["iri"].value for row in rows)
    assert links, "the reference graph links the BWB and TOOI identifiers"
    built = [link for link in links if not any(p.fullmatch(link) for p in DOCUMENTED_PATTERNS)]
    assert built == [], (
        "cite where identifiers.md says it was checked (a document labelled with its "
        "'checked at' text), not a URL built from a pattern"
    )


def test_every_checked_place_is_named_as_identifiers_md_names_it(
    engine: EmbeddedEngine,
) -> None:
    checked_list = CHECKED_LIST.read_text(encoding="utf-8")
    rows = engine.select(
        f"SELECT DISTINCT ?place ?label WHERE {{ GRAPH <{REFERENTIE}> {{ "
        f"?s <{DCTERMS_SOURCE}> ?place FILTER(?s != <{REFERENTIE}>) "
        f"FILTER(STRSTARTS(STR(?place), '{BASE}id/document/')) "
        "?place <http://www.w3.org/2000/01/rdf-schema#label> ?label } }"
    )
    places = {row["place"].value: row["label"].value for row in rows}
    assert len(places) >= 12
    not_literal = {p: label for p, label in places.items() if label not in checked_list}
    assert not_literal == {}


def test_every_identifier_and_record_event_cites_a_checked_place(
    engine: EmbeddedEngine,
) -> None:
    rows = engine.select(
        "PREFIX ak: <https://w3id.org/asielketen/def#> "
        f"SELECT DISTINCT ?s WHERE {{ GRAPH <{REFERENTIE}> {{ "
        "{ ?s ak:kamerstuk|ak:bwbId|ak:confirmed ?x } UNION { ?s a ak:LifecycleEvent } "
        f"FILTER NOT EXISTS {{ ?s <{DCTERMS_SOURCE}> ?place }} }} }}"
    )
    assert [row["s"].value for row in rows] == []


def _disagreement_report() -> Path:
    reports = sorted((QUERIES_DIR / "reports").glob("*disagree*.rq"))
    assert reports, "queries/reports has a report of where sources disagree"
    return reports[0]


@pytest.mark.parametrize(
    ("subject", "event", "letter_graph", "letter_date", "record_date"),
    [
        (
            "wetsvoorstel/asielnoodmaatregelenwet",
            "advies-raad-van-state",
            VOORRANG,
            "2025-02-10",
            "2025-02-05",
        ),
        (
            "wetsvoorstel/novelle-amendement-vondeling",
            "aangekondigd",
            PAPER,
            "2025-09",
            "2025-10-14",
        ),
        ("amendement/vondeling", "correctie", PAPER, "2025-09", "2025-10-14"),
    ],
)
def test_the_report_shows_letter_and_record_side_by_side(
    engine: EmbeddedEngine,
    subject: str,
    event: str,
    letter_graph: str,
    letter_date: str,
    record_date: str,
) -> None:
    rows = run_query(engine, parse_query(_disagreement_report()))
    found = set()
    for row in rows:
        if row["subject"].value != f"{BASE}id/{subject}":
            continue
        by_graph = {
            row["graph1"].value: row["value1"].value,
            row["graph2"].value: row["value2"].value,
        }
        found.add((row["property"].value.rsplit("/", 1)[1], tuple(sorted(by_graph.items()))))
    expected = (event, tuple(sorted({letter_graph: letter_date, REFERENTIE: record_date}.items())))
    assert expected in found
