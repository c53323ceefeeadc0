"""Contradictions between measures: rule queries → findings with explanation, quotes and dates.

Every ``.rq`` file in ``queries/contradictions/`` is a rule (see ``queries/README.md``). A
rule returns rows with the two sides ``?a`` and ``?b``, optionally a ``?pivot``, labels
(``?aLabel`` …), relation names (``?relA``, ``?relB``), the claims it rests on
(``?claim``, ``?claimA``, ``?claimB``), what was removed (``?removed``) and what its
explanation template needs. The rule with ``#+ rule: beweerd`` reads the conflict
statements in the data (``ak:ConflictStatement``); all others derive findings.

:func:`find_contradictions` turns the rows into :class:`Finding` objects:

* one finding per pair of sides through the same pivot: findings of several rules about
  the same unordered pair and pivot are merged (``rule`` lists their names joined by
  ``+``, most severe first);
* ``explanation``: one Dutch sentence from the rule's template and the labels;
* ``sources``: the quotes (``ak:hasQuote``) of both sides, the pivot, the claims the rule
  rests on and the corroborating claims, each with its document's title (or file);
* ``corroborated_by``: the conflict statements and objections that concern both sides or
  the pivot (or something they are laid down in or part of);
* a conflict statement whose sides a rule also derives is not a finding of its own: it
  corroborates the derived one. The others are findings with ``origin`` ``asserted``;
* ``severity``: the rule's ``#+ severity:``, or per row ``?severity`` (a concept of
  begrip/ernst) when the rule grades its findings (goal-vs-effect); the most severe rule
  of a merged finding; for a conflict statement its ``ak:severity``, else the severity of
  the family of its ``ak:conflictType``;
* ``rule_labels``: the Dutch name of each rule's family (begrip/tegenstrijdigheid), which
  the table and md show; ``rule`` keeps the file names;
* ``valid_from``: the later of the two sides' first lifecycle date (announcement,
  consultation, submission, in force …, of the side or what it is laid down in); when
  neither side has one, the later of the two sides' earliest quoting source documents
  (each side existed no later than the document that reports it): ``valid_from_bound``
  keeps that date as written and the table shows it as ``≤ 2024-10``;
  ``valid_until``: the earliest withdrawal or expiry of a side, correction of a side
  (``soort:correctie``) or correction that resolves a side or a claim the finding rests on
  (``ak:resolves``). A withdrawal of what one side removes does not end the finding.

With ``as_of`` only the findings that hold on that date are kept; a finding ended by a
correction is kept and marked ``resolved`` (shown as resolved, not hidden). Dates of any
precision count from their first day (``2025-07`` is 1 July 2025).

The stable API used by the graph view and other tools is :func:`find_contradictions`,
:class:`Finding` and :meth:`Finding.to_json` (the JSON shape of DESIGN.md)::

    {"id", "rule", "origin", "severity", "a": {"iri", "label"}, "b": {...},
     "pivot": {...} or null, "explanation", "sources": [{"document", "quote"}],
     "corroborated_by": [IRI], "valid_from": "YYYY-MM-DD" or null, "valid_until": ...}

>>> finding = Finding(id="x", rule="capacity", origin="derived", severity="midden",
...     a=Party("https://e/a", "a"), b=Party("https://e/b", "b"), pivot=None,
...     explanation="A en B.", sources=[], corroborated_by=[], valid_from="2025-02-17",
...     valid_until=None)
>>> sorted(finding.to_json())  # doctest: +NORMALIZE_WHITESPACE
['a', 'b', 'corroborated_by', 'explanation', 'id', 'origin', 'pivot', 'rule', 'severity',
 'sources', 'valid_from', 'valid_until']
>>> day("2025-07"), day("2025"), day("2025-02-17Z")
('2025-07-01', '2025-01-01', '2025-02-17')
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.drafts import include_drafts_option
from kg.errors import KgError, QueryError
from kg.options import data_option, endpoint_option, format_option, shared_options
from kg.queries import SEVERITIES, Query, catalogue, md_cell, run_query, text_table

if TYPE_CHECKING:
    from kg.store import Engine

__all__ = [
    "ORIGINS",
    "Finding",
    "Lifecycle",
    "Party",
    "Source",
    "contradictions_command",
    "day",
    "find_contradictions",
    "format_findings",
    "lifecycles",
]

AK = "https://w3id.org/asielketen/def#"
SOORT = "https://w3id.org/asielketen/id/begrip/gebeurtenis/"
ERNST = "https://w3id.org/asielketen/id/begrip/ernst/"
FAMILY_SCHEME = "https://w3id.org/asielketen/id/begrip/tegenstrijdigheid"
"""The value list of rule families (``#+ rule:`` of a rule is a concept in it)."""
ASSERTED_FAMILY = "beweerd"
"""The ``#+ rule:`` of the query that reads conflict statements from the data."""

ORIGINS = ("derived", "asserted")
_NOT_A_START = {SOORT + s for s in ("ingetrokken", "afloop", "correctie", "voorgenomen-intrekking")}
_WITHDRAWALS = {SOORT + "ingetrokken", SOORT + "afloop"}
_CORRECTION = SOORT + "correctie"
_CORROBORATING_KINDS = {AK + "Objection", AK + "ConflictStatement"}
_PER_ENTITY_LIMIT = 16
"""Up to this many entities, a report is run once per entity; above, once for all."""

_DATE = re.compile(r"^(-?\d{4,})(?:-(\d{2}))?(?:-(\d{2}))?")


def day(value: str) -> str | None:
    """The ISO day a date of any precision starts on (``2025-07`` → ``2025-07-01``).

    Returns None for text that is not a date.
    """
    match = _DATE.match(value.strip())
    if not match:
        return None
    year, month, dd = match.group(1), match.group(2) or "01", match.group(3) or "01"
    return f"{year}-{month}-{dd}"


@dataclass(frozen=True)
class Party:
    """A side or the pivot of a finding."""

    iri: str
    label: str

    def to_json(self) -> dict[str, str]:
        """``{"iri": ..., "label": ...}``."""
        return {"iri": self.iri, "label": self.label}


@dataclass(frozen=True)
class Source:
    """A quote that supports a finding, and the document it is from."""

    document: str
    quote: str

    def to_json(self) -> dict[str, str]:
        """``{"document": ..., "quote": ...}``."""
        return {"document": self.document, "quote": self.quote}


@dataclass
class Finding:
    """One contradiction (see the module docstring for what each field holds).

    Attributes:
        rules: Every rule that found it (``rule`` joins them with ``+``).
        claims: The claims (expected effects, conflict statements) it rests on.
        withdrawn_on: The day a side was withdrawn or expired, if any.
        corrected_on: The day a correction resolved it, if any.
        corrected_by: The correction (a novelle, an event of type correctie), if any.
        resolved: Set by ``as_of``: the date is on or after ``corrected_on``.
        rule_labels: The Dutch name of each rule's family (``skos:prefLabel`` in
            begrip/tegenstrijdigheid), for people; ``rule`` keeps the file names.
        valid_from_bound: When neither side has a lifecycle date, the later of the two
            sides' earliest source documents (``2024-10``, at its own precision): each side
            was announced no later than the document that reports it, so ``valid_from`` (the
            first day) is an upper bound, shown as ``≤ 2024-10``.
    """

    id: str
    rule: str
    origin: str
    severity: str
    a: Party
    b: Party
    pivot: Party | None
    explanation: str
    sources: list[Source]
    corroborated_by: list[str]
    valid_from: str | None
    valid_until: str | None
    rules: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()
    withdrawn_on: str | None = None
    corrected_on: str | None = None
    corrected_by: str | None = None
    resolved: bool = False
    rule_labels: tuple[str, ...] = ()
    valid_from_bound: str | None = None

    @property
    def rule_label(self) -> str:
        """The Dutch names of the rule families joined by `` + `` (else ``rule``)."""
        return " + ".join(self.rule_labels) if self.rule_labels else self.rule

    def to_json(self) -> dict[str, Any]:
        """The finding in the JSON shape of DESIGN.md (exactly those keys)."""
        return {
            "id": self.id,
            "rule": self.rule,
            "origin": self.origin,
            "severity": self.severity,
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "pivot": self.pivot.to_json() if self.pivot else None,
            "explanation": self.explanation,
            "sources": [s.to_json() for s in self.sources],
            "corroborated_by": list(self.corroborated_by),
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
        }


# --------------------------------------------------------------------------- rows


def _text(term: Any) -> str | None:
    if term is None:
        return None
    value = getattr(term, "value", None)
    return str(value) if value is not None else str(term)


def _iri(term: Any) -> str | None:
    """An IRI or blank node id as a string (blank nodes as ``_:id``)."""
    if term is None:
        return None
    name = type(term).__name__
    if name == "BlankNode":
        return f"_:{term.value}"
    return _text(term)


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1].replace("-", " ")


