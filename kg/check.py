"""``kg check``: is the graph usable and true to its sources?

In order, each step on everything (so one run lists all problems):

1. parse the ontology, shapes and data (a syntax error stops here: exit 2);
2. graph layout: ``data/graphs/NAME.trig`` holds the graph ``graaf:NAME`` and has a text
   ``data/sources/NAME.txt``; a graph that looks promoted but is still marked as a draft
   is a warning;
3. anchor every quote (``oa:exact`` with ``oa:prefix``/``oa:suffix``) in its document's text;
4. SHACL per named graph (``ontology/shapes/``): source graphs against ``common``,
   ``required`` and ``recommended`` (warnings), ``graaf:bronnen`` against ``common`` and
   ``sources``, ``graaf:referentie`` against ``common`` and ``reference``;
5. the SPARQL checks ``queries/checks/*_violation.rq`` (a row is a violation);
6. consistency of ontology plus data (:mod:`kg.reason`).

Entities under review (``ak:reviewStatus beoordeling:concept``, or in a graph that is
itself marked so) are listed as drafts; problems with them are reported with the draft and
do not fail the check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.dataset import display_path
from kg.errors import InputError, QueryError
from kg.namespaces import (
    AK,
    BEGRIP,
    BRONNEN_GRAPH,
    GRAAF,
    OA,
    ONTOLOGY_GRAPH,
    PREFIXES,
    REFERENTIE_GRAPH,
    prefixed,
)
from kg.options import data_option, format_option, shared_options
from kg.paths import DATA_DIR, QUERIES_DIR, SHAPES_DIR

if TYPE_CHECKING:
    import rdflib

    from kg.dataset import Loaded

__all__ = ["CheckReport", "Finding", "check_command", "format_report", "run_checks"]

DRAFT = BEGRIP["beoordeling/concept"]
SHAPES_NS = "https://w3id.org/asielketen/def/shapes#"

VIOLATION = "violation"
WARNING = "warning"

SOURCE_SHAPES = ("common.ttl", "required.ttl", "recommended.ttl")
BRONNEN_SHAPES = ("common.ttl", "sources.ttl")
REFERENCE_SHAPES = ("common.ttl", "reference.ttl")

STEPS = ("layout", "quotes", "shacl", "queries", "reasoner")


@dataclass
class Finding:
    """One problem found by ``kg check``.

    Attributes:
        step: ``layout``, ``quotes``, ``shacl``, ``queries`` or ``reasoner``.
        severity: ``violation`` or ``warning``.
        message: What is wrong and what to do.
        file: The data file it is in, relative to the project where possible.
        line: The line in ``file`` where the entity is described, if found.
        focus: The entity (IRI, compacted) it is about.
        rule: The shape, query or axiom that found it.
        draft: True when the entity is under review (reported with the drafts).
    """

    step: str
    severity: str
    message: str
    file: str | None = None
    line: int | None = None
    focus: str | None = None
    rule: str | None = None
    draft: bool = False

    def location(self) -> str:
        """``file:line`` as far as known."""
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or ""


@dataclass
class Draft:
    """An entity under review."""

    focus: str
    label: str | None
    file: str | None
    line: int | None


@dataclass
class CheckReport:
    """Everything ``kg check`` found.

    Attributes:
        data_dir: The data folder checked.
        findings: The problems, in step order.
        drafts: Entities under review.
        notices: Things to know that are not problems (reasoner fallback, skipped steps).
        counts: What was checked (files, graphs, quotes, shapes, queries).
        reasoner: Which reasoner ran, if any.
        strict: Whether warnings fail the check.
    """

    data_dir: str
    findings: list[Finding] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    reasoner: str | None = None
    strict: bool = False

    def failing(self) -> list[Finding]:
        """Findings that fail the check (violations; warnings too when strict)."""
        return [
            f
            for f in self.findings
            if not f.draft and (f.severity == VIOLATION or (self.strict and f.severity == WARNING))
        ]

    @property
    def exit_code(self) -> int:
        """0 when nothing fails, 1 otherwise."""
        return 1 if self.failing() else 0

    def to_json(self) -> str:
        """The report as JSON (for tools)."""
        data: dict[str, Any] = asdict(self)
        data["exit_code"] = self.exit_code
        return json.dumps(data, indent=2, ensure_ascii=False)


def compact(iri: str) -> str:
    """Shorten an IRI with the project prefixes, for messages.

    >>> compact("https://w3id.org/asielketen/id/maatregel/verbod-op-voorrang")
    'maatregel:verbod-op-voorrang'
    >>> compact("http://example.org/x")
    '<http://example.org/x>'
    """
    table = {**PREFIXES, "aksh": SHAPES_NS}
    short = prefixed(iri, table, lambda local: re.fullmatch(r"[\w.-]*", local) is not None)
    return short or f"<{iri}>"


class _Locator:
    """Finds the line where an entity or a quote is written in a Turtle/TriG file."""

    _PREFIX = re.compile(r"@prefix\s+([\w-]*):\s*<([^>]*)>", re.IGNORECASE)

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            self.lines = []
        self.prefixes = {
            m.group(2): m.group(1)
            for line in self.lines
            for m in [self._PREFIX.search(line)]
            if m
        }

    def _forms(self, iri: str) -> list[str]:
        forms = [f"<{iri}>"]
        for namespace, prefix in self.prefixes.items():
            if iri.startswith(namespace) and namespace:
                forms.append(f"{prefix}:{iri[len(namespace):]}")
        return forms

    def entity(self, iri: str) -> int | None:
        """Line where ``iri`` starts a description, else where it first occurs."""
        forms = self._forms(iri)
        first: int | None = None
        for number, line in enumerate(self.lines, 1):
            stripped = line.lstrip()
            for form in forms:
                after = stripped[len(form):len(form) + 1]
                if stripped.startswith(form) and after in (" ", "\t", ""):
                    return number
                if first is None and re.search(re.escape(form) + r"(?![\w.-]*\w)", line):
                    first = number
        return first

    def text(self, fragment: str) -> int | None:
        """Line where a literal starting with ``fragment`` occurs."""
        probe = fragment.strip().split("\n")[0][:40]
        if not probe:
            return None
        for number, line in enumerate(self.lines, 1):
            if probe in line:
                return number
        return None


def _graph_file(graph: str, origins: dict[str, list[Path]]) -> Path | None:
    files = origins.get(graph)
    return files[0] if files else None


class _Context:
    """What the steps share: the dataset, where graphs come from, drafts, locators."""

    def __init__(self, data_dir: Path, loaded: Loaded) -> None:
        import rdflib

        self.data_dir = data_dir
        self.dataset: rdflib.Dataset = loaded.dataset
        self.origins: dict[str, list[Path]] = loaded.origins
        self._locators: dict[Path, _Locator] = {}
        self.draft_graphs = {
            str(g.identifier)
            for g in self.dataset.graphs()
            if (g.identifier, AK.reviewStatus, DRAFT) in g
        }
        self.drafts = {
            str(s)
            for s in self.dataset.subjects(AK.reviewStatus, DRAFT)
            if isinstance(s, rdflib.URIRef)
        }
        self.quote_owner = {
            str(q): str(e) for e, q in self.dataset.subject_objects(AK.hasQuote)
        }

    def locator(self, path: Path) -> _Locator:
        if path not in self._locators:
            self._locators[path] = _Locator(path)
        return self._locators[path]

    def is_draft(self, focus: str | None, graph: str | None) -> bool:
        if graph is not None and graph in self.draft_graphs:
            return True
        if focus is None:
            return False
        owner = self.quote_owner.get(focus, focus)
        return focus in self.drafts or owner in self.drafts

    def place(self, graph: str | None, focus: str | None) -> tuple[str | None, int | None]:
        """File and line of ``focus`` in ``graph`` (or in any graph when None)."""
        graphs = [graph] if graph else list(self.origins)
        for name in graphs:
            path = _graph_file(name, self.origins)
            if path is None:
                continue
            if focus is None:
                return display_path(path), None
            line = self.locator(path).entity(focus)
            if line is not None:
                return display_path(path), line
        if graph and (path := _graph_file(graph, self.origins)) is not None:
            return display_path(path), None
        return None, None

    def finding(
        self,
        step: str,
        severity: str,
        message: str,
        *,
        graph: str | None = None,
        focus: str | None = None,
        rule: str | None = None,
        quote: str | None = None,
    ) -> Finding:
        """A finding placed at the entity (or at the quote text for a blank-node quote)."""
        import rdflib

        owner = self.quote_owner.get(focus, focus) if focus else None
        shown = owner if owner and not owner.startswith("_:") else focus
        is_iri = shown is not None and "://" in shown
        file, line = self.place(graph, shown if is_iri else None)
        if quote is None and focus is not None and not is_iri:
            exact = self.dataset.value(rdflib.BNode(focus), OA.exact)
            quote = str(exact) if exact is not None else None
        if quote is not None and file is not None and graph is not None:
            path = _graph_file(graph, self.origins)
            if path is not None:
                line = self.locator(path).text(quote) or line
        return Finding(
            step=step,
            severity=severity,
            message=message,
            file=file,
            line=line,
            focus=compact(shown) if is_iri and shown else None,
            rule=rule,
            draft=self.is_draft(focus, graph),
        )


def _source_graphs(ctx: _Context) -> list[str]:
    prefix = str(GRAAF)
    special = {str(BRONNEN_GRAPH), str(REFERENTIE_GRAPH)}
    return sorted(
        g for g in ctx.origins if g.startswith(prefix) and g not in special
    )


def _check_layout(ctx: _Context) -> list[Finding]:
    findings = []
    texts = {p.stem for p in (ctx.data_dir / "sources").glob("*.txt")}
    for graph, files in sorted(ctx.origins.items()):
        for path in files:
            if path.parent.name != "graphs":
                continue
            expected = str(GRAAF[path.stem])
            if graph != expected:
                findings.append(
                    Finding(
                        "layout",
                        VIOLATION,
                        f"declares the graph {compact(graph)}; a file data/graphs/NAME.trig "
                        f"holds only graaf:{path.stem}",
                        file=display_path(path),
                        line=ctx.locator(path).entity(graph),
                    )
                )
            elif path.stem not in texts:
                findings.append(
                    Finding(
                        "layout",
                        VIOLATION,
                        f"graph graaf:{path.stem} has no source text; add "
                        f"sources/{path.stem}.txt to the data folder",
                        file=display_path(path),
                    )
                )
    return findings


def _check_promoted(ctx: _Context) -> list[Finding]:
    """A draft graph in graphs/ that looks promoted: kg ingest's comment block or the
    graph's ``ak:note`` is gone (promoting deletes both), yet its node still carries
    ``ak:reviewStatus beoordeling:concept``, so every view leaves the whole graph out.

    A warning, not a violation: nothing in the graph is wrong, and a curator may keep a
    draft under review on purpose; but without it the graph would vanish from every
    query with nothing said.
    """
    import rdflib

    from kg.drafts import INGEST_HEADER, INGEST_NOTE

    findings = []
    for graph in sorted(ctx.draft_graphs):
        path = _graph_file(graph, ctx.origins)
        if path is None or path.parent.name != "graphs":
            continue
        locator = ctx.locator(path)
        header = any(
            line.lstrip().startswith("#") and INGEST_HEADER in line for line in locator.lines
        )
        node = rdflib.URIRef(graph)
        note = (node, AK.note, rdflib.Literal(INGEST_NOTE)) in ctx.dataset.graph(node)
        if header and note:
            continue
        gone = " and ".join(
            what for what, there in (("comment block", header), ("ak:note", note)) if not there
        )
        findings.append(Finding(
            "layout",
            WARNING,
            f"the graph is still marked ak:reviewStatus beoordeling:concept though kg "
            f"ingest's draft {gone} is gone, so every query and export leaves it out; to "
            "promote it delete its ak:reviewStatus lines (data/README.md, 'Reviewing an "
            "ingested document', step 5), or to keep it a draft keep kg ingest's comment "
            "block and ak:note",
            file=display_path(path),
            line=locator.entity(graph),
            focus=compact(graph),
        ))
    return findings


def _document_texts(ctx: _Context) -> dict[str, Path]:
    """Source document IRI to its text file (``ak:file`` in graaf:bronnen, else bron:NAME)."""
    import rdflib

    folder = ctx.data_dir / "sources"
    texts: dict[str, Path] = {}
    bronnen = ctx.dataset.graph(rdflib.URIRef(str(BRONNEN_GRAPH)))
    for doc, name in bronnen.subject_objects(AK.file):
        texts[str(doc)] = folder / str(name)
    for path in folder.glob("*.txt"):
        texts.setdefault(f"{PREFIXES['bron']}{path.stem}", path)
    return texts


def _check_quotes(ctx: _Context, counts: dict[str, int]) -> list[Finding]:
    from kg.anchor import find_quote

    findings: list[Finding] = []
    texts = _document_texts(ctx)
    cache: dict[Path, str | None] = {}
    anchored = 0
    total = 0
    for g in sorted(ctx.dataset.graphs(), key=lambda g: str(g.identifier)):
        graph = str(g.identifier)
        if graph == str(ONTOLOGY_GRAPH):
            continue
        for entity, quote in sorted(g.subject_objects(AK.hasQuote)):
            exact = g.value(quote, OA.exact)
            document = g.value(quote, AK.inDocument)
            if exact is None or document is None:
                continue  # SHACL reports the missing parts
            total += 1
            prefix = g.value(quote, OA.prefix)
            suffix = g.value(quote, OA.suffix)
            focus = str(entity)
            shown = f'"{_shorten(str(exact))}"'
            path = texts.get(str(document))
            if path is None or not path.is_file():
                findings.append(ctx.finding(
                    "quotes", VIOLATION,
                    f"quote {shown} cites {compact(str(document))}, which has no text in "
                    "data/sources/; add the text or correct ak:inDocument",
                    graph=graph, focus=focus, quote=str(exact)))
                continue
            if path not in cache:
                try:
                    cache[path] = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    cache[path] = None
            text = cache[path]
            if text is None:
                raise InputError("cannot read the source text as UTF-8", file=display_path(path))
            span = find_quote(
                text, str(exact), str(prefix) if prefix else None, str(suffix) if suffix else None
            )
            if span is None:
                findings.append(ctx.finding(
                    "quotes", VIOLATION,
                    f"quote {shown} not found in {display_path(path)}"
                    + (" with its oa:prefix/oa:suffix" if prefix or suffix else "")
                    + "; copy the passage verbatim",
                    graph=graph, focus=focus, quote=str(exact)))
                continue
            anchored += 1
            if span.ambiguous:
                findings.append(ctx.finding(
                    "quotes", WARNING,
                    f"quote {shown} occurs {span.matches} times in {display_path(path)}; "
                    "add oa:prefix or oa:suffix to pick one",
                    graph=graph, focus=focus, quote=str(exact)))
    counts["quotes"] = total
    counts["quotes anchored"] = anchored
    return findings


def _shorten(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _shapes(names: Iterable[str]) -> rdflib.Graph:
    import rdflib

    from kg.dataset import parse_file
    from kg.terms import to_rdflib

    graph = rdflib.Graph()
    for name in names:
        path = SHAPES_DIR / name
        for quad in parse_file(path):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def _shape_name(shapes: rdflib.Graph, shape: rdflib.term.Node) -> str:
    """Name a result's source shape: the node shape, with the path of a property shape."""
    import rdflib
    from rdflib.namespace import SH

    if isinstance(shape, rdflib.URIRef):
        return compact(str(shape))
    parent = shapes.value(None, SH.property, shape)
    path = shapes.value(shape, SH.path)
    name = compact(str(parent)) if isinstance(parent, rdflib.URIRef) else "shape"
    if isinstance(path, rdflib.URIRef):
        return f"{name} ({compact(str(path))})"
    return name


