"""The graph view without a browser: views, payload, escaping, CSP, assets and layout."""

from __future__ import annotations

import base64
import hashlib
import html.parser
import json
import math
import random
import re
from pathlib import Path
from typing import Any

import pytest

from kg.errors import InputError
from kg.paths import ONTOLOGY_DIR, VIZ_DIR
from kg.viz import (
    CONTRADICTION,
    VIS_NETWORK,
    View,
    ViewInput,
    build_payload,
    layout_positions,
    parse_as_of,
    parse_view,
    render_html,
    select_view,
)

DATA = Path(__file__).parent / "data" / "viz"
AK = "https://w3id.org/asielketen/def#"
ID = "https://w3id.org/asielketen/id/"


def load(name: str) -> ViewInput:
    return ViewInput.from_json(json.loads((DATA / name).read_text("utf-8")))


class Page(html.parser.HTMLParser):
    """The parts of a generated page the tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.csp = ""
        self._open: tuple[str, dict[str, str | None]] | None = None
        self._text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "meta" and attributes.get("http-equiv") == "Content-Security-Policy":
            self.csp = attributes.get("content") or ""
        if tag in ("script", "style"):
            self._open, self._text = (tag, attributes), []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            text = "".join(self._text)
            if tag == "script":
                self.scripts.append((self._open[1], text))
            else:
                self.styles.append(text)
            self._open = None

    def data(self) -> dict[str, Any]:
        blocks = [text for attrs, text in self.scripts if attrs.get("type") == "application/json"]
        assert len(blocks) == 1
        return dict(json.loads(blocks[0]))


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# ---------------------------------------------------------------- options


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("everything", "is unknown"),
        ("overview:x", "takes no slug"),
        ("actor:", "needs a slug"),
        ("entity:Verbod Op Voorrang", "lower case"),
    ],
)
def test_bad_view_is_an_input_error(text: str, message: str):
    with pytest.raises(InputError, match=message):
        parse_view(text)


@pytest.mark.parametrize("text", ["2025-13-45", "1-7-2025", "gisteren"])
def test_bad_as_of_is_an_input_error(text: str):
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        parse_as_of(text)


def test_unknown_language_is_an_input_error():
    with pytest.raises(InputError, match="nl or en"):
        build_payload(load("sample-graph.json"), View("overview"), lang="de")


# ---------------------------------------------------------------- views


def test_overview_has_every_node_edge_and_finding():
    inp = load("sample-graph.json")
    payload = build_payload(inp, View("overview"))
    assert len(payload["nodes"]) == inp.graph.number_of_nodes()
    assert len(payload["edges"]) == inp.graph.number_of_edges() + len(inp.findings)
    assert {n["iri"] for n in payload["nodes"]} == set(inp.graph.nodes)
    assert len(payload["findings"]) == len(inp.findings)
    counts = {c["iri"]: c["count"] for c in payload["classes"]}
    assert counts[AK + "Measure"] == 3
    assert sum(counts.values()) == inp.graph.number_of_nodes()


def test_contradictions_view_keeps_sides_pivots_and_affected_actors():
    inp = load("sample-graph.json")
    keep, findings, focus = select_view(inp, View("contradictions"))
    sides = {
        ID + "maatregel/verbod-op-voorrang-statushouders",
        ID + "maatregel/eenmalige-bijdrage-huisvesting-statushouders",
        ID + "taak/huisvestingstaakstelling",
        ID + "instrument/voorrang-huisvesting-statushouders",
    }
    actors = {ID + "groep/gemeenten", ID + "groep/statushouders"}
    assert keep == sides | actors
    assert len(findings) == 2 and focus is None


def test_entity_view_is_the_neighbourhood_plus_its_contradictions():
    inp = load("sample-graph.json")
    iri = ID + "taak/huisvestingstaakstelling"
    keep, findings, focus = select_view(inp, View("entity", "huisvestingstaakstelling"))
    assert focus == iri
    neighbours = set(inp.graph.successors(iri)) | set(inp.graph.predecessors(iri))
    assert neighbours | {iri} <= keep
    assert [f["rule"] for f in findings] == ["taak-zonder-middelen"]
    payload = build_payload(inp, View("entity", "taak/huisvestingstaakstelling"))
    assert payload["meta"]["focus"] == next(n["id"] for n in payload["nodes"] if n["iri"] == iri)


def test_actor_view_reaches_the_measures_through_a_task():
    inp = load("sample-graph.json")
    keep, findings, focus = select_view(inp, View("actor", "gemeenten"))
    assert focus == ID + "groep/gemeenten"
    assert ID + "taak/huisvestingstaakstelling" in keep  # points at gemeenten
    assert ID + "maatregel/verbod-op-voorrang-statushouders" in keep  # retains that task
    assert ID + "organisatie/vng" not in keep
    assert len(findings) == 2


def test_actor_view_shows_the_claims_the_actor_raised():
    inp = load("sample-graph.json")
    keep, _, focus = select_view(inp, View("actor", "vng"))
    assert focus == ID + "organisatie/vng"
    assert ID + "claim/vng-verbod-voorrang-haaks-op-bonus" in keep


def test_actor_view_refuses_a_non_actor():
    with pytest.raises(InputError, match="no actor with slug 'huisvestingstaakstelling'"):
        select_view(load("sample-graph.json"), View("actor", "huisvestingstaakstelling"))


def test_unknown_slug_suggests_close_ones():
    with pytest.raises(InputError, match="did you mean huisvestingstaakstelling"):
        select_view(load("sample-graph.json"), View("entity", "huisvestingstaakstelingen"))


def test_ambiguous_slug_asks_for_the_type():
    inp = load("sample-graph.json")
    inp.graph.add_node(ID + "instrument/gemeenten", label="x", types=[AK + "Instrument"])
    with pytest.raises(InputError, match="ambiguous.*groep/gemeenten, instrument/gemeenten"):
        select_view(inp, View("entity", "gemeenten"))
    keep, _, focus = select_view(inp, View("entity", "groep/gemeenten"))
    assert focus == ID + "groep/gemeenten"


def test_finding_side_missing_from_the_graph_still_gets_a_node():
    inp = load("hostile-graph.json")
    payload = build_payload(inp, View("overview"))
    iris = [n["iri"] for n in payload["nodes"]]
    assert ID + "maatregel/elsewhere" in iris
    assert len(iris) == inp.graph.number_of_nodes() + 1


# ---------------------------------------------------------------- payload


def test_contradiction_edges_are_styled_and_labelled_by_rule():
    payload = build_payload(load("sample-graph.json"), View("overview"))
    conflicts = [e for e in payload["edges"] if e["rel"] == CONTRADICTION]
    plain = [e for e in payload["edges"] if e["rel"] != CONTRADICTION]
    assert [e["label"] for e in conflicts] == ["prikkel tegenover verbod", "taak zonder middelen"]
    assert all(e["width"] > payload["options"]["edges"]["width"] * 2 for e in conflicts)
    assert {e["color"]["color"] for e in conflicts}.isdisjoint({e["color"] for e in plain})
    assert payload["relations"][0]["id"] == CONTRADICTION


def test_relations_and_classes_carry_dutch_or_english_labels():
    inp = load("sample-graph.json")
    nl = build_payload(inp, View("overview"), lang="nl")
    en = build_payload(inp, View("overview"), lang="en")
    assert "verbiedt" in {r["label"] for r in nl["relations"]}
    assert nl["strings"]["legend"] == "Soorten" and en["strings"]["legend"] == "Kinds"
    assert nl["meta"]["title"].endswith("overzicht") and en["meta"]["title"].endswith("overview")
    assert {n["name"] for n in nl["nodes"]} == {n["name"] for n in en["nodes"]}


def test_partial_dates_become_the_first_day_of_their_period():
    inp = load("sample-graph.json")
    inp.findings[0]["valid_from"] = "2025"
    inp.findings[1]["valid_until"] = "2026-03"
    payload = build_payload(inp, View("overview"))
    assert payload["findings"][0]["valid_from"] == "2025-01-01"
    assert payload["findings"][1]["valid_until"] == "2026-03-01"


def test_large_graph_is_drawn_with_physics_off_and_small_one_settles_briefly():
    small = build_payload(load("sample-graph.json"), View("overview"))
    assert small["options"]["physics"]["enabled"] is True
    assert small["options"]["physics"]["stabilization"]["enabled"] is False  # drawn at once
    assert 0 < small["meta"]["settle_ms"] <= 3000
    assert all("x" in n and "y" in n for n in small["nodes"])
    nodes = [{"iri": f"{ID}maatregel/m{i}", "label": f"m{i}"} for i in range(1200)]
    edges = [
        {"from": nodes[i]["iri"], "to": nodes[i - 1]["iri"], "relation": AK + "affects"}
        for i in range(1, 1200)
    ]
    large = build_payload(ViewInput.from_json({"nodes": nodes, "edges": edges}), View("overview"))
    assert large["options"]["physics"]["enabled"] is False
    assert large["meta"]["settle_ms"] == 0
    # Labels and arrowheads come per edge, for what is in view (graph.js).
    assert large["meta"]["lazy_labels"] is True and small["meta"]["lazy_labels"] is False
    assert large["options"]["edges"]["arrows"]["to"]["enabled"] is False
    assert all(e["arrows"] == "to" for e in large["edges"])
    assert all("x" in n and "y" in n for n in large["nodes"])


# ---------------------------------------------------------------- the page


def test_page_is_self_contained_with_no_remote_reference():
    page_text = render_html(build_payload(load("sample-graph.json"), View("overview")))
    page = Page(page_text)
    for tag, attrs in page.tags:
        assert tag not in ("link", "iframe", "img", "object", "embed", "base")
        for name in ("src", "href", "action"):
            assert name not in attrs, (tag, attrs)
    assert "sourceMappingURL" not in page_text
    assert "@import" not in page.styles[0] and "url(" not in page.styles[0]


def test_csp_allows_exactly_the_inline_scripts_and_style():
    page = Page(render_html(build_payload(load("sample-graph.json"), View("overview"))))
    directives = dict(d.strip().split(" ", 1) for d in page.csp.split(";"))
    assert directives["default-src"] == "'none'"
    executable = [text for attrs, text in page.scripts if "type" not in attrs]
    assert len(executable) == 2
    assert directives["script-src"].split() == [sha256(text) for text in executable]
    assert directives["style-src"].split() == [sha256(text) for text in page.styles]
    assert "unsafe" not in page.csp and "http" not in page.csp


def test_data_block_round_trips_and_cannot_be_escaped_from():
    inp = load("hostile-graph.json")
    payload = build_payload(inp, View("overview"))
    text = render_html(payload)
    page = Page(text)
    assert page.data() == json.loads(json.dumps(payload))
    block = next(t for a, t in page.scripts if a.get("type") == "application/json")
    assert "<" not in block and ">" not in block and "&" not in block
    # The page holds exactly the template's three scripts: no label opened another.
    assert len(page.scripts) == 3
    assert [tag for tag, _ in page.tags].count("script") == 3
    assert "<img" not in text and "<svg" not in text and "<iframe" not in text


def test_title_is_escaped():
    payload = build_payload(load("sample-graph.json"), View("overview"), title="<b>&</b>")
    text = render_html(payload)
    assert "<title>&lt;b&gt;&amp;&lt;/b&gt;</title>" in text


# ---------------------------------------------------------------- assets


def test_vendored_vis_network_is_the_recorded_file_with_its_licences():
    folder = VIZ_DIR / VIS_NETWORK.parent
    digest = hashlib.sha256((VIZ_DIR / VIS_NETWORK).read_bytes()).hexdigest()
    assert digest in (folder / "README.md").read_text("utf-8")
    assert "MIT License" in (folder / "LICENSE-MIT").read_text("utf-8")
    assert "Apache License" in (folder / "LICENSE-APACHE-2.0").read_text("utf-8")


def test_every_ontology_class_has_a_style():
    import rdflib
    from rdflib.namespace import OWL, RDF

    graph = rdflib.Graph().parse(ONTOLOGY_DIR / "asielketen.ttl")
    classes = {
        str(c)[len(AK) :] for c in graph.subjects(RDF.type, OWL.Class) if str(c).startswith(AK)
    }
    styles = json.loads((VIZ_DIR / "styles.json").read_text("utf-8"))
    styled = [s["class"] for s in styles["classes"]]
    assert classes - set(styled) == set()
    assert len(styled) == len(set(styled))
    shapes = {s["shape"] for s in styles["classes"]}
    assert shapes <= {
        "dot",
        "square",
        "diamond",
        "triangle",
        "triangleDown",
        "star",
        "hexagon",
        "box",
    }


def test_every_ui_string_exists_in_both_languages():
    strings = json.loads((VIZ_DIR / "strings.json").read_text("utf-8"))
    assert set(strings["nl"]) == set(strings["en"])
    template = (VIZ_DIR / "template.html").read_text("utf-8")
    script = (VIZ_DIR / "graph.js").read_text("utf-8")
    used = set(re.findall(r'data-i18n="([a-z_]+)"', template)) | set(
        re.findall(r"\bS\.([a-z_]+)", script)
    )
    assert used - set(strings["nl"]) == set()


def test_the_script_never_writes_html():
    script = (VIZ_DIR / "graph.js").read_text("utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script


# ---------------------------------------------------------------- layout


def test_layout_is_deterministic_and_spreads_nodes():
    rng = random.Random(3)
    nodes = [f"n{i}" for i in range(300)]
    edges = [(f"n{i}", f"n{rng.randrange(i)}") for i in range(1, 300)]
    first = layout_positions(nodes, edges)
    assert first == layout_positions(nodes, edges)
    points = list(first.values())
    closest = min(math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1 :])
    assert closest > 10
    edge_lengths = sorted(math.dist(first[u], first[v]) for u, v in edges)
    assert edge_lengths[len(edge_lengths) // 2] < 400  # neighbours stay near each other


def test_layout_keeps_components_apart():
    nodes = [f"a{i}" for i in range(20)] + [f"b{i}" for i in range(20)]
    edges = [(f"a{i}", f"a{i + 1}") for i in range(19)] + [
        (f"b{i}", f"b{i + 1}") for i in range(19)
    ]
    pos = layout_positions(nodes, edges)
    gap = min(math.dist(pos[f"a{i}"], pos[f"b{j}"]) for i in range(20) for j in range(20))
    assert gap > 50


def test_layout_of_nothing_and_of_one_node():
    assert layout_positions([], []) == {}
    assert layout_positions(["only"], [("only", "only")]) == {"only": (0.0, 0.0)}