def _row_key(row: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, str(v)) for k, v in row.items()))


@dataclass
class _Raw:
    """One derived or asserted finding before merging."""

    rule: Query
    a: str
    b: str
    pivot: str | None
    labels: dict[str, str]
    values: dict[str, str]
    claims: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    severity: str = "midden"
    severity_from_rows: bool = False
    """Whether a row bound ``?severity`` (else the severity is the rule header's)."""
    seen: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """Every value each variable took in the rows of this finding."""


def _row_severity(row: Mapping[str, Any]) -> str | None:
    """The severity a row binds in ``?severity`` (a concept of begrip/ernst), if any."""
    value = _iri(row.get("severity")) or ""
    name = value[len(ERNST) :] if value.startswith(ERNST) else ""
    return name if name in SEVERITIES else None


def _raw_findings(rule: Query, rows: Iterable[Mapping[str, Any]]) -> list[_Raw]:
    """One :class:`_Raw` per (a, b, pivot) of a rule's rows.

    A row may grade itself with ``?severity`` (a concept of begrip/ernst); the finding takes
    the most severe of its rows, and the values and labels of the first such row (rows in a
    stable order) for its explanation. Rows without ``?severity`` have the rule's severity.
    """
    out: dict[tuple[str, str, str | None], _Raw] = {}
    for row in sorted(rows, key=_row_key):
        a, b = _iri(row.get("a")), _iri(row.get("b"))
        if a is None or b is None:
            raise QueryError(
                "a contradiction rule must bind ?a and ?b in every row", file=rule.file
            )
        pivot = _iri(row.get("pivot"))
        if pivot in (a, b):
            pivot = None
        if a == b and rule.rule != "doel-tegen-effect":
            continue
        key = (a, b, pivot)
        values = {k: v for k, v in ((k, _text(t)) for k, t in row.items()) if v is not None}
        labels = {k[: -len("Label")]: v for k, v in values.items() if k.endswith("Label")}
        graded = _row_severity(row)
        severity = graded or rule.severity or "midden"
        raw = out.get(key)
        if raw is None:
            raw = out[key] = _Raw(
                rule=rule,
                a=a,
                b=b,
                pivot=pivot,
                labels=labels,
                values=values,
                severity=severity,
                severity_from_rows=graded is not None,
            )
        elif SEVERITIES.index(severity) < SEVERITIES.index(raw.severity):
            raw.labels, raw.values, raw.severity = labels, values, severity
            raw.severity_from_rows = raw.severity_from_rows or graded is not None
        elif graded is not None:
            raw.severity_from_rows = True
        for name, term in row.items():
            if name.startswith("claim") and not name.endswith("Label"):
                claim = _iri(term)
                if claim:
                    raw.claims.add(claim)
        removed = _iri(row.get("removed"))
        if removed:
            raw.removed.add(removed)
        for name, value in values.items():
            raw.seen[name].add(value)
    return list(out.values())


