"""Headless Debian Chromium (via Playwright) for the tests that open generated pages.

Playwright never downloads a browser here: it drives ``/usr/bin/chromium``. A page is
opened offline: every request that is not a ``file://`` URL is recorded and aborted,
and what the browser reports (console errors, script errors, dialogs) is recorded.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def chromium() -> Iterator[Any]:
    """Yield a launched headless Chromium (for a fixture); skip without one."""
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        yield instance
        instance.close()


@dataclass
class OfflinePage:
    """An opened page and what it did: errors, requests it tried, dialogs it opened."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_offline(browser: Any, path: Path) -> OfflinePage:
    """Open ``path`` in a new page of ``browser``, with no network."""
    opened = OfflinePage(browser.new_page())

    def on_dialog(dialog: Any) -> None:
        opened.dialogs.append(dialog.message)
        dialog.dismiss()

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith("file://"):
            request_route.continue_()
        else:
            opened.requests.append(url)
            request_route.abort()

    opened.page.on("dialog", on_dialog)
    opened.page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    opened.page.on("pageerror", lambda e: opened.errors.append(str(e)))
    opened.page.route("**/*", route)
    opened.page.goto(path.as_uri())
    return opened
