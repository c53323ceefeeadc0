"""kg ingest on the five source documents, each against a graph built from the other four.

For each text in data/sources/ that has a curated graph: copy data/ to a temporary folder
without that text, its description and its curated graph, ingest the text with the
description the curators gave it, and measure the recall of mentions: of the entities the
curated graph of that text describes AND that another graph (the other four, or the
reference graph) also has, the share that the draft links with a quote. The numbers are
printed with the test output and recorded in data/README.md.

The issue's target, 90 % for each text, is what the test asserts (the numbers are printed
with ``-s`` and recorded in data/README.md). The curated graphs also link entities to
passages that paraphrase them ("mensen op straat belanden" for undocumented people on the
street); kg ingest finds those through the graph (a neighbour named in the same sentence,
words for the same act, a goal's factor, the only court), never through a list of texts or
entities. ``PRECISION_FLOOR`` keeps recall from being bought by linking everything.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from kg.check import run_checks
from kg.dataset import load_dataset
from kg.ingest import Text, infer_date, ingest
from kg.paths import DATA_DIR

ID = "https://w3id.org/asielketen/id/"
AK = rdflib.Namespace("https://w3id.org/asielketen/def#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
CONCEPT = rdflib.URIRef(ID + "begrip/beoordeling/concept")

RECALL_TARGET = 0.90
"""Issue 9: the share of known entities of each text that the draft links, at least."""
PRECISION_FLOOR = 0.75
"""Of the entities the draft links, at least this share is described by the curated graph."""

SOURCES = sorted(
    p.stem for p in (DATA_DIR / "graphs").glob("*.trig")
    if (DATA_DIR / "sources" / f"{p.stem}.txt").is_file()
)


@pytest.fixture(scope="module")
def curated() -> rdflib.Dataset:
    """The curated data as the curators left it."""
    return load_dataset(DATA_DIR, with_ontology=False)


def _without(name: str, target: Path) -> Path:
    """A copy of data/ without the text NAME, its description and its curated graph."""
    folder = target / "data"
    shutil.copytree(DATA_DIR, folder)
    (folder / "graphs" / f"{name}.trig").unlink()
    (folder / "sources" / f"{name}.txt").unlink()
    sources = folder / "sources" / "sources.ttl"
    text = sources.read_text(encoding="utf-8")
    pattern = rf"\nbron:{re.escape(name)} a ak:SourceDocument ;.*?\s\.\n"
    stripped, count = re.subn(pattern, "\n", text, count=1, flags=re.S)
    assert count == 1, f"no description of bron:{name} in sources.ttl"
    sources.write_text(stripped, encoding="utf-8")
    return folder


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((folder / "graphs").glob("*.trig"))
    }


@pytest.mark.parametrize("name", SOURCES)
def test_ingesting_a_source_finds_the_known_entities_it_mentions(
    name: str, curated: rdflib.Dataset, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = rdflib.URIRef(ID + "bron/" + name)
    bronnen = curated.graph(rdflib.URIRef(ID + "graaf/bronnen"))
    folder = _without(name, tmp_path)
    before = _hashes(folder)

    result = ingest(
        DATA_DIR / "sources" / f"{name}.txt",
        data_dir=folder,
        title=str(bronnen.value(document, DCTERMS.title)),
        date=str(bronnen.value(document, AK.date)),
        publisher=str(bronnen.value(document, AK.publisher)),
        kind=str(bronnen.value(document, AK.documentKind)),
    )

    own = curated.graph(rdflib.URIRef(ID + "graaf/" + name))
    described = {
        s for s, o in own.subject_objects(rdflib.RDF.type)
        if isinstance(s, rdflib.URIRef) and o != AK.Quote
    }
    elsewhere = {
        s for g in curated.graphs()
        if g.identifier not in (own.identifier, bronnen.identifier)
        for s in g.subjects() if isinstance(s, rdflib.URIRef)
    }
    targets = described & elsewhere
    dataset = rdflib.Dataset()
    dataset.parse(result.draft_path, format="trig")
    draft = dataset.graph(rdflib.URIRef(ID + "graaf/" + name))
    drafts = set(draft.subjects(AK.reviewStatus, CONCEPT))
    linked = {s for s in draft.subjects(AK.hasQuote) if s not in drafts}
    recall = len(targets & linked) / len(targets)
    precision = len(linked & described) / len(linked)
    missed = sorted(str(t).removeprefix(ID) for t in targets - linked)
    with capsys.disabled():
        print(
            f"\n[kg ingest] {name}: recall {len(targets & linked)}/{len(targets)} = "
            f"{recall:.0%} (target {RECALL_TARGET:.0%}); {len(linked)} entities linked, "
            f"{precision:.0%} of them described by the curated graph; "
            f"{len(result.found.candidates)} candidates; missed: {', '.join(missed) or '-'}"
        )
    assert len(targets) >= 20, "the curated graphs should share many entities"
    assert recall >= RECALL_TARGET, missed
    assert precision >= PRECISION_FLOOR, sorted(str(x).removeprefix(ID) for x in linked - described)

    # The draft passes kg check, reported as a draft.
    report = run_checks(folder, reasoner=False)
    assert report.exit_code == 0, [f"{f.location()} {f.message}" for f in report.failing()]
    assert f"graaf:{name}" in {d.focus for d in report.drafts}

    # Idempotent, and the curated graphs are never changed.
    after = _hashes(folder)
    assert {k: v for k, v in after.items() if k != f"{name}.trig"} == before
    again = ingest(DATA_DIR / "sources" / f"{name}.txt", data_dir=folder)
    assert again.changed == []
    assert _hashes(folder) == after


@pytest.mark.parametrize("name", SOURCES)
def test_without_a_date_the_year_of_each_source_is_inferred(
    name: str, curated: rdflib.Dataset
) -> None:
    bronnen = curated.graph(rdflib.URIRef(ID + "graaf/bronnen"))
    year = str(bronnen.value(rdflib.URIRef(ID + "bron/" + name), AK.date))[:4]
    text = (DATA_DIR / "sources" / f"{name}.txt").read_text(encoding="utf-8")
    guess = infer_date(Text.read(text))
    assert guess is not None and guess[0].value == year, guess


HASH_SEEDS = ("0", "1")
"""Two hash seeds under which rdflib's in-memory store lists the named graphs in different
orders (it keeps them in a set): ingesting the Oekraïne letter of July 2025 under a new
name gave two drafts, one quoting the letter's event of the vote in the Tweede Kamer and
one the register's, before the graphs were read by name."""


