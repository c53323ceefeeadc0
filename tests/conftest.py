"""Shared test fixtures and helpers.

Every test session gets its own build folder (``KG_BUILD_DIR``), so tests never write
into the project's build/. The helpers start what the end-to-end tests talk to: ``kg``
in a subprocess, and servers (``kg serve``, ``oxigraph serve``) on a free loopback port.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parent
EXAMPLE = TESTS / "data" / "example"
"""The example data folder (see tests/data/README.md)."""

ASK = "query?query=ASK%7B%7D"
"""A query path a SPARQL endpoint answers as soon as it is up."""


@pytest.fixture(autouse=True, scope="session")
def _build_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point ``KG_BUILD_DIR`` at a temporary folder for the whole session."""
    folder = tmp_path_factory.mktemp("build")
    patch = pytest.MonkeyPatch()
    patch.setenv("KG_BUILD_DIR", str(folder))
    yield folder
    patch.undo()


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A writable copy of the example data folder, to break one thing at a time."""
    target = tmp_path / "data"
    shutil.copytree(EXAMPLE, target)
    for path in target.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    return target


def free_port() -> int:
    """A loopback port that nothing listens on (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_kg(
    *args: str,
    build: Path,
    cwd: Path | None = None,
    user: str | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kg ARGS`` with ``build`` as the build folder (as ``user`` if given)."""
    env = dict(os.environ, KG_BUILD_DIR=str(build), PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-m", "kg", *args]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
        env["HOME"] = str(build)
    return subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout, check=False
    )


def wait_until_up(
    url: str, process: subprocess.Popen[Any], timeout: float = 60, what: str = "the server"
) -> None:
    """Return once ``url`` answers 200; fail when ``process`` exits or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited: {process.communicate()}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    raise AssertionError(f"{what} did not come up at {url}")


def stop_process(
    process: subprocess.Popen[Any], sig: int = signal.SIGTERM, timeout: float = 10
) -> None:
    """Send ``sig`` and wait for the process to end; kill it after ``timeout`` seconds."""
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_oxigraph(binary: str, *args: str) -> tuple[subprocess.Popen[bytes], str]:
    """Run ``binary ARGS`` (an ``oxigraph serve`` command) on a free loopback port.

    Returns:
        The process and the server's base URL (``http://127.0.0.1:PORT/``), once its
        query endpoint answers.
    """
    port = free_port()
    process = subprocess.Popen(
        [binary, *args, "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url + ASK, process, timeout=30, what="oxigraph")
    except AssertionError:
        stop_process(process)
        raise
    return process, url
