"""Publish the graph as linked data: file exports and a push to a remote triple store.

Exports (:func:`export`) serialise every named graph of the dataset (ontology, sources,
curated graphs, reference identifiers):

* ``trig`` and ``nquads`` keep the named graphs;
* ``turtle`` and ``rdfxml`` cannot name graphs: they hold the union, with a note at the top;
* ``jsonld`` is compact JSON-LD with one ``@graph`` object per named graph and the context
  inline; the same context is written beside the file as ``context.jsonld``.

Every export also writes the DCAT-AP-NL description ``catalog.ttl`` beside the file (see
:mod:`kg.dcat`). ``base`` rewrites every resource IRI under ``https://w3id.org/asielketen/id/``
to a publisher's own domain; the vocabulary (``def#``) stays, so the same queries run.

Output is deterministic: statements are sorted and blank nodes are relabelled from what
they describe, so an unchanged graph exports to the same bytes.

:func:`publish` pushes each named graph to a store through the SPARQL 1.1 Graph Store
HTTP Protocol. Every graph goes to a temporary graph first; when all uploads succeeded, one
SPARQL Update request moves them into place (``MOVE``; atomic where the store runs an
update request as one transaction, as Oxigraph does). Without an update endpoint each
graph is sent whole with ``PUT`` (``POST`` to append), which the store applies per graph.
With ``prune``, the store's named graphs under the dataset's graph namespace
(``{base}id/graaf/``) that the data no longer has (a renamed or removed source) are dropped
too, in the same update request as the moves; graphs outside that namespace are never touched.

>>> import pyoxigraph as ox
>>> q = ox.Quad(ox.NamedNode("https://w3id.org/asielketen/id/wet/a"),
...     ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("a", language="nl"),
...     ox.NamedNode("https://w3id.org/asielketen/id/graaf/x"))
>>> rebase([q], "https://data.example.org/asiel/")[0].subject.value
'https://data.example.org/asiel/id/wet/a'
>>> serialize([q], FORMATS["nquads"]).decode().split()[2:4]
['"a"@nl', '<https://w3id.org/asielketen/id/graaf/x>']
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
import os
import re
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import click
import pyoxigraph as ox

from kg.drafts import include_drafts_option
from kg.errors import EndpointError, InputError, KgError
from kg.namespaces import BASE, PREFIXES
from kg.options import data_option, format_option, shared_options

__all__ = [
    "FORMATS",
    "ExportFormat",
    "ExportResult",
    "PublishResult",
    "collect_quads",
    "dump_jsonld",
    "export",
    "export_all",
    "export_command",
    "jsonld_context",
    "prefixes_for",
    "publish",
    "publish_command",
    "rebase",
    "serialize",
    "serialize_checked",
    "to_jsonld",
]

log = logging.getLogger(__name__)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

STANDARD_PREFIXES: dict[str, str] = {
    **{name: PREFIXES[name] for name in ("rdf", "rdfs", "xsd", "owl", "skos", "dcterms")},
    "dc": "http://purl.org/dc/elements/1.1/",
    "prov": PREFIXES["prov"],
    "vann": "http://purl.org/vocab/vann/",
}
"""Prefixes exports declare before the project's, in this order (the shared ones are the
project's own)."""

EXPORT_NAME = "asielketen-kg"
"""Stem of the export files (``asielketen-kg.trig``, ...)."""
CATALOG_NAME = "catalog.ttl"
CONTEXT_NAME = "context.jsonld"


@dataclass(frozen=True)
class ExportFormat:
    """An export format.

    Attributes:
        key: The ``--format`` value.
        title: Name for people.
        extension: File extension without the dot.
        media_type: IANA media type.
        file_type: Code in the EU file-type authority table (for the catalogue).
        keeps_graphs: Whether the format holds named graphs.
    """

    key: str
    title: str
    extension: str
    media_type: str
    file_type: str
    keeps_graphs: bool

    @property
    def file_name(self) -> str:
        """The canonical file name, e.g. ``asielketen-kg.trig``."""
        return f"{EXPORT_NAME}.{self.extension}"


FORMATS: dict[str, ExportFormat] = {
    f.key: f
    for f in (
        ExportFormat("trig", "TriG", "trig", "application/trig", "RDF_TRIG", True),
        ExportFormat("nquads", "N-Quads", "nq", "application/n-quads", "RDF_N_QUADS", True),
        ExportFormat("turtle", "Turtle", "ttl", "text/turtle", "RDF_TURTLE", False),
        ExportFormat("jsonld", "JSON-LD", "jsonld", "application/ld+json", "JSON_LD", True),
        ExportFormat("rdfxml", "RDF/XML", "rdf", "application/rdf+xml", "RDF_XML", False),
    )
}
"""The export formats by ``--format`` value."""

_OX_FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "rdfxml": ox.RdfFormat.RDF_XML,
}

_READ_BACK = {**_OX_FORMATS, "jsonld": ox.RdfFormat.JSON_LD}


def count_back(data: bytes, fmt: ExportFormat) -> int:
    """How many distinct statements serialised ``data`` holds, read back with pyoxigraph.

    >>> q = ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x"),
    ...     ox.NamedNode("http://e/g"))
    >>> count_back(serialize([q, q], FORMATS["jsonld"]), FORMATS["jsonld"])
    1
    """
    store = ox.Store()
    try:
        store.load(data, _READ_BACK[fmt.key])
    except SyntaxError as err:
        raise RuntimeError(f"the {fmt.title} export cannot be read back: {err}") from None
    return len(store)


def serialize_checked(
    quads: Sequence[ox.Quad],
    fmt: ExportFormat,
    prefixes: dict[str, str] | None = None,
    *,
    trim_prefixes: bool = True,
) -> bytes:
    """:func:`serialize`, then read the output back and count it before anyone writes it.

    A serialiser that merged two blank nodes or dropped a literal must fail loudly, not
    publish a smaller graph.

    Raises:
        RuntimeError: If the output cannot be read back or holds fewer or more statements
            than ``quads`` (a bug).
    """
    data = serialize(quads, fmt, prefixes, trim_prefixes=trim_prefixes)
    expected = len(set(quads)) if fmt.keeps_graphs else len(_union(quads))
    found = count_back(data, fmt)
    if found != expected:
        raise RuntimeError(
            f"the {fmt.title} export holds {found} statements but the data has {expected}; "
            "nothing was written"
        )
    return data


_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')


# --------------------------------------------------------------------------- base IRIs


def check_base(base: str) -> str:
    """Return ``base`` as a base IRI ending in ``/``, or raise if it cannot be one.

    >>> check_base("https://data.example.org/asiel")
    'https://data.example.org/asiel/'
    >>> check_base("data.example.org")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.InputError: --base must be an absolute http(s) IRI ..., not 'data.example.org'
    """
    parsed = urllib.parse.urlsplit(base)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or _IRI_FORBIDDEN.search(base):
        raise InputError(
            "--base must be an absolute http(s) IRI such as https://data.example.org/asiel/, "
            f"not {base!r}"
        )
    if parsed.query or parsed.fragment:
        raise InputError(f"--base must not have a query or fragment: {base!r}")
    return base if base.endswith("/") else base + "/"


