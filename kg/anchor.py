"""Find a quote (``oa:exact`` with optional ``oa:prefix``/``oa:suffix``) in a source text.

Source texts come from PDFs and web pages: line breaks fall anywhere and words are split
by a hyphen at the end of a line. A quote anchors when it occurs in the text after
normalising both sides:

* every run of whitespace (including non-breaking spaces and line breaks) becomes one space;
* a hyphen at the end of a line, after a letter and followed by a line break, optional
  spaces and a lower-case letter, is removed with the break ("verantwoordelijk-\\nheid"
  becomes "verantwoordelijkheid"); a hyphen followed by a space ("Asiel- en migratie") is
  kept. Because "Asiel-\\nen" could also be such a hyphen, a quote that does not anchor in
  the joined text is tried again in the text with only whitespace normalised;
* soft hyphens (U+00AD) are dropped: they are invisible in the source.

Nothing else is normalised: curly and straight quotation marks, dashes and letter case
must match as they are, so a quote is evidence of the exact wording.

>>> text = "Gemeenten dragen de dagelijkse verantwoordelijk-\\n  heid voor de opvang."
>>> span = find_quote(text, "dagelijkse verantwoordelijkheid")
>>> text[span.start:span.end]
'dagelijkse verantwoordelijk-\\n  heid'
>>> find_quote(text, "dagelijkse verantwoordelijkheid voor gemeenten") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Span", "find_quote", "normalise"]

_SOFT_HYPHEN = "\u00ad"


@dataclass(frozen=True)
class Span:
    """Where a quote anchors in the source text.

    Attributes:
        start: Offset of the first character of the match in the original source text.
        end: Offset just past the last character of the match in the original text.
        matches: How many places in the text fit the quote (with its prefix and suffix,
            if given). More than one means the quote is ambiguous: add ``oa:prefix`` or
            ``oa:suffix``. ``start``/``end`` are those of the first.
    """

    start: int
    end: int
    matches: int = 1

    @property
    def ambiguous(self) -> bool:
        """True when the quote fits more than one place in the text."""
        return self.matches > 1


def _line_end_hyphen(text: str, i: int) -> int | None:
    """If ``text[i]`` is a line-end hyphen to join, return the index of the next letter."""
    if i == 0 or not text[i - 1].isalpha():
        return None
    j = i + 1
    newlines = 0
    while j < len(text) and text[j] in " \t\r\n\u00a0":
        if text[j] == "\n":
            newlines += 1
        j += 1
    if newlines != 1 or j >= len(text) or not text[j].islower():
        return None
    return j


@lru_cache(maxsize=32)
def _normalise_with_map(text: str, join_hyphens: bool = True) -> tuple[str, tuple[int, ...]]:
    """Normalise ``text`` and map every output character to its offset in ``text``.

    The map has one extra entry at the end (``len(text)``) so that an end offset maps too.
    Cached: a source text is normalised once however many quotes are looked up in it.
    """
    out: list[str] = []
    where: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == _SOFT_HYPHEN:
            i += 1
            continue
        if ch.isspace():
            start = i
            while i < n and (text[i].isspace() or text[i] == _SOFT_HYPHEN):
                i += 1
            out.append(" ")
            where.append(start)
            continue
        if ch == "-" and join_hyphens:
            nxt = _line_end_hyphen(text, i)
            if nxt is not None:
                i = nxt
                continue
        out.append(ch)
        where.append(i)
        i += 1
    where.append(n)
    return "".join(out), tuple(where)


def normalise(text: str, join_hyphens: bool = True) -> str:
    """Normalise whitespace and join words split by a line-end hyphen.

    Args:
        text: Any text.
        join_hyphens: Also join "verantwoordelijk-\\nheid" into one word.

    Returns:
        The text with each whitespace run replaced by one space (leading and trailing
        whitespace kept as one space), hyphenated line ends joined, soft hyphens dropped.

    >>> normalise("Asiel- en\\n\\tmigratie-\\n beleid")
    'Asiel- en migratiebeleid'
    >>> normalise("Asiel-\\nen migratie", join_hyphens=False)
    'Asiel- en migratie'
    >>> normalise("‘curly’ and 'straight'")
    "‘curly’ and 'straight'"
    """
    return _normalise_with_map(text, join_hyphens)[0]


def _occurrences(haystack: str, needle: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of ``needle``."""
    found: list[int] = []
    i = haystack.find(needle)
    while i >= 0:
        found.append(i)
        i = haystack.find(needle, i + 1)
    return found


def _fits(text: str, start: int, end: int, prefix: str | None, suffix: str | None) -> bool:
    """Whether the normalised ``prefix`` ends right before and ``suffix`` starts right after.

    Whitespace at the junction is ignored: curators write ``oa:prefix "de "`` and
    ``oa:prefix "de"`` alike.
    """
    if prefix:
        if not text[:start].rstrip().endswith(prefix.rstrip()):
            return False
    if suffix:
        if not text[end:].lstrip().startswith(suffix.lstrip()):
            return False
    return True


def find_quote(
    source_text: str,
    exact: str,
    prefix: str | None = None,
    suffix: str | None = None,
) -> Span | None:
    """Find where ``exact`` occurs in ``source_text``, as a Web Annotation quote selector.

    Args:
        source_text: The full source text, as read from ``data/sources/NAME.txt``.
        exact: The quoted passage (``oa:exact``).
        prefix: Text right before the passage (``oa:prefix``), to pick one occurrence.
        suffix: Text right after the passage (``oa:suffix``), to pick one occurrence.

    Returns:
        The :class:`Span` of the first fitting occurrence in the original text (its
        ``matches`` tells how many fit), or None when the quote does not occur.

    >>> text = "de taak blijft. Maar de taak blijft niet altijd."
    >>> find_quote(text, "de taak blijft").matches
    2
    >>> span = find_quote(text, "de taak blijft", prefix="Maar")
    >>> (span.start, span.matches)
    (21, 1)
    >>> find_quote(text, "de taak blijft", suffix="niet").start
    21
    >>> find_quote(text, "“de taak”") is None
    True
    """
    for join in (True, False):
        needle = normalise(exact, join).strip()
        if not needle:
            return None
        text, where = _normalise_with_map(source_text, join)
        norm_prefix = normalise(prefix, join) if prefix else None
        norm_suffix = normalise(suffix, join) if suffix else None
        hits = [
            i
            for i in _occurrences(text, needle)
            if _fits(text, i, i + len(needle), norm_prefix, norm_suffix)
        ]
        if hits:
            first = hits[0]
            last = first + len(needle) - 1
            return Span(start=where[first], end=where[last] + 1, matches=len(hits))
    return None