# --------------------------------------------------------------------------- explanations


_CLAUSE = {
    AK + "abolishes": ("schaft", "af"),
    AK + "repeals": ("trekt", "in"),
    AK + "prohibits": ("verbiedt", ""),
    AK + "requires": ("vereist", ""),
    AK + "dependsOn": ("is afhankelijk van", ""),
    AK + "funds": ("financiert", ""),
    AK + "incentivises": ("stimuleert", ""),
}


def _q(text: str) -> str:
    return f"‘{text}’"


def _clause(relation: str | None, obj: str) -> str:
    """``verb object particle`` for a main clause: ``schaft ‘X’ af``, ``verbiedt ‘X’``."""
    verb, particle = _CLAUSE.get(relation or "", ("raakt", ""))
    return f"{verb} {obj} {particle}".rstrip()


def _sentence(text: str) -> str:
    """Capitalise the first letter (also inside an opening quote) and end with a full stop."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            text = text[:i] + ch.upper() + text[i + 1 :]
            break
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _duration(value: str | None) -> str:
    """``een duur van 36 maanden`` (``1 maand``, decimals with a comma)."""
    if value is None:
        return "een duur van onbekende lengte"
    try:
        number = float(value)
    except ValueError:
        return f"een duur van {value}"
    text = str(int(number)) if number.is_integer() else str(number).replace(".", ",")
    return f"een duur van {text} {'maand' if number == 1 else 'maanden'}"


_MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()


def _long_date(iso: str | None) -> str:
    if not iso:
        return "een onbekende datum"
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _explain(raw: _Raw) -> str:
    """One Dutch sentence for a finding, from its rule's template.

    Labels are quoted (‘…’) so that the sentence reads right whatever their article or
    number; relative clauses use ``waarvan`` as formal Dutch does.
    """

    def label(name: str) -> str:
        iri = {"a": raw.a, "b": raw.b, "pivot": raw.pivot}.get(name) or raw.values.get(name)
        text = raw.labels.get(name) or (_local(iri) if iri else name)
        return _q(text)

    v = raw.values
    family = raw.rule.rule
    a, b = label("a"), label("b")
    pivot = label("pivot") if raw.pivot else None

    def tail() -> str:
        """How what A needs relates to what B removes."""
        removed, lost = v.get("removed"), v.get("lost")
        if raw.pivot is None or removed is None or raw.pivot == removed:
            return ""
        if lost == removed:
            return f", waarvan {pivot} afhankelijk is"
        if lost == raw.pivot:
            return f", waarvan {pivot} deel uitmaakt"
        return f", waarvan {pivot} via {label('lost')} afhankelijk is"

    def removal() -> str:
        # The label again, not a pronoun: ``dat`` or ``die`` depends on a gender labels lack.
        return _clause(v.get("relB"), label("removed"))

    if family == "instrument-verwijderd":
        need = _clause(v.get("relA"), pivot or label("removed"))
        return _sentence(f"{a} {need}, maar {b} {removal()}{tail()}")
    if family == "taak-zonder-middelen":
        return _sentence(_explain_task(raw, label, removal(), tail()))
    if family == "prikkel-tegen-verbod":
        via = v.get("via")
        what = label("via") if via else (pivot or label("pivot"))
        if via and raw.pivot and via != raw.pivot:
            ban = f"verbiedt {pivot}, waarvan {what} afhankelijk is"
        else:
            ban = f"verbiedt {what}"
        return _sentence(f"{a} {_clause(v.get('relA'), what)}, maar {b} {ban}")
    if family == "doel-tegen-effect":
        actor = f"volgens {label('actor')} " if v.get("actor") else "naar verwachting "
        other = f"{b} zelf" if raw.a == raw.b else b
        goal = pivot or label("pivot")
        if v.get("variant") == "factor":
            more = "meer" if v.get("effectRel") == AK + "increases" else "minder"
            return _sentence(
                f"{a} heeft als doel {goal}, maar {actor}leidt {other} tot {more} {label('via')}"
            )
        if v.get("variant") == "effect-werkt-tegen":
            return _sentence(f"{a} heeft als doel {goal}, maar {actor}werkt {other} dat doel tegen")
        return _sentence(f"{a} heeft als doel {goal}, maar {other} werkt dat doel tegen")
    if family == "capaciteit":
        who = pivot or label("pivot")
        actor_a, actor_b = v.get("actorA"), v.get("actorB")
        if actor_a and actor_a == actor_b:
            return _sentence(
                f"volgens {label('actorA')} verhoogt {a} de werklast van {who}, terwijl {b} het "
                f"budget of de capaciteit van {who} verlaagt"
            )
        says_a = f" volgens {label('actorA')}" if actor_a else ""
        says_b = f" volgens {label('actorB')}" if actor_b else ""
        return _sentence(
            f"{a} verhoogt{says_a} de werklast van {who}, terwijl {b}{says_b} het budget of de "
            f"capaciteit van {who} verlaagt"
        )
    if family == "volgorde":
        if v.get("variant") == "alternatief-later":
            return _sentence(
                f"{a} {_clause(v.get('relA'), pivot or label('removed'))} met ingang van "
                f"{_long_date(v.get('abolishedOn'))}, maar het alternatief {b} treedt pas op "
                f"{_long_date(v.get('alternativeFrom'))} in werking"
            )
        return _sentence(
            f"{a} {_clause(v.get('relA'), b)} zonder dat er een alternatief voor in de plaats komt"
        )
    if family == "duur":
        via = f" (voor {label('via')})" if v.get("via") and v.get("via") != raw.pivot else ""
        return _sentence(
            f"{a} legt voor {pivot or label('pivot')} {_duration(v.get('monthsA'))} vast, maar "
            f"{b} gaat uit van {_duration(v.get('monthsB'))}{via}"
        )
    if family == ASSERTED_FAMILY:
        who = label("actor") if v.get("actor") else "een bron"
        about = f" wat betreft {pivot}" if pivot else ""
        kind = f" (soort: {v['typeLabel']})" if v.get("typeLabel") else ""
        return _sentence(f"volgens {who} zijn {a} en {b} met elkaar in strijd{about}{kind}")
    via_pivot = f" wat betreft {pivot}" if pivot else ""
    rule = raw.rule.summary.rstrip(".")
    rule = rule[:1].lower() + rule[1:]
    return _sentence(f"{a} en {b} zijn met elkaar in strijd{via_pivot} (regel: {rule})")


def _explain_task(raw: _Raw, label: Callable[[str], str], removal: str, tail: str) -> str:
    """The sentence of taak-zonder-middelen: a task keeps going without what it needs."""
    v = raw.values
    a, b = label("a"), label("b")
    pivot = label("pivot") if raw.pivot else None
    who = f" van {label('actor')}" if v.get("actor") else ""
    retained_by_b = raw.b in raw.seen.get("imposer", set())
    imposer = v.get("imposer")
    if not retained_by_b and imposer and imposer not in (raw.a, raw.pivot):
        who += f" op grond van {label('imposer')}"
    need = _clause(v.get("relA"), pivot or b)
    if v.get("variant") == "ontbreekt":
        lack = (
            "dat is niet geregeld"
            if pivot is None
            else f"{pivot} steunt op {b} en dat is niet geregeld"
        )
        return (
            f"de taak {a}{who} {need}, maar {lack}, zodat het middel om de taak uit te voeren "
            "ontbreekt"
        )
    if retained_by_b:
        joint = ", en" if tail else " en"
        return (
            f"de taak {a}{who} {need}, maar {b} {removal}{tail}{joint} laat de taak zelf bestaan; "
            "zo moet de taak worden uitgevoerd zonder het middel dat zij nodig heeft"
        )
    return (
        f"de taak {a}{who} {need}, maar {b} {removal}{tail}; zo blijft de taak bestaan zonder "
        "het middel om haar uit te voeren"
    )


# --------------------------------------------------------------------------- support data


def _per_entity(
    engine: Engine, query: Query, entities: Iterable[str], var: str = "entity"
) -> list[Mapping[str, Any]]:
    """Rows of a report about some entities: once per entity when few, else once for all.

    Parameters are bound by the engine either way (never pasted into the text).
    """
    wanted = sorted({e for e in entities if e and not e.startswith("_:")})
    if not wanted:
        return []
    if len(wanted) <= _PER_ENTITY_LIMIT:
        rows: list[Mapping[str, Any]] = []
        for iri in wanted:
            rows.extend(run_query(engine, query, {var: iri}))
        return rows
    return list(run_query(engine, query, where=(var, set(wanted))))


@dataclass
class Lifecycle:
    """Dates of one entity (ISO days): first date, withdrawal or expiry, correction."""

    start: str | None = None
    withdrawn: str | None = None
    corrected: str | None = None
    corrected_by: str | None = None


def _earliest(current: str | None, new: str | None) -> str | None:
    if new is None:
        return current
    return new if current is None or new < current else current


def lifecycles(rows: Iterable[Mapping[str, Any]]) -> dict[str, Lifecycle]:
    """Per entity, from rows of the ``lifecycle`` (or ``timeline``) report: dates of each kind.

    The first date is the earliest event that is not a withdrawal, expiry, correction or
    planned withdrawal; an event of a correction that resolves the entity (``ak:resolves``)
    dates its correction.
    """
    out: dict[str, Lifecycle] = defaultdict(Lifecycle)
    fixes: dict[tuple[str, str], str] = {}
    for row in rows:
        entity, kind = _iri(row.get("entity")), _iri(row.get("type"))
        when = day(_text(row.get("date")) or "")
        if entity is None or kind is None or when is None:
            continue
        life = out[entity]
        fixer = _iri(row.get("resolvedBy"))
        if fixer is not None:
            if kind not in _WITHDRAWALS:
                key = (entity, fixer)
                fixes[key] = min(fixes.get(key, when), when)
            continue
        if kind in _WITHDRAWALS:
            life.withdrawn = _earliest(life.withdrawn, when)
        elif kind == _CORRECTION:
            if life.corrected is None or when < life.corrected:
                life.corrected, life.corrected_by = when, _iri(row.get("subject"))
        if kind not in _NOT_A_START:
            life.start = _earliest(life.start, when)
    for (entity, fixer), when in sorted(fixes.items()):
        life = out[entity]
        if life.corrected is None or when < life.corrected:
            life.corrected, life.corrected_by = when, fixer
    return out


class _Claims:
    """Which claims concern what, from the ``claims-concerning`` report.

    A claim about a law also concerns what is laid down in it or part of it (the report
    expands that).
    """

    def __init__(self, rows: Iterable[Mapping[str, Any]]) -> None:
        self.about: dict[str, set[str]] = defaultdict(set)
        self.parts: dict[tuple[str, str], set[str]] = defaultdict(set)
        for row in rows:
            claim, entity = _iri(row.get("claim")), _iri(row.get("entity"))
            kind, relation = _iri(row.get("kind")), _iri(row.get("relation"))
            target = _iri(row.get("target"))
            if not claim or not entity or not target:
                continue
            if kind in _CORROBORATING_KINDS and relation != AK + "effectOf":
                self.about[entity].add(claim)
            if relation == AK + "conflictBetween":
                self.parts[(claim, target)].add(entity)

    def corroborating(self, a: str, b: str, pivot: str | None) -> set[str]:
        """Conflict statements and objections that concern both sides, or the pivot."""
        found = self.about.get(a, set()) & self.about.get(b, set())
        if pivot:
            found |= self.about.get(pivot, set())
        return found

    def derived(self, statement: _Raw, pairs: set[frozenset[str]]) -> bool:
        """Whether a rule derived the sides a conflict statement names (or their parts)."""
        claim = statement.values["claim"]
        for x in self.parts.get((claim, statement.a), set()) | {statement.a}:
            for y in self.parts.get((claim, statement.b), set()) | {statement.b}:
                if x != y and frozenset((x, y)) in pairs:
                    return True
        return False


def _sources(
    rows: Iterable[Mapping[str, Any]], titles: Mapping[str, str]
) -> dict[str, list[Source]]:
    """Quotes per entity, from rows of the ``quotes`` report; documents by their title."""
    out: dict[str, list[Source]] = defaultdict(list)
    for row in rows:
        entity, quote = _iri(row.get("entity")), _text(row.get("quote"))
        if not entity or not quote:
            continue
        iri = _iri(row.get("document")) or ""
        document = titles.get(iri) or (_local(iri) if iri else "onbekend document")
        source = Source(document=document, quote=" ".join(quote.split()))
        if source not in out[entity]:
            out[entity].append(source)
    # Engines return rows in no fixed order; sort so that output is the same everywhere.
    for found in out.values():
        found.sort(key=lambda s: (s.document, s.quote))
    return out


# --------------------------------------------------------------------------- the engine


def _merge(raws: Sequence[_Raw], order: Mapping[str, int]) -> list[list[_Raw]]:
    """Group findings about the same unordered pair through the same pivot."""
    groups: dict[tuple[frozenset[str], str | None], list[_Raw]] = {}
    for raw in raws:
        groups.setdefault((frozenset((raw.a, raw.b)), raw.pivot), []).append(raw)
    out = []
    for group in groups.values():
        group.sort(key=lambda r: (SEVERITIES.index(r.severity), order[r.rule.name]))
        out.append(group)
    return out


def _finding_id(rule: str, a: str, b: str, pivot: str | None) -> str:
    digest = hashlib.sha256(f"{rule}\n{a}\n{b}\n{pivot or ''}".encode()).hexdigest()
    return digest[:16]


def _check_options(as_of: str | date | None, origin: str, severity: str | None) -> str | None:
    if origin not in ("all", *ORIGINS):
        raise KgError(f"origin {origin!r} is unknown; use derived, asserted or all")
    if severity is not None and severity not in SEVERITIES:
        raise KgError(f"severity {severity!r} is unknown; use one of {', '.join(SEVERITIES)}")
    if as_of is None:
        return None
    text = as_of.isoformat() if isinstance(as_of, date) else str(as_of)
    try:
        if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise KgError(f"--as-of {text!r} is not a date; write YYYY-MM-DD, e.g. 2025-07-01")


def find_contradictions(
    engine: Engine,
    *,
    as_of: str | date | None = None,
    origin: str = "all",
    severity: str | None = None,
    queries_dir: Path | None = None,
) -> list[Finding]:
    """Run the contradiction rules and return the findings (see the module docstring).

    Args:
        engine: From :func:`kg.store.open_engine` (embedded or remote).
        as_of: Keep only findings that hold on this day (``YYYY-MM-DD``); those resolved by
            a correction by then are kept with ``resolved`` set.
        origin: ``derived``, ``asserted`` or ``all``.
        severity: Keep findings of this severity or higher (``hoog`` > ``midden`` > ``laag``).
        queries_dir: A catalogue folder other than ``queries/`` (tests).

    Returns:
        Findings, most severe first, then derived before asserted, then by the Dutch name
        of the rule's family and the labels.

    Raises:
        KgError: For an unknown origin or severity, or a date that is not YYYY-MM-DD.
        QueryError: If a rule is malformed or the engine rejects it.
    """
    when = _check_options(as_of, origin, severity)
    queries = catalogue(queries_dir)
    rules = [q for q in queries if q.category == "contradictions"]
    order = {q.name: i for i, q in enumerate(rules)}
    family_severity = {q.rule: q.severity for q in rules if q.rule and q.severity}
    derived: list[_Raw] = []
    asserted: list[_Raw] = []
    for rule in rules:
        rows = run_query(engine, rule)
        if rule.rule == ASSERTED_FAMILY:
            for raw in _raw_findings(rule, rows):
                raw.claims.add(raw.values["claim"])
                raw.severity = _asserted_severity(raw, family_severity, rule)
                asserted.append(raw)
        else:
            derived.extend(_raw_findings(rule, rows))

    def support(name: str) -> Query:
        for query in queries:
            if query.category == "reports" and query.name == name:
                return query
        raise QueryError(f"the report {name!r} is missing from the catalogue; restore it")

    derived_groups = _merge(derived, order)
    claims = _Claims(run_query(engine, support("claims-concerning")))
    derived_pairs = {frozenset((g[0].a, g[0].b)) for g in derived_groups}
    open_asserted = [r for r in asserted if not claims.derived(r, derived_pairs)]
    groups = derived_groups + _merge(open_asserted, order)

    sides = {g[0].a for g in groups} | {g[0].b for g in groups}
    pivots = {g[0].pivot for g in groups if g[0].pivot}
    rule_claims = {c for g in groups for r in g for c in r.claims}
    corroborating = {
        id(g[0]): sorted(claims.corroborating(g[0].a, g[0].b, g[0].pivot)) for g in groups
    }
    quoted = sides | pivots | rule_claims | {c for cs in corroborating.values() for c in cs}
    documents = run_query(engine, support("documents"))
    titles = {
        _iri(row.get("document")) or "": _text(row.get("title")) or _text(row.get("file")) or ""
        for row in documents
    }
    quote_rows = _per_entity(engine, support("quotes"), quoted)
    quotes = _sources(quote_rows, titles)
    lives = lifecycles(_per_entity(engine, support("lifecycle"), sides | rule_claims))
    bounds = document_bounds(quote_rows, documents)
    concepts = run_query(engine, support("concepts"), {"scheme": FAMILY_SCHEME})
    family_labels = {_iri(r.get("concept")): _text(r.get("label")) for r in concepts}
    rule_labels = {
        q.name: family_labels.get(f"{FAMILY_SCHEME}/{q.rule}")
        or (q.rule or q.name).replace("-", " ")
        for q in rules
    }

    findings = []
    for group in groups:
        first = group[0]
        finding = _finding(first, group, corroborating[id(first)], quotes, lives, bounds)
        finding.rule_labels = tuple(rule_labels[name] for name in finding.rules)
        findings.append(finding)
    return _select(findings, when, origin, severity)


def _period_end(value: str) -> str | None:
    """The last day of a date of any precision (``2024-10`` → ``2024-10-31``)."""
    start = day(value)
    if start is None:
        return None
    year, month = int(start[:4]), int(start[5:7])
    if len(value.strip()) >= 10:
        return start
    if len(value.strip()) >= 7:
        following = date(year + month // 12, month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1).isoformat()
    return f"{year:04d}-12-31"


def document_bounds(
    quote_rows: Iterable[Mapping[str, Any]], documents: Iterable[Mapping[str, Any]]
) -> dict[str, str]:
    """Per entity, the date (as written) of the earliest-ending source document quoting it.

    What a document reports existed no later than the end of the document's date: of a
    side quoted in a letter of ``2024-10`` and a paper of ``2025``, ``2024-10`` is the
    tighter bound. The finer date wins a tie.
    """
    dated = {
        _iri(row.get("document")) or "": text
        for row in documents
        if (text := _text(row.get("date"))) and _period_end(text)
    }
    out: dict[str, str] = {}
    for row in quote_rows:
        entity, document = _iri(row.get("entity")), _iri(row.get("document"))
        text = dated.get(document or "")
        if entity is None or text is None:
            continue
        current = out.get(entity)
        if current is None or (_period_end(text), day(text)) < (
            _period_end(current),
            day(current),
        ):
            out[entity] = text
    return out


def _asserted_severity(raw: _Raw, family_severity: Mapping[str, str], rule: Query) -> str:
    """``ak:severity`` of the statement, else the severity of its conflict type's family."""
    if raw.severity_from_rows:
        return raw.severity
    kind = raw.values.get("type", "")
    family = kind.rsplit("/", 1)[-1] if kind else ""
    return family_severity.get(family) or rule.severity or "midden"