def rebase(quads: Iterable[ox.Quad], base: str | None) -> list[ox.Quad]:
    """Rewrite every IRI under ``{BASE}id/`` to ``{base}id/``; the vocabulary stays.

    Args:
        quads: The statements.
        base: The publisher's base IRI (checked with :func:`check_base`); None or the
            project's own base leaves the statements as they are.
    """
    if base is None:
        return list(quads)
    new = check_base(base)
    if new == BASE:
        return list(quads)
    old_prefix, new_prefix = f"{BASE}id/", f"{new}id/"

    def move(term: Any) -> Any:
        if isinstance(term, ox.NamedNode) and term.value.startswith(old_prefix):
            return ox.NamedNode(new_prefix + term.value[len(old_prefix) :])
        return term

    return [
        ox.Quad(move(q.subject), move(q.predicate), move(q.object), move(q.graph_name))
        for q in quads
    ]


def prefixes_for(base: str | None = None) -> dict[str, str]:
    """Return the prefixes used in exports, with the project's rebased to ``base``.

    >>> prefixes_for("https://data.example.org/")["wet"]
    'https://data.example.org/id/wet/'
    >>> prefixes_for()["ak"]
    'https://w3id.org/asielketen/def#'
    """
    new = check_base(base) if base else BASE
    old_prefix = f"{BASE}id/"
    result = dict(STANDARD_PREFIXES)
    for name, iri in PREFIXES.items():
        if iri.startswith(old_prefix):
            iri = f"{new}id/" + iri[len(old_prefix) :]
        result[name] = iri
    return result


# --------------------------------------------------------------------------- collecting


def collect_quads(
    data_dir: Path | None = None,
    *,
    with_ontology: bool = True,
    base: str | None = None,
    include_drafts: bool = False,
) -> list[ox.Quad]:
    """Read the dataset's statements, deduplicated, sorted, with stable blank node labels.

    Args:
        data_dir: A folder laid out like ``data/``; default ``data/``.
        with_ontology: Include the ontology graph (``ontology/*.ttl``).
        base: Rewrite resource IRIs to this base (see :func:`rebase`).
        include_drafts: Keep the draft graphs of ``kg ingest`` (left out by default, see
            :func:`kg.drafts.without_draft_quads`).

    Raises:
        InputError: If a file cannot be parsed or the base is not an IRI.
    """
    from kg.dataset import input_files, parse_file
    from kg.drafts import without_draft_quads

    quads: set[ox.Quad] = set()
    for item in input_files(data_dir, with_ontology):
        quads.update(parse_file(item.path, item.graph))
    kept = quads if include_drafts else without_draft_quads(quads)
    return canonical_order(rebase(kept, base))


_Row = tuple[str, str, str, str]
"""A quad as four strings (graph, subject, predicate, object); blank nodes as ``_:label``."""


def _rows(quads: Iterable[ox.Quad]) -> tuple[list[ox.Quad], list[_Row]]:
    """The distinct quads and their string forms, reading each term from pyoxigraph once."""
    unique = list(set(quads))
    rows = []
    for q in unique:
        g = q.graph_name
        rows.append(
            (
                "" if type(g) is ox.DefaultGraph else str(g),
                str(q.subject),
                str(q.predicate),
                str(q.object),
            )
        )
    return unique, rows


def _blank_node_keys(unique: list[ox.Quad], rows: list[_Row]) -> dict[str, str]:
    """A sort key for every blank node that does not depend on its parser-given label.

    The key starts with what the node says and what points at it (readable, so quotes sort
    by their text). Only when that leaves nodes alike, a hash refined over the
    neighbourhood (Weisfeiler-Lehman style) is added, and for nodes still alike their
    RDFC-1.0 canonical label, so the order is the same on every run.

    Args:
        unique: Distinct quads.
        rows: Their string forms (see :func:`_rows`).
    """
    edges: dict[str, list[tuple[str, str, str, str, str]]] = defaultdict(list)
    for g, s, p, o in rows:
        for role, term in (("s", s), ("o", o), ("g", g)):
            if term.startswith("_:"):
                edges[term].append((role, g, s, p, o))
    if not edges:
        return {}

    def name(term: str, names: dict[str, str]) -> str:
        return "_:" + names.get(term, "") if term.startswith("_:") else term

    def describe(node: str, names: dict[str, str]) -> str:
        lines = [
            f"{role} {name(g, names)} {name(s, names)} {p} {name(o, names)}"
            for role, g, s, p, o in edges[node]
        ]
        return "\n".join(sorted(lines))

    readable = {node: describe(node, {}) for node in edges}
    if len(set(readable.values())) == len(readable):
        return readable  # what the nodes say already tells them apart (the usual case)
    names = {
        node: hashlib.sha256(text.encode()).hexdigest()[:16] for node, text in readable.items()
    }
    for _ in range(8):
        distinct = len(set(names.values()))
        names = {
            node: hashlib.sha256(describe(node, names).encode()).hexdigest()[:16] for node in edges
        }
        if len(set(names.values())) == distinct:
            break
    keys = {node: f"{readable[node]}\x00{names[node]}" for node in edges}
    if len(set(keys.values())) < len(keys):
        canonical = _rdfc_labels(set(unique))
        keys = {node: f"{key}\x00{canonical.get(node[2:], '')}" for node, key in keys.items()}
    return keys


def _rdfc_labels(quads: set[ox.Quad]) -> dict[str, str]:
    """Map each blank node label to its RDFC-1.0 canonical label."""
    originals = list(quads)
    dataset = ox.Dataset(originals)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)

    # Canonicalisation keeps everything but the blank node labels; match quads on the
    # rest to learn the mapping.
    def shape(q: ox.Quad) -> tuple[str, ...]:
        return tuple(
            "_" if isinstance(t, ox.BlankNode) else str(t)
            for t in (q.subject, q.predicate, q.object, q.graph_name)
        )

    pending: dict[tuple[str, ...], list[ox.Quad]] = defaultdict(list)
    for q in originals:
        pending[shape(q)].append(q)
    mapping: dict[str, str] = {}
    for q in sorted(dataset, key=str):
        candidates = pending.get(shape(q))
        if not candidates:
            continue
        original = candidates.pop()
        for old, new in zip(
            (original.subject, original.object, original.graph_name),
            (q.subject, q.object, q.graph_name),
            strict=True,
        ):
            if isinstance(old, ox.BlankNode) and isinstance(new, ox.BlankNode):
                mapping.setdefault(old.value, new.value)
    return mapping


