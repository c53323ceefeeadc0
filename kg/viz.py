"""The graph view: one self-contained, offline HTML file per view (``kg viz``).

The page is built from ``viz/``: ``template.html``, ``graph.css``, ``graph.js``, the UI
strings (``strings.json``), the style of each class and relation (``styles.json``) and the
vendored vis-network (``viz/vendor/``). Everything is inlined; the page loads nothing.

Data from the graph goes into a ``<script type="application/json">`` block with ``<``,
``>`` and ``&`` escaped, so no label or quote can end the block; the page builds its DOM
with ``textContent`` only. A Content-Security-Policy meta tag allows exactly the page's
own inline script and style (by their SHA-256 hashes) and nothing else.

Node and edge data are made with pyvis (:class:`pyvis.network.Network` for the
vis-network options, :class:`pyvis.node.Node` and :class:`pyvis.edge.Edge` for the items);
the rendering is this module's own template, not pyvis' (which links a CDN and Bootstrap).

Positions are computed here (a breadth-first spiral per connected component, refined by a
grid-accelerated Fruchterman-Reingold pass with a bounded amount of work), so a large
page is interactive as soon as it is drawn. Up to ``PHYSICS_MAX_NODES`` nodes the browser
then lets the layout settle with physics for at most ``SETTLE_MS`` (the reader can already
click and search meanwhile) and freezes it; larger graphs keep the computed positions.

>>> view = parse_view("entity:verbod-op-voorrang-statushouders")
>>> view.kind, view.slug
('entity', 'verbod-op-voorrang-statushouders')
>>> sorted(layout_positions(["a", "b", "c"], [("a", "b")]))
['a', 'b', 'c']
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import json
import math
import re
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.drafts import include_drafts_option
from kg.errors import InputError
from kg.options import data_option, endpoint_option, shared_options
from kg.paths import VIZ_DIR

if TYPE_CHECKING:
    import networkx as nx

    from kg.store import Engine

__all__ = [
    "CONTRADICTION",
    "LANGS",
    "PHYSICS_MAX_NODES",
    "VIEW_KINDS",
    "VIS_NETWORK",
    "View",
    "ViewInput",
    "build_payload",
    "content_security_policy",
    "default_out",
    "layout_positions",
    "load_input",
    "load_terms",
    "local_name",
    "parse_as_of",
    "parse_view",
    "render_html",
    "select_view",
    "viz_command",
    "write_html",
]

VIEW_KINDS = ("overview", "contradictions", "entity", "actor")
LANGS = ("nl", "en")
VIS_NETWORK = Path("vendor") / "vis-network-9.1.2" / "vis-network.min.js"
"""The vendored vis-network build, relative to ``viz/``."""

CONTRADICTION = "contradiction"
"""Relation id of the edges that stand for a contradiction finding."""

PHYSICS_MAX_NODES = 1000
"""Up to this many nodes the browser lets the layout settle with physics."""

SETTLE_MS = 2500
"""The longest the browser runs physics before it freezes the layout."""

AK = "https://w3id.org/asielketen/def#"
RULE_SCHEME = "https://w3id.org/asielketen/id/begrip/tegenstrijdigheid/"
OTHER_CLASS = "other"

_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S*\s*$")
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)?$")


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class View:
    """Which part of the graph a page shows.

    Attributes:
        kind: ``overview``, ``contradictions``, ``entity`` or ``actor``.
        slug: For ``entity`` and ``actor``: the last part of the IRI
            (``verbod-op-voorrang-statushouders``) or type and slug
            (``maatregel/verbod-op-voorrang-statushouders``).
    """

    kind: str
    slug: str | None = None

    @property
    def name(self) -> str:
        """The view as written on the command line.

        >>> View("actor", "vng").name
        'actor:vng'
        """
        return f"{self.kind}:{self.slug}" if self.slug else self.kind


def parse_view(text: str) -> View:
    """Parse ``--view``: ``overview``, ``contradictions``, ``entity:SLUG`` or ``actor:SLUG``.

    Raises:
        InputError: The text is none of these.

    >>> parse_view("overview")
    View(kind='overview', slug=None)
    >>> parse_view("actor:organisatie/vng")
    View(kind='actor', slug='organisatie/vng')
    >>> parse_view("entity:")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: --view entity: needs a slug, e.g. entity:verbod-op-voorrang-statushouders
    """
    kind, sep, slug = text.strip().partition(":")
    if kind not in VIEW_KINDS:
        raise InputError(
            f"--view {text!r} is unknown; use overview, contradictions, entity:SLUG or "
            "actor:SLUG, e.g. --view actor:gemeenten"
        )
    if kind in ("overview", "contradictions"):
        if sep:
            raise InputError(f"--view {kind} takes no slug; drop {':' + slug!r}")
        return View(kind)
    if not slug:
        raise InputError(
            f"--view {kind}: needs a slug, e.g. {kind}:"
            + ("verbod-op-voorrang-statushouders" if kind == "entity" else "gemeenten")
        )
    if not _SLUG.match(slug):
        raise InputError(
            f"--view {text!r}: a slug is lower case letters, digits and hyphens, optionally "
            "after its type, e.g. maatregel/verbod-op-voorrang-statushouders"
        )
    return View(kind, slug)


def parse_as_of(text: str | None) -> str | None:
    """Check ``--as-of`` and return it as an ISO date (or None when not given).

    Raises:
        InputError: The text is not a date in ``YYYY-MM-DD`` form.

    >>> parse_as_of("2025-07-01")
    '2025-07-01'
    >>> parse_as_of("2025-13-45")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: --as-of '2025-13-45' is not a date; write YYYY-MM-DD, e.g. 2025-07-01
    """
    if text is None or text == "":
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InputError(
            f"--as-of {text!r} is not a date; write YYYY-MM-DD, e.g. 2025-07-01"
        ) from None


@dataclass
class ViewInput:
    """What a view is made from.

    Attributes:
        graph: Entities as nodes keyed by IRI, with attributes ``label`` (str),
            ``types`` (class IRIs), optionally ``alt_labels`` (list of str), ``quotes``
            (list of ``{"document": IRI, "quote": str}``), ``events`` (list of
            ``{"type": IRI, "date": str}``), ``valid_from`` and ``valid_until`` (ISO
            dates): the shape :func:`kg.network.project` returns. Edges carry
            ``relation`` (property IRI) and optionally ``quotes``.
        findings: Contradiction findings in the JSON shape of ``kg contradictions``.
        labels: Labels in the page's language for classes, relations, documents and rule
            concepts, by IRI.
        actor_classes: IRIs of ``ak:Actor`` and its subclasses.
    """

    graph: nx.MultiDiGraph
    findings: list[dict[str, Any]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    actor_classes: frozenset[str] = frozenset()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ViewInput:
        """Read a view input from plain JSON data (fixtures, benchmarks, other tools).

        ``data`` has ``nodes`` (each with ``iri`` and the node attributes above), ``edges``
        (each with ``from``, ``to``, ``relation`` and optionally ``quotes``), and
        optionally ``findings``, ``labels`` and ``actor_classes``.

        >>> inp = ViewInput.from_json({"nodes": [{"iri": "x:a", "label": "a"}], "edges": []})
        >>> list(inp.graph.nodes(data="label"))
        [('x:a', 'a')]
        """
        import networkx as nx

        graph = nx.MultiDiGraph()
        for node in data.get("nodes", ()):
            graph.add_node(node["iri"], **{k: v for k, v in node.items() if k != "iri"})
        for edge in data.get("edges", ()):
            attrs = {k: v for k, v in edge.items() if k not in ("from", "to")}
            graph.add_edge(edge["from"], edge["to"], **attrs)
        return cls(
            graph=graph,
            findings=list(data.get("findings", ())),
            labels=dict(data.get("labels", {})),
            actor_classes=frozenset(data.get("actor_classes", ())),
        )


# --------------------------------------------------------------------------- assets


@cache
def _asset(name: str) -> str:
    return (VIZ_DIR / name).read_text(encoding="utf-8")


@cache
def _styles() -> dict[str, Any]:
    styles: dict[str, Any] = json.loads(_asset("styles.json"))
    return styles


@cache
def _strings(lang: str) -> dict[str, str]:
    table: dict[str, dict[str, str]] = json.loads(_asset("strings.json"))
    return table[lang]


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``.

    >>> local_name("https://w3id.org/asielketen/def#Measure")
    'Measure'
    >>> local_name("https://w3id.org/asielketen/id/groep/gemeenten")
    'gemeenten'
    """
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def _iso_day(value: Any) -> str | None:
    """An ISO date for a date of any precision (``2025`` → ``2025-01-01``), or None."""
    if value is None or value == "":
        return None
    text = str(value)
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if not match:
        return None
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    return f"{year}-{month}-{day}"