def _finding(
    first: _Raw,
    group: Sequence[_Raw],
    corroborated_by: list[str],
    quotes: Mapping[str, list[Source]],
    lives: Mapping[str, Lifecycle],
    bounds: Mapping[str, str],
) -> Finding:
    rules = tuple(dict.fromkeys(r.rule.name for r in group))
    rule = "+".join(rules)
    origin = "asserted" if first.rule.rule == ASSERTED_FAMILY else "derived"
    claims = tuple(sorted({c for r in group for c in r.claims}))
    removed = {x for r in group for x in r.removed}
    sources: list[Source] = []
    for entity in (first.a, first.b, first.pivot, *claims, *corroborated_by):
        for source in quotes.get(entity or "", ()):
            if source not in sources:
                sources.append(source)

    def label(iri: str, name: str) -> str:
        return first.labels.get(name) or _local(iri)

    # (first day, bound as written): the later lifecycle start of the two sides; when
    # neither has one, each side existed no later than the earliest document quoting it.
    starts: list[tuple[str, str | None]] = [
        (d, None) for s in (first.a, first.b) if s in lives and (d := lives[s].start)
    ]
    if not starts:
        starts = [
            (d, bounds[s]) for s in (first.a, first.b) if s in bounds and (d := day(bounds[s]))
        ]
    start = max(starts) if starts else None
    withdrawn = [
        d
        for s in (first.a, first.b)
        if s in lives and s not in removed and (d := lives[s].withdrawn)
    ]
    corrections = sorted(
        (lives[s].corrected, lives[s].corrected_by or "")
        for s in (first.a, first.b, *claims)
        if s in lives and s not in removed and lives[s].corrected
    )
    withdrawn_on = min(withdrawn) if withdrawn else None
    corrected_on, corrected_by = corrections[0] if corrections else (None, None)
    ends = [d for d in (withdrawn_on, corrected_on) if d]
    return Finding(
        id=_finding_id(rule, first.a, first.b, first.pivot),
        rule=rule,
        origin=origin,
        severity=min((r.severity for r in group), key=SEVERITIES.index),
        a=Party(first.a, label(first.a, "a")),
        b=Party(first.b, label(first.b, "b")),
        pivot=Party(first.pivot, label(first.pivot, "pivot")) if first.pivot else None,
        explanation=_explain(first),
        sources=sources,
        corroborated_by=corroborated_by,
        valid_from=start[0] if start else None,
        valid_until=min(ends) if ends else None,
        valid_from_bound=start[1] if start else None,
        rules=rules,
        claims=claims,
        withdrawn_on=withdrawn_on,
        corrected_on=corrected_on,
        corrected_by=corrected_by or None,
    )