def _with_hash_seed(seed: str, build: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONHASHSEED=seed, KG_BUILD_DIR=str(build),
               PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return done


@pytest.mark.parametrize("name", SOURCES)
def test_ingest_writes_the_same_bytes_whatever_the_hash_seed(name: str, tmp_path: Path) -> None:
    # The text under a new name, into all of data/: its own curated graph and the reference
    # graph then both know some of its entities and events, so whichever graph is read first
    # must not decide which IRI a quote goes to.
    text = tmp_path / f"kopie-{name}.txt"
    shutil.copyfile(DATA_DIR / "sources" / f"{name}.txt", text)
    shutil.copytree(DATA_DIR, tmp_path / "data")  # one snapshot for both runs
    drafts = {}
    for seed in HASH_SEEDS:
        folder = tmp_path / seed / "data"
        shutil.copytree(tmp_path / "data", folder)
        _with_hash_seed(seed, tmp_path / seed / "build", "-m", "kg", "ingest", str(text),
                        "--data", str(folder), "--publisher", "organisatie:vng")
        drafts[seed] = (folder / "graphs" / f"{text.stem}.trig").read_bytes()
    first, second = (drafts[s].decode("utf-8").splitlines() for s in HASH_SEEDS)
    diff = list(difflib.unified_diff(first, second, lineterm="", n=0))[:20]
    assert drafts[HASH_SEEDS[0]] == drafts[HASH_SEEDS[1]], "\n".join(diff)


_FIND = """
import sys
from pathlib import Path
from kg.dataset import load
from kg.ingest import Text, Vocabulary
data = Path(sys.argv[1])
vocabulary = Vocabulary.from_dataset(load(data).dataset)
matcher = vocabulary.matcher()
for path in sorted((data / "sources").glob("*.txt")):
    for m in matcher.find(Text.read(path.read_text(encoding="utf-8"))):
        print(path.stem, m.start, m.end, m.iri, m.sentence, m.how, m.name)
"""


def test_mentions_come_in_the_same_order_whatever_the_hash_seed(tmp_path: Path) -> None:
    # Matcher.find collects mentions in a set; one entity found at one place in two ways
    # (a name and a relation) came out in an order that changed with the hash seed (0 and
    # 4), and the first one decides which quote the draft gets.
    shutil.copytree(DATA_DIR, tmp_path / "data")
    out = {
        seed: _with_hash_seed(seed, tmp_path / seed, "-c", _FIND, str(tmp_path / "data")).stdout
        for seed in ("0", "4")
    }
    assert out["0"].count("\n") > 100
    diff = list(difflib.unified_diff(out["0"].splitlines(), out["4"].splitlines(),
                                     lineterm="", n=0))[:20]
    assert out["0"] == out["4"], "\n".join(diff)