def _check_shacl(ctx: _Context, counts: dict[str, int]) -> list[Finding]:
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    # Targets need only the class hierarchy; mixing the whole ontology into every data
    # graph (what pyshacl does with ont_graph) costs more than the validation itself.
    ontology = rdflib.Graph()
    for sub, sup in ctx.dataset.graph(rdflib.URIRef(str(ONTOLOGY_GRAPH))).subject_objects(
        rdflib.RDFS.subClassOf
    ):
        if isinstance(sub, rdflib.URIRef) and isinstance(sup, rdflib.URIRef):
            ontology.add((sub, rdflib.RDFS.subClassOf, sup))
    plan: list[tuple[str, tuple[str, ...]]] = [(g, SOURCE_SHAPES) for g in _source_graphs(ctx)]
    if str(BRONNEN_GRAPH) in ctx.origins:
        plan.append((str(BRONNEN_GRAPH), BRONNEN_SHAPES))
    if str(REFERENTIE_GRAPH) in ctx.origins:
        plan.append((str(REFERENTIE_GRAPH), REFERENCE_SHAPES))
    shape_graphs = {names: _shapes(names) for names in {names for _, names in plan}}
    findings: list[Finding] = []
    for graph, names in plan:
        shapes = shape_graphs[names]
        data = rdflib.Graph()
        for triple in ctx.dataset.graph(rdflib.URIRef(graph)):
            data.add(triple)
        _conforms, results, _text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="none",
            abort_on_first=False,
            allow_warnings=True,
            meta_shacl=False,
            advanced=False,
        )
        for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
            focus = results.value(result, SH.focusNode)
            severity = results.value(result, SH.resultSeverity)
            message = results.value(result, SH.resultMessage)
            value = results.value(result, SH.value)
            rule = _shape_name(shapes, results.value(result, SH.sourceShape))
            text = str(message) if message is not None else "does not conform"
            if value is not None and isinstance(value, rdflib.Literal):
                text += f" (found {value.n3()})"
            findings.append(ctx.finding(
                "shacl",
                VIOLATION if severity == SH.Violation else WARNING,
                text,
                graph=graph,
                focus=str(focus) if focus is not None else None,
                rule=rule,
            ))
        counts["graphs validated"] = counts.get("graphs validated", 0) + 1
    findings.sort(key=lambda f: (f.file or "", f.line or 0, f.rule or ""))
    return findings