# --------------------------------------------------------------------------- view selection


def _slug_matches(iri: str, slug: str) -> bool:
    if "/" in slug:
        return iri.endswith("/" + slug)
    return local_name(iri) == slug


def _resolve(graph: nx.MultiDiGraph, view: View, candidates: Iterable[str]) -> str:
    assert view.slug is not None
    pool = list(candidates)
    hits = [iri for iri in pool if _slug_matches(iri, view.slug)]
    if len(hits) == 1:
        return hits[0]
    what = "entity" if view.kind == "entity" else "actor"
    if not hits:
        names = sorted({local_name(iri) for iri in pool})
        close = difflib.get_close_matches(view.slug.split("/")[-1], names, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise InputError(f"--view {view.name}: no {what} with slug {view.slug!r}{hint}")
    options = ", ".join(sorted("/".join(iri.split("/")[-2:]) for iri in hits))
    raise InputError(
        f"--view {view.name}: the slug {view.slug!r} is ambiguous; write the type too, "
        f"one of {options}"
    )


def _is_actor(graph: nx.MultiDiGraph, node: str, actor_classes: frozenset[str]) -> bool:
    return any(t in actor_classes for t in graph.nodes[node].get("types", ()))


def select_view(inp: ViewInput, view: View) -> tuple[set[str], list[dict[str, Any]], str | None]:
    """Choose the nodes, findings and node to focus for a view.

    * ``overview``: everything.
    * ``contradictions``: the two sides and the pivot of every finding, and the actors
      that those point at directly (affected, executing, obliged).
    * ``entity:SLUG``: the entity, its neighbours, and its contradictions with their other
      side and pivot.
    * ``actor:SLUG``: the actor, every impact chain (:func:`kg.network.impact_chains`)
      from a measure that ends at it, the claims it raised and what they concern, and the
      contradictions that involve a measure among them.

    Returns:
        The node IRIs, the findings, and the IRI to focus (entity and actor views).

    Raises:
        InputError: The slug names no node, or more than one.
    """
    graph = inp.graph
    findings = inp.findings
    if view.kind == "overview":
        return set(graph.nodes), list(findings), None

    def sides(finding: dict[str, Any]) -> list[str]:
        out = [finding["a"]["iri"], finding["b"]["iri"]]
        if finding.get("pivot"):
            out.append(finding["pivot"]["iri"])
        return out

    if view.kind == "contradictions":
        keep: set[str] = set()
        for finding in findings:
            keep.update(sides(finding))
        for node in list(keep):
            if node in graph:
                for _, target in graph.out_edges(node):
                    if _is_actor(graph, target, inp.actor_classes):
                        keep.add(target)
        return keep, list(findings), None

    if view.kind == "entity":
        focus = _resolve(graph, view, graph.nodes)
        keep = {focus} | set(graph.successors(focus)) | set(graph.predecessors(focus))
        chosen = [f for f in findings if focus in sides(f)]
        for finding in chosen:
            keep.update(sides(finding))
        return keep, chosen, focus

    from kg.network import impact_chains

    for node, attrs in graph.nodes(data=True):
        attrs.setdefault("actor", _is_actor(graph, node, inp.actor_classes))
    actors = [n for n, is_actor in graph.nodes(data="actor") if is_actor]
    focus = _resolve(graph, view, actors)
    keep = {focus}
    # What reaches the actor: every impact chain from a measure that ends at it.
    for node, types in graph.nodes(data="types"):
        if AK + "Measure" in (types or ()):
            for chain in impact_chains(graph, node):
                if chain.actor == focus:
                    keep.update(n for step in chain.path for n in (step.source, step.target))
    # What the actor says: its claims and what they concern.
    for claim, _, relation in graph.in_edges(focus, data="relation"):
        if relation == AK + "raisedBy":
            keep.add(claim)
            keep.update(
                t for _, t, r in graph.out_edges(claim, data="relation") if r == AK + "concerns"
            )
    chosen = [f for f in findings if f["a"]["iri"] in keep or f["b"]["iri"] in keep]
    for finding in chosen:
        keep.update(sides(finding))
    return keep, chosen, focus


# --------------------------------------------------------------------------- layout


def layout_positions(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str]],
    *,
    spacing: float = 130.0,
    work: int = 1_500_000,
) -> dict[str, tuple[float, float]]:
    """Positions for drawing: deterministic, and linear in the size of the graph.

    Each connected component is laid out on a sunflower spiral in breadth-first order from
    its best-connected node (so neighbours start close), components are packed in rows,
    and a Fruchterman-Reingold pass refines it, with repulsion only between nodes in
    neighbouring grid cells; the number of iterations is chosen so the pass does about
    ``work`` pair computations whatever the size.

    Args:
        nodes: Node ids, in a stable order.
        edges: Pairs of node ids (direction and duplicates do not matter).
        spacing: The preferred distance between neighbours, in pixels.
        work: Budget of pair computations for the refinement.

    >>> pos = layout_positions(["a", "b"], [("a", "b")])
    >>> 40 < math.dist(pos["a"], pos["b"]) < 400
    True
    """
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    adjacency: list[set[int]] = [set() for _ in range(n)]
    for u, v in edges:
        iu, iv = index.get(u), index.get(v)
        if iu is None or iv is None or iu == iv:
            continue
        adjacency[iu].add(iv)
        adjacency[iv].add(iu)
    neighbours = [sorted(adj, key=lambda j: (-len(adjacency[j]), j)) for adj in adjacency]

    # Components in breadth-first order from the node with most neighbours.
    seen = [False] * n
    components: list[list[int]] = []
    for start in sorted(range(n), key=lambda i: (-len(adjacency[i]), i)):
        if seen[start]:
            continue
        seen[start] = True
        order = [start]
        queue = deque([start])
        while queue:
            for j in neighbours[queue.popleft()]:
                if not seen[j]:
                    seen[j] = True
                    order.append(j)
                    queue.append(j)
        components.append(order)
    components.sort(key=lambda comp: (-len(comp), comp[0]))

    xs = [0.0] * n
    ys = [0.0] * n
    golden = math.pi * (3.0 - math.sqrt(5.0))
    radius = [spacing * (0.2 + math.sqrt(len(comp))) for comp in components]
    total_area = sum((2 * r) ** 2 for r in radius)
    row_width = max(2 * radius[0] if radius else 0.0, math.sqrt(total_area) * 1.1)
    cursor_x = cursor_y = row_height = 0.0
    for comp, r in zip(components, radius, strict=True):
        if cursor_x > 0 and cursor_x + 2 * r > row_width:
            cursor_x, cursor_y, row_height = 0.0, cursor_y + row_height + spacing, 0.0
        cx, cy = cursor_x + r, cursor_y + r
        for k, i in enumerate(comp):
            rho = spacing * 0.9 * math.sqrt(k)
            xs[i] = cx + rho * math.cos(k * golden)
            ys[i] = cy + rho * math.sin(k * golden)
        cursor_x += 2 * r + spacing
        row_height = max(row_height, 2 * r)

    _refine(xs, ys, adjacency, spacing, work)

    mx = sum(xs) / n if n else 0.0
    my = sum(ys) / n if n else 0.0
    return {node: (round(xs[i] - mx, 1), round(ys[i] - my, 1)) for i, node in enumerate(nodes)}