def canonical_order(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Sort statements and relabel blank nodes ``b0, b1, ...`` by what they describe.

    The order and the labels do not depend on parser-assigned labels (see
    :func:`_blank_node_keys`), so the same graph always serialises to the same bytes.

    >>> b = ox.BlankNode()
    >>> g = ox.NamedNode("http://e/g")
    >>> qs = [ox.Quad(b, ox.NamedNode("http://e/p"), ox.Literal("x"), g),
    ...       ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/q"), b, g)]
    >>> [str(q.subject) for q in canonical_order(qs)]
    ['<http://e/a>', '_:b0']
    """
    unique, rows = _rows(quads)
    keys = _blank_node_keys(unique, rows)

    def key(term: str) -> str:
        return "_:" + keys[term] if term.startswith("_:") else term

    order = sorted(
        range(len(unique)),
        key=lambda i: (key(rows[i][0]), key(rows[i][1]), rows[i][2], key(rows[i][3])),
    )
    labels: dict[str, ox.BlankNode] = {}

    def label(term: str) -> ox.BlankNode:
        new = labels.get(term)
        if new is None:
            new = labels[term] = ox.BlankNode(f"b{len(labels)}")
        return new

    result = []
    for i in order:
        g, s, _p, o = rows[i]
        q = unique[i]
        if s.startswith("_:") or o.startswith("_:") or g.startswith("_:"):
            q = ox.Quad(
                label(s) if s.startswith("_:") else q.subject,
                q.predicate,
                label(o) if o.startswith("_:") else q.object,
                label(g) if g.startswith("_:") else q.graph_name,
            )
        result.append(q)
    return result


def graph_names(quads: Iterable[ox.Quad]) -> list[str]:
    """Return the distinct named graphs of ``quads`` (IRIs or ``_:`` labels), sorted."""
    return sorted(
        {str(q.graph_name.value) for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    )


# --------------------------------------------------------------------------- JSON-LD


def jsonld_context(prefixes: dict[str, str]) -> dict[str, str]:
    """Return the JSON-LD context: one prefix definition per namespace.

    Compact IRIs (``ak:laidDownIn``, ``wet:huisvestingswet-2014``) expand with it; all
    literal values keep their datatype or language explicitly, so nothing depends on
    type coercion and every statement round-trips.

    >>> jsonld_context({"ak": "https://w3id.org/asielketen/def#"})
    {'ak': 'https://w3id.org/asielketen/def#'}
    """
    return dict(sorted(prefixes.items()))


class _Compactor:
    """Shortens IRIs with the longest matching prefix (results are remembered)."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self._memo: dict[str, tuple[str, str] | None] = {}

    def prefix_of(self, iri: str) -> tuple[str, str] | None:
        """The ``(name, namespace)`` that shortens ``iri``, or None."""
        if iri in self._memo:
            return self._memo[iri]
        found = None
        for name, namespace in self.prefixes:
            if iri.startswith(namespace):
                local = iri[len(namespace) :]
                # "//..." would read as an authority and "" as the bare prefix term.
                if local and not local.startswith("//"):
                    found = (name, namespace)
                    break
        self._memo[iri] = found
        return found

    def __call__(self, iri: str) -> str:
        found = self.prefix_of(iri)
        return f"{found[0]}:{iri[len(found[1]) :]}" if found else iri


@functools.lru_cache(maxsize=8)
def _compactor(prefixes: tuple[tuple[str, str], ...]) -> _Compactor:
    return _Compactor(dict(prefixes))


def _literal_value(literal: ox.Literal, compact: _Compactor) -> Any:
    if literal.language:
        return {"@value": literal.value, "@language": literal.language}
    datatype = literal.datatype.value
    if datatype == XSD_STRING:
        return literal.value
    return {"@value": literal.value, "@type": compact(datatype)}


def _graph_nodes(quads: Sequence[ox.Quad], compact: _Compactor) -> list[dict[str, Any]]:
    """Node objects of one graph; a blank node used once as an object is nested there."""
    by_subject: dict[Any, list[ox.Quad]] = defaultdict(list)
    references: dict[str, int] = defaultdict(int)
    for q in quads:
        by_subject[q.subject].append(q)
        if isinstance(q.object, ox.BlankNode):
            references[q.object.value] += 1
    nested = {
        s.value for s in by_subject if isinstance(s, ox.BlankNode) and references.get(s.value) == 1
    }
    done: set[Any] = set()

    def node(subject: Any, with_id: bool) -> dict[str, Any]:
        done.add(subject)
        result: dict[str, Any] = {}
        if with_id:
            result["@id"] = (
                f"_:{subject.value}"
                if isinstance(subject, ox.BlankNode)
                else compact(subject.value)
            )
        properties: dict[str, list[Any]] = {}
        for q in by_subject[subject]:
            if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode):
                result.setdefault("@type", []).append(compact(q.object.value))
                continue
            properties.setdefault(compact(q.predicate.value), []).append(value(q.object))
        result.update(properties)
        # A single value needs no array; JSON-LD reads both the same.
        return {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in result.items()}

    def value(term: Any) -> Any:
        if isinstance(term, ox.Literal):
            return _literal_value(term, compact)
        if isinstance(term, ox.BlankNode):
            if term.value in nested and term not in done:
                return node(term, with_id=False)
            return {"@id": f"_:{term.value}"}
        return {"@id": compact(term.value)}

    nodes = [
        node(subject, with_id=True)
        for subject in by_subject
        if not (isinstance(subject, ox.BlankNode) and subject.value in nested)
    ]
    # Blank nodes that were only referenced from each other (a cycle) still need a home.
    nodes += [node(s, with_id=True) for s in by_subject if s not in done]
    return nodes


def to_jsonld(quads: Sequence[ox.Quad], prefixes: dict[str, str]) -> dict[str, Any]:
    """Return a JSON-LD document with one ``@graph`` object per named graph.

    Args:
        quads: The statements, ideally from :func:`canonical_order`.
        prefixes: Prefixes for the inline context (see :func:`jsonld_context`).

    >>> q = ox.Quad(ox.NamedNode("https://w3id.org/asielketen/id/wet/a"),
    ...     ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
    ...     ox.NamedNode("https://w3id.org/asielketen/def#Law"),
    ...     ox.NamedNode("https://w3id.org/asielketen/id/graaf/x"))
    >>> doc = to_jsonld([q], prefixes_for())
    >>> doc["@graph"]
    [{'@id': 'graaf:x', '@graph': [{'@id': 'wet:a', '@type': 'ak:Law'}]}]
    """
    compact = _compactor(tuple(sorted(prefixes.items())))
    by_graph: dict[Any, list[ox.Quad]] = defaultdict(list)
    for q in quads:
        by_graph[q.graph_name].append(q)
    top: list[dict[str, Any]] = []
    for graph, graph_quads in by_graph.items():
        nodes = _graph_nodes(graph_quads, compact)
        if isinstance(graph, ox.DefaultGraph):
            top.extend(nodes)
        else:
            name = f"_:{graph.value}" if isinstance(graph, ox.BlankNode) else compact(graph.value)
            top.append({"@id": name, "@graph": nodes})
    return {"@context": jsonld_context(prefixes), "@graph": top}


# --------------------------------------------------------------------------- serialising


def used_prefixes(quads: Iterable[ox.Quad], prefixes: dict[str, str]) -> dict[str, str]:
    """Return the prefixes that shorten some IRI (or literal datatype) of ``quads``.

    >>> q = ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x"))
    >>> used_prefixes([q], {"e": "http://e/", "f": "http://f/"})
    {'e': 'http://e/'}
    """
    compactor = _compactor(tuple(sorted(prefixes.items())))
    used: dict[str, str] = {}
    for q in quads:
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode):
                found = compactor.prefix_of(term.value)
            elif isinstance(term, ox.Literal):
                found = compactor.prefix_of(term.datatype.value)
            else:
                continue
            if found is not None:
                used[found[0]] = found[1]
    return dict(sorted(used.items()))


