"""Run the command line as ``python -m kg``."""

from __future__ import annotations

from kg.cli import run

if __name__ == "__main__":
    run()
