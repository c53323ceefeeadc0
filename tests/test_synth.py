"""Tests of the synthetic data generator (``kg synth``): layout, conventions, rates, scale."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.anchor import find_quote, normalise
from kg.cli import main
from kg.synth import FAMILIES, NEAR_MISS_PER_1000, PLANTED_PER_1000, generate

AK = "https://w3id.org/asielketen/def#"
OA = "http://www.w3.org/ns/oa#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
BASE = "https://w3id.org/asielketen/"


@pytest.fixture(scope="module")
def synth_1000(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "n1000"
    generate(out, measures=1000, seed=7)
    return out


def _load(folder: Path) -> ox.Store:
    store = ox.Store()
    for path in sorted((folder / "graphs").glob("*.trig")):
        store.bulk_load(path=path, format=ox.RdfFormat.TRIG)
    store.bulk_load(
        path=folder / "sources" / "sources.ttl",
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode(BASE + "id/graaf/bronnen"),
    )
    return store


def _select(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_layout_and_counts(synth_1000: Path) -> None:
    expected = json.loads((synth_1000 / "expected.json").read_text(encoding="utf-8"))
    names = sorted(p.stem for p in (synth_1000 / "graphs").glob("*.trig"))
    texts = sorted(p.stem for p in (synth_1000 / "sources").glob("*.txt"))
    assert names == texts and len(names) == expected["sources"] == 4
    assert expected["measures"] == 1000
    store = _load(synth_1000)
    assert len(store) == expected["triples"]
    measures = _select(store, f"SELECT (COUNT(DISTINCT ?m) AS ?n) {{ ?m a <{AK}Measure> }}")
    assert measures[0]["n"] == "1000"
    # Every graph is the graph of its own source document.
    graphs = {g.value for g in store.named_graphs()}
    assert graphs == {BASE + f"id/graaf/{n}" for n in names} | {BASE + "id/graaf/bronnen"}
    described = _select(store, f"SELECT ?f {{ ?d a <{AK}SourceDocument> ; <{AK}file> ?f }}")
    assert sorted(r["f"] for r in described) == [f"{n}.txt" for n in names]


def test_planted_rates(synth_1000: Path) -> None:
    expected = json.loads((synth_1000 / "expected.json").read_text(encoding="utf-8"))
    counts = Counter(c["family"] for c in expected["contradictions"])
    assert counts == {f: PLANTED_PER_1000[f] for f in FAMILIES}
    assert expected["near_misses"] == NEAR_MISS_PER_1000
    origins = Counter(c["origin"] for c in expected["contradictions"])
    assert origins == {"derived": 70, "asserted": 10}
    # Some planted pairs span two source documents, so rules must join across graphs.
    assert any(len(set(c["graphs"])) == 2 for c in expected["contradictions"])


def test_planted_pivots_are_not_shared(synth_1000: Path) -> None:
    """Each planted pair has its own pivot, so findings grow linearly with N."""
    expected = json.loads((synth_1000 / "expected.json").read_text(encoding="utf-8"))
    pivots = [c["pivot"] for c in expected["contradictions"] if c["pivot"]]
    assert len(pivots) == len(set(pivots))
    pairs = [(c["a"], c["b"]) for c in expected["contradictions"]]
    assert len(pairs) == len(set(pairs))


def test_planted_structure_is_in_the_graph(synth_1000: Path) -> None:
    """The statements a rule family rests on are there for every planted contradiction."""
    store = _load(synth_1000)
    expected = json.loads((synth_1000 / "expected.json").read_text(encoding="utf-8"))

    def ask(query: str) -> bool:
        return bool(store.query(query, use_default_graph_as_union=True))

    for c in expected["contradictions"]:
        a, b, pivot = f"<{c['a']}>", f"<{c['b']}>", f"<{c['pivot']}>" if c["pivot"] else None
        family = c["family"]
        if family == "instrument-verwijderd":
            assert ask(f"ASK {{ {a} <{AK}requires> {pivot} . {b} <{AK}prohibits> {pivot} }}")
        elif family == "prikkel-tegen-verbod":
            assert ask(
                f"ASK {{ {a} <{AK}funds>|<{AK}incentivises> {pivot} . "
                f"{b} <{AK}prohibits> {pivot} }}"
            )
        elif family == "taak-zonder-middelen":
            assert ask(f"ASK {{ {a} a <{AK}Task> . ?m <{AK}imposesTask> {a} }}")
            if pivot:
                assert ask(f"ASK {{ {a} <{AK}requires> {pivot} . {b} <{AK}prohibits> {pivot} }}")
            else:
                ontbreekt = f"<{BASE}id/begrip/status/ontbreekt>"
                assert ask(f"ASK {{ {a} <{AK}requires> {b} . {b} <{AK}status> {ontbreekt} }}")
        elif family == "doel-tegen-effect":
            assert ask(
                f"ASK {{ {a} <{AK}hasGoal> {pivot} . ?e <{AK}effectOf> {b} ; "
                f"<{AK}worksAgainst> {pivot} ; <{AK}raisedBy> ?who }}"
            )
        elif family == "capaciteit":
            assert ask(
                f"ASK {{ {a} <{AK}increasesDemandOn> {pivot} . "
                f"{b} <{AK}reducesCapacityOf> {pivot} }}"
            )
        elif family == "volgorde":
            if c["pivot"]:
                assert ask(
                    f"ASK {{ {a} <{AK}abolishes> {pivot} . {b} <{AK}replaces> {pivot} . "
                    f"?ea <{AK}eventOf> {a} ; <{AK}eventType> ?t ; <{AK}date> ?da . "
                    f"?eb <{AK}eventOf> {b} ; <{AK}eventType> ?t ; <{AK}date> ?db . "
                    f"FILTER(?t = <{BASE}id/begrip/gebeurtenis/inwerkingtreding> && ?da < ?db) }}"
                )
            else:
                assert ask(f"ASK {{ {a} <{AK}abolishes> {b} }}")
                assert not ask(f"ASK {{ ?alt <{AK}replaces>|<{AK}alternativeFor> {b} }}")
        elif family == "duur":
            assert ask(
                f"ASK {{ {a} <{AK}setsDuration> ?d1 . ?d1 <{AK}durationOf> {pivot} ; "
                f"<{AK}months> ?m1 . {b} <{AK}reliesOnDuration> ?d2 . "
                f"?d2 <{AK}durationOf> {pivot} ; "
                f"<{AK}months> ?m2 . FILTER(?m1 < ?m2) }}"
            )
        else:
            assert family == "beweerd" and c["origin"] == "asserted"
            (statement,) = c["claims"]
            assert ask(
                f"ASK {{ <{statement}> a <{AK}ConflictStatement> ; "
                f"<{AK}conflictBetween> {a}, {b} ; <{AK}raisedBy> ?who }}"
            )


def test_every_typed_entity_has_label_and_quote(synth_1000: Path) -> None:
    store = _load(synth_1000)
    missing = _select(
        store,
        f"""SELECT ?s ?g {{ GRAPH ?g {{ ?s a ?c }}
            FILTER(?c != <{AK}Quote> && ?c != <{AK}SourceDocument>)
            FILTER NOT EXISTS {{ GRAPH ?g {{ ?s <{RDFS_LABEL}> ?l ; <{AK}hasQuote> ?q }} }}
        }}""",
    )
    assert missing == []
    labels = _select(
        store,
        f"SELECT ?s (COUNT(DISTINCT ?l) AS ?n) {{ ?s <{RDFS_LABEL}> ?l }} "
        "GROUP BY ?s HAVING (?n > 1)",
    )
    assert labels == []


def test_every_quote_anchors_once_in_its_own_source(synth_1000: Path) -> None:
    store = _load(synth_1000)
    rows = _select(
        store,
        f"""SELECT ?g ?doc ?exact {{ GRAPH ?g {{ ?q a <{AK}Quote> ;
              <{AK}inDocument> ?doc ; <{OA}exact> ?exact }} }}""",
    )
    assert len(rows) > 1000
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (synth_1000 / "sources").glob("*.txt")}
    normalised = {name: normalise(text) for name, text in texts.items()}
    for i, row in enumerate(rows):
        name = row["doc"].rsplit("/", 1)[1]
        assert row["g"] == BASE + f"id/graaf/{name}"
        # Counting in the normalised text is what find_quote does, without normalising the
        # whole text again for every quote; find_quote itself checks every 25th.
        assert normalised[name].count(normalise(row["exact"]).strip()) == 1, row
        if i % 25 == 0:
            span = find_quote(texts[name], row["exact"])
            assert span is not None and span.matches == 1, row


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    generate(tmp_path / "a", measures=300, seed=3)
    generate(tmp_path / "b", measures=300, seed=3)
    generate(tmp_path / "c", measures=300, seed=4)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_size_grows_linearly(tmp_path: Path) -> None:
    small = generate(tmp_path / "small", measures=2000, seed=1)
    large = generate(tmp_path / "large", measures=8000, seed=1)
    assert large.sources == 8 and small.sources == 4
    assert 3.8 < large.triples / small.triples < 4.2
    assert sum(large.counts().values()) == 4 * sum(small.counts().values())


def test_overwrites_its_own_output_but_not_other_folders(tmp_path: Path) -> None:
    out = tmp_path / "synth"
    generate(out, measures=900, seed=1)
    result = generate(out, measures=50, seed=1)
    assert len(list((out / "graphs").glob("*.trig"))) == result.sources == 4
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine", encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(main, ["synth", "--measures", "10", "--out", str(other)])
    assert refused.exit_code == 2
    assert "not empty" in refused.output and (other / "keep.txt").is_file()


def test_cli_writes_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "cli"
    result = CliRunner().invoke(main, ["synth", "--measures", "1000", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 1000 measures in 4 sources" in result.output
    assert "instrument-verwijderd 10" in result.output
    bad = CliRunner().invoke(main, ["synth", "--measures", "0", "--out", str(out)])
    assert bad.exit_code == 2
