"""The curated graph of the VNG member letter of July 2025 (asylum and Ukraine).

Pins what ``data/graphs/vng-ledenbrief-asiel-oekraine-2025-07.trig`` must keep: every quote
anchors in the letter at exactly one place, every entity and claim is labelled and quoted,
claims are attributed, and the facts, claims, figures and dates the letter states are there
with the relations that the contradiction rules need.
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest

from .curated_graphs import ID, QUOTES, ask, lexical, load, select, source_text, unanchored

NAME = "vng-ledenbrief-asiel-oekraine-2025-07"
GRAPH = f"{ID}graaf/{NAME}"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return load(NAME)


@pytest.fixture(scope="module")
def text() -> str:
    return source_text(NAME)


def test_the_letter_has_its_own_named_graph(store: ox.Store) -> None:
    graphs = {g.value for g in store.named_graphs()}
    assert graphs == {GRAPH}


def test_every_quote_anchors_at_exactly_one_place(store: ox.Store, text: str) -> None:
    rows = select(store, NAME, QUOTES)
    assert len(rows) >= 200
    for row in rows:
        assert row["doc"] == ox.NamedNode(f"{ID}bron/{NAME}")
    assert unanchored(text, rows) == []


def test_every_entity_has_one_dutch_label_and_a_quote(store: ox.Store) -> None:
    unlabelled = select(
        store,
        NAME,
        "?e a ?class . FILTER(?class != ak:Quote) "
        'FILTER NOT EXISTS { ?e rdfs:label ?l . FILTER(LANG(?l) = "nl") }',
    )
    unquoted = select(
        store,
        NAME,
        "?e a ?class . FILTER(?class != ak:Quote) FILTER NOT EXISTS { ?e ak:hasQuote ?q }",
    )
    two_labels = select(store, NAME, "?e rdfs:label ?a , ?b . FILTER(STR(?a) < STR(?b))")
    assert (unlabelled, unquoted, two_labels) == ([], [], [])


@pytest.mark.parametrize(
    "claim_class, at_least",
    [("Resolution", 3), ("Objection", 12), ("Request", 15), ("ExpectedEffect", 4)],
)
def test_claims_are_attributed(store: ox.Store, claim_class: str, at_least: int) -> None:
    claims = select(store, NAME, f"?c a ak:{claim_class} .")
    unattributed = select(
        store, NAME, f"?c a ak:{claim_class} . FILTER NOT EXISTS {{ ?c ak:raisedBy ?a }}"
    )
    assert len(claims) >= at_least
    assert unattributed == []


def test_the_three_resolutions_were_adopted_at_the_alv(store: ox.Store) -> None:
    rows = select(
        store,
        NAME,
        "?r a ak:Resolution ; ak:raisedBy organisatie:vng ; ak:raisedAt ?m . "
        "?m a ak:Meeting ; ak:meetingOf organisatie:vng .",
    )
    meetings = {r["m"].value.rsplit("/", 1)[-1] for r in rows}
    assert len(rows) == 3
    assert meetings == {"alv-vng-2024-06-26", "alv-vng-2024-11"}


@pytest.mark.parametrize(
    "pattern",
    [
        # amendments and what they lay down
        "amendement:vondeling ak:amends wetsvoorstel:asielnoodmaatregelenwet .",
        "maatregel:strafbaarstelling-illegaal-verblijf ak:laidDownIn amendement:vondeling .",
        "amendement:mooiman ak:amends wetsvoorstel:wet-versterking-regie-volkshuisvesting .",
        "maatregel:verbod-urgentieverklaring-statushouders ak:prohibits"
        " instrument:urgentieverklaring-statushouders .",
        # goals of the Asielnoodmaatregelenwet and of the package
        "wetsvoorstel:asielnoodmaatregelenwet ak:hasGoal ?g ."
        " ?g ak:decreases factor:druk-op-asielketen .",
        "programma:samenhangend-maatregelenpakket ak:hasGoal ?g ."
        " ?g ak:increases factor:uitstroom-uit-opvang .",
        "programma:samenhangend-maatregelenpakket ak:dependsOn"
        " maatregel:intrekking-spreidingswet , maatregel:verbod-op-voorrang-statushouders .",
        "maatregel:intrekking-spreidingswet ak:repeals wet:spreidingswet .",
        "wet:spreidingswet ak:imposesTask ?t . ?t ak:responsibleActor groep:gemeenten .",
        # the VNG's expected effects, attributed
        "?e a ak:ExpectedEffect ; ak:raisedBy organisatie:vng ;"
        " ak:effectOf maatregel:strafbaarstelling-illegaal-verblijf ;"
        " ak:increases factor:ongedocumenteerden-op-straat .",
        "?e a ak:ExpectedEffect ; ak:raisedBy organisatie:vng ;"
        " ak:effectOf maatregel:tijdelijke-nationale-verblijfsstatus-oekrainers ;"
        " ak:increasesDemandOn groep:gemeenten .",
        # objections on the package and the urgentieverklaring ban
        "?o a ak:Objection ; ak:raisedBy organisatie:vng ;"
        " ak:concerns programma:samenhangend-maatregelenpakket .",
        "?o a ak:Objection ; ak:raisedBy organisatie:vng ;"
        " ak:concerns maatregel:verbod-urgentieverklaring-statushouders ;"
        " ak:addressedTo organisatie:eerste-kamer .",
        # the missing dwangbevel that collecting the eigen bijdrage relies on
        "taak:innen-eigen-bijdrage-oekrainers ak:dependsOn ?i . ?i ak:status status:ontbreekt .",
        "maatregel:tijdelijke-nationale-verblijfsstatus-oekrainers ak:replaces"
        " eu:richtlijn-tijdelijke-bescherming .",
    ],
)
def test_relations_the_letter_states(store: ox.Store, pattern: str) -> None:
    assert ask(store, NAME, pattern), pattern


@pytest.mark.parametrize(
    "value, unit",
    [
        ("125000", "personen"),
        ("107000", "opvangplekken"),
        ("95500", "opvangplekken"),
        ("2000", "personen"),
        ("400", "personen per week"),
        ("115", "procent"),
    ],
)
def test_figures(store: ox.Store, value: str, unit: str) -> None:
    rows = select(store, NAME, "?f a ak:Figure ; ak:value ?v ; ak:unit ?u .")
    found = {(Decimal(r["v"].value), r["u"].value) for r in rows}
    assert (Decimal(value), unit) in found


@pytest.mark.parametrize(
    "event, date, datatype, inferred",
    [
        ("asielnoodmaatregelenwet-aangenomen-tweede-kamer", "2025-07-03", "date", True),
        ("asielnoodmaatregelenwet-behandeling-aangehouden", "2025-07", "gYearMonth", True),
        ("richtlijn-tijdelijke-bescherming-afloop", "2027-03-04", "date", False),
        ("bevriezingsmaatregel-derdelanders-afloop", "2025-09-04", "date", False),
        ("verhoging-eigen-bijdrage-oekrainers-inwerkingtreding", "2025-10-01", "date", False),
        ("samenhangend-maatregelenpakket-inwerkingtreding", "2027", "gYear", False),
    ],
)
def test_lifecycle_dates_at_their_precision(
    store: ox.Store, event: str, date: str, datatype: str, inferred: bool
) -> None:
    rows = select(
        store,
        NAME,
        f"gebeurtenis:{event} a ak:LifecycleEvent ; ak:date ?d ; ak:eventOf ?of ."
        f" OPTIONAL {{ gebeurtenis:{event} ak:dateInferred ?inferred }}",
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["d"] == ox.Literal(
        date, datatype=ox.NamedNode(f"http://www.w3.org/2001/XMLSchema#{datatype}")
    )
    assert (lexical(row["inferred"]) == "true") is inferred
