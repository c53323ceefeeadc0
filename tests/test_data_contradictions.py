"""The curated relations let the rules derive the contradictions the texts describe.

For each family of DESIGN.md that a source text supports, one case the rule must find on
the real data, with the relation it stands on quoted in the named graph. Family 7 (duration
mismatch) is only asserted: the position paper says the shorter permit clashes with the
integration trajectories but gives no trajectory length, so no duration can be derived.
"""

from __future__ import annotations

import pytest

from kg.namespaces import BASE
from kg.paths import DATA_DIR
from kg.queries import find_query, run_query
from kg.store import EmbeddedEngine, build_in_memory

ID = f"{BASE}id/"


@pytest.fixture(scope="module")
def engine() -> EmbeddedEngine:
    return build_in_memory(DATA_DIR)


def _found(engine: EmbeddedEngine, rule: str) -> set[tuple[str, str, str | None]]:
    rows = run_query(engine, find_query(rule))
    return {
        (
            row["a"].value.removeprefix(ID),
            row["b"].value.removeprefix(ID),
            row["pivot"].value.removeprefix(ID) if row.get("pivot") is not None else None,
        )
        for row in rows
    }


@pytest.mark.parametrize(
    ("rule", "a", "b", "pivot"),
    [
        # 1. The doorstroom measure depends on locations the ban on priority forbids.
        (
            "instrument-removed",
            "maatregel/stimulering-doorstroomlocaties",
            "maatregel/verbod-op-voorrang-statushouders",
            "instrument/doorstroomlocatie",
        ),
        # 2. A bonus for faster housing against the ban on priority.
        (
            "incentive-vs-prohibition",
            "maatregel/eenmalige-bijdrage-huisvesting-statushouders",
            "maatregel/verbod-op-voorrang-statushouders",
            "instrument/voorrang-huisvesting-statushouders",
        ),
        # 3. The retained housing task loses its instrument; the own contribution lacks a basis.
        (
            "obligation-without-means",
            "taak/huisvestingstaakstelling",
            "maatregel/verbod-op-voorrang-statushouders",
            "instrument/voorrang-huisvesting-statushouders",
        ),
        (
            "obligation-without-means",
            "taak/innen-eigen-bijdrage-oekrainers",
            "instrument/dwangbevel-eigen-bijdrage",
            "instrument/dwangbevel-eigen-bijdrage",
        ),
        (
            "obligation-without-means",
            "taak/opvang-asielzoekers-spreidingswet",
            "maatregel/intrekking-spreidingswet",
            "wet/spreidingswet",
        ),
        # 4. Goals of the bills against the effects the VNG expects of them.
        (
            "goal-vs-effect",
            "wetsvoorstel/asielnoodmaatregelenwet",
            "wetsvoorstel/asielnoodmaatregelenwet",
            "doel/verlagen-druk-asielketen",
        ),
        (
            "goal-vs-effect",
            "wetsvoorstel/asielnoodmaatregelenwet",
            "wetsvoorstel/wet-invoering-tweestatusstelsel",
            "doel/versnellen-asielprocedure",
        ),
        (
            "goal-vs-effect",
            "wet/spreidingswet",
            "maatregel/intrekking-spreidingswet",
            "doel/voldoende-en-evenwichtig-gespreide-opvangcapaciteit",
        ),
        # 5. More work for the COA against budget cuts that stop it developing locations.
        (
            "capacity",
            "wetsvoorstel/asielnoodmaatregelenwet",
            "maatregel/bezuinigingen-asielopvang",
            "organisatie/coa",
        ),
        # 6. Instruments removed with no alternative in place.
        (
            "sequencing",
            "maatregel/beeindiging-lvv",
            "instrument/landelijke-vreemdelingenvoorziening",
            None,
        ),
        ("sequencing", "maatregel/intrekking-spreidingswet", "wet/spreidingswet", None),
        # Asserted by the VNG, among them family 7.
        (
            "asserted",
            "maatregel/eenmalige-bijdrage-huisvesting-statushouders",
            "maatregel/verbod-op-voorrang-statushouders",
            "doel/sneller-huisvesten-statushouders",
        ),
        (
            "asserted",
            "maatregel/verkorting-verblijfsvergunning",
            "wet/wet-inburgering-2021",
            "instrument/inburgeringstraject",
        ),
    ],
)
def test_the_rule_finds_what_the_text_says(
    engine: EmbeddedEngine, rule: str, a: str, b: str, pivot: str | None
) -> None:
    assert (a, b, pivot) in _found(engine, rule)