def _select(
    findings: list[Finding],
    when: str | None,
    origin: str,
    severity: str | None,
) -> list[Finding]:
    """Filter by origin, minimum severity and date; sort by severity, origin, rule, labels."""
    out = []
    for finding in findings:
        if origin != "all" and finding.origin != origin:
            continue
        if severity and SEVERITIES.index(finding.severity) > SEVERITIES.index(severity):
            continue
        if when is not None:
            if finding.valid_from and when < finding.valid_from:
                continue
            if finding.withdrawn_on and when >= finding.withdrawn_on:
                continue
            if finding.corrected_on and when >= finding.corrected_on:
                finding = replace(finding, resolved=True)
        out.append(finding)
    out.sort(
        key=lambda f: (
            f.resolved,
            SEVERITIES.index(f.severity),
            f.origin != "derived",
            f.rule_label.lower(),
            f.a.label.lower(),
            f.b.label.lower(),
            f.pivot.label.lower() if f.pivot else "",
            f.id,
        )
    )
    return out


# --------------------------------------------------------------------------- output


def _interval(finding: Finding) -> str:
    """``2025-02-17 – …``; a start from a document date is a bound: ``≤ 2024-10 – …``."""
    if finding.valid_from_bound:
        start = f"≤ {finding.valid_from_bound}"
    else:
        start = finding.valid_from or "…"
    end = finding.valid_until or "…"
    text = f"{start} – {end}"
    if finding.resolved:
        text += " (opgelost)"
    return text


