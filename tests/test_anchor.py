"""Quote anchoring: whitespace, line-end hyphenation, quotation marks, prefix/suffix."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.anchor import find_quote, normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("verantwoordelijk-\nheid", "verantwoordelijkheid"),
        ("verantwoordelijk-\n   heid", "verantwoordelijkheid"),
        ("verantwoordelijk-\r\nheid", "verantwoordelijkheid"),
        ("Asiel- en migratie", "Asiel- en migratie"),
        ("Voorbeeld-\nLand", "Voorbeeld- Land"),  # upper case after the break: kept
        ("2024-\n2025", "2024- 2025"),  # not after a letter: kept
        ("regie-\n\nheid", "regie- heid"),  # a blank line is a paragraph, not a split word
        ("a \t\u00a0 b\n\nc", "a b c"),
        ("soft\u00adhyphen", "softhyphen"),
        ("‘curly’ “quotes”", "‘curly’ “quotes”"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_quote_across_hyphenated_line_break_maps_back_to_the_original_text() -> None:
    text = "Gemeenten dragen de dagelijkse verantwoordelijk-\nheid voor de opvang."
    span = find_quote(text, "dagelijkse verantwoordelijkheid voor")
    assert span is not None and not span.ambiguous
    assert text[span.start : span.end] == "dagelijkse verantwoordelijk-\nheid voor"


def test_quote_that_does_not_occur() -> None:
    assert find_quote("De VNG vindt dit onwenselijk.", "De VNG vindt dit wenselijk") is None


def test_curly_and_straight_quotes_are_not_interchangeable() -> None:
    text = "Wij vinden dat deze voorstellen ‘haaks op elkaar staan’."
    assert find_quote(text, "‘haaks op elkaar staan’") is not None
    assert find_quote(text, "'haaks op elkaar staan'") is None


def test_hyphen_before_a_word_that_is_not_split_still_anchors_unjoined() -> None:
    text = "het Asiel-\nen migratiebeleid"
    assert normalise(text) == "het Asielen migratiebeleid"
    span = find_quote(text, "het Asiel- en migratiebeleid")
    assert span is not None
    assert text[span.start : span.end] == text


def test_ambiguity_is_reported_and_resolved_by_prefix_or_suffix() -> None:
    text = "Het verbod geldt. Wij maken bezwaar tegen het verbod, omdat het verbod schaadt."
    span = find_quote(text, "het verbod")
    assert span is not None and span.matches == 2 and span.ambiguous
    by_prefix = find_quote(text, "het verbod", prefix="bezwaar tegen ")
    assert by_prefix is not None and by_prefix.matches == 1
    assert text[by_prefix.start - 14 : by_prefix.start] == "bezwaar tegen "
    by_suffix = find_quote(text, "het verbod", suffix=" schaadt")
    assert by_suffix is not None and by_suffix.matches == 1 and by_suffix.start > by_prefix.start
    assert find_quote(text, "het verbod", prefix="niemand") is None


def test_empty_quote_never_anchors() -> None:
    assert find_quote("tekst", "  \n ") is None


@given(
    words=st.lists(st.text(alphabet="abcdeéfghij", min_size=1, max_size=8), min_size=1,
                   max_size=12),
    seps=st.lists(st.sampled_from([" ", "  ", "\n", " \n  ", "\t"]), min_size=12, max_size=12),
)
def test_any_quote_anchors_whatever_the_line_breaks(words: list[str], seps: list[str]) -> None:
    text = "".join(w + s for w, s in zip(words, seps, strict=False)).strip()
    quote = " ".join(words)
    span = find_quote(text, quote)
    assert span is not None
    assert normalise(text[span.start : span.end]) == quote
