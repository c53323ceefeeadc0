"""A static linked-data site: one page per resource, class indexes, ontology documentation.

:func:`build_site` writes a folder that works offline (relative links only, no scripts,
no external style sheets or fonts) and can be served as it is under the dataset's base:

* ``index.html``: the dataset, its classes and named graphs, the downloads;
* ``id/{type}/{slug}.html`` for every resource under ``{base}id/``, with ``.ttl`` and
  ``.jsonld`` alternates (``<link rel="alternate">``): labels, types, the statements per
  named graph, the sources with their quotes, and the incoming links; pages of laws and
  bills embed a schema.org ``Legislation`` description as JSON-LD;
* ``klasse/{prefix}-{Name}.html``: an index per class;
* ``def/index.html``: documentation of the ontology generated from ``ontology/``, with
  ``def/index.ttl`` and ``def/index.jsonld``;
* ``export/``: the five exports, ``context.jsonld`` and the DCAT description
  ``catalog.ttl`` (see :mod:`kg.publish`).

Every piece of data is escaped with :func:`html.escape`; JSON inside ``<script>`` has
``<``, ``>`` and ``&`` escaped as ``\\u003c`` and so on, so no label can end the element;
only ``http(s)`` IRIs become links. Each page carries a Content-Security-Policy that
allows nothing but its own inline style sheet (by hash).

>>> page_path("https://w3id.org/asielketen/id/wet/huisvestingswet-2014", BASE)
'id/wet/huisvestingswet-2014'
>>> page_path("https://w3id.org/asielketen/id/wet/../../etc", BASE).startswith("id/wet/x-")
True
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import os
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import InputError, KgError
from kg.namespaces import BASE, ONTOLOGY_GRAPH

__all__ = ["SiteResult", "build_site", "page_path", "script_json"]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
OA = "http://www.w3.org/ns/oa#"
AK = "https://w3id.org/asielketen/def#"
RDF_TYPE = RDF + "type"
LABEL_PROPERTIES = (RDFS + "label", SKOS + "prefLabel", DCTERMS + "title")
LANGUAGE_ORDER = ("nl", "en", "")

SCHEMA_LEGISLATION_TYPES: dict[str, tuple[str, str, str | None]] = {
    AK + "Law": ("wet", "NL", "InForce"),
    AK + "Bill": ("wetsvoorstel", "NL", "NotInForce"),
    AK + "Novelle": ("novelle", "NL", "NotInForce"),
    AK + "Amendment": ("amendement", "NL", None),
    AK + "Regulation": ("regeling", "NL", None),
    AK + "EULegislation": ("EU-regelgeving", "EU", None),
}
"""Classes whose pages embed schema.org Legislation: legislationType, jurisdiction, force."""

MARKER = ".kg-site"
"""File that marks a folder as a site written by kg (so a rebuild may replace it)."""

MAX_INCOMING = 500
"""Incoming links listed per property on a page; the rest are counted."""

STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:62rem;padding:0 1rem 3rem;
color:#1b1b1b;background:#fff}
header{border-bottom:2px solid #154273;margin-bottom:1rem;padding:.6rem 0}
header a{color:#154273;font-weight:600;text-decoration:none;margin-right:1rem}
h1{font-size:1.6rem;margin:.8rem 0 .2rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:1px solid #ccc}h3{font-size:1rem;margin-bottom:.3rem}
code,.iri{font:13px/1.4 ui-monospace,monospace;word-break:break-all;color:#555}
table{border-collapse:collapse;width:100%}td,th{text-align:left;vertical-align:top;
padding:.3rem .5rem;border-bottom:1px solid #eee}th{width:28%;font-weight:500}
blockquote{margin:.4rem 0;padding:.3rem .8rem;border-left:4px solid #154273;background:#f4f7fb}
.ctx{color:#777}.tag{font-size:12px;color:#555;background:#eef;border-radius:3px;
padding:0 .3rem;margin-left:.3rem}.nested{margin:.2rem 0 .2rem .5rem}
.alt a{margin-right:1rem}ul.cols{columns:2}footer{margin-top:3rem;font-size:13px;color:#555}
""".strip()

_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,120}$")