def format_findings(findings: Sequence[Finding], fmt: str) -> str:
    """Render findings as ``table``, ``md``, ``json`` (DESIGN.md shape) or ``csv``.

    >>> print(format_findings([], "json"))
    []

    Raises:
        KgError: For an unknown format.
    """
    if fmt == "json":
        return json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                "id",
                "rule",
                "origin",
                "severity",
                "a",
                "a_label",
                "b",
                "b_label",
                "pivot",
                "pivot_label",
                "explanation",
                "valid_from",
                "valid_until",
                "resolved",
                "corroborated_by",
                "sources",
            ]
        )
        for f in findings:
            writer.writerow(
                [
                    f.id,
                    f.rule,
                    f.origin,
                    f.severity,
                    f.a.iri,
                    f.a.label,
                    f.b.iri,
                    f.b.label,
                    f.pivot.iri if f.pivot else "",
                    f.pivot.label if f.pivot else "",
                    f.explanation,
                    f.valid_from or "",
                    f.valid_until or "",
                    "true" if f.resolved else "false",
                    " ".join(f.corroborated_by),
                    " | ".join(f"{s.document}: {s.quote}" for s in f.sources),
                ]
            )
        return out.getvalue().rstrip("\n")
    if fmt == "table":
        if not findings:
            return "geen tegenstrijdigheden gevonden"
        table = text_table(
            ["#", "ernst", "regel", "herkomst", "A", "B", "spil", "geldig"],
            (
                [
                    str(i),
                    f.severity,
                    f.rule_label,
                    _ORIGIN_NL[f.origin],
                    f.a.label,
                    f.b.label,
                    f.pivot.label if f.pivot else "",
                    _interval(f),
                ]
                for i, f in enumerate(findings, 1)
            ),
            width=40,
        )
        notes = [
            f"{i}. {f.explanation} ({_count(len(f.sources), 'citaat', 'citaten')}"
            + (
                f"; gestaafd door {_count(len(f.corroborated_by), 'bewering', 'beweringen')}"
                if f.corroborated_by
                else ""
            )
            + ")"
            for i, f in enumerate(findings, 1)
        ]
        return table + "\n\n" + "\n".join(notes)
    if fmt == "md":
        parts = []
        for i, f in enumerate(findings, 1):
            pivot = f" · **Spil:** {md_cell(f.pivot.label)}" if f.pivot else ""
            lines = [
                f"## {i}. {md_cell(f.a.label)} ↔ {md_cell(f.b.label)}",
                "",
                f"**Regel:** {md_cell(f.rule_label)} · **Herkomst:** {_ORIGIN_NL[f.origin]} · "
                f"**Ernst:** {f.severity}{pivot} · **Geldig:** {_interval(f)}",
                "",
                f.explanation,
            ]
            for source in f.sources:
                lines += ["", f"> {md_cell(source.quote)}", f"> — *{md_cell(source.document)}*"]
            if f.corroborated_by:
                lines += ["", "Gestaafd door: " + ", ".join(f"<{c}>" for c in f.corroborated_by)]
            parts.append("\n".join(lines))
        return "\n\n".join(parts) if parts else "Geen tegenstrijdigheden gevonden."
    raise KgError(f"unknown format {fmt!r}; use table, md, json or csv")


