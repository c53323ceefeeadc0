"""Synthetic policy graphs with planted contradictions, for scale tests and benchmarks.

``kg synth --measures N --out DIR`` writes a folder laid out like ``data/``: source texts
(``sources/NAME.txt``), their descriptions (``sources/sources.ttl``) and one named graph a
source (``graphs/NAME.trig``), about a thousand measures a source. Everything follows the
modelling conventions of ``ontology/README.md``: laws, bills and amendments with lifecycle
events, measures laid down in them, instruments, tasks, actors, goals, factors, expected
effects, objections and conflict statements, each typed entity and claim with a quote that
occurs verbatim in its synthetic source text.

Measures come in small patterns. Some plant one contradiction of a known rule family
(the ``tegenstrijdigheid`` value list), at a fixed rate per thousand measures; others are
near misses that look alike but must not fire (an abolished instrument whose alternative
was in force first, a goal and an effect pulling the same way, a permit that outlasts the
trajectory relying on it); the rest are plain measures. No planted pair shares its pivot
with any other pattern, so the number of findings grows linearly with N. The planted
contradictions go to ``DIR/expected.json``.

The text is written directly (no rdflib), so a million triples take seconds.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     result = generate(Path(tmp) / "synth", measures=40, seed=1)
...     sorted(p.name for p in (Path(tmp) / "synth").iterdir())
['expected.json', 'graphs', 'sources']
>>> result.measures, result.sources
(40, 4)
"""

from __future__ import annotations

import json
import random
import shutil
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, NamedTuple

import click

from kg.errors import InputError

__all__ = [
    "FAMILIES",
    "NEAR_MISS_PER_1000",
    "PLANTED_PER_1000",
    "Planted",
    "SynthResult",
    "generate",
    "synth_command",
]

BASE = "https://w3id.org/asielketen/"

FAMILIES: tuple[str, ...] = (
    "instrument-verwijderd",
    "prikkel-tegen-verbod",
    "taak-zonder-middelen",
    "doel-tegen-effect",
    "capaciteit",
    "volgorde",
    "duur",
    "beweerd",
)
"""Contradiction families, named after the ``begrip/tegenstrijdigheid/`` value list."""

PLANTED_PER_1000: dict[str, int] = {family: 10 for family in FAMILIES}
"""Planted contradictions of each family per thousand measures."""

NEAR_MISS_PER_1000: dict[str, int] = {
    "vereist-zonder-verwijdering": 10,
    "prikkel-zonder-verbod": 10,
    "afschaffing-met-alternatief": 10,
    "doel-met-effect": 10,
    "werklast-zonder-bezuiniging": 10,
    "duur-past": 10,
    "taak-met-middelen": 10,
}
"""Near misses of each kind per thousand measures: they look like a rule but must not fire."""

CORROBORATED_SHARE = 3
"""Every third planted derived contradiction also gets a conflict statement and an objection."""

MEASURES_PER_SOURCE = 1000
MIN_SOURCES = 4
CROSS_SOURCE_SHARE = 0.3
"""Share of planted pairs whose second side sits in the next source document."""

_PREFIXES = {
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "oa": "http://www.w3.org/ns/oa#",
    "ak": BASE + "def#",
    **{
        kind: f"{BASE}id/{kind}/"
        for kind in (
            "graaf",
            "bron",
            "wet",
            "wetsvoorstel",
            "amendement",
            "maatregel",
            "instrument",
            "taak",
            "doel",
            "factor",
            "cijfer",
            "organisatie",
            "groep",
            "claim",
            "gebeurtenis",
        )
    },
    "soort": BASE + "id/begrip/gebeurtenis/",
    "status": BASE + "id/begrip/status/",
    "tegenstrijdigheid": BASE + "id/begrip/tegenstrijdigheid/",
    "thema": BASE + "id/begrip/thema/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}
_PREFIX_BLOCK = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in _PREFIXES.items())

_REGIONS = (
    "Achterhoek",
    "Drechtsteden",
    "Eemland",
    "Flevoland",
    "Gooi",
    "Haaglanden",
    "Hollands Kroon",
    "IJmond",
    "Kennemerland",
    "Liemers",
    "Midden-Holland",
    "Noordoost-Brabant",
    "Oostergo",
    "Peel",
    "Rivierenland",
    "Salland",
    "Twente",
    "Utrecht-West",
    "Veluwe",
    "Westfriesland",
    "Zaanstreek",
    "Zeeuws-Vlaanderen",
    "Zuid-Limburg",
    "Zwolle",
)
_INSTRUMENTS = (
    "voorrangsregeling",
    "urgentieverklaring",
    "doorstroomlocatie",
    "nachtopvang",
    "gezinslocatie",
    "kleinschalige opvang",
    "woonvoorziening",
    "taalvoorziening",
    "begeleidingstraject",
    "huisvestingsvergunning",
    "bekostigingsregeling",
    "noodopvang",
    "leerwerktraject",
    "schuldhulpregeling",
    "zorgvoorziening",
    "wooncontract",
)
_TASKS = (
    "huisvesting van statushouders",
    "begeleiding van inburgeraars",
    "opvang van asielzoekers",
    "opvang van ontheemden",
    "terugkeerbegeleiding",
    "maatschappelijke begeleiding",
    "toeleiding naar werk",
    "registratie van nieuwkomers",
)
_FACTORS = (
    "wachttijd voor een woning",
    "druk op de opvang",
    "uitstroom uit de opvang",
    "aantal mensen op straat",
    "verblijfsduur in de opvang",
    "kosten voor gemeenten",
    "beschikbare opvangcapaciteit",
    "deelname aan werk",
)
_AGENCIES = (
    "uitvoeringsdienst",
    "opvangorganisatie",
    "regionale dienst",
    "werkorganisatie",
    "sociaal team",
    "wijkteam",
)
_TARGET_GROUPS = ("statushouders", "asielzoekers", "ongedocumenteerden", "oekraiense-ontheemden")
_THEMES = ("opvang", "huisvesting", "integratie", "terugkeer", "asielprocedure", "financien")
_ORG_POOL = 48
_MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
_START = date(2019, 1, 7)


