"""kg ingest: finding known entities and candidates, the draft graph, registering, and
leaving drafts out of queries (issue 9).

The letter ``tests/data/ingest/vng-voorbeeldbrief-vervolg-2025-03.txt`` is ingested into a
copy of the example data folder (see tests/data/README.md).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from kg.check import run_checks
from kg.cli import main
from kg.drafts import DraftFreeEngine, draft_graphs, without_drafts
from kg.errors import InputError
from kg.ingest import (
    IngestResult,
    Matcher,
    Quote,
    Relation,
    Text,
    Vocabulary,
    build_report,
    check_quote,
    infer_date,
    ingest,
    parse_date,
    quote_at,
    slugify,
    stem,
)
from kg.store import EmbeddedEngine, Rows, open_engine

from .conftest import TESTS

LETTER = TESTS / "data" / "ingest" / "vng-voorbeeldbrief-vervolg-2025-03.txt"
NAME = LETTER.stem
ID = "https://w3id.org/asielketen/id/"
AK = rdflib.Namespace("https://w3id.org/asielketen/def#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
CONCEPT = rdflib.URIRef(ID + "begrip/beoordeling/concept")
GRAPH = rdflib.URIRef(ID + "graaf/" + NAME)
TITLE = "Ledenbrief: vervolg van de Wet voorbeeldhuisvesting"


def _ingest(folder: Path, **options: object) -> IngestResult:
    settings: dict[str, object] = {
        "publisher": "VNG", "date": "2025-03", "kind": "ledenbrief", "title": TITLE,
    }
    settings.update(options)
    return ingest(LETTER, data_dir=folder, **settings)  # type: ignore[arg-type]


def _draft(folder: Path) -> rdflib.Graph:
    dataset = rdflib.Dataset()
    dataset.parse(folder / "graphs" / f"{NAME}.trig", format="trig")
    return dataset.graph(GRAPH)


def _literal(
    graph: rdflib.Graph, subject: rdflib.term.Node, predicate: rdflib.URIRef
) -> rdflib.Literal:
    value = graph.value(subject, predicate)
    assert isinstance(value, rdflib.Literal), (subject, predicate, value)
    return value


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _mentions(text: str, names: dict[str, list[str]], relations: list[Relation] | None = None
              ) -> list[tuple[str, str]]:
    t = Text.read(text)
    return [(m.iri, t.text[m.start:m.end]) for m in Matcher(names, relations or []).find(t)]


# --------------------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("a", "b"),
    [("plekken", "plek"), ("taken", "taak"), ("intrekking", "intrekken"),
     ("beschikbare", "beschikbaar"), ("statushouders", "statushouder"),
     ("belandt", "belanden"), ("neemt", "nemen"), ("Oekraïners", "oekrainer"),
     ("locaties", "locatie"), ("huisvesting", "huisvesten"), ("betere", "goede")],
)
def test_inflected_forms_share_a_stem(a: str, b: str) -> None:
    assert stem(a) == stem(b)


@pytest.mark.parametrize(("a", "b"), [("gemeente", "gemeentelijk"), ("opvang", "opvanglocatie"),
                                      ("voorrang", "voorraad"), ("algemeen", "algemene regel")])
def test_different_words_keep_different_stems(a: str, b: str) -> None:
    assert stem(a) != stem(b)


def test_abbreviations_match_as_written_on_word_boundaries() -> None:
    names = {"urn:coa": ["Centraal Orgaan opvang asielzoekers", "COA"]}
    text = "Het coalitieakkoord, de coach en de coa niet; wel het COA, COA-opvang en COA’s."
    assert [m for _, m in _mentions(text, names)] == ["COA", "COA", "COA’s"]


def test_plural_and_line_end_hyphenation_are_tolerated() -> None:
    names = {"urn:taak": ["taakstelling voor gemeenten"], "urn:wet": ["Wet voorbeeldhuisvesting"]}
    found = _mentions("De taakstellingen voor gemeenten en de Wet voorbeeld-\nhuisvesting.", names)
    assert found == [("urn:taak", "taakstellingen voor gemeenten"),
                     ("urn:wet", "Wet voorbeeldhuisvesting")]


def test_compounds_written_in_parts_are_found() -> None:
    names = {"urn:crisis": ["crisisnoodopvang"], "urn:nood": ["noodopvang"]}
    found = _mentions("De druk verschuift naar crisis- en noodopvang en (nood)opvang.", names)
    assert found == [("urn:crisis", "crisis- en noodopvang"), ("urn:nood", "noodopvang"),
                     ("urn:nood", "nood)opvang")]


def test_the_words_of_a_name_in_another_order_are_found() -> None:
    names = {"urn:druk": ["druk op de asielketen"]}
    found = _mentions("Maatregelen die de asielketen verder onder druk zetten.", names)
    assert found == [("urn:druk", "asielketen verder onder druk")]


def test_a_measure_is_found_through_what_it_abolishes() -> None:
    names = {"urn:wet": ["Spreidingswet"], "urn:intrekking": ["intrekking van de Spreidingswet"]}
    relations = [Relation("urn:intrekking", "abolish", "urn:wet")]
    found = _mentions("Het kabinet wil de Spreidingswet afschaffen.", names, relations)
    assert ("urn:intrekking", "Spreidingswet afschaffen") in found
    assert _mentions("Het kabinet wil de Spreidingswet behouden.", names, relations) == [
        ("urn:wet", "Spreidingswet")]


def _found(text: str, names: dict[str, list[str]], **graph: object) -> list[tuple[str, str, str]]:
    t = Text.read(text)
    matcher = Matcher(names, **graph)  # type: ignore[arg-type]
    return [(m.iri, m.how, t.text[m.start:m.end]) for m in matcher.find(t)]


def test_words_for_the_same_act_stand_in_for_each_other() -> None:
    names = {"urn:bezuiniging": ["bezuinigingen op de middelen voor opvang"]}
    found = _found("De middelen voor de opvang worden fors gekort.", names)
    assert [(iri, how) for iri, how, _ in found] == [("urn:bezuiniging", "words")]
    assert _found("De middelen voor de opvang worden fors verhoogd.", names) == []


def test_a_goal_names_the_factor_it_raises_with_a_word_for_raising() -> None:
    names = {"urn:doel": ["evenwichtig gespreide opvangcapaciteit"],
             "urn:factor": ["beschikbare bedden"]}
    relations = [Relation("urn:doel", "increase", "urn:factor")]
    found = _found("De wet borgt evenwichtig gespreide opvangcapaciteit.", names,
                   relations=relations)
    assert ("urn:factor", "relation", "borgt evenwichtig gespreide opvangcapaciteit") in found
    found = _found("De wet noemt evenwichtig gespreide opvangcapaciteit.", names,
                   relations=relations)
    assert [iri for iri, _, _ in found] == ["urn:doel"]


def test_a_compound_of_a_names_head_names_it_and_the_entity_in_its_complement() -> None:
    names = {"urn:taak": ["gemeentelijke opvang van ontheemden uit Oekraïne"],
             "urn:groep": ["ontheemden uit Oekraïne"]}
    text = "Zorgen over de continuïteit rondom de Oekraïne opvang."
    linked = {"urn:taak": ["urn:groep"], "urn:groep": ["urn:taak"]}
    assert _found(text, names, links=linked) == [
        ("urn:groep", "compound", "Oekraïne"), ("urn:taak", "compound", "Oekraïne opvang")]
    # not linked in the graph: only the task; two names giving the compound: neither
    assert _found(text, names) == [("urn:taak", "compound", "Oekraïne opvang")]
    names["urn:wet"] = ["opvang van mensen uit Oekraïne"]
    assert [iri for iri, _, _ in _found(text, names, links=linked)] == []


def test_part_of_a_name_next_to_a_neighbour_that_is_no_hub_is_a_mention() -> None:
    names = {"urn:lvv": ["Landelijke Vreemdelingenvoorziening"],
             "urn:groep": ["mensen zonder verblijfsrecht"], "urn:gemeenten": ["gemeenten"]}
    links = {"urn:lvv": ["urn:groep"], "urn:groep": ["urn:lvv", "urn:gemeenten"],
             "urn:gemeenten": ["urn:groep"]}
    text = "Zonder de Landelijke Vreemdelingenvoorziening belanden mensen op straat."
    assert ("urn:groep", "context", "mensen") in _found(text, names, links=links)
    assert "urn:groep" not in {i for i, _, _ in _found(text, names, links=links,
                                                       hubs=["urn:lvv"])}
    assert "urn:groep" not in {i for i, _, _ in _found(text, names)}
    hub = "In veel gemeenten belanden mensen op straat."
    assert "urn:groep" not in {i for i, _, _ in _found(hub, names, links=links,
                                                      hubs=["urn:gemeenten"])}


def test_a_noun_for_a_kind_of_actor_after_a_definite_article_is_its_only_actor() -> None:
    names = {"urn:macht": ["rechterlijke macht"]}
    found = _found("De rechter besliste. Een rechter kan dat ook.", names,
                   kinds={"rechter": "urn:macht"})
    assert found == [("urn:macht", "kind", "De rechter")]


def test_a_task_is_named_by_its_actor_a_word_for_duty_and_its_theme() -> None:
    names = {"urn:gemeenten": ["gemeenten"], "urn:taak": ["huisvestingstaakstelling statushouders"],
             "urn:verhuur": ["rol van verhuurder van doorstroomlocaties"]}
    graph: dict[str, object] = {
        "duties": {("urn:gemeenten", "urn:huisvesting"): ["urn:taak", "urn:verhuur"]},
        "themes": {"urn:huisvesting": ["huisvesting"]},
    }
    text = "Gemeenten voeren beleid voor de opvang en huisvesting van vluchtelingen."
    assert ("urn:taak", "duty", "huisvesting") in _found(text, names, **graph)
    text = "Gemeenten praten over de huisvesting van vluchtelingen."
    assert "urn:taak" not in {i for i, _, _ in _found(text, names, **graph)}


def test_the_vocabulary_knows_the_only_actor_of_a_kind_and_no_bare_claims() -> None:
    dataset = rdflib.Dataset()
    ontology = dataset.graph(rdflib.URIRef("https://w3id.org/asielketen/def"))
    ontology.add((AK.Court, rdflib.RDFS.subClassOf, AK.Actor))
    ontology.add((AK.Court, rdflib.RDFS.label, rdflib.Literal("rechterlijke instantie", lang="nl")))
    data = dataset.graph(rdflib.URIRef(ID + "graaf/x"))
    court, claim = rdflib.URIRef(ID + "organisatie/rechtspraak"), rdflib.URIRef(ID + "claim/c")
    data.add((court, rdflib.RDF.type, AK.Court))
    data.add((court, rdflib.RDFS.label, rdflib.Literal("rechtspraak", lang="nl")))
    data.add((claim, rdflib.RDF.type, AK.Claim))
    data.add((claim, rdflib.RDFS.label, rdflib.Literal("de rechter is streng", lang="nl")))
    vocabulary = Vocabulary.from_dataset(dataset)
    assert set(vocabulary.entities) == {str(court)}
    assert vocabulary.kinds == {"rechter": str(court), "instantie": str(court)}
    second = rdflib.URIRef(ID + "organisatie/hof")
    data.add((second, rdflib.RDF.type, AK.Court))
    data.add((second, rdflib.RDFS.label, rdflib.Literal("gerechtshof", lang="nl")))
    assert Vocabulary.from_dataset(dataset).kinds == {}


def test_a_dated_name_needs_its_date() -> None:
    names = {"urn:alv": ["algemene ledenvergadering van de VNG van 26 juni 2024"]}
    assert _mentions("De algemene ledenvergadering van de VNG in november.", names) == []
    assert _mentions("De algemene ledenvergadering van de VNG op 26 juni.", names)


def test_quotes_get_a_prefix_when_the_passage_repeats() -> None:
    text = Text.read("De VNG vraagt om voorrang. Het COA vraagt om voorrang.")
    at = text.text.rindex("om voorrang")
    quote = quote_at(text, at, at + len("om voorrang"), context=0)
    assert quote == Quote("om voorrang", prefix="COA vraagt")
    assert check_quote(text, quote)
    assert not check_quote(text, Quote("om voorrang"))


def test_dates_at_their_precision_and_inferred_years() -> None:
    day, month = parse_date("2025-07-14"), parse_date("2025-07")
    assert day.datatype is not None and day.datatype.endswith("#date")
    assert month.datatype is not None and month.datatype.endswith("#gYearMonth")
    for bad in ("juli 2025", "2025-13", "2025-02-30"):
        with pytest.raises(InputError, match="--date"):
            parse_date(bad)
    guess = infer_date(Text.read("In 2024 en op 3 juli 2025, en eind 2025. Zie https://x.nl/2023/1"))
    assert guess is not None and guess[0].value == "2025"
    assert infer_date(Text.read("Geen jaartal.")) is None


def test_slugs_are_lower_case_hyphenated_without_diacritics() -> None:
    assert slugify("Beëindiging van de LVV (2025)") == "beeindiging-van-de-lvv-2025"


# --------------------------------------------------------------------------- the draft


def test_ingest_registers_the_text_and_writes_a_draft(example_copy: Path) -> None:
    result = _ingest(example_copy)
    assert (example_copy / "sources" / f"{NAME}.txt").read_bytes() == LETTER.read_bytes()
    sources = (example_copy / "sources" / "sources.ttl").read_text(encoding="utf-8")
    assert f"bron:{NAME}" in sources and f'ak:file "{NAME}.txt"' in sources
    assert '"2025-03"^^xsd:gYearMonth' in sources and TITLE in sources
    graph = _draft(example_copy)
    assert (GRAPH, AK.reviewStatus, CONCEPT) in graph
    mentioned = {str(s).removeprefix(ID) for s, _ in graph.subject_objects(AK.hasQuote)
                 if (s, AK.reviewStatus, CONCEPT) not in graph}
    assert {
        "wetsvoorstel/wet-voorbeeldhuisvesting",  # across a line-end hyphen
        "amendement/pietersen",  # amendement-Pietersen
        "taak/taakstelling",  # plural
        "organisatie/raad-van-state", "organisatie/coa", "organisatie/gemeente-voorbeeldstad",
        "maatregel/verbod-op-voorrang", "maatregel/eenmalige-bijdrage", "wet/voorbeeldwet-2014",
    } <= mentioned
    assert "maatregel/tweede-verbod" not in mentioned  # a draft is not a known entity
    coa = rdflib.URIRef(ID + "organisatie/coa")
    assert len(list(graph.objects(coa, AK.hasQuote))) == 1  # not coalitieakkoord or coach
    assert result.changed


def test_candidates_are_typed_drafts_with_quotes(example_copy: Path) -> None:
    _ingest(example_copy)
    graph = _draft(example_copy)
    candidates = set(graph.subjects(AK.reviewStatus, CONCEPT)) - {GRAPH}
    for candidate in candidates:
        assert graph.value(candidate, rdflib.RDF.type) is not None, candidate
        assert graph.value(candidate, rdflib.RDFS.label) is not None, candidate
        assert graph.value(candidate, AK.hasQuote) is not None, candidate
    labels = {str(graph.value(c, rdflib.RDFS.label)): c for c in candidates}
    assert {"Wet versterking voorbeeldregie", "Spoedwet", "Landelijk Voorbeeldoverleg",
            "1.200 opvangplekken", "115%", "€ 10 miljoen", "6 maanden"} <= set(labels)
    lvo = labels["Landelijk Voorbeeldoverleg"]
    assert (lvo, rdflib.RDF.type, AK.Organisation) in graph
    assert str(graph.value(lvo, rdflib.namespace.SKOS.altLabel)) == "LVO"
    values = {str(graph.value(labels[k], AK.unit)): float(_literal(graph, labels[k], AK.value))
              for k in ("1.200 opvangplekken", "115%", "€ 10 miljoen", "6 maanden")}
    assert values == {"opvangplekken": 1200, "procent": 115, "euro": 10_000_000, "maanden": 6}
    assert float(_literal(graph, labels["6 maanden"], AK.months)) == 6
    dates = {(str(d), graph.value(e, AK.dateInferred) is not None)
             for e, d in graph.subject_objects(AK.date)}
    # "3 juli jl." in a letter of March 2025 is last year's July; "in augustus" this year's
    assert {("2024-07-03", True), ("2025-08", True), ("2025-09-09", False)} <= dates
    event = next(e for e, d in graph.subject_objects(AK.date) if str(d) == "2024-07-03")
    assert str(graph.value(event, AK.eventType)).endswith("/aangenomen-tweede-kamer")
    assert str(graph.value(event, AK.eventOf)).endswith("/wet-voorbeeldhuisvesting")
    pietersen = rdflib.URIRef(ID + "amendement/pietersen")
    assert str(graph.value(pietersen, AK.kamerstuk)) == "36 999, nr. 12"


def test_claims_are_attributed_to_the_publisher(example_copy: Path) -> None:
    _ingest(example_copy)
    graph = _draft(example_copy)
    vng = rdflib.URIRef(ID + "organisatie/vng")
    conflicts = list(graph.subjects(rdflib.RDF.type, AK.ConflictStatement))
    assert len(conflicts) == 1
    sides = {str(s).removeprefix(ID) for s in graph.objects(conflicts[0], AK.conflictBetween)}
    assert sides == {"maatregel/verbod-op-voorrang", "maatregel/eenmalige-bijdrage"}
    objections = list(graph.subjects(rdflib.RDF.type, AK.Objection))
    about = {str(o).removeprefix(ID) for c in objections for o in graph.objects(c, AK.concerns)}
    assert {"taak/taakstelling", "regeling/voorbeeldregeling"} <= about
    for claim in conflicts + objections:
        assert graph.value(claim, AK.raisedBy) == vng
        assert (claim, AK.reviewStatus, CONCEPT) in graph


ATTRIBUTED = """De Raad van State oordeelde dat het verbod op voorrang onuitvoerbaar is.
Het kabinet erkent dat de taakstelling voor gemeenten onuitvoerbaar wordt.
Volgens het COA is de Voorbeeldregeling onuitvoerbaar.
Daarin stelt de Raad van State dat de Voorbeeldregeling problematisch is.
Net als de Raad van State hebben wij zorgen over de eenmalige bijdrage voor snelle huisvesting.
Wij vinden de Voorbeeldregeling onuitvoerbaar, ook al zegt het kabinet iets anders.
"""


def test_claims_are_attributed_to_the_actor_the_sentence_names(
    example_copy: Path, tmp_path: Path
) -> None:
    text = tmp_path / "vng-ledenbrief-toeschrijving-2025-09.txt"
    text.write_text(ATTRIBUTED, encoding="utf-8")
    ingest(text, data_dir=example_copy, publisher="VNG", date="2025-09")
    dataset = rdflib.Dataset()
    dataset.parse(example_copy / "graphs" / f"{text.stem}.trig", format="trig")
    graph = dataset.graph(rdflib.URIRef(ID + "graaf/" + text.stem))
    said = {}
    for claim in graph.subjects(AK.raisedBy, None):
        quote = graph.value(claim, AK.hasQuote)
        said[str(graph.value(quote, OA.exact))[:18]] = str(graph.value(claim, AK.raisedBy))
    org = ID + "organisatie/"
    assert said == {
        "De Raad van State ": org + "raad-van-state",
        "Het kabinet erkent": org + "kabinet",
        "Volgens het COA is": org + "coa",
        "Daarin stelt de Ra": org + "raad-van-state",
        "Net als de Raad va": org + "vng",
        "Wij vinden de Voor": org + "vng",
    }
    claim = next(graph.subjects(AK.raisedBy, rdflib.URIRef(org + "coa")))
    assert str(graph.value(claim, rdflib.RDFS.label)).startswith("COA: ")
    assert "niet aan de uitgever" in str(graph.value(claim, AK.note))


def test_the_draft_passes_kg_check_as_drafts(example_copy: Path) -> None:
    _ingest(example_copy)
    report = run_checks(example_copy, reasoner=False)
    assert report.exit_code == 0, [f.message for f in report.failing()]
    drafts = {d.focus for d in report.drafts}
    assert f"graaf:{NAME}" in drafts and "organisatie:lvo" in drafts
    assert report.counts["quotes"] == report.counts["quotes anchored"]
    assert not [f for f in report.findings if f.step == "quotes"]
    assert all(f.draft for f in report.findings if f.file and NAME in f.file)


def test_kg_check_lists_a_draft_graph_once(example_copy: Path) -> None:
    _ingest(example_copy)
    report = run_checks(example_copy, reasoner=False, skip=["shacl", "queries"])
    focuses = [d.focus for d in report.drafts]
    assert len(focuses) == len(set(focuses)), focuses
    result = CliRunner().invoke(main, ["check", "--data", str(example_copy), "--reasoner",
                                       "none"])
    assert result.exit_code == 0, result.output
    listed = [line for line in result.stdout.splitlines() if f"graaf:{NAME}" in line]
    assert len(listed) == 1 and "whole graph under review" in listed[0], listed
    assert f"graphs/{NAME}.trig:" in listed[0]  # with the line of the graph's status


@pytest.mark.parametrize("removed", ["comment block", "ak:note"])
def test_kg_check_warns_of_a_promoted_graph_still_marked_as_a_draft(
    example_copy: Path, removed: str
) -> None:
    _ingest(example_copy)
    draft = example_copy / "graphs" / f"{NAME}.trig"
    lines = draft.read_text(encoding="utf-8").splitlines()
    if removed == "comment block":  # promotion step 5, the graph's status left behind
        kept = [line for line in lines if not line.startswith("# ")]
    else:
        kept = [line.replace(" ;", " .") if "ak:reviewStatus beoordeling:concept ;" in line
                and line.lstrip().startswith("graaf:") else line
                for line in lines if "Concept geschreven door kg ingest" not in line]
    draft.write_text("\n".join(kept) + "\n", encoding="utf-8")
    report = run_checks(example_copy, reasoner=False, skip=["shacl", "queries"])
    assert report.exit_code == 0  # a warning: the graph may be kept a draft on purpose
    assert run_checks(example_copy, reasoner=False, skip=["shacl", "queries"],
                      strict=True).exit_code == 1
    [warning] = [f for f in report.findings if f.step == "layout"]
    assert warning.severity == "warning" and not warning.draft
    assert warning.file is not None and warning.file.endswith(f"graphs/{NAME}.trig")
    assert warning.line is not None and "ak:reviewStatus" in lines_of(draft)[warning.line - 1]
    assert removed in warning.message and "delete its ak:reviewStatus lines" in warning.message
    # promoted properly: no warning, no draft graph
    promoted = [line for line in lines_of(draft)
                if not (line.lstrip().startswith(f"graaf:{NAME} ")
                        or "Concept geschreven" in line)]
    draft.write_text("\n".join(promoted) + "\n", encoding="utf-8")
    report = run_checks(example_copy, reasoner=False, skip=["shacl", "queries"])
    assert not [f for f in report.findings if f.step == "layout"]
    assert f"graaf:{NAME}" not in {d.focus for d in report.drafts}


def test_a_fresh_draft_gets_no_promotion_warning(example_copy: Path) -> None:
    _ingest(example_copy)
    report = run_checks(example_copy, reasoner=False, skip=["shacl", "queries"])
    assert not [f for f in report.findings if f.step == "layout"]


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_ingesting_twice_changes_nothing_and_curated_files_never(example_copy: Path) -> None:
    before = _hashes(example_copy)
    _ingest(example_copy)
    after_first = _hashes(example_copy)
    second = _ingest(example_copy)
    assert second.changed == []
    assert _hashes(example_copy) == after_first
    changed = {k for k in after_first if before.get(k) != after_first[k]}
    assert changed == {f"sources/{NAME}.txt", "sources/sources.ttl", f"graphs/{NAME}.trig"}
    curated = (example_copy / "sources" / "sources.ttl").read_text(encoding="utf-8")
    original = (TESTS / "data" / "example" / "sources" / "sources.ttl").read_text(encoding="utf-8")
    assert curated.startswith(original.rstrip("\n"))  # only a block appended


def test_a_curated_graph_of_the_same_name_is_never_replaced(example_copy: Path) -> None:
    curated = example_copy / "graphs" / f"{NAME}.trig"
    shutil.copy(example_copy / "graphs" / "example.trig", curated)
    before = curated.read_bytes()
    with pytest.raises(InputError, match="curated graph"):
        _ingest(example_copy)
    assert curated.read_bytes() == before
    assert not (example_copy / "sources" / f"{NAME}.txt").exists()


def test_an_edited_draft_is_kept_unless_forced(example_copy: Path) -> None:
    _ingest(example_copy)
    draft = example_copy / "graphs" / f"{NAME}.trig"
    edited = draft.read_text(encoding="utf-8").replace("Spoedwet", "Spoedwet opvang", 1)
    draft.write_text(edited, encoding="utf-8")
    with pytest.raises(InputError, match="--force"):
        _ingest(example_copy)
    assert draft.read_text(encoding="utf-8") == edited
    assert _ingest(example_copy, force=True).changed == [draft]


def test_ingesting_again_with_another_publisher_says_the_publisher_differs(
    example_copy: Path,
) -> None:
    _ingest(example_copy)
    draft = example_copy / "graphs" / f"{NAME}.trig"
    before = _hashes(example_copy)
    runner = CliRunner()
    args = ["ingest", str(LETTER), "--data", str(example_copy), "--date", "2025-03"]
    result = runner.invoke(main, [*args, "--publisher", "COA"])
    assert result.exit_code == 2, result.output
    message = result.stderr
    assert message.count("\n") == 1, message
    assert "publisher organisatie:vng" in message and "--publisher organisatie:coa" in message
    assert "--force" in message and "leave out --publisher" in message
    assert "edited" not in message  # nobody edited the draft
    assert _hashes(example_copy) == before
    # --force redrafts it for the new publisher, description included
    assert runner.invoke(main, [*args, "--publisher", "COA", "--force"]).exit_code == 0
    sources = (example_copy / "sources" / "sources.ttl").read_text(encoding="utf-8")
    assert "ak:publisher organisatie:coa" in sources
    # an edited draft and another publisher: both said
    draft.write_text(draft.read_text(encoding="utf-8").replace("Spoedwet", "Spoedwet opvang", 1),
                     encoding="utf-8")
    edited = runner.invoke(main, [*args, "--publisher", "VNG"])
    assert edited.exit_code == 2 and edited.stderr.count("\n") == 1
    assert "edited" in edited.stderr and "--publisher organisatie:vng" in edited.stderr


def test_a_curated_description_is_kept(example_copy: Path) -> None:
    first = _ingest(example_copy)
    sources = example_copy / "sources" / "sources.ttl"
    text = sources.read_text(encoding="utf-8")
    kept = "\n".join(line for line in text.splitlines() if "kg ingest:" not in line)
    sources.write_text(kept.replace(TITLE, "Eigen titel") + "\n", encoding="utf-8")
    before = sources.read_bytes()
    again = _ingest(example_copy, title="Andere titel", force=True)
    assert sources.read_bytes() == before
    assert again.description.title == "Eigen titel" and first.description.title == TITLE
    assert any("curated" in n for n in again.notices)


def test_out_writes_into_another_folder_and_leaves_data_alone(
    example_copy: Path, tmp_path: Path
) -> None:
    before = _hashes(example_copy)
    out = tmp_path / "review"
    result = ingest(LETTER, data_dir=example_copy, out_dir=out, publisher="organisatie:vng",
                    date="2025-03", title=TITLE)
    assert _hashes(example_copy) == before
    assert sorted(str(p.relative_to(out)) for p in result.changed) == [
        f"graphs/{NAME}.trig", "sources/sources.ttl", f"sources/{NAME}.txt"]
    report = run_checks(out, reasoner=False)
    assert report.exit_code == 0, [f.message for f in report.failing()]
    assert f"graaf:{NAME}" in {d.focus for d in report.drafts}


@pytest.mark.parametrize(
    ("options", "message"),
    [({"publisher": None}, "--publisher"), ({"publisher": "Onbekende Stichting"}, "not an actor"),
     ({"date": "maart"}, "--date")],
)
def test_missing_or_wrong_description_is_bad_input(
    example_copy: Path, options: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        _ingest(example_copy, **options)
    assert not (example_copy / "graphs" / f"{NAME}.trig").exists()


def test_bad_file_name_and_encoding_exit_2_with_one_line(
    example_copy: Path, tmp_path: Path
) -> None:
    badly_named = tmp_path / "Brief VNG.txt"
    badly_named.write_text("Een brief.", encoding="utf-8")
    latin = tmp_path / "vng-brief-2025.txt"
    latin.write_bytes("Eerste regel\nOekra\xefne".encode("latin-1"))
    runner = CliRunner()
    for path, message in ((badly_named, "lower case"), (latin, "not UTF-8")):
        result = runner.invoke(main, ["ingest", str(path), "--data", str(example_copy),
                                      "--publisher", "VNG"])
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1 and message in result.stderr
    assert ":2:" in runner.invoke(main, ["ingest", str(latin), "--data", str(example_copy),
                                        "--publisher", "VNG"]).stderr


def test_report_says_what_is_new_and_which_contradictions_it_touches(example_copy: Path) -> None:
    result = CliRunner().invoke(main, [
        "ingest", str(LETTER), "--data", str(example_copy), "--publisher", "organisatie:vng",
        "--date", "2025-03", "--title", TITLE, "--report",
    ])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "wrote: " in out and "Not in the graph yet" in out
    assert "organisatie:lvo" in out and "wet:wet-versterking-voorbeeldregie" in out
    assert "date: aangenomen-tweede-kamer 2024-07-03 (the graph has no such date)" in out
    assert "ak:kamerstuk: 36 999, nr. 12" in out
    report = build_report(_ingest(example_copy))
    touched = {(f.a.iri, f.b.iri) for f, _ in report.contradictions}
    assert (ID + "maatregel/eenmalige-bijdrage", ID + "maatregel/verbod-op-voorrang") in touched \
        or (ID + "maatregel/verbod-op-voorrang", ID + "maatregel/eenmalige-bijdrage") in touched
    assert json.dumps(report.to_json())  # plain data


# --------------------------------------------------------------------------- queries


def test_queries_leave_draft_graphs_out_unless_asked(example_copy: Path, tmp_path: Path) -> None:
    _ingest(example_copy)
    ask = f'ASK {{ ?s <{AK.reviewStatus}> <{CONCEPT}> ; a <{AK.Organisation}> }}'
    engine = open_engine(example_copy, cache=False)
    assert draft_graphs(engine) == [str(GRAPH)]
    assert engine.ask(ask)
    assert not without_drafts(engine).ask(ask)
    query = tmp_path / "candidates.rq"
    query.write_text(
        "#+ summary: Kandidaat-organisaties.\n"
        f"SELECT ?s WHERE {{ ?s <{AK.reviewStatus}> <{CONCEPT}> ; a <{AK.Organisation}> }}\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    base = ["query", str(query), "--data", str(example_copy), "--format", "json"]
    assert json.loads(runner.invoke(main, base).stdout) == []
    assert len(json.loads(runner.invoke(main, [*base, "--include-drafts"]).stdout)) == 1
    plain = runner.invoke(main, ["contradictions", "--data", str(example_copy), "--format", "json"])
    both = runner.invoke(main, ["contradictions", "--data", str(example_copy), "--format", "json",
                                "--include-drafts"])
    assert plain.exit_code == both.exit_code == 0
    draft_claims = {c for f in json.loads(both.stdout) for c in f["corroborated_by"]
                    if "claim/vng-verbod-voorrang" in c}
    assert draft_claims
    assert not {c for f in json.loads(plain.stdout) for c in f["corroborated_by"]} & draft_claims


class _GraphStore:
    """A Graph Store on loopback that records which graphs ``kg publish`` puts."""

    def __init__(self) -> None:
        import http.server
        import threading
        import urllib.parse

        self.graphs: list[str] = []
        graphs = self.graphs

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PUT(self) -> None:  # noqa: N802 (http.server's name)
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                graphs.extend(query.get("graph", []))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/store"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_every_view_leaves_drafts_out_unless_asked(example_copy: Path, tmp_path: Path) -> None:
    _ingest(example_copy)
    runner = CliRunner()
    data = ["--data", str(example_copy)]
    candidate = ID + "claim/vng-zorgen-voorbeeldregeling"

    def run(*args: str) -> str:
        result = runner.invoke(main, [*args, *data])
        assert result.exit_code == 0, result.output
        return result.stdout

    # kg export (and so kg export --site, which reads the same statements)
    assert str(GRAPH) not in run("export", "--format", "nquads", "--out", "-", "--no-catalog")
    assert str(GRAPH) in run("export", "--format", "nquads", "--out", "-", "--no-catalog",
                             "--include-drafts")
    run("export", "--site", str(tmp_path / "site"), "--no-validate")
    site = (tmp_path / "site" / "export" / "asielketen-kg.nq").read_text(encoding="utf-8")
    assert str(GRAPH) not in site and candidate not in site
    # kg viz
    run("viz", "--out", str(tmp_path / "plain.html"))
    run("viz", "--out", str(tmp_path / "all.html"), "--include-drafts")
    assert "claim/vng-zorgen-voorbeeldregeling" not in (tmp_path / "plain.html").read_text()
    assert "claim/vng-zorgen-voorbeeldregeling" in (tmp_path / "all.html").read_text()
    # kg impact: a draft entity is unknown unless asked
    assert runner.invoke(main, ["impact", candidate, *data]).exit_code == 2
    run("impact", candidate, "--include-drafts")
    # kg publish
    store = _GraphStore()
    try:
        run("publish", "--endpoint", store.url, "--method", "put")
        assert store.graphs and str(GRAPH) not in store.graphs
        store.graphs.clear()
        run("publish", "--endpoint", store.url, "--method", "put", "--include-drafts")
        assert str(GRAPH) in store.graphs
    finally:
        store.close()


def test_remote_engines_read_only_the_graphs_that_are_not_drafts() -> None:
    store = ox.Store()
    keep, draft = ox.NamedNode("https://e/keep"), ox.NamedNode("https://e/draft")
    p = ox.NamedNode("https://e/p")
    store.add(ox.Quad(ox.NamedNode("https://e/a"), p, ox.Literal("1"), keep))
    store.add(ox.Quad(ox.NamedNode("https://e/b"), p, ox.Literal("2"), draft))

    class Standard(EmbeddedEngine):
        """Runs queries with standard SPARQL datasets (no union default graph), as an
        endpoint does."""

        def select(self, sparql: str, bindings: object = None) -> Rows:
            assert self.store is not None
            solutions = self.store.query(sparql)
            assert isinstance(solutions, ox.QuerySolutions)
            return Rows([{k: s[k] for k in ("s", "g") if s[k] is not None} for s in solutions],
                        [v.value for v in solutions.variables])

    engine = DraftFreeEngine(Standard(store), [keep.value])
    assert [r["s"].value for r in engine.select("SELECT ?s WHERE { ?s ?p ?o }")] == ["https://e/a"]
    rows = engine.select("SELECT ?s ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert [r["g"].value for r in rows] == [keep.value]