_ORIGIN_NL = {"derived": "afgeleid", "asserted": "beweerd"}


def _count(number: int, one: str, more: str) -> str:
    """``1 citaat``, ``3 citaten``."""
    return f"{number} {one if number == 1 else more}"


@click.command("contradictions")
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    default=None,
    help="Only what holds on this day (YYYY-MM-DD): measures announced or in force and not "
    "withdrawn; contradictions a correction resolved by then are shown as resolved.",
)
@click.option(
    "--origin",
    type=click.Choice(["derived", "asserted", "all"]),
    default="all",
    show_default=True,
    help="Derived by the rules, asserted in the sources, or both.",
)
@click.option(
    "--severity",
    type=click.Choice(list(SEVERITIES)),
    default=None,
    help="Only findings of this severity or higher.",
)
@format_option(["table", "md", "json", "csv"], "Output format; json is the shape of DESIGN.md.")
@data_option
@endpoint_option
@include_drafts_option
@shared_options
def contradictions_command(
    as_of: str | None,
    origin: str,
    severity: str | None,
    fmt: str,
    data: Path | None,
    endpoint: str | None,
    include_drafts: bool,
) -> None:
    """List contradictions between measures, with explanation, quotes and dates.

    Exit code 0 whether or not there are findings (they are the product, not an error).

    \b
    Examples:
      kg contradictions
      kg contradictions --as-of 2025-03-01 --format md
      kg contradictions --origin derived --severity hoog --format json
    """
    from kg.drafts import without_drafts
    from kg.runtime import keep_until_exit, paused_gc
    from kg.store import open_engine

    # The rules and their support queries read most of the graph: an in-memory store
    # loaded from the files answers them in less time than the cached on-disk build
    # takes (1.46M quads: 20 s end to end against 36 s warm on disk, 75 s cold;
    # benchmarks/README.md).
    with paused_gc():
        engine = open_engine(data_dir=data, endpoint=endpoint, cache=False)
        if not include_drafts:
            engine = without_drafts(engine)
        findings = find_contradictions(engine, as_of=as_of, origin=origin, severity=severity)
        click.echo(format_findings(findings, fmt))
        keep_until_exit(engine, findings)
