"""The contradiction rules and engine on small fixtures (tests/data/rules/, see its README).

Each rule of queries/contradictions/ has a case where it must fire and one where it must
not; one parametrised test walks them. Further tests pin merging, corroboration, the JSON
shape, the explanations, the filters, ``--as-of`` and the command.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.contradictions import Finding, find_contradictions, format_findings
from kg.errors import KgError
from kg.paths import QUERIES_DIR
from kg.queries import catalogue, expand_iri, find_query, run_query
from kg.store import Engine, open_engine

RULES = Path(__file__).resolve().parent / "data" / "rules"
CASES = sorted(p.name for p in RULES.iterdir() if (p / "expected.json").is_file())
JSON_KEYS = [
    "id",
    "rule",
    "origin",
    "severity",
    "a",
    "b",
    "pivot",
    "explanation",
    "sources",
    "corroborated_by",
    "valid_from",
    "valid_until",
]

_engines: dict[str, Engine] = {}


def engine(case: str) -> Engine:
    """An in-memory engine over a fixture folder (built once per test session)."""
    if case not in _engines:
        _engines[case] = open_engine(data_dir=RULES / case, cache=False)
    return _engines[case]


def _iri(name: str | None) -> str | None:
    return expand_iri(name) if name else None


def _triples(findings: list[Finding]) -> set[tuple[str, str, str | None]]:
    return {(f.a.iri, f.b.iri, f.pivot.iri if f.pivot else None) for f in findings}


@pytest.mark.parametrize("case", CASES)
def test_rule_case(case: str) -> None:
    expected = json.loads((RULES / case / "expected.json").read_text(encoding="utf-8"))
    origin = expected.get("origin", "derived")
    findings = [
        f
        for f in find_contradictions(engine(case))
        if expected["rule"] in f.rules and f.origin == origin
    ]
    want = {(_iri(a), _iri(b), _iri(p)) for a, b, p in expected["findings"]}
    assert _triples(findings) == want
    for a, b, claim in expected.get("corroborated", []):
        match = [
            f for f in find_contradictions(engine(case)) if {f.a.iri, f.b.iri} == {_iri(a), _iri(b)}
        ]
        assert match and _iri(claim) in match[0].corroborated_by


def test_every_rule_has_a_case_that_fires_and_one_that_does_not() -> None:
    rules = [q.name for q in catalogue() if q.category == "contradictions"]
    for rule in rules:
        fires = json.loads((RULES / f"{rule}-fires" / "expected.json").read_text())
        quiet = json.loads((RULES / f"{rule}-quiet" / "expected.json").read_text())
        assert fires["rule"] == quiet["rule"] == rule
        assert fires["findings"] and not quiet["findings"]


def test_rules_name_no_specific_law_measure_or_actor() -> None:
    """Rules are generic: no IRI under the id base (only value-list concepts)."""
    for query in catalogue():
        if query.category != "contradictions":
            continue
        iris = re.findall(r"<(https://w3id\.org/asielketen/id/[^>]*)>", query.text)
        assert all("/id/begrip/" in iri for iri in iris), (query.name, iris)
        assert not re.search(r"\b(maatregel|instrument|wet|taak|organisatie|groep):", query.text)


def test_rule_headers_name_a_family_of_the_value_list() -> None:
    begrippen = (QUERIES_DIR.parent / "ontology" / "begrippen.ttl").read_text(encoding="utf-8")
    families = set(re.findall(r"begrip/tegenstrijdigheid/([a-z-]+)>", begrippen))
    for query in catalogue():
        if query.category == "contradictions":
            assert query.rule in families, query.name
            assert query.severity in ("hoog", "midden", "laag")


def test_json_has_exactly_the_design_shape() -> None:
    findings = find_contradictions(engine("asserted-fires"))
    data = json.loads(format_findings(findings, "json"))
    assert data and all(list(item) == JSON_KEYS for item in data)
    item = data[0]
    assert set(item["a"]) == set(item["b"]) == {"iri", "label"}
    assert item["pivot"] is None or set(item["pivot"]) == {"iri", "label"}
    assert all(set(s) == {"document", "quote"} for s in item["sources"])
    assert item["origin"] in ("derived", "asserted")
    assert item["severity"] in ("hoog", "midden", "laag")


def test_asserted_statement_gives_sources_with_document_title() -> None:
    (finding,) = find_contradictions(engine("asserted-fires"))
    assert finding.origin == "asserted"
    assert finding.rule == "asserted"
    assert finding.severity == "midden"  # from the family of its conflict type
    assert finding.corroborated_by == [expand_iri("claim:botsing")]
    assert {
        "document": "Testbrief over twee botsende maatregelen",
        "quote": "een en twee staan haaks op elkaar",
    } in [s.to_json() for s in finding.sources]
    assert "VNG" in finding.explanation and "maatregel een" in finding.explanation


def test_statement_a_rule_derives_corroborates_instead_of_repeating() -> None:
    findings = find_contradictions(engine("asserted-quiet"))
    assert [f.origin for f in findings] == ["derived"]
    assert findings[0].corroborated_by == [expand_iri("claim:botsing")]
    assert find_contradictions(engine("asserted-quiet"), origin="asserted") == []


def _two_rules_one_pair(tmp_path: Path) -> list[Finding]:
    """The findings of the incentive case when two rules find its pair and pivot."""
    folder = tmp_path / "data"
    (folder / "graphs").mkdir(parents=True)
    source = (RULES / "incentive-vs-prohibition-fires" / "graphs" / "case.trig").read_text()
    # The bonus now also requires what it funds: instrument-removed finds the same pair.
    source = source.replace(
        "ak:funds instrument:voorrang .",
        "ak:funds instrument:voorrang ; ak:requires instrument:voorrang .",
    )
    (folder / "graphs" / "case.trig").write_text(source)
    return find_contradictions(open_engine(data_dir=folder, cache=False))


def test_findings_of_two_rules_about_the_same_pair_and_pivot_merge(tmp_path: Path) -> None:
    findings = _two_rules_one_pair(tmp_path)
    merged = [f for f in findings if f.a.iri == expand_iri("maatregel:bonus")]
    assert len(merged) == 1
    assert merged[0].rules == ("instrument-removed", "incentive-vs-prohibition")
    assert merged[0].rule == "instrument-removed+incentive-vs-prohibition"
    assert merged[0].severity == "hoog"


def test_ids_are_stable_and_unique() -> None:
    first = [f.id for f in find_contradictions(engine("instrument-removed-fires"))]
    again = [
        f.id
        for f in find_contradictions(
            open_engine(data_dir=RULES / "instrument-removed-fires", cache=False)
        )
    ]
    assert first == again
    assert len(set(first)) == len(first)
    assert all(re.fullmatch(r"[0-9a-f]{16}", i) for i in first)


@pytest.mark.parametrize("case", [c for c in CASES if c.endswith("-fires")])
def test_explanations_are_one_dutch_sentence_with_the_labels(case: str) -> None:
    for finding in find_contradictions(engine(case)):
        text = finding.explanation
        assert text[0].isupper() or text.startswith("‘"), text
        assert text.endswith(".") and text.count(". ") == 0, text
        assert "None" not in text and "?" not in text, text
        assert finding.a.label in text or finding.a.label[0].upper() + finding.a.label[1:] in text
        if finding.a.iri != finding.b.iri:
            assert finding.b.label in text, text


def test_explanation_of_the_retained_task() -> None:
    (finding,) = [
        f
        for f in find_contradictions(engine("obligation-without-means-fires"))
        if f.pivot is not None
    ]
    assert finding.explanation == (
        "De taak ‘huisvestingstaak’ van ‘gemeenten’ vereist ‘voorrang’, maar ‘verbod op "
        "voorrang’ verbiedt ‘voorrang’ en laat de taak zelf bestaan; zo moet de taak worden "
        "uitgevoerd zonder het middel dat zij nodig heeft."
    )


def _at(when: str | None) -> dict[str, Finding]:
    findings = find_contradictions(engine("as-of"), as_of=when)
    return {f.a.iri.rsplit("/", 1)[-1]: f for f in findings}


def test_interval_from_the_later_side_until_the_first_end() -> None:
    found = _at(None)
    assert (found["bonus"].valid_from, found["bonus"].valid_until) == ("2025-02-17", None)
    assert (found["hulpprogramma"].valid_from, found["hulpprogramma"].valid_until) == (
        "2024-06-01",
        "2025-09-01",
    )
    assert (found["tijdelijke-regeling"].valid_from, found["tijdelijke-regeling"].valid_until) == (
        "2024-03-01",
        "2025-07-01",
    )
    # The abolished instrument's own withdrawal is the abolition, not its end.
    assert found["beeindiging"].valid_until is None


def test_as_of_before_a_measure_was_announced_leaves_it_out() -> None:
    assert "bonus" not in _at("2025-02-16")
    assert "bonus" in _at("2025-02-17")
    assert "beeindiging" not in _at("2024-08-31")  # announced 2024-09 counts from 1 September
    assert "beeindiging" in _at("2024-09-01")
    assert _at("2023-06-01") == {}


def test_as_of_after_a_withdrawal_leaves_it_out() -> None:
    assert "tijdelijke-regeling" in _at("2025-06-30")
    assert "tijdelijke-regeling" not in _at("2025-07-01")


def test_as_of_after_a_correction_shows_it_resolved() -> None:
    before = _at("2025-08-31")["hulpprogramma"]
    after = _at("2025-09-01")["hulpprogramma"]
    assert not before.resolved
    assert after.resolved and after.corrected_by == expand_iri("wetsvoorstel:novelle")
    assert "(opgelost)" in format_findings([after], "table")


def test_a_correction_does_not_resolve_what_the_correcting_novelle_carries_over() -> None:
    """Regression: the novelle of the amendment-Vondeling keeps illegal stay criminal.

    A correction of an amendment used to resolve everything laid down in it, also the
    ban that the novelle amending it lays down again.
    """

    def at(when: str | None) -> dict[str, Finding]:
        found = find_contradictions(engine("correction-carried-over"), as_of=when)
        return {f.a.iri.rsplit("/", 1)[-1]: f for f in found}

    kept, dropped = at(None)["nachtopvangsubsidie"], at(None)["zorgsubsidie"]
    assert (dropped.valid_from, dropped.valid_until) == ("2024-06-01", "2025-09-01")
    assert (kept.valid_from, kept.valid_until) == ("2024-06-01", None)
    after = at("2025-10-01")
    assert after["zorgsubsidie"].resolved
    assert not after["nachtopvangsubsidie"].resolved


def test_origin_and_severity_filters() -> None:
    everything = find_contradictions(engine("asserted-fires"))
    assert find_contradictions(engine("asserted-fires"), origin="derived") == []
    assert find_contradictions(engine("asserted-fires"), origin="asserted") == everything
    removed = find_contradictions(engine("instrument-removed-fires"))
    assert all(f.severity == "hoog" for f in removed)
    assert find_contradictions(engine("instrument-removed-fires"), severity="hoog") == removed
    capacity = engine("capacity-fires")
    assert find_contradictions(capacity, severity="hoog") == []
    assert len(find_contradictions(capacity, severity="laag")) == 2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"as_of": "2025-13-01"}, "is not a date"),
        ({"as_of": "1 juli 2025"}, "is not a date"),
        ({"origin": "beide"}, "origin"),
        ({"severity": "extreem"}, "severity"),
    ],
)
def test_bad_options_are_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(KgError, match=message):
        find_contradictions(engine("asserted-fires"), **kwargs)


@pytest.mark.parametrize("fmt", ["table", "md", "json", "csv"])
def test_command_formats_and_exit_code(fmt: str) -> None:
    result = CliRunner().invoke(
        main, ["contradictions", "--data", str(RULES / "as-of"), "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    assert "strafbaarstelling van hulp" in result.output
    if fmt == "json":
        assert len(json.loads(result.output)) == 4
    if fmt == "csv":
        assert result.output.splitlines()[0].startswith("id,rule,origin,severity,a,")
        assert len(result.output.strip().splitlines()) == 5


def test_command_with_no_findings_exits_zero() -> None:
    result = CliRunner().invoke(
        main, ["contradictions", "--data", str(RULES / "capacity-quiet"), "--format", "json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.output) == []


def test_command_as_of_and_bad_date() -> None:
    runner = CliRunner()
    early = runner.invoke(
        main,
        [
            "contradictions",
            "--data",
            str(RULES / "as-of"),
            "--as-of",
            "2024-06-01",
            "--format",
            "json",
        ],
    )
    assert early.exit_code == 0
    assert len(json.loads(early.output)) == 2
    bad = runner.invoke(main, ["contradictions", "--data", str(RULES / "as-of"), "--as-of", "juli"])
    assert bad.exit_code == 2
    assert bad.output.startswith("error: ") and "YYYY-MM-DD" in bad.output


def _twice(case: str, target: Path) -> Path:
    """A copy of a fixture whose every statement is also in a second named graph."""
    (target / "graphs").mkdir(parents=True)
    text = (RULES / case / "graphs" / "case.trig").read_text(encoding="utf-8")
    (target / "graphs" / "case.trig").write_text(text, encoding="utf-8")
    (target / "graphs" / "kopie.trig").write_text(
        text.replace("GRAPH graaf:case {", "GRAPH graaf:kopie {"), encoding="utf-8"
    )
    return target


@pytest.mark.parametrize(
    "case", ["as-of", "obligation-without-means-fires", "goal-vs-effect-fires"]
)
def test_statements_repeated_in_two_graphs_change_no_finding(tmp_path: Path, case: str) -> None:
    """Regression: oxigraph's union default graph returns a triple once per graph."""
    once = find_contradictions(engine(case))
    twice = find_contradictions(open_engine(data_dir=_twice(case, tmp_path / "data"), cache=False))
    assert [f.to_json() for f in twice] == [f.to_json() for f in once]


