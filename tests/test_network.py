"""The networkx projection, impact chains and instrument centrality (kg.network, kg impact)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import KgError
from kg.network import impact_chains, instrument_centrality, project, resolve_entity
from kg.queries import expand_iri
from kg.store import open_engine

TESTS = Path(__file__).resolve().parent
RULES = TESTS / "data" / "rules"
EXAMPLE = TESTS / "data" / "example"
AK = "https://w3id.org/asielketen/def#"


def _project(case: str) -> nx.MultiDiGraph:
    return project(open_engine(data_dir=RULES / case, cache=False))


@pytest.fixture(scope="module")
def duties() -> nx.MultiDiGraph:
    return _project("obligation-without-means-fires")


def test_entities_are_nodes_with_label_types_and_actor_flag(duties: nx.MultiDiGraph) -> None:
    task = duties.nodes[expand_iri("taak:huisvesting")]
    assert task["label"] == "huisvestingstaak"
    assert task["types"] == [AK + "Task"]
    assert task["actor"] is False
    assert duties.nodes[expand_iri("groep:gemeenten")]["actor"] is True
    assert AK + "ActorGroup" in duties.graph["actor_classes"]
    assert duties.graph["labels"][AK + "prohibits"] == "verbiedt"


def test_relations_are_typed_edges_and_concepts_are_attributes(duties: nx.MultiDiGraph) -> None:
    ban, priority = expand_iri("maatregel:verbod"), expand_iri("instrument:voorrang")
    edge = duties.edges[ban, priority, "prohibits"]
    assert edge["relation"] == AK + "prohibits"
    assert edge["label"] == "verbiedt"
    assert edge["graphs"] == [expand_iri("graaf:case")]
    basis = duties.nodes[expand_iri("instrument:exploitatiegrondslag")]
    assert basis["concepts"] == {
        AK + "status": ["https://w3id.org/asielketen/id/begrip/status/ontbreekt"]
    }
    # No node for value-list concepts, quotes or events.
    assert all(not n.startswith("https://w3id.org/asielketen/id/begrip/") for n in duties)


def test_quotes_and_events_are_node_attributes() -> None:
    graph = _project("as-of")
    assert not any("gebeurtenis/" in n for n in graph)
    ban = graph.nodes[expand_iri("maatregel:verbod")]
    assert ban["events"] == []  # its date comes from the bill it is laid down in
    assert ban["valid_from"] == "2025-02-17"
    scheme = graph.nodes[expand_iri("maatregel:tijdelijke-regeling")]
    assert [e["type"].rsplit("/", 1)[-1] for e in scheme["events"]] == [
        "inwerkingtreding",
        "afloop",
    ]
    assert (scheme["valid_from"], scheme["valid_until"]) == ("2024-01-01", "2025-07-01")
    quoted = _project("asserted-fires").nodes[expand_iri("claim:botsing")]
    assert quoted["quotes"] == [
        {"document": expand_iri("bron:case"), "quote": "een en twee staan haaks op elkaar"}
    ]


def test_impact_chain_from_a_ban_to_the_municipalities(duties: nx.MultiDiGraph) -> None:
    ban = expand_iri("maatregel:verbod")
    chains = impact_chains(duties, ban)
    described = [c.describe(duties) for c in chains]
    assert (
        "verbod op voorrang —verbiedt→ voorrang ←vereist— huisvestingstaak "
        "—verantwoordelijke actor→ gemeenten"
    ) in described
    assert "verbod op voorrang —behoudt→ huisvestingstaak —verantwoordelijke actor→ gemeenten" in (
        described
    )
    assert {c.actor for c in chains} == {expand_iri("groep:gemeenten")}
    data = chains[0].to_json(duties)
    assert data["actor"] == {"iri": expand_iri("groep:gemeenten"), "label": "gemeenten"}
    assert [s["inverse"] for s in data["path"]] == [False, False]


def test_impact_chains_respect_depth_and_stop_at_actors(duties: nx.MultiDiGraph) -> None:
    ban = expand_iri("maatregel:verbod")
    assert all(len(c.path) <= 2 for c in impact_chains(duties, ban, max_depth=2))
    assert len(impact_chains(duties, ban, max_depth=2)) < len(impact_chains(duties, ban))
    assert impact_chains(duties, ban, max_depth=1) == []
    # An actor is an end point: nothing is followed out of it.
    assert impact_chains(duties, expand_iri("groep:gemeenten")) == []
    with pytest.raises(KgError, match="not an entity"):
        impact_chains(duties, expand_iri("maatregel:bestaat-niet"))


def test_impact_through_an_expected_effect() -> None:
    graph = _project("capacity-fires")
    chains = impact_chains(graph, expand_iri("maatregel:pact"))
    assert [c.describe(graph) for c in chains] == [
        "pact ←is effect van— pact verhoogt werklast —verhoogt werklast of vraag bij→ gemeenten"
    ]


def test_instrument_centrality_ranks_the_shared_instrument_first() -> None:
    graph = _project("instrument-removed-fires")
    scores = instrument_centrality(graph)
    assert set(scores) == {
        expand_iri(f"instrument:{slug}") for slug in ("regeling", "afgeleide", "onderdeel")
    }
    assert next(iter(scores)) == expand_iri("instrument:regeling")
    assert list(scores.values()) == sorted(scores.values(), reverse=True)


@pytest.mark.parametrize(
    "text, slug",
    [
        ("maatregel:verbod", "maatregel/verbod"),
        ("maatregel/verbod", "maatregel/verbod"),
        ("https://w3id.org/asielketen/id/maatregel/verbod", "maatregel/verbod"),
        ("huisvesting", "taak/huisvesting"),
    ],
)
def test_resolve_entity(duties: nx.MultiDiGraph, text: str, slug: str) -> None:
    assert resolve_entity(duties, text) == expand_iri(slug)


def test_resolve_entity_errors(duties: nx.MultiDiGraph) -> None:
    with pytest.raises(KgError, match="no entity 'nergens'"):
        resolve_entity(duties, "nergens")


def test_kg_impact_command() -> None:
    runner = CliRunner()
    data = ["--data", str(RULES / "obligation-without-means-fires")]
    table = runner.invoke(main, ["impact", "verbod", *data])
    assert table.exit_code == 0, table.output
    assert "gemeenten" in table.output and "←vereist— huisvestingstaak" in table.output
    parsed = json.loads(
        runner.invoke(main, ["impact", "maatregel:verbod", "--format", "json", *data]).output
    )
    assert parsed["entity"]["iri"] == expand_iri("maatregel:verbod") and parsed["chains"]
    csv = runner.invoke(main, ["impact", "maatregel:verbod", "--format", "csv", *data])
    assert csv.output.splitlines()[0] == "actor,actor_label,steps,path"
    central = runner.invoke(main, ["impact", "--centrality", "--format", "json", *data])
    assert {item["iri"] for item in json.loads(central.output)} >= {
        expand_iri("instrument:voorrang")
    }
    assert runner.invoke(main, ["impact", *data]).exit_code == 2
    missing = runner.invoke(main, ["impact", "nergens", *data])
    assert missing.exit_code == 2 and missing.output.startswith("error: no entity 'nergens'")


def test_projection_of_the_example_data_has_every_typed_entity() -> None:
    engine = open_engine(data_dir=EXAMPLE, cache=False)
    graph = project(engine)
    rows = engine.select(
        "SELECT DISTINCT ?s WHERE { ?s a ?t FILTER(STRSTARTS(STR(?t), "
        '"https://w3id.org/asielketen/def#") && ?t NOT IN (<https://w3id.org/asielketen/def#Quote>,'
        " <https://w3id.org/asielketen/def#LifecycleEvent>)) }"
    )
    assert {
        str(r["s"].value) if type(r["s"]).__name__ != "BlankNode" else f"_:{r['s'].value}"
        for r in rows
    } == set(graph.nodes)
    assert graph.number_of_edges() > 0


CLAIMS_TRIG = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix ak: <https://w3id.org/asielketen/def#> .
@prefix graaf: <https://w3id.org/asielketen/id/graaf/> .
@prefix bron: <https://w3id.org/asielketen/id/bron/> .
@prefix claim: <https://w3id.org/asielketen/id/claim/> .
@prefix instrument: <https://w3id.org/asielketen/id/instrument/> .
@prefix organisatie: <https://w3id.org/asielketen/id/organisatie/> .

GRAPH graaf:case {
  organisatie:vng a ak:Association ; rdfs:label "VNG"@nl .
  instrument:voorrang a ak:Instrument ; rdfs:label "voorrang"@nl ;
      ak:hasQuote [ a ak:Quote ; ak:inDocument bron:brief-2024-10 ; oa:exact "voorrang" ] .
  claim:bezwaar a ak:Objection ; rdfs:label "bezwaar"@nl ; ak:raisedBy organisatie:vng ;
      ak:concerns instrument:voorrang ;
      ak:hasQuote [ a ak:Quote ; ak:inDocument bron:paper-2024 ; oa:exact "bezwaar" ] ,
        [ a ak:Quote ; ak:inDocument bron:brief-2024-10 ; oa:exact "bezwaar" ] .
  claim:later a ak:Claim ; rdfs:label "later"@nl ; ak:raisedBy organisatie:vng ;
      ak:hasQuote [ a ak:Quote ; ak:inDocument bron:nota-2025-03-12 ; oa:exact "later" ] .
  claim:ongedateerd a ak:Claim ; rdfs:label "ongedateerd"@nl ; ak:raisedBy organisatie:vng ;
      ak:hasQuote [ a ak:Quote ; ak:inDocument bron:ongedateerd ; oa:exact "ongedateerd" ] .
}
"""


def test_a_claim_holds_from_the_document_that_reports_it(tmp_path: Path) -> None:
    # What an actor said did not exist before the document that reports it: the graph
    # view's date selector showed 2025 objections on a 2023 date. An instrument quoted in
    # the same letter existed before it, so it keeps no date.
    (tmp_path / "graphs").mkdir()
    (tmp_path / "sources").mkdir()
    (tmp_path / "graphs" / "case.trig").write_text(CLAIMS_TRIG, encoding="utf-8")
    dated = RULES / "dated-by-document" / "sources" / "sources.ttl"
    (tmp_path / "sources" / "sources.ttl").write_text(dated.read_text("utf-8"), "utf-8")
    graph = project(open_engine(data_dir=tmp_path, cache=False))
    valid_from = {n.rsplit("/", 1)[-1]: graph.nodes[n]["valid_from"] for n in graph}
    assert valid_from["bezwaar"] == "2024-10-01"  # the letter ends before the paper
    assert valid_from["later"] == "2025-03-12"
    assert valid_from["ongedateerd"] is None
    assert valid_from["voorrang"] is None
    assert valid_from["vng"] is None
