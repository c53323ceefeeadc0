"""The ``kg`` command line: the only module that prints errors and chooses exit codes.

Exit codes: 0 ok, 1 findings (a check or validation found problems), 2 bad input or
usage (a syntax error, a missing file, an unknown option), 3 an internal error (a bug:
rerun with ``--stacktrace`` and report it).

Each feature module owns its click command; it is registered here with
``main.add_command(...)``, one line a command. Shared options live in :mod:`kg.options`.
"""

from __future__ import annotations

import errno
import importlib
import traceback
from typing import Any, NoReturn

import click

from kg import __version__
from kg.errors import KgError
from kg.options import data_option, endpoint_option, shared_options, wants_stacktrace

__all__ = ["data_option", "endpoint_option", "main", "shared_options"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3

_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM})


class KgGroup(click.Group):
    """A click group that turns kg errors into one-line messages and exit codes.

    Commands are imported when they are used (:meth:`add_lazy_commands`): ``kg query``
    does not pay for the modules of ``kg check`` (rdflib, pyshacl, owlready2) or ``kg
    ingest``. Start-up of a command is then its own imports only.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lazy: dict[str, str] = {}

    def add_lazy_commands(self, commands: dict[str, str]) -> None:
        """Register commands by name as ``"module:attribute"``, imported on first use."""
        self._lazy.update(commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, the lazy ones included, sorted."""
        return sorted({*super().list_commands(ctx), *self._lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command called ``cmd_name``, importing its module the first time."""
        if cmd_name not in self.commands and cmd_name in self._lazy:
            module_name, _, attribute = self._lazy[cmd_name].partition(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{self._lazy[cmd_name]} is not a click command")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse the group's own options; a usage error is one line (see :meth:`invoke`)."""
        try:
            return super().parse_args(ctx, args)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as err:
            click.echo(f"error: {err.format_message()} (see `{ctx.command_path} -h`)", err=True)
            ctx.exit(err.exit_code)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; report :class:`~kg.errors.KgError` as ``error: ...`` (exit 2)."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.exceptions.NoArgsIsHelpError):
            raise
        except click.UsageError as err:
            # One line instead of click's usage block: what is wrong and where to look.
            path = err.ctx.command_path if err.ctx is not None else ctx.command_path
            click.echo(f"error: {err.format_message()} (see `{path} -h`)", err=True)
            ctx.exit(err.exit_code)
        except click.ClickException as err:
            click.echo(f"error: {err.format_message()}", err=True)
            ctx.exit(err.exit_code)
        except KgError as err:
            if wants_stacktrace():
                traceback.print_exc()
            # One line even when a library's message (a parser's) spans several.
            click.echo("error: " + " ".join(str(err).split()), err=True)
            ctx.exit(EXIT_INPUT)
        except OSError as err:
            # A file that cannot be written or read, a full disk: the user's to fix. Other
            # OS errors (sockets) that reach here are bugs.
            if err.filename is None and err.errno not in _DISK_ERRNOS:
                self._internal_error(ctx, err)
            if wants_stacktrace():
                traceback.print_exc()
            where = f"{err.filename}: " if err.filename else ""
            click.echo(
                f"error: {where}cannot write or read: {err.strerror or err}; "
                "check the path, its permissions and free space",
                err=True,
            )
            ctx.exit(EXIT_INPUT)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except Exception as err:  # noqa: BLE001 - the one place that reports bugs
            self._internal_error(ctx, err)

    @staticmethod
    def _internal_error(ctx: click.Context, err: Exception) -> NoReturn:
        if wants_stacktrace():
            traceback.print_exc()
        else:
            click.echo(
                f"error: internal error {type(err).__name__}: {err} "
                "(rerun with --stacktrace and report it)",
                err=True,
            )
        ctx.exit(EXIT_INTERNAL)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="kg")
@shared_options
def main() -> None:
    """asielketen-kg: knowledge graph of Dutch asylum and migration policy.

    Build the graph, check it, query it for contradictions between measures, explore it
    and publish it. Exit codes: 0 ok, 1 findings, 2 bad input or usage, 3 internal error.
    """


assert isinstance(main, KgGroup)
main.add_lazy_commands(
    {
        "build": "kg.build:build_command",
        "stats": "kg.build:stats_command",
        "check": "kg.check:check_command",
        "synth": "kg.synth:synth_command",
        "export": "kg.publish:export_command",
        "publish": "kg.publish:publish_command",
        "serve": "kg.serve:serve_command",
        "queries": "kg.queries:queries_command",
        "query": "kg.queries:query_command",
        "contradictions": "kg.contradictions:contradictions_command",
        "impact": "kg.network:impact_command",
        "viz": "kg.viz:viz_command",
        "ingest": "kg.ingest:ingest_command",
    }
)


def run() -> None:
    """The ``kg`` console script: :data:`main`, ending without freeing a loaded graph."""
    from kg.runtime import exit_without_teardown

    exit_without_teardown(main)