@pytest.mark.parametrize(
    "prop, expected",
    [
        ("ak:severity", "hoog"),
        # Only ak:severity grades a statement; another property with that value does not.
        ("<https://example.org/ernst>", "midden"),
    ],
)
def test_severity_of_an_asserted_statement_can_come_from_the_data(
    tmp_path: Path, prop: str, expected: str
) -> None:
    """ak:severity (a concept of begrip/ernst) on the statement sets its severity."""
    (tmp_path / "graphs").mkdir()
    text = (RULES / "asserted-fires" / "graphs" / "case.trig").read_text(encoding="utf-8")
    text = text.replace(
        "ak:conflictPivot instrument:spil ;",
        "ak:conflictPivot instrument:spil ;\n"
        f"      {prop} <https://w3id.org/asielketen/id/begrip/ernst/hoog> ;",
    )
    (tmp_path / "graphs" / "case.trig").write_text(text, encoding="utf-8")
    (finding,) = find_contradictions(open_engine(data_dir=tmp_path, cache=False))
    assert finding.severity == expected


def _severities(case: str) -> dict[tuple[str, str], str]:
    return {
        (f.a.iri.rsplit("/", 1)[-1], f.b.iri.rsplit("/", 1)[-1]): f.severity
        for f in find_contradictions(engine(case))
    }


