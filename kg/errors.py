"""Errors raised by the kg library.

Library code raises these and never prints or exits; :mod:`kg.cli` turns them into a
one-line message and an exit code. A message says what is wrong and what to do, and the
error carries the file, line and column it is about where there is one.

>>> err = InputError("expected '.' after the triple; add it", file="data/x.trig", line=3)
>>> str(err)
"data/x.trig:3: expected '.' after the triple; add it"
>>> str(KgError("no build yet; run `kg build` first"))
'no build yet; run `kg build` first'
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["EndpointError", "InputError", "KgError", "QueryError"]


class KgError(Exception):
    """Base class of all errors the kg library raises on purpose.

    Args:
        message: What is wrong and what to do about it.
        file: The file the error is about, if any.
        line: 1-based line in ``file``.
        column: 1-based column in ``file``.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column

    @property
    def location(self) -> str:
        """``file:line:col`` for the parts that are known, or an empty string.

        >>> KgError("x", file="a.ttl", line=2, column=5).location
        'a.ttl:2:5'
        >>> KgError("x", line=2).location
        'line 2'
        """
        parts: list[str] = []
        if self.file is not None:
            parts.append(self.file)
            if self.line is not None:
                parts.append(str(self.line))
                if self.column is not None:
                    parts.append(str(self.column))
            return ":".join(parts)
        if self.line is not None:
            return f"line {self.line}" + (f":{self.column}" if self.column is not None else "")
        return ""

    def __str__(self) -> str:
        location = self.location
        return f"{location}: {self.message}" if location else self.message


class InputError(KgError):
    """A data, ontology, shapes or query file cannot be used as it is (exit code 2)."""


class QueryError(KgError):
    """A query is malformed, unknown, or was given bad parameters."""


class EndpointError(KgError):
    """A remote SPARQL endpoint could not be reached or answered with an error."""
