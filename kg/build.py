"""``kg build`` and ``kg stats``: the embedded store and what it holds.

``kg build`` parses the ontology and the data folder into the on-disk Oxigraph store under
the build folder (reused while the inputs are unchanged, see :mod:`kg.store`) and prints
the number of statements per named graph and of entities per class. ``kg stats`` prints
the same for the existing build of the current inputs.
"""

from __future__ import annotations

from pathlib import Path

import click

from kg.check import compact
from kg.dataset import display_path
from kg.errors import KgError
from kg.options import data_option, format_option, shared_options
from kg.store import BuildInfo, build_store, current_build

__all__ = ["build_command", "format_counts", "stats_command"]


def format_counts(info: BuildInfo) -> str:
    """Render a build's counts as two aligned tables (graphs, then classes).

    >>> info = BuildInfo("ab" * 32, Path("build/store-x"), ["a.trig"], 3,
    ...     {"https://w3id.org/asielketen/id/graaf/x": 3},
    ...     {"https://w3id.org/asielketen/def#Measure": 1}, "2025-01-01T00:00:00Z")
    >>> print(format_counts(info))
    named graph   quads
    graaf:x           3
    total             3
    <BLANKLINE>
    class       entities
    ak:Measure         1
    """
    graphs = sorted((compact(g), n) for g, n in info.graphs.items())
    classes = sorted(
        ((compact(c), n) for c, n in info.classes.items()), key=lambda item: (-item[1], item[0])
    )
    width = max([len(name) for name, _ in graphs + classes] + [len("named graph"), 5])
    lines = [f"{'named graph':<{width}} {'quads':>7}"]
    lines += [f"{name:<{width}} {n:>7}" for name, n in graphs]
    lines.append(f"{'total':<{width}} {info.quads:>7}")
    lines.append("")
    lines.append(f"{'class':<{width}} {'entities':>8}")
    lines += [f"{name:<{width}} {n:>8}" for name, n in classes]
    return "\n".join(lines)


def _emit(info: BuildInfo, fmt: str, verb: str) -> None:
    if fmt == "json":
        click.echo(info.to_json())
        return
    click.echo(
        f"{verb} {display_path(info.path)}: {len(info.files)} files, {info.quads} quads, "
        f"{len(info.graphs)} named graphs",
        err=True,
    )
    click.echo(format_counts(info))


_FORMAT = format_option(
    ["table", "json"], "Counts as aligned tables or as the JSON build manifest."
)


@click.command("build")
@data_option
@click.option(
    "--force/--no-force",
    default=False,
    show_default=True,
    help="Rebuild even when a build of the same inputs exists.",
)
@_FORMAT
@shared_options
def build_command(data: Path | None, force: bool, fmt: str) -> None:
    """Build the embedded store from the ontology and data; print counts per graph and class."""
    info = build_store(data, force=force)
    _emit(info, fmt, "Up to date:" if info.reused else "Built")


@click.command("stats")
@data_option
@_FORMAT
@shared_options
def stats_command(data: Path | None, fmt: str) -> None:
    """Print counts per named graph and per class for the current build."""
    info = current_build(data)
    if info is None:
        raise KgError(
            "no build of the current data (never built, or files changed since); "
            "run `kg build` first"
        )
    _emit(info, fmt, "Build")