def _check_queries(ctx: _Context, counts: dict[str, int]) -> list[Finding]:
    from kg.store import build_in_memory

    queries = sorted((QUERIES_DIR / "checks").glob("*_violation.rq"))
    counts["check queries"] = len(queries)
    if not queries:
        return []
    engine = build_in_memory(ctx.data_dir)
    findings: list[Finding] = []
    for path in queries:
        try:
            rows = engine.select(path.read_text(encoding="utf-8"))
        except QueryError as err:
            raise QueryError(err.message, file=display_path(path), line=err.line,
                             column=err.column) from None
        for row in rows:
            this = row.get("this")
            graph = row.get("graph")
            message = row.get("message")
            findings.append(ctx.finding(
                "queries",
                VIOLATION,
                str(message.value) if message is not None else f"matches {path.stem}",
                graph=str(graph.value) if graph is not None else None,
                focus=str(this.value) if this is not None else None,
                rule=path.name,
            ))
    return findings


def _reasons(reasons: Iterable[tuple[str, str, str]]) -> str:
    """Say why an individual is in each class, e.g. ``ak:Actor as object of ak:author``."""
    words = {"type": "typed", "domain": "as subject of", "range": "as object of"}
    parts: dict[str, list[str]] = {}
    for cls, how, term in reasons:
        parts.setdefault(compact(cls), []).append(f"{words.get(how, how)} {compact(term)}")
    if not parts:
        return ""
    return " (" + "; ".join(f"{c}: {', '.join(sorted(set(v)))}" for c, v in parts.items()) + ")"


