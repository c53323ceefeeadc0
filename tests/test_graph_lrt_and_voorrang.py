"""The curated graphs of the VNG member letters of October 2024 and February 2025.

Pins what ``data/graphs/vng-ledenbrief-lrt-regeerprogramma-2024.trig`` (the LRT of
26 September 2024 and the regeerprogramma) and ``vng-ledenbrief-voorrang-doorstroom-2025-02.trig``
(the ban on priority housing, doorstroomlocaties and the one-off bonus) must keep: every quote
anchors in its letter at exactly one place, every entity and claim is labelled and quoted,
claims are attributed, the facts, figures and dates the letters state are there, and the
relations let the contradiction rules in queries/contradictions/ derive what the VNG asserts.
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest

from kg.paths import QUERIES_DIR

from .curated_graphs import ID, QUOTES, ask, lexical, load, select, source_text, unanchored

LRT = "vng-ledenbrief-lrt-regeerprogramma-2024"
VOORRANG = "vng-ledenbrief-voorrang-doorstroom-2025-02"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return load(LRT, VOORRANG)


def test_each_letter_has_its_own_named_graph(store: ox.Store) -> None:
    graphs = {g.value for g in store.named_graphs()}
    assert graphs == {f"{ID}graaf/{LRT}", f"{ID}graaf/{VOORRANG}"}


@pytest.mark.parametrize("name, at_least", [(LRT, 150), (VOORRANG, 190)])
def test_every_quote_anchors_at_exactly_one_place(
    store: ox.Store, name: str, at_least: int
) -> None:
    rows = select(store, name, QUOTES)
    assert len(rows) >= at_least
    for row in rows:
        assert row["doc"] == ox.NamedNode(f"{ID}bron/{name}")
    assert unanchored(source_text(name), rows) == []


@pytest.mark.parametrize("name, at_least", [(LRT, 120), (VOORRANG, 130)])
def test_every_entity_has_one_dutch_label_and_a_quote(
    store: ox.Store, name: str, at_least: int
) -> None:
    entities = select(store, name, "?e a ?class . FILTER(?class != ak:Quote && isIRI(?e))")
    unlabelled = select(
        store,
        name,
        "?e a ?class . FILTER(?class != ak:Quote) "
        'FILTER NOT EXISTS { ?e rdfs:label ?l . FILTER(LANG(?l) = "nl") }',
    )
    unquoted = select(
        store,
        name,
        "?e a ?class . FILTER(?class != ak:Quote) FILTER NOT EXISTS { ?e ak:hasQuote ?q }",
    )
    two_labels = select(store, name, "?e rdfs:label ?a , ?b . FILTER(STR(?a) < STR(?b))")
    assert len({r["e"] for r in entities}) >= at_least
    assert (unlabelled, unquoted, two_labels) == ([], [], [])


@pytest.mark.parametrize(
    "name, claim_class, at_least",
    [
        (LRT, "Request", 12),
        (LRT, "Objection", 6),
        (LRT, "ExpectedEffect", 3),
        (LRT, "ConflictStatement", 1),
        (LRT, "Resolution", 1),
        (VOORRANG, "Objection", 14),
        (VOORRANG, "ExpectedEffect", 14),
        (VOORRANG, "Request", 7),
        (VOORRANG, "ConflictStatement", 3),
        (VOORRANG, "Resolution", 1),
    ],
)
def test_claims_are_attributed(store: ox.Store, name: str, claim_class: str, at_least: int) -> None:
    claims = select(store, name, f"?c a ak:{claim_class} .")
    unattributed = select(
        store, name, f"?c a ak:{claim_class} . FILTER NOT EXISTS {{ ?c ak:raisedBy ?a }}"
    )
    assert len(claims) >= at_least
    assert unattributed == []


@pytest.mark.parametrize(
    "pattern",
    [
        "bron:vng-ledenbrief-lrt-regeerprogramma-2024 ak:author persoon:geluk .",
        "functie:algemeen-directeur-vng ak:heldBy persoon:geluk ; ak:postIn organisatie:vng .",
        "functie:minister-asiel-en-migratie ak:heldBy persoon:faber .",
        # the LRT of 26 September 2024 and who took part
        "vergadering:lrt-2024-09-26 ak:meetingOf organisatie:landelijke-regietafel ;"
        " ak:participant organisatie:ipo , organisatie:coa , organisatie:aedes , organisatie:vng ,"
        " organisatie:ministerie-szw , organisatie:ministerie-bzk , persoon:faber .",
        # the planned ban, the law it amends and the alternatives the cabinet names
        "maatregel:verbod-op-voorrang-statushouders ak:prohibits"
        " instrument:voorrang-huisvesting-statushouders ;"
        " ak:laidDownIn wetsvoorstel:wet-nieuwe-regels-huisvesting-vergunninghouders .",
        "wetsvoorstel:wet-nieuwe-regels-huisvesting-vergunninghouders ak:amends"
        " wet:huisvestingswet-2014 .",
        "instrument:doorstroomlocatie ak:alternativeFor"
        " instrument:voorrang-huisvesting-statushouders .",
        "instrument:woningdelen ak:alternativeFor instrument:voorrang-huisvesting-statushouders .",
        "wet:huisvestingswet-2014 ak:imposesTask taak:huisvestingstaakstelling ,"
        " taak:bekendmaken-huisvestingstaakstelling .",
        "taak:huisvestingstaakstelling ak:responsibleActor groep:gemeenten ;"
        " ak:dependsOn instrument:voorrang-huisvesting-statushouders .",
        "?c a ak:ConflictStatement ; ak:raisedBy organisatie:vng ;"
        " ak:raisedAt vergadering:lrt-2024-09-26 ;"
        " ak:conflictBetween maatregel:verbod-op-voorrang-statushouders ,"
        " taak:huisvestingstaakstelling ;"
        " ak:conflictType tegenstrijdigheid:taak-zonder-middelen .",
        # Spreidingswet stays in force until withdrawn, as the minister said
        "maatregel:intrekking-spreidingswet ak:repeals wet:spreidingswet ;"
        " ak:status status:voornemen .",
        "?c ak:raisedBy persoon:faber ; ak:concerns maatregel:intrekking-spreidingswet .",
        "wet:spreidingswet ak:status status:in-werking .",
        # doorstroomlocaties, LVV, Veldzicht, krimpende budgetten
        "maatregel:stimulering-doorstroomlocaties ak:funds instrument:doorstroomlocatie ;"
        " ak:laidDownIn regeling:bekostigingsregeling-doorstroomlocaties ;"
        " ak:hasGoal doel:sneller-huisvesten-statushouders .",
        "?o a ak:Objection ; ak:raisedBy organisatie:vng ;"
        " ak:statedIn document:vng-brief-doorstroomlocaties-2024-09-19 .",
        "maatregel:beeindiging-lvv ak:abolishes instrument:landelijke-vreemdelingenvoorziening .",
        "?r a ak:Request ; ak:raisedBy groep:gemeenten ;"
        " ak:raisedAt vergadering:bestuurlijk-overleg-lvv-2024-09-04 ;"
        " ak:concerns maatregel:beeindiging-lvv .",
        "?e a ak:ExpectedEffect ; ak:raisedBy groep:gemeenten ;"
        " ak:effectOf maatregel:beeindiging-hulp-veldzicht ;"
        " ak:increases factor:veiligheidsrisicos .",
        "?e a ak:ExpectedEffect ; ak:raisedBy organisatie:vng ;"
        " ak:effectOf maatregel:bezuinigingen-asielopvang ; ak:reducesCapacityOf organisatie:coa .",
        # the eigen bijdrage task and the instruments it lacks
        "regeling:eigen-bijdrage-ontheemden-oekraine ak:imposesTask"
        " taak:innen-eigen-bijdrage-oekrainers .",
        "taak:innen-eigen-bijdrage-oekrainers ak:requires ?g . ?g ak:status status:ontbreekt .",
        "resolutie:samenhangend-beleid-asielketen ak:raisedBy organisatie:vng ;"
        " ak:raisedAt vergadering:alv-vng-2024-06-26 .",
    ],
)
def test_relations_the_lrt_letter_states(store: ox.Store, pattern: str) -> None:
    assert ask(store, LRT, pattern), pattern


@pytest.mark.parametrize(
    "pattern",
    [
        "bron:vng-ledenbrief-voorrang-doorstroom-2025-02 ak:author persoon:geluk .",
        # what the bill contains: a ban that reaches doorstroomlocaties, the task kept
        "maatregel:verbod-op-voorrang-statushouders ak:prohibits"
        " instrument:voorrang-huisvesting-statushouders , instrument:doorstroomlocatie ;"
        " ak:laidDownIn wetsvoorstel:wet-nieuwe-regels-huisvesting-vergunninghouders ;"
        " ak:retains taak:huisvestingstaakstelling .",
        "wetsvoorstel:wet-nieuwe-regels-huisvesting-vergunninghouders"
        " ak:amends wet:huisvestingswet-2014 ; ak:retains taak:huisvestingstaakstelling ;"
        " ak:status status:in-consultatie .",
        "taak:huisvestingstaakstelling ak:dependsOn"
        " instrument:voorrang-huisvesting-statushouders .",
        "maatregel:afschaffing-taakstelling ak:abolishes taak:huisvestingstaakstelling .",
        "taak:inburgering ak:dependsOn taak:huisvestingstaakstelling .",
        # the two measures of the Kamerbrief of 14 February and their shared goal
        "maatregel:stimulering-doorstroomlocaties ak:funds instrument:doorstroomlocatie ;"
        " ak:hasGoal doel:sneller-huisvesten-statushouders ;"
        " ak:setsDuration ?d . ?d ak:months ?m . FILTER(?m = 12)",
        "maatregel:eenmalige-bijdrage-huisvesting-statushouders"
        " ak:hasGoal doel:sneller-huisvesten-statushouders ;"
        " ak:incentivises taak:huisvestingstaakstelling ;"
        " ak:laidDownIn document:kamerbrief-sneller-huisvesten-statushouders-2025-02-14 .",
        "doel:sneller-huisvesten-statushouders ak:increases factor:uitstroom-uit-opvang .",
        # the VNG's conflict statements
        "claim:vng-verbod-voorrang-haaks-op-bonus a ak:ConflictStatement ;"
        " ak:raisedBy organisatie:vng ;"
        " ak:conflictBetween maatregel:verbod-op-voorrang-statushouders ,"
        " maatregel:eenmalige-bijdrage-huisvesting-statushouders ;"
        " ak:conflictType tegenstrijdigheid:prikkel-tegen-verbod .",
        "?c a ak:ConflictStatement ; ak:raisedBy organisatie:vng ;"
        " ak:conflictBetween maatregel:verbod-op-voorrang-statushouders ,"
        " maatregel:stimulering-doorstroomlocaties ;"
        " ak:conflictPivot instrument:doorstroomlocatie .",
        "?c a ak:ConflictStatement ; ak:raisedBy organisatie:vng ;"
        " ak:conflictBetween maatregel:verbod-op-voorrang-statushouders ,"
        " taak:huisvestingstaakstelling ;"
        " ak:conflictType tegenstrijdigheid:taak-zonder-middelen .",
        # the VNG's expected effects, attributed
        "?e a ak:ExpectedEffect ; ak:raisedBy organisatie:vng ;"
        " ak:effectOf maatregel:verbod-op-voorrang-statushouders ;"
        " ak:decreases factor:uitstroom-uit-opvang ;"
        " ak:worksAgainst doel:sneller-huisvesten-statushouders .",
        "?e a ak:ExpectedEffect ; ak:raisedBy organisatie:vng ;"
        " ak:effectOf maatregel:verbod-op-voorrang-statushouders ,"
        " maatregel:intrekking-spreidingswet ;"
        " ak:increases factor:statushouders-op-straat .",
        "?e a ak:ExpectedEffect ; ak:raisedBy organisatie:vng ;"
        " ak:effectOf maatregel:stimulering-doorstroomlocaties ;"
        " ak:increasesDemandOn groep:gemeenten .",
        "?e a ak:ExpectedEffect ; ak:raisedBy organisatie:vng ;"
        " ak:effectOf wetsvoorstel:asielnoodmaatregelenwet ,"
        " wetsvoorstel:wet-invoering-tweestatusstelsel ;"
        " ak:increases factor:ongedocumenteerden-in-gemeenten .",
        # the Raad van State's objection is its own, not the VNG's
        "?o a ak:Objection ; ak:raisedBy organisatie:raad-van-state ;"
        " ak:statedIn document:advies-raad-van-state-asielnoodmaatregelenwet-tweestatusstelsel .",
        # Spreidingswet: the task, the law it relies on, the missing instrument
        "wet:spreidingswet ak:imposesTask taak:opvang-asielzoekers-spreidingswet .",
        "taak:opvang-asielzoekers-spreidingswet ak:dependsOn wet:spreidingswet ,"
        " instrument:gemeentelijke-exploitatie-opvang .",
        "instrument:gemeentelijke-exploitatie-opvang ak:status status:ontbreekt .",
        "maatregel:intrekking-spreidingswet ak:repeals wet:spreidingswet .",
        "regeling:financieringsregeling-tgo ak:funds instrument:tijdelijke-gemeentelijke-opvang .",
        "instrument:tijdelijke-gemeentelijke-opvang ak:responsibleActor organisatie:coa ;"
        " ak:executedBy groep:gemeenten , organisatie:coa .",
        # the Migratiepact and the sequencing request in line with the resolution
        "maatregel:basale-voorzieningen-bed-bad-brood ak:laidDownIn"
        " wetsvoorstel:uitvoeringswet-asiel-en-migratiepact .",
        "?r a ak:Request ; ak:raisedBy organisatie:vng ;"
        " ak:concerns maatregel:intrekking-spreidingswet ;"
        " prov:wasDerivedFrom resolutie:congruent-asielbeleid-behoud-instrumentarium .",
    ],
)
def test_relations_the_voorrang_letter_states(store: ox.Store, pattern: str) -> None:
    assert ask(store, VOORRANG, pattern), pattern


@pytest.mark.parametrize(
    "name, value, unit",
    [
        (LRT, "1", "grote opvanglocatie"),
        (LRT, "2", "keer per jaar"),
        (LRT, "6", "maanden"),
        (VOORRANG, "96000", "plekken"),
        (VOORRANG, "115000", "plekken"),
        (VOORRANG, "7", "jaar"),
        (VOORRANG, "1", "jaar per statushouder"),
        (VOORRANG, "1", "maand"),
    ],
)
def test_figures(store: ox.Store, name: str, value: str, unit: str) -> None:
    rows = select(
        store, name, "VALUES ?c { ak:Figure ak:Duration } ?f a ?c ; ak:value ?v ; ak:unit ?u ."
    )
    found = {(Decimal(r["v"].value), r["u"].value) for r in rows}
    assert (Decimal(value), unit) in found


@pytest.mark.parametrize(
    "name, node, date, datatype, inferred",
    [
        (LRT, "vergadering:lrt-2024-09-26", "2024-09-26", "date", True),
        (LRT, "vergadering:alv-vng-2024-06-26", "2024-06-26", "date", False),
        (
            LRT,
            "gebeurtenis:eigen-bijdrage-ontheemden-oekraine-inwerkingtreding",
            "2024-07-01",
            "date",
            False,
        ),
        (
            LRT,
            "gebeurtenis:uitvoeringsagenda-flexibilisering-asielketen-correctie",
            "2024-04",
            "gYearMonth",
            True,
        ),
        (
            VOORRANG,
            "gebeurtenis:wet-nieuwe-regels-huisvesting-vergunninghouders-consultatie",
            "2025-02-17",
            "date",
            True,
        ),
        (
            VOORRANG,
            "gebeurtenis:asielnoodmaatregelenwet-advies-raad-van-state",
            "2025-02-10",
            "date",
            True,
        ),
        (
            VOORRANG,
            "gebeurtenis:stimulering-doorstroomlocaties-aangekondigd",
            "2025-02-14",
            "date",
            True,
        ),
        (VOORRANG, "gebeurtenis:financieringsregeling-tgo-afloop", "2025-07-01", "date", False),
        (
            VOORRANG,
            "gebeurtenis:uitvoeringswet-asiel-en-migratiepact-consultatie",
            "2025",
            "gYear",
            True,
        ),
        (VOORRANG, "cijfer:benodigde-opvangplekken-2026-01-01", "2026-01-01", "date", False),
    ],
)
def test_dates_at_their_precision(
    store: ox.Store, name: str, node: str, date: str, datatype: str, inferred: bool
) -> None:
    rows = select(store, name, f"{node} ak:date ?d . OPTIONAL {{ {node} ak:dateInferred ?i }}")
    assert len(rows) == 1
    assert rows[0]["d"] == ox.Literal(date, datatype=ox.NamedNode(XSD + datatype))
    assert (lexical(rows[0]["i"]) == "true") is inferred


def _findings(store: ox.Store, rule: str) -> set[tuple[str, str, str]]:
    """(a, b, pivot) slugs of what a contradiction rule finds in the two graphs together."""
    query = (QUERIES_DIR / "contradictions" / f"{rule}.rq").read_text(encoding="utf-8")
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    found: set[tuple[str, str, str]] = set()
    for row in solutions:
        a, b, pivot = (
            row[v].value.rsplit("/", 1)[-1] if row[v] else "" for v in ("a", "b", "pivot")
        )
        found.add((a, b, pivot))
    return found


@pytest.mark.parametrize(
    "rule, finding",
    [
        (
            "incentive-vs-prohibition",
            (
                "stimulering-doorstroomlocaties",
                "verbod-op-voorrang-statushouders",
                "doorstroomlocatie",
            ),
        ),
        (
            "incentive-vs-prohibition",
            (
                "eenmalige-bijdrage-huisvesting-statushouders",
                "verbod-op-voorrang-statushouders",
                "voorrang-huisvesting-statushouders",
            ),
        ),
        (
            "obligation-without-means",
            (
                "huisvestingstaakstelling",
                "verbod-op-voorrang-statushouders",
                "voorrang-huisvesting-statushouders",
            ),
        ),
        (
            "obligation-without-means",
            ("opvang-asielzoekers-spreidingswet", "intrekking-spreidingswet", "spreidingswet"),
        ),
        (
            "obligation-without-means",
            ("inburgering", "afschaffing-taakstelling", "huisvestingstaakstelling"),
        ),
    ],
)
def test_the_rules_derive_what_the_vng_asserts(
    store: ox.Store, rule: str, finding: tuple[str, str, str]
) -> None:
    assert finding in _findings(store, rule)