def page_path(iri: str, base: str) -> str:
    """Return the site path (no extension) of a resource under ``base``.

    Path segments that are not plain slugs (``..``, ``%``, ``?``, very long) are replaced
    by ``x-`` and a hash, so no IRI can write outside the site or collide with another.

    Args:
        iri: A resource IRI starting with ``base``.
        base: The base IRI, ending in ``/``.
    """
    rest = iri[len(base) :]
    segments = rest.split("/")
    safe = []
    for segment in segments:
        if _SAFE_SEGMENT.match(segment) and not segment.endswith((".html", ".ttl", ".jsonld")):
            safe.append(segment)
        else:
            digest = hashlib.sha256(segment.encode("utf-8")).hexdigest()[:16]
            safe.append(f"x-{digest}")
    return "/".join(safe)


def script_json(data: Any) -> str:
    """Serialise JSON for a ``<script>`` element: no ``<``, ``>`` or ``&`` left.

    >>> script_json({"name": "</script><b>"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, indent=None)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _style_hash() -> str:
    digest = hashlib.sha256(STYLE.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


CSP = (
    f"default-src 'none'; style-src '{_style_hash()}'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)
"""Content-Security-Policy of every page: nothing runs, only the inline style applies."""


@dataclass
class SiteResult:
    """What :func:`build_site` wrote.

    Attributes:
        folder: The site folder.
        pages: Resource pages written.
        classes: Class index pages written.
        graphs: Named graphs in the data.
        statements: Statements in the data.
        report: SHACL report of the DCAT description (see :mod:`kg.dcat`), if written.
    """

    folder: Path
    pages: int
    classes: int
    graphs: int
    statements: int
    report: Any = None
    files: list[str] = field(default_factory=list)


class _Index:
    """Statements by subject and by object, labels, and page paths."""

    def __init__(self, quads: Sequence[ox.Quad], base: str, prefixes: dict[str, str]) -> None:
        self.quads = quads
        self.base = base
        self.id_prefix = f"{base}id/"
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.by_subject: dict[Any, list[ox.Quad]] = defaultdict(list)
        self.by_object: dict[Any, list[ox.Quad]] = defaultdict(list)
        for q in quads:
            self.by_subject[q.subject].append(q)
            if not isinstance(q.object, ox.Literal):
                self.by_object[q.object].append(q)
        self.resources: dict[str, str] = {}
        used: set[str] = set()
        candidates = set()
        for q in quads:
            for term in (q.subject, q.object, q.graph_name):
                if isinstance(term, ox.NamedNode) and term.value.startswith(self.id_prefix):
                    candidates.add(term.value)
        for iri in sorted(candidates):
            path = page_path(iri, base)
            if path in used:
                digest = hashlib.sha256(iri.encode("utf-8")).hexdigest()[:16]
                path = f"{path}-x-{digest}"
            used.add(path)
            self.resources[iri] = path
        self._labels: dict[Any, str] = {}

    def compact(self, iri: str) -> str:
        for name, namespace in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{name}:{iri[len(namespace) :]}"
        return iri

    def label(self, term: Any) -> str:
        """The best label: Dutch, then English, then any; else a compact IRI."""
        cached = self._labels.get(term)
        if cached is not None:
            return cached
        best: tuple[int, int, str] | None = None
        for q in self.by_subject.get(term, ()):
            if q.predicate.value in LABEL_PROPERTIES and isinstance(q.object, ox.Literal):
                language = q.object.language or ""
                rank = LANGUAGE_ORDER.index(language) if language in LANGUAGE_ORDER else 3
                candidate = (LABEL_PROPERTIES.index(q.predicate.value), rank, q.object.value)
                if best is None or candidate < best:
                    best = candidate
        if best is not None:
            text = best[2]
        elif isinstance(term, ox.NamedNode):
            text = self.compact(term.value)
        else:
            text = str(term)
        self._labels[term] = text
        return text

    def values(self, subject: Any, predicate: str) -> list[Any]:
        return [
            q.object for q in self.by_subject.get(subject, ()) if q.predicate.value == predicate
        ]

    def types(self, subject: Any) -> list[str]:
        return sorted(
            {
                q.object.value
                for q in self.by_subject.get(subject, ())
                if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode)
            }
        )

    def owner(self, node: Any, depth: int = 0) -> Any:
        """The IRI a blank node hangs from (the entity whose quote it is), if any."""
        if not isinstance(node, ox.BlankNode):
            return node
        if depth > 4:
            return None
        for q in self.by_object.get(node, ()):
            owner = self.owner(q.subject, depth + 1)
            if owner is not None:
                return owner
        return None


class _Renderer:
    """Renders pages; ``here`` is the site path of the page being written."""

    def __init__(self, index: _Index, class_pages: dict[str, str]) -> None:
        self.index = index
        self.class_pages = class_pages

    def href(self, here: str, target: str) -> str:
        """Relative link from the page ``here`` to the site file ``target``."""
        return _e(_relative(here, target))

    def term_link(self, here: str, term: Any) -> str:
        index = self.index
        if isinstance(term, ox.NamedNode):
            iri = term.value
            title = f' title="{_e(iri)}"'
            if iri in index.resources:
                target = index.resources[iri] + ".html"
                return f'<a href="{self.href(here, target)}"{title}>{_e(index.label(term))}</a>'
            if iri == str(ONTOLOGY_GRAPH):
                target = "def/index.html"
                return f'<a href="{self.href(here, target)}"{title}>{_e(index.label(term))}</a>'
            if iri.startswith(AK):
                target = f"def/index.html#{_anchor(iri[len(AK) :])}"
                return f'<a href="{self.href(here, target)}"{title}>{_e(index.label(term))}</a>'
            if iri.startswith(("http://", "https://")):
                return f'<a href="{_e(iri)}" rel="external noopener">{_e(index.compact(iri))}</a>'
            return f'<code class="iri">{_e(iri)}</code>'
        return _e(index.label(term))

    def literal(self, literal: ox.Literal) -> str:
        text = _e(literal.value)
        if literal.language:
            return f'{text}<span class="tag">{_e(literal.language)}</span>'
        datatype = literal.datatype.value
        if datatype.endswith("#string"):
            return text
        return f'{text}<span class="tag">{_e(self.index.compact(datatype))}</span>'

    def value(self, here: str, term: Any, graph: Any, seen: frozenset[Any]) -> str:
        if isinstance(term, ox.Literal):
            return self.literal(term)
        if isinstance(term, ox.BlankNode):
            if term in seen or len(seen) > 4:
                return "<span class=ctx>(lege knoop)</span>"
            rows = [
                q
                for q in self.index.by_subject.get(term, ())
                if q.graph_name == graph or isinstance(graph, ox.DefaultGraph)
            ]
            return '<div class="nested">' + self.table(here, rows, graph, seen | {term}) + "</div>"
        return self.term_link(here, term)

    def table(self, here: str, quads: Iterable[ox.Quad], graph: Any, seen: frozenset[Any]) -> str:
        grouped: dict[str, list[Any]] = defaultdict(list)
        for q in quads:
            grouped[q.predicate.value].append(q.object)
        rows = []
        for predicate in sorted(grouped, key=lambda p: (p != RDF_TYPE, self.index.compact(p))):
            values = "<br>".join(self.value(here, o, graph, seen) for o in grouped[predicate])
            name = self.term_link(here, ox.NamedNode(predicate))
            rows.append(f"<tr><th>{name}</th><td>{values}</td></tr>")
        return "<table>" + "".join(rows) + "</table>"

    def quote(self, here: str, node: Any, graph: Any) -> str:
        index = self.index
        exact = [o for o in index.values(node, OA + "exact") if isinstance(o, ox.Literal)]
        prefix = [o for o in index.values(node, OA + "prefix") if isinstance(o, ox.Literal)]
        suffix = [o for o in index.values(node, OA + "suffix") if isinstance(o, ox.Literal)]
        documents = index.values(node, AK + "inDocument")
        text = "".join(
            (f'<span class="ctx">…{_e(prefix[0].value)}</span> ' if prefix else "")
            + f"<q>{_e(e.value)}</q>"
            + (f' <span class="ctx">{_e(suffix[0].value)}…</span>' if suffix else "")
            for e in exact
        )
        where = ", ".join(self.term_link(here, d) for d in documents) or "onbekende bron"
        graph_link = self.term_link(here, graph) if isinstance(graph, ox.NamedNode) else ""
        return (
            f"<blockquote>{text or '(geen citaat)'}</blockquote>"
            f'<p class="ctx">uit {where}{" · graaf " + graph_link if graph_link else ""}</p>'
        )


@functools.lru_cache(maxsize=65536)
def _relative(here: str, target: str) -> str:
    """Relative path from the page ``here`` to ``target`` (both site paths, ``/``-separated).

    >>> _relative("id/wet/a.html", "id/maatregel/b.html")
    '../maatregel/b.html'
    >>> _relative("index.html", "def/index.html#Law")
    'def/index.html#Law'
    """
    start = here.split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < len(start) and common < len(parts) - 1 and start[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + parts[common:])


def _anchor(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", name) or "_"


def _page(
    title: str,
    body: str,
    *,
    here: str,
    renderer: _Renderer,
    alternates: Sequence[tuple[str, str]] = (),
    canonical: str | None = None,
    json_ld: Any = None,
) -> str:
    head = [
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(title)} · asielketen-kg</title>",
        f"<style>{STYLE}</style>",
    ]
    if canonical:
        head.append(f'<link rel="canonical" href="{_e(canonical)}">')
    for media_type, target in alternates:
        head.append(
            f'<link rel="alternate" type="{_e(media_type)}" href="{renderer.href(here, target)}">'
        )
    if json_ld is not None:
        head.append(f'<script type="application/ld+json">{script_json(json_ld)}</script>')
    nav = (
        f'<header><a href="{renderer.href(here, "index.html")}">asielketen-kg</a>'
        f'<a href="{renderer.href(here, "def/index.html")}">ontologie</a>'
        f'<a href="{renderer.href(here, "export/catalog.ttl")}">catalogus (DCAT)</a></header>'
    )
    footer = (
        "<footer>Gegenereerd door <code>kg export --site</code>. Data onder "
        '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license external noopener">'
        "CC BY 4.0</a>.</footer>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n'
        + "\n".join(head)
        + "\n</head>\n<body>\n"
        + nav
        + "\n<main>\n"
        + body
        + "\n</main>\n"
        + footer
        + "\n</body>\n</html>\n"
    )


def _legislation(index: _Index, term: ox.NamedNode, page_url: str) -> dict[str, Any] | None:
    """schema.org Legislation for a law or bill page, or None for other resources."""
    kinds = [
        SCHEMA_LEGISLATION_TYPES[t] for t in index.types(term) if t in SCHEMA_LEGISLATION_TYPES
    ]
    if not kinds:
        return None
    legislation_type, jurisdiction, force = kinds[0]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": term.value,
        "url": page_url,
        "name": index.label(term),
        "legislationType": legislation_type,
        "legislationJurisdiction": jurisdiction,
        "inLanguage": "nl",
    }
    if force:
        data["legislationLegalForce"] = f"https://schema.org/{force}"
    alternates = sorted(
        {o.value for o in index.values(term, SKOS + "altLabel") if isinstance(o, ox.Literal)}
    )
    if alternates:
        data["alternateName"] = alternates
    identifiers = sorted(
        {
            o.value
            for p in (AK + "bwbId", AK + "kamerstuk")
            for o in index.values(term, p)
            if isinstance(o, ox.Literal)
        }
    )
    if identifiers:
        data["legislationIdentifier"] = identifiers[0] if len(identifiers) == 1 else identifiers

    def web_iris(prop: str) -> list[str]:
        return sorted(
            {
                o.value
                for o in index.values(term, prop)
                if isinstance(o, ox.NamedNode) and o.value.startswith(("http://", "https://"))
            }
        )

    # sameAs names the same law elsewhere (its official page); a document a statement
    # cites (dcterms:source, e.g. a Kamerstuk) is about the law, not the law itself.
    same_as = web_iris(RDFS + "seeAlso")
    if same_as:
        data["sameAs"] = same_as
    about = web_iris(DCTERMS + "source")
    if about:
        data["subjectOf"] = [{"@id": iri} for iri in about]
    changes = sorted(
        {
            o.value
            for p in (AK + "amends", "http://data.europa.eu/eli/ontology#amends")
            for o in index.values(term, p)
            if isinstance(o, ox.NamedNode)
        }
    )
    if changes:
        data["legislationChanges"] = [{"@id": iri} for iri in changes]
    return data


def _resource_page(renderer: _Renderer, iri: str, site_base: str) -> str:
    index = renderer.index
    term = ox.NamedNode(iri)
    here = index.resources[iri] + ".html"
    name = index.label(term)
    parts = [f"<h1>{_e(name)}</h1>", f'<p><code class="iri">{_e(iri)}</code></p>']
    types = index.types(term)
    if types:
        links = ", ".join(
            (
                f'<a href="{renderer.href(here, renderer.class_pages[t])}">'
                f"{_e(index.label(ox.NamedNode(t)))}</a>"
                if t in renderer.class_pages
                else renderer.term_link(here, ox.NamedNode(t))
            )
            for t in types
        )
        parts.append(f"<p>Soort: {links}</p>")
    alternative = sorted(
        {o.value for o in index.values(term, SKOS + "altLabel") if isinstance(o, ox.Literal)}
    )
    if alternative:
        parts.append(f"<p>Ook: {_e(', '.join(alternative))}</p>")
    for definition in index.values(term, SKOS + "definition"):
        if isinstance(definition, ox.Literal):
            parts.append(f"<p>{renderer.literal(definition)}</p>")
    parts.append(
        '<p class="alt">'
        f'<a href="{renderer.href(here, index.resources[iri] + ".ttl")}">Turtle</a>'
        f'<a href="{renderer.href(here, index.resources[iri] + ".jsonld")}">JSON-LD</a></p>'
    )

    statements = index.by_subject.get(term, [])
    by_graph: dict[Any, list[ox.Quad]] = defaultdict(list)
    for q in statements:
        by_graph[q.graph_name].append(q)
    parts.append("<h2>Uitspraken</h2>")
    if not by_graph:
        parts.append("<p>Geen uitspraken over deze bron; zie de verwijzingen hieronder.</p>")
    quotes: list[str] = []
    for graph in sorted(by_graph, key=str):
        rows = [q for q in by_graph[graph] if q.predicate.value != AK + "hasQuote"]
        for q in by_graph[graph]:
            if q.predicate.value == AK + "hasQuote":
                quotes.append(renderer.quote(here, q.object, graph))
        heading = (
            f"in graaf {renderer.term_link(here, graph)}"
            if isinstance(graph, ox.NamedNode)
            else "in de standaardgraaf"
        )
        parts.append(f"<h3>{heading}</h3>")
        parts.append(renderer.table(here, rows, graph, frozenset()))
    if quotes:
        parts.append("<h2>Bronnen en citaten</h2>")
        parts.extend(quotes)

    incoming = index.by_object.get(term, [])
    if incoming:
        parts.append("<h2>Verwijzingen naar deze bron</h2>")
        by_predicate: dict[str, list[ox.Quad]] = defaultdict(list)
        for q in incoming:
            by_predicate[q.predicate.value].append(q)
        for predicate in sorted(by_predicate, key=index.compact):
            items = []
            rows = by_predicate[predicate]
            subjects: list[tuple[str, str]] = []
            for q in rows:
                owner = index.owner(q.subject)
                if owner is None:
                    continue
                via = "" if owner == q.subject else ' <span class="ctx">(via citaat)</span>'
                subjects.append((index.label(owner), renderer.term_link(here, owner) + via))
            unique = sorted(set(subjects))
            for _label, link in unique[:MAX_INCOMING]:
                items.append(f"<li>{link}</li>")
            if len(unique) > MAX_INCOMING:
                items.append(f"<li>… en {len(unique) - MAX_INCOMING} meer</li>")
            heading = renderer.term_link(here, ox.NamedNode(predicate))
            parts.append(f"<h3>{heading}</h3><ul>{''.join(items)}</ul>")

    page_url = site_base + index.resources[iri] + ".html"
    return _page(
        name,
        "\n".join(parts),
        here=here,
        renderer=renderer,
        alternates=(
            ("text/turtle", index.resources[iri] + ".ttl"),
            ("application/ld+json", index.resources[iri] + ".jsonld"),
        ),
        canonical=iri if iri.startswith(("http://", "https://")) else None,
        json_ld=_legislation(index, term, page_url),
    )


def _description(index: _Index, term: Any) -> list[ox.Quad]:
    """The statements about ``term`` and the blank nodes they lead to (in each graph)."""
    result: list[ox.Quad] = []
    todo = [term]
    seen = {term}
    while todo:
        node = todo.pop()
        for q in index.by_subject.get(node, ()):
            result.append(q)
            if isinstance(q.object, ox.BlankNode) and q.object not in seen:
                seen.add(q.object)
                todo.append(q.object)
    return result


def _class_page(renderer: _Renderer, class_iri: str, members: list[str]) -> str:
    index = renderer.index
    here = renderer.class_pages[class_iri]
    term = ox.NamedNode(class_iri)
    name = index.label(term)
    parts = [f"<h1>{_e(name)}</h1>", f'<p><code class="iri">{_e(class_iri)}</code></p>']
    for definition in index.values(term, SKOS + "definition"):
        if isinstance(definition, ox.Literal):
            parts.append(f"<p>{renderer.literal(definition)}</p>")
    if class_iri.startswith(AK):
        parts.append(f"<p>{renderer.term_link(here, term)} in de ontologie</p>")
    ordered = sorted(members, key=lambda iri: (index.label(ox.NamedNode(iri)).casefold(), iri))
    parts.append(f"<h2>{len(ordered)} bronnen</h2><ul>")
    parts.extend(f"<li>{renderer.term_link(here, ox.NamedNode(iri))}</li>" for iri in ordered)
    parts.append("</ul>")
    return _page(name, "\n".join(parts), here=here, renderer=renderer)


def _ontology_page(renderer: _Renderer, quads: Sequence[ox.Quad], counts: Counter[str]) -> str:
    index = renderer.index
    here = "def/index.html"
    ontology = ox.NamedNode(str(ONTOLOGY_GRAPH))
    parts = [
        f"<h1>{_e(index.label(ontology))}</h1>",
        f'<p><code class="iri">{_e(ontology.value)}</code></p>',
    ]
    for predicate in (DCTERMS + "description",):
        for o in index.values(ontology, predicate):
            if isinstance(o, ox.Literal):
                parts.append(f"<p>{renderer.literal(o)}</p>")
    meta = [
        q
        for q in index.by_subject.get(ontology, ())
        if q.predicate.value not in (DCTERMS + "description", DCTERMS + "title", RDFS + "label")
    ]
    parts.append(renderer.table(here, meta, ox.DefaultGraph(), frozenset()))
    parts.append(
        '<p class="alt"><a href="index.ttl">Turtle</a><a href="index.jsonld">JSON-LD</a></p>'
    )
    terms = sorted(
        {
            q.subject.value
            for q in quads
            if isinstance(q.subject, ox.NamedNode)
            and q.subject.value.startswith(AK)
            and q.graph_name == ox.NamedNode(str(ONTOLOGY_GRAPH))
        }
    )
    classes = [t for t in terms if OWL + "Class" in index.types(ox.NamedNode(t))]
    properties = [t for t in terms if t not in classes]
    parts.append("<h2>Inhoud</h2><p>")
    parts.append(
        " · ".join(f'<a href="#{_anchor(t[len(AK) :])}">{_e(t[len(AK) :])}</a>' for t in terms)
    )
    parts.append("</p>")
    for title, group in (("Klassen", classes), ("Eigenschappen", properties)):
        parts.append(f"<h2>{title}</h2>")
        for iri in group:
            term = ox.NamedNode(iri)
            local = iri[len(AK) :]
            labels = sorted(
                f"{o.value} ({o.language})" if o.language else o.value
                for o in index.values(term, RDFS + "label")
                if isinstance(o, ox.Literal)
            )
            parts.append(f'<h3 id="{_e(_anchor(local))}">{_e(local)}</h3>')
            parts.append(f"<p>{_e(' · '.join(labels))}</p>")
            rows = [
                q
                for q in index.by_subject.get(term, ())
                if q.predicate.value not in (RDFS + "label",)
            ]
            sub = sorted(
                {
                    q.subject.value
                    for q in index.by_object.get(term, ())
                    if q.predicate.value in (RDFS + "subClassOf", RDFS + "subPropertyOf")
                    and isinstance(q.subject, ox.NamedNode)
                }
            )
            parts.append(renderer.table(here, rows, ox.DefaultGraph(), frozenset()))
            if sub:
                links = ", ".join(renderer.term_link(here, ox.NamedNode(s)) for s in sub)
                parts.append(f"<p>Specialisaties: {links}</p>")
            used = counts.get(iri, 0)
            if iri in renderer.class_pages:
                link = renderer.href(here, renderer.class_pages[iri])
                parts.append(f'<p><a href="{link}">{used} in de data</a></p>')
            elif used:
                parts.append(f"<p>{used} keer gebruikt in de data</p>")
    schemes = sorted(
        {
            q.subject.value
            for q in quads
            if q.predicate.value == RDF_TYPE
            and q.object == ox.NamedNode(SKOS + "ConceptScheme")
            and isinstance(q.subject, ox.NamedNode)
        }
    )
    if schemes:
        parts.append("<h2>Waardelijsten</h2>")
        for scheme in schemes:
            parts.append(f"<h3>{renderer.term_link(here, ox.NamedNode(scheme))}</h3><ul>")
            concepts = sorted(
                {
                    q.subject.value
                    for q in index.by_object.get(ox.NamedNode(scheme), ())
                    if q.predicate.value == SKOS + "inScheme"
                    and isinstance(q.subject, ox.NamedNode)
                }
            )
            parts.extend(f"<li>{renderer.term_link(here, ox.NamedNode(c))}</li>" for c in concepts)
            parts.append("</ul>")
    return _page(
        index.label(ontology),
        "\n".join(parts),
        here=here,
        renderer=renderer,
        alternates=(("text/turtle", "def/index.ttl"), ("application/ld+json", "def/index.jsonld")),
        canonical=ontology.value,
    )


def _home_page(
    renderer: _Renderer,
    class_members: dict[str, list[str]],
    graph_counts: dict[str, int],
    statements: int,
    sparql_url: str | None,
) -> str:
    from kg.dcat import CatalogueInfo
    from kg.publish import FORMATS

    info = CatalogueInfo()
    index = renderer.index
    here = "index.html"
    parts = [
        f"<h1>{_e(info.title_nl)}</h1>",
        f"<p>{_e(info.description_nl)}</p>",
        f"<p>{statements} uitspraken in {len(graph_counts)} benoemde grafen, "
        f"{len(index.resources)} bronnen met een eigen pagina.</p>",
        "<h2>Klassen</h2><ul class=cols>",
    ]
    for class_iri in sorted(class_members, key=lambda c: index.label(ox.NamedNode(c)).casefold()):
        link = renderer.href(here, renderer.class_pages[class_iri])
        name = index.label(ox.NamedNode(class_iri))
        parts.append(f'<li><a href="{link}">{_e(name)}</a> ({len(class_members[class_iri])})</li>')
    parts.append("</ul><h2>Benoemde grafen</h2><ul>")
    for graph, count in graph_counts.items():
        parts.append(
            f"<li>{renderer.term_link(here, ox.NamedNode(graph))} ({count} uitspraken)</li>"
        )
    parts.append("</ul><h2>Downloads</h2><ul>")
    for fmt in FORMATS.values():
        note = "" if fmt.keeps_graphs else " (vereniging van de grafen)"
        parts.append(f'<li><a href="export/{_e(fmt.file_name)}">{_e(fmt.title)}</a>{note}</li>')
    parts.append('<li><a href="export/context.jsonld">JSON-LD-context</a></li>')
    parts.append('<li><a href="export/catalog.ttl">DCAT-AP-NL-beschrijving</a></li></ul>')
    parts.append("<h2>SPARQL</h2>")
    if sparql_url:
        parts.append(f'<p>Endpoint: <a href="{_e(sparql_url)}">{_e(sparql_url)}</a></p>')
    parts.append("<p>Lokaal: <code>kg serve</code> start een alleen-lezen SPARQL-endpoint.</p>")
    return _page(info.title_nl, "\n".join(parts), here=here, renderer=renderer)


def _graph_index(index: _Index) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for q in index.quads:
        if isinstance(q.graph_name, ox.NamedNode):
            counts[q.graph_name.value] += 1
    return dict(sorted(counts.items()))


def _write(root: Path, relative: str, text: str | bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)


def _prepare_target(out_dir: Path) -> None:
    if out_dir.exists():
        if not out_dir.is_dir():
            raise InputError("--site must be a folder, not a file", file=out_dir)
        if any(out_dir.iterdir()) and not (out_dir / MARKER).is_file():
            raise InputError(
                "this folder is not empty and was not written by `kg export --site`; "
                "choose a new or empty folder",
                file=out_dir,
            )


def build_site(
    out_dir: Path,
    data_dir: Path | None = None,
    *,
    base: str | None = None,
    sparql_url: str | None = None,
    validate: bool = True,
    include_drafts: bool = False,
) -> SiteResult:
    """Write the static linked-data site into ``out_dir`` (replacing an earlier one).

    The site is written into a temporary folder beside ``out_dir`` and swapped in when
    complete, so an interrupted build leaves the previous site as it was.

    Args:
        out_dir: The site folder; it must be new, empty, or an earlier site.
        data_dir: A folder laid out like ``data/``; default ``data/``.
        base: Rewrite resource IRIs to this base (see :func:`kg.publish.rebase`).
        sparql_url: Public SPARQL endpoint to link from the home page and catalogue.
        validate: Check the DCAT description against the DCAT-AP(-NL) shapes.
        include_drafts: Publish the draft graphs of ``kg ingest`` too (left out by
            default: nothing in them is reviewed).

    Raises:
        InputError: If the data cannot be read or ``out_dir`` is not a site folder.
    """
    from kg.publish import (
        CATALOG_NAME,
        CONTEXT_NAME,
        FORMATS,
        check_base,
        collect_quads,
        dump_jsonld,
        jsonld_context,
        prefixes_for,
        serialize,
        serialize_checked,
        to_jsonld,
        used_prefixes,
        write_catalog,
    )

    out_dir = out_dir.resolve()
    _prepare_target(out_dir)
    site_base = check_base(base) if base else BASE
    quads = collect_quads(data_dir, with_ontology=True, base=base, include_drafts=include_drafts)
    prefixes = prefixes_for(base)
    index = _Index(quads, site_base, prefixes)

    class_members: dict[str, list[str]] = defaultdict(list)
    for iri in index.resources:
        for class_iri in index.types(ox.NamedNode(iri)):
            class_members[class_iri].append(iri)
    class_pages: dict[str, str] = {}
    used_names: set[str] = set()
    for class_iri in sorted(class_members):
        name = _anchor(index.compact(class_iri).replace(":", "-"))[:100]
        if name in used_names:
            name = f"{name}-{hashlib.sha256(class_iri.encode()).hexdigest()[:8]}"
        used_names.add(name)
        class_pages[class_iri] = f"klasse/{name}.html"
    renderer = _Renderer(index, class_pages)
    counts: Counter[str] = Counter()
    for q in quads:
        if q.graph_name != ox.NamedNode(str(ONTOLOGY_GRAPH)):
            counts[q.predicate.value] += 1
            if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode):
                counts[q.object.value] += 1

    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    except OSError as err:
        raise KgError(
            f"cannot write the site here: {err.strerror}; choose another folder", file=out_dir
        ) from None
    try:
        (tmp / MARKER).write_text("written by kg export --site\n", encoding="utf-8")
        for iri, path in index.resources.items():
            _write(tmp, path + ".html", _resource_page(renderer, iri, site_base))
            description = _description(index, ox.NamedNode(iri))
            _write(tmp, path + ".ttl", serialize(description, FORMATS["turtle"], prefixes))
            document = to_jsonld(description, prefixes)
            _write(tmp, path + ".jsonld", json.dumps(document, ensure_ascii=False))
        for class_iri, members in class_members.items():
            _write(tmp, class_pages[class_iri], _class_page(renderer, class_iri, members))
        ontology_quads = [q for q in quads if q.graph_name == ox.NamedNode(str(ONTOLOGY_GRAPH))]
        _write(tmp, "def/index.html", _ontology_page(renderer, ontology_quads, counts))
        _write(tmp, "def/index.ttl", serialize(ontology_quads, FORMATS["turtle"], prefixes))
        _write(
            tmp,
            "def/index.jsonld",
            dump_jsonld(to_jsonld(ontology_quads, used_prefixes(ontology_quads, prefixes))),
        )
        graph_counts = _graph_index(index)
        _write(
            tmp,
            "index.html",
            _home_page(renderer, class_members, graph_counts, len(quads), sparql_url),
        )
        for fmt in FORMATS.values():
            _write(tmp, f"export/{fmt.file_name}", serialize_checked(quads, fmt, prefixes))
        context = {"@context": jsonld_context(prefixes)}
        _write(tmp, f"export/{CONTEXT_NAME}", json.dumps(context, ensure_ascii=False, indent=1))
        report = write_catalog(
            quads,
            tmp / "export" / CATALOG_NAME,
            data_dir=data_dir,
            base=base,
            validate=validate,
            sparql_url=sparql_url,
        )
        for folder in (tmp, *[p for p in tmp.rglob("*") if p.is_dir()]):
            folder.chmod(0o755)
        _swap(tmp, out_dir)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise KgError(f"cannot write the site: {err.strerror}", file=out_dir) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return SiteResult(
        folder=out_dir,
        pages=len(index.resources),
        classes=len(class_pages),
        graphs=len(graph_counts),
        statements=len(quads),
        report=report,
    )


def _swap(new: Path, target: Path) -> None:
    """Put the finished site ``new`` in place of ``target`` (removing the old site)."""
    old: Path | None = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.rename(target, old)
    os.rename(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
