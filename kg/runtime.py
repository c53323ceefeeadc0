"""Process-level tuning shared by the commands: the garbage collector and a quick exit."""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

__all__ = ["exit_without_teardown", "keep_until_exit", "paused_gc"]

_kept: list[Any] | None = None
"""Objects left for the operating system to free; a list only under exit_without_teardown."""


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a command makes many objects at once.

    Loading a million quads and turning query results into rows allocates millions of
    short-lived objects that form no cycles, and every full collection walks all live
    ones: at 100,000 synthetic measures (1.46M quads) ``kg contradictions`` spent about
    5 s of 30 s in collections. Reference counting still frees everything; cycles made
    in the meantime are collected once the collector runs again.

    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def keep_until_exit(*objects: Any) -> None:
    """Leave ``objects`` alive until the process ends, when it ends by
    :func:`exit_without_teardown` (the ``kg`` command line); otherwise do nothing.

    Freeing a loaded graph and its findings object by object takes a while (1.4 s for
    1.46M quads and 8,000 findings) and is of no use to a process that is about to end.
    """
    if _kept is not None:
        _kept.extend(objects)


def exit_without_teardown(main: Callable[[], Any]) -> NoReturn:
    """Run ``main`` (a click command in standalone mode) and end the process at once.

    After flushing the output and the logs, :func:`os._exit` ends the process without
    freeing what :func:`keep_until_exit` kept (as mypy's ``hard_exit`` does). Only the
    console script does this; a program or test that calls the commands in process keeps
    the usual behaviour.
    """
    global _kept
    _kept = []
    code: int
    try:
        main()
        code = 0
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:
            print(stop.code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (kg ... | head) or stream
            code = code or 1
    logging.shutdown()
    os._exit(code)