def test_goal_vs_effect_is_graded_by_how_directly_the_claim_says_it() -> None:
    assert _severities("goal-vs-effect-fires") == {
        ("wet-a", "wet-b"): "laag",  # only a shared factor
        ("wet-a", "wet-a"): "midden",  # an effect of the measure that has the goal
        ("programma", "wet-b"): "midden",  # the claim says it works against the goal
    }


def test_a_claim_that_also_works_against_the_goal_grades_the_pair_midden(tmp_path: Path) -> None:
    """Rows of one finding: the most severe row grades it and gives its explanation."""
    (tmp_path / "graphs").mkdir()
    text = (RULES / "goal-vs-effect-fires" / "graphs" / "case.trig").read_text(encoding="utf-8")
    text = text.replace(
        "ak:raisedBy organisatie:vng ; ak:increases factor:druk .",
        "ak:raisedBy organisatie:vng ; ak:increases factor:druk ; "
        "ak:worksAgainst doel:minder-druk .",
        1,
    )
    (tmp_path / "graphs" / "case.trig").write_text(text, encoding="utf-8")
    findings = find_contradictions(open_engine(data_dir=tmp_path, cache=False))
    (pair,) = [f for f in findings if f.a.iri.endswith("/wet-a") and f.b.iri.endswith("/wet-b")]
    assert pair.severity == "midden"
    assert pair.explanation == (
        "‘Wet A’ heeft als doel ‘minder druk op de keten’, maar volgens ‘VNG’ werkt ‘wet B’ "
        "dat doel tegen."
    )