def _check_reasoner(
    ctx: _Context, use_hermit: bool | None, report: CheckReport
) -> list[Finding]:
    import rdflib

    from kg.reason import check_consistency

    merged = rdflib.Graph()
    for triple in ctx.dataset.triples((None, None, None)):
        merged.add(triple)
    result = check_consistency(merged, use_hermit=use_hermit)
    report.reasoner = result.reasoner
    report.notices.extend(result.notices)
    findings = []
    for clash in result.clashes:
        classes = " and ".join(compact(c) for c in clash.classes)
        message = (
            f"is in the disjoint classes {classes}{_reasons(clash.reasons)}; "
            "one of these is wrong"
            if clash.classes
            else clash.message
        )
        graph = None
        if clash.individual and clash.classes:
            for g in ctx.dataset.graphs():
                if any(
                    (rdflib.URIRef(clash.individual), rdflib.RDF.type, rdflib.URIRef(c)) in g
                    for c in clash.classes
                ):
                    graph = str(g.identifier)
                    break
        findings.append(ctx.finding(
            "reasoner", VIOLATION, message, graph=graph, focus=clash.individual,
            rule=f"{result.reasoner}: disjointness" if clash.classes else result.reasoner,
        ))
    for cls in result.unsatisfiable:
        findings.append(Finding(
            "reasoner", VIOLATION,
            f"class {compact(cls)} is unsatisfiable (can have no members); fix its axioms",
            file="ontology/asielketen.ttl", rule=result.reasoner))
    return findings


