"""The kg command group: help, version, errors, exit codes, build and stats."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg import __version__
from kg.cli import main
from kg.errors import InputError
from kg.options import data_option, shared_options

from .conftest import EXAMPLE


def _run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args))


def test_help_lists_the_commands_and_exit_codes() -> None:
    for flag in ("-h", "--help"):
        result = _run(flag)
        assert result.exit_code == 0
        for command in ("build", "check", "stats"):
            assert f"\n  {command} " in result.stdout
        assert "2 bad input" in result.stdout


def test_version() -> None:
    result = _run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"kg, version {__version__}"


def test_usage_errors_exit_2() -> None:
    assert _run("no-such-command").exit_code == 2
    result = _run("build", "--data", "/no/such/folder")
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_build_prints_counts_per_graph_and_class(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_BUILD_DIR", str(tmp_path))
    first = _run("build", "--data", str(EXAMPLE))
    assert first.exit_code == 0, first.stderr
    assert first.stderr.startswith("Built ")
    rows = dict(line.rsplit(None, 1) for line in first.stdout.splitlines() if line.strip())
    assert rows["graaf:example"] == "334"
    assert rows["ak:Measure"] == "3"
    assert rows["ak:Quote"] == "44"
    again = _run("build", "--data", str(EXAMPLE))
    assert again.stderr.startswith("Up to date: ") and again.stdout == first.stdout
    stats = _run("stats", "--data", str(EXAMPLE))
    assert stats.exit_code == 0 and stats.stdout == first.stdout
    manifest = json.loads(_run("stats", "--data", str(EXAMPLE), "--format", "json").stdout)
    assert manifest["graphs"]["https://w3id.org/asielketen/id/graaf/example"] == 334


def test_stats_without_a_build_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_BUILD_DIR", str(tmp_path / "empty"))
    result = _run("stats", "--data", str(EXAMPLE))
    assert result.exit_code == 2
    assert result.stderr == (
        "error: no build of the current data (never built, or files changed since); "
        "run `kg build` first\n"
    )


def _failing_command() -> click.Group:
    @click.command("fail")
    @data_option
    @shared_options
    def fail(data: Path | None) -> None:
        raise InputError("expected '.'; add it", file="data/graphs/x.trig", line=7, column=3)

    @click.command("crash")
    @shared_options
    def crash() -> None:
        raise RuntimeError("boom")

    return click.Group(commands=[fail, crash])


@pytest.fixture
def with_failing() -> Iterator[click.Group]:
    extra = _failing_command()
    for name, command in extra.commands.items():
        main.add_command(command, name)
    yield main
    for name in extra.commands:
        main.commands.pop(name)


def test_errors_are_one_line_and_exit_2(with_failing: click.Group) -> None:
    result = _run("fail")
    assert result.exit_code == 2
    assert result.stderr == "error: data/graphs/x.trig:7:3: expected '.'; add it\n"


@pytest.mark.parametrize("args", [("--stacktrace", "fail"), ("fail", "--stacktrace")])
def test_stacktrace_before_or_after_the_command(
    with_failing: click.Group, args: tuple[str, ...]
) -> None:
    result = _run(*args)
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and result.stderr.endswith("add it\n")


def test_internal_errors_exit_3_and_say_how_to_report(with_failing: click.Group) -> None:
    result = _run("crash")
    assert result.exit_code == 3
    assert result.stderr.startswith("error: internal error RuntimeError: boom")
    assert "--stacktrace" in result.stderr


def test_python_dash_m_kg() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "kg", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and __version__ in done.stdout