@pytest.mark.parametrize("level, count", [("hoog", 0), ("midden", 2), ("laag", 3)])
def test_severity_option_keeps_that_level_and_higher(level: str, count: int) -> None:
    result = CliRunner().invoke(
        main,
        [
            "contradictions",
            "--data",
            str(RULES / "goal-vs-effect-fires"),
            "--severity",
            level,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert len(found) == count
    levels = ("hoog", "midden", "laag")
    assert {f["severity"] for f in found} <= set(levels[: levels.index(level) + 1])


def test_table_and_md_name_the_family_in_dutch_json_keeps_the_file_name() -> None:
    findings = find_contradictions(engine("goal-vs-effect-fires"))
    assert [f.severity for f in findings] == ["midden", "midden", "laag"]
    assert {f.rule for f in findings} == {"goal-vs-effect"}
    assert {f.rule_label for f in findings} == {"doel tegenover effect"}
    table = format_findings(findings, "table")
    assert "doel tegenover effect" in table and "goal-vs-effect" not in table
    md = format_findings(findings, "md")
    assert "**Regel:** doel tegenover effect ·" in md and "goal-vs-effect" not in md
    assert {item["rule"] for item in json.loads(format_findings(findings, "json"))} == {
        "goal-vs-effect"
    }


def test_merged_rules_show_both_family_names(tmp_path: Path) -> None:
    findings = _two_rules_one_pair(tmp_path)
    (merged,) = [f for f in findings if len(f.rules) == 2]
    assert merged.rule_label == "instrument verwijderd + prikkel tegenover verbod"


def test_counts_of_quotes_and_claims_are_singular_for_one() -> None:
    (finding,) = find_contradictions(engine("asserted-fires"))
    assert len(finding.sources) == 1 and len(finding.corroborated_by) == 1
    assert "(1 citaat; gestaafd door 1 bewering)" in format_findings([finding], "table")


def _dated() -> dict[str, Finding]:
    findings = find_contradictions(engine("dated-by-document"))
    return {f.a.iri.rsplit("-", 1)[-1]: f for f in findings}


def test_valid_from_falls_back_to_the_earliest_ending_source_document() -> None:
    found = _dated()
    # Both sides are in the October 2024 letter; the 2024 paper ends later.
    assert (found["een"].valid_from, found["een"].valid_from_bound) == ("2024-10-01", "2024-10")
    # The later side's bound: the instrument is only in the note of 12 March 2025.
    assert (found["twee"].valid_from, found["twee"].valid_from_bound) == (
        "2025-03-12",
        "2025-03-12",
    )
    # A lifecycle date of one side wins over any document date.
    assert (found["drie"].valid_from, found["drie"].valid_from_bound) == ("2023-05-01", None)
    # Undated documents give no bound.
    assert (found["vier"].valid_from, found["vier"].valid_from_bound) == (None, None)


def test_a_document_bound_is_marked_in_table_and_md_and_iso_in_json() -> None:
    found = _dated()
    table = format_findings([found["een"], found["drie"], found["vier"]], "table")
    assert "≤ 2024-10 – …" in table and "2023-05-01 – …" in table and "… – …" in table
    assert "≤ 2023" not in table
    assert "**Geldig:** ≤ 2024-10 – …" in format_findings([found["een"]], "md")
    (item,) = json.loads(format_findings([found["een"]], "json"))
    assert item["valid_from"] == "2024-10-01" and list(item) == JSON_KEYS


def test_as_of_uses_the_first_day_of_a_document_bound() -> None:
    def present(when: str) -> set[str]:
        findings = find_contradictions(engine("dated-by-document"), as_of=when)
        return {f.a.iri.rsplit("-", 1)[-1] for f in findings}

    assert present("2024-09-30") == {"drie", "vier"}
    assert present("2024-10-01") == {"drie", "een", "vier"}
    assert present("2025-03-12") == {"drie", "een", "twee", "vier"}


def _with_claim_side(target: Path) -> Path:
    """The asserted-fires fixture whose statement names a request as one of its sides."""
    shutil.copytree(RULES / "asserted-fires", target)
    case = target / "graphs" / "case.trig"
    text = case.read_text(encoding="utf-8")
    text = text.replace(
        "ak:conflictBetween maatregel:een , maatregel:twee ;",
        "ak:conflictBetween maatregel:een , claim:oproep ;",
    ).replace(
        "  claim:botsing a",
        '  claim:oproep a ak:Request ; rdfs:label "oproep"@nl ; ak:raisedBy organisatie:vng .\n'
        "  claim:botsing a",
    )
    case.write_text(text, encoding="utf-8")
    return target


def test_a_conflict_side_that_is_a_claim_is_a_check_violation(tmp_path: Path) -> None:
    check = find_query("conflict_side_is_claim_violation")
    assert check.category == "checks"
    assert run_query(engine("asserted-fires"), check) == []
    rows = run_query(open_engine(data_dir=_with_claim_side(tmp_path / "data"), cache=False), check)
    assert [str(r["this"].value) for r in rows] == [expand_iri("claim:botsing")]
    assert expand_iri("claim:oproep") in str(rows[0]["message"].value)


def test_sources_order_does_not_depend_on_engine_row_order() -> None:
    """Regression: a remote store returned quote rows in another order than the embedded
    one, so the same finding listed its sources in a different order."""
    from pyoxigraph import Literal, NamedNode

    from kg.contradictions import _sources

    rows = [
        {"entity": NamedNode("https://x/e"), "quote": Literal(q), "document": NamedNode(d)}
        for q, d in [
            ("b quote", "https://x/d2"),
            ("a quote", "https://x/d1"),
            ("c quote", "https://x/d1"),
        ]
    ]
    titles = {"https://x/d1": "Doc 1", "https://x/d2": "Doc 2"}
    forward = _sources(rows, titles)["https://x/e"]
    backward = _sources(list(reversed(rows)), titles)["https://x/e"]
    assert forward == backward
    assert [s.quote for s in forward] == ["a quote", "c quote", "b quote"]
