"""Shared test fixtures.

Every test session gets its own build folder (``KG_BUILD_DIR``), so tests never write
into the project's build/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
EXAMPLE = TESTS / "data" / "example"
"""The example data folder (see tests/data/README.md)."""


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
