"""Correctness at scale: the rules find exactly the contradictions ``kg synth`` planted.

At N = 1,000 measures (four source documents, some pairs across two of them) every
planted contradiction must be found with its rule family, sides in order, pivot and
corroborating claims, and nothing else may be found: the near misses in the data (an
alternative in force before the abolition, a permit that outlasts the trajectory, a goal
and an effect pulling the same way, a task whose instrument stays, ...) must not fire.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.contradictions import Finding, find_contradictions
from kg.queries import catalogue
from kg.store import open_engine
from kg.synth import FAMILIES, PLANTED_PER_1000, generate

Key = tuple[str, frozenset[str], str | None]


def _families() -> dict[str, str]:
    """Rule file name to its family slug (``#+ rule:`` in the header)."""
    return {q.name: q.rule or q.name for q in catalogue() if q.category == "contradictions"}


def _expected(folder: Path) -> dict[Key, dict[str, Any]]:
    planted = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return {
        (c["family"], frozenset((c["a"], c["b"])), c["pivot"]): c for c in planted["contradictions"]
    }


def _found(findings: list[Finding]) -> dict[Key, Finding]:
    families = _families()
    out: dict[Key, Finding] = {}
    for f in findings:
        family = "+".join(families[name] for name in f.rule.split("+"))
        key = (family, frozenset((f.a.iri, f.b.iri)), f.pivot.iri if f.pivot else None)
        assert key not in out, f"duplicate finding {key}"
        out[key] = f
    return out


@pytest.fixture(scope="module", params=[0, 11])
def synth(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"synth-{request.param}") / "data"
    generate(out, measures=1000, seed=request.param)
    return out


def test_rules_find_exactly_the_planted_contradictions(synth: Path) -> None:
    engine = open_engine(synth, cache=False)
    expected = _expected(synth)
    found = _found(find_contradictions(engine))
    missing = sorted(str(k) for k in expected.keys() - found.keys())
    extra = sorted(str(k) for k in found.keys() - expected.keys())
    assert not missing and not extra, f"missing {missing[:5]}, extra {extra[:5]}"
    assert Counter(k[0] for k in found) == {f: PLANTED_PER_1000[f] for f in FAMILIES}
    for key, planted in expected.items():
        finding = found[key]
        assert finding.origin == planted["origin"], key
        if planted["origin"] == "derived":
            assert (finding.a.iri, finding.b.iri) == (planted["a"], planted["b"]), key
        assert sorted(finding.corroborated_by) == sorted(planted["claims"]), key
        assert finding.sources, key


def test_origin_filter_splits_derived_and_asserted(synth: Path) -> None:
    engine = open_engine(synth, cache=False)
    expected = _expected(synth)
    derived = _found(find_contradictions(engine, origin="derived"))
    asserted = _found(find_contradictions(engine, origin="asserted"))
    assert derived.keys() == {k for k, c in expected.items() if c["origin"] == "derived"}
    assert asserted.keys() == {k for k, c in expected.items() if c["origin"] == "asserted"}


def test_cli_json_at_scale(synth: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_BUILD_DIR", str(tmp_path / "build"))
    result = CliRunner().invoke(main, ["contradictions", "--data", str(synth), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    findings = json.loads(result.stdout)
    families = _families()
    got = {
        (
            families[f["rule"]],
            frozenset((f["a"]["iri"], f["b"]["iri"])),
            f["pivot"]["iri"] if f["pivot"] else None,
        )
        for f in findings
    }
    assert got == set(_expected(synth))
