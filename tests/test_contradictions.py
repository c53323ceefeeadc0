"""The contradiction rules and engine on small fixtures (tests/data/rules/, see its README).

Each rule of queries/contradictions/ has a case where it must fire and one where it must
not; one parametrised test walks them. Further tests pin merging, corroboration, the JSON
shape, the explanations, the filters, ``--as-of`` and the command.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.contradictions import Finding, find_contradictions, format_findings
from kg.errors import KgError
from kg.paths import QUERIES_DIR
from kg.queries import catalogue, expand_iri
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


def test_findings_of_two_rules_about_the_same_pair_and_pivot_merge(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    (folder / "graphs").mkdir(parents=True)
    source = (RULES / "incentive-vs-prohibition-fires" / "graphs" / "case.trig").read_text()
    # The bonus now also requires what it funds: instrument-removed finds the same pair.
    source = source.replace(
        "ak:funds instrument:voorrang .",
        "ak:funds instrument:voorrang ; ak:requires instrument:voorrang .",
    )
    (folder / "graphs" / "case.trig").write_text(source)
    findings = find_contradictions(open_engine(data_dir=folder, cache=False))
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
        "De taak ‘huisvestingstaak’ van ‘gemeenten’, die volgens ‘verbod op voorrang’ zelf "
        "blijft bestaan, vereist ‘voorrang’, maar ‘verbod op voorrang’ verbiedt dat; de taak "
        "blijft zo bestaan zonder het middel om haar uit te voeren."
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


def test_severity_of_an_asserted_statement_can_come_from_the_data(tmp_path: Path) -> None:
    """Any property of the statement whose value is a concept of begrip/ernst sets it."""
    (tmp_path / "graphs").mkdir()
    text = (RULES / "asserted-fires" / "graphs" / "case.trig").read_text(encoding="utf-8")
    text = text.replace(
        "ak:conflictPivot instrument:spil ;",
        "ak:conflictPivot instrument:spil ;\n"
        "      <https://example.org/ernst> <https://w3id.org/asielketen/id/begrip/ernst/hoog> ;",
    )
    (tmp_path / "graphs" / "case.trig").write_text(text, encoding="utf-8")
    (finding,) = find_contradictions(open_engine(data_dir=tmp_path, cache=False))
    assert finding.severity == "hoog"
