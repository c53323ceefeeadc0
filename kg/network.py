"""The graph as a networkx MultiDiGraph: impact chains and the centrality of instruments.

:func:`project` reads the store through the catalogue's reports (``entities``,
``relations``, ``entity-sources``, ``lifecycle``, ``vocabulary``, ``documents``) and returns a
:class:`networkx.MultiDiGraph`:

* a node per entity (anything with a class of the ontology except quotes and lifecycle
  events), keyed by IRI (blank nodes as ``_:id``), with ``label``, ``types`` (class IRIs),
  ``alt_labels``, ``quotes`` (``{"document": IRI, "quote": str}``), ``events``
  (``{"type": IRI, "date": str, "day": "YYYY-MM-DD"}``), ``valid_from`` and ``valid_until``
  (the first lifecycle date and the first withdrawal or expiry, of the entity or what it is
  laid down in; a claim without one holds from the earliest-ending dated document that
  quotes it), ``actor`` (True for actors) and, for relations to value-list concepts
  (status, theme, conflict type), ``concepts`` (relation IRI to concept IRIs);
* an edge per relation of the ontology between two entities, keyed by the relation's local
  name, with ``relation`` (IRI), ``label`` (Dutch) and ``graphs`` (the named graphs that
  state it).

``graph.graph`` holds ``labels`` (Dutch labels of classes and relations by IRI) and
``actor_classes`` (``ak:Actor`` and its subclasses).

:func:`impact_chains` follows what a measure does (prohibits, abolishes, imposes, funds …)
to instruments, to the tasks and measures that need those, to the actors responsible,
obliged or affected, and returns each path. :func:`instrument_centrality` ranks
instruments by betweenness centrality. ``kg impact`` shows both. The actor responsible for
or executing a task or instrument counts as affected; the one responsible for a measure
itself (its author) does not.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("m", label="maatregel", types=[AK + "Measure"], actor=False)
>>> g.add_node("i", label="instrument", types=[AK + "Instrument"], actor=False)
>>> g.add_node("t", label="taak", types=[AK + "Task"], actor=False)
>>> g.add_node("g", label="gemeenten", types=[AK + "ActorGroup"], actor=True)
>>> _ = g.add_edge("m", "i", key="prohibits", relation=AK + "prohibits")
>>> _ = g.add_edge("t", "i", key="requires", relation=AK + "requires")
>>> _ = g.add_edge("t", "g", key="responsibleActor", relation=AK + "responsibleActor")
>>> [c.describe(g) for c in impact_chains(g, "m")]
['maatregel —prohibits→ instrument ←requires— taak —responsibleActor→ gemeenten']
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.contradictions import day, document_bounds, lifecycles
from kg.drafts import include_drafts_option
from kg.errors import KgError
from kg.options import data_option, endpoint_option, format_option, shared_options
from kg.queries import Query, catalogue, expand_iri, md_cell, run_query, shorten, text_table

if TYPE_CHECKING:
    import networkx as nx

    from kg.store import Engine

__all__ = [
    "FORWARD",
    "INVERSE",
    "ImpactChain",
    "Step",
    "impact_chains",
    "impact_command",
    "instrument_centrality",
    "project",
    "resolve_entity",
]

AK = "https://w3id.org/asielketen/def#"

FORWARD = frozenset(
    AK + name
    for name in (
        "prohibits",
        "abolishes",
        "repeals",
        "amends",
        "funds",
        "incentivises",
        "imposesTask",
        "retains",
        "obliges",
        "affects",
        "responsibleActor",
        "executedBy",
        "increasesDemandOn",
        "reducesCapacityOf",
        "expectedEffect",
    )
)
"""Relations an impact chain follows from subject to object (what a thing does to another)."""

INVERSE = frozenset(
    AK + name for name in ("requires", "dependsOn", "effectOf", "laidDownIn", "partOf")
)
"""Relations an impact chain follows backwards: from an instrument to what requires it, from
a measure to its expected effects, from a law to what is laid down in it."""

_WHO_DOES = frozenset((AK + "responsibleActor", AK + "executedBy"))
_CARRIED_OUT = frozenset((AK + "Task", AK + "Instrument"))
"""Who is responsible for or executes a task or instrument is affected by what happens to it;
who is responsible for a measure (the cabinet) is not thereby affected by it."""

_PER_PATH_LIMIT = 10_000
"""Stop looking for chains after this many (a guard for dense graphs)."""


def _term(term: Any) -> str | None:
    if term is None:
        return None
    if type(term).__name__ == "BlankNode":
        return f"_:{term.value}"
    return str(term.value)


def _report(queries: list[Query], name: str) -> Query:
    for query in queries:
        if query.category == "reports" and query.name == name:
            return query
    raise KgError(f"the report {name!r} is missing from queries/reports/; restore it")


def project(engine: Engine, *, queries_dir: Path | None = None) -> nx.MultiDiGraph:
    """Project the dataset into a networkx MultiDiGraph (see the module docstring).

    Args:
        engine: From :func:`kg.store.open_engine`.
        queries_dir: A catalogue folder other than ``queries/`` (tests).

    Raises:
        QueryError: If a report query is missing or rejected by the engine.
    """
    import networkx as nx

    queries = catalogue(queries_dir)
    graph = nx.MultiDiGraph()
    labels: dict[str, str] = {}
    actor_classes: set[str] = set()
    claim_classes: set[str] = set()
    for row in run_query(engine, _report(queries, "vocabulary")):
        term = _term(row.get("term"))
        if term is None:
            continue
        if row.get("label") is not None:
            labels.setdefault(term, str(row["label"].value))
        if row.get("actor") is not None and row["actor"].value == "true":
            actor_classes.add(term)
        if row.get("claim") is not None and row["claim"].value == "true":
            claim_classes.add(term)
    graph.graph["labels"] = labels
    graph.graph["actor_classes"] = frozenset(actor_classes)

    for row in run_query(engine, _report(queries, "entities")):
        node, kind = _term(row.get("entity")), _term(row.get("type"))
        if node is None or kind is None:
            continue
        if node not in graph:
            graph.add_node(
                node, label="", types=[], alt_labels=[], quotes=[], events=[], concepts={}
            )
        attrs = graph.nodes[node]
        if kind not in attrs["types"]:
            attrs["types"].append(kind)
        label = row.get("label")
        if label is not None and not attrs["label"]:
            attrs["label"] = str(label.value)
        alt = row.get("altLabel")
        if alt is not None and str(alt.value) not in attrs["alt_labels"]:
            attrs["alt_labels"].append(str(alt.value))
    for node, attrs in graph.nodes(data=True):
        attrs["types"].sort()
        attrs["actor"] = any(t in actor_classes for t in attrs["types"])
        if not attrs["label"]:
            attrs["label"] = shorten(node)

    for row in run_query(engine, _report(queries, "relations")):
        source, relation = _term(row.get("source")), _term(row.get("relation"))
        target, named = _term(row.get("target")), _term(row.get("graph"))
        if source not in graph or relation is None or target is None:
            continue
        if target not in graph:
            concepts = graph.nodes[source]["concepts"].setdefault(relation, [])
            if target not in concepts:
                concepts.append(target)
            continue
        key = relation.rsplit("#", 1)[-1]
        if graph.has_edge(source, target, key):
            graphs = graph.edges[source, target, key]["graphs"]
            if named and named not in graphs:
                graphs.append(named)
            continue
        graph.add_edge(
            source,
            target,
            key=key,
            relation=relation,
            label=labels.get(relation, key),
            graphs=[named] if named else [],
        )

    quote_rows = list(run_query(engine, _report(queries, "entity-sources")))
    for row in quote_rows:
        node, quote = _term(row.get("entity")), row.get("quote")
        if node in graph and quote is not None:
            item = {"document": _term(row.get("document")) or "", "quote": str(quote.value)}
            if item not in graph.nodes[node]["quotes"]:
                graph.nodes[node]["quotes"].append(item)

    timeline = list(run_query(engine, _report(queries, "lifecycle")))
    for row in timeline:
        node, subject = _term(row.get("entity")), _term(row.get("subject"))
        if node in graph and node == subject and row.get("resolvedBy") is None:
            text = str(row["date"].value)
            event = {"type": _term(row.get("type")) or "", "date": text, "day": day(text) or ""}
            if event not in graph.nodes[node]["events"]:
                graph.nodes[node]["events"].append(event)
    for node, life in lifecycles(timeline).items():
        if node in graph:
            graph.nodes[node]["valid_from"] = life.start
            graph.nodes[node]["valid_until"] = life.withdrawn
    # What an actor said (a claim) did not exist before the document that reports it, as
    # the findings it supports do not (kg.contradictions); an instrument or a measure a
    # letter mentions may be far older, so only claims take the date of their document.
    claims = [n for n, a in graph.nodes(data=True) if claim_classes.intersection(a["types"])]
    if claims:
        documents = run_query(engine, _report(queries, "documents"))
        bounds = document_bounds(quote_rows, documents)
        for node in claims:
            if graph.nodes[node].get("valid_from") is None and node in bounds:
                graph.nodes[node]["valid_from"] = day(bounds[node])
    for _, attrs in graph.nodes(data=True):
        attrs.setdefault("valid_from", None)
        attrs.setdefault("valid_until", None)
        attrs["events"].sort(key=lambda e: (e["day"], e["type"]))
    return graph


@dataclass(frozen=True)
class Step:
    """One edge of an impact chain, walked forwards or (``inverse``) backwards."""

    source: str
    relation: str
    target: str
    inverse: bool = False


@dataclass(frozen=True)
class ImpactChain:
    """A path from the entity to an actor it ends up affecting."""

    actor: str
    path: tuple[Step, ...]

    def describe(self, graph: nx.MultiDiGraph) -> str:
        """The path as text: ``A —relation→ B ←relation— C``."""

        def name(node: str) -> str:
            return str(graph.nodes[node].get("label") or shorten(node))

        def rel(iri: str) -> str:
            return str(graph.graph.get("labels", {}).get(iri) or iri.rsplit("#", 1)[-1])

        parts = [name(self.path[0].source if not self.path[0].inverse else self.path[0].target)]
        for step in self.path:
            if step.inverse:
                parts.append(f"←{rel(step.relation)}— {name(step.source)}")
            else:
                parts.append(f"—{rel(step.relation)}→ {name(step.target)}")
        return " ".join(parts)

    def to_json(self, graph: nx.MultiDiGraph) -> dict[str, Any]:
        """``{"actor": {"iri", "label"}, "path": [{"from", "relation", "to", "inverse"}]}``."""
        return {
            "actor": {"iri": self.actor, "label": graph.nodes[self.actor].get("label", "")},
            "path": [
                {
                    "from": step.target if step.inverse else step.source,
                    "relation": step.relation,
                    "to": step.source if step.inverse else step.target,
                    "inverse": step.inverse,
                }
                for step in self.path
            ],
        }


def _moves(graph: nx.MultiDiGraph, node: str) -> Iterable[tuple[str, Step]]:
    """Where an impact chain can go from ``node``, and by which step."""
    carried_out = bool(_CARRIED_OUT & set(graph.nodes[node].get("types", ())))
    for _, target, attrs in graph.out_edges(node, data=True):
        relation = attrs.get("relation")
        if relation in FORWARD and (relation not in _WHO_DOES or carried_out):
            yield target, Step(node, relation, target)
    for source, _, attrs in graph.in_edges(node, data=True):
        if attrs.get("relation") in INVERSE:
            yield source, Step(source, attrs["relation"], node, inverse=True)


def impact_chains(graph: nx.MultiDiGraph, entity: str, *, max_depth: int = 6) -> list[ImpactChain]:
    """Paths from ``entity`` to the actors it ends up affecting.

    A chain follows :data:`FORWARD` relations from subject to object and :data:`INVERSE`
    relations backwards, visits no node twice, and ends at the first actor it reaches.

    Args:
        graph: From :func:`project`.
        entity: A node of the graph (an IRI).
        max_depth: The longest chain, in steps.

    Returns:
        Chains sorted by actor label, length and path.

    Raises:
        KgError: If ``entity`` is not a node of the graph.
    """
    if entity not in graph:
        raise KgError(f"{shorten(entity)} is not an entity of the graph")
    chains: list[ImpactChain] = []
    stack: list[tuple[str, tuple[Step, ...], frozenset[str]]] = [(entity, (), frozenset((entity,)))]
    while stack and len(chains) < _PER_PATH_LIMIT:
        node, path, seen = stack.pop()
        if path and graph.nodes[node].get("actor"):
            chains.append(ImpactChain(node, path))
            continue
        if len(path) >= max_depth:
            continue
        for target, step in _moves(graph, node):
            if target not in seen:
                stack.append((target, (*path, step), seen | {target}))

    def key(chain: ImpactChain) -> tuple[str, int, str]:
        label = str(graph.nodes[chain.actor].get("label", "")).lower()
        return (label, len(chain.path), chain.describe(graph))

    return sorted(set(chains), key=key)


def instrument_centrality(graph: nx.MultiDiGraph, *, sample: int = 500) -> dict[str, float]:
    """Betweenness centrality of the instruments, most central first.

    Computed on the undirected simple graph (an instrument that many paths between measures,
    tasks and actors run through is one whose removal disconnects much). Exact up to
    ``sample`` nodes; above that, estimated from ``sample`` source nodes (seeded, so stable).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from(["a", "c"], types=[]); g.add_node("i", types=[AK + "Instrument"])
    >>> _ = g.add_edge("a", "i"); _ = g.add_edge("c", "i")
    >>> instrument_centrality(g)
    {'i': 1.0}
    """
    import networkx as nx

    simple = nx.Graph(graph.to_undirected(as_view=True))
    k = sample if simple.number_of_nodes() > sample else None
    scores = nx.betweenness_centrality(simple, k=k, seed=0 if k else None, normalized=True)
    instruments = [
        node for node, types in graph.nodes(data="types") if AK + "Instrument" in (types or ())
    ]
    ranked = sorted(instruments, key=lambda n: (-scores.get(n, 0.0), n))
    return {node: round(scores.get(node, 0.0), 6) for node in ranked}


def resolve_entity(graph: nx.MultiDiGraph, text: str) -> str:
    """The node for ``text``: an IRI, prefixed name, ``type/slug`` or a unique bare slug.

    Raises:
        KgError: If nothing or more than one node matches.
    """
    try:
        iri = expand_iri(text)
    except ValueError:
        iri = None
    if iri in graph:
        assert iri is not None
        return iri
    hits = sorted(n for n in graph.nodes if n.rstrip("/").rsplit("/", 1)[-1] == text)
    if len(hits) == 1:
        return hits[0]
    if hits:
        options = ", ".join(shorten(h) for h in hits)
        raise KgError(f"{text!r} is ambiguous; write one of {options}")
    raise KgError(
        f"no entity {text!r} in the graph; give an IRI, a prefixed name such as "
        "maatregel:verbod-op-voorrang-statushouders, or a slug (see `kg query entities`)"
    )


def _format_chains(graph: nx.MultiDiGraph, entity: str, chains: list[ImpactChain], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(
            {
                "entity": {"iri": entity, "label": graph.nodes[entity].get("label", "")},
                "chains": [c.to_json(graph) for c in chains],
            },
            ensure_ascii=False,
            indent=2,
        )
    rows = [
        [str(graph.nodes[c.actor].get("label", "")), str(len(c.path)), c.describe(graph)]
        for c in chains
    ]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["actor", "actor_label", "steps", "path"])
        for chain, row in zip(chains, rows, strict=True):
            writer.writerow([chain.actor, *row])
        return out.getvalue().rstrip("\n")
    if fmt == "md":
        lines = ["| actor | stappen | keten |", "| --- | --- | --- |"]
        lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
        return "\n".join(lines)
    if not chains:
        return f"{graph.nodes[entity].get('label', entity)}: geen actoren bereikt"
    return text_table(["actor", "stappen", "keten"], rows, width=200)


def _format_centrality(graph: nx.MultiDiGraph, scores: Mapping[str, float], fmt: str) -> str:
    rows = [[str(graph.nodes[n].get("label", "")), n, f"{s:.4f}"] for n, s in scores.items()]
    if fmt == "json":
        return json.dumps(
            [
                {"iri": n, "label": graph.nodes[n].get("label", ""), "centrality": s}
                for n, s in scores.items()
            ],
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["label", "iri", "centrality"])
        writer.writerows(rows)
        return out.getvalue().rstrip("\n")
    if fmt == "md":
        lines = ["| instrument | IRI | centraliteit |", "| --- | --- | --- |"]
        lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
        return "\n".join(lines)
    return text_table(["instrument", "IRI", "centraliteit"], rows, width=80)


@click.command("impact")
@click.argument("entity", required=False)
@click.option(
    "--centrality",
    is_flag=True,
    help="Instead of chains: rank the instruments by betweenness centrality.",
)
@click.option(
    "--depth",
    type=click.IntRange(min=1, max=12),
    default=6,
    show_default=True,
    help="The longest chain, in steps.",
)
@format_option(["table", "md", "json", "csv"], "Output format.")
@include_drafts_option
@data_option
@endpoint_option
@shared_options
def impact_command(
    entity: str | None,
    centrality: bool,
    depth: int,
    fmt: str,
    data: Path | None,
    endpoint: str | None,
    include_drafts: bool,
) -> None:
    """Show whom ENTITY (a measure, law, instrument …) ends up affecting, and how.

    Each chain follows what the entity prohibits, abolishes, imposes or funds, to the
    instruments and tasks that depend on that, to the actors responsible, obliged or
    affected. ENTITY is an IRI, a prefixed name, type/slug or a unique slug.

    \b
    Examples:
      kg impact maatregel:verbod-op-voorrang-statushouders
      kg impact intrekking-spreidingswet --format md
      kg impact --centrality
    """
    from kg.drafts import view_engine
    from kg.store import open_engine

    if bool(entity) == centrality:
        raise click.UsageError("give an ENTITY or --centrality (not both)")
    graph = project(view_engine(open_engine(data_dir=data, endpoint=endpoint), include_drafts))
    if centrality:
        click.echo(_format_centrality(graph, instrument_centrality(graph), fmt))
        return
    assert entity is not None
    node = resolve_entity(graph, entity)
    click.echo(_format_chains(graph, node, impact_chains(graph, node, max_depth=depth), fmt))
