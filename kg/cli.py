"""The ``kg`` command line: the only module that prints errors and chooses exit codes.

Exit codes: 0 ok, 1 findings (a check or validation found problems), 2 bad input or
usage (a syntax error, a missing file, an unknown option), 3 an internal error (a bug:
rerun with ``--stacktrace`` and report it).

Each feature module owns its click command; it is registered here with
``main.add_command(...)``, one line a command. Shared options live in :mod:`kg.options`.
"""

from __future__ import annotations

import errno
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
    """A click group that turns kg errors into one-line messages and exit codes."""

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


from kg.build import build_command, stats_command  # noqa: E402
from kg.check import check_command  # noqa: E402
from kg.contradictions import contradictions_command  # noqa: E402
from kg.ingest import ingest_command  # noqa: E402
from kg.network import impact_command  # noqa: E402
from kg.publish import export_command, publish_command  # noqa: E402
from kg.queries import queries_command, query_command  # noqa: E402
from kg.serve import serve_command  # noqa: E402
from kg.synth import synth_command  # noqa: E402
from kg.viz import viz_command  # noqa: E402

main.add_command(build_command)
main.add_command(stats_command)
main.add_command(check_command)
main.add_command(synth_command)
main.add_command(export_command)
main.add_command(publish_command)
main.add_command(serve_command)
main.add_command(queries_command)
main.add_command(query_command)
main.add_command(contradictions_command)
main.add_command(impact_command)
main.add_command(viz_command)
main.add_command(ingest_command)
