"""The curated graphs of the two VNG documents of 2025 kept by curator C.

Pins what ``data/graphs/vng-bijlage-uitvoering-onderbouwing-2025.trig`` (the annex on the
stalled execution) and ``data/graphs/vng-position-paper-asielwetten-2025.trig`` (the position
paper on the asylum bills) must keep: each file holds its own named graph, every quote
anchors at exactly one place in its own text, every entity and claim is labelled and quoted,
claims are attributed, and the facts, claims, conflicts and dates the documents state are
there with the relations that the contradiction rules need.
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest

from kg.anchor import find_quote

from .curated_graphs import QUOTES, ask, load, select, source_text, unanchored

BIJLAGE = "vng-bijlage-uitvoering-onderbouwing-2025"
PAPER = "vng-position-paper-asielwetten-2025"
BASE = "https://w3id.org/asielketen/"
XSD_GYEARMONTH = "http://www.w3.org/2001/XMLSchema#gYearMonth"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
# Lower bounds the curation must keep (it may grow, not shrink).
MIN_QUOTES = {BIJLAGE: 100, PAPER: 150}
MIN_CLAIMS = {BIJLAGE: 25, PAPER: 35}


@pytest.fixture(scope="module")
def stores() -> dict[str, ox.Store]:
    return {name: load(name) for name in (BIJLAGE, PAPER)}


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {name: source_text(name) for name in (BIJLAGE, PAPER)}


# ---------------------------------------------------------------- both documents


@pytest.mark.parametrize("name", [BIJLAGE, PAPER])
def test_each_document_has_its_own_named_graph(stores: dict[str, ox.Store], name: str) -> None:
    graphs = {g.value for g in stores[name].named_graphs()}
    assert graphs == {f"{BASE}id/graaf/{name}"}


@pytest.mark.parametrize("name", [BIJLAGE, PAPER])
def test_every_quote_anchors_at_exactly_one_place_in_its_own_text(
    stores: dict[str, ox.Store], texts: dict[str, str], name: str
) -> None:
    rows = select(stores[name], name, QUOTES)
    assert len(rows) >= MIN_QUOTES[name]
    wrong_document = [r["exact"] for r in rows if r["doc"] != ox.NamedNode(f"{BASE}id/bron/{name}")]
    assert wrong_document == []
    assert unanchored(texts[name], rows) == []


@pytest.mark.parametrize("name", [BIJLAGE, PAPER])
def test_quotes_stay_short(stores: dict[str, ox.Store], name: str) -> None:
    rows = select(stores[name], name, "?q a ak:Quote ; oa:exact ?exact .")
    too_long = [r["exact"].value for r in rows if len(r["exact"].value.split()) > 30]
    assert too_long == []


@pytest.mark.parametrize("name", [BIJLAGE, PAPER])
def test_every_entity_has_one_dutch_label_and_a_quote(
    stores: dict[str, ox.Store], name: str
) -> None:
    rows = select(
        stores[name],
        name,
        "?s a ?type . FILTER(?type != ak:Quote) "
        "OPTIONAL { SELECT ?s (COUNT(DISTINCT ?label) AS ?labels) "
        "  WHERE { ?s rdfs:label ?label FILTER(LANG(?label) = 'nl') } GROUP BY ?s } "
        "OPTIONAL { SELECT ?s (COUNT(?q) AS ?quotes) WHERE { ?s ak:hasQuote ?q } GROUP BY ?s }",
    )
    assert rows
    bad = [
        r["s"].value
        for r in rows
        if r["labels"] is None or int(r["labels"].value) != 1 or r["quotes"] is None
    ]
    assert bad == []


@pytest.mark.parametrize("name", [BIJLAGE, PAPER])
def test_every_iri_the_graph_points_to_is_described_in_it(
    stores: dict[str, ox.Store], name: str
) -> None:
    # Value lists (begrip/) and source documents (bron/) live in other graphs.
    rows = select(
        stores[name],
        name,
        "?s ?p ?o . FILTER(isIRI(?o) && STRSTARTS(STR(?o), 'https://w3id.org/asielketen/id/')) "
        "FILTER(!CONTAINS(STR(?o), '/id/begrip/') && !CONTAINS(STR(?o), '/id/bron/')) "
        "FILTER NOT EXISTS { ?o a ?type }",
    )
    assert [r["o"].value for r in rows] == []


@pytest.mark.parametrize("name", [BIJLAGE, PAPER])
def test_claims_are_attributed_and_about_something(stores: dict[str, ox.Store], name: str) -> None:
    claims = select(
        stores[name],
        name,
        "VALUES ?type { ak:Claim ak:Objection ak:ExpectedEffect ak:ConflictStatement "
        "ak:Request ak:Resolution } ?c a ?type .",
    )
    assert len(claims) >= MIN_CLAIMS[name]
    unattributed = select(
        stores[name],
        name,
        "VALUES ?type { ak:Claim ak:Objection ak:ExpectedEffect ak:ConflictStatement "
        "ak:Request ak:Resolution } ?c a ?type . "
        "FILTER NOT EXISTS { ?c ak:raisedBy ?actor } ",
    )
    aboutless = select(
        stores[name],
        name,
        "VALUES ?type { ak:Claim ak:Objection ak:ExpectedEffect ak:ConflictStatement "
        "ak:Request ak:Resolution } ?c a ?type . "
        "FILTER NOT EXISTS { ?c ak:concerns|ak:effectOf|ak:conflictBetween ?x }",
    )
    assert unattributed == []
    assert aboutless == []


# ---------------------------------------------------------------- the annex (bijlage)


def test_bijlage_quotes_markdown_placeholders_verbatim(
    stores: dict[str, ox.Store], texts: dict[str, str]
) -> None:
    rows = select(stores[BIJLAGE], BIJLAGE, "?q oa:exact ?exact FILTER(CONTAINS(?exact, '](#)'))")
    assert rows, "the annex's link placeholders are quoted as they stand"
    assert all(r["exact"].value in texts[BIJLAGE] for r in rows)


@pytest.mark.parametrize(
    ("a", "b", "pivot", "kind"),
    [
        (
            "maatregel:verbod-op-voorrang-statushouders",
            "maatregel:eenmalige-bijdrage-huisvesting-statushouders",
            "doel:sneller-huisvesten-statushouders",
            "prikkel-tegen-verbod",
        ),
        # The sides are what conflicts (the repeal and the task the cabinet calls for), not
        # the cabinet's request, which is a claim (conflict_side_is_claim_violation.rq).
        (
            "maatregel:intrekking-spreidingswet",
            "taak:opvang-asielzoekers-spreidingswet",
            "wet:spreidingswet",
            "taak-zonder-middelen",
        ),
        (
            "maatregel:bezuinigingen-asielopvang",
            "taak:opvang-asielzoekers-spreidingswet",
            "factor:opvangbehoefte",
            "capaciteit",
        ),
    ],
)
def test_bijlage_states_the_vng_conflicts(
    stores: dict[str, ox.Store], a: str, b: str, pivot: str, kind: str
) -> None:
    assert ask(
        stores[BIJLAGE],
        BIJLAGE,
        f"?c a ak:ConflictStatement ; ak:raisedBy organisatie:vng ; ak:conflictBetween {a} , {b} ; "
        f"ak:conflictPivot {pivot} ; ak:conflictType tegenstrijdigheid:{kind} .",
    )


def test_bijlage_facts_and_attributed_claims(stores: dict[str, ox.Store]) -> None:
    store = stores[BIJLAGE]
    facts = [
        (
            "maatregel:verbod-op-voorrang-statushouders",
            "ak:prohibits",
            "instrument:voorrang-huisvesting-statushouders",
        ),
        ("maatregel:intrekking-spreidingswet", "ak:repeals", "wet:spreidingswet"),
        (
            "maatregel:beeindiging-lvv",
            "ak:abolishes",
            "instrument:landelijke-vreemdelingenvoorziening",
        ),
        ("wet:spreidingswet", "ak:imposesTask", "taak:opvang-asielzoekers-spreidingswet"),
        ("maatregel:bezuinigingen-asielopvang", "ak:laidDownIn", "document:rijksbegroting"),
        (
            "maatregel:doorbetaling-lvv-op-last-van-rechter",
            "ak:funds",
            "instrument:landelijke-vreemdelingenvoorziening",
        ),
    ]
    missing = [fact for fact in facts if not ask(store, BIJLAGE, " ".join(fact))]
    assert missing == []
    # The Raad van State's verdict is its own claim, the uitvoeringsscan's finding the VNG's.
    assert ask(
        store,
        BIJLAGE,
        "?c a ak:Objection ; ak:raisedBy organisatie:raad-van-state ; "
        "ak:concerns maatregel:verbod-op-voorrang-statushouders .",
    )
    assert ask(
        store,
        BIJLAGE,
        "?c a ak:ExpectedEffect ; ak:raisedBy organisatie:vng ; "
        "ak:effectOf maatregel:beeindiging-lvv ; "
        "ak:increases factor:ongedocumenteerden-op-straat .",
    )


def test_bijlage_dates_keep_their_precision(stores: dict[str, ox.Store]) -> None:
    rows = select(
        stores[BIJLAGE],
        BIJLAGE,
        "claim:gemeente-best-vraagt-steun-minister-faber ak:date ?d ; ak:dateInferred ?inferred .",
    )
    assert len(rows) == 1
    assert rows[0]["d"] == ox.Literal("2025-04", datatype=ox.NamedNode(XSD_GYEARMONTH))
    assert rows[0]["inferred"].value == "true"
    manifest = select(
        stores[BIJLAGE],
        BIJLAGE,
        "document:vng-manifest-schaduwzijde-van-hoop-lef-en-trots ak:date ?d ; "
        "ak:author organisatie:vng .",
    )
    assert [r["d"].value for r in manifest] == ["2025-03"]


# ---------------------------------------------------------------- the position paper


def test_paper_quotes_across_line_end_hyphens(
    stores: dict[str, ox.Store], texts: dict[str, str]
) -> None:
    joined = ["verantwoordelijkheid", "totstandkoming"]
    for word in joined:
        assert word not in texts[PAPER], "the text splits the word at a line end"
        rows = select(
            stores[PAPER], PAPER, f"?q oa:exact ?exact FILTER(CONTAINS(?exact, '{word}'))"
        )
        assert rows, word
        for row in rows:
            assert find_quote(texts[PAPER], row["exact"].value) is not None


def test_paper_cabinet_acknowledges_workload(stores: dict[str, ox.Store]) -> None:
    rows = select(
        stores[PAPER],
        PAPER,
        "?c a ak:ExpectedEffect ; ak:raisedBy organisatie:kabinet ; "
        "ak:effectOf wetsvoorstel:asielnoodmaatregelenwet ; ak:increasesDemandOn ?actor .",
    )
    assert {r["actor"].value for r in rows} == {
        f"{BASE}id/organisatie/ind",
        f"{BASE}id/organisatie/rechterlijke-macht",
    }


def test_paper_permit_shortened_from_five_to_three_years(stores: dict[str, ox.Store]) -> None:
    rows = select(
        stores[PAPER],
        PAPER,
        "?d a ak:Duration ; ak:months ?months ; "
        "ak:durationOf instrument:verblijfsvergunning-asiel . "
        "OPTIONAL { ?m ak:setsDuration ?d }",
    )
    months = {Decimal(r["months"].value): r["m"] for r in rows}
    assert set(months) == {Decimal(36), Decimal(60)}
    assert months[Decimal(36)] == ox.NamedNode(f"{BASE}id/maatregel/verkorting-verblijfsvergunning")
    assert months[Decimal(60)] is None


def test_paper_vondeling_amendment_and_its_correction(stores: dict[str, ox.Store]) -> None:
    store = stores[PAPER]
    assert ask(
        store,
        PAPER,
        "amendement:vondeling ak:kamerstuk '36 704, nr. 44' ; "
        "ak:amends wetsvoorstel:asielnoodmaatregelenwet .",
    )
    assert ask(
        store,
        PAPER,
        "wetsvoorstel:novelle-amendement-vondeling a ak:Novelle ; ak:amends amendement:vondeling ; "
        "ak:resolves ?objection . ?objection a ak:Objection ; ak:raisedBy organisatie:vng ; "
        "ak:concerns amendement:vondeling ; ak:affects groep:hulpverleners-ongedocumenteerden .",
    )
    events = select(store, PAPER, "?e ak:eventOf ?of ; ak:eventType ?type ; ak:date ?d .")
    found = {
        (r["of"].value.rsplit("/", 1)[1], r["type"].value.rsplit("/", 1)[1], r["d"]) for r in events
    }
    september = ox.Literal("2025-09", datatype=ox.NamedNode(XSD_GYEARMONTH))
    assert ("vondeling", "correctie", september) in found
    assert ("novelle-amendement-vondeling", "aangekondigd", september) in found


def test_paper_letter_to_schoof(stores: dict[str, ox.Store]) -> None:
    rows = select(
        stores[PAPER],
        PAPER,
        "document:vng-brief-schoof-2025-09-22 ak:date ?d ; ak:addressedTo persoon:schoof ; "
        "ak:author organisatie:vng . functie:minister-president ak:heldBy persoon:schoof .",
    )
    assert [r["d"] for r in rows] == [ox.Literal("2025-09-22", datatype=ox.NamedNode(XSD_DATE))]


@pytest.mark.parametrize(
    "where",
    [
        # Family 1/3: a task relies on what a measure removes.
        "taak:voorkomen-ongedocumenteerden-tussen-wal-en-schip "
        "ak:dependsOn instrument:landelijke-vreemdelingenvoorziening ; "
        "ak:responsibleActor groep:gemeenten . "
        "maatregel:beeindiging-lvv ak:abolishes instrument:landelijke-vreemdelingenvoorziening .",
        "taak:opvang-asielzoekers-spreidingswet ak:dependsOn wet:spreidingswet . "
        "maatregel:intrekking-spreidingswet ak:repeals wet:spreidingswet .",
        # Family 2: what a measure prohibits.
        "maatregel:verbod-op-voorrang-statushouders "
        "ak:prohibits instrument:voorrang-huisvesting-statushouders . "
        "maatregel:afschaffing-taakstelling ak:abolishes taak:huisvestingstaakstelling .",
        # Family 4: the bills' goal against the VNG's expected effect of the same bills.
        "wetsvoorstel:asielnoodmaatregelenwet ak:hasGoal ?goal . "
        "?goal ak:decreases factor:druk-op-asielketen . "
        "?e a ak:ExpectedEffect ; ak:raisedBy organisatie:vng ; "
        "ak:effectOf wetsvoorstel:asielnoodmaatregelenwet ; "
        "ak:increases factor:druk-op-asielketen .",
        "?e a ak:ExpectedEffect ; ak:effectOf maatregel:strenger-afwijzen-en-intrekken ; "
        "ak:worksAgainst doel:voorkomen-ongedocumenteerden-op-straat . "
        "taak:terugkeer-afgewezen-asielzoekers "
        "ak:hasGoal doel:voorkomen-ongedocumenteerden-op-straat .",
        # Family 7 (asserted): the shorter permit against the integration trajectories.
        "?c a ak:ConflictStatement ; ak:conflictBetween maatregel:verkorting-verblijfsvergunning , "
        "wet:wet-inburgering-2021 ; ak:conflictType tegenstrijdigheid:duur .",
        "?c a ak:ConflictStatement ; ak:conflictBetween maatregel:inkomensvereiste-nareis , "
        "wet:wet-inburgering-2021 ; ak:conflictType tegenstrijdigheid:taak-zonder-middelen .",
    ],
)
def test_paper_relations_the_rules_need(stores: dict[str, ox.Store], where: str) -> None:
    assert ask(stores[PAPER], PAPER, where)
