"""The graph view in a real browser: headless Debian Chromium driven by Playwright.

Playwright never downloads a browser here: it drives ``/usr/bin/chromium`` (installed by
``.ci/run``). Each test opens a generated page from a temporary folder, with every request
other than the page itself recorded and aborted, and checks what a reader would see.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kg.viz import View, ViewInput, build_payload, load_input, render_html

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DATA = Path(__file__).parent / "data" / "viz"
HOSTILE_DATA = DATA / "hostile-data"
AK = "https://w3id.org/asielketen/def#"
ID = "https://w3id.org/asielketen/id/"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium, or .ci/run)",
)

sync_api = pytest.importorskip("playwright.sync_api")


@dataclass
class Opened:
    """A loaded page and what happened while it loaded and ran."""

    page: Any
    url: str
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def node_id(self, iri: str) -> str:
        return str(self.js("iri => kgView.nodeByIri[iri]", iri))

    def drawn_nodes(self) -> int:
        # Nodes vis-network draws: its body's node indices that are not hidden.
        return int(
            self.js(
                "() => kgView.network.body.nodeIndices"
                ".filter(id => !kgView.network.body.nodes[id].options.hidden).length"
            )
        )

    def shown_edges(self) -> list[str]:
        return list(self.js("() => kgView.edges.get({filter: e => !e.hidden}).map(e => e.id)"))

    def click_node(self, node_id: str) -> None:
        box = self.page.locator("#kg-graph canvas").bounding_box()
        point = self.js(
            "id => kgView.network.canvasToDOM(kgView.network.getPositions([id])[id])", node_id
        )
        self.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])

    def details(self) -> str:
        return str(self.page.locator("#kg-details-body").inner_text())


CENTRED_ON = (
    "id => { const c = kgView.network.getViewPosition();"
    " const p = kgView.network.getPositions([id])[id];"
    " return Math.abs(c.x - p.x) < 1 && Math.abs(c.y - p.y) < 1; }"
)


def sample() -> ViewInput:
    return ViewInput.from_json(json.loads((DATA / "sample-graph.json").read_text("utf-8")))


def hostile() -> ViewInput:
    return ViewInput.from_json(json.loads((DATA / "hostile-graph.json").read_text("utf-8")))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_view(browser: Any, tmp_path: Path) -> Iterator[Callable[..., Opened]]:
    contexts: list[Any] = []

    def _open(html: str, name: str = "view.html") -> Opened:
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page, path.as_uri())

        def on_console(message: Any) -> None:
            if message.type in ("error", "warning"):
                opened.console_errors.append(f"{message.type}: {message.text}")

        def on_dialog(dialog: Any) -> None:
            opened.dialogs.append(dialog.message)
            dialog.dismiss()

        def on_route(route: Any) -> None:
            if route.request.url != opened.url:
                route.abort()
            else:
                route.continue_()

        page.on("console", on_console)
        page.on("pageerror", lambda err: opened.console_errors.append(f"pageerror: {err}"))
        page.on("request", lambda request: opened.requests.append(request.url))
        page.on("dialog", on_dialog)
        context.route("**/*", on_route)
        page.add_init_script(
            "window.__csp = [];"
            "document.addEventListener('securitypolicyviolation',"
            " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        page.goto(opened.url)
        page.wait_for_selector("html[data-ready=true]", state="attached", timeout=30_000)
        # Clicks land where the tests compute, so wait until the layout is frozen.
        page.wait_for_selector("html[data-settled=true]", state="attached", timeout=30_000)
        return opened

    yield _open
    for context in contexts:
        context.close()


def overview(inp: ViewInput | None = None, **kwargs: Any) -> str:
    return render_html(build_payload(inp or sample(), View("overview"), **kwargs))


def test_page_loads_with_no_console_errors_and_no_requests(open_view: Callable[..., Opened]):
    opened = open_view(overview())
    opened.page.wait_for_timeout(300)
    assert opened.console_errors == []
    assert opened.requests == [opened.url]
    assert opened.js("() => window.__csp") == []
    assert opened.js("() => performance.getEntriesByType('resource').length") == 0


def test_number_of_nodes_drawn_equals_the_graph(open_view: Callable[..., Opened]):
    inp = sample()
    extra = {f["b"]["iri"] for f in inp.findings} - set(inp.graph.nodes)
    opened = open_view(overview(inp))
    assert opened.drawn_nodes() == inp.graph.number_of_nodes() + len(extra)
    assert len(opened.shown_edges()) == inp.graph.number_of_edges() + len(inp.findings)


def test_clicking_a_node_shows_its_quotes_and_document(open_view: Callable[..., Opened]):
    inp = sample()
    iri = ID + "taak/huisvestingstaakstelling"
    opened = open_view(overview(inp))
    opened.click_node(opened.node_id(iri))
    text = opened.details()
    for quote in inp.graph.nodes[iri]["quotes"]:
        assert quote["quote"] in text
        assert inp.labels[quote["document"]] in text
    assert "huisvestingstaakstelling statushouders" in text
    assert opened.js("() => kgView.network.getSelectedNodes()") == [opened.node_id(iri)]


def test_search_focuses_and_selects_the_node(open_view: Callable[..., Opened]):
    opened = open_view(overview())
    target = opened.node_id(ID + "maatregel/eenmalige-bijdrage-huisvesting-statushouders")
    search = opened.page.locator("#kg-search")
    search.fill("financiele bonus")  # alt label, typed without the diaeresis
    assert opened.page.locator("#kg-search-results li[role=option]").count() == 1
    search.press("Enter")
    assert opened.js("() => kgView.network.getSelectedNodes()") == [target]
    # The view glides to the node (a 400 ms animation) and ends centred on it.
    opened.page.wait_for_function(CENTRED_ON, arg=target, timeout=10_000)
    assert "financiële tegemoetkoming" in opened.details()


def test_search_for_nothing_says_so(open_view: Callable[..., Opened]):
    opened = open_view(overview())
    opened.page.locator("#kg-search").fill("zzzz-bestaat-niet")
    assert opened.page.locator("#kg-search-results").inner_text() == "Niets gevonden"


def test_class_filter_hides_exactly_that_class_and_its_edges(open_view: Callable[..., Opened]):
    inp = sample()
    measure = AK + "Measure"
    measures = {n for n, types in inp.graph.nodes(data="types") if measure in types}
    opened = open_view(overview(inp))
    before = opened.drawn_nodes()
    opened.page.locator(f"input[data-filter=class][data-iri='{measure}']").uncheck()
    assert opened.drawn_nodes() == before - len(measures)
    hidden = set(
        opened.js("() => kgView.nodes.get({filter: n => n.hidden}).map(n => kgView.node(n.id).iri)")
    )
    assert hidden == measures
    shown = opened.js("() => kgView.edges.get({filter: e => !e.hidden})")
    ids = {opened.node_id(m) for m in measures}
    assert all(e["from"] not in ids and e["to"] not in ids for e in shown)
    opened.page.locator(f"input[data-filter=class][data-iri='{measure}']").check()
    assert opened.drawn_nodes() == before


def test_relation_filter_hides_exactly_that_relation(open_view: Callable[..., Opened]):
    inp = sample()
    affects = AK + "affects"
    count = sum(1 for *_, rel in inp.graph.edges(data="relation") if rel == affects)
    opened = open_view(overview(inp))
    before = set(opened.shown_edges())
    opened.page.locator(f"input[data-filter=relation][data-iri='{affects}']").uncheck()
    after = set(opened.shown_edges())
    assert len(before - after) == count
    rels = opened.js(
        "ids => ids.map(id => kgView.data.relations.find(r => r.id === kgView.edge(id).rel).iri)",
        sorted(before - after),
    )
    assert set(rels) == {affects}
    assert opened.drawn_nodes() == inp.graph.number_of_nodes()


def test_contradiction_filter_hides_the_conflict_edges(open_view: Callable[..., Opened]):
    opened = open_view(overview())
    opened.page.locator("input[data-filter=relation][data-id=contradiction]").uncheck()
    assert not any(e.startswith("c") for e in opened.shown_edges())


def test_as_of_date_shows_only_what_holds_then(open_view: Callable[..., Opened]):
    opened = open_view(overview())
    findings = opened.page.locator("#kg-findings button")
    assert findings.count() == 2
    date = opened.page.locator("#kg-asof")
    date.fill("2026-06-01")  # the obligation-without-means finding ends on 2026-01-01
    date.dispatch_event("change")
    assert findings.count() == 1
    assert "prikkel tegenover verbod" in findings.first.inner_text()
    assert "c1" not in opened.shown_edges() and "c0" in opened.shown_edges()
    date.fill("2025-01-01")  # before the bill was sent to consultation
    date.dispatch_event("change")
    assert findings.count() == 0
    bill = ID + "wetsvoorstel/wet-nieuwe-regels-huisvesting-vergunninghouders"
    assert opened.js("id => kgView.nodes.get(id).hidden", opened.node_id(bill)) is True
    opened.page.locator("#kg-asof-clear").click()
    assert findings.count() == 2


def test_initial_as_of_comes_from_the_command(open_view: Callable[..., Opened]):
    opened = open_view(overview(as_of="2026-06-01"))
    assert opened.page.locator("#kg-asof").input_value() == "2026-06-01"
    assert opened.page.locator("#kg-findings button").count() == 1


def test_clicking_a_finding_shows_explanation_and_passages(open_view: Callable[..., Opened]):
    inp = sample()
    opened = open_view(overview(inp))
    opened.page.locator("#kg-findings button").nth(1).click()
    text = opened.details()
    finding = inp.findings[1]
    assert finding["explanation"] in text
    for source in finding["sources"]:
        assert source["quote"] in text
    assert opened.js("() => kgView.network.getSelectedEdges()") == ["c1"]


def test_contradiction_edge_is_drawn_differently(open_view: Callable[..., Opened]):
    opened = open_view(overview())
    style = (
        "id => { const o = kgView.network.body.edges[id].options;"
        " return {width: o.width, color: o.color.color, dashes: o.dashes, label: o.label}; }"
    )
    conflict = opened.js(style, "c0")
    plain = opened.js(style, "e0")
    assert conflict["width"] > 2 * plain["width"]
    assert conflict["color"] != plain["color"]
    assert conflict["dashes"]
    assert conflict["label"] == "prikkel tegenover verbod"


def test_english_interface(open_view: Callable[..., Opened]):
    opened = open_view(overview(lang="en"))
    assert opened.page.locator("html").get_attribute("lang") == "en"
    assert opened.page.locator("#kg-title").inner_text().startswith("Asylum chain")
    assert opened.page.locator("#kg-search").get_attribute("placeholder").startswith("Find")


def test_entity_view_focuses_the_entity(open_view: Callable[..., Opened]):
    html = render_html(build_payload(sample(), View("entity", "huisvestingstaakstelling")))
    opened = open_view(html)
    node = opened.node_id(ID + "taak/huisvestingstaakstelling")
    assert opened.js("() => kgView.network.getSelectedNodes()") == [node]
    opened.page.wait_for_function(CENTRED_ON, arg=node, timeout=10_000)
    assert "huisvestingstaakstelling statushouders" in opened.details()


def test_hostile_labels_open_no_dialog_and_run_no_script(open_view: Callable[..., Opened]):
    inp = hostile()
    opened = open_view(overview(inp))
    page = opened.page
    hostile_iri = ID + "maatregel/hostile"
    opened.click_node(opened.node_id(hostile_iri))
    text = opened.details()
    assert "<img src=x onerror=alert(1)>" in text
    assert "<svg onload=alert('quote')>" in text
    page.locator("#kg-search").fill("<img")
    page.locator("#kg-search-results li[role=option]").first.hover()
    page.locator("#kg-findings button").first.click()
    assert "<img src=x onerror=alert('explanation')>" in opened.details()
    page.locator("#kg-details-body").hover()
    page.wait_for_timeout(300)
    assert opened.dialogs == []
    assert page.locator("img, svg, iframe, b, i").count() == 0
    assert page.locator("script").count() == 3
    assert opened.console_errors == []
    assert opened.js("() => window.__csp") == []


def test_hostile_data_file_through_kg_viz_runs_no_script(
    open_view: Callable[..., Opened], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from click.testing import CliRunner

    from kg.cli import main
    from kg.store import open_engine

    monkeypatch.setenv("KG_BUILD_DIR", str(tmp_path / "build"))
    out = tmp_path / "graph.html"
    result = CliRunner().invoke(main, ["viz", "--data", str(HOSTILE_DATA), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    inp = load_input(open_engine(HOSTILE_DATA))
    assert inp.findings, "the fixture should give a finding, so its labels are shown too"
    opened = open_view(out.read_text("utf-8"), name="hostile-data.html")
    assert opened.drawn_nodes() == inp.graph.number_of_nodes()
    page = opened.page
    opened.click_node(opened.node_id(ID + "maatregel/verbod"))
    assert "<img src=x onerror=alert(1)>" in opened.details()
    page.locator("#kg-findings button").first.click()
    assert "</script><script>alert(2)</script>" in opened.details()
    page.locator("#kg-search").fill("<")
    page.locator("#kg-search-results li[role=option]").first.hover()
    page.wait_for_timeout(300)
    assert opened.dialogs == []
    assert page.locator("img, svg, iframe, b").count() == 0
    assert page.locator("script").count() == 3
    assert opened.console_errors == []
    assert opened.js("() => window.__csp") == []


def test_an_empty_view_still_loads(open_view: Callable[..., Opened]):
    empty = ViewInput.from_json({"nodes": [], "edges": []})
    opened = open_view(render_html(build_payload(empty, View("contradictions"))))
    assert opened.drawn_nodes() == 0
    assert (
        opened.page.locator("#kg-findings").inner_text()
        == "Geen tegenstrijdigheden op deze peildatum."
    )
    assert opened.console_errors == []


def test_large_graph_labels_what_is_in_view_when_zoomed_in(open_view: Callable[..., Opened]):
    nodes = [{"iri": f"{ID}maatregel/m{i}", "label": f"maatregel {i}"} for i in range(1200)]
    edges = [
        {"from": nodes[i]["iri"], "to": nodes[i - 1]["iri"], "relation": AK + "affects"}
        for i in range(1, 1200)
    ]
    large = ViewInput.from_json(
        {"nodes": nodes, "edges": edges, "labels": {AK + "affects": "raakt"}}
    )
    opened = open_view(render_html(build_payload(large, View("overview"))))
    assert opened.drawn_nodes() == 1200
    labelled = "() => kgView.nodes.get({filter: n => n.label !== undefined}).length"
    assert opened.js(labelled) == 0  # at the overview's scale nothing is readable
    target = opened.node_id(nodes[600]["iri"])
    opened.js("id => kgView.focusNode(id)", target)
    opened.page.wait_for_function(CENTRED_ON, arg=target, timeout=20_000)
    opened.page.wait_for_function(
        "id => kgView.nodes.get(id).label === 'maatregel 600'", arg=target, timeout=10_000
    )
    assert 0 < opened.js(labelled) < 1200  # only what is in view
    edge = opened.js("id => kgView.edges.get({filter: e => e.from === id})[0]", target)
    assert edge["label"] == "raakt" and edge["arrows"] == "to"
    assert opened.console_errors == []


MARKER_LINES = """() => [...document.querySelectorAll('#kg-details-body li')].flatMap(li => {
  const link = li.querySelector(':scope > .link');
  if (!link) return [];
  const line = parseFloat(getComputedStyle(link).lineHeight) || 16;
  if (link.getBoundingClientRect().height < 1.5 * line) return [];
  // An empty inline box at the start of the item sits on the line the bullet marks.
  const probe = document.createElement('span');
  li.prepend(probe);
  const offset = probe.getBoundingClientRect().top - link.getBoundingClientRect().top;
  probe.remove();
  return [{text: link.textContent, offset, line}];
})"""


def test_a_wrapped_link_in_the_details_has_its_bullet_on_its_first_line(
    open_view: Callable[..., Opened],
):
    # A link button is an inline block: by default its last line sits on the item's
    # baseline, so the bullet showed beside the last line and one item read as two.
    opened = open_view(overview())
    opened.click_node(opened.node_id(ID + "instrument/voorrang-huisvesting-statushouders"))
    wrapped = opened.js(MARKER_LINES)
    assert wrapped, "the fixture should give a details link that wraps"
    for item in wrapped:
        assert item["offset"] < item["line"], item


def test_template_markers_backslashes_and_line_separators_stay_text(
    open_view: Callable[..., Opened],
):
    # The page is filled from {{NAME}} markers and carries the data as JSON in a script
    # element: a label with a marker, an escape or a JS line terminator must come back
    # exactly as written, not substituted, unescaped or cut.
    label = "{{DATA}} {{CSP}} C:\\map\\n \\u003c 'één' \"twee\" a\u2028b\u2029c ${x} `t`"
    inp = ViewInput.from_json(
        {
            "nodes": [
                {
                    "iri": ID + "maatregel/lastig",
                    "label": label,
                    "types": [AK + "Measure"],
                    "quotes": [{"document": ID + "bron/lastig", "quote": label}],
                }
            ],
            "edges": [],
        }
    )
    opened = open_view(overview(inp))
    assert opened.js("() => kgView.nodes.get().length") == 1
    opened.click_node(opened.node_id(ID + "maatregel/lastig"))
    assert opened.page.locator("#kg-details-body h3").first.text_content() == label
    assert opened.details().count("C:\\map\\n \\u003c") == 2
    opened.page.locator("#kg-search").fill("C:\\map")
    assert label in opened.page.locator("#kg-search-results").text_content()
    assert opened.console_errors == []
