"""Click options shared by the kg commands.

Feature modules import these from here (not from :mod:`kg.cli`, which imports the feature
modules to register their commands):

.. code-block:: python

    @click.command("query")
    @data_option
    @endpoint_option
    @shared_options
    def query_command(data: Path | None, endpoint: str | None) -> None: ...

``-v`` and ``--stacktrace`` work before or after the command name; they are kept in
``click.get_current_context().meta`` (see :func:`verbosity` and :func:`wants_stacktrace`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

__all__ = [
    "data_option",
    "endpoint_option",
    "format_option",
    "shared_options",
    "verbosity",
    "wants_stacktrace",
]

F = TypeVar("F", bound=Callable[..., Any])

_VERBOSE = "kg.verbose"
_STACKTRACE = "kg.stacktrace"


def _set_verbose(ctx: click.Context, _param: click.Parameter, value: int) -> None:
    level = max(ctx.meta.get(_VERBOSE, 0), value or 0)
    ctx.meta[_VERBOSE] = level
    if level:
        logging.basicConfig(
            level=logging.DEBUG if level > 1 else logging.INFO,
            format="%(levelname)s %(name)s: %(message)s",
            force=True,
        )


def _set_stacktrace(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    ctx.meta[_STACKTRACE] = ctx.meta.get(_STACKTRACE, False) or bool(value)


def shared_options(func: F) -> F:
    """Add ``-v/--verbose`` (repeatable) and ``--stacktrace`` to a command or group."""
    func = click.option(
        "--stacktrace",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_set_stacktrace,
        help="On an error, print the Python traceback instead of one line.",
    )(func)
    func = click.option(
        "-v",
        "--verbose",
        count=True,
        expose_value=False,
        is_eager=True,
        callback=_set_verbose,
        help="Log progress to stderr (-vv for debug output).",
    )(func)
    return func


def data_option(func: F) -> F:
    """Add ``--data DIR``: a folder laid out like ``data/`` (passed as ``data``)."""
    return click.option(
        "--data",
        "data",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=None,
        help="Data folder laid out like data/ (sources/, graphs/, reference/). "
        "Default: the project's data/.",
    )(func)


def endpoint_option(func: F) -> F:
    """Add ``--endpoint URL``: query a SPARQL 1.1 endpoint instead (passed as ``endpoint``)."""
    return click.option(
        "--endpoint",
        "endpoint",
        metavar="URL",
        default=None,
        help="SPARQL 1.1 endpoint to query instead of the embedded store, "
        "e.g. http://localhost:7878/query.",
    )(func)


def format_option(choices: Sequence[str], help: str) -> Callable[[F], F]:
    """Add ``--format`` (passed as ``fmt``): one of ``choices``, the first by default.

    >>> @click.command()
    ... @format_option(["table", "json"], "Output format.")
    ... def show(fmt: str) -> None:
    ...     click.echo(fmt)
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(show, ["--format", "json"]).output.strip()
    'json'
    """
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help=help,
    )


def verbosity() -> int:
    """How many ``-v`` were given (0 outside a click context)."""
    ctx = click.get_current_context(silent=True)
    return int(ctx.meta.get(_VERBOSE, 0)) if ctx else 0


def wants_stacktrace() -> bool:
    """Whether ``--stacktrace`` was given."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx.meta.get(_STACKTRACE, False)) if ctx else False