def _drafts(ctx: _Context) -> list[Draft]:
    import rdflib

    drafts = []
    # A draft graph's node carries the review status too: list it once, as the graph.
    for iri in sorted(ctx.drafts - ctx.draft_graphs):
        label = ctx.dataset.value(rdflib.URIRef(iri), rdflib.RDFS.label)
        file, line = ctx.place(None, iri)
        drafts.append(Draft(compact(iri), str(label) if label else None, file, line))
    for graph in sorted(ctx.draft_graphs):
        file, line = ctx.place(graph, graph)
        drafts.append(Draft(compact(graph), "whole graph under review", file, line))
    return drafts


def run_checks(
    data_dir: Path | None = None,
    *,
    reasoner: bool = True,
    use_hermit: bool | None = None,
    strict: bool = False,
    skip: Iterable[str] = (),
) -> CheckReport:
    """Run every check on the ontology and a data folder.

    Args:
        data_dir: A folder laid out like ``data/``; default ``data/``.
        reasoner: Run the consistency check (the slowest step).
        use_hermit: True for HermiT, False for owlrl, None for HermiT when Java is there.
        strict: Warnings fail the check too.
        skip: Steps to leave out (see ``STEPS``).

    Returns:
        The report; ``report.exit_code`` is 0 or 1.

    Raises:
        InputError: If a data, ontology or shapes file cannot be parsed (exit 2).
        QueryError: If a check query is malformed.
    """
    from kg.dataset import load

    folder = data_dir if data_dir is not None else DATA_DIR
    skipped = set(skip)
    if not reasoner:
        skipped.add("reasoner")
    loaded = load(folder)
    for names in (SOURCE_SHAPES, BRONNEN_SHAPES, REFERENCE_SHAPES):
        _shapes(names)  # a syntax error in a shapes file is bad input too
    ctx = _Context(folder, loaded)
    report = CheckReport(data_dir=display_path(folder), strict=strict)
    report.counts["files"] = sum(len(files) for files in ctx.origins.values())
    report.counts["source graphs"] = len(_source_graphs(ctx))
    if "layout" not in skipped:
        report.findings += _check_layout(ctx) + _check_promoted(ctx)
    if "quotes" not in skipped:
        report.findings += _check_quotes(ctx, report.counts)
    if "shacl" not in skipped:
        report.findings += _check_shacl(ctx, report.counts)
    if "queries" not in skipped:
        report.findings += _check_queries(ctx, report.counts)
    if "reasoner" not in skipped:
        report.findings += _check_reasoner(ctx, use_hermit, report)
    else:
        report.notices.append("consistency check skipped")
    report.drafts = _drafts(ctx)
    return report