@dataclass(frozen=True)
class Planted:
    """One planted contradiction, as written to ``expected.json``.

    Attributes:
        family: The rule family (a slug of the ``tegenstrijdigheid`` value list).
        origin: ``derived`` when a rule must find it, ``asserted`` when only a conflict
            statement in the data says so.
        a: IRI of side a as the family's rule reports it: the measure that needs, funds,
            aims at or burdens; the task without means; the measure that abolishes; the
            measure that sets the shorter duration.
        b: IRI of side b: the measure that prohibits, works against or cuts; the missing
            basis itself; the alternative that comes too late, or the abolished instrument
            when there is none; the measure relying on the longer duration.
        pivot: IRI of what the two sides meet on, or None.
        claims: IRIs of the conflict statements and objections about this pair.
        graphs: Named graphs of side a and side b.
    """

    family: str
    origin: str
    a: str
    b: str
    pivot: str | None
    claims: tuple[str, ...] = ()
    graphs: tuple[str, ...] = ()


@dataclass
class SynthResult:
    """What :func:`generate` wrote.

    Attributes:
        out: The output folder.
        measures: Number of measures.
        sources: Number of source documents (and named graphs).
        triples: Number of triples written (graphs and ``sources.ttl``).
        seed: The random seed.
        planted: The planted contradictions.
        near_misses: Count of each near-miss kind.
    """

    out: Path
    measures: int
    sources: int
    triples: int
    seed: int
    planted: list[Planted] = field(default_factory=list)
    near_misses: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Planted contradictions per family.

        >>> planted = [Planted("duur", "derived", "a", "b", None)]
        >>> SynthResult(Path("."), 0, 0, 0, 0, planted).counts()
        {'duur': 1}
        """
        return dict(Counter(p.family for p in self.planted))


def _lit(text: str) -> str:
    """A Turtle string literal.

    >>> _lit('zegt "nee"')
    '"zegt \\\\"nee\\\\""'
    """
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _initials(label: str) -> str:
    """An abbreviation of a label: its initials and its number.

    >>> _initials("sociaal team Zuid-Limburg 12")
    'STZ12'
    """
    words = label.split()
    return "".join(w[0].upper() for w in words if not w.isdigit()) + words[-1]


def _date_nl(day: date) -> str:
    """A date as Dutch text.

    >>> _date_nl(date(2025, 3, 1))
    '1 maart 2025'
    """
    return f"{day.day} {_MONTHS_NL[day.month - 1]} {day.year}"


def _wrap(paragraph: str, width: int = 90) -> str:
    """Break a paragraph into lines at spaces, like a text extracted from a PDF."""
    lines: list[str] = []
    line = ""
    for word in paragraph.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "\n".join(lines)


class _Source:
    """One synthetic source document: its text, its named graph and what it has typed."""

    def __init__(self, index: int, name: str, day: date) -> None:
        self.index = index
        self.name = name
        self.doc = f"bron:{name}"
        self.graph = f"graaf:{name}"
        self.day = day
        self.sentences: list[str] = []
        self.blocks: list[str] = []
        self.triples = 0
        self.described: set[str] = set()
        self.measures = 0
        self.quotes = 0
        self.pools: dict[str, list[tuple[str, str]]] = {}

    def quote(self, sentence: str) -> str:
        """Add ``sentence`` to the text and a quote citing it; return the quote's node."""
        self.sentences.append(sentence + ".")
        self.quotes += 1
        node = f"_:q{self.quotes}"
        self.blocks.append(
            f"{node} a ak:Quote ; ak:inDocument {self.doc} ; oa:exact {_lit(sentence)} .\n"
        )
        self.triples += 3
        return node

    def describe(
        self,
        subject: str,
        types: str,
        label: str,
        sentence: str | None,
        props: list[tuple[str, str]] = (),  # type: ignore[assignment]
        quote: str | None = None,
    ) -> str:
        """Type, label and quote ``subject`` in this graph, with its relations.

        Args:
            subject: CURIE of the entity.
            types: Its class(es), comma separated.
            label: Its Dutch label.
            sentence: The sentence of the source text that describes it, or None to cite
                ``quote`` instead.
            props: Its relations as (property, object list) pairs.
            quote: An existing quote node that also supports this entity.

        Returns:
            The quote node, for entities that the same passage supports.
        """
        node = self.quote(sentence) if sentence is not None else quote
        assert node is not None, "describe needs a sentence or a quote"
        parts = [f"{subject} a {types}", f"rdfs:label {_lit(label)}@nl"]
        parts += [f"{p} {o}" for p, o in props]
        parts.append(f"ak:hasQuote {node}")
        self.blocks.append(" ;\n    ".join(parts) + " .\n")
        self.triples += types.count(",") + 3 + sum(o.count(" , ") + 1 for _, o in props)
        self.described.add(subject)
        return node

    def state(self, subject: str, props: list[tuple[str, str]]) -> None:
        """Add relations of an entity typed in this graph already (no new quote)."""
        self.blocks.append(subject + " " + " ;\n    ".join(f"{p} {o}" for p, o in props) + " .\n")
        self.triples += sum(o.count(" , ") + 1 for _, o in props)

    def trig(self) -> str:
        """The TriG document of this source's named graph."""
        body = "\n".join("  " + b.replace("\n    ", "\n      ") for b in self.blocks)
        return (
            f"{_PREFIX_BLOCK}\n# Synthetic named graph written by `kg synth`.\n\n"
            f"{self.graph} {{\n{body}}}\n"
        )

    def text(self) -> str:
        """The source text: paragraphs of a few sentences, wrapped at spaces."""
        paras = [
            _wrap(" ".join(self.sentences[i : i + 5])) for i in range(0, len(self.sentences), 5)
        ]
        return "\n\n".join(paras) + "\n"


