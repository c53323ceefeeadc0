"""Benchmark of the graph view: how fast a large page becomes interactive in Chromium.

Builds a synthetic graph (by default 5,000 nodes, shaped like the project's data:
measures, instruments, tasks, laws, actors, claims with quotes, and contradiction
findings), writes the page with :mod:`kg.viz`, opens it in headless Debian Chromium and
measures, per run:

* ``interactive_ms``: navigation start to the page's ``kg-interactive`` mark (the first
  frame drawn with the filters, legend and handlers in place);
* ``settled_ms``: navigation start to ``kg-settled`` (the layout frozen: at once above
  1,000 nodes, after at most 2.5 s of physics below);
* ``click_ms``: a click on a node until the details panel shows that node;
* ``search_ms``: typing a label until the search offers it;
* ``filter_ms``: unticking the largest class until its nodes are hidden.

It is a benchmark, not a test: it prints a table, writes JSON to
``benchmarks/results/viz.json`` and exits 1 if the median ``interactive_ms`` exceeds the
target (3,000 ms). Run ``.venv/bin/python benchmarks/bench_viz.py [--nodes N] [--runs R]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.viz import View, ViewInput, build_payload, render_html  # noqa: E402

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

AK = "https://w3id.org/asielketen/def#"
ID = "https://w3id.org/asielketen/id/"
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
TARGET_MS = 3000.0

# (type slug, class, share of the nodes)
KINDS = [
    ("maatregel", "Measure", 0.30),
    ("instrument", "Instrument", 0.15),
    ("taak", "Task", 0.10),
    ("wetsvoorstel", "Bill", 0.08),
    ("wet", "Law", 0.04),
    ("organisatie", "Organisation", 0.05),
    ("groep", "ActorGroup", 0.03),
    ("doel", "Goal", 0.05),
    ("claim", "Objection", 0.20),
]
# (relation, from kind, to kind)
RELATIONS = [
    ("requires", "maatregel", "instrument"),
    ("abolishes", "maatregel", "instrument"),
    ("laidDownIn", "maatregel", "wetsvoorstel"),
    ("imposesTask", "maatregel", "taak"),
    ("responsibleActor", "taak", "groep"),
    ("affects", "maatregel", "groep"),
    ("executedBy", "maatregel", "organisatie"),
    ("hasGoal", "maatregel", "doel"),
    ("amends", "wetsvoorstel", "wet"),
    ("raisedBy", "claim", "organisatie"),
    ("concerns", "claim", "maatregel"),
]
WORDS = (
    "huisvesting opvang statushouders gemeenten voorrang taakstelling doorstroom "
    "inburgering spreiding vergunning terugkeer bijdrage locatie regie uitvoering budget"
).split()


def synthetic_input(nodes: int, seed: int = 7) -> ViewInput:
    """A graph of ``nodes`` nodes, about 1.6 edges a node, and ``nodes // 50`` findings."""
    rng = random.Random(seed)
    by_kind: dict[str, list[str]] = {}
    data: dict[str, Any] = {"nodes": [], "edges": [], "findings": [], "labels": {}}
    source = ID + "bron/synthetisch"
    data["labels"][source] = "Synthetische brief"
    for slug, cls, share in KINDS:
        data["labels"][AK + cls] = cls.lower()
        for i in range(max(1, round(nodes * share))):
            iri = f"{ID}{slug}/{slug}-{i}"
            label = f"{slug} {i}: " + " ".join(rng.sample(WORDS, 3))
            by_kind.setdefault(slug, []).append(iri)
            data["nodes"].append(
                {
                    "iri": iri,
                    "label": label,
                    "types": [AK + cls],
                    "quotes": [{"document": source, "quote": f"Over {label} zegt de brief iets."}],
                }
            )
    data["nodes"] = data["nodes"][:nodes]
    kept = {n["iri"] for n in data["nodes"]}
    for rel, src, dst in RELATIONS:
        data["labels"][AK + rel] = rel
        for iri in by_kind[src]:
            if iri in kept and rng.random() < 0.55:
                target = rng.choice(by_kind[dst])
                if target in kept:
                    data["edges"].append({"from": iri, "to": target, "relation": AK + rel})
    measures = [m for m in by_kind["maatregel"] if m in kept]
    for i in range(nodes // 50):
        a, b = rng.sample(measures, 2)
        data["findings"].append(
            {
                "id": f"f{i}",
                "rule": "instrument-verwijderd",
                "origin": "derived",
                "severity": "hoog",
                "a": {"iri": a, "label": a.rsplit("/", 1)[-1]},
                "b": {"iri": b, "label": b.rsplit("/", 1)[-1]},
                "pivot": {"iri": rng.choice(by_kind["instrument"]), "label": "instrument"},
                "explanation": "A steunt op een instrument dat B afschaft.",
                "sources": [{"document": source, "quote": "een passage"}],
                "corroborated_by": [],
                "valid_from": f"202{rng.randint(3, 6)}-0{rng.randint(1, 9)}-01",
                "valid_until": None,
            }
        )
    data["actor_classes"] = [AK + "Organisation", AK + "ActorGroup"]
    return ViewInput.from_json(data)


def measure_page(path: Path, runs: int) -> list[dict[str, float]]:
    """Open the page ``runs`` times in fresh contexts and time what a reader does."""
    from playwright.sync_api import sync_playwright

    results: list[dict[str, float]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            requests: list[str] = []
            page.on("request", lambda r, sink=requests: sink.append(r.url))
            page.goto(path.as_uri())
            page.wait_for_selector("html[data-ready=true]", state="attached", timeout=60_000)
            interactive = page.evaluate(
                "performance.getEntriesByName('kg-interactive')[0].startTime"
            )
            page.wait_for_selector("html[data-settled=true]", state="attached", timeout=60_000)
            settled = page.evaluate("performance.getEntriesByName('kg-settled')[0].startTime")
            # Click the node nearest the centre of the canvas and wait for its details.
            target = page.evaluate(
                "() => { const n = kgView.network; const c = n.getViewPosition();"
                " let best = null, d = Infinity;"
                " for (const [id, p] of Object.entries(n.getPositions())) {"
                "   const e = (p.x - c.x) ** 2 + (p.y - c.y) ** 2;"
                "   if (e < d) { d = e; best = id; } }"
                " return {id: best, dom: n.canvasToDOM(n.getPositions([best])[best])}; }"
            )
            box = page.locator("#kg-graph canvas").bounding_box()
            assert box is not None
            started = time.perf_counter()
            page.mouse.click(box["x"] + target["dom"]["x"], box["y"] + target["dom"]["y"])
            page.wait_for_function(
                "id => document.getElementById('kg-details-body').dataset.id === id",
                arg=target["id"],
            )
            click = (time.perf_counter() - started) * 1000
            label = page.evaluate("id => kgView.node(id).name", target["id"])
            started = time.perf_counter()
            page.locator("#kg-search").fill(label)
            page.wait_for_selector("#kg-search-results li[role=option]")
            search = (time.perf_counter() - started) * 1000
            first_class = page.locator("#kg-legend input[type=checkbox]").first
            started = time.perf_counter()
            first_class.uncheck()
            page.wait_for_function("() => kgView.nodes.get({filter: n => n.hidden}).length > 0")
            filtering = (time.perf_counter() - started) * 1000
            results.append(
                {
                    "interactive_ms": round(interactive, 1),
                    "settled_ms": round(settled, 1),
                    "click_ms": round(click, 1),
                    "search_ms": round(search, 1),
                    "filter_ms": round(filtering, 1),
                    "requests": float(len(requests)),
                }
            )
            context.close()
        browser.close()
    return results


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        version = subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        version = "unknown"
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "load_average_1m": f"{os.getloadavg()[0]:.1f}",
        "python": platform.python_version(),
        "chromium": version,
        "system": f"{platform.system()} {platform.release()}",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000, help="nodes in the graph")
    parser.add_argument("--runs", type=int, default=5, help="page loads to time")
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "benchmarks" / "results" / "viz.json",
        help="where to write the JSON figures",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    inp = synthetic_input(args.nodes)
    synth_s = time.perf_counter() - started
    started = time.perf_counter()
    payload = build_payload(inp, View("overview"))
    payload_s = time.perf_counter() - started
    started = time.perf_counter()
    page = render_html(payload)
    render_s = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "graph.html"
        path.write_text(page, encoding="utf-8")
        runs = measure_page(path, args.runs)

    summary = {
        key: {
            "median": statistics.median(r[key] for r in runs),
            "max": max(r[key] for r in runs),
        }
        for key in ("interactive_ms", "settled_ms", "click_ms", "search_ms", "filter_ms")
    }
    report = {
        "nodes": len(payload["nodes"]),
        "edges": len(payload["edges"]),
        "findings": len(payload["findings"]),
        "physics": payload["options"]["physics"]["enabled"],
        "html_bytes": len(page.encode("utf-8")),
        "python_s": {
            "synthesise": round(synth_s, 3),
            "payload_and_layout": round(payload_s, 3),
            "render": round(render_s, 3),
        },
        "runs": runs,
        "summary": summary,
        "target_interactive_ms": TARGET_MS,
        "machine": machine(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    print(
        f"graph view: {report['nodes']} nodes, {report['edges']} edges, "
        f"{report['findings']} findings, {report['html_bytes'] / 1e6:.1f} MB HTML"
    )
    print(
        f"python: payload+layout {payload_s:.2f} s, render {render_s:.2f} s; "
        f"physics {'settles live' if report['physics'] else 'off (precomputed layout)'}"
    )
    print(f"{'measure':<16}{'median ms':>12}{'max ms':>12}")
    for key, values in summary.items():
        print(f"{key:<16}{values['median']:>12.0f}{values['max']:>12.0f}")
    print(f"network requests besides the page: {max(r['requests'] for r in runs) - 1:.0f}")
    ok = summary["interactive_ms"]["median"] <= TARGET_MS
    print(f"target: interactive within {TARGET_MS:.0f} ms: {'met' if ok else 'NOT met'}")
    info = report["machine"]
    print(f"machine: {info['cpu']}, {info['cores']} cores, load {info['load_average_1m']}")
    print(f"figures written to {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
