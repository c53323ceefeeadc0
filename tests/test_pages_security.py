"""Pages built from hostile data: every text escaped, a strict CSP, nothing from data runs.

``tests/data/hostile`` is a data folder that passes ``kg check`` but whose labels,
alternative labels, quotes, document titles and IRIs are script and markup payloads
(``<img src=x onerror=...>``, ``"><script>``, ``</script>``, ``javascript:`` and
``data:`` IRIs, attribute breakers, template syntax). The static site (``kg export
--site``) and the graph view (``kg viz``, every kind of view) are built from it through
the command line, and each page is compared with the same page built from the benign
example data: no element type, event handler attribute, executable script or link
scheme may appear that the benign page does not have, every page carries a
Content-Security-Policy without ``unsafe-inline``, and the payloads are on the page as
text. Finally headless Chromium opens the pages: no dialog opens and nothing is blocked.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import main

from .conftest import EXAMPLE
from .offline_browser import chromium, open_offline

TESTS = Path(__file__).resolve().parent
HOSTILE = TESTS / "data" / "hostile"

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    '"><script>alert(2)</script>',
    "</script><script>alert(3)</script>",
    "' onmouseover='alert(5)' x='",
    "{{7*7}} ${alert(7)} ]]><!--",
]
"""Labels of the hostile data that each page of the view shows somewhere."""
RAW_MARKUP = [p for p in PAYLOADS if "<" in p] + [
    "<svg onload=alert(6)>",
    "<iframe src=\"javascript:alert('bron')\"></iframe>",
    "</title><script>alert('titel')</script>",
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset"}
DATA_TYPES = {"application/json", "application/ld+json"}
VIEWS = ["overview", "contradictions", "entity:maatregel/verbod", "actor:gemeenten"]


@dataclass
class Audit:
    """What a page contains, as a browser's parser would see it."""

    tags: set[str] = field(default_factory=set)
    handlers: list[tuple[str, str, str]] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    data_blocks: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    text: str = ""


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.audit = Audit()
        self._script: dict[str, str | None] | None = None
        self._buffer: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.audit.tags.add(tag)
        named = {k.lower(): v for k, v in attrs}
        for name, value in named.items():
            if name.startswith("on") or name == "srcdoc":
                self.audit.handlers.append((tag, name, value or ""))
            if name in URL_ATTRIBUTES and value is not None:
                self.audit.urls.append(value)
        if tag == "meta" and (named.get("http-equiv") or "").lower() == "content-security-policy":
            self.audit.csp.append(named.get("content") or "")
        if tag == "script":
            self._script = named
            self._buffer = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            body = "".join(self._buffer)
            if (self._script.get("type") or "").lower() in DATA_TYPES:
                self.audit.data_blocks.append(body)
            else:
                self.audit.scripts.append(body if self._script.get("src") is None else "src")
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._buffer.append(data)
        else:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self.audit.text = " ".join(" ".join(self._text).split())


def audit(path: Path) -> Audit:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.audit


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def directive(csp: str, name: str) -> list[str] | None:
    for part in csp.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    return None


