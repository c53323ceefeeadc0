"""kg check: each kind of problem is found, named, and gets the right exit code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.check import run_checks
from kg.cli import main
from kg.errors import InputError

from .conftest import EXAMPLE


def _edit(folder: Path, old: str, new: str, file: str = "graphs/example.trig") -> Path:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _check(folder: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", "--data", str(folder), *args])
    return result.exit_code, result.stdout, result.stderr


def test_example_is_clean_with_every_step() -> None:
    report = run_checks(EXAMPLE)
    assert report.exit_code == 0, [f.message for f in report.failing()]
    assert report.counts["quotes"] == report.counts["quotes anchored"] == 44
    assert report.counts["check queries"] >= 4
    assert report.reasoner in {"HermiT", "OWL 2 RL (owlrl)"}
    assert [d.focus for d in report.drafts] == ["maatregel:tweede-verbod"]


@pytest.mark.parametrize("reasoner", ["hermit", "owlrl"])
def test_individual_in_two_disjoint_classes_fails_naming_the_clash(
    example_copy: Path, reasoner: str
) -> None:
    if reasoner == "hermit" and shutil.which("java") is None:
        pytest.skip("HermiT needs Java")
    _edit(
        example_copy,
        "maatregel:verbod-op-voorrang a ak:Measure ;",
        "maatregel:verbod-op-voorrang a ak:Measure , ak:Task ;",
    )
    code, out, _ = _check(example_copy, "--reasoner", reasoner)
    assert code == 1
    clash = [line for line in out.splitlines() if "disjoint classes" in line]
    assert len(clash) == 1
    assert "maatregel:verbod-op-voorrang" in clash[0]
    assert "ak:Measure and ak:Task" in clash[0]
    assert "example.trig:" in clash[0]


def test_shacl_violation_names_shape_and_focus_node(example_copy: Path) -> None:
    _edit(
        example_copy,
        """      rdfs:label "VNG: bezwaar tegen het verbod op voorrang"@nl ;
      ak:raisedBy organisatie:vng ;""",
        """      rdfs:label "VNG: bezwaar tegen het verbod op voorrang"@nl ;""",
    )
    code, out, _ = _check(example_copy, "--reasoner", "none")
    assert code == 1
    lines = [line for line in out.splitlines() if "claim:vng-bezwaar-verbod" in line]
    assert any("aksh:ObjectionShape (ak:raisedBy)" in line for line in lines), out
    assert any("aksh:ClaimShape (ak:raisedBy)" in line for line in lines), out
    assert all("example.trig:" in line for line in lines)


def test_wrong_datatype_is_a_violation_with_the_value(example_copy: Path) -> None:
    _edit(example_copy, 'ak:date "2025-02-03"^^xsd:date', 'ak:date "3 februari 2025"')
    report = run_checks(example_copy, reasoner=False)
    messages = [f.message for f in report.failing()]
    assert any("xsd:gYearMonth" in m and "3 februari 2025" in m for m in messages), messages


def test_turtle_syntax_error_exits_2_with_file_and_line(example_copy: Path) -> None:
    path = _edit(
        example_copy,
        'rdfs:label "Voorbeeldwet 2014"@nl ;',
        'rdfs:label "Voorbeeldwet 2014"@nl ; ;; ]',
    )
    line = next(
        n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ";; ]" in text
    )
    code, out, err = _check(example_copy)
    assert code == 2
    assert out == ""
    assert err.startswith(f"error: {path}:{line}:")
    assert "Traceback" not in err
    with pytest.raises(InputError):
        run_checks(example_copy)


def test_syntax_error_in_sources_ttl_is_also_bad_input(example_copy: Path) -> None:
    _edit(example_copy, 'ak:file "example.txt" ;', 'ak:file "example.txt ;', "sources/sources.ttl")
    code, _, err = _check(example_copy)
    assert code == 2 and "sources.ttl:" in err


def test_unanchored_quote_lists_file_entity_and_quote(example_copy: Path) -> None:
    _edit(
        example_copy,
        'oa:exact "Het COA voert de opvang uit"',
        'oa:exact "Het COA voert de opvang niet uit"',
    )
    code, out, _ = _check(example_copy, "--reasoner", "none")
    assert code == 1
    line = next(line for line in out.splitlines() if "not found" in line)
    assert "organisatie:coa" in line
    assert '"Het COA voert de opvang niet uit"' in line
    assert "example.trig:" in line and "example.txt" in line


def test_ambiguous_quote_is_a_warning_that_fails_only_when_strict(example_copy: Path) -> None:
    _edit(example_copy, 'oa:exact "gemeenten" ;\n          oa:prefix "De VNG vertegenwoordigt" ]',
          'oa:exact "gemeenten" ]')
    code, out, _ = _check(example_copy, "--reasoner", "none")
    assert code == 0 and "add oa:prefix or oa:suffix" in out
    code, _, _ = _check(example_copy, "--reasoner", "none", "--strict")
    assert code == 1


def test_misspelt_ontology_term_is_found_by_a_check_query(example_copy: Path) -> None:
    _edit(example_copy, "ak:effectOf maatregel:verbod-op-voorrang ;",
          "ak:effectof maatregel:verbod-op-voorrang ;")
    report = run_checks(example_copy, reasoner=False)
    found = [f for f in report.failing() if f.rule == "unknown_term_violation.rq"]
    assert len(found) == 1 and "ak:effectof" in found[0].message
    assert found[0].focus == "claim:vng-verbod-vermindert-doorstroom"


def test_amendment_of_something_that_is_not_a_bill(example_copy: Path) -> None:
    _edit(example_copy, "ak:amends wetsvoorstel:wet-voorbeeldhuisvesting ;\n      ak:theme",
          "ak:amends wet:voorbeeldwet-2014 ;\n      ak:theme")
    report = run_checks(example_copy, reasoner=False, skip=["shacl", "quotes"])
    assert [f.focus for f in report.failing()] == ["amendement:pietersen"]


def test_graph_in_the_wrong_file_and_graph_without_text(example_copy: Path) -> None:
    (example_copy / "graphs" / "example.trig").rename(example_copy / "graphs" / "other.trig")
    report = run_checks(example_copy, reasoner=False, skip=["shacl", "quotes", "queries"])
    assert [f.message.split(";")[0] for f in report.failing()] == [
        "declares the graph graaf:example"
    ]


def test_problems_of_drafts_are_reported_with_the_draft_and_do_not_fail(
    example_copy: Path,
) -> None:
    _edit(example_copy, 'oa:exact "mogelijk volgt een tweede verbod"',
          'oa:exact "mogelijk volgt een derde verbod"')
    code, out, _ = _check(example_copy, "--reasoner", "none")
    assert code == 0
    assert 'maatregel:tweede-verbod "tweede verbod" (2 open problems)' in out


def test_json_report(example_copy: Path) -> None:
    import json

    _edit(example_copy, 'oa:exact "Het COA voert de opvang uit"', 'oa:exact "COA?"')
    code, out, _ = _check(example_copy, "--reasoner", "none", "--format", "json")
    data = json.loads(out)
    assert code == data["exit_code"] == 1
    assert {f["step"] for f in data["findings"] if f["severity"] == "violation"} == {"quotes"}


def test_without_java_the_owlrl_fallback_runs_with_a_notice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import kg.reason

    monkeypatch.setattr(kg.reason, "java_available", lambda: None)
    report = run_checks(EXAMPLE, skip=["shacl", "quotes", "queries"])
    assert report.reasoner == "OWL 2 RL (owlrl)" and report.exit_code == 0
    assert "Java not found: checked with OWL 2 RL (owlrl) instead of HermiT" in report.notices
