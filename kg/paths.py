"""Where the project's folders are.

The tool runs from the repository, so every path is relative to the folder that holds
``pyproject.toml``. The build folder can be moved with the ``KG_BUILD_DIR`` environment
variable (tests point it at a temporary folder).

>>> (PROJECT_ROOT / "pyproject.toml").is_file()
True
>>> DATA_DIR.name
'data'
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT: Path = Path(__file__).resolve().parent.parent
DATA_DIR: Path = PROJECT_ROOT / "data"
ONTOLOGY_DIR: Path = PROJECT_ROOT / "ontology"
SHAPES_DIR: Path = ONTOLOGY_DIR / "shapes"
QUERIES_DIR: Path = PROJECT_ROOT / "queries"
VIZ_DIR: Path = PROJECT_ROOT / "viz"

__all__ = [
    "DATA_DIR",
    "ONTOLOGY_DIR",
    "PROJECT_ROOT",
    "QUERIES_DIR",
    "SHAPES_DIR",
    "VIZ_DIR",
    "build_dir",
]


def build_dir() -> Path:
    """Return the build folder: ``$KG_BUILD_DIR`` if set, else ``PROJECT_ROOT/build``.

    The folder is not created here; writers create it when they need it.

    >>> import os
    >>> old = os.environ.pop("KG_BUILD_DIR", None)
    >>> build_dir() == PROJECT_ROOT / "build"
    True
    >>> os.environ["KG_BUILD_DIR"] = "/tmp/kg-build"
    >>> str(build_dir())
    '/tmp/kg-build'
    >>> _ = os.environ.pop("KG_BUILD_DIR") if old is None else os.environ.update(KG_BUILD_DIR=old)
    """
    env = os.environ.get("KG_BUILD_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return PROJECT_ROOT / "build"
