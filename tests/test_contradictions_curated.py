"""The contradiction rules on the curated data (data/): what the VNG documents describe.

The derived findings must come from the rules alone: on a copy of data/ without the
conflict statements (ak:ConflictStatement) the same derived findings appear.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.contradictions import Finding, day, find_contradictions, format_findings
from kg.paths import DATA_DIR
from kg.queries import SEVERITIES, catalogue, expand_iri, find_query, run_query
from kg.store import Engine, open_engine

AK = "https://w3id.org/asielketen/def#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

pytestmark = pytest.mark.skipif(
    len(list((DATA_DIR / "graphs").glob("*.trig"))) < 5,
    reason="the curated graphs are not all there",
)


@pytest.fixture(scope="module")
def curated() -> Engine:
    return open_engine(data_dir=DATA_DIR, cache=False)


@pytest.fixture(scope="module")
def findings(curated: Engine) -> list[Finding]:
    return find_contradictions(curated)


def _find(findings: list[Finding], rule: str, a: str, b: str, pivot: str | None) -> Finding:
    want = (expand_iri(a), expand_iri(b), expand_iri(pivot) if pivot else None)
    for f in findings:
        if rule in f.rules and (f.a.iri, f.b.iri, f.pivot.iri if f.pivot else None) == want:
            return f
    raise AssertionError(f"{rule} does not find {a} against {b} through {pivot}")


DOCUMENTED = [
    # "De keuze om het verbod op voorrang al in te laten gaan, maar de taakstelling voorlopig
    # te behouden, is onbegrijpelijk." (ledenbrief februari 2025)
    (
        "obligation-without-means",
        "taak:huisvestingstaakstelling",
        "maatregel:verbod-op-voorrang-statushouders",
        "instrument:voorrang-huisvesting-statushouders",
        "er een verbod wordt ingesteld op het met voorrang huisvesten",
    ),
    # "met zelfs een financiële bonus voor versnelde huisvesting ... haaks op elkaar"
    (
        "incentive-vs-prohibition",
        "maatregel:eenmalige-bijdrage-huisvesting-statushouders",
        "maatregel:verbod-op-voorrang-statushouders",
        "instrument:voorrang-huisvesting-statushouders",
        "financiële bonus voor versnelde huisvesting",
    ),
    # "geen uitzondering voor huisvesting in doorstroomlocaties"
    (
        "incentive-vs-prohibition",
        "maatregel:stimulering-doorstroomlocaties",
        "maatregel:verbod-op-voorrang-statushouders",
        "instrument:doorstroomlocatie",
        "doorstroomlocatie",
    ),
    # "Zonder een alternatief mechanisme zal de druk verschuiven naar crisis- en noodopvang"
    (
        "sequencing",
        "maatregel:intrekking-spreidingswet",
        "wet:spreidingswet",
        None,
        "Spreidingswet",
    ),
    # "het afschaffen van de Landelijke Vreemdelingenvoorziening ... omdat er niets is geregeld"
    (
        "sequencing",
        "maatregel:beeindiging-lvv",
        "instrument:landelijke-vreemdelingenvoorziening",
        None,
        "Landelijke",
    ),
]


@pytest.mark.parametrize("rule, a, b, pivot, quoted", DOCUMENTED)
def test_documented_contradictions_are_found_with_quotes(
    findings: list[Finding], rule: str, a: str, b: str, pivot: str | None, quoted: str
) -> None:
    finding = _find(findings, rule, a, b, pivot)
    assert finding.origin == "derived"
    assert finding.sources and all(s.document and s.quote for s in finding.sources)
    assert any(quoted.lower() in s.quote.lower() for s in finding.sources), finding.sources
    assert finding.explanation.endswith(".")


def test_the_ban_against_the_bonus_is_corroborated_by_the_vng_statement(
    findings: list[Finding],
) -> None:
    finding = _find(
        findings,
        "incentive-vs-prohibition",
        "maatregel:eenmalige-bijdrage-huisvesting-statushouders",
        "maatregel:verbod-op-voorrang-statushouders",
        "instrument:voorrang-huisvesting-statushouders",
    )
    assert any("haaks" in s.quote for s in finding.sources)
    assert finding.corroborated_by


def test_as_of_before_and_after_the_ban_was_put_out_for_consultation(curated: Engine) -> None:
    key = (
        expand_iri("taak:huisvestingstaakstelling"),
        expand_iri("maatregel:verbod-op-voorrang-statushouders"),
    )

    def present(when: str) -> bool:
        return any((f.a.iri, f.b.iri) == key for f in find_contradictions(curated, as_of=when))

    assert not present("2025-02-16")
    assert present("2025-02-17")


def test_the_novelle_does_not_resolve_the_criminalisation_it_keeps(
    findings: list[Finding], curated: Engine
) -> None:
    """The novelle corrects the amendment-Vondeling only for helpers ("uitsluitend het
    illegaal verblijf zelf strafbaar"); findings on the criminalisation itself still hold
    after it (they used to be shown as resolved from September 2025)."""
    measure = expand_iri("maatregel:strafbaarstelling-illegaal-verblijf")
    on_it = [f for f in findings if measure in (f.a.iri, f.b.iri)]
    assert on_it, "no finding on the criminalisation of illegal stay"
    assert all(f.valid_until is None and not f.corrected_on for f in on_it)
    later = {f.id: f for f in find_contradictions(curated, as_of="2025-12-01")}
    assert all(f.id in later and not later[f.id].resolved for f in on_it)
    # What the novelle does resolve is dated by it: the VNG objection about helpers.
    rows = run_query(
        curated,
        find_query("lifecycle"),
        {"entity": "claim:vng-amendement-vondeling-hulpverleners-vervolgd"},
    )
    fixers = {str(r["resolvedBy"].value) for r in rows if r.get("resolvedBy") is not None}
    assert fixers == {expand_iri("wetsvoorstel:novelle-amendement-vondeling")}


def _without_conflict_statements(target: Path) -> Path:
    """A copy of data/ whose graphs hold no conflict statements (nor their quotes)."""
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("graphs"))
    (target / "graphs").mkdir()
    for path in sorted((DATA_DIR / "graphs").glob("*.trig")):
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TRIG))
        claims = {
            q.subject
            for q in quads
            if str(q.predicate.value) == RDF_TYPE
            and q.object == ox.NamedNode(AK + "ConflictStatement")
        }
        drop = set(claims)
        for q in quads:  # the quote nodes hanging off the statements
            if q.subject in claims and isinstance(q.object, ox.BlankNode):
                drop.add(q.object)
        kept = [q for q in quads if q.subject not in drop and q.object not in claims]
        data = ox.serialize(kept, format=ox.RdfFormat.TRIG)
        assert data is not None
        (target / "graphs" / path.name).write_bytes(data)
    return target


def test_derived_findings_hold_without_the_asserted_statements(
    tmp_path: Path, findings: list[Finding]
) -> None:
    stripped = open_engine(data_dir=_without_conflict_statements(tmp_path / "data"), cache=False)
    assert not stripped.ask(f"ASK {{ ?c a <{AK}ConflictStatement> }}")
    again = find_contradictions(stripped)
    assert [f for f in again if f.origin == "asserted"] == []

    def derived(items: list[Finding]) -> set[tuple[str, str, str, str | None]]:
        return {
            (f.rule, f.a.iri, f.b.iri, f.pivot.iri if f.pivot else None)
            for f in items
            if f.origin == "derived"
        }

    assert derived(findings)
    assert derived(again) == derived(findings)
    assert derived(find_contradictions(stripped, origin="derived")) == derived(findings)


def test_ids_are_unique_and_every_finding_has_sources(findings: list[Finding]) -> None:
    assert len({f.id for f in findings}) == len(findings)
    assert all(f.sources for f in findings)


def test_goal_vs_effect_is_midden_only_when_said_directly_or_about_the_goal_holder(
    findings: list[Finding], curated: Engine
) -> None:
    """midden: a claim or B works against the goal, or B is A; laag: only a shared factor."""
    graded = [f for f in findings if f.rules == ("goal-vs-effect",)]
    assert graded
    for f in graded:
        assert f.pivot is not None
        direct = f.a.iri == f.b.iri or curated.ask(
            "ASK { { ?claim <%sworksAgainst> <%s> . <%s> <%sexpectedEffect>|^<%seffectOf> ?claim }"
            " UNION { <%s> <%sworksAgainst> <%s> } }"
            % (AK, f.pivot.iri, f.b.iri, AK, AK, f.b.iri, AK, f.pivot.iri)
        )
        assert f.severity == ("midden" if direct else "laag"), (f.a.label, f.b.label, f.pivot)
    assert {f.severity for f in graded} == {"midden", "laag"}


def test_findings_are_sorted_by_severity_then_rule(findings: list[Finding]) -> None:
    keys = [(SEVERITIES.index(f.severity), f.origin != "derived", f.rule_label) for f in findings]
    assert keys == sorted(keys)
    assert not {f.rule_label for f in findings} & {q.name for q in catalogue()}


def test_the_income_requirement_against_integration_is_derived_and_corroborated(
    findings: list[Finding],
) -> None:
    # "Ook het inkomensvereiste voor nareis staat op gespannen voet met de opzet van het
    # inburgeringsstelsel" (position paper): an expected effect against the law's goal.
    finding = _find(
        findings,
        "goal-vs-effect",
        "wet:wet-inburgering-2021",
        "maatregel:inkomensvereiste-nareis",
        "doel:duurzame-deelname-aan-de-samenleving",
    )
    assert finding.origin == "derived" and finding.severity == "midden"
    assert expand_iri("claim:vng-inkomensvereiste-nareis-gespannen-voet-inburgering") in (
        finding.corroborated_by
    )
    assert any("gespannen voet" in s.quote for s in finding.sources)


def test_no_conflict_statement_has_a_claim_as_a_side(
    findings: list[Finding], curated: Engine
) -> None:
    check = find_query("conflict_side_is_claim_violation")
    assert run_query(curated, check) == []
    claims = {
        str(row["c"].value)
        for row in curated.select(
            "SELECT ?c WHERE { ?c a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
            f"<{AK}Claim> }}"
        )
    }
    assert not [f for f in findings if {f.a.iri, f.b.iri} & claims]
    # "Het kabinet wil de spreidingswet afschaffen, en anderzijds roept zij gemeenten op om
    # opvangplekken te realiseren" now corroborates the task that loses its law.
    finding = _find(
        findings,
        "obligation-without-means",
        "taak:opvang-asielzoekers-spreidingswet",
        "maatregel:intrekking-spreidingswet",
        "wet:spreidingswet",
    )
    assert (
        expand_iri("claim:vng-intrekking-spreidingswet-tegenstrijdig-met-oproep-opvangplekken")
        in finding.corroborated_by
    )


def test_every_finding_has_a_start_and_document_bounds_are_marked(
    findings: list[Finding],
) -> None:
    assert all(f.valid_from for f in findings)
    bounded = [f for f in findings if f.valid_from_bound]
    assert bounded
    table = format_findings(bounded, "table")
    assert "… – " not in table
    for f in bounded:
        assert f.valid_from == day(f.valid_from_bound or "")
        assert f"≤ {f.valid_from_bound} – " in table


def test_explanations_read_as_dutch(findings: list[Finding]) -> None:
    names = {q.name for q in catalogue()}
    for f in findings:
        text = f.explanation
        assert "None" not in text and "?" not in text, text
        assert not any(name in text for name in names if "-" in name), text
        assert " dat;" not in text and " dat," not in text, text  # no pronoun for a label
        assert "het zelf" not in text and "waar ‘" not in text, text
        assert text.count("‘") == text.count("’"), text