def run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.stderr


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Site and views built from the hostile data and from the benign example."""
    root = tmp_path_factory.mktemp("pages")
    out: dict[str, Path] = {}
    for kind, data in (("hostile", HOSTILE), ("benign", EXAMPLE)):
        run("export", "--data", str(data), "--site", str(root / kind / "site"), "--no-validate")
        out[f"{kind}/site"] = root / kind / "site"
        for view in VIEWS:
            if kind == "benign":
                view = {"entity:maatregel/verbod": "entity:maatregel/verbod-op-voorrang"}.get(
                    view, view
                )
            target = root / kind / f"{view.split(':')[0]}.html"
            run("viz", "--data", str(data), "--view", view, "--out", str(target))
            out[f"{kind}/{view.split(':')[0]}"] = target
    return out


def site_pages(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


def assert_safe(page: Path, hostile: Audit, benign: Audit) -> None:
    name = page.name
    assert not hostile.handlers, f"{name}: event handler attributes {hostile.handlers}"
    extra = hostile.tags - benign.tags
    assert not extra, f"{name}: elements the benign page does not have: {sorted(extra)}"
    for url in hostile.urls:
        scheme = "".join(url.split()).lower().split(":", 1)[0] if ":" in url else ""
        assert scheme in ("", "http", "https", "mailto"), f"{name}: link {url!r}"
    assert len(hostile.scripts) == len(benign.scripts), f"{name}: scripts differ in number"
    assert len(hostile.csp) == 1, f"{name}: needs exactly one CSP meta tag"
    csp = hostile.csp[0]
    assert directive(csp, "default-src") == ["'none'"], csp
    script_src = directive(csp, "script-src") or []
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in script_src, csp
    assert directive(csp, "base-uri") == ["'none'"] or "<base" not in page.read_text(), csp
    for body in hostile.scripts:
        assert sha256(body) in script_src, f"{name}: an inline script not allowed by the CSP"
    text = page.read_text(encoding="utf-8")
    for payload in RAW_MARKUP:
        assert payload not in text, f"{name}: raw payload {payload!r} in the HTML"


def test_static_site_pages_escape_hostile_data(pages: dict[str, Path]) -> None:
    benign_pages = site_pages(pages["benign/site"])
    benign = audit(pages["benign/site"] / "index.html")
    for page in benign_pages:
        other = audit(page)
        benign.tags |= other.tags
    hostile_pages = site_pages(pages["hostile/site"])
    assert len(hostile_pages) > 10
    shown: set[str] = set()
    for page in hostile_pages:
        found = audit(page)
        benign_same = pages["benign/site"] / page.relative_to(pages["hostile/site"])
        reference = audit(benign_same) if benign_same.is_file() else benign
        reference.tags |= benign.tags
        assert_safe(page, found, reference)
        shown |= {p for p in PAYLOADS if p in found.text}
        for block in found.data_blocks:
            json.loads(block)
    # The payloads are on the pages as text, not dropped.
    assert shown == set(PAYLOADS)


def test_javascript_and_data_iris_are_text_not_links(pages: dict[str, Path]) -> None:
    seen = False
    for page in site_pages(pages["hostile/site"]):
        found = audit(page)
        if "javascript:alert('seeAlso2')" in found.text:
            seen = True
        assert not any("javascript" in url.lower() for url in found.urls), page
        assert not any(url.lower().startswith("data:") for url in found.urls), page
    assert seen, "the javascript: IRI is not shown on any page"


@pytest.mark.parametrize("view", [v.split(":")[0] for v in VIEWS])
def test_graph_views_escape_hostile_data(pages: dict[str, Path], view: str) -> None:
    page = pages[f"hostile/{view}"]
    found = audit(page)
    assert_safe(page, found, audit(pages[f"benign/{view}"]))
    # The data travels as JSON in an inert block and comes back unchanged.
    assert found.data_blocks, "no JSON data block"
    strings: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            strings.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for block in found.data_blocks:
        assert "</" not in block and "<!--" not in block
        walk(json.loads(block))
    everything = "\n".join(strings)
    assert any(payload in everything for payload in PAYLOADS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium()


def test_nothing_runs_in_a_browser(pages: dict[str, Path], browser: Any) -> None:
    targets = [pages[f"hostile/{v.split(':')[0]}"] for v in VIEWS]
    site = pages["hostile/site"]
    targets += [p for p in site_pages(site) if "maatregel" in p.parts or p.name == "index.html"]
    for target in targets:
        opened = open_offline(browser, target)
        page = opened.page
        page.wait_for_timeout(300)
        # Hover and click everything a reader could; injected handlers would fire now.
        for element in page.query_selector_all("a, li, td, span, button")[:200]:
            try:
                element.hover(timeout=200)
            except Exception:  # noqa: BLE001 - hidden or detached elements cannot be hovered
                continue
        search = page.query_selector("input[type=search], input[type=text]")
        if search is not None:
            search.fill(PAYLOADS[0])
            page.wait_for_timeout(200)
        page.close()
        assert opened.dialogs == [], f"{target.name}: a payload ran: {opened.dialogs}"
        assert opened.errors == [], f"{target.name}: {opened.errors}"
        assert opened.requests == [], f"{target.name}: requested {opened.requests}"