def _refine(
    xs: list[float], ys: list[float], adjacency: list[set[int]], k: float, work: int
) -> None:
    """Fruchterman-Reingold with a grid: repulsion within ``2k``, attraction along edges."""
    n = len(xs)
    if n < 2:
        return
    pairs = [(i, j) for i, adj in enumerate(adjacency) for j in adj if i < j]
    # A node meets about 8 others in its neighbouring cells at first; the pass counts the
    # pairs it really computes and stops when the budget is spent, because clusters get
    # denser as it goes.
    per_iteration = 8 * n + len(pairs)
    iterations = max(3, min(60, work // max(per_iteration, 1)))
    spent = 0
    cell = 2.0 * k
    k2 = k * k
    offsets = ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1))
    for step in range(iterations):
        if spent > work:
            break
        temperature = k * (1.0 - step / iterations) + k * 0.02
        dx = [0.0] * n
        dy = [0.0] * n
        grid: dict[tuple[int, int], list[int]] = {}
        for i in range(n):
            grid.setdefault((int(xs[i] // cell), int(ys[i] // cell)), []).append(i)
        for (gx, gy), members in grid.items():
            for ox, oy in offsets:
                others = members if (ox, oy) == (0, 0) else grid.get((gx + ox, gy + oy))
                if not others:
                    continue
                same = others is members
                spent += len(members) * len(others)
                for a_pos, a in enumerate(members):
                    xa, ya = xs[a], ys[a]
                    for b in others[a_pos + 1 :] if same else others:
                        ddx, ddy = xa - xs[b], ya - ys[b]
                        d2 = ddx * ddx + ddy * ddy
                        if d2 >= cell * cell:
                            continue
                        if d2 < 1e-6:
                            ddx, ddy, d2 = 0.1 * ((a - b) % 7 - 3) + 0.05, 0.1, 0.02
                        force = k2 / d2
                        dx[a] += ddx * force
                        dy[a] += ddy * force
                        dx[b] -= ddx * force
                        dy[b] -= ddy * force
        spent += len(pairs) + n
        for a, b in pairs:
            ddx, ddy = xs[a] - xs[b], ys[a] - ys[b]
            d = math.sqrt(ddx * ddx + ddy * ddy) or 0.01
            force = d / k
            dx[a] -= ddx * force
            dy[a] -= ddy * force
            dx[b] += ddx * force
            dy[b] += ddy * force
        for i in range(n):
            length = math.sqrt(dx[i] * dx[i] + dy[i] * dy[i])
            if length > 0:
                scale = min(length, temperature) / length
                xs[i] += dx[i] * scale
                ys[i] += dy[i] * scale


# --------------------------------------------------------------------------- payload


def _class_style(types: Sequence[str]) -> dict[str, Any]:
    styles = _styles()
    names = {local_name(t): t for t in types if t.startswith(AK)}
    for style in styles["classes"]:
        if style["class"] in names:
            return {**style, "iri": names[style["class"]]}
    return {**styles["fallback"], "iri": OTHER_CLASS}


def _rule_label(rule: str, labels: Mapping[str, str]) -> str:
    """The label of a finding's rule; merged findings name their rules joined by ``+``.

    >>> _rule_label("capacity+sequencing", {"capacity": "capaciteit"})
    'capaciteit + sequencing'
    """
    names = []
    for part in rule.split("+"):
        for key in (part, RULE_SCHEME + part):
            if key in labels:
                names.append(labels[key])
                break
        else:
            names.append(local_name(part).replace("-", " ").replace("_", " "))
    return " + ".join(dict.fromkeys(names))


def _node_size(degree: int) -> float:
    """Better connected nodes are drawn a little larger.

    >>> _node_size(0), _node_size(4), _node_size(400)
    (11.0, 16.0, 27.0)
    """
    return round(11.0 + min(16.0, 2.5 * math.sqrt(degree)), 1)


def _network(node_count: int) -> Any:
    """A pyvis Network carrying the vis-network options for a graph of this size."""
    from pyvis.network import Network

    net = Network(directed=True)
    physics = node_count <= PHYSICS_MAX_NODES
    net.toggle_physics(physics)
    # ForceAtlas2 spreads hubs (an actor that half the claims point at) far better than
    # Barnes-Hut in the few seconds the page gives it.
    net.force_atlas_2based(
        gravity=-120,
        central_gravity=0.008,
        spring_length=120,
        spring_strength=0.06,
        damping=0.5,
        overlap=0.4,
    )
    # No stabilisation before the first frame: the page draws the computed layout at once
    # and settles it live for at most SETTLE_MS (graph.js), so it is interactive at once.
    net.toggle_stabilization(False)
    net.options.physics.minVelocity = 1.0
    net.set_edge_smooth("continuous")
    net.options.edges.smooth.enabled = physics
    net.options.edges.color.inherit = False
    net.toggle_hide_edges_on_drag(not physics)
    net.options.interaction.hover = False
    net.options.interaction.navigationButtons = False
    net.options.interaction.keyboard = {"enabled": True, "bindToWindow": False}
    net.options.interaction.zoomSpeed = 0.6
    net.options.nodes = {
        "font": {
            "size": 13,
            "face": "system-ui, sans-serif",
            "color": "#1d1d1f",
            "strokeWidth": 3,
            "strokeColor": "#ffffff",
        },
        "borderWidth": 1,
        "borderWidthSelected": 3,
        "scaling": {"label": {"drawThreshold": 5}},
    }
    net.options.edges.font = {
        "size": 10,
        "color": "#555555",
        "strokeWidth": 3,
        "strokeColor": "#ffffff",
        "align": "middle",
    }
    # A large page adds arrowheads (per edge) only to what is in view (graph.js).
    net.options.edges.arrows = {"to": {"enabled": physics, "scaleFactor": 0.55}}
    net.options.edges.width = 1.2
    net.options.edges.selectionWidth = 2
    net.options.layout = {"improvedLayout": False, "randomSeed": 1}
    return net


def _group(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The vis-network group (shared node style) of a legend entry."""
    group: dict[str, Any] = {
        "shape": entry["shape"],
        "color": {
            "background": entry["color"],
            "border": entry["border"],
            "highlight": {"background": entry["color"], "border": "#111111"},
        },
    }
    if entry["ring"]:
        group["borderWidth"] = 3
    return group


def _compact(item: dict[str, Any]) -> dict[str, Any]:
    """Drop empty optional fields: a 5,000-node page is smaller and parses faster."""
    return {k: v for k, v in item.items() if v is not None and v != [] and v != ""}


def build_payload(
    inp: ViewInput,
    view: View,
    *,
    lang: str = "nl",
    as_of: str | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """The page's data: vis-network nodes, edges and options plus what the panels show.

    Args:
        inp: Graph, findings and labels.
        view: Which part of the graph to show.
        lang: Language of the page's own texts (``nl`` or ``en``); data labels stay Dutch.
        as_of: Initial value of the page's as-of selector (ISO date), or None for all dates.
        title: Page title; by default the title for the language and the view.

    Returns:
        A JSON-ready dict (see ``viz/README.md`` for its shape).

    Raises:
        InputError: Unknown language, or a view slug that names no node.
    """
    from pyvis.edge import Edge
    from pyvis.node import Node

    if lang not in LANGS:
        raise InputError(f"--lang {lang!r} is not supported; use nl or en")
    strings = _strings(lang)
    styles = _styles()
    graph = inp.graph
    keep, findings, focus = select_view(inp, view)

    # Stable order: graph order first, then finding sides missing from the graph.
    order = [node for node in graph.nodes if node in keep]
    extra_labels: dict[str, str] = {}
    for finding in findings:
        for side in (finding["a"], finding["b"], finding.get("pivot")):
            if side and side["iri"] not in graph and side["iri"] not in extra_labels:
                extra_labels[side["iri"]] = side.get("label") or local_name(side["iri"])
                order.append(side["iri"])
    node_id = {iri: f"n{i}" for i, iri in enumerate(order)}

    graph_edges = [
        (u, v, attrs) for u, v, attrs in graph.edges(data=True) if u in node_id and v in node_id
    ]
    pairs = [(u, v) for u, v, _ in graph_edges]
    pairs += [(f["a"]["iri"], f["b"]["iri"]) for f in findings]
    pairs += [(f["a"]["iri"], f["pivot"]["iri"]) for f in findings if f.get("pivot")]
    positions = layout_positions(order, pairs)
    degree = dict.fromkeys(order, 0)
    for u, v in pairs:
        degree[u] += 1
        degree[v] += 1

    net = _network(len(order))

    # Nodes, with one legend entry (and vis-network group) a class.
    classes: dict[str, dict[str, Any]] = {}
    for iri in order:
        attrs = graph.nodes[iri] if iri in graph else {}
        types = [str(t) for t in attrs.get("types", ())]
        style = _class_style(types)
        entry = classes.get(style["iri"])
        if entry is None:
            entry = classes[style["iri"]] = {
                "id": f"k{len(classes)}",
                "iri": style["iri"],
                "label": inp.labels.get(style["iri"]) or style["class"] or strings["other"],
                "shape": style["shape"],
                "color": style["color"],
                "border": style.get("border") or _darker(style["color"]),
                "ring": "border" in style,
                "count": 0,
            }
        entry["count"] += 1
        label = str(attrs.get("label") or extra_labels.get(iri) or local_name(iri))
        x, y = positions[iri]
        options = {"group": entry["id"], "x": x, "y": y, "size": _node_size(degree[iri])}
        type_labels = sorted({inp.labels.get(t) or local_name(t) for t in types})
        node = Node(node_id[iri], style["shape"], label=_wrap(label), **options).options
        node.update(
            _compact(
                {
                    "name": label,
                    "iri": iri,
                    "types": type_labels if type_labels != [entry["label"]] else None,
                    "alt": [str(a) for a in attrs.get("alt_labels", ())],
                    "quotes": _quotes(attrs.get("quotes", ())),
                    "events": [
                        {
                            "type": inp.labels.get(e["type"]) or local_name(e["type"]),
                            "date": str(e["date"]),
                        }
                        for e in attrs.get("events", ())
                    ],
                    "valid_from": _iso_day(attrs.get("valid_from")),
                    "valid_until": _iso_day(attrs.get("valid_until")),
                }
            )
        )
        # Network.add_node checks for duplicates in a list (quadratic); Node is the same dict.
        net.nodes.append(node)
        net.node_ids.append(node["id"])
        net.node_map[node["id"]] = node
    net.options.groups = {entry["id"]: _group(entry) for entry in classes.values()}

    # Edges, with one filter entry a relation.
    relations: dict[str, dict[str, Any]] = {}
    rel_colours: dict[str, str] = styles["relations"]
    for number, (u, v, attrs) in enumerate(graph_edges):
        rel = str(attrs.get("relation", ""))
        entry = relations.get(rel)
        if entry is None:
            entry = relations[rel] = {
                "id": f"r{len(relations)}",
                "iri": rel,
                "label": inp.labels.get(rel) or local_name(rel) or "?",
                "color": rel_colours.get(local_name(rel), rel_colours["default"]),
                "count": 0,
            }
        entry["count"] += 1
        edge = Edge(node_id[u], node_id[v], True, label=entry["label"], color=entry["color"])
        edge.options.update(
            _compact(
                {"id": f"e{number}", "rel": entry["id"], "quotes": _quotes(attrs.get("quotes", ()))}
            )
        )
        net.edges.append(edge.options)

    # Contradictions: an edge between the two sides, and the finding for the panels.
    conflict = styles["contradiction"]
    if findings:
        relations[CONTRADICTION] = {
            "id": CONTRADICTION,
            "iri": CONTRADICTION,
            "label": strings["contradiction"],
            "color": conflict["color"],
            "count": len(findings),
        }
    findings_out: list[dict[str, Any]] = []
    for number, finding in enumerate(findings):
        item = _finding(finding, number, inp.labels, node_id)
        findings_out.append(item)
        edge = Edge(
            item["a_node"],
            item["b_node"],
            True,
            label=item["rule_label"],
            width=conflict["width"],
            dashes=conflict["dashes"],
            color={"color": conflict["color"], "highlight": conflict["highlight"]},
            font={"color": conflict["color"], "size": 12, "bold": True},
            arrows={
                "to": {"enabled": True, "scaleFactor": 0.7},
                "from": {"enabled": True, "scaleFactor": 0.7},
            },
            smooth={"enabled": True, "type": "curvedCW", "roundness": 0.25},
        )
        edge.options.update(id=item["edge"], rel=CONTRADICTION, finding=number)
        net.edges.append(edge.options)

    nodes_out, edges_out, _, _, _, options_json = net.get_network_data()
    documents = {
        q["document"]: inp.labels.get(q["document"]) or local_name(q["document"])
        for item in [*nodes_out, *edges_out, *findings_out]
        for q in item.get("quotes", item.get("sources", []))
    }
    view_label = strings[f"view_{view.kind}"] + (f": {view.slug}" if view.slug else "")
    return {
        "meta": {
            "title": title or f"{strings['title']} \u2014 {view_label}",
            "view": view.name,
            "lang": lang,
            "as_of": as_of,
            "focus": node_id[focus] if focus else None,
            "settle_ms": SETTLE_MS if len(order) <= PHYSICS_MAX_NODES else 0,
            "dim": len(order) <= PHYSICS_MAX_NODES,
            "lazy_labels": len(order) > PHYSICS_MAX_NODES,
        },
        "strings": strings,
        "options": json.loads(options_json),
        "classes": sorted(classes.values(), key=lambda c: (-c["count"], c["label"])),
        "relations": sorted(
            relations.values(), key=lambda r: (r["id"] != CONTRADICTION, -r["count"], r["label"])
        ),
        "documents": documents,
        "nodes": nodes_out,
        "edges": edges_out,
        "findings": findings_out,
    }


def _finding(
    finding: Mapping[str, Any], number: int, labels: Mapping[str, str], node_id: Mapping[str, str]
) -> dict[str, Any]:
    """A finding as the page shows it, with its rule's label and the ids of its nodes."""

    def side(value: Mapping[str, Any] | None) -> dict[str, str] | None:
        if not value:
            return None
        return {
            "iri": str(value["iri"]),
            "label": str(value.get("label") or local_name(value["iri"])),
        }

    a, b, pivot = side(finding["a"]), side(finding["b"]), side(finding.get("pivot"))
    assert a is not None and b is not None
    return {
        "id": str(finding.get("id", number)),
        "rule": str(finding.get("rule", "")),
        "rule_label": _rule_label(str(finding.get("rule", "")), labels),
        "origin": str(finding.get("origin", "")),
        "severity": str(finding.get("severity") or ""),
        "a": a,
        "b": b,
        "pivot": pivot,
        "explanation": str(finding.get("explanation") or ""),
        "sources": _quotes(finding.get("sources", ())),
        "corroborated_by": [str(c) for c in finding.get("corroborated_by", ())],
        "valid_from": _iso_day(finding.get("valid_from")),
        "valid_until": _iso_day(finding.get("valid_until")),
        "edge": f"c{number}",
        "a_node": node_id[a["iri"]],
        "b_node": node_id[b["iri"]],
        "pivot_node": node_id[pivot["iri"]] if pivot else None,
    }


def _wrap(label: str, width: int = 30) -> str:
    """The label broken into lines for drawing (vis-network measures none itself then).

    >>> print(_wrap("eenmalige financiële bijdrage voor versnelde huisvesting van statushouders"))
    eenmalige financiële bijdrage
    voor versnelde huisvesting van
    statushouders
    """
    import textwrap

    lines = textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False)
    if len(lines) > 3:
        lines = [*lines[:2], lines[2].rstrip(".,;:") + " …"]
    return "\n".join(lines) or label


def _quotes(items: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    return [
        {"document": str(q.get("document") or ""), "quote": str(q.get("quote") or "")}
        for q in items
        if q.get("quote")
    ]


def _darker(colour: str) -> str:
    """The colour at 70 % brightness, for node borders.

    >>> _darker("#ffffff")
    '#b2b2b2'
    """
    value = colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return "#" + "".join(f"{int(c * 0.7):02x}" for c in (r, g, b))


# --------------------------------------------------------------------------- rendering


def _json_for_html(payload: Mapping[str, Any]) -> str:
    """JSON that can sit inside a ``<script>`` element: ``<``, ``>`` and ``&`` escaped.

    >>> _json_for_html({"label": "</script><img src=x>"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(scripts: Sequence[str], styles: Sequence[str]) -> str:
    """A policy that allows only the given inline scripts and styles, and no fetches.

    >>> csp = content_security_policy(["x"], ["y"])
    >>> csp.startswith("default-src 'none'; script-src 'sha256-")
    True
    """
    script_src = " ".join(_sha256(s) for s in scripts)
    style_src = " ".join(_sha256(s) for s in styles)
    return (
        f"default-src 'none'; script-src {script_src}; style-src {style_src}; "
        "img-src 'none'; connect-src 'none'; font-src 'none'; object-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def _inline_safe(text: str, tag: str) -> str:
    """The asset, if it can sit inside ``<tag>`` without ending it early.

    ``</script`` would end the element; ``<!--`` could put the HTML parser in the
    "double escaped" state in which the real end tag is missed.
    """
    for needle in (f"</{tag}", "<!--"):
        if needle in text.lower():
            raise InputError(
                f"an asset contains {needle!r} and cannot be inlined; remove it from the asset",
                file=str(VIZ_DIR),
            )
    return text


def render_html(payload: Mapping[str, Any]) -> str:
    """The complete page for a payload from :func:`build_payload`.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("https://w3id.org/asielketen/id/groep/gemeenten", label="gemeenten",
    ...            types=["https://w3id.org/asielketen/def#ActorGroup"])
    >>> page = render_html(build_payload(ViewInput(g), View("overview")))
    >>> page.startswith("<!DOCTYPE html>") and "https://cdn" not in page
    True
    """
    import html

    strings = payload["strings"]
    css = _inline_safe(_asset("graph.css"), "style")
    vis_js = _inline_safe(_SOURCE_MAP.sub("\n", _asset(str(VIS_NETWORK))), "script")
    app_js = _inline_safe(_asset("graph.js"), "script")
    values = {
        "LANG": html.escape(payload["meta"]["lang"]),
        "TITLE": html.escape(payload["meta"]["title"]),
        "NOSCRIPT": html.escape(strings["no_script"]),
        "CSP": html.escape(content_security_policy([vis_js, app_js], [css])),
        "CSS": css,
        "DATA": _json_for_html(payload),
        "VIS_JS": vis_js,
        "APP_JS": app_js,
    }
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], _asset("template.html"))


# --------------------------------------------------------------------------- from the graph


def load_terms(engine: Engine, lang: str) -> tuple[dict[str, str], frozenset[str]]:
    """Labels of classes, properties, concepts, source documents and rules; actor classes.

    A source document is also found by its title, the name findings give it.

    Runs ``viz/queries/terms.rq`` with the page's language; a contradiction rule (by its
    file name) gets the label of its family in ``begrip/tegenstrijdigheid``.
    """
    from kg.queries import catalogue, parse_query, run_query

    query = parse_query(VIZ_DIR / "queries" / "terms.rq", category="viz")
    labels: dict[str, str] = {}
    actors: set[str] = set()
    for row in run_query(engine, query, {"lang": lang}):
        term = str(row["term"].value)
        if "label" in row:
            labels.setdefault(term, str(row["label"].value))
            if "title" in row:
                # Findings name a quote's document by its title (kg contradictions):
                # show it under the same name as the quotes of nodes.
                labels.setdefault(str(row["title"].value), str(row["label"].value))
        if row["actor"].value == "true":
            actors.add(term)
    # A finding names its rule by file name; show the label of the rule's family.
    for rule in catalogue():
        if rule.category == "contradictions" and rule.rule:
            labels.setdefault(rule.name, labels.get(RULE_SCHEME + rule.rule, rule.rule))
    return labels, frozenset(actors)


def write_html(text: str, out: Path) -> Path:
    """Write the page atomically (a reader never sees half a file).

    Raises:
        InputError: The folder cannot be created or written.
    """
    import os
    import tempfile

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".viz-", suffix=".html", dir=out.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, out)
    except OSError as err:
        raise InputError(f"cannot write the page: {err.strerror}; choose another --out", file=out)
    return out


def default_out(view: View) -> Path:
    """Where ``kg viz`` writes a view when ``--out`` is not given.

    >>> default_out(View("overview")).name, default_out(View("actor", "groep/gemeenten")).name
    ('graph.html', 'actor-groep-gemeenten.html')
    """
    from kg.paths import build_dir

    if view.kind == "overview":
        name = "graph"
    elif view.kind == "contradictions":
        name = "contradictions"
    else:
        name = f"{view.kind}-{(view.slug or '').replace('/', '-')}"
    return build_dir() / f"{name}.html"


def load_input(engine: Engine, *, lang: str = "nl") -> ViewInput:
    """Everything a view needs from the graph: projection, findings, labels and quotes.

    The graph (with quotes, events and dates) is :func:`kg.network.project`; the findings
    are :func:`kg.contradictions.find_contradictions` for all dates (the page filters by
    its own as-of selector); labels in the page's language, document titles and actor
    classes come from :func:`load_terms`.
    """
    from kg.contradictions import find_contradictions
    from kg.network import project

    labels, actors = load_terms(engine, lang)
    graph = project(engine)
    findings = [finding.to_json() for finding in find_contradictions(engine)]
    return ViewInput(graph=graph, findings=findings, labels=labels, actor_classes=actors)


@click.command("viz")
@click.option(
    "--view",
    "view_text",
    default="overview",
    show_default=True,
    metavar="VIEW",
    help="What to show: overview, contradictions (the measures in conflict, their pivots "
    "and the affected actors), entity:SLUG or actor:SLUG (e.g. actor:gemeenten, "
    "entity:maatregel/verbod-op-voorrang-statushouders).",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    default=None,
    help="Open the page at this date (YYYY-MM-DD): only what holds then is shown; the "
    "page's date selector changes it. Default: all dates.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default="nl",
    show_default=True,
    help="Language of the page's own texts and of class and relation names; data labels "
    "stay Dutch.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="HTML file to write. Default: build/graph.html (overview), "
    "build/contradictions.html, build/entity-SLUG.html or build/actor-SLUG.html.",
)
@include_drafts_option
@data_option
@endpoint_option
@shared_options
def viz_command(
    view_text: str,
    as_of: str | None,
    lang: str,
    out: Path | None,
    data: Path | None,
    endpoint: str | None,
    include_drafts: bool,
) -> None:
    """Write the interactive graph view: one self-contained HTML file that works offline.

    Search by label, filter by class and relation, pick a date, and click a node or a
    contradiction to read its passages and the documents they come from.
    """
    from kg.drafts import view_engine
    from kg.store import open_engine

    view = parse_view(view_text)
    when = parse_as_of(as_of)
    engine = view_engine(open_engine(data, endpoint), include_drafts)
    payload = build_payload(load_input(engine, lang=lang), view, lang=lang, as_of=when)
    path = write_html(render_html(payload), out or default_out(view))
    click.echo(
        f"wrote {path}: {len(payload['nodes'])} nodes, {len(payload['edges'])} edges, "
        f"{len(payload['findings'])} contradictions"
    )