_Named = tuple[str, str]
"""An entity as (CURIE, label)."""
_MeasureSpec = tuple[str, str, list[tuple[str, str]]]
"""A measure to write: its label, the clause of the sentence that describes it, its
relations as (property, object) pairs."""


class _Pair(NamedTuple):
    """Where a pattern writes: source and legal resources of side a, and of side b."""

    sa: _Source
    sb: _Source
    la: list[str]
    lb: list[str]


class _Generator:
    """Writes the patterns of one synthetic data set, source by source."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.counters: Counter[str] = Counter()
        self.planted: list[Planted] = []
        self.near: Counter[str] = Counter()
        self.measure_total = 0

    # -- naming -------------------------------------------------------------------------

    def mint(self, kind: str) -> tuple[str, int]:
        """A fresh CURIE of ``kind`` and its number."""
        self.counters[kind] += 1
        n = self.counters[kind]
        return f"{kind}:synth-{n}", n

    def region(self) -> str:
        return self.rng.choice(_REGIONS)

    def theme(self) -> str:
        return "thema:" + self.rng.choice(_THEMES)

    # -- entities -----------------------------------------------------------------------

    def org(self, src: _Source, n: int | None = None) -> tuple[str, str]:
        """A synthetic organisation from a fixed pool, typed in ``src`` on first use."""
        if n is None:
            n = self.rng.randrange(_ORG_POOL)
        iri = f"organisatie:synth-vereniging-{n + 1}"
        label = f"Samenwerkingsverband {_REGIONS[n % len(_REGIONS)]} {n + 1}"
        if iri not in src.described:
            src.describe(
                iri,
                "ak:Association",
                label,
                f"{label} is een van de partijen die in deze brief aan het woord komen",
                [("skos:altLabel", f"{_lit(_initials(label))}@nl")],
            )
        return iri, label

    def instrument(self, src: _Source) -> tuple[str, str]:
        iri, n = self.mint("instrument")
        label = f"{self.rng.choice(_INSTRUMENTS)} {self.region()} {n}"
        owner = self.rng.choice(_TARGET_GROUPS)
        src.describe(
            iri,
            "ak:Instrument",
            label,
            f"Gemeenten zetten de {label} in voor {owner.replace('-', ' ')}",
            [("ak:affects", f"groep:{owner}")],
        )
        return iri, label

    def task(
        self, src: _Source, actor: str, actor_label: str, needs: tuple[str, str] | None = None
    ) -> tuple[str, str]:
        """A task of ``actor``, which ``needs`` an instrument when one is given."""
        iri, n = self.mint("taak")
        label = f"{self.rng.choice(_TASKS)} in {self.region()} {n}"
        sentence = f"De taak {label} ligt bij {actor_label}"
        props = [("ak:responsibleActor", actor)]
        if needs is not None:
            sentence += f" en kan niet zonder de {needs[1]}"
            props.append(("ak:requires", needs[0]))
        src.describe(iri, "ak:Task", label, sentence, props)
        return iri, label

    def missing_basis(self, src: _Source) -> tuple[str, str]:
        """An instrument (a legal basis) that the source says does not exist yet."""
        iri, n = self.mint("instrument")
        label = f"wettelijke grondslag {self.region()} {n}"
        src.describe(
            iri,
            "ak:Instrument",
            label,
            f"Een {label} ontbreekt nog altijd",
            [("ak:status", "status:ontbreekt")],
        )
        return iri, label

    def agency(self, src: _Source) -> tuple[str, str]:
        iri, n = self.mint("organisatie")
        label = f"{self.rng.choice(_AGENCIES)} {self.region()} {n}"
        src.describe(
            iri,
            "ak:ExecutiveAgency",
            label,
            f"De {label} voert het beleid in de regio uit",
            [("skos:altLabel", f"{_lit(_initials(label))}@nl")],
        )
        return iri, label

    def factor(self, src: _Source) -> tuple[str, str]:
        iri, n = self.mint("factor")
        label = f"{self.rng.choice(_FACTORS)} in {self.region()} {n}"
        src.describe(iri, "ak:Factor", label, f"De {label} wordt per kwartaal gemeten")
        return iri, label

    def goal(self, src: _Source, factor: str, factor_label: str) -> tuple[str, str]:
        iri, n = self.mint("doel")
        label = f"minder {factor_label}"
        src.describe(
            iri,
            "ak:Goal",
            label,
            f"Het doel is dat de {factor_label} afneemt (doel {n})",
            [("ak:decreases", factor)],
        )
        return iri, label

    def duration(
        self, src: _Source, months: int, of: str, of_label: str, what: str
    ) -> tuple[str, str]:
        iri, n = self.mint("cijfer")
        label = f"{what} van {of_label}: {months} maanden"
        src.describe(
            iri,
            "ak:Duration",
            label,
            f"De {what} van de {of_label} bedraagt {months} maanden (cijfer {n})",
            [
                ("ak:months", f'"{months}"^^xsd:decimal'),
                ("ak:value", f'"{months}"^^xsd:decimal'),
                ("ak:unit", _lit("maanden")),
                ("ak:durationOf", of),
            ],
        )
        return iri, label

    def legal(self, src: _Source) -> list[str]:
        """A bill, a law and an amendment of this source, with their lifecycle events."""
        k = src.index + 1
        bill, law, amendment = (
            f"wetsvoorstel:synth-{k}",
            f"wet:synth-{k}",
            f"amendement:synth-{k}",
        )
        bill_label = f"Wet synthetische asielmaatregelen {k}"
        law_label = f"Synthetische opvangwet {k}"
        am_label = f"amendement {self.region()} {k}"
        src.describe(
            bill,
            "ak:Bill",
            bill_label,
            f"Het wetsvoorstel {bill_label} regelt een deel van de maatregelen in deze brief",
            [("ak:status", "status:aanhangig"), ("ak:theme", self.theme())],
        )
        src.describe(
            law,
            "ak:Law",
            law_label,
            f"De {law_label} is de grondslag voor de andere maatregelen in deze brief",
            [("ak:theme", self.theme())],
        )
        src.describe(
            amendment,
            "ak:Amendment",
            am_label,
            f"Het {am_label} wijzigt het wetsvoorstel {bill_label}",
            [("ak:amends", bill), ("ak:theme", self.theme())],
        )
        self.event(src, bill, bill_label, "ingediend", src.day - timedelta(days=120))
        self.event(src, law, law_label, "inwerkingtreding", src.day - timedelta(days=400))
        self.event(src, amendment, am_label, "amendement-aangenomen", src.day - timedelta(days=30))
        return [bill, bill, bill, law, amendment]

    def event(
        self,
        src: _Source,
        of: str,
        of_label: str,
        kind: str,
        day: date,
        quote: str | None = None,
    ) -> None:
        """A lifecycle event of ``of``, quoted by its own sentence or by ``quote``."""
        iri, n = self.mint("gebeurtenis")
        words = {
            "ingediend": "is ingediend bij de Tweede Kamer op",
            "inwerkingtreding": "treedt in werking op",
            "amendement-aangenomen": "is aangenomen op",
        }
        src.describe(
            iri,
            "ak:LifecycleEvent",
            f"{of_label}: {kind.replace('-', ' ')}",
            None if quote else f"De {of_label} {words[kind]} {_date_nl(day)}",
            [
                ("ak:eventOf", of),
                ("ak:eventType", f"soort:{kind}"),
                ("ak:date", f'"{day.isoformat()}"^^xsd:date'),
            ],
            quote=quote,
        )

    def measure(
        self,
        src: _Source,
        label: str,
        clause: str,
        props: list[tuple[str, str]],
        legal: list[str],
        in_force: date | None = None,
        dated: bool = True,
        laid_down_in: str | None = None,
    ) -> str:
        """A measure laid down in one of ``legal``, with its relations.

        A ``dated`` measure also gets an announcement event (and an entry into force on
        ``in_force``), cited by the same sentence that describes the measure.
        """
        iri, _ = self.mint("maatregel")
        sentence = f"De maatregel {label} {clause}"
        announced = src.day - timedelta(days=self.rng.randrange(30, 300))
        if dated:
            when = f"aangekondigd op {_date_nl(announced)}"
            if in_force is not None:
                when += f" en in werking per {_date_nl(in_force)}"
            sentence = f"De maatregel {label}, {when}, {clause}"
        quote = src.describe(
            iri,
            "ak:Measure",
            label,
            sentence,
            [
                ("ak:laidDownIn", laid_down_in or self.rng.choice(legal)),
                ("ak:theme", self.theme()),
                *props,
            ],
        )
        if dated:
            self.event(src, iri, label, "aangekondigd", announced, quote=quote)
            if in_force is not None:
                self.event(src, iri, label, "inwerkingtreding", in_force, quote=quote)
        src.measures += 1
        self.measure_total += 1
        return iri

    def claim(
        self,
        src: _Source,
        kind: str,
        label: str,
        sentence: str,
        props: list[tuple[str, str]],
    ) -> str:
        iri, _ = self.mint("claim")
        org, _ = self.org(src)
        src.describe(iri, kind, label, sentence, [("ak:raisedBy", org), *props])
        return iri

    def plant(
        self,
        family: str,
        a: str,
        b: str,
        pivot: str | None,
        sa: _Source,
        sb: _Source,
        origin: str = "derived",
        claims: tuple[str, ...] = (),
    ) -> None:
        self.planted.append(
            Planted(
                family,
                origin,
                _expand(a),
                _expand(b),
                _expand(pivot) if pivot else None,
                tuple(_expand(c) for c in claims),
                (_expand(sa.graph), _expand(sb.graph)),
            )
        )

    def corroborate(
        self,
        family: str,
        a: str,
        a_label: str,
        b: str,
        b_label: str,
        pivot: str | None,
        src: _Source,
    ) -> tuple[str, ...]:
        """A conflict statement between ``a`` and ``b`` and an objection concerning both."""
        props = [
            ("ak:conflictBetween", f"{a} , {b}"),
            ("ak:conflictType", f"tegenstrijdigheid:{family}"),
            ("ak:concerns", f"{a} , {b}"),
        ]
        if pivot:
            props.append(("ak:conflictPivot", pivot))
        statement = self.claim(
            src,
            "ak:ConflictStatement",
            f"{a_label} en {b_label} zijn met elkaar in strijd",
            f"Volgens ons zijn de {a_label} en de {b_label} met elkaar in strijd",
            props,
        )
        objection = self.claim(
            src,
            "ak:Objection",
            f"bezwaar tegen {b_label}",
            f"Wij maken bezwaar tegen de {b_label} omdat die de {a_label} ondergraaft",
            [("ak:concerns", f"{a} , {b}")],
        )
        return statement, objection

    def plant_derived(
        self,
        family: str,
        a: tuple[str, str],
        b: tuple[str, str],
        pivot: str | None,
        sa: _Source,
        sb: _Source,
        corroborate: bool,
    ) -> None:
        """Plant a contradiction that a rule must find between sides ``a`` and ``b``.

        Each side is an (IRI, label) pair; ``corroborate`` adds a conflict statement and an
        objection about the two in ``sb``.
        """
        claims = self.corroborate(family, *a, *b, pivot, sb) if corroborate else ()
        self.plant(family, a[0], b[0], pivot, sa, sb, claims=claims)

    def opposed(self, p: _Pair, a: _MeasureSpec, b: _MeasureSpec) -> tuple[_Named, _Named]:
        """Measure ``a`` in source a and measure ``b`` in source b, as (IRI, label) pairs.

        Each measure is given as its label, the clause that describes it and its relations.
        """
        a_iri = self.measure(p.sa, *a, p.la)
        b_iri = self.measure(p.sb, *b, p.lb)
        return (a_iri, a[0]), (b_iri, b[0])

    # -- patterns -------------------------------------------------------------------------

    def pat_instrument_removed(self, p: _Pair, corroborate: bool) -> None:
        inst, il = self.instrument(p.sa)
        a, b = self.opposed(
            p,
            (f"inzet van {il}", f"kan niet zonder de {il}", [("ak:requires", inst)]),
            (f"verbod op {il}", f"verbiedt de {il}", [("ak:prohibits", inst)]),
        )
        self.plant_derived("instrument-verwijderd", a, b, inst, p.sa, p.sb, corroborate)

    def pat_incentive_prohibition(self, p: _Pair, corroborate: bool) -> None:
        inst, il = self.instrument(p.sa)
        prop = self.rng.choice(("ak:funds", "ak:incentivises"))
        a, b = self.opposed(
            p,
            (f"bonus voor {il}", f"beloont gemeenten voor de {il}", [(prop, inst)]),
            (f"verbod op {il}", f"verbiedt de {il}", [("ak:prohibits", inst)]),
        )
        self.plant_derived("prikkel-tegen-verbod", a, b, inst, p.sa, p.sb, corroborate)

    def pat_obligation_without_means(
        self, p: _Pair, corroborate: bool, removed: bool = True
    ) -> None:
        """A task imposed on an actor whose instrument is prohibited, or whose basis is missing.

        Alternate planted ones lack their legal basis (status ``ontbreekt``). With
        ``removed`` False nothing takes the instrument away: a near miss.
        """
        sa, sb = p.sa, p.sb
        actor, al = self.agency(sa)
        missing = removed and self.counters["taak-zonder-middelen"] % 2 == 1
        self.counters["taak-zonder-middelen"] += removed
        need, nl = self.missing_basis(sa) if missing else self.instrument(sa)
        task, tl = self.task(sa, actor, al, needs=(need, nl))
        self.measure(
            sa,
            f"verplichting tot {tl}",
            f"verplicht de {al} tot {tl}",
            [("ak:imposesTask", task), ("ak:obliges", actor)],
            p.la,
        )
        if not removed:
            self.near["taak-met-middelen"] += 1
            return
        if missing:
            b, b_label, sb = need, nl, sa
        else:
            # Removed by a prohibition: an abolition would also be a sequencing finding.
            b_label = f"verbod op {nl}"
            b = self.measure(
                sb, b_label, f"maakt de {nl} onmogelijk", [("ak:prohibits", need)], p.lb
            )
        # Not plant_derived: the claims name the instrument as pivot even when it is the
        # missing basis, side b itself, for which the rule reports no separate pivot.
        claims = (
            self.corroborate("taak-zonder-middelen", task, tl, b, b_label, need, sb)
            if corroborate
            else ()
        )
        pivot = None if missing else need
        self.plant("taak-zonder-middelen", task, b, pivot, sa, sb, claims=claims)

    def pat_goal_effect(self, p: _Pair, corroborate: bool, against: bool = True) -> None:
        fac, fl = self.factor(p.sa)
        goal, gl = self.goal(p.sa, fac, fl)
        a, b = self.opposed(
            p,
            (f"aanpak {gl}", f"moet zorgen voor {gl}", [("ak:hasGoal", goal)]),
            (
                f"{'uitbreiding' if against else 'versnelling'} rond de {fl}",
                "verandert de inrichting van de opvang",
                [],
            ),
        )
        if against:
            expected = f"leidt tot meer {fl} en zo het doel {gl} ondermijnt"
            effect = [("ak:increases", fac), ("ak:worksAgainst", goal)]
        else:
            expected = f"leidt tot minder {fl}"
            effect = [("ak:decreases", fac)]
        self.claim(
            p.sb,
            "ak:ExpectedEffect",
            f"verwacht effect van {b[1]}",
            f"Wij verwachten dat de {b[1]} {expected}",
            [("ak:effectOf", b[0]), *effect],
        )
        if against:
            self.plant_derived("doel-tegen-effect", a, b, goal, p.sa, p.sb, corroborate)
        else:
            self.near["doel-met-effect"] += 1

    def pat_capacity(self, p: _Pair, corroborate: bool) -> None:
        actor, al = self.agency(p.sa)
        a, b = self.opposed(
            p,
            (
                f"extra werk voor {al}",
                f"legt extra taken bij de {al}",
                [("ak:increasesDemandOn", actor)],
            ),
            (
                f"bezuiniging op {al}",
                f"verlaagt het budget van de {al}",
                [("ak:reducesCapacityOf", actor)],
            ),
        )
        self.plant_derived("capaciteit", a, b, actor, p.sa, p.sb, corroborate)

    def pat_sequencing(self, p: _Pair, corroborate: bool, late: bool = True) -> None:
        """An instrument abolished before its alternative is in force, or with none.

        Alternate planted ones have no alternative at all. With ``late`` False the
        alternative is in force first: a near miss. Both measures are laid down in their
        source's bill, which has no entry into force of its own to take the date from.
        """
        sa, sb = p.sa, p.sb
        inst, il = self.instrument(sa)
        abolished = sa.day + timedelta(days=self.rng.randrange(30, 200))
        with_alternative = not late or self.counters["volgorde"] % 2 == 0
        self.counters["volgorde"] += late
        a_label = f"afschaffing van {il}"
        a = self.measure(
            sa,
            a_label,
            f"schaft de {il} af",
            [("ak:abolishes", inst)],
            p.la,
            in_force=abolished,
            laid_down_in=p.la[0],
        )
        if not with_alternative:
            self.plant("volgorde", a, inst, None, sa, sa)
            return
        shift = self.rng.randrange(60, 365)
        b_label = f"opvolger van {il}"
        b = self.measure(
            sb,
            b_label,
            f"komt in de plaats van de {il}",
            [("ak:replaces", inst)],
            p.lb,
            in_force=abolished + timedelta(days=shift if late else -shift),
            laid_down_in=p.lb[0],
        )
        if not late:
            self.near["afschaffing-met-alternatief"] += 1
            return
        self.plant_derived("volgorde", (a, a_label), (b, b_label), inst, sa, sb, corroborate)

    def pat_duration(self, p: _Pair, corroborate: bool, short: bool = True) -> None:
        inst, il = self.instrument(p.sa)
        set_m, relied_m = (36, 60) if short else (60, 36)
        set_m += self.rng.randrange(0, 6) * (-1 if short else 1)
        d1, _ = self.duration(p.sa, set_m, inst, il, "geldigheidsduur")
        d2, _ = self.duration(p.sb, relied_m, inst, il, "benodigde duur")
        # Side a sets the shorter duration, side b relies on the longer one.
        a, b = self.opposed(
            p,
            (
                f"beperking van de geldigheid van {il}",
                f"stelt de geldigheid van de {il} op {set_m} maanden",
                [("ak:setsDuration", d1)],
            ),
            (
                f"trajectduur bij {il}",
                f"gaat uit van {relied_m} maanden {il}",
                [("ak:reliesOnDuration", d2)],
            ),
        )
        if short:
            self.plant_derived("duur", a, b, inst, p.sa, p.sb, corroborate)
        else:
            self.near["duur-past"] += 1

    def pat_asserted(self, p: _Pair, corroborate: bool) -> None:
        actor, al = self.agency(p.sa)
        a_label, b_label = f"regionale aanpak door {al}", f"landelijke regie op {al}"
        a = self.measure(
            p.sa, a_label, f"wordt uitgevoerd door de {al}", [("ak:executedBy", actor)], p.la
        )
        # Chosen after side a is written, which draws from the same random sequence.
        group = self.rng.choice(_TARGET_GROUPS)
        b = self.measure(
            p.sb,
            b_label,
            f"raakt {group.replace('-', ' ')} in de regio",
            [("ak:affects", f"groep:{group}")],
            p.lb,
        )
        statement = self.claim(
            p.sb,
            "ak:ConflictStatement",
            f"{a_label} botst met {b_label}",
            f"Naar ons oordeel botst de {a_label} met de {b_label}",
            [
                ("ak:conflictBetween", f"{a} , {b}"),
                ("ak:conflictType", "tegenstrijdigheid:beweerd"),
            ],
        )
        self.plant("beweerd", a, b, None, p.sa, p.sb, origin="asserted", claims=(statement,))

    # near misses and plain measures ------------------------------------------------------

    def near_requires(self, p: _Pair) -> None:
        inst, il = self.instrument(p.sa)
        self.opposed(
            p,
            (f"gebruik van {il}", f"steunt op de {il}", [("ak:requires", inst)]),
            (f"behoud van {il}", f"laat de {il} bestaan", [("ak:retains", inst)]),
        )
        self.near["vereist-zonder-verwijdering"] += 1

    def near_incentive(self, p: _Pair) -> None:
        inst, il = self.instrument(p.sa)
        other, ol = self.instrument(p.sb)
        self.opposed(
            p,
            (f"subsidie voor {il}", f"financiert de {il}", [("ak:funds", inst)]),
            (f"beperking van {ol}", f"verbiedt de {ol}", [("ak:prohibits", other)]),
        )
        self.near["prikkel-zonder-verbod"] += 1

    def near_capacity(self, p: _Pair) -> None:
        actor, al = self.agency(p.sa)
        other, ol = self.agency(p.sb)
        self.opposed(
            p,
            (
                f"nieuwe taken voor {al}",
                f"vraagt meer van de {al}",
                [("ak:increasesDemandOn", actor)],
            ),
            (f"krimp van {ol}", f"verkleint de {ol}", [("ak:reducesCapacityOf", other)]),
        )
        self.near["werklast-zonder-bezuiniging"] += 1

    def pooled(
        self, src: _Source, kind: str, make: Callable[[], tuple[str, str]]
    ) -> tuple[str, str]:
        """One of a few entities of ``kind`` that plain measures of ``src`` share."""
        pool = src.pools.setdefault(kind, [])
        if len(pool) < 8:
            pool.append(make())
        return self.rng.choice(pool)

    def plain(self, src: _Source, legal: list[str]) -> None:
        """One undated measure that takes part in no contradiction."""
        kind = self.rng.randrange(4)
        n = self.counters["maatregel"] + 1
        props: list[tuple[str, str]]
        if kind == 0:
            org, ol = self.org(src)
            name, clause = "informatieplicht", f"wordt uitgevoerd door {ol}"
            props = [("ak:executedBy", org)]
        elif kind == 1:
            group = self.rng.choice(_TARGET_GROUPS)
            name, clause = "regionale afspraak", f"raakt {group.replace('-', ' ')}"
            props = [("ak:affects", f"groep:{group}")]
        elif kind == 2:
            task, tl = self.pooled(src, "taak", lambda: self.task(src, *self.agency(src)))
            name, clause = "uitvoeringsafspraak", f"laat de taak {tl} bestaan"
            props = [("ak:retains", task)]
        else:
            goal, gl = self.pooled(src, "doel", lambda: self.goal(src, *self.factor(src)))
            name, clause = "streefafspraak", f"streeft naar {gl}"
            props = [("ak:hasGoal", goal)]
        # The region is drawn after what the kind drew, as it always was.
        m = self.measure(src, f"{name} {self.region()} {n}", clause, props, legal, dated=False)
        if kind == 3 and self.rng.random() < 0.2:
            self.claim(
                src,
                "ak:Objection",
                f"bezwaar tegen streefafspraak {n}",
                f"Wij hebben bezwaar tegen streefafspraak {n}",
                [("ak:concerns", m)],
            )


_PLANTERS: dict[str, Callable[..., None]] = {
    "instrument-verwijderd": _Generator.pat_instrument_removed,
    "prikkel-tegen-verbod": _Generator.pat_incentive_prohibition,
    "taak-zonder-middelen": _Generator.pat_obligation_without_means,
    "doel-tegen-effect": _Generator.pat_goal_effect,
    "capaciteit": _Generator.pat_capacity,
    "volgorde": _Generator.pat_sequencing,
    "duur": _Generator.pat_duration,
    "beweerd": _Generator.pat_asserted,
}
_NEAR: dict[str, Callable[..., None]] = {
    "vereist-zonder-verwijdering": _Generator.near_requires,
    "prikkel-zonder-verbod": _Generator.near_incentive,
    "afschaffing-met-alternatief": lambda g, p: g.pat_sequencing(p, False, late=False),
    "doel-met-effect": lambda g, p: g.pat_goal_effect(p, False, against=False),
    "werklast-zonder-bezuiniging": _Generator.near_capacity,
    "duur-past": lambda g, p: g.pat_duration(p, False, short=False),
    "taak-met-middelen": lambda g, p: g.pat_obligation_without_means(p, False, removed=False),
}


def _expand(curie: str) -> str:
    """Expand a CURIE of this module's prefixes to a full IRI.

    >>> _expand("maatregel:synth-1")
    'https://w3id.org/asielketen/id/maatregel/synth-1'
    """
    prefix, local = curie.split(":", 1)
    return _PREFIXES[prefix] + local


def _share(total: int, rate: int, start: int, end: int) -> int:
    """How many of ``rate`` per thousand fall in measures ``start..end`` of ``total``.

    Cumulative rounding, so the shares of all sources add up to ``total * rate // 1000``.

    >>> sum(_share(2500, 15, s, s + 500) for s in range(0, 2500, 500))
    37
    """
    return end * rate // 1000 - start * rate // 1000


def _prepare_out(out: Path) -> None:
    """Create ``out`` or clear an earlier ``kg synth`` output in it; refuse other folders."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file; give --out a folder (new or from kg synth)")
    if out.is_dir() and any(out.iterdir()):
        if not (out / "expected.json").is_file():
            raise InputError(
                f"{out} is not empty and holds no earlier `kg synth` output (expected.json); "
                "give --out a new folder, e.g. --out build/synth-1000"
            )
        for sub in ("sources", "graphs"):
            shutil.rmtree(out / sub, ignore_errors=True)
        (out / "expected.json").unlink()
    (out / "sources").mkdir(parents=True, exist_ok=True)
    (out / "graphs").mkdir(parents=True, exist_ok=True)


