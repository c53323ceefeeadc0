"""The static site in a real browser (headless Debian Chromium via Playwright), offline.

Every request that is not a ``file://`` URL is recorded and aborted; a page works offline
when nothing is requested from the network, its style sheet applies under its own
Content-Security-Policy, and the browser reports no error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.site import build_site

from .offline_browser import CHROMIUM, chromium, open_offline

TESTS = Path(__file__).resolve().parent
PUBLISH = TESTS / "data" / "publish"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium, or .ci/run)",
)

pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browser") / "site"
    build_site(folder, PUBLISH, validate=False)
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium()


@pytest.mark.parametrize(
    "relative",
    [
        "index.html",
        "id/wet/huisvestingswet-2014.html",
        "id/instrument/voorrang-huisvesting-statushouders.html",
        "def/index.html",
        "klasse/ak-Measure.html",
    ],
)
def test_pages_work_offline_with_their_style(browser: Any, site: Path, relative: str) -> None:
    opened = open_offline(browser, site / relative)
    page = opened.page
    try:
        assert opened.requests == []
        assert opened.errors == []
        # The inline style sheet applied (its CSP hash matched): the header has its border.
        border = page.evaluate(
            "() => getComputedStyle(document.querySelector('header')).borderBottomStyle"
        )
        assert border == "solid"
        assert page.title().endswith("asielketen-kg")
    finally:
        page.close()


def test_links_lead_from_the_home_page_to_a_resource(browser: Any, site: Path) -> None:
    opened = open_offline(browser, site / "index.html")
    page = opened.page
    try:
        page.click('a[href="klasse/ak-Measure.html"]')
        page.wait_for_url("**/klasse/ak-Measure.html")
        page.click('main a:text-is("verbod op voorrang bij huisvesting van statushouders")')
        page.wait_for_url("**/id/maatregel/verbod-op-voorrang-statushouders.html")
        assert "er een verbod wordt ingesteld" in page.inner_text("blockquote")
        assert opened.requests == [] and opened.errors == []
    finally:
        page.close()