_TITLES = {
    "layout": "Layout",
    "quotes": "Quotes",
    "shacl": "SHACL",
    "queries": "Checks",
    "reasoner": "Reasoner",
}


def _summary(findings: list[Finding]) -> str:
    violations = sum(f.severity == VIOLATION for f in findings)
    warnings = sum(f.severity == WARNING for f in findings)
    parts = []
    if violations:
        parts.append(f"{violations} violation{'s' if violations != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts) or "ok"


def _line(f: Finding) -> str:
    where = f.location()
    parts = [p for p in (where, f.focus) if p]
    head = ": ".join(parts)
    rule = f" [{f.rule}]" if f.rule else ""
    tag = "warning: " if f.severity == WARNING else ""
    return f"  {head + ': ' if head else ''}{tag}{f.message}{rule}"


def format_report(report: CheckReport) -> str:
    """Render a report as readable text, grouped by step."""
    counts = report.counts
    out = [
        f"kg check {report.data_dir}: {counts.get('files', 0)} files, "
        f"{counts.get('source graphs', 0)} source graphs, {counts.get('quotes', 0)} quotes"
    ]
    for step in STEPS:
        findings = [f for f in report.findings if f.step == step and not f.draft]
        title = _TITLES[step]
        if step == "reasoner" and report.reasoner:
            title += f" ({report.reasoner})"
        if step == "reasoner" and report.reasoner is None:
            continue
        out.append(f"{title}: {_summary(findings)}")
        out += [_line(f) for f in findings]
    for notice in report.notices:
        out.append(f"notice: {notice}")
    if report.drafts:
        out.append(f"Drafts under review: {len(report.drafts)}")
        for draft in report.drafts:
            where = f"{draft.file}:{draft.line}" if draft.file and draft.line else draft.file or ""
            label = f' "{draft.label}"' if draft.label else ""
            problems = [
                f for f in report.findings if f.draft and f.focus == draft.focus
            ]
            note = f" ({len(problems)} open problems)" if problems else ""
            out.append(f"  {where + ': ' if where else ''}{draft.focus}{label}{note}")
    failing = report.failing()
    if failing:
        out.append(f"Result: {_summary(failing)}; fix them and run `kg check` again")
    else:
        warnings = sum(f.severity == WARNING and not f.draft for f in report.findings)
        out.append("Result: ok" + (f" ({warnings} warnings)" if warnings else ""))
    return "\n".join(out)


@click.command("check")
@data_option
@click.option(
    "--reasoner",
    type=click.Choice(["auto", "hermit", "owlrl", "none"]),
    default="auto",
    show_default=True,
    help="Consistency check: HermiT when Java is installed (auto), always HermiT, the "
    "OWL 2 RL fallback, or none.",
)
@click.option(
    "--strict/--no-strict",
    default=False,
    show_default=True,
    help="Fail on warnings (recommended shapes, ambiguous quotes) too.",
)
@format_option(["text", "json"], "Report as readable text or as JSON.")
@shared_options
def check_command(data: Path | None, reasoner: str, strict: bool, fmt: str) -> None:
    """Check the ontology and data: syntax, quotes, SHACL, SPARQL checks, consistency.

    Exit 0 when clean, 1 when something must be fixed, 2 when a file cannot be read.
    """
    report = run_checks(
        data,
        reasoner=reasoner != "none",
        use_hermit={"auto": None, "hermit": True, "owlrl": False, "none": None}[reasoner],
        strict=strict,
    )
    click.echo(report.to_json() if fmt == "json" else format_report(report))
    click.get_current_context().exit(report.exit_code)