def _sources_ttl(sources: list[_Source]) -> tuple[str, int]:
    """The descriptions of the source documents, for ``sources/sources.ttl``."""
    blocks = [_PREFIX_BLOCK, "\n# Synthetic source documents written by `kg synth`.\n"]
    for src in sources:
        org = f"organisatie:synth-vereniging-{src.index % _ORG_POOL + 1}"
        blocks.append(
            f"\n{src.doc} a ak:SourceDocument ;\n"
            f"    rdfs:label {_lit(f'Synthetische brief {src.index + 1} over asiel')}@nl ;\n"
            f"    dcterms:title {_lit(f'Synthetische beleidsbrief {src.index + 1}')}@nl ;\n"
            f"    ak:publisher {org} ;\n"
            f'    ak:documentKind "synthetische brief" ;\n'
            f"    ak:file {_lit(src.name + '.txt')} ;\n"
            f'    ak:date "{src.day.isoformat()}"^^xsd:date ;\n'
            f'    dcterms:language "nl" ;\n'
            f'    dcterms:format "text/plain" .\n'
        )
    return "".join(blocks), 9 * len(sources)


def generate(
    out: Path,
    measures: int,
    seed: int = 0,
    per_source: int = MEASURES_PER_SOURCE,
) -> SynthResult:
    """Write a synthetic data folder with ``measures`` measures to ``out``.

    Args:
        out: Output folder; created, or overwritten when it holds earlier output of this
            function (it has ``expected.json``). Any other non-empty folder is refused.
        measures: Number of measures (1 or more). 100,000 give about 1.6 million triples.
        seed: Seed of the random choices (labels, dates, which pairs cross sources).
        per_source: Measures per source document; at least four sources are written.

    Returns:
        What was written, including the planted contradictions.

    Raises:
        InputError: When ``measures`` or ``per_source`` is below 1 or ``out`` is unusable.
    """
    if measures < 1:
        raise InputError(f"--measures must be 1 or more, not {measures}; e.g. --measures 1000")
    if per_source < 1:
        raise InputError(f"--per-source must be 1 or more, not {per_source}")
    _prepare_out(out)
    n_sources = max(MIN_SOURCES, -(-measures // per_source))
    n_sources = min(n_sources, measures)
    bounds = [measures * i // n_sources for i in range(n_sources + 1)]
    gen = _Generator(seed)
    corroborate_every = CORROBORATED_SHARE
    derived_done = 0
    sources: list[_Source] = []
    triples = 0

    def open_source(i: int) -> _Source:
        return _Source(i, f"synth-bron-{i + 1:04d}", _START + timedelta(days=7 * i))

    current = open_source(0)
    upcoming = open_source(1) if n_sources > 1 else current
    legal_cur = gen.legal(current)
    legal_up = gen.legal(upcoming) if upcoming is not current else legal_cur
    for i in range(n_sources):
        start, end = bounds[i], bounds[i + 1]
        jobs: list[tuple[str, str]] = []
        for family in FAMILIES:
            jobs += [("plant", family)] * _share(measures, PLANTED_PER_1000[family], start, end)
        for kind, rate in NEAR_MISS_PER_1000.items():
            jobs += [("near", kind)] * _share(measures, rate, start, end)
        gen.rng.shuffle(jobs)
        for job, name in jobs:
            cross = upcoming is not current and gen.rng.random() < CROSS_SOURCE_SHARE
            sb, lb = (upcoming, legal_up) if cross else (current, legal_cur)
            pair = _Pair(current, sb, legal_cur, lb)
            if job == "plant":
                corroborate = False
                if name != "beweerd":
                    derived_done += 1
                    corroborate = derived_done % corroborate_every == 0
                _PLANTERS[name](gen, pair, corroborate)
            else:
                _NEAR[name](gen, pair)
        # Plain measures fill this source up to its share (the patterns may overshoot it
        # by the few measures they placed in the next source).
        while gen.measure_total < end:
            gen.plain(current, legal_cur)
        _write_source(out, current)
        triples += current.triples
        sources.append(current)
        if i + 1 < n_sources:
            current, legal_cur = upcoming, legal_up
            if i + 2 < n_sources:
                upcoming = open_source(i + 2)
                legal_up = gen.legal(upcoming)
            else:
                upcoming, legal_up = current, legal_cur
    ttl, source_triples = _sources_ttl(sources)
    (out / "sources" / "sources.ttl").write_text(ttl, encoding="utf-8")
    triples += source_triples
    result = SynthResult(
        out=out,
        measures=gen.measure_total,
        sources=n_sources,
        triples=triples,
        seed=seed,
        planted=gen.planted,
        near_misses=dict(gen.near),
    )
    _write_expected(result)
    return result


def _write_source(out: Path, src: _Source) -> None:
    (out / "sources" / f"{src.name}.txt").write_text(src.text(), encoding="utf-8")
    (out / "graphs" / f"{src.name}.trig").write_text(src.trig(), encoding="utf-8")


def _write_expected(result: SynthResult) -> None:
    doc = {
        "generator": "kg synth",
        "seed": result.seed,
        "measures": result.measures,
        "sources": result.sources,
        "triples": result.triples,
        "planted_per_1000": PLANTED_PER_1000,
        "counts": result.counts(),
        "near_misses": result.near_misses,
        "contradictions": [
            {**asdict(p), "claims": list(p.claims), "graphs": list(p.graphs)}
            for p in result.planted
        ],
    }
    (result.out / "expected.json").write_text(
        json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


@click.command("synth")
@click.option(
    "--measures",
    "-n",
    type=click.IntRange(min=1),
    required=True,
    help="Number of measures; 100000 give about 1.6 million triples.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Output folder, laid out like data/.",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed of the random choices; the same seed gives the same files.",
)
@click.option(
    "--per-source",
    type=click.IntRange(min=1),
    default=MEASURES_PER_SOURCE,
    show_default=True,
    help="Measures per source document (named graph).",
)
def synth_command(measures: int, out: Path, seed: int, per_source: int) -> None:
    """Write a synthetic data folder with planted contradictions (DIR/expected.json).

    Use it with any command's --data option, e.g.
    `kg synth --measures 1000 --out build/synth && kg contradictions --data build/synth`.
    """
    result = generate(out, measures, seed=seed, per_source=per_source)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(result.counts().items())) or "none"
    click.echo(
        f"wrote {result.measures} measures in {result.sources} sources, "
        f"{result.triples} triples, to {out}"
    )
    click.echo(f"planted contradictions: {counts} (see {out / 'expected.json'})")
