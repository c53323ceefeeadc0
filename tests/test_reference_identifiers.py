"""The reference graph ``graaf:referentie`` (``data/reference/identifiers.trig``).

Pins what the reference graph must keep: the official identifiers and dates confirmed in
the project's checked list (Kamerstuk dossiers, BWB ids, TOOI URIs, record dates), each
with where it was checked; nothing the list marks "not confirmed" asserted as a fact; and,
where a letter and the record disagree (the novelle, the Raad van State advice), both dates
present side by side so a report can show the difference.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from kg.paths import DATA_DIR

REFERENCE = DATA_DIR / "reference" / "identifiers.trig"
PAPER = DATA_DIR / "graphs" / "vng-position-paper-asielwetten-2025.trig"
GRAPH = "https://w3id.org/asielketen/id/graaf/referentie"
ID = "https://w3id.org/asielketen/id/"
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
PREFIXES = "\n".join(
    re.sub(r"^@prefix (.*) \.$", r"PREFIX \1", line)
    for line in (DATA_DIR / "PREFIXES.ttl").read_text(encoding="utf-8").splitlines()
    if line.startswith("@prefix")
)

# The confirmed rows of the checked list (../shared/reference/identifiers.md).
DOSSIERS = {
    "wetsvoorstel/asielnoodmaatregelenwet": "36704",
    "wetsvoorstel/wet-invoering-tweestatusstelsel": "36703",
    "wetsvoorstel/wet-versterking-regie-volkshuisvesting": "36512",
    "wet/spreidingswet": "36333",
    "wetsvoorstel/uitvoeringswet-asiel-en-migratiepact": "36871",
    "wetsvoorstel/wet-nieuwe-regels-huisvesting-vergunninghouders": "36831",
    "wetsvoorstel/novelle-amendement-vondeling": "36855",
    "wet/tijdelijke-wet-opvang-ontheemden-oekraine": "36394",
}
BWB = {
    "wet/vreemdelingenwet-2000": "BWBR0011823",
    "wet/huisvestingswet-2014": "BWBR0035303",
    "wet/wet-inburgering-2021": "BWBR0044770",
    "wet/participatiewet": "BWBR0015703",
    "wet/wet-coa": "BWBR0006685",
    "regeling/rva-2005": "BWBR0017959",
}
TOOI = {
    "organisatie/ministerie-asiel-en-migratie": "mnre1162",
    "organisatie/ministerie-vro": "mnre1171",
    "organisatie/ministerie-bzk": "mnre1034",
    "organisatie/ministerie-jenv": "mnre1058",
}
EVENTS = {
    ("wet/spreidingswet", "inwerkingtreding"): "2024-02-01",
    ("wetsvoorstel/asielnoodmaatregelenwet", "advies-raad-van-state"): "2025-02-05",
    ("wetsvoorstel/asielnoodmaatregelenwet", "aangenomen-tweede-kamer"): "2025-07-03",
    ("wetsvoorstel/wet-invoering-tweestatusstelsel", "aangenomen-tweede-kamer"): "2025-07-03",
    ("amendement/vondeling", "amendement-aangenomen"): "2025-07-01",
    ("amendement/mooiman", "amendement-aangenomen"): "2025-07-01",
    ("wetsvoorstel/novelle-amendement-vondeling", "advies-raad-van-state"): "2025-10-30",
    ("wetsvoorstel/novelle-amendement-vondeling", "aangekondigd"): "2025-10-14",
    ("amendement/vondeling", "correctie"): "2025-10-14",
    ("wetsvoorstel/uitvoeringswet-asiel-en-migratiepact", "advies-raad-van-state"): "2025-10-22",
    ("wet/tijdelijke-wet-opvang-ontheemden-oekraine", "aangenomen-tweede-kamer"): "2024-03-12",
    ("wet/tijdelijke-wet-opvang-ontheemden-oekraine", "aangenomen-eerste-kamer"): "2024-06-18",
    ("eu/richtlijn-tijdelijke-bescherming", "afloop"): "2027-03-04",
}


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=REFERENCE, format=ox.RdfFormat.TRIG)
    return store


def _rows(store: ox.Store, where: str) -> list[ox.QuerySolution]:
    solutions = store.query(f"{PREFIXES} SELECT * WHERE {{ GRAPH <{GRAPH}> {{ {where} }} }}")
    assert isinstance(solutions, ox.QuerySolutions)
    return list(solutions)


def _local(term: ox.NamedNode) -> str:
    return term.value.removeprefix(ID)


def test_everything_is_in_the_reference_graph(store: ox.Store) -> None:
    assert {g.value for g in store.named_graphs()} == {GRAPH}


def test_the_graph_says_where_it_comes_from(store: ox.Store) -> None:
    rows = _rows(
        store,
        "graaf:referentie a prov:Entity ; prov:wasDerivedFrom ?from ; dcterms:source ?source .",
    )
    sources = {r["source"].value for r in rows}
    assert len(sources) >= 10
    assert "https://wetten.overheid.nl/BWBR0035303" in sources


def test_confirmed_dossier_numbers(store: ox.Store) -> None:
    rows = _rows(
        store,
        "?s ak:kamerstuk ?n . FILTER(STRSTARTS(STR(?s), STR(wet:)) || "
        "STRSTARTS(STR(?s), STR(wetsvoorstel:)))",
    )
    assert {_local(r["s"]): r["n"].value for r in rows} == DOSSIERS


def test_confirmed_bwb_ids_link_to_wetten_overheid(store: ox.Store) -> None:
    rows = _rows(store, "?s ak:bwbId ?id ; rdfs:seeAlso ?link .")
    assert {_local(r["s"]): r["id"].value for r in rows} == BWB
    assert all(r["link"].value == f"https://wetten.overheid.nl/{r['id'].value}" for r in rows)


def test_ministries_match_tooi_without_owl_same_as(store: ox.Store) -> None:
    rows = _rows(store, "?s skos:exactMatch ?tooi .")
    assert {_local(r["s"]): r["tooi"].value.rsplit("/", 1)[1] for r in rows} == TOOI
    assert not store.query(
        f"ASK {{ GRAPH <{GRAPH}> {{ ?s <http://www.w3.org/2002/07/owl#sameAs> ?o }} }}"
    )


def test_record_dates_at_day_precision(store: ox.Store) -> None:
    rows = _rows(
        store, "?e a ak:LifecycleEvent ; ak:eventOf ?of ; ak:eventType ?type ; ak:date ?d ."
    )
    found = {(_local(r["of"]), r["type"].value.rsplit("/", 1)[1]): r["d"] for r in rows}
    assert found == {key: ox.Literal(day, datatype=XSD_DATE) for key, day in EVENTS.items()}
    names = {r["e"].value for r in rows}
    assert all(name.endswith("-register") for name in names)


def test_every_identifier_and_event_has_provenance_and_a_check_note(store: ox.Store) -> None:
    subjects = _rows(
        store, "{ ?s ak:kamerstuk|ak:bwbId|skos:exactMatch ?x } UNION { ?s a ak:LifecycleEvent }"
    )
    assert len({r["s"] for r in subjects}) >= len(DOSSIERS) + len(BWB) + len(TOOI)
    bad = _rows(
        store,
        "{ ?s ak:kamerstuk|ak:bwbId|skos:exactMatch ?x } UNION { ?s a ak:LifecycleEvent } "
        "FILTER(NOT EXISTS { ?s ak:confirmed true } "
        "|| NOT EXISTS { ?s dcterms:source|prov:wasDerivedFrom ?source } "
        "|| NOT EXISTS { ?s ak:note ?note FILTER(CONTAINS(?note, 'checked at')) })",
    )
    assert [r["s"].value for r in bad] == []


@pytest.mark.parametrize(
    ("subject", "forbidden"),
    [
        ("amendement:vondeling", "ak:kamerstuk"),
        ("amendement:mooiman", "ak:kamerstuk"),
        ("wet:spreidingswet", "ak:bwbId"),
    ],
)
def test_unconfirmed_identifiers_are_only_notes(
    store: ox.Store, subject: str, forbidden: str
) -> None:
    assert _rows(store, f"{subject} {forbidden} ?x .") == []
    notes = [r["note"].value for r in _rows(store, f"{subject} ak:note ?note .")]
    assert any("not confirmed" in note for note in notes)


def test_no_withdrawal_bill_for_the_spreidingswet(store: ox.Store) -> None:
    rows = _rows(store, "?bill ak:repeals|ak:abolishes wet:spreidingswet .")
    assert rows == []
    notes = [r["n"].value for r in _rows(store, "maatregel:intrekking-spreidingswet ak:note ?n .")]
    assert any("not confirmed" in n and "36800" in n for n in notes)


def test_letter_and_record_dates_of_the_novelle_stand_side_by_side(store: ox.Store) -> None:
    both = ox.Store()
    both.bulk_load(path=REFERENCE, format=ox.RdfFormat.TRIG)
    both.bulk_load(path=PAPER, format=ox.RdfFormat.TRIG)
    solutions = both.query(
        f"{PREFIXES} SELECT ?g ?d WHERE {{ GRAPH ?g {{ ?e ak:eventOf amendement:vondeling ; "
        "ak:eventType soort:correctie ; ak:date ?d } }"
    )
    assert isinstance(solutions, ox.QuerySolutions)
    dates = {row["g"].value.rsplit("/", 1)[1]: row["d"].value for row in solutions}
    assert dates == {"referentie": "2025-10-14", "vng-position-paper-asielwetten-2025": "2025-09"}