def _ox_serialize(
    items: Iterable[Any], fmt: ox.RdfFormat, prefixes: dict[str, str] | None
) -> bytes:
    """pyoxigraph's serialiser into memory (it returns bytes when given no output)."""
    data = ox.serialize(items, format=fmt, prefixes=prefixes)
    assert data is not None
    return data


def _union(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    seen: set[ox.Triple] = set()
    triples = []
    for q in quads:
        triple = q.triple
        if triple not in seen:
            seen.add(triple)
            triples.append(triple)
    return triples


def union_note(graphs: int, fmt: ExportFormat) -> str:
    """The note a union export carries: which format keeps the graphs instead."""
    return (
        f"asielketen-kg: the union of {graphs} named graphs; {fmt.title} has no graph names, "
        "so the source of each statement is not kept. Use TriG or N-Quads to keep them."
    )


def dump_jsonld(document: dict[str, Any]) -> bytes:
    """JSON text of a :func:`to_jsonld` document: one node a line, so diffs stay readable.

    >>> print(dump_jsonld({"@context": {"e": "http://e/"}, "@graph": [{"@id": "e:a"}]}).decode())
    {"@context": {"e": "http://e/"},
     "@graph": [
      {"@id": "e:a"}
     ]
    }
    <BLANKLINE>
    """

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = []
    for item in document["@graph"]:
        if isinstance(item, dict) and set(item) == {"@id", "@graph"}:
            nodes = ",\n   ".join(dumps(node) for node in item["@graph"])
            lines.append(f'{{"@id": {dumps(item["@id"])}, "@graph": [\n   {nodes}\n  ]}}')
        else:
            lines.append(dumps(item))
    body = ",\n  ".join(lines)
    graph = f"[\n  {body}\n ]" if lines else "[]"
    return f'{{"@context": {dumps(document["@context"])},\n "@graph": {graph}\n}}\n'.encode()


def serialize(
    quads: Sequence[ox.Quad],
    fmt: ExportFormat,
    prefixes: dict[str, str] | None = None,
    *,
    trim_prefixes: bool = True,
) -> bytes:
    """Serialise statements in an export format.

    Args:
        quads: The statements (see :func:`collect_quads`).
        fmt: The format; ``turtle`` and ``rdfxml`` get the union of the graphs and a note.
        prefixes: Prefixes to use; the project's by default.
        trim_prefixes: Declare only the prefixes the statements use (False when the
            caller already trimmed them with :func:`used_prefixes`).
    """
    prefixes = prefixes if prefixes is not None else prefixes_for()
    if trim_prefixes:
        prefixes = used_prefixes(quads, prefixes)
    if fmt.key == "jsonld":
        return dump_jsonld(to_jsonld(quads, prefixes))
    ox_format = _OX_FORMATS[fmt.key]
    used = prefixes if fmt.key != "nquads" else None
    if fmt.keeps_graphs:
        return _ox_serialize(quads, ox_format, used)
    body = _ox_serialize(_union(quads), ox_format, used)
    note = union_note(len(graph_names(quads)), fmt)
    if fmt.key == "turtle":
        return f"# {note}\n".encode() + body
    declaration, _, rest = body.partition(b"\n")
    if declaration.startswith(b"<?xml"):
        return declaration + f"\n<!-- {note} -->\n".encode() + rest
    return f"<!-- {note} -->\n".encode() + body


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place.

    Raises:
        KgError: If the folder cannot be created or written (with the reason).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as err:
        raise KgError(
            f"cannot write here: {err.strerror}; choose another --out", file=path
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise KgError(f"cannot write: {err.strerror}", file=path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class ExportResult:
    """What :func:`export` wrote.

    Attributes:
        format: The export format.
        path: The file written, or None when written to a stream.
        statements: Statements (quads) in the dataset.
        written: Statements in the output (distinct triples for a union format).
        graphs: Named graphs in the dataset.
        catalog: Where the DCAT description was written, if it was.
        context: Where the JSON-LD context was written, if it was.
        report: The SHACL report of the description, if it was validated.
    """

    format: ExportFormat
    path: Path | None
    statements: int
    written: int
    graphs: int
    catalog: Path | None = None
    context: Path | None = None
    report: Any = None
    notes: list[str] = field(default_factory=list)


def export(
    data_dir: Path | None = None,
    fmt: str = "trig",
    out: Path | IO[bytes] | None = None,
    *,
    base: str | None = None,
    with_ontology: bool = True,
    catalog: bool = True,
    validate: bool = True,
    catalog_dir: Path | None = None,
    sparql_url: str | None = None,
    include_drafts: bool = False,
) -> ExportResult:
    """Export the dataset in one format, with its DCAT description beside it.

    Args:
        data_dir: A folder laid out like ``data/``; default ``data/``.
        fmt: A key of :data:`FORMATS`.
        out: File to write, or a binary stream (``--out -``); default
            ``build/export/asielketen-kg.<ext>``.
        base: Rewrite resource IRIs to this base (the catalogue uses it too).
        with_ontology: Include the ontology graph.
        catalog: Write ``catalog.ttl`` (and for JSON-LD ``context.jsonld``) beside the
            file, or in ``catalog_dir`` (default ``build/export/``) for a stream.
        validate: Check the description against the DCAT-AP(-NL) shapes.
        catalog_dir: Folder for the description when ``out`` is a stream.
        sparql_url: Public SPARQL endpoint to name in the description.
        include_drafts: Keep the draft graphs of ``kg ingest``.

    Raises:
        InputError: For an unknown format, a bad base or unreadable data.
    """
    from kg.paths import build_dir

    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    target: Path | IO[bytes]
    if out is None or isinstance(out, Path):
        target = out if out is not None else build_dir() / "export" / FORMATS[fmt].file_name
        folder = target.parent
    else:
        target, folder = out, catalog_dir or build_dir() / "export"
    quads = collect_quads(
        data_dir, with_ontology=with_ontology, base=base, include_drafts=include_drafts
    )
    [result] = _export_described(
        quads,
        [(FORMATS[fmt], target)],
        folder,
        data_dir,
        base=base,
        catalog=catalog,
        validate=validate,
        sparql_url=sparql_url,
    )
    return result


def export_all(
    data_dir: Path | None = None,
    folder: Path | None = None,
    *,
    base: str | None = None,
    with_ontology: bool = True,
    catalog: bool = True,
    validate: bool = True,
    sparql_url: str | None = None,
    include_drafts: bool = False,
) -> list[ExportResult]:
    """Export the dataset in every format into one folder, with one description.

    Args:
        data_dir: A folder laid out like ``data/``; default ``data/``.
        folder: Where to write ``asielketen-kg.<ext>``; default ``build/export/``.
        base: Rewrite resource IRIs to this base.
        with_ontology: Include the ontology graph.
        catalog: Write ``catalog.ttl`` and ``context.jsonld`` beside the files.
        validate: Check the description against the DCAT-AP(-NL) shapes.
        sparql_url: Public SPARQL endpoint to name in the description.
        include_drafts: Keep the draft graphs of ``kg ingest``.

    Returns:
        One result a format; each carries the catalogue path and report.
    """
    from kg.paths import build_dir

    folder = folder if folder is not None else build_dir() / "export"
    quads = collect_quads(
        data_dir, with_ontology=with_ontology, base=base, include_drafts=include_drafts
    )
    return _export_described(
        quads,
        [(fmt, folder / fmt.file_name) for fmt in FORMATS.values()],
        folder,
        data_dir,
        base=base,
        catalog=catalog,
        validate=validate,
        sparql_url=sparql_url,
    )


def _export_described(
    quads: Sequence[ox.Quad],
    targets: list[tuple[ExportFormat, Path | IO[bytes]]],
    folder: Path,
    data_dir: Path | None,
    *,
    base: str | None,
    catalog: bool,
    validate: bool,
    sparql_url: str | None,
) -> list[ExportResult]:
    """Write ``quads`` to each (format, file or stream) of ``targets``; with ``catalog``
    their description into ``folder`` too."""
    prefixes = prefixes_for(base)
    used = used_prefixes(quads, prefixes)
    results = [_export_one(quads, used, fmt, out) for fmt, out in targets]
    if catalog:
        _describe(
            results,
            quads,
            prefixes,
            folder,
            data_dir,
            base=base,
            validate=validate,
            sparql_url=sparql_url,
        )
    return results


def _export_one(
    quads: Sequence[ox.Quad], prefixes: dict[str, str], fmt: ExportFormat, out: Path | IO[bytes]
) -> ExportResult:
    data = serialize_checked(quads, fmt, prefixes, trim_prefixes=False)
    names = graph_names(quads)
    written = len(quads) if fmt.keeps_graphs else len(_union(quads))
    path: Path | None
    if isinstance(out, Path):
        _write_atomic(out, data)
        path = out
    else:
        out.write(data)
        out.flush()
        path = None
    result = ExportResult(fmt, path, len(quads), written, len(names))
    if not fmt.keeps_graphs:
        result.notes.append(union_note(len(names), fmt))
    return result


def _describe(
    results: list[ExportResult],
    quads: Sequence[ox.Quad],
    prefixes: dict[str, str],
    folder: Path,
    data_dir: Path | None,
    *,
    base: str | None,
    validate: bool,
    sparql_url: str | None,
) -> None:
    """Write catalog.ttl (and for JSON-LD context.jsonld) and note them on the results."""
    context_path = None
    if any(r.format.key == "jsonld" for r in results):
        context_path = folder / CONTEXT_NAME
        context = {"@context": jsonld_context(prefixes)}
        _write_atomic(
            context_path, (json.dumps(context, ensure_ascii=False, indent=1) + "\n").encode()
        )
    catalog_path = folder / CATALOG_NAME
    report = write_catalog(
        quads,
        catalog_path,
        data_dir=data_dir,
        base=base,
        files={r.format.key: r.path for r in results if r.path is not None},
        validate=validate,
        sparql_url=sparql_url,
    )
    for result in results:
        result.catalog = catalog_path
        result.report = report
        if result.format.key == "jsonld":
            result.context = context_path


def write_catalog(
    quads: Sequence[ox.Quad],
    path: Path,
    *,
    data_dir: Path | None = None,
    base: str | None = None,
    files: dict[str, Path] | None = None,
    validate: bool = True,
    sparql_url: str | None = None,
) -> Any:
    """Write the DCAT-AP-NL description of ``quads`` to ``path`` (Turtle).

    Distributions are described for every format; a file named in ``files`` or found
    beside ``path`` under its canonical name gets its size and checksum.

    Returns:
        The :class:`kg.dcat.ShapeReport` when ``validate``, else None.
    """
    from kg import __version__, dcat
    from kg.dataset import input_files

    files = files or {}
    distributions = []
    for key, fmt in FORMATS.items():
        file_path = files.get(key) or path.parent / fmt.file_name
        distributions.append(
            dcat.DistributionInfo(
                key=key,
                title=fmt.title,
                file_name=fmt.file_name,
                media_type=fmt.media_type,
                file_type=fmt.file_type,
                keeps_graphs=fmt.keeps_graphs,
                path=file_path if file_path.is_file() else None,
            )
        )
    info = dcat.CatalogueInfo(
        base=check_base(base) if base else BASE, version=__version__, sparql_url=sparql_url
    )
    modified = dcat.inputs_modified(item.path for item in input_files(data_dir))
    description = dcat.describe(quads, distributions, info=info, modified=modified)
    _write_atomic(path, description.serialize(format="turtle").encode("utf-8"))
    return dcat.validate_description(description) if validate else None


# --------------------------------------------------------------------------- Graph Store


@dataclass
class PublishResult:
    """What :func:`publish` did.

    Attributes:
        endpoint: The Graph Store URL.
        method: ``move`` (temporary graphs, then one MOVE update), ``put`` or ``post``.
        graphs: The graph IRIs published, with their statement counts.
        pruned: The graphs removed because the data no longer has them (``prune``).
    """

    endpoint: str
    method: str
    graphs: dict[str, int]
    pruned: list[str] = field(default_factory=list)

    @property
    def statements(self) -> int:
        """Statements sent in total."""
        return sum(self.graphs.values())


class GraphStore:
    """A small SPARQL 1.1 Graph Store HTTP Protocol client (urllib, no extra packages).

    Args:
        endpoint: The Graph Store URL, e.g. ``http://localhost:7878/store``.
        update: The SPARQL Update URL, if the store has one.
        auth: ``USER:PASS`` for HTTP Basic authentication.
        token: A bearer token.
        timeout: Seconds to wait for each request.
        query: The SPARQL query URL, if the store has one (to list its graphs).
    """

    def __init__(
        self,
        endpoint: str,
        *,
        update: str | None = None,
        auth: str | None = None,
        token: str | None = None,
        timeout: float = 120.0,
        query: str | None = None,
    ) -> None:
        for url, option in ((endpoint, "--endpoint"), (update, "--update"), (query, "--query")):
            if url is not None and not url.startswith(("http://", "https://")):
                raise InputError(
                    f"{option} must be an http(s) URL, e.g. http://localhost:7878/store; "
                    f"got {url!r}"
                )
        if auth is not None and token is not None:
            raise InputError("give either --auth USER:PASS or a token, not both")
        self.endpoint = endpoint
        self.update_url = update
        self.query_url = query
        self.timeout = timeout
        self.headers = {"User-Agent": "asielketen-kg"}
        if auth is not None:
            if ":" not in auth:
                raise InputError("--auth must be USER:PASS, e.g. --auth admin:secret")
            encoded = base64.b64encode(auth.encode("utf-8")).decode("ascii")
            self.headers["Authorization"] = f"Basic {encoded}"
        elif token:
            self.headers["Authorization"] = f"Bearer {token}"

    def graph_url(self, graph: str) -> str:
        """The URL of a graph by indirect identification (``?graph=IRI``)."""
        separator = "&" if "?" in self.endpoint else "?"
        return f"{self.endpoint}{separator}{urllib.parse.urlencode({'graph': graph})}"

    def _request(
        self,
        method: str,
        url: str,
        body: bytes | None,
        content_type: str | None,
        *,
        accept: str | None = None,
        allow: tuple[int, ...] = (),
    ) -> tuple[int, bytes]:
        headers = dict(self.headers)
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return int(response.status), response.read()
        except urllib.error.HTTPError as err:
            if err.code in allow:
                return err.code, b""
            raise _http_error(err, url, method) from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", None) or err
            raise EndpointError(
                f"cannot reach {url.split('?', 1)[0]}: {reason}; is the triple store running "
                "and is --endpoint its Graph Store URL (e.g. http://localhost:7878/store)?"
            ) from None

    def put(self, graph: str, ntriples: bytes) -> None:
        """Replace a graph with the given N-Triples."""
        self._request("PUT", self.graph_url(graph), ntriples, "application/n-triples")

    def post(self, graph: str, ntriples: bytes) -> None:
        """Add N-Triples to a graph."""
        self._request("POST", self.graph_url(graph), ntriples, "application/n-triples")

    def delete(self, graph: str, *, missing_ok: bool = False) -> None:
        """Remove a graph (with ``missing_ok``, one that is already gone is no error)."""
        self._request(
            "DELETE", self.graph_url(graph), None, None, allow=(404,) if missing_ok else ()
        )

    def named_graphs(self) -> list[str]:
        """The IRIs of the store's named graphs, sorted, asked at the query endpoint.

        Raises:
            EndpointError: If there is no query endpoint or it does not answer with SPARQL
                JSON results.
        """
        if self.query_url is None:
            raise EndpointError(
                "cannot list the store's graphs: no SPARQL query endpoint is known; "
                "pass --query URL, e.g. --query http://localhost:7878/query"
            )
        body = urllib.parse.urlencode({"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"})
        _, answer = self._request(
            "POST",
            self.query_url,
            body.encode("utf-8"),
            "application/x-www-form-urlencoded",
            accept="application/sparql-results+json",
        )
        try:
            bindings = json.loads(answer)["results"]["bindings"]
            return sorted(
                {row["g"]["value"] for row in bindings if row.get("g", {}).get("type") == "uri"}
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise EndpointError(
                f"{self.query_url} did not answer with SPARQL JSON results; pass the store's "
                "query URL as --query, e.g. http://localhost:7878/query"
            ) from None

    def run_update(self, sparql: str) -> None:
        """Send a SPARQL Update request to the update endpoint."""
        if self.update_url is None:
            raise EndpointError("this store has no SPARQL Update endpoint; pass --update URL")
        self._request("POST", self.update_url, sparql.encode("utf-8"), "application/sparql-update")

    def has_update(self) -> bool:
        """Whether the update endpoint accepts requests (probed with a no-op update)."""
        if self.update_url is None:
            return False
        try:
            self.run_update(f"DROP SILENT GRAPH <urn:uuid:{uuid.uuid4()}>")
        except EndpointError as err:
            log.info("no usable update endpoint at %s: %s", self.update_url, err)
            return False
        return True


def _http_error(err: urllib.error.HTTPError, url: str, method: str) -> EndpointError:
    where = url.split("?", 1)[0]
    detail = err.read().decode("utf-8", "replace").strip().splitlines()
    first = detail[0][:200] if detail else str(err.reason)
    if err.code == 401:
        hint = "pass --auth USER:PASS or set KG_ENDPOINT_TOKEN"
    elif err.code == 403:
        hint = "the store is read-only or the account may not write to it"
    elif err.code in (404, 405, 501):
        hint = (
            "this URL does not take Graph Store requests; pass the store's Graph Store "
            "Protocol URL, e.g. http://localhost:7878/store"
        )
    else:
        hint = "see the store's log"
    return EndpointError(f"{where} refused {method} ({err.code}: {first}); {hint}")


def sibling_update_url(endpoint: str, service: str = "update") -> str | None:
    """Guess the update (or query) endpoint beside a Graph Store URL (Oxigraph, Fuseki).

    >>> sibling_update_url("http://localhost:7878/store")
    'http://localhost:7878/update'
    >>> sibling_update_url("http://localhost:3030/ds/data", "query")
    'http://localhost:3030/ds/query'
    >>> sibling_update_url("http://localhost:8890/sparql-graph-crud") is None
    True
    """
    parts = urllib.parse.urlsplit(endpoint)
    head, _, last = parts.path.rstrip("/").rpartition("/")
    if last not in ("store", "data"):
        return None
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"{head}/{service}", "", ""))


def graph_namespace(base: str | None = None) -> str:
    """The namespace of the dataset's named graphs, the only one ``prune`` deletes from.

    >>> graph_namespace()
    'https://w3id.org/asielketen/id/graaf/'
    >>> graph_namespace("https://data.example.org/asiel")
    'https://data.example.org/asiel/id/graaf/'
    """
    return f"{check_base(base) if base else BASE}id/graaf/"


def _stale_graphs(store: GraphStore, published: Iterable[str], base: str | None) -> list[str]:
    """The store's graphs under :func:`graph_namespace` that are not in ``published``."""
    namespace = graph_namespace(base)
    keep = set(published)
    stale = []
    for graph in store.named_graphs():
        if not graph.startswith(namespace) or graph in keep:
            continue
        if _IRI_FORBIDDEN.search(graph):
            # It cannot be written into an update request safely; nor did kg make it.
            log.warning("not pruning %r: not an IRI kg publishes", graph)
            continue
        stale.append(graph)
    return stale


def _ntriples(quads: Iterable[ox.Quad]) -> bytes:
    return _ox_serialize([q.triple for q in quads], ox.RdfFormat.N_TRIPLES, None)


def publish(
    endpoint: str,
    data_dir: Path | None = None,
    *,
    update: str | None = None,
    method: str = "auto",
    replace: bool = True,
    auth: str | None = None,
    token: str | None = None,
    base: str | None = None,
    with_ontology: bool = True,
    timeout: float = 120.0,
    include_drafts: bool = False,
    prune: bool = False,
    query: str | None = None,
) -> PublishResult:
    """Push every named graph of the dataset to a store (SPARQL 1.1 Graph Store Protocol).

    Args:
        endpoint: The Graph Store URL, e.g. ``http://localhost:7878/store``.
        data_dir: A folder laid out like ``data/``; default ``data/``.
        update: The store's SPARQL Update URL; by default the sibling ``/update`` of a
            ``/store`` or ``/data`` URL is tried.
        method: ``move`` (temporary graphs, then MOVE/ADD in one update request), ``put``
            (whole graphs with PUT, or POST to append) or ``auto`` (``move`` when the
            update endpoint answers, else ``put``).
        replace: Replace each graph (publishing twice gives the same store); False adds
            the statements to what the graph holds.
        auth: ``USER:PASS`` for HTTP Basic authentication.
        token: A bearer token (the CLI reads it from ``KG_ENDPOINT_TOKEN``).
        base: Rewrite resource IRIs to this base first.
        with_ontology: Publish the ontology graph too.
        timeout: Seconds to wait for each request.
        include_drafts: Push the draft graphs of ``kg ingest`` too.
        prune: Also delete the store's named graphs under :func:`graph_namespace` that the
            data no longer has (a renamed or removed source; a draft graph published
            before with ``include_drafts`` when it is left out now). Needs ``replace``.
            With ``move`` the deletions are part of the one update request.
        query: The store's SPARQL query URL, used by ``prune`` to list its graphs; by
            default the sibling ``/query`` of a ``/store`` or ``/data`` URL.

    Raises:
        EndpointError: If the store cannot be reached or refuses a request; graphs that
            were uploaded to temporary names are dropped again.
        InputError: For a bad URL, base, method or unreadable data, or ``prune``
            without ``replace``.

    >>> publish("http://localhost:1/store", replace=False, prune=True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.InputError: --prune replaces the dataset's graphs; it cannot be used with --append
    """
    if method not in ("auto", "move", "put"):
        raise InputError(f"unknown publish method {method!r}; use auto, move or put")
    if prune and not replace:
        raise InputError("--prune replaces the dataset's graphs; it cannot be used with --append")
    update_url = update if update is not None else sibling_update_url(endpoint)
    query_url = query if query is not None else sibling_update_url(endpoint, "query")
    store = GraphStore(
        endpoint, update=update_url, auth=auth, token=token, timeout=timeout, query=query_url
    )
    quads = collect_quads(
        data_dir, with_ontology=with_ontology, base=base, include_drafts=include_drafts
    )
    by_graph: dict[str, list[ox.Quad]] = defaultdict(list)
    for q in quads:
        if isinstance(q.graph_name, ox.NamedNode):
            by_graph[q.graph_name.value].append(q)
    counts = {graph: len(graph_quads) for graph, graph_quads in sorted(by_graph.items())}
    # Listed before anything is written: a store that cannot say what it holds changes nothing.
    stale = _stale_graphs(store, by_graph, base) if prune else []

    if method == "auto":
        method = "move" if store.has_update() else "put"
    elif method == "move" and update is None and not store.has_update():
        raise EndpointError(
            f"no SPARQL Update endpoint answers at {update_url or '(none found)'}; "
            "pass --update URL or use --method put"
        )

    if method == "put":
        for graph, graph_quads in sorted(by_graph.items()):
            log.info("%s %s (%d statements)", "PUT" if replace else "POST", graph, len(graph_quads))
            if replace:
                store.put(graph, _ntriples(graph_quads))
            else:
                store.post(graph, _ntriples(graph_quads))
        for graph in stale:
            log.info("DELETE %s (the data no longer has it)", graph)
            store.delete(graph, missing_ok=True)
        return PublishResult(endpoint, "put" if replace else "post", counts, stale)

    temporary = {graph: f"urn:uuid:{uuid.uuid4()}" for graph in by_graph}
    uploaded: list[str] = []
    try:
        for graph, graph_quads in sorted(by_graph.items()):
            log.info("PUT %s as %s (%d statements)", graph, temporary[graph], len(graph_quads))
            uploaded.append(temporary[graph])
            store.put(temporary[graph], _ntriples(graph_quads))
        operations = []
        for graph in sorted(by_graph):
            if replace:
                operations.append(f"MOVE GRAPH <{temporary[graph]}> TO GRAPH <{graph}>")
            else:
                operations.append(f"ADD GRAPH <{temporary[graph]}> TO GRAPH <{graph}>")
                operations.append(f"DROP GRAPH <{temporary[graph]}>")
        operations += [f"DROP SILENT GRAPH <{graph}>" for graph in stale]
        store.run_update(" ;\n".join(operations))
    except BaseException:
        # Also on Ctrl-C: no temporary graph may stay behind in the store.
        _drop_quietly(store, uploaded)
        raise
    return PublishResult(endpoint, "move", counts, stale)


def _drop_quietly(store: GraphStore, graphs: Sequence[str]) -> None:
    """Remove temporary graphs after a failed publish; a failure here changes nothing."""
    if not graphs:
        return
    try:
        store.run_update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
        return
    except EndpointError:
        pass
    for graph in graphs:
        try:
            store.delete(graph)
        except EndpointError:
            log.warning("could not remove the temporary graph %s", graph)


# --------------------------------------------------------------------------- commands


def _echo_report(report: Any, catalog: Path) -> bool:
    """Print the DCAT validation summary; return True when there were violations."""
    if report is None:
        click.echo(f"wrote {catalog} (not validated)", err=True)
        return False
    click.echo(
        f"wrote {catalog}: DCAT-AP 3.0.1 + DCAT-AP-NL 3.0 shapes: "
        f"{len(report.violations)} violations",
        err=True,
    )
    for finding in report.violations:
        click.echo(f"  {finding}", err=True)
    return bool(report.violations)


@click.command("export")
@format_option(
    [*FORMATS, "all"],
    "Serialisation; trig, nquads and jsonld keep the named graphs, turtle and rdfxml "
    "hold their union; all writes the five into one folder.",
)
@click.option(
    "--out",
    # A string, not a Path: a trailing slash (a folder the user means) must survive.
    type=click.Path(allow_dash=True),
    default=None,
    help="File to write, a folder (existing, or ending in /) to write asielketen-kg.<ext> "
    "into, or - for stdout (with --format all: a folder). "
    "Default: build/export/asielketen-kg.<ext>.",
)
@click.option(
    "--site",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write the static linked-data site into this folder instead (pages, class "
    "indexes, ontology documentation, all exports and the catalogue).",
)
@click.option(
    "--base",
    metavar="IRI",
    default=None,
    help="Rewrite resource IRIs (https://w3id.org/asielketen/id/...) to this base, e.g. "
    "https://data.example.org/asiel/.",
)
@click.option(
    "--sparql-url",
    metavar="URL",
    default=None,
    help="Public SPARQL endpoint to name in the catalogue. Default: <base>sparql.",
)
@click.option(
    "--ontology/--no-ontology",
    default=True,
    show_default=True,
    help="Include the ontology graph (ontology/*.ttl).",
)
@click.option(
    "--catalog/--no-catalog",
    default=True,
    show_default=True,
    help="Write the DCAT-AP-NL description catalog.ttl beside the export.",
)
@click.option(
    "--validate/--no-validate",
    default=True,
    show_default=True,
    help="Check the description against the official DCAT-AP(-NL) shapes (exit 1 if not).",
)
@include_drafts_option
@data_option
@shared_options
def export_command(
    fmt: str,
    out: str | None,
    site: Path | None,
    base: str | None,
    sparql_url: str | None,
    ontology: bool,
    catalog: bool,
    validate: bool,
    data: Path | None,
    include_drafts: bool,
) -> None:
    """Export the graph (named graphs kept where the format can), or build the site.

    \b
    Examples:
      kg export --format jsonld --out build/export/asielketen-kg.jsonld
      kg export --format nquads --out - | gzip > asielketen-kg.nq.gz
      kg export --format turtle --out dist/     (writes dist/asielketen-kg.ttl)
      kg export --format all --out build/export
      kg export --site build/site --base https://data.example.org/asiel/
    """
    ctx = click.get_current_context()
    if site is not None:
        from kg.site import build_site

        if out is not None:
            raise click.UsageError("give either --out or --site, not both")
        built = build_site(
            site,
            data,
            base=base,
            sparql_url=sparql_url,
            validate=validate,
            include_drafts=include_drafts,
        )
        click.echo(
            f"wrote {built.folder}: {built.pages} resource pages, {built.classes} class "
            f"indexes, ontology documentation, exports ({built.statements} statements in "
            f"{built.graphs} named graphs); open {built.folder / 'index.html'}",
            err=True,
        )
        if _echo_report(built.report, built.folder / "export" / CATALOG_NAME):
            ctx.exit(1)
        return
    options: dict[str, Any] = {
        "base": base,
        "with_ontology": ontology,
        "catalog": catalog,
        "validate": validate,
        "sparql_url": sparql_url,
        "include_drafts": include_drafts,
    }
    if fmt == "all":
        if out is not None and (out == "-" or Path(out).is_file()):
            raise click.UsageError("with --format all, --out must be a folder")
        results = export_all(data, None if out is None else Path(out), **options)
    else:
        target: Path | IO[bytes] | None = None
        if out == "-":
            target = sys.stdout.buffer
        elif out is not None:
            target = _out_file(out, FORMATS[fmt])
        results = [export(data, fmt, target, **options)]
    for result in results:
        click.echo(
            f"wrote {result.path or 'stdout'}: {result.written} statements "
            f"({result.statements} in {result.graphs} named graphs)",
            err=True,
        )
        for note in result.notes:
            click.echo(f"note: {note}", err=True)
        if result.context is not None:
            click.echo(f"wrote {result.context}", err=True)
    last = results[-1]
    if last.catalog is not None and _echo_report(last.report, last.catalog):
        ctx.exit(1)


def _out_file(out: str, fmt: ExportFormat) -> Path:
    """The file ``--out`` names: itself, or ``asielketen-kg.<ext>`` in the folder it names.

    A path ending in a separator or naming an existing folder is a folder (like ``cp``).

    >>> str(_out_file("dist/", FORMATS["turtle"]))
    'dist/asielketen-kg.ttl'
    >>> str(_out_file("dist/graph.ttl", FORMATS["turtle"]))
    'dist/graph.ttl'
    """
    path = Path(out)
    if not (out.endswith(("/", os.sep)) or path.is_dir()):
        return path
    if path.exists() and not path.is_dir():
        raise click.UsageError(f"--out {out}: {path} is a file, not a folder; drop the final /")
    return path / fmt.file_name


@click.command("publish")
@click.option(
    "--endpoint",
    metavar="URL",
    required=True,
    help="Graph Store Protocol URL of the store, e.g. http://localhost:7878/store "
    "(Oxigraph) or http://localhost:3030/ds/data (Fuseki).",
)
@click.option(
    "--update",
    metavar="URL",
    default=None,
    help="SPARQL Update URL of the store. Default: the /update beside a /store or /data URL.",
)
@click.option(
    "--method",
    type=click.Choice(["auto", "move", "put"]),
    default="auto",
    show_default=True,
    help="move: upload to temporary graphs, then MOVE them into place in one update; put: "
    "send each graph whole; auto: move when the update endpoint answers.",
)
@click.option(
    "--replace/--append",
    default=True,
    show_default=True,
    help="Replace each named graph (publishing twice gives the same store), or add to it.",
)
@click.option(
    "--prune/--no-prune",
    default=False,
    show_default=True,
    help="Also delete the store's named graphs under <base>id/graaf/ that the data no "
    "longer has (a renamed or removed source); graphs outside it stay. Not with --append.",
)
@click.option(
    "--query",
    metavar="URL",
    default=None,
    help="SPARQL query URL of the store, which --prune asks for its graphs. Default: the "
    "/query beside a /store or /data URL.",
)
@click.option(
    "--auth",
    metavar="USER:PASS",
    envvar="KG_ENDPOINT_AUTH",
    default=None,
    help="HTTP Basic credentials (or set KG_ENDPOINT_AUTH).",
)
@click.option(
    "--token-env",
    metavar="NAME",
    default="KG_ENDPOINT_TOKEN",
    show_default=True,
    help="Environment variable holding a bearer token (used when --auth is not given).",
)
@click.option("--base", metavar="IRI", default=None, help="Rewrite resource IRIs to this base.")
@click.option(
    "--ontology/--no-ontology",
    default=True,
    show_default=True,
    help="Publish the ontology graph too.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=120.0,
    show_default=True,
    help="Seconds to wait for each request.",
)
@include_drafts_option
@data_option
@shared_options
def publish_command(
    endpoint: str,
    update: str | None,
    method: str,
    replace: bool,
    prune: bool,
    query: str | None,
    auth: str | None,
    token_env: str,
    base: str | None,
    ontology: bool,
    timeout: float,
    data: Path | None,
    include_drafts: bool,
) -> None:
    """Push every named graph to a triple store (SPARQL 1.1 Graph Store Protocol).

    The store should use the union of its named graphs as the default graph (Oxigraph:
    --union-default-graph) so that `kg query --endpoint` finds the data there.

    \b
    Example:
      oxigraph serve --location store --union-default-graph &
      kg publish --endpoint http://localhost:7878/store
      kg publish --endpoint http://localhost:7878/store --prune
      kg contradictions --endpoint http://localhost:7878/query
    """
    token = None if auth else (os.environ.get(token_env) or None)
    result = publish(
        endpoint,
        data,
        update=update,
        method=method,
        replace=replace,
        auth=auth,
        token=token,
        base=base,
        with_ontology=ontology,
        timeout=timeout,
        include_drafts=include_drafts,
        prune=prune,
        query=query,
    )
    click.echo(
        f"published {len(result.graphs)} named graphs ({result.statements} statements) to "
        f"{result.endpoint} by {result.method}",
        err=True,
    )
    for graph, count in result.graphs.items():
        click.echo(f"  {graph}: {count}", err=True)
    if result.pruned:
        plural = "graph" if len(result.pruned) == 1 else "graphs"
        click.echo(
            f"removed {len(result.pruned)} named {plural} the data no longer has: "
            + ", ".join(result.pruned),
            err=True,
        )
