"""``kg ingest``: turn a new source document into a draft named graph for review.

New letters, position papers and parliamentary papers appear every few weeks. ``kg ingest
FILE.txt`` registers one (copies it to ``sources/`` and describes it in ``sources.ttl``) and
writes what it can find in it to ``graphs/NAME.trig``, the named graph ``graaf:NAME``:

* every mention of an entity the graph already knows, as a quote anchored in the new text
  (``ak:hasQuote`` on that entity), found by the :class:`Matcher`;
* candidates for new entities: law and bill names, amendments, novelles, Kamerstuk
  numbers, abbreviations, dates (as lifecycle events, the year inferred from the document's
  date where the text leaves it out) and figures with their unit;
* candidate objections and conflict statements: sentences with words such as "haaks op
  elkaar", "onuitvoerbaar", "zorgen over", attributed to the actor the sentence says them
  of ("De Raad van State oordeelde …", "Volgens de VNG …"), else to the publisher.

Nothing in the draft is a fact yet: the graph node and every candidate carry
``ak:reviewStatus beoordeling:concept``, ``kg check`` lists them as drafts, and the query
layer leaves the graph out unless given ``--include-drafts`` (:mod:`kg.drafts`). A curator
reviews and promotes it (``data/README.md``, "Reviewing an ingested document").

Ingesting is idempotent (the same input writes the same bytes, and unchanged files are not
rewritten) and never changes a curated graph. :func:`build_report` says what the text
mentions that the graph lacks, what it says about known entities, and which existing
contradictions it touches.

>>> vocabulary = Vocabulary({"urn:coa": Known("urn:coa", "Centraal Orgaan opvang asielzoekers",
...     frozenset(), ["Centraal Orgaan opvang asielzoekers", "COA"])}, [])
>>> text = Text.read("Het COA ziet knelpunten in de opvang.")
>>> [(m.iri, text.text[m.start:m.end]) for m in vocabulary.matcher().find(text)]
[('urn:coa', 'COA')]
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.anchor import find_quote, normalise
from kg.drafts import INGEST_HEADER, INGEST_NOTE
from kg.errors import InputError
from kg.namespaces import AK, BEGRIP, ONTOLOGY_GRAPH, PREFIXES
from kg.options import data_option, shared_options

if TYPE_CHECKING:
    import rdflib

    from kg.contradictions import Finding

AK_IRI = str(AK._NS)
DRAFT = str(BEGRIP["beoordeling/concept"])
"""Review status of everything ``kg ingest`` proposes (``beoordeling:concept``)."""

# --------------------------------------------------------------------------- text

STOPWORDS = frozenset(
    """
    de het een en of van voor op in uit bij met aan tot naar over om te door als die dat
    dit deze zijn is wordt worden werd niet ook nog wel er zij ze we wij ons onze hun haar
    zich u je hij zo al dan maar want nu geen meer is was waren heeft hebben had kan kunnen
    zal zullen moet moeten mag mogen wil willen wat wie waar hoe zoals tussen tegen sinds
    na onder zonder via per dus daar hier waarin waarmee daarmee daarbij daarin hierover
    hiervan """.split()
)
"""Dutch function words: not content in a name, never a mention on their own."""

SKIPPABLE = frozenset({"de", "het", "een", "en", "t"})
"""Words a name and the text may differ in (articles, the 'en' of 'Migratie & Integratie')."""

_WORD = re.compile(r"[^\W_]+(?:[&+][^\W_]*)*(?:['’]s\b)?")
_SENTENCE_END = re.compile(
    r"[.!?](?=\s+[\"“‘'(•\-–]*[A-Z0-9ÀÁÂÄÈÉÊËÍÏÓÔÖÚÜ])|[•▪●]|\s[–-]\s(?=[A-Z])"
)
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+\.(?:pdf|html?)\b")
_ABBREVIATIONS = frozenset("nr jl mr bijv o.a ca dhr mevr vs art lid".split())


def fold(word: str) -> str:
    """Lower-case ``word`` and drop diacritics and apostrophes (``Oekraïne`` -> ``oekraine``).

    >>> fold("Beëindiging")
    'beeindiging'
    """
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


_LONG_VOWEL = re.compile(r"(aa|ee|oo|uu)([^aeiou])$")


def stem(word: str) -> str:
    """A light Dutch stem: plural, diminutive, inflected adjective and -ing endings removed.

    Enough to make inflected forms meet (``plekken``/``plek``, ``taken``/``taak``,
    ``intrekking``/``intrekken``, ``beschikbare``/``beschikbaar``), not a full stemmer.
    Short words are left alone, so a stem never gets shorter than three letters.

    >>> [stem(w) for w in ("plekken", "plek", "taken", "taak", "statushouders")]
    ['plek', 'plek', 'tak', 'tak', 'statushouder']
    >>> stem("intrekking") == stem("intrekken"), stem("Beschikbare") == stem("beschikbaar")
    (True, True)
    >>> [stem(w) for w in ("locaties", "locatie", "Oekraïners", "status", "gemeenten")]
    ['locatie', 'locatie', 'oekrainer', 'status', 'gemeent']

    Irregular comparatives meet their base word (``beter`` is a form of ``goed``):

    >>> stem("betere") == stem("goede"), stem("minder") == stem("weinig")
    (True, True)
    """
    w = fold(word)
    if w in IRREGULAR:
        w = IRREGULAR[w]
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and (w.endswith("dt") or re.search(r"(aa|ee|oo|uu)[^aeiou]t$", w)):
        w = w[:-1]  # verb forms: "belandt", "neemt" meet "belanden", "nemen"
    for suffix, keep in (("tjes", 4), ("etjes", 4), ("jes", 4), ("tje", 4), ("je", 4)):
        if w.endswith(suffix) and len(w) - len(suffix) >= keep and suffix != "je" or (
            suffix == "je" and w.endswith("je") and len(w) > 6
        ):
            w = w[: -len(suffix)]
            break
    if len(w) > 4 and w.endswith("en") and not w.endswith("een"):
        w = w[:-2]
    elif len(w) > 4 and re.search(r"(er|el|em|ie|ee|aa|oo|uu)s$", w):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("e") and not w.endswith(("ie", "ee")):
        w = w[:-1]
    if len(w) > 3 and re.search(r"([^aeiou])\1$", w):
        w = w[:-1]
    return _LONG_VOWEL.sub(lambda m: m.group(1)[0] + m.group(2), w)


IRREGULAR = {
    "beter": "goed", "betere": "goed", "meer": "veel", "meest": "veel", "minder": "weinig",
    "minst": "weinig", "liever": "graag",
}
"""Dutch comparatives and superlatives not formed from their base word."""


def derivation_base(key: str) -> str:
    """A stem without a derivational ending, so that related words meet.

    ``exploitatie``/``exploiteren`` and ``gemeentelijk``/``gemeente`` share a base; a
    match on the base alone counts half (see :class:`Matcher`).

    >>> derivation_base(stem("exploitatie")) == derivation_base(stem("exploiteren"))
    True
    >>> derivation_base(stem("gemeentelijke")) == derivation_base(stem("gemeenten"))
    True
    """
    for suffix in ("atie", "lijk", "isch", "er"):
        if key.endswith(suffix) and len(key) - len(suffix) >= 4:
            return key[: -len(suffix)].removesuffix("e")
    return key


def is_abbreviation(word: str) -> bool:
    """Whether ``word`` is written as an abbreviation (``COA``, ``DT&V``, ``RvS``).

    Abbreviations match case-sensitively: ``coa`` in running text is not the COA.

    >>> [is_abbreviation(w) for w in ("COA", "DT&V", "RvS", "Rijk", "A&M", "Spreidingswet")]
    [True, True, True, False, True, False]
    """
    core = word.rstrip("+")
    return sum(c.isupper() for c in core) >= 2 or ("&" in core and any(c.isupper() for c in core))


@dataclass(frozen=True)
class Token:
    """A word of the normalised text.

    Attributes:
        text: The word as written.
        key: Its stem (:func:`stem`), what names are compared on.
        start: Offset in the normalised text.
        end: Offset just past it.
        sentence: Index of the sentence it is in.
    """

    text: str
    key: str
    start: int
    end: int
    sentence: int
    in_url: bool = False

    @property
    def skippable(self) -> bool:
        """An article or 'en': names and texts may differ in these."""
        return fold(self.text) in SKIPPABLE


@dataclass
class Text:
    """A source text, normalised as quotes are anchored (see :mod:`kg.anchor`).

    Attributes:
        raw: The text as read from the file.
        text: Whitespace normalised, line-end hyphenation joined.
        tokens: Its words.
        sentences: ``(start, end)`` offsets of each sentence in ``text``.
    """

    raw: str
    text: str
    tokens: list[Token]
    sentences: list[tuple[int, int]]

    @classmethod
    def read(cls, raw: str) -> Text:
        """Normalise and split a source text into sentences and words.

        >>> t = Text.read("De VNG vraagt om\\nvoorrang. De opvang-\\nlocaties zijn vol.")
        >>> [t.sentence_text(i) for i in range(len(t.sentences))]
        ['De VNG vraagt om voorrang.', 'De opvanglocaties zijn vol.']
        >>> [tok.text for tok in t.tokens][:3]
        ['De', 'VNG', 'vraagt']
        """
        text = normalise(raw)
        sentences = _split_sentences(text)
        urls = [m.span() for m in _URL.finditer(text)]
        tokens: list[Token] = []
        index = 0
        for match in _WORD.finditer(text):
            while index < len(sentences) - 1 and match.start() >= sentences[index][1]:
                index += 1
            word = match.group()
            in_url = any(a <= match.start() < b for a, b in urls)
            tokens.append(Token(word, stem(word), match.start(), match.end(), index, in_url))
        return cls(raw, text, tokens, sentences)

    def sentence_text(self, index: int) -> str:
        """The text of sentence ``index``."""
        start, end = self.sentences[index]
        return self.text[start:end].strip()

    def sentence_tokens(self, index: int) -> list[Token]:
        """The words of sentence ``index``."""
        return [t for t in self.tokens if t.sentence == index]


def _split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: ends at . ! ? before a capital, at bullets and at dashes."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if match.group() == ".":
            before = re.search(r"([\w.]+)\.$", text[: match.end()])
            word = before.group(1).lower() if before else ""
            if word in _ABBREVIATIONS or len(word) == 1 or "." in word:
                continue
        if match.group() in "•▪●":
            end = match.start()
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


# --------------------------------------------------------------------------- names


@dataclass(frozen=True)
class NameToken:
    """A word of an entity's name.

    Attributes:
        key: Its stem.
        exact: Its spelling when case matters (abbreviations), else None.
        content: False for function words (they must match in a name, count for nothing
            when words are matched loosely).
        parts: Ways to split a compound into two stems (``crisisnoodopvang`` into
            ``crisis`` + ``noodopvang``), for texts that write the parts apart.
        folded: The word folded (:func:`fold`), for derived forms sharing its beginning.
        proper: Written with a capital (a proper name: ``Oekraïne``).
        required: A number or a month: what tells one dated thing from another, so it
            must be there even when words are matched loosely.
    """

    key: str
    exact: str | None
    content: bool
    parts: tuple[tuple[str, str], ...] = ()
    folded: str = ""
    proper: bool = False
    required: bool = False


@dataclass
class Name:
    """One way to write an entity: a label, an alternative label or a variant of one."""

    iri: str
    text: str
    tokens: tuple[NameToken, ...]

    @property
    def content(self) -> tuple[NameToken, ...]:
        """The words that carry meaning (no articles, prepositions or other function words)."""
        return tuple(t for t in self.tokens if t.content)


_MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()
_DATE_WORDS = frozenset(_MONTHS + "begin eind medio najaar voorjaar zomer winter".split())


def name_variants(label: str, is_other_name: Callable[[str], bool] | None = None) -> list[str]:
    """The ways a label may be written in running text.

    The label itself; without parenthetical parts; a title quoted inside it; and the
    parenthetical part when it describes the same thing in two or more words (not a date
    and not another entity's name, which ``is_other_name`` tells).

    >>> name_variants("resolutie 'Samenhangend beleid' (juni 2024)")[1:]
    ["resolutie 'Samenhangend beleid'", 'Samenhangend beleid']
    >>> name_variants("wetsvoorstel verbod op voorrang (aanpassing van de Huisvestingswet)")[1:]
    ['wetsvoorstel verbod op voorrang', 'aanpassing van de Huisvestingswet']
    """
    out = [label]
    bare = re.sub(r"\s*\([^)]*\)", "", label).strip()
    if bare and bare != label:
        out.append(bare)
    for quoted in re.findall(r"(?:^|\s)['‘\"“]([^'’\"”]{3,})['’\"”]", label):
        out.append(quoted.strip())
    for inner in re.findall(r"\(([^)]*)\)", label):
        words = [fold(w) for w in _WORD.findall(inner)]
        content = [w for w in words if w not in STOPWORDS and not w.isdigit()]
        if len(content) < 2 or any(w in _DATE_WORDS for w in words):
            continue
        if is_other_name is not None and is_other_name(inner):
            continue
        out.append(inner.strip())
    return list(dict.fromkeys(out))


def _splits(folded: str) -> tuple[tuple[str, str], ...]:
    """Two-part splits of a compound, each part at least four letters (stems of both)."""
    out = []
    for i in range(4, len(folded) - 3):
        left, right = folded[:i], folded[i:]
        if not re.search(r"[aeiouy]", left) or not re.search(r"[aeiouy]", right):
            continue
        out.append((stem(left), stem(right)))
    return tuple(out)


def make_name(iri: str, text: str) -> Name | None:
    """Turn a written name into the tokens a mention must match (None if it has no word)."""
    tokens = []
    for match in _WORD.finditer(text):
        word = match.group()
        folded = fold(word)
        if folded in SKIPPABLE:
            continue
        year = re.fullmatch(r"(19|20)\d\d", folded) is not None
        required = (folded.isdigit() and not year) or folded in _MONTHS
        content = folded not in STOPWORDS and not folded.isdigit() and not required
        abbreviation = is_abbreviation(word)
        tokens.append(
            NameToken(
                key=stem(word),
                exact=word if abbreviation else None,
                content=content,
                parts=_splits(folded) if content and not abbreviation and len(folded) >= 9 else (),
                folded=folded,
                proper=word[:1].isupper() and not abbreviation,
                required=required,
            )
        )
    if not any(t.content for t in tokens):
        return None
    return Name(iri, text, tuple(tokens))


def _token_fits(name_token: NameToken, token: Token) -> bool:
    if name_token.exact is not None:
        word = token.text[:-2] if token.text.endswith(("'s", "’s")) else token.text
        if token.in_url:
            return word.lower() == name_token.exact.lower()
        return word == name_token.exact
    return token.key == name_token.key


@dataclass(frozen=True)
class Mention:
    """Where the text mentions an entity.

    Attributes:
        iri: The entity.
        start: Offset of the first character in the normalised text.
        end: Offset just past the last.
        sentence: The sentence it is in.
        how: ``name`` (a label, exactly up to inflection), ``compound`` (a two-word
            compound of a name's head), ``words`` (the words of a label close together in
            one sentence), ``relation`` (what it acts on, with a word for the act:
            ``afschaffen`` and the Spreidingswet for its withdrawal), ``context`` (part of
            a name next to a neighbour in the graph), ``kind`` (the only actor of a kind),
            ``duty`` (a task by its actor and theme) or ``date`` (a known lifecycle event
            the text dates the same way); see :class:`Matcher`.
        name: The label, or the relation, that matched.
    """

    iri: str
    start: int
    end: int
    sentence: int
    how: str
    name: str

    def covers(self, token: Token) -> bool:
        """Whether ``token`` starts inside this mention."""
        return self.start <= token.start < self.end


def _text_order(mention: Mention) -> tuple[int, int, str, int, str, str]:
    """Sort key of mentions in text order, every field in it: two mentions of one entity
    at one place found in two ways come out of a set in an order that changes with
    PYTHONHASHSEED, and the first one decides the quote."""
    return (mention.start, mention.end, mention.iri, mention.sentence, mention.how,
            mention.name)


def _by_sentence(mentions: Iterable[Mention]) -> dict[int, list[Mention]]:
    """The mentions of each sentence, keyed by the sentence's index.

    >>> [(i, len(ms)) for i, ms in _by_sentence([Mention("a", 0, 1, 2, "name", "a")]).items()]
    [(2, 1)]
    """
    grouped: dict[int, list[Mention]] = {}
    for mention in mentions:
        grouped.setdefault(mention.sentence, []).append(mention)
    return grouped


@dataclass(frozen=True)
class Relation:
    """A statement of the known graph that lets a text name a thing by what it does.

    Attributes:
        subject: The thing named indirectly (a measure, a goal).
        cue: Which cue words must be in the sentence (a key of :data:`CUES`).
        object: What the sentence must mention.
    """

    subject: str
    cue: str
    object: str


CUES: dict[str, re.Pattern[str]] = {
    "abolish": re.compile(
        r"\b(afschaf\w*|afgeschaft|schaf\w* (\w+ ){0,6}af|intrek\w*|ingetrokken|in te trekken"
        r"|trek\w* (\w+ ){0,6}in|beeindig\w*|stopzet\w*|stopgezet|stopt|stoppen|gestopt"
        r"|schrap\w*|geschrapt|opheff\w*|opgeheven|afbouw\w*|afgebouwd|vervall\w*|vervalt)\b"
    ),
    "prohibit": re.compile(r"\b(verbod\w*|verbied\w*|verboden|verbiedt)\b"),
    "fund": re.compile(
        r"\b(financier\w*|gefinancierd|bekostig\w*|bijdrage\w*|subsidie\w*|bonus\w*|middelen"
        r"|vergoed\w*|stimuler\w*|gestimuleerd|tegemoetkoming\w*|zet\w* in op|in te zetten op)\b"
    ),
    "goal": re.compile(r"\b(doel|doelen|doelstelling\w*|beoog\w*)\b"),
    "decrease": re.compile(
        r"\b(verlag\w*|verlaagd|verminder\w*|verlicht\w*|ontlast\w*|terugdring\w*|minder"
        r"|bezuinig\w*|gekort|korten|korting\w*|krimp\w*|afname|neemt \w+ ?af|daal\w*|gedaald)\b"
    ),
    "increase": re.compile(
        r"\b(verhog\w*|verhoogd|vergro\w*|versnel\w*|verbeter\w*|sneller\w*|uitbrei\w*"
        r"|borg\w*|geborgd|meer|toename|toeneem\w*|toenemen\w*|toegenomen|groei\w*"
        r"|realiser\w*|gerealiseerd)\b"
    ),
}
CUES["duty"] = re.compile(
    r"\b(verantwoordelijk\w*|uitvoer\w*|uitgevoerd|voer|voeren|voert|taak|taken"
    r"|verplicht\w*|opgedragen)\b"
)
"""Dutch words for an act, by the kind of relation the act stands for (folded text)."""

RELATION_CUES: dict[str, str] = {
    AK_IRI + "abolishes": "abolish",
    AK_IRI + "repeals": "abolish",
    AK_IRI + "prohibits": "prohibit",
    AK_IRI + "funds": "fund",
    AK_IRI + "incentivises": "fund",
    AK_IRI + "decreases": "decrease",
    AK_IRI + "increases": "increase",
}
"""Predicates whose subject a text may name by its object and a cue (see :class:`Relation`)."""


class Matcher:
    """Finds mentions of known entities, built once and used for many texts.

    A mention is found six ways, from strict to loose. What is known is only what the graph
    holds (names, relations, classes and themes); there is no list of texts or entities.

    1. a name (label or alternative label, or a variant: see :func:`name_variants`) word
       for word, up to inflection (:func:`stem`), articles, and line-end hyphenation
       (the text is normalised as quotes are); abbreviations match only as written; or a
       two-word compound of a name's head that only that entity's name gives
       (``Oekraïne opvang`` for "opvang van ontheemden uit Oekraïne", see :func:`_cores`),
       which also mentions an entity whose name is the complement the first word stands
       for ("ontheemden uit Oekraïne") when the graph links the two;
    2. the meaningful words of a name of two or more such words, close together in one
       sentence, in any order: every word for names of two, all but one for longer names;
       a compound counts when the text writes its parts apart (``crisis- en noodopvang``)
       and half when only its head is there (``kleinschalige locaties``), a proper name
       half when only its beginning is (``Oekraïense`` for ``Oekraïne``), and a word for
       an act stands for another word for the same act (:func:`act_of`);
    3. a relation: a measure that abolishes, repeals, prohibits or funds something is
       mentioned where a sentence names that thing with a word for the act; a goal where a
       sentence names what has it with ``doel``, or names the factor it raises or lowers
       with a word for that, and a factor where a sentence names a goal that raises or
       lowers it with a word for that;
    4. context: a name of which only some words are there (at least half of its
       meaningful words, one of them a noun of five letters or more that is neither
       another entity's name nor in many names, outside every other mention; or fewer,
       when one is a long word no other entity's name has: "Vreemdelingenpolitie") in a
       sentence that also mentions a neighbour of the entity in the graph (see
       :attr:`Vocabulary.links`) that is not a hub: "mensen op straat" next to the end of
       the LVV is the group of undocumented people ("mensen zonder verblijfsrecht") that
       the graph says that measure affects;
    5. the kind: a noun for a kind of actor after a definite article (``de rechter``, from
       the class label "rechterlijke instantie"), when the graph knows one actor of that
       kind only (see :attr:`Vocabulary.kinds`);
    6. the duty: a task where a sentence names the actor the graph gives it, a word for a
       duty (``voeren``, ``verantwoordelijkheid``) and its theme (a word of the theme's
       label, ``huisvesting``), when that points to one task of that actor.

    Args:
        names: Entity IRI to its labels and alternative labels.
        relations: Statements that allow the third way.
        corpus: Source texts, to tell common words from rare ones.
        links: Entity IRI to its neighbours in the graph, for the fourth way.
        kinds: A noun for a kind of actor to the one actor of that kind, for the fifth way.
        hubs: Entities too connected to be context (see :data:`CONTEXT_DEGREE`).
        duties: ``(actor, theme)`` to the tasks of that actor on that theme, for the sixth
            way.
        themes: Theme IRI to its Dutch names.

    >>> m = Matcher({"urn:coa": ["Centraal Orgaan opvang asielzoekers", "COA"],
    ...              "urn:plek": ["opvangplek"], "urn:wet": ["Spreidingswet"],
    ...              "urn:einde": ["einde van de Spreidingswet"]},
    ...             [Relation("urn:einde", "abolish", "urn:wet")])
    >>> t = Text.read("Het COA zoekt opvangplekken; de coalitie niet. De Spreidingswet wordt "
    ...               "ingetrokken.")
    >>> [(x.iri, x.how, t.text[x.start:x.end]) for x in m.find(t)]  # doctest: +NORMALIZE_WHITESPACE
    [('urn:coa', 'name', 'COA'), ('urn:plek', 'name', 'opvangplekken'),
     ('urn:wet', 'name', 'Spreidingswet'),
     ('urn:einde', 'relation', 'Spreidingswet wordt ingetrokken')]
    """

    def __init__(
        self,
        names: Mapping[str, Sequence[str]],
        relations: Iterable[Relation] = (),
        corpus: Iterable[str] = (),
        links: Mapping[str, Collection[str]] | None = None,
        kinds: Mapping[str, str] | None = None,
        hubs: Collection[str] = (),
        duties: Mapping[tuple[str, str], Sequence[str]] | None = None,
        themes: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        whole = {_name_key(label) for labels in names.values() for label in labels}
        self.whole = whole
        self.links = {iri: frozenset(near) for iri, near in (links or {}).items()}
        self.kinds = {stem(noun): iri for noun, iri in (kinds or {}).items()}
        self.hubs = frozenset(hubs)
        self.duties = {key: list(tasks) for key, tasks in (duties or {}).items()}
        self.themes = {
            theme: [n for n in (make_name(theme, label) for label in labels) if n is not None]
            for theme, labels in (themes or {}).items()
        }
        self.names: list[Name] = []
        for iri, labels in sorted(names.items()):
            own = {_name_key(label) for label in labels}
            seen: set[tuple[NameToken, ...]] = set()
            others = whole - own

            def is_other(text: str, others: set[tuple[str, ...]] = others) -> bool:
                return _name_key(text) in others

            for label in sorted(set(labels)):
                variants = name_variants(label, is_other)
                for variant in variants:
                    name = make_name(iri, variant)
                    if name is not None and name.tokens not in seen:
                        seen.add(name.tokens)
                        self.names.append(name)
        self.by_first: dict[str, list[Name]] = {}
        self.by_part: dict[str, list[Name]] = {}
        self.by_single: dict[str, list[Name]] = {}
        for name in self.names:
            self.by_first.setdefault(name.tokens[0].key, []).append(name)
            if len(name.tokens) == 1:
                for left, _ in name.tokens[0].parts:
                    self.by_part.setdefault(left, []).append(name)
                if name.tokens[0].exact is None and len(name.tokens[0].key) >= 8:
                    self.by_single.setdefault(name.tokens[0].key, []).append(name)
        self.cores = _cores(self.names)
        self.nested = _nested(self.names, self.cores)
        self.by_iri: dict[str, list[Name]] = {}
        for name in self.names:
            self.by_iri.setdefault(name.iri, []).append(name)
        self.relations = sorted(set(relations), key=lambda r: (r.object, r.cue, r.subject))
        self.by_content: dict[str, list[int]] = {}
        self.rarity: dict[str, int] = {}
        for number, name in enumerate(self.names):
            for nt in name.content:
                self.by_content.setdefault(nt.key, []).append(number)
        for key, numbers in self.by_content.items():
            self.rarity[key] = len({self.names[n].iri for n in numbers})
        self.common: Counter[str] = Counter()
        for raw in corpus:
            self.common.update(_sentence_keys(Text.read(raw)))

    def find(self, text: Text) -> list[Mention]:
        """Every mention of a known entity in ``text``, in text order."""
        found = self._exact(text)
        seen = {(m.iri, m.sentence) for m in found}
        found += self._words(text, seen)
        found += self._relations(text, found)
        found += self._context(text, found)
        found += self._kinds(text, found)
        found += self._duties(text, found)
        return sorted(set(found), key=_text_order)

    def _exact(self, text: Text) -> list[Mention]:
        words = [t for t in text.tokens if not t.skippable]
        found = []
        for i, token in enumerate(words):
            for name in self.by_first.get(token.key, ()):
                n = len(name.tokens)
                window = words[i : i + n]
                if len(window) < n or window[-1].sentence != token.sentence:
                    continue
                if all(_token_fits(nt, t) for nt, t in zip(name.tokens, window, strict=True)):
                    found.append(
                        Mention(name.iri, token.start, window[-1].end, token.sentence, "name",
                                name.text)
                    )
            for name in self.by_part.get(token.key, ()):
                # a one-word compound written in parts: "(nood)opvang", "crisis- en noodopvang"
                following = words[i + 1] if i + 1 < len(words) else None
                if following is not None and following.sentence == token.sentence and any(
                    left == token.key and right == following.key
                    for left, right in name.tokens[0].parts
                ):
                    found.append(Mention(name.iri, token.start, following.end, token.sentence,
                                         "name", name.text))
            for name in self._heads(token):
                found.append(Mention(name.iri, token.start, token.end, token.sentence,
                                     "name", name.text))
            following = words[i + 1] if i + 1 < len(words) else None
            if (
                following is not None and following.sentence == token.sentence
                and not text.text[token.end:following.start].strip("- ")
                and (token.key, following.key) in self.cores
            ):
                # "Oekraïne opvang" for "opvang van ontheemden uit Oekraïne"
                iri = self.cores[(token.key, following.key)]
                written = f"{token.text} {following.text}"
                found.append(Mention(iri, token.start, following.end, token.sentence,
                                     "compound", written))
                for inner in self.nested.get((token.key, following.key), ()):
                    # the name in its complement, when the graph links the two
                    if inner in self.links.get(iri, ()):
                        found.append(Mention(inner, token.start, token.end, token.sentence,
                                             "compound", written))
            for name in self.by_first.get(token.key, ()):
                end = _short_form(name, words, i)
                if end is not None:
                    found.append(Mention(name.iri, token.start, words[end].end, token.sentence,
                                         "name", name.text))
        return found

    def _heads(self, token: Token) -> list[Name]:
        """One-word names of eight letters or more that end a longer compound
        (``woningbouwcorporaties`` mentions ``corporaties``)."""
        key = token.key
        out = []
        for cut in range(4, len(key) - 7):
            for name in self.by_single.get(key[cut:], ()):
                out.append(name)
        return out

    def _words(self, text: Text, seen: set[tuple[str, int]]) -> list[Mention]:
        found = []
        common = self.common + _sentence_keys(text)

        def weight(key: str) -> tuple[int, int, str]:
            return common.get(key, 0), self.rarity.get(key, 0), key

        for index in range(len(text.sentences)):
            tokens = [t for t in text.sentence_tokens(index) if not t.skippable]
            if not tokens:
                continue
            sentence = _SentenceIndex(tokens)
            candidates = sorted(
                {n for key in sentence.keys for n in self.by_content.get(key, ())}
            )
            for number in candidates:
                name = self.names[number]
                if (name.iri, index) in seen:
                    continue
                span = _loose_span(name, sentence, weight)
                if span is not None:
                    found.append(Mention(name.iri, tokens[span[0]].start, tokens[span[1]].end,
                                         index, "words", name.text))
                    seen.add((name.iri, index))
        return found

    def _relations(self, text: Text, found: list[Mention]) -> list[Mention]:
        """Things named through a relation, in two rounds: a goal found through its owner
        ("de doelen van de Spreidingswet") names in turn the factor it raises."""
        seen = {(m.iri, m.sentence) for m in found}
        out: list[Mention] = []
        current = list(found)
        for _ in range(2):
            new = self._relation_round(text, current, seen)
            if not new:
                break
            out += new
            current += new
        return out

    def _relation_round(
        self, text: Text, found: list[Mention], seen: set[tuple[str, int]]
    ) -> list[Mention]:
        by_iri: dict[str, list[Mention]] = {}
        for mention in found:
            by_iri.setdefault(mention.iri, []).append(mention)
        out = []
        for relation in self.relations:
            ways = [(relation.subject, relation.object)]
            if relation.cue in REVERSIBLE:
                ways.append((relation.object, relation.subject))
            for named, via in ways:
                for mention in by_iri.get(via, ()):
                    if (named, mention.sentence) in seen:
                        continue
                    start, end = text.sentences[mention.sentence]
                    sentence = fold(text.text[start:end])
                    cue = _nearest(CUES[relation.cue], sentence, mention.start - start)
                    if cue is None or _gap(cue, mention, start) > CUE_DISTANCE:
                        continue
                    first = min(mention.start, start + cue[0])
                    last = max(mention.end, start + cue[1])
                    out.append(Mention(named, first, last, mention.sentence, "relation",
                                       f"{relation.cue} {via}"))
                    seen.add((named, mention.sentence))
        return out

    def _context(self, text: Text, found: list[Mention]) -> list[Mention]:
        out = []
        for index, mentions in sorted(_by_sentence(found).items()):
            here = {m.iri for m in mentions}
            support = here - self.hubs
            if not support:
                continue
            free = [
                t for t in text.sentence_tokens(index)
                if not t.skippable and not t.in_url
                and not any(m.covers(t) for m in mentions)
            ]
            if not free:
                continue
            sentence = _SentenceIndex(free)
            candidates = sorted({n for key in sentence.keys for n in self.by_content.get(key, ())})
            for number in candidates:
                name = self.names[number]
                if name.iri in here or not self.links.get(name.iri, frozenset()) & support:
                    continue
                span = self._partial(name, sentence)
                if span is not None:
                    out.append(Mention(name.iri, free[span[0]].start, free[span[1]].end, index,
                                       "context", name.text))
                    here.add(name.iri)
        return out

    def _duties(self, text: Text, found: list[Mention]) -> list[Mention]:
        out = []
        for index, mentions in sorted(_by_sentence(found).items()):
            here = {m.iri for m in mentions}
            free: dict[str, list[Token]] = {}
            for t in text.sentence_tokens(index):
                if not t.in_url and not any(m.covers(t) for m in mentions):
                    free.setdefault(t.key, []).append(t)
            start, end = text.sentences[index]
            if CUES["duty"].search(fold(text.text[start:end])) is None:
                continue
            for theme, names in sorted(self.themes.items()):
                for name in names:
                    if not all(nt.key in free for nt in name.content):
                        continue
                    tokens = [free[nt.key][0] for nt in name.content]
                    for actor in sorted(here):
                        task = self._duty(self.duties.get((actor, theme), []), free)
                        if task is None or task in here:
                            continue
                        out.append(Mention(task, min(t.start for t in tokens),
                                           max(t.end for t in tokens), index, "duty", name.text))
                        here.add(task)
        return out

    def _duty(self, tasks: Sequence[str], free: Mapping[str, object]) -> str | None:
        """The task meant: the only one, or the only one with a word or part of a word of
        its names in the sentence ("huisvesting" for the huisvestingstaakstelling)."""
        if len(tasks) == 1:
            return tasks[0]
        named = [
            task for task in tasks
            if any(
                nt.key in free or any(part in free for pair in nt.parts for part in pair)
                for name in self.by_iri.get(task, ()) for nt in name.content
            )
        ]
        return named[0] if len(named) == 1 else None

    def _kinds(self, text: Text, found: list[Mention]) -> list[Mention]:
        seen = {(m.iri, m.sentence) for m in found}
        out = []
        for before, token in zip(text.tokens, text.tokens[1:], strict=False):
            iri = self.kinds.get(token.key)
            if (
                iri is None or (iri, token.sentence) in seen or token.in_url
                or before.sentence != token.sentence or fold(before.text) not in DEFINITE
                or any(m.start <= token.start < m.end for m in found)
            ):
                continue
            out.append(Mention(iri, before.start, token.end, token.sentence, "kind", token.text))
            seen.add((iri, token.sentence))
        return out

    def _partial(self, name: Name, sentence: _SentenceIndex) -> tuple[int, int] | None:
        """Where at least half of a name's meaningful words are, one of them a telling
        noun (see :meth:`_context`), if anywhere."""
        content = name.content
        if len(content) < 2:
            return None
        credits = [(nt, _credit(nt, sentence)) for nt in content]
        telling = [
            (nt, where) for nt, (c, where) in credits
            if c == 1.0 and len(nt.folded) >= 5 and not _adjective(nt.folded)
            and (nt.key,) not in self.whole and self.rarity.get(nt.key, 0) <= COMMON_IN_NAMES
        ]
        if not telling:
            return None
        if sum(c for _, (c, _) in credits) < len(content) / 2 and not any(
            self.rarity.get(nt.key) == 1 and len(nt.folded) >= 10 for nt, _ in telling
        ):
            return None  # too few of its words, unless one is this entity's alone
        where = sorted({i for _, (c, at) in credits if c > 0 for i in at})
        near = [i for i in where if abs(i - telling[0][1][0]) < len(name.tokens) + 7]
        return min(near), max(near)


def _adjective(folded: str) -> bool:
    """Whether a word looks like an adjective (``lokale``, ``rechterlijk``), not a noun,
    by its ending.

    >>> [_adjective(w) for w in ("lokale", "rechterlijke", "oekraiense", "beschikbare",
    ...                          "integratie", "bestuurders", "oekraine", "gemeente")]
    [True, True, True, True, False, False, False, False]
    >>> _adjective("aangekondigde"), _adjective("gespreide")
    (True, True)
    """
    participle = folded.endswith("de") and "ge" in folded[:-2]
    return participle or folded.endswith(_ADJECTIVE_ENDINGS)


_ADJECTIVE_ENDINGS = (
    "lijk", "lijke", "isch", "ische", "ig", "ige", "ende", "se", "ale", "are", "bare", "ele",
    "ieve", "ame", "uwe", "ere",
)


COMMON_IN_NAMES = 8
"""A word in the names of more entities than this (``opvang``, ``asiel``) does not tell
which of them a sentence means."""

DEFINITE = frozenset({"de", "het", "deze", "die", "dit", "dat"})
"""Words that make a noun refer to one known thing: "de rechter", not "een rechter"."""

CONTEXT_DEGREE = 20
"""An entity in statements with more nodes than this (gemeenten, the VNG, the cabinet)
tells nothing about which of its neighbours a sentence means, so it is no context."""

ACTS = ("abolish", "prohibit", "fund", "decrease")
"""The kinds of act whose words stand in for each other in names (see :func:`act_of`);
not raising, whose words (``meer``, ``sneller``, ``realiseren``) are too loose for that."""

REVERSIBLE = frozenset({"increase", "decrease"})
"""Cues that also name a relation's object through its subject: a goal mentioned with a
word for raising or lowering names the factor it raises or lowers."""

CUE_DISTANCE = 60
"""How far (in characters) a cue word may be from the mention it qualifies."""


def _gap(cue: tuple[int, int], mention: Mention, offset: int) -> int:
    """Characters between a cue (offsets in its sentence) and a mention (in the text)."""
    a, b = cue[0] + offset, cue[1] + offset
    return max(0, a - mention.end, mention.start - b)


def _cores(names: Iterable[Name]) -> dict[tuple[str, str], str]:
    """Two-word compounds that name one entity only: a name's head noun after a noun of
    its complement, as Dutch forms compounds ("opvang van ontheemden uit Oekraïne" gives
    ``Oekraïne opvang``).

    >>> n = make_name("urn:t", "gemeentelijke opvang van ontheemden uit Oekraïne")
    >>> sorted(_cores([n]).items())
    [(('oekrain', 'opvang'), 'urn:t'), (('ontheemd', 'opvang'), 'urn:t')]
    """
    found: dict[tuple[str, str], set[str]] = {}
    for name in names:
        tokens = name.tokens
        lead = 0
        while lead < len(tokens) and tokens[lead].content:
            lead += 1
        nouns = [t for t in tokens[:lead] if not _adjective(t.folded) and t.exact is None]
        if not nouns or lead == len(tokens) or len(nouns) != 1:
            continue
        head = nouns[0]
        for token in tokens[lead:]:
            if token.content and token.exact is None and not _adjective(token.folded):
                found.setdefault((token.key, head.key), set()).add(name.iri)
    return {pair: next(iter(iris)) for pair, iris in found.items() if len(iris) == 1}


def _nested(
    names: Sequence[Name], cores: Mapping[tuple[str, str], str]
) -> dict[tuple[str, str], list[str]]:
    """For each two-word compound (see :func:`_cores`), the entities whose whole name is
    the part of the longer name that its first word stands for: in "opvang van ontheemden
    uit Oekraïne", ``Oekraïne`` stands for "ontheemden uit Oekraïne".

    >>> names = [make_name("urn:t", "opvang van ontheemden uit Oekraïne"),
    ...          make_name("urn:g", "ontheemden uit Oekraïne")]
    >>> _nested(names, _cores(names))[("oekrain", "opvang")]
    ['urn:g']
    """
    spans: dict[tuple[str, ...], set[str]] = {}
    for name in names:
        spans.setdefault(tuple(t.key for t in name.tokens), set()).add(name.iri)
    out: dict[tuple[str, str], set[str]] = {}
    for name in names:
        keys = [t.key for t in name.tokens]
        for (first, head), iri in cores.items():
            if iri != name.iri or head not in keys or first not in keys:
                continue
            at = keys.index(first)
            for i in range(keys.index(head) + 1, at + 1):
                for j in range(at + 1, len(keys) + 1):
                    for inner in spans.get(tuple(keys[i:j]), ()):
                        if inner != iri:
                            out.setdefault((first, head), set()).add(inner)
    return {pair: sorted(iris) for pair, iris in out.items()}


def _short_form(name: Name, words: Sequence[Token], i: int) -> int | None:
    """End index of a shortened title at ``words[i]``: first and last word of a long name
    with some of the words between, in order ("Tijdelijke wet Oekraïne")."""
    tokens = name.tokens
    if len(tokens) < 4 or not _token_fits(tokens[0], words[i]):
        return None
    j = 1
    k = i + 1
    while k < len(words) and words[k].sentence == words[i].sentence and k - i < len(tokens):
        if _token_fits(tokens[-1], words[k]) and k - i >= 2:
            return k
        while j < len(tokens) - 1 and not _token_fits(tokens[j], words[k]):
            j += 1
        if j >= len(tokens) - 1:
            return None
        j += 1
        k += 1
    return None


def _sentence_keys(text: Text) -> Counter[str]:
    """In how many sentences of ``text`` each stem occurs."""
    counts: Counter[str] = Counter()
    keys: dict[int, set[str]] = {}
    for token in text.tokens:
        keys.setdefault(token.sentence, set()).add(token.key)
    for found in keys.values():
        counts.update(found)
    return counts


def _name_key(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in _WORD.findall(text) if fold(w) not in SKIPPABLE)


def _nearest(pattern: re.Pattern[str], sentence: str, at: int) -> tuple[int, int] | None:
    """The match of ``pattern`` in ``sentence`` closest to offset ``at``."""
    best = None
    for match in pattern.finditer(sentence):
        distance = min(abs(match.start() - at), abs(match.end() - at))
        if best is None or distance < best[0]:
            best = (distance, match.start(), match.end())
    return None if best is None else (best[1], best[2])


class _SentenceIndex:
    """The words of one sentence, indexed every way :func:`_credit` looks them up."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = tokens
        self.keys: dict[str, list[int]] = {}
        self.bases: dict[str, list[int]] = {}
        self.starts: dict[str, list[int]] = {}
        self.proper: dict[str, list[int]] = {}
        self.acts: dict[str, list[int]] = {}
        for i, t in enumerate(tokens):
            folded = fold(t.text)
            act = act_of(folded)
            if act is not None:
                self.acts.setdefault(act, []).append(i)
            self.keys.setdefault(t.key, []).append(i)
            self.bases.setdefault(derivation_base(t.key), []).append(i)
            for cut in range(5, len(folded) - 3):
                self.starts.setdefault(folded[:cut], []).append(i)
            if t.text[:1].isupper():
                self.proper.setdefault(folded[:6], []).append(i)


def _credit(nt: NameToken, sentence: _SentenceIndex) -> tuple[float, list[int]]:
    """How well a name word is present in a sentence (1, 0.5 or 0) and where.

    1: the word itself (up to inflection), a compound's parts written apart, or another
    word for the same act (:func:`act_of`: ``bezuinigingen`` and ``gekort``); 0.5: only
    a compound's head, a word derived from the same base, a compound that starts with the
    word, or for a proper name a form that differs in its ending.
    """
    tokens, keys = sentence.tokens, sentence.keys
    if nt.exact is not None:
        where = [i for i in keys.get(nt.key, ()) if _token_fits(nt, tokens[i])]
        return (1.0, where) if where else (0.0, [])
    if nt.key in keys:
        return 1.0, keys[nt.key]
    act = act_of(nt.folded)
    if act is not None and act in sentence.acts:
        return 1.0, sentence.acts[act]
    for left, right in nt.parts:
        for i in keys.get(left, ()):
            if i + 1 < len(tokens) and tokens[i + 1].key == right:
                return 1.0, [i, i + 1]
    for _, right in nt.parts:
        if right in keys and len(right) >= 4:
            return 0.5, keys[right]
    base = derivation_base(nt.key)
    if len(base) >= 5 and base in sentence.bases:
        return 0.5, sentence.bases[base]
    if len(nt.folded) >= 5 and nt.folded in sentence.starts:
        return 0.5, sentence.starts[nt.folded]
    if nt.proper and len(nt.folded) >= 6:
        where = [
            i for i in sentence.proper.get(nt.folded[:6], [])
            if _derived(nt.folded, fold(tokens[i].text))
        ]
        if where:
            return 0.5, where
    return 0.0, []


def act_of(folded: str) -> str | None:
    """The kind of act a single word names (a key of :data:`CUES`), if it names one.

    Words for the same act stand in for each other in names: "bezuinigingen op de
    middelen" is mentioned where "de middelen worden gekort".

    >>> act_of("bezuinigingen"), act_of("gekort"), act_of("afschaffing"), act_of("opvang")
    ('decrease', 'decrease', 'abolish', None)
    """
    for act in ACTS:
        if CUES[act].fullmatch(folded):
            return act
    return None


def _derived(a: str, b: str) -> bool:
    """Whether two words differ only in a short ending (``oekraine``, ``oekraiense``).

    >>> _derived("oekraine", "oekraiense"), _derived("migratiepact", "migratie")
    (True, False)
    """
    short, long = sorted((a, b), key=len)
    common = 0
    while common < len(short) and short[common] == long[common]:
        common += 1
    return common >= len(short) - 2 and len(long) - len(short) <= 3


def _loose_span(
    name: Name, sentence: _SentenceIndex, weight: Callable[[str], tuple[int, int, str]]
) -> tuple[int, int] | None:
    """The shortest stretch of a sentence holding enough of a name's words, if any.

    Every meaningful word must be there for a name of two (a half-present one may stand in
    for one of them); all but one for longer names, and the rarest noun at least half (the
    word in fewest sentences of the source texts, then in fewest entities' names; an
    adjective such as "functionerende" only qualifies the noun that identifies: "gevolgen voor
    gemeenten" is not the news item "Rijksbegroting 2025 en de gevolgen voor gemeenten");
    numbers and months always.
    """
    content = name.content
    if not content or (len(content) == 1 and not any(nt.required for nt in name.tokens)):
        return None
    wanted = [(nt, _credit(nt, sentence)) for nt in content]
    wanted += [(nt, _credit(nt, sentence)) for nt in name.tokens if nt.required]
    need = float(len(content)) if len(content) < 2 else len(content) - (
        0.5 if len(content) == 2 else 1.0
    )
    if sum(c for nt, (c, _) in wanted if nt.content) < need:
        return None
    if any(c < 1.0 for nt, (c, _) in wanted if nt.required):
        return None
    nouns = [nt for nt in content if not _adjective(nt.folded)]
    if len(content) >= 3 and nouns:
        rarest = min(nouns, key=lambda nt: weight(nt.key))
        if dict(wanted)[rarest][0] == 0.0:
            return None
    limit = len(name.tokens) + 7
    best: tuple[int, int] | None = None
    anchors = sorted({i for _, (c, where) in wanted if c == 1.0 for i in where})
    for anchor in anchors:
        lo = hi = anchor
        total = 0.0
        full = 0
        ok = True
        for nt, (credit, where) in wanted:
            near = [i for i in where if abs(i - anchor) < limit]
            if not near:
                if nt.required:
                    ok = False
                continue
            nearest = min(near, key=lambda i: abs(i - anchor))
            if nt.content:
                total += credit
                full += credit == 1.0
            lo, hi = min(lo, nearest), max(hi, nearest)
        if ok and full and total >= need and hi - lo < limit:
            if best is None or hi - lo < best[1] - best[0]:
                best = (lo, hi)
    return best




# --------------------------------------------------------------------------- vocabulary

_ACTION = re.compile(
    r"^(?:\w+(?:en|ing)|aanpak|realisatie|begeleiding)\s+van\s+(?:de\s+|het\s+)?(\S.*)$"
)
"""A task named as an action on something: "uitvoering van de inburgering"."""

NOT_MENTIONED = frozenset(
    AK_IRI + c
    for c in (
        "Quote", "Objection", "ExpectedEffect", "ConflictStatement", "Request", "LifecycleEvent",
        "Figure", "Duration", "SourceDocument",
    )
)
"""Classes whose members are statements of one source (claims, events, figures), not
things another text mentions by name. Resolutions are claims too but have names."""

RELATION_SUBJECTS = {
    "abolish": AK_IRI + "Measure",
    "prohibit": AK_IRI + "Measure",
    "fund": AK_IRI + "Measure",
    "decrease": AK_IRI + "Goal",
    "increase": AK_IRI + "Goal",
    "goal": AK_IRI + "Goal",
}
"""Which kind of thing a text may name through a relation of each cue."""


@dataclass
class Known:
    """An entity of the graph that a new text may mention.

    Attributes:
        iri: Its IRI.
        label: Its Dutch label (the first, sorted, when there are several).
        types: Its classes and their superclasses.
        names: Its labels and alternative labels.
    """

    iri: str
    label: str
    types: frozenset[str]
    names: list[str]


@dataclass
class Vocabulary:
    """What the graph knows that a text can mention: entities, names and relations.

    Attributes:
        entities: Entity IRI to what is known about it.
        relations: Statements that let a text name a measure or goal indirectly.
    """

    entities: dict[str, Known]
    relations: list[Relation]
    events: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    event_iris: dict[tuple[str, str, str], str] = field(default_factory=dict)
    statuses: dict[str, list[str]] = field(default_factory=dict)
    subjects: frozenset[str] = frozenset()
    corpus: tuple[str, ...] = ()
    links: dict[str, frozenset[str]] = field(default_factory=dict)
    hubs: frozenset[str] = frozenset()
    kinds: dict[str, str] = field(default_factory=dict)
    duties: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    themes: dict[str, list[str]] = field(default_factory=dict)
    _matcher: Matcher | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_dataset(
        cls, dataset: rdflib.Dataset, skip: Iterable[str] = (), corpus: Iterable[str] = ()
    ) -> Vocabulary:
        """Collect the named entities of every graph except ``skip`` and drafts.

        Args:
            dataset: From :func:`kg.dataset.load_dataset` (with the ontology, for the
                class hierarchy).
            skip: Named graph IRIs to leave out (the draft being rebuilt).
            corpus: Source texts, to tell common words from rare ones (see
                :class:`Matcher`).
        """
        import rdflib
        from rdflib.namespace import RDF, RDFS, SKOS

        skipped = set(skip) | {str(ONTOLOGY_GRAPH)}
        draft = rdflib.URIRef(DRAFT)
        ontology = dataset.graph(rdflib.URIRef(str(ONTOLOGY_GRAPH)))
        supers: dict[str, set[str]] = {}
        for sub, sup in ontology.subject_objects(RDFS.subClassOf):
            supers.setdefault(str(sub), set()).add(str(sup))

        def closure(cls_iri: str) -> set[str]:
            out, todo = set(), [cls_iri]
            while todo:
                current = todo.pop()
                if current not in out:
                    out.add(current)
                    todo.extend(supers.get(current, ()))
            return out

        graphs = []
        # rdflib's memory store keeps its graphs in a set, so dataset.graphs() comes in an
        # order that changes with PYTHONHASHSEED; read them by name for the same draft.
        for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
            name = str(graph.identifier)
            if name in skipped or (graph.identifier, AK.reviewStatus, draft) in graph:
                continue
            graphs.append(graph)
        drafts = {str(s) for g in graphs for s in g.subjects(AK.reviewStatus, draft)}
        labels: dict[str, set[str]] = {}
        names: dict[str, set[str]] = {}
        types: dict[str, set[str]] = {}
        relations: set[Relation] = set()
        goals: list[tuple[str, str]] = []
        for graph in graphs:
            for s, o in graph.subject_objects(RDFS.label):
                if isinstance(s, rdflib.URIRef) and _dutch(o):
                    labels.setdefault(str(s), set()).add(str(o))
                    names.setdefault(str(s), set()).add(str(o))
            for s, o in graph.subject_objects(SKOS.altLabel):
                if isinstance(s, rdflib.URIRef) and _dutch(o):
                    names.setdefault(str(s), set()).add(str(o))
            for s, o in graph.subject_objects(RDF.type):
                types.setdefault(str(s), set()).update(closure(str(o)))
            for s, p, o in graph:
                cue = RELATION_CUES.get(str(p))
                if cue is not None and isinstance(o, rdflib.URIRef):
                    relations.add(Relation(str(s), cue, str(o)))
            for s, o in graph.subject_objects(AK.hasGoal):
                goals.append((str(o), str(s)))
        entities = {}
        for iri, written in names.items():
            kinds = frozenset(types.get(iri, ()))
            if iri in drafts or not kinds or kinds & NOT_MENTIONED or (
                AK_IRI + "Claim" in kinds and AK_IRI + "Resolution" not in kinds
            ):
                continue
            label = sorted(labels.get(iri) or written)[0]
            entities[iri] = Known(iri, label, kinds, sorted(written))
        events: dict[tuple[str, str], set[str]] = {}
        event_iris: dict[tuple[str, str, str], str] = {}
        statuses: dict[str, set[str]] = {}
        subjects: set[str] = set()
        for graph in graphs:
            subjects.update(str(x) for x in graph.subjects() if isinstance(x, rdflib.URIRef))
            for event, entity in graph.subject_objects(AK.eventOf):
                kind = graph.value(event, AK.eventType)
                for when in graph.objects(event, AK.date):
                    if kind is not None:
                        events.setdefault((str(entity), str(kind)), set()).add(str(when))
                        key = (str(entity), str(kind), str(when))
                        # one event of a source and one of the register can share entity, type
                        # and date: take the smaller IRI (the source's `…-<type>` before the
                        # register's `…-<type>-register`), whichever graph came first
                        event_iris[key] = min(event_iris.get(key, str(event)), str(event))
            for entity, status in graph.subject_objects(AK.status):
                statuses.setdefault(str(entity), set()).add(str(status))
        links, hubs = _links(graphs, entities)
        relations |= {Relation(goal, "goal", owner) for goal, owner in goals}
        funders = {r.subject for r in relations if r.cue == "fund"}
        relations |= {Relation(owner, "fund", goal) for goal, owner in goals if owner in funders}
        usable = [
            r for r in relations
            if r.subject in entities and r.object in entities
            and RELATION_SUBJECTS[r.cue] in entities[r.subject].types
        ]
        return cls(
            entities,
            sorted(usable, key=lambda r: (r.subject, r.cue, r.object)),
            events={k: sorted(v) for k, v in events.items()},
            event_iris=event_iris,
            statuses={k: sorted(v) for k, v in statuses.items()},
            subjects=frozenset(subjects),
            corpus=tuple(corpus),
            links=links,
            hubs=hubs,
            kinds=_kinds(ontology, entities),
            duties=_duties(graphs, entities),
            themes=_themes(ontology),
        )

    def matcher(self) -> Matcher:
        """The :class:`Matcher` for these entities (built on first use).

        A task named as an action on something ("uitvoering van de inburgering", "nemen
        van verdeelbesluiten") is also found by that something alone ("de inburgering"),
        unless it is another entity's name ("intrekking van de Spreidingswet" is not the
        Spreidingswet).

        >>> task = Known("urn:t", "uitvoering van de inburgering", frozenset({AK_IRI + "Task"}),
        ...              ["uitvoering van de inburgering"])
        >>> t = Text.read("De inburgering loopt vast.")
        >>> [m.iri for m in Vocabulary({"urn:t": task}, []).matcher().find(t)]
        ['urn:t']
        """
        if self._matcher is None:
            names = {iri: list(e.names) for iri, e in self.entities.items()}
            taken = {_name_key(n) for written in names.values() for n in written}
            for iri, known in self.entities.items():
                if AK_IRI + "Task" not in known.types:
                    continue
                for name in known.names:
                    action = _ACTION.match(re.sub(r"\s*\([^)]*\)", "", name).strip())
                    if action and _name_key(action.group(1)) not in taken:
                        names[iri].append(action.group(1))
            self._matcher = Matcher(names, self.relations, self.corpus, self.links, self.kinds,
                                    self.hubs, self.duties, self.themes)
        return self._matcher


NOT_LINKS = frozenset(
    [AK_IRI + p for p in ("theme", "status", "hasQuote", "inDocument", "eventType",
                          "conflictType", "severity", "reviewStatus")]
    + ["http://www.w3.org/1999/02/22-rdf-syntax-ns#type"]
)
"""Predicates that say nothing about which entities belong together: value lists and
provenance."""

NOT_CONTEXT = frozenset({AK_IRI + "publisher", AK_IRI + "raisedBy"})
"""Predicates that count for how connected an entity is, but make no context: who
published a document or raised a claim (the publisher raises most claims of its text)."""


def _links(
    graphs: Iterable[rdflib.Graph], entities: Mapping[str, Known]
) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """Each entity's neighbours, and the hubs among them.

    Neighbours: what a statement links an entity to, directly or through a claim, event or
    figure about both (an objection that concerns a measure and affects a group links the
    two). Hubs: entities in statements with more than :data:`CONTEXT_DEGREE` other nodes
    (gemeenten, the VNG, the cabinet), which say nothing about which neighbour is meant.
    """
    import rdflib

    near: dict[str, set[str]] = {}
    about: dict[str, set[str]] = {}
    nodes: dict[str, set[str]] = {}
    for graph in graphs:
        for s, p, o in graph:
            if str(p) in NOT_LINKS or not isinstance(o, rdflib.URIRef):
                continue
            subject, value = str(s), str(o)
            if value not in entities or not isinstance(s, rdflib.URIRef):
                continue
            nodes.setdefault(value, set()).add(subject)
            nodes.setdefault(subject, set()).add(value)
            if str(p) in NOT_CONTEXT:
                continue
            if subject in entities:
                near.setdefault(subject, set()).add(value)
                near.setdefault(value, set()).add(subject)
            else:
                about.setdefault(subject, set()).add(value)
    for together in about.values():
        for iri in together:
            near.setdefault(iri, set()).update(together - {iri})
    hubs = frozenset(iri for iri, other in nodes.items() if len(other - {iri}) > CONTEXT_DEGREE)
    return {iri: frozenset(others - {iri}) for iri, others in near.items()}, hubs


def _duties(
    graphs: Iterable[rdflib.Graph], entities: Mapping[str, Known]
) -> dict[tuple[str, str], list[str]]:
    """``(actor, theme)`` to the tasks the graph gives that actor on that theme
    (``ak:responsibleActor`` or ``ak:executedBy``, and ``ak:theme``)."""
    actors: dict[str, set[str]] = {}
    themes: dict[str, set[str]] = {}
    for graph in graphs:
        for predicate in (AK.responsibleActor, AK.executedBy):
            for s, o in graph.subject_objects(predicate):
                actors.setdefault(str(s), set()).add(str(o))
        for s, o in graph.subject_objects(AK.theme):
            themes.setdefault(str(s), set()).add(str(o))
    found: dict[tuple[str, str], set[str]] = {}
    for iri, known in entities.items():
        if AK_IRI + "Task" not in known.types:
            continue
        for actor in actors.get(iri, ()):
            for theme in themes.get(iri, ()):
                found.setdefault((actor, theme), set()).add(iri)
    return {key: sorted(tasks) for key, tasks in found.items()}


def _themes(ontology: rdflib.Graph) -> dict[str, list[str]]:
    """Each theme's Dutch names: its label, split where it joins two ("integratie en
    inburgering" is named by either word)."""
    import rdflib
    from rdflib.namespace import RDFS, SKOS

    scheme = rdflib.URIRef(str(BEGRIP["thema"]))
    out: dict[str, list[str]] = {}
    for theme in ontology.subjects(SKOS.inScheme, scheme):
        for label in ontology.objects(theme, RDFS.label):
            if _dutch(label) and getattr(label, "language", None):
                parts = [part.strip() for part in re.split(r"\s+en\s+", str(label))]
                out.setdefault(str(theme), []).extend(p for p in parts if p)
    return {theme: sorted(set(names)) for theme, names in out.items()}


def _kinds(ontology: rdflib.Graph, entities: Mapping[str, Known]) -> dict[str, str]:
    """Nouns for the kinds of actor the graph knows one actor of, to that actor.

    The nouns of the class's Dutch label, and the nouns its adjectives derive from
    ("rechterlijke instantie": "instantie" and "rechter"); not a noun that is another
    entity's name (the class label "gemeente" is the group "gemeenten").
    """
    import rdflib
    from rdflib.namespace import RDFS

    members: dict[str, set[str]] = {}
    for iri, known in entities.items():
        if AK_IRI + "Actor" in known.types:
            for kind in known.types:
                members.setdefault(kind, set()).add(iri)
    out: dict[str, str] = {}
    taken: set[str] = set()
    for kind, who in sorted(members.items()):
        if len(who) != 1 or kind == AK_IRI + "Actor":
            continue
        member = next(iter(who))
        names = {
            _name_key(n) for known in entities.values() if known.iri != member
            for n in known.names
        }
        for label in ontology.objects(rdflib.URIRef(kind), RDFS.label):
            if not _dutch(label):
                continue
            for word in _WORD.findall(str(label)):
                folded = fold(word)
                if folded in STOPWORDS or is_abbreviation(word) or "-" in word:
                    continue
                noun = derivation_base(stem(word)) if _adjective(folded) else folded
                if (stem(noun),) in names or len(noun) < 5:
                    continue
                if noun in out and out[noun] != member:
                    taken.add(noun)
                out[noun] = member
    return {noun: iri for noun, iri in out.items() if noun not in taken}


def _dutch(literal: object) -> bool:
    """A label usable for Dutch text: tagged ``nl`` or untagged."""
    language = getattr(literal, "language", None)
    return language in (None, "nl") or str(language).startswith("nl-")


# --------------------------------------------------------------------------- quotes


@dataclass(frozen=True)
class Quote:
    """A quote selector: ``oa:exact`` with ``oa:prefix``/``oa:suffix`` when needed.

    Attributes:
        exact: The passage as it is in the normalised text.
        prefix: Words right before it, when ``exact`` alone occurs more than once.
        suffix: Words right after it, when a prefix cannot make it unique.
    """

    exact: str
    prefix: str | None = None
    suffix: str | None = None


def _occurrences(haystack: str, needle: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence, as kg.anchor counts them."""
    found = []
    i = haystack.find(needle)
    while i >= 0:
        found.append(i)
        i = haystack.find(needle, i + 1)
    return found


def quote_at(text: Text, start: int, end: int, context: int = 3, max_words: int = 25) -> Quote:
    """A quote for the passage ``text.text[start:end]`` that anchors in one place only.

    The passage is widened to whole words and a few words of context within its sentence
    (a clause of about 4 to 25 words, as curators quote); when the result still occurs
    more than once, words before it become ``oa:prefix`` (or words after it ``oa:suffix``).

    >>> t = Text.read("De VNG vraagt om voorrang. Het COA vraagt om voorrang.")
    >>> quote_at(t, 31, 34, context=1)
    Quote(exact='Het COA vraagt', prefix=None, suffix=None)
    >>> at = t.text.rindex("om voorrang")
    >>> quote_at(t, at, at + 11, context=0)
    Quote(exact='om voorrang', prefix='COA vraagt', suffix=None)
    """
    tokens = text.tokens
    inside = [i for i, t in enumerate(tokens) if t.end > start and t.start < end]
    if not inside:
        raise ValueError(f"no words between offsets {start} and {end}")
    lo, hi = inside[0], inside[-1]
    sentence = tokens[lo].sentence
    for _ in range(context):
        if hi - lo + 1 >= max_words:
            break
        if lo > 0 and tokens[lo - 1].sentence == sentence:
            lo -= 1
        if hi + 1 < len(tokens) and tokens[hi + 1].sentence == tokens[hi].sentence:
            hi += 1
    a, b = min(tokens[lo].start, start), max(tokens[hi].end, end)
    exact = text.text[a:b].strip()
    hits = _occurrences(text.text, exact)
    if len(hits) <= 1:
        return Quote(exact)
    for k in range(1, 9):
        if lo - k < 0:
            break
        prefix = text.text[tokens[lo - k].start : a].strip()
        fitting = [h for h in hits if text.text[:h].rstrip().endswith(prefix)]
        if len(fitting) == 1:
            return Quote(exact, prefix=prefix)
    for k in range(1, 9):
        if hi + k >= len(tokens):
            break
        suffix = text.text[b : tokens[hi + k].end].strip()
        fitting = [h for h in hits if text.text[h + len(exact):].lstrip().startswith(suffix)]
        if len(fitting) == 1:
            return Quote(exact, suffix=suffix)
    # Repeated boilerplate (a URL printed twice): widen the passage itself.
    if lo > 0:
        return quote_at(text, tokens[lo - 1].start, end, 0, max_words + 5)
    return quote_at(text, start, tokens[min(hi + 1, len(tokens) - 1)].end, 0, max_words + 5)


def check_quote(text: Text, quote: Quote) -> bool:
    """Whether ``quote`` anchors in exactly one place of the source, as ``kg check`` tests.

    >>> t = Text.read("Een verant-\\nwoordelijkheid. Een taak.")
    >>> check_quote(t, Quote("Een verantwoordelijkheid")), check_quote(t, Quote("Een"))
    (True, False)
    """
    span = find_quote(text.raw, quote.exact, quote.prefix, quote.suffix)
    return span is not None and not span.ambiguous


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class Lit:
    """An RDF literal for the draft: a value with a datatype IRI or a language tag."""

    value: str
    datatype: str | None = None
    lang: str | None = None


Value = str | Lit
"""The object of a draft statement: an IRI (a plain ``str``) or a :class:`Lit`."""


@dataclass
class Candidate:
    """Something the text names that the graph lacks, or a claim it makes: a draft.

    Attributes:
        iri: The IRI it would get.
        types: Its classes (full IRIs).
        label: Its Dutch label.
        kind: What found it: ``wet``, ``amendement``, ``novelle``, ``kamerstuk``,
            ``afkorting``, ``datum``, ``cijfer``, ``bezwaar``, ``tegenstrijdigheid``.
        quotes: Where the text says it.
        statements: Further ``(predicate, value)`` pairs.
        note: What the reviewer should check.
        sentences: The sentences it is found in (one quote each).
        start: Offset where it was first found.
        key: What tells two findings of the same candidate (its label, unless set).
    """

    iri: str
    types: tuple[str, ...]
    label: str
    kind: str
    quotes: list[Quote]
    statements: list[tuple[str, Value]]
    note: str
    sentences: list[int]
    start: int
    key: str = ""


XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
ID = "https://w3id.org/asielketen/id/"

SUBSTANTIVE = frozenset(
    AK_IRI + c
    for c in ("Measure", "LegalResource", "Instrument", "Task", "PolicyProgramme", "Goal")
)
"""What a claim is about, in preference to actors and documents."""
SIDES = SUBSTANTIVE - {AK_IRI + "Goal"}
"""What a conflict statement can put against each other."""

_MONTH = "|".join(_MONTHS)
_FULL_DATE = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})(?:\s+((?:19|20)\d\d))?\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(
    rf"\b(?:(begin|eind|medio|half)\s+)?({_MONTH})\s+((?:19|20)\d\d)\b", re.IGNORECASE
)
_BARE_MONTH = re.compile(
    rf"\b(?:in|per|vanaf|sinds|tot|voor|na|eind|begin|medio|half|uiterlijk)\s+({_MONTH})\b"
    rf"(?!\s+(?:19|20)\d\d)", re.IGNORECASE
)
_YEAR = re.compile(
    r"\b(?:in|per|vanaf|sinds|tot|voor|na|uiterlijk|eind|begin|medio)\s+((?:19|20)\d\d)\b"
    r"(?![.,]\d)"
)
_KAMERSTUK = re.compile(r"\b(\d{2})\s?(\d{3})(?:-[A-Z]{1,3})?,\s*nr\.\s*(\d+)\b")
_LAW_TITLE = re.compile(r"\bWet(?:\s+[\w’'-]+){1,9}")
_LAW_COMPOUND = re.compile(r"\b([A-Za-zÀ-ÿ]{4,}wet)(?:\s+((?:19|20)\d\d))?\b")
_AMENDMENT = re.compile(
    r"\bamendement(?:en)?(?:\s+van\s+het\s+lid)?[\s-]+([A-Z][\w’'-]+(?:[\s-](?:van|de|der|en)"
    r"[\s-][A-Z][\w’'-]+)*)"
)
_NOVELLE = re.compile(r"\bnovelle\b(?:\s+(van|bij|op)\s+([^,.;:()]{3,40}?))?(?=[,.;:()]|\s+(?:"
                      r"corrigeert|wordt|is|heeft|zal|moet|en|die|dat)\b|$)")
_ABBREVIATION = re.compile(
    r"(?<![\w&+])([A-Z][A-Za-z]*[A-Z][A-Z&+]*|[A-Z]{2,}[+]?|[A-Z]&[A-Z])(?![\w&])"
)
_FIGURE = re.compile(
    r"(?<![\w.,/:-])(€\s?)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?!\s*[:/.\d])"
    r"(?:\s*(miljoen|miljard|duizend))?\s*(%|procent\b|[a-zà-ÿ][a-zà-ÿ-]+)?"
)
_NOT_ABBREVIATIONS = frozenset(
    "PDF URL HTML HTTP HTTPS WWW NB II III IV VI VII VIII IX XI XII CC".split()
)
_TITLE_STOP = frozenset(
    """is wordt werd zijn heeft hebben kan zal moet worden gaat blijft komt bevat regelt voorziet
    die dat waarin waarmee als en of maar om te door dan omdat nu ook niet wel nog al pas
    volgens""".split()
)
_QUANTIFIERS = frozenset(
    "maximaal minimaal ruim circa ca ongeveer zo'n zo’n bijna dan wel slechts nog zeker".split()
)
_DURATION_MONTHS = {"dag": 1 / 30, "week": 12 / 52, "maand": 1.0, "jaar": 12.0}
_MULTIPLIERS = {"duizend": 1_000, "miljoen": 1_000_000, "miljard": 1_000_000_000}

EVENT_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("amendement-aangenomen",
     re.compile(r"amendement.{0,80}\baangenomen|aangenomen.{0,40}amendement")),
    ("aangenomen-eerste-kamer", re.compile(r"eerste kamer.{0,80}\b(aangenomen|ingestemd|stemde)"
                                           r"|(aangenomen|ingestemd|stemde).{0,60}eerste kamer")),
    ("aangenomen-tweede-kamer", re.compile(r"tweede kamer.{0,80}\b(aangenomen|ingestemd|stemde)"
                                           r"|(aangenomen|ingestemd|stemde).{0,60}tweede kamer")),
    ("behandeling-aangehouden", re.compile(r"aangehouden|aan te houden|houdt .{0,40}\baan\b")),
    ("advies-raad-van-state",
     re.compile(r"advies.{0,80}raad van state|raad van state.{0,80}advie")),
    ("consultatie", re.compile(r"consultatie")),
    ("ingediend", re.compile(r"\bingediend|\bindien")),
    ("inwerkingtreding", re.compile(r"in werking|inwerkingtreding")),
    ("ingetrokken", re.compile(r"\bingetrokken\b")),
    ("voorgenomen-intrekking", re.compile(r"intrekk|in te trekken")),
    ("afloop", re.compile(r"loopt af|\bafloop|verloopt|\beindigt")),
    ("aangekondigd", re.compile(r"aangekondigd|kondigt .{0,60}\baan\b|aankondig")),
)
"""Words in a sentence that tell which kind of lifecycle event a date in it is (folded
text), most specific first; the slugs are those of ``begrip/gebeurtenis/``."""

EVENT_STATUS = {
    "consultatie": "in-consultatie",
    "ingediend": "aanhangig",
    "aangenomen-tweede-kamer": "aanhangig",
    "aangenomen-eerste-kamer": "aangenomen",
    "inwerkingtreding": "in-werking",
    "ingetrokken": "ingetrokken",
    "voorgenomen-intrekking": "voornemen",
    "aangekondigd": "voornemen",
}
"""The status a lifecycle event implies (slugs of ``begrip/status/``), for the report."""

CLAIM_CUES: dict[str, re.Pattern[str]] = {
    "tegenstrijdigheid": re.compile(
        r"haaks op|tegenstrijdig\w*|op gespannen voet|tegengesteld\w*|in strijd met|strijdig"
        r"|\bbotst\b|\bbotsen\b|\bwringt\b"
    ),
    "bezwaar": re.compile(
        r"onuitvoerbaar|niet uitvoerbaar|zorgen? over|\bzorg is\b|baart .{0,30}zorg|grote zorg"
        r"|zorgelijk|bezwa(ar|ren)|onbegrijpelijk|onwenselijk|onacceptabel|kritiek|problematisch"
        r"|funest|niet handhaafbaar|onrealistisch|niet realistisch|niet uit te leggen"
    ),
}
"""Words that make a sentence a candidate conflict statement or objection (folded text)."""


def slugify(text: str, max_length: int = 60) -> str:
    """A Dutch lower-case hyphenated slug without diacritics, cut at a word boundary.

    >>> slugify("Wet inburgering 2021"), slugify("amendement-Vondeling (36 704)")
    ('wet-inburgering-2021', 'amendement-vondeling-36-704')
    """
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "x"


@dataclass
class Found:
    """What a text says, before it is written as a draft graph.

    Attributes:
        mentions: Mentions of known entities.
        candidates: New entities and claims, in the order they are written.
        known_statements: Draft statements about known entities (a Kamerstuk number),
            ``(subject, predicate, value, quote)``.
        event_dates: For the report: ``(entity, event type, date the text gives, dates the
            graph has)`` where the text dates a known entity's lifecycle event.
    """

    mentions: list[Mention]
    candidates: list[Candidate]
    known_statements: list[tuple[str, str, Value, Quote]]
    event_dates: list[tuple[str, str, str, list[str]]]


class _Finder:
    """Finds candidates in one text: one method a kind, sharing what is known and minted."""

    def __init__(
        self,
        text: Text,
        name: str,
        vocabulary: Vocabulary,
        mentions: list[Mention],
        publisher: str,
        doc_date: tuple[int, int | None] | None,
        taken: set[str],
    ) -> None:
        self.text = text
        self.name = name
        self.vocabulary = vocabulary
        self.mentions = mentions
        self.publisher = publisher
        self.doc_date = doc_date
        self.taken = set(taken)
        self.candidates: dict[str, Candidate] = {}
        self.known_statements: list[tuple[str, str, Value, Quote]] = []
        self.event_dates: list[tuple[str, str, str, list[str]]] = []
        self.extra_mentions: list[Mention] = []
        self.spans: list[tuple[int, int]] = []  # text already used by a candidate
        self.urls = [m.span() for m in _URL.finditer(text.text)]
        self.by_sentence = _by_sentence(mentions)
        self.exact_names = {
            nt.exact for n in vocabulary.matcher().names for nt in n.tokens if nt.exact
        }

    # -- helpers

    def types(self, iri: str) -> frozenset[str]:
        known = self.vocabulary.entities.get(iri)
        if known is not None:
            return known.types
        candidate = self.candidates.get(iri)
        if candidate is None:
            return frozenset()
        return frozenset(candidate.types) | (
            {AK_IRI + "LegalResource"} if set(candidate.types) & _LEGAL else set()
        )

    def label(self, iri: str) -> str:
        known = self.vocabulary.entities.get(iri)
        if known is not None:
            return known.label
        candidate = self.candidates.get(iri)
        return candidate.label if candidate is not None else iri.rsplit("/", 1)[-1]

    def in_sentence(self, index: int, outermost: bool = False) -> list[tuple[str, int, int]]:
        """Known and candidate entities of a sentence: ``(iri, start, end)``, text order.

        With ``outermost``, a mention inside a longer one is left out (the instrument
        named inside the name of the measure that bans it).
        """
        out = [(m.iri, m.start, m.end) for m in self.by_sentence.get(index, ())]
        for candidate in self.candidates.values():
            if index in candidate.sentences and candidate.kind not in ("datum", "cijfer"):
                out.append((candidate.iri, candidate.start, candidate.start + 1))
        if outermost:
            out = [
                (iri, a, b) for iri, a, b in out
                if not any(x <= a and b <= y and (y - x) > (b - a) for _, x, y in out)
            ]
        return sorted(set(out), key=lambda x: (x[1], x[0], x[2]))

    def known_at(self, start: int, end: int, kind: str | None = None) -> str | None:
        """A known entity mentioned over ``start``..``end`` (of class ``kind``, if given)."""
        for mention in self.mentions:
            if mention.start < end and start < mention.end and mention.how == "name":
                if kind is None or kind in self.types(mention.iri):
                    return mention.iri
        return None

    def used(self, start: int, end: int) -> bool:
        return any(a < end and start < b for a, b in self.spans)

    def mint(self, kind: str, slug: str) -> str:
        iri = f"{ID}{kind}/{slug}"
        number = 2
        while iri in self.taken:
            iri = f"{ID}{kind}/{slug}-{number}"
            number += 1
        self.taken.add(iri)
        return iri

    def add(
        self,
        kind: str,
        iri_kind: str,
        slug: str,
        types: tuple[str, ...],
        label: str,
        start: int,
        end: int,
        note: str,
        statements: Iterable[tuple[str, Value]] = (),
        key: str | None = None,
    ) -> Candidate:
        """Add a candidate, or a quote from another sentence to the one with the same key."""
        sentence = self.sentence_of(start)
        self.spans.append((start, end))
        key = key or label
        for candidate in self.candidates.values():
            if candidate.kind == kind and candidate.key == key:
                if sentence not in candidate.sentences:
                    candidate.sentences.append(sentence)
                    candidate.quotes.append(quote_at(self.text, start, end))
                return candidate
        candidate = Candidate(
            iri=self.mint(iri_kind, slug),
            types=types,
            label=label,
            kind=kind,
            quotes=[quote_at(self.text, start, end)],
            statements=list(statements),
            note=note,
            sentences=[sentence],
            start=start,
            key=key,
        )
        self.candidates[candidate.iri] = candidate
        return candidate

    def sentence_of(self, offset: int) -> int:
        """The sentence that holds ``offset``."""
        for index, (a, b) in enumerate(self.text.sentences):
            if a <= offset < b:
                return index
        return len(self.text.sentences) - 1

    def folded_sentence(self, index: int) -> str:
        a, b = self.text.sentences[index]
        return fold(self.text.text[a:b])

    # -- the kinds of candidates, in the order they are looked for

    def run(self) -> Found:
        """Look for every kind of candidate; later kinds use what earlier ones found."""
        self.laws()
        self.amendments()
        self.novelles()
        self.kamerstukken()
        self.abbreviations()
        self.dates()
        self.figures()
        self.claims()
        order = {kind: i for i, kind in enumerate(KINDS)}
        candidates = sorted(self.candidates.values(), key=lambda c: (order[c.kind], c.start))
        return Found(
            sorted(set(self.mentions + self.extra_mentions), key=_text_order),
            candidates,
            self.known_statements,
            self.event_dates,
        )

    def laws(self) -> None:
        """Law and bill names: ``Wet …`` titles and ``…wet`` compounds."""
        text = self.text.text
        for match in _LAW_TITLE.finditer(text):
            words = match.group().split()
            title_case = words[1][:1].isupper()
            kept = ["Wet"]
            for word in words[1:]:
                bare = word.strip("’'")
                if title_case and not (bare[:1].isupper() or bare.isdigit()):
                    break
                if not title_case and (bare[:1].isupper() or fold(bare) in _TITLE_STOP):
                    break
                kept.append(bare)
            while len(kept) > 1 and fold(kept[-1]) in STOPWORDS:
                kept.pop()
            if len(kept) < 2:
                continue
            label = " ".join(kept)
            end = match.start() + text[match.start():].index(kept[-1]) + len(kept[-1])
            self._legal(label, match.start(), end)
        for match in _LAW_COMPOUND.finditer(text):
            word = match.group(1)
            if self.used(match.start(), match.end()) or word.lower() in ("wet",):
                continue
            label = word[0].upper() + word[1:]
            if match.group(2):
                label += " " + match.group(2)
            self._legal(label, match.start(), match.end())

    def _legal(self, label: str, start: int, end: int) -> None:
        if self._in_url(start):
            return
        if self.known_at(start, end, AK_IRI + "LegalResource") or self._known_name(label):
            return
        sentence = self.folded_sentence(self.sentence_of(start))
        bill = re.search(r"wetsvoorstel|voorstel|novelle|consultatie|ingediend|behandeling"
                         r"|aangenomen|stemming|kamer", sentence) is not None
        self.add(
            "wet", "wetsvoorstel" if bill else "wet", slugify(label),
            (AK_IRI + ("Bill" if bill else "LegalResource"),), label, start, end,
            "Kandidaat van kg ingest (naam van een wet of wetsvoorstel): controleer de naam, "
            "kies ak:Law of ak:Bill en vul ak:status en ak:theme aan.",
        )

    def _known_name(self, label: str) -> bool:
        key = _name_key(label)
        return any(
            _name_key(name) == key
            for known in self.vocabulary.entities.values() for name in known.names
        )

    def _in_url(self, start: int) -> bool:
        return any(a <= start < b for a, b in self.urls)

    def amendments(self) -> None:
        """Amendments named after their first signatory: ``amendement X``, ``amendement-X``."""
        for match in _AMENDMENT.finditer(self.text.text):
            if self._in_url(match.start()):
                continue
            who = re.sub(r"[\s-]+", " ", match.group(1)).strip()
            label = f"amendement {who}"
            if self.known_at(match.start(), match.end(), AK_IRI + "Amendment"):
                continue
            if self._known_name(label):
                continue
            index = self.sentence_of(match.start())
            bills = [
                iri for iri, _, _ in self.in_sentence(index)
                if AK_IRI + "Bill" in self.types(iri) and AK_IRI + "Novelle" not in self.types(iri)
            ]
            statements: list[tuple[str, Value]] = []
            if len(set(bills)) == 1:
                statements.append((AK_IRI + "amends", bills[0]))
            self.add(
                "amendement", "amendement", slugify(who), (AK_IRI + "Amendment",), label,
                match.start(), match.end(),
                "Kandidaat van kg ingest (amendement): controleer welk wetsvoorstel het wijzigt "
                "(ak:amends) en of het is aangenomen.",
                statements,
            )

    def novelles(self) -> None:
        """Novelles (a bill that amends a bill in the Senate)."""
        for match in _NOVELLE.finditer(self.text.text):
            index = self.sentence_of(match.start())
            here = self.in_sentence(index)
            if any(AK_IRI + "Novelle" in self.types(iri) for iri, _, _ in here):
                continue
            if match.group(1):
                label = f"novelle {match.group(1)} {match.group(2).strip()}"
            else:
                legal = [
                    iri for iri, _, _ in here
                    if self.types(iri) & {AK_IRI + "Bill", AK_IRI + "Amendment"}
                ]
                label = f"novelle bij {self.label(legal[0])}" if legal else "novelle"
            self.add(
                "novelle", "wetsvoorstel", slugify(label if label != "novelle" else
                                                   f"novelle {self.name}"),
                (AK_IRI + "Novelle",), label, match.start(), match.end(),
                "Kandidaat van kg ingest (novelle): controleer welk wetsvoorstel of amendement "
                "zij wijzigt en vul ak:amends en ak:status aan.",
            )

    def kamerstukken(self) -> None:
        """Kamerstuk numbers, on the legal resource just before them or as a document."""
        for match in _KAMERSTUK.finditer(self.text.text):
            number = f"{match.group(1)} {match.group(2)}, nr. {match.group(3)}"
            index = self.sentence_of(match.start())
            before = [
                (iri, end) for iri, start, end in self.in_sentence(index)
                if end <= match.start() + 1 and match.start() - end < 40
                and AK_IRI + "LegalResource" in self.types(iri)
            ]
            if before:
                iri = before[-1][0]
                statement = (AK_IRI + "kamerstuk", Lit(number))
                candidate = self.candidates.get(iri)
                if candidate is not None:
                    if statement not in candidate.statements:
                        candidate.statements.append(statement)
                    continue
                quote = quote_at(self.text, match.start(), match.end(), context=4)
                self.known_statements.append((iri, statement[0], statement[1], quote))
                continue
            self.add(
                "kamerstuk", "document", slugify(f"kamerstuk {number}"), (AK_IRI + "Document",),
                f"Kamerstuk {number}", match.start(), match.end(),
                "Kandidaat van kg ingest (Kamerstuk): zoek op welk stuk dit is en aan welke "
                "wet, welk wetsvoorstel of amendement het hoort.",
                [(AK_IRI + "kamerstuk", Lit(number))],
            )

    def abbreviations(self) -> None:
        """Abbreviations the graph does not know, as candidate organisations."""
        text = self.text.text
        for match in _ABBREVIATION.finditer(text):
            abbreviation = match.group(1)
            if (
                abbreviation in self.exact_names
                or abbreviation in _NOT_ABBREVIATIONS
                or len(abbreviation) > 8
                or self._in_url(match.start())
                or self.known_at(match.start(), match.end())
            ):
                continue
            sentence = text[slice(*self.text.sentences[self.sentence_of(match.start())])]
            capitals = re.findall(r"\b[A-Z]{2,}\b", sentence)
            if len(capitals) > 3 and len(capitals) * 3 > len(sentence.split()):
                continue  # a heading in capitals, not an abbreviation
            expansion = _expansion(text, match.start(), match.end(), abbreviation)
            statements: list[tuple[str, Value]] = []
            label = abbreviation
            if expansion:
                label = expansion
                statements.append((SKOS_ALT, Lit(abbreviation, lang="nl")))
            self.add(
                "afkorting", "organisatie", slugify(abbreviation),
                (AK_IRI + "Organisation",), label, match.start(), match.end(),
                "Kandidaat van kg ingest (afkorting): controleer of dit een organisatie is, "
                "vul de volledige naam aan (rdfs:label) en houd de afkorting als skos:altLabel.",
                statements, key=abbreviation,
            )

    def dates(self) -> None:
        """Dates (Dutch month names, years), as candidate lifecycle events."""
        text = self.text.text
        spans: list[tuple[int, int]] = []
        found: list[tuple[int, int, str, str, bool, str]] = []
        year, month = self.doc_date if self.doc_date else (None, None)
        for match in _FULL_DATE.finditer(text):
            day, name, given = int(match.group(1)), match.group(2).lower(), match.group(3)
            number = _MONTHS.index(name) + 1
            if given:
                when, inferred = int(given), False
            elif year is None:
                continue
            else:
                when, inferred = year, True
                if month is not None and number > month and re.match(
                    r"\s*jl\b", text[match.end():]
                ):
                    when -= 1
            if not 1 <= day <= 31:
                continue
            iso = f"{when:04d}-{number:02d}-{day:02d}"
            found.append((match.start(), match.end(), iso, "date", inferred, match.group()))
            spans.append(match.span())
        for match in _MONTH_YEAR.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in spans):
                continue
            number = _MONTHS.index(match.group(2).lower()) + 1
            iso = f"{int(match.group(3)):04d}-{number:02d}"
            found.append((match.start(), match.end(), iso, "gYearMonth", False, match.group()))
            spans.append(match.span())
        for match in _BARE_MONTH.finditer(text):
            if year is None or any(a < match.end() and match.start() < b for a, b in spans):
                continue
            number = _MONTHS.index(match.group(1).lower()) + 1
            iso = f"{year:04d}-{number:02d}"
            found.append((match.start(), match.end(), iso, "gYearMonth", True, match.group()))
            spans.append(match.span())
        for match in _YEAR.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in spans):
                continue
            found.append((match.start(), match.end(), match.group(1), "gYear", False,
                          match.group()))
        for start, end, iso, datatype, inferred, written in sorted(found):
            if self._in_url(start):
                continue
            self._event(start, end, iso, datatype, inferred, written)

    def _event(
        self, start: int, end: int, iso: str, datatype: str, inferred: bool, written: str
    ) -> None:
        index = self.sentence_of(start)
        sentence = self.folded_sentence(index)
        kind = next((slug for slug, cue in EVENT_CUES if cue.search(sentence)), None)
        subjects = [
            (abs(s - start), iri) for iri, s, _ in self.in_sentence(index)
            if self.types(iri) & _EVENTFUL
        ]
        subject = min(subjects)[1] if subjects else None
        statements: list[tuple[str, Value]] = [(AK_IRI + "date", Lit(iso, XSD + datatype))]
        if inferred:
            statements.append((AK_IRI + "dateInferred", Lit("true", XSD + "boolean")))
        note = (
            "Kandidaat van kg ingest (datum): controleer waar de datum bij hoort (ak:eventOf) "
            "en wat er gebeurt (ak:eventType)."
        )
        if inferred:
            note += " Het jaar is afgeleid uit de datum van het document."
        if kind is not None:
            statements.append((AK_IRI + "eventType", f"{BEGRIP}gebeurtenis/{kind}"))
        if subject is not None:
            statements.append((AK_IRI + "eventOf", subject))
        kind_label = (kind or "gebeurtenis").replace("-", " ")
        if subject is not None:
            label = f"{self.label(subject)}: {kind_label} ({written.strip()})"
            slug = f"{subject.rsplit('/', 1)[-1]}-{kind or 'gebeurtenis'}"
        else:
            label = f"{written.strip()}: {kind_label} (onderwerp nog bepalen)"
            slug = f"{self.name}-{iso}"
        if subject is not None and kind is not None and subject in self.vocabulary.entities:
            known = self.vocabulary.events.get((subject, f"{BEGRIP}gebeurtenis/{kind}"), [])
            self.event_dates.append((subject, kind, iso, known))
            same = self.vocabulary.event_iris.get((subject, f"{BEGRIP}gebeurtenis/{kind}", iso))
            if same is not None:
                # the graph has this event with this date: quote it there, no candidate
                self.extra_mentions.append(Mention(same, start, end, index, "date", iso))
                self.spans.append((start, end))
                return
        self.add("datum", "gebeurtenis", slugify(slug, 80), (AK_IRI + "LifecycleEvent",), label,
                 start, end, note, statements, key=f"{subject} {kind} {iso}")

    def figures(self) -> None:
        """Figures with their unit: ``96.000 plekken``, ``115%``, ``€ 10 miljoen``."""
        text = self.text.text
        for match in _FIGURE.finditer(text):
            euro, digits, decimals, multiplier, unit = match.groups()
            start = match.start() if not euro else match.start(1)
            if self._in_url(start) or self.used(match.start(), match.end()):
                continue
            before = text[max(0, start - 14):start].split()
            if re.fullmatch(r"(19|20)\d\d", digits) and not (euro or unit in ("%", "procent")) and (
                not before or fold(before[-1]) not in _QUANTIFIERS
            ):
                continue  # a year, unless "maximaal 2000 personen"
            if re.search(r"nr\.\s*$", text[max(0, start - 6):start]):
                continue  # a Kamerstuk or list number
            words_after = text[match.end():match.end() + 40].split()
            label_end = match.end()
            if unit is not None and unit not in ("%", "procent"):
                if fold(unit) in STOPWORDS or fold(unit) in _MONTHS or len(unit) < 2:
                    unit = None
                    label_end = max(e for e in (match.end(2), match.end(3), match.end(4)) if e)
                elif unit.endswith("e") and words_after and re.fullmatch(r"[a-zà-ÿ]{3,}",
                                                                          words_after[0]):
                    # an adjective before the unit: "1 grote locatie"
                    unit = words_after[0]
                    label_end = text.index(unit, match.end()) + len(unit)
            if unit is None and not euro:
                continue
            value = float(digits.replace(".", "") + ("." + decimals if decimals else ""))
            value *= _MULTIPLIERS.get((multiplier or "").lower(), 1)
            if euro:
                unit_name = "euro"
            elif unit in ("%", "procent"):
                unit_name = "procent"
            else:
                assert unit is not None
                unit_name = unit
            label = text[start:label_end].strip()
            statements: list[tuple[str, Value]] = [
                (AK_IRI + "value", Lit(_decimal(value), XSD + "decimal")),
                (AK_IRI + "unit", Lit(unit_name)),
            ]
            types: tuple[str, ...] = (AK_IRI + "Figure",)
            months = _DURATION_MONTHS.get(stem(unit_name).removesuffix("e"))
            if months is None and stem(unit_name) in ("jar", "wek"):
                months = {"jar": 12.0, "wek": 12 / 52}[stem(unit_name)]
            if months is not None:
                types = (AK_IRI + "Duration",)
                statements.append((AK_IRI + "months", Lit(_decimal(value * months), XSD +
                                                          "decimal")))
            self.add(
                "cijfer", "cijfer", slugify(f"{self.name} {label}", 90), types, label, start,
                label_end,
                "Kandidaat van kg ingest (cijfer): controleer waarde en eenheid en vul aan "
                "waarover het gaat (ak:about, ak:scope) en per wanneer (ak:date).",
                statements, key=f"{label} {self.sentence_of(start)}",
            )

    def claims(self) -> None:
        """Sentences that object or say two things conflict: candidate claims, attributed to
        the actor the sentence says it of (:meth:`claimant`), else to the publisher."""
        for index in range(len(self.text.sentences)):
            sentence = self.folded_sentence(index)
            hits = {kind: cue.search(sentence) for kind, cue in CLAIM_CUES.items()}
            kind = "tegenstrijdigheid" if hits["tegenstrijdigheid"] else (
                "bezwaar" if hits["bezwaar"] else None)
            if kind is None:
                continue
            cue = hits[kind]
            assert cue is not None
            claimant = self.claimant(index)
            short = self._short_name(claimant)
            here = [
                iri for iri, _, _ in self.in_sentence(index, outermost=True)
                if iri not in (self.publisher, claimant)
            ]
            sides = _unique(iri for iri in here if self.types(iri) & SIDES)
            back = index - 1
            while kind == "tegenstrijdigheid" and len(sides) < 2 and back >= max(0, index - 2):
                sides = _unique(sides + [
                    iri for iri, _, _ in self.in_sentence(back, outermost=True)
                    if self.types(iri) & SIDES and iri not in (self.publisher, claimant)
                ])
                back -= 1
            concerns = _unique(iri for iri in here if self.types(iri) & SUBSTANTIVE) or _unique(
                iri for iri in here
                if not self.types(iri) & {AK_IRI + "Document", AK_IRI + "LifecycleEvent"}
            )
            if not concerns and index > 0:
                concerns = _unique(
                    iri for iri, _, _ in self.in_sentence(index - 1)
                    if self.types(iri) & SUBSTANTIVE
                )
            offset = self.text.sentences[index][0]
            start, end = offset + cue.start(), offset + cue.end()
            tokens = self.text.sentence_tokens(index)
            if len(tokens) <= 30:
                # the whole sentence: who says what about what
                quote = quote_at(self.text, tokens[0].start, tokens[-1].end, context=0,
                                 max_words=30)
            else:
                quote = quote_at(self.text, start, end, context=12, max_words=25)
            words = quote.exact.split()
            label = f"{short}: {' '.join(words[:14])}{' …' if len(words) > 14 else ''}"
            statements: list[tuple[str, Value]] = [(AK_IRI + "raisedBy", claimant)]
            statements += [(AK_IRI + "concerns", iri) for iri in concerns[:6]]
            if kind == "tegenstrijdigheid" and len(sides) >= 2:
                statements += [(AK_IRI + "conflictBetween", iri) for iri in sides[:4]]
                types: tuple[str, ...] = (AK_IRI + "ConflictStatement",)
                note = ("Kandidaat van kg ingest (tegenstrijdigheid): controleer wie het zegt, "
                        "welke twee kanten botsen (ak:conflictBetween), het draaipunt "
                        "(ak:conflictPivot) en de soort (ak:conflictType).")
            else:
                types = (AK_IRI + "Objection",)
                note = ("Kandidaat van kg ingest (bezwaar): controleer wie het zegt (ak:raisedBy) "
                        "en waartegen (ak:concerns); maak er zo nodig een ak:ExpectedEffect of "
                        "ak:ConflictStatement van.")
            if claimant != self.publisher:
                note += (f" De zin schrijft de bewering toe aan {self.label(claimant)}, niet aan "
                         f"de uitgever.")
            content = [w for w in _WORD.findall(quote.exact) if fold(w) not in STOPWORDS]
            slug = slugify(f"{short} {' '.join(content[:6])}", 70)
            self.spans.append((start, end))
            candidate = Candidate(
                iri=self.mint("claim", slug), types=types, label=label,
                kind="tegenstrijdigheid" if AK_IRI + "ConflictStatement" in types else "bezwaar",
                quotes=[quote], statements=statements, note=note, sentences=[index],
                start=start, key=f"claim {index}",
            )
            self.candidates[candidate.iri] = candidate

    def claimant(self, index: int) -> str:
        """Who a sentence says a statement of: an actor after ``volgens`` or ``aldus``
        ("Volgens de VNG …"), an actor that opens the sentence and is followed by a verb
        of saying or judging ("De Raad van State oordeelde …", "Het kabinet erkent …"),
        or one right after such a verb ("Daarin stelt de minister …"); else the publisher.
        A first-person subject ("Net als de Raad van State signaleren wij …") is the
        publisher's.
        """
        tokens = self.text.sentence_tokens(index)
        actors = [
            (iri, start, end) for iri, start, end in self.in_sentence(index, outermost=True)
            if self.types(iri) & {AK_IRI + "Actor", AK_IRI + "Organisation"}
        ]
        if not tokens or not actors:
            return self.publisher

        def position(offset: int) -> int:
            return next((i for i, t in enumerate(tokens) if t.end > offset), len(tokens))

        words = [fold(t.text) for t in tokens]
        subject = next((w for w in words if w not in _OPENING and w not in SKIPPABLE), "")
        if subject in _FIRST_PERSON | {"onze", "ons", "mijn"}:
            return self.publisher  # "Wij vinden …, ook al zegt het kabinet …"
        for iri, start, end in actors:
            at, after = position(start), position(end)
            before = words[max(0, at - 2):at]
            before = [w for w in before if w not in SKIPPABLE]
            if before and before[-1] in _ACCORDING:
                return iri
            if at >= 1 and _REPORTING.fullmatch(words[at - 1]) or (
                at >= 2 and words[at - 1] in SKIPPABLE and _REPORTING.fullmatch(words[at - 2])
            ):
                return iri  # "Daarin stelt de minister dat …"
            # its own name may come first: "Het Knooppunt … (KCIO) signaleerde"
            own = {fold(w) for w in _WORD.findall(self.label(iri))}
            opening = all(w in _OPENING or w in SKIPPABLE or w in own for w in words[:at])
            following = words[after:after + 4]
            if opening and any(_REPORTING.fullmatch(w) for w in following) and not any(
                w in _FIRST_PERSON for w in following
            ):
                return iri
        return self.publisher

    def _short_name(self, iri: str) -> str:
        known = self.vocabulary.entities.get(iri)
        if known is None:
            return iri.rsplit("/", 1)[-1]
        abbreviations = [n for n in known.names if is_abbreviation(n.replace(" ", ""))
                         and len(n) <= 8]
        return abbreviations[0] if abbreviations else known.label


_REPORTING = re.compile(
    r"oordeel\w*|geoordeeld|oordeelde\w*|erken\w*|stel|stelt|stellen|stelde\w*|gesteld|vind\w*"
    r"|vond\w*|signaleer\w*|signaleren|gesignaleerd|waarschuw\w*|gewaarschuwd|verwacht\w*"
    r"|advise\w*|adviseert|geadviseerd|constate\w*|geconstateerd|conclude\w*|concludeert"
    r"|meld\w*|gemeld|zegt|zeggen|zei|zeiden|schrijf\w*|schreef|geschreven|wijst|wijzen|wees"
    r"|benadruk\w*|vrees\w*|vreest|acht|achten|noem\w*|genoemd|kondig\w*|besluit|besloot"
    r"|besloten|beslist\w*|spreekt|sprak|uitgesproken|aangegeven|vraagt|vroeg"
    r"|pleit\w*|bepleit|roept|riep|verzoekt|ziet|zag|zien|denkt|meent|menen|verklaar\w*"
    r"|bevestig\w*|ontken\w*|betoog\w*|beoordeel\w*"
)
"""Dutch verbs of saying and judging: what a claimant does in a sentence (folded words)."""

_ACCORDING = frozenset({"volgens", "aldus"})
"""Words that put what follows in the mouth of the actor after them."""

_OPENING = frozenset(
    "ook daarnaast inmiddels bovendien tot slot zo en maar toch verder intussen eerder "
    "vervolgens".split()
)
"""Words a sentence may open with before its subject."""

_FIRST_PERSON = frozenset({"wij", "we", "ik"})
"""A first-person subject: the publisher speaks, whoever else the sentence names."""

KINDS = ("wet", "amendement", "novelle", "kamerstuk", "afkorting", "datum", "cijfer",
         "tegenstrijdigheid", "bezwaar")
"""The kinds of candidates, in the order the draft lists them."""

_LEGAL = frozenset(
    AK_IRI + c
    for c in ("LegalResource", "Law", "Bill", "Amendment", "Novelle", "Regulation",
              "EULegislation", "Motion")
)
_EVENTFUL = _LEGAL | {AK_IRI + c for c in ("Measure", "PolicyProgramme", "Document")}
"""What a date in a sentence is most likely the date of."""


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _decimal(value: float) -> str:
    """A decimal literal without float noise: ``96000``, ``0.23``.

    >>> _decimal(96000.0), _decimal(12 / 52)
    ('96000', '0.23')
    """
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text


def _expansion(text: str, start: int, end: int, abbreviation: str) -> str | None:
    """The full name written next to an abbreviation: ``Landelijke Regietafel (LRT)``."""
    before = re.search(
        r"((?:[A-Z][\w’'-]*\s+(?:(?:en|van|voor|de|het|der|op|&)\s+)*){1,8})\(\s*$",
        text[max(0, start - 120):start],
    )
    if before:
        words = before.group(1).split()
        while words and words[0][:1].upper() != abbreviation[:1].upper():
            words.pop(0)
        if len(words) >= 2:
            return " ".join(words)
    after = re.match(r"\s*\(([A-Z][^()]{4,100})\)", text[end:end + 110])
    if after and after.group(1)[:1].upper() == abbreviation[:1].upper():
        return after.group(1).strip()
    return None


# --------------------------------------------------------------------------- the draft graph


def _term(value: Value) -> str:
    """A term in Turtle syntax: a prefixed name where one fits, else ``<IRI>``; a literal."""
    if isinstance(value, Lit):
        text = (
            value.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t")
        )
        if value.lang:
            return f'"{text}"@{value.lang}'
        if value.datatype == XSD + "boolean" and value.value in ("true", "false"):
            return value.value
        if value.datatype and value.datatype != XSD + "string":
            return f'"{text}"^^{_term(value.datatype)}'
        return f'"{text}"'
    best = ""
    for prefix, namespace in PREFIXES.items():
        if value.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            local = value[len(namespace):]
            if re.fullmatch(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?", local):
                best = prefix
    if best:
        return f"{best}:{value[len(PREFIXES[best]):]}"
    return f"<{value}>"


def _quote_node(quote: Quote, document: str) -> str:
    parts = [f"a ak:Quote ; ak:inDocument {_term(document)} ; oa:exact {_term(Lit(quote.exact))}"]
    if quote.prefix:
        parts.append(f"oa:prefix {_term(Lit(quote.prefix))}")
    if quote.suffix:
        parts.append(f"oa:suffix {_term(Lit(quote.suffix))}")
    return "[ " + " ; ".join(parts) + " ]"


def _block(
    subject: str,
    statements: Sequence[tuple[str, Value]],
    quotes: Sequence[Quote],
    document: str,
    comment: str | None = None,
) -> str:
    """One subject with its statements and quotes, in the layout curators use."""
    head = f"  {_term(subject)}" + (f"  # {_comment(comment)}" if comment else "")
    lines = [head]
    items: list[str] = []
    for predicate, value in statements:
        name = "a" if predicate == RDF_TYPE else _term(predicate)
        items.append(f"{name} {_term(value)}")
    if quotes:
        nodes = [_quote_node(q, document) for q in quotes]
        items.append("ak:hasQuote " + " ,\n          ".join(nodes))
    for i, item in enumerate(items):
        end = " ." if i == len(items) - 1 else " ;"
        lines.append(f"      {item}{end}")
    return "\n".join(lines)


def _comment(text: str) -> str:
    return " ".join(text.split())


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
AK_NOTE = AK_IRI + "note"
AK_REVIEW = AK_IRI + "reviewStatus"
_SECTIONS = {
    "wet": "Wetten en wetsvoorstellen die de graaf nog niet kent",
    "amendement": "Amendementen",
    "novelle": "Novelles",
    "kamerstuk": "Kamerstukken",
    "afkorting": "Afkortingen (kandidaat-organisaties)",
    "datum": "Data (kandidaat-gebeurtenissen)",
    "cijfer": "Cijfers",
    "tegenstrijdigheid": "Kandidaat-tegenstrijdigheden (van de uitgever, tenzij de zin een "
                         "ander noemt)",
    "bezwaar": "Kandidaat-bezwaren (van de uitgever, tenzij de zin een ander noemt)",
}


def render_draft(
    name: str,
    found: Found,
    vocabulary: Vocabulary,
    text: Text,
) -> str:
    """The draft named graph ``graaf:NAME`` as TriG text, deterministic for the same input.

    The graph node and every candidate carry ``ak:reviewStatus beoordeling:concept``; known
    entities get only quotes (and draft statements such as a Kamerstuk number).
    """
    document = f"{ID}bron/{name}"
    graph = f"{ID}graaf/{name}"
    lines = [f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items()]
    counts = Counter(c.kind for c in found.candidates)
    mentioned = _group_mentions(found, text)
    lines += [
        "",
        f"# Draft graph of data/sources/{name}.txt, {INGEST_HEADER}. Nothing in it is",
        "# reviewed: the graph and every candidate carry ak:reviewStatus beoordeling:concept,",
        "# so queries leave it out unless given --include-drafts and `kg check` lists it under",
        "# the drafts. Review it as data/README.md describes (\"Reviewing an ingested document\"):",
        "# keep what is right, correct or delete the rest, then promote it.",
        f"# Found: {sum(len(q) for q in mentioned.values())} quotes of {len(mentioned)} known "
        f"entities; {len(found.candidates)} candidates ("
        + ", ".join(f"{counts[k]} {k}" for k in KINDS if counts[k]) + ").",
        "",
        f"GRAPH {_term(graph)} {{",
        "",
        f"  {_term(graph)} {_term(AK_REVIEW)} {_term(DRAFT)} ;",
        f"      {_term(AK_NOTE)} {_term(Lit(INGEST_NOTE))} .",
        "",
        "  # --- Known entities the text mentions: keep the quotes that are right "
        + "-" * 18,
        "",
    ]
    extra: dict[str, list[tuple[str, Value]]] = {}
    extra_quotes: dict[str, list[Quote]] = {}
    for subject, predicate, value, quote in found.known_statements:
        extra.setdefault(subject, []).append((predicate, value))
        extra_quotes.setdefault(subject, []).append(quote)
    for iri in sorted(set(mentioned) | set(extra), key=lambda i: _first(i, mentioned, found)):
        quotes = list(mentioned.get(iri, []))
        quotes += [q for q in extra_quotes.get(iri, []) if q not in quotes]
        known = vocabulary.entities.get(iri)
        lines.append(_block(iri, extra.get(iri, []), quotes, document,
                            known.label if known else None))
        lines.append("")
    for kind in KINDS:
        group = [c for c in found.candidates if c.kind == kind]
        if not group:
            continue
        title = _SECTIONS[kind]
        lines.append(f"  # --- {title} ({len(group)}) " + "-" * max(3, 76 - len(title)))
        lines.append("")
        for candidate in group:
            statements: list[tuple[str, Value]] = [(RDF_TYPE, t) for t in candidate.types]
            statements.append((RDFS_LABEL, Lit(candidate.label, lang="nl")))
            statements.append((AK_REVIEW, DRAFT))
            statements += candidate.statements
            statements.append((AK_NOTE, Lit(candidate.note)))
            lines.append(_block(candidate.iri, statements, candidate.quotes, document))
            lines.append("")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _group_mentions(found: Found, text: Text) -> dict[str, list[Quote]]:
    """One quote per entity and sentence, in text order."""
    out: dict[str, list[Quote]] = {}
    seen: set[tuple[str, int]] = set()
    for mention in found.mentions:
        if (mention.iri, mention.sentence) in seen:
            continue
        seen.add((mention.iri, mention.sentence))
        out.setdefault(mention.iri, []).append(quote_at(text, mention.start, mention.end))
    return out


def _first(iri: str, mentioned: dict[str, list[Quote]], found: Found) -> tuple[int, str]:
    starts = [m.start for m in found.mentions if m.iri == iri]
    return (min(starts) if starts else 10**9, iri)


# --------------------------------------------------------------------------- registering

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SALUTATION = re.compile(r"(geachte|beste|aan|betreft|datum|kenmerk)\b", re.IGNORECASE)
_BEGIN = (
    "# --- kg ingest: {name} (written by kg ingest; remove both marker lines to keep your "
    "edits) ---"
)
_END = "# --- end kg ingest: {name} ---"


@dataclass(frozen=True)
class Description:
    """How ``sources/sources.ttl`` describes a source document.

    Attributes:
        title: ``dcterms:title``.
        publisher: ``ak:publisher`` (an IRI).
        date: ``ak:date`` with its datatype (precision).
        kind: ``ak:documentKind``.
        inferred: Whether the date is inferred (``ak:dateInferred true``).
        notes: ``ak:note`` lines (what was inferred from what).
    """

    title: str
    publisher: str
    date: Lit
    kind: str
    inferred: bool = False
    notes: tuple[str, ...] = ()

    def year_month(self) -> tuple[int, int | None]:
        """The year and month of the date (month None for a year)."""
        parts = self.date.value.split("-")
        return int(parts[0]), int(parts[1]) if len(parts) > 1 else None

    def render(self, name: str) -> str:
        """The Turtle block for ``sources.ttl``, between the kg ingest marker lines."""
        label = f"{self.title} ({_date_words(self.date)})"
        statements: list[tuple[str, Value]] = [
            (RDF_TYPE, AK_IRI + "SourceDocument"),
            (RDFS_LABEL, Lit(label, lang="nl")),
            ("http://purl.org/dc/terms/title", Lit(self.title, lang="nl")),
            (AK_IRI + "publisher", self.publisher),
            (AK_IRI + "documentKind", Lit(self.kind)),
            (AK_IRI + "file", Lit(f"{name}.txt")),
            (AK_IRI + "date", self.date),
        ]
        if self.inferred:
            statements.append((AK_IRI + "dateInferred", Lit("true", XSD + "boolean")))
        statements += [(AK_NOTE, Lit(note)) for note in self.notes]
        statements += [
            ("http://purl.org/dc/terms/language", Lit("nl")),
            ("http://purl.org/dc/terms/format", Lit("text/plain")),
        ]
        body = _block(f"{ID}bron/{name}", statements, [], "").replace("\n      ", "\n    ")
        return "\n".join([_BEGIN.format(name=name), body.lstrip(), _END.format(name=name)])


def _date_words(date: Lit) -> str:
    """``2025-07-14`` as ``14 juli 2025``, ``2025-07`` as ``juli 2025``."""
    parts = date.value.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def parse_date(value: str) -> Lit:
    """A ``--date`` value as a literal at its precision.

    >>> parse_date("2025-07").value, parse_date("2025").datatype.rsplit("#", 1)[1]
    ('2025-07', 'gYear')

    Raises:
        InputError: If it is not YYYY, YYYY-MM or YYYY-MM-DD.
    """
    import datetime

    value = value.strip()
    try:
        if re.fullmatch(r"\d{4}", value):
            return Lit(value, XSD + "gYear")
        if re.fullmatch(r"\d{4}-\d{2}", value) and 1 <= int(value[5:]) <= 12:
            return Lit(value, XSD + "gYearMonth")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            datetime.date.fromisoformat(value)
            return Lit(value, XSD + "date")
    except ValueError:
        pass
    raise InputError(
        f"--date {value!r} is not a date; write it at the precision you know: "
        "2025, 2025-07 or 2025-07-14"
    )


_GUESSED_DATE = "Datum afgeleid door kg ingest:"


def infer_date(text: Text) -> tuple[Lit, str] | None:
    """Guess the year of a text from the dates it names, with a note saying how.

    A letter carries no date of its own, and its dates run into the future ("vanaf
    2027"), so only the year is guessed: the year most of its full dates ("3 juli 2025")
    fall in, else most of its months ("maart 2025"), else most of its years; on a tie the
    earliest, because letters report what happened and announce what will. The reviewer
    gives the real date with ``--date``.

    >>> infer_date(Text.read("Op 3 juli 2025 stemde de Kamer; vanaf 2026 en 2027 volgt meer; "
    ...                      "in 2026 ook."))[0].value
    '2025'
    >>> infer_date(Text.read("Geen jaartal.")) is None
    True
    """
    urls = [u.span() for u in _URL.finditer(text.text)]

    def years(pattern: re.Pattern[str], group: int) -> Counter[str]:
        return Counter(
            m.group(group) for m in pattern.finditer(text.text)
            if m.group(group) and not any(a <= m.start() < b for a, b in urls)
        )

    bare = re.compile(r"(?<![\d/.-])((?:19|20)\d\d)(?![\d/.-])")
    for what, counts in (
        ("volledige data", years(_FULL_DATE, 3)),
        ("maanden", years(_MONTH_YEAR, 3)),
        ("jaartallen", years(bare, 1)),
    ):
        if counts:
            year, count = max(counts.items(), key=lambda kv: (kv[1], -int(kv[0])))
            return Lit(year, XSD + "gYear"), (
                f"{_GUESSED_DATE} {year} is het jaar van de meeste {what} in de tekst "
                f"({count}); vervang door de echte datum."
            )
    return None


def resolve_publisher(value: str, vocabulary: Vocabulary) -> str:
    """The IRI of a publisher given as an IRI, a prefixed name or a label the graph knows.

    Raises:
        InputError: If no known actor has that IRI or name, or more than one has the name.
    """
    iri = value
    prefix, sep, local = value.partition(":")
    if sep and not local.startswith("//") and prefix in PREFIXES:
        iri = PREFIXES[prefix] + local
    if iri in vocabulary.entities:
        return iri
    wanted = value.strip()
    hits = sorted(
        known.iri for known in vocabulary.entities.values()
        if AK_IRI + "Actor" in known.types and any(
            n == wanted or (not is_abbreviation(wanted) and n.lower() == wanted.lower())
            for n in known.names
        )
    )
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise InputError(
            f"--publisher {value!r} names {len(hits)} actors ({', '.join(hits)}); "
            "give the IRI, e.g. --publisher organisatie:vng"
        )
    raise InputError(
        f"--publisher {value!r} is not an actor the graph knows; give its IRI or a label, "
        "e.g. --publisher organisatie:vng or --publisher VNG (add the organisation to a "
        "curated graph first if it is new)"
    )


def _existing_description(path: Path, name: str) -> tuple[Description | None, bool]:
    """The description of ``bron:NAME`` in a sources file, and whether kg ingest wrote it."""
    import pyoxigraph as ox

    from kg.dataset import parse_file

    if not path.is_file():
        return None, False
    text = path.read_text(encoding="utf-8")
    ours = _BEGIN.format(name=name) in text
    subject = ox.NamedNode(f"{ID}bron/{name}")
    values: dict[str, list[ox.NamedNode | ox.Literal | ox.BlankNode | ox.Triple]] = {}
    for quad in parse_file(path):
        if quad.subject == subject:
            values.setdefault(quad.predicate.value, []).append(quad.object)
    if not values:
        return None, ours

    def first(predicate: str) -> str | None:
        found = [v for v in values.get(predicate, []) if not isinstance(v, ox.Triple)]
        return found[0].value if found else None

    date = values.get(AK_IRI + "date")
    literal = None
    if date and isinstance(date[0], ox.Literal):
        literal = Lit(date[0].value, date[0].datatype.value)
    title = first("http://purl.org/dc/terms/title")
    publisher = first(AK_IRI + "publisher")
    if title is None or publisher is None or literal is None:
        return None, ours
    return Description(
        title=title,
        publisher=publisher,
        date=literal,
        kind=first(AK_IRI + "documentKind") or "document",
        inferred=first(AK_IRI + "dateInferred") == "true",
        notes=tuple(sorted(v.value for v in values.get(AK_NOTE, []) if isinstance(v, ox.Literal))),
    ), ours


def _write(path: Path, content: str, changed: list[Path]) -> None:
    """Write ``content`` atomically, only when it differs from what is there."""
    if path.is_file() and path.read_text(encoding="utf-8") == content:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(content, encoding="utf-8")
    os.replace(tmp, path)
    changed.append(path)


def _register(
    sources: Path, name: str, description: Description, ours: bool, changed: list[Path]
) -> None:
    """Add or rewrite the kg ingest block for ``bron:NAME`` in ``sources.ttl``."""
    block = description.render(name)
    if sources.is_file():
        text = sources.read_text(encoding="utf-8")
    else:
        text = "# The source documents (loaded into the named graph graaf:bronnen).\n" + "".join(
            f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()
        )
    begin, end = _BEGIN.format(name=name), _END.format(name=name)
    if ours:
        a = text.index(begin)
        b = text.index(end, a) + len(end)
        text = text[:a] + block + text[b:]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    _write(sources, text, changed)


# --------------------------------------------------------------------------- ingest


@dataclass
class IngestResult:
    """What :func:`ingest` did.

    Attributes:
        name: The document's name (``sources/NAME.txt``).
        text_path: The registered text.
        sources_path: The ``sources.ttl`` that describes it.
        draft_path: The draft graph.
        changed: Files written by this run (empty when nothing changed).
        description: The document's description (title, publisher, date, kind).
        found: Mentions and candidates.
        vocabulary: What the graph knew.
        text: The normalised text.
        data_dir: The data folder read.
        notices: Things the user should know (a description kept as curated).
    """

    name: str
    text_path: Path
    sources_path: Path
    draft_path: Path
    changed: list[Path]
    description: Description
    found: Found
    vocabulary: Vocabulary
    text: Text
    data_dir: Path
    notices: list[str] = field(default_factory=list)

    def mentioned(self) -> list[str]:
        """The known entities the text mentions, in order of first mention (not the known
        lifecycle events it dates)."""
        return _unique(m.iri for m in self.found.mentions if m.iri in self.vocabulary.entities)

    def summary(self) -> str:
        """A few lines for the command line."""
        from kg.dataset import display_path

        counts = Counter(c.kind for c in self.found.candidates)
        what = ", ".join(f"{counts[k]} {k}" for k in KINDS if counts[k]) or "none"
        lines = [
            f"{'wrote' if self.draft_path in self.changed else 'unchanged'}: "
            f"{display_path(self.draft_path)} (draft graph graaf:{self.name})",
            f"  {len(self.mentioned())} known entities mentioned; "
            f"{len(self.found.candidates)} candidates: {what}",
            f"{'registered' if self.text_path in self.changed else 'unchanged'}: "
            f"{display_path(self.text_path)}",
            f"{'described' if self.sources_path in self.changed else 'unchanged'}: "
            f"bron:{self.name} in {display_path(self.sources_path)}",
        ]
        lines += [f"notice: {n}" for n in self.notices]
        lines.append(
            "next: review the draft (data/README.md, 'Reviewing an ingested document'), "
            "then run `kg check`"
        )
        return "\n".join(lines)


def _is_draft_file(path: Path, name: str) -> bool:
    """Whether a graph file is a draft: its graph node has ``ak:reviewStatus`` concept."""
    import pyoxigraph as ox

    from kg.dataset import parse_file

    graph = ox.NamedNode(f"{ID}graaf/{name}")
    return any(
        quad.subject == graph and quad.predicate.value == AK_REVIEW
        and isinstance(quad.object, ox.NamedNode) and quad.object.value == DRAFT
        for quad in parse_file(path, graph.value)
    )


def ingest(
    file: Path,
    *,
    data_dir: Path | None = None,
    out_dir: Path | None = None,
    title: str | None = None,
    date: str | None = None,
    publisher: str | None = None,
    kind: str | None = None,
    force: bool = False,
) -> IngestResult:
    """Register a source document and write a draft named graph of what it says.

    Args:
        file: The text, ``NAME.txt`` (lower case, hyphens), UTF-8.
        data_dir: The data folder whose graph the text is matched against; default
            ``data/``.
        out_dir: The data folder to register the text in and write the draft to; default
            ``data_dir``.
        title: ``dcterms:title``; default the existing description's, else the first line.
        date: The document's date, ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; default the
            existing description's, else the year the text names most (marked inferred).
        publisher: Who published it (IRI, prefixed name or label of a known actor);
            default the existing description's. Candidate claims are attributed to it
            unless the sentence names another actor as the one who says it.
        kind: ``ak:documentKind`` (ledenbrief, kamerbrief, position paper …).
        force: Replace a draft that differs from what would be written (a reviewer's
            edits are lost), or a registered text with other content.

    Returns:
        What was found and written. Running it twice with the same input changes nothing.

    Raises:
        InputError: A bad file name or encoding, no publisher, a curated graph or a
            different text under the same name, or a data file that cannot be parsed.
    """
    from kg.dataset import display_path, load
    from kg.paths import DATA_DIR

    data = data_dir if data_dir is not None else DATA_DIR
    out = out_dir if out_dir is not None else data
    name = file.stem
    if file.suffix != ".txt" or not _NAME.match(name):
        raise InputError(
            "a source text is NAME.txt with NAME in lower case, digits and hyphens, saying "
            "publisher, kind, subject and date, e.g. vng-ledenbrief-asiel-oekraine-2025-07.txt; "
            "rename the file",
            file=display_path(file),
        )
    try:
        data_bytes = file.read_bytes()
        raw = data_bytes.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data_bytes[: err.start].count(b"\n") + 1
        raise InputError("the text is not UTF-8; save it as UTF-8 and try again",
                         file=display_path(file), line=line) from None
    except OSError as err:
        raise InputError(f"cannot read the text: {err.strerror}", file=display_path(file)) from None
    if not raw.strip():
        raise InputError("the text is empty", file=display_path(file))

    text_path = out / "sources" / f"{name}.txt"
    sources_path = out / "sources" / "sources.ttl"
    draft_path = out / "graphs" / f"{name}.trig"
    if draft_path.is_file() and not _is_draft_file(draft_path, name):
        raise InputError(
            f"graphs/{name}.trig is a curated graph (not marked ak:reviewStatus "
            "beoordeling:concept); kg ingest never changes curated graphs: ingest the text "
            "under another name, or into another folder with --out",
            file=display_path(draft_path),
        )
    same_text = text_path.is_file() and text_path.read_bytes() == data_bytes
    if text_path.is_file() and not same_text and not force:
        raise InputError(
            f"sources/{name}.txt exists with other text; ingest under another name, or pass "
            "--force to replace the text and its draft",
            file=display_path(text_path),
        )

    loaded = load(data)
    graph = f"{ID}graaf/{name}"
    corpus = [
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted((data / "sources").glob("*.txt")) if p.stem != name
    ]
    vocabulary = Vocabulary.from_dataset(loaded.dataset, skip=[graph], corpus=corpus)
    notices: list[str] = []
    existing, ours = _existing_description(sources_path, name)
    text = Text.read(raw)
    description = _describe(existing, ours, text, title, date, publisher, kind, vocabulary,
                            notices)

    mentions = vocabulary.matcher().find(text)
    taken = set(vocabulary.subjects) | set(vocabulary.entities)
    found = _Finder(text, name, vocabulary, mentions, description.publisher,
                    description.year_month(), taken).run()
    content = render_draft(name, found, vocabulary, text)
    _verify(content, found, text, draft_path)
    if draft_path.is_file() and not force:
        current = draft_path.read_text(encoding="utf-8")
        if current != content:
            changes = _redrafting_options(existing if ours else None, description)
            if changes and existing is not None:
                # Does the draft differ only because the options changed what goes in it?
                before = _Finder(text, name, vocabulary, mentions, existing.publisher,
                                 existing.year_month(), taken).run()
                if render_draft(name, before, vocabulary, text) == current:
                    raise InputError(
                        f"the draft was written for {' and '.join(c[1] for c in changes)}, "
                        f"as sources.ttl describes the text; {' and '.join(c[0] for c in changes)} "
                        "changes what goes in it: pass --force to redraft it and rewrite the "
                        f"description, or leave out {' and '.join(c[2] for c in changes)} to "
                        "keep both",
                        file=display_path(draft_path),
                    )
            raise InputError(
                "the draft differs from what kg ingest writes now (a reviewer edited it, or "
                "the graph it is matched against changed)"
                + (f", and {' and '.join(c[0] for c in changes)} differs from the "
                   f"{' and '.join(c[1] for c in changes)} sources.ttl describes"
                   if changes else "")
                + "; pass --force to replace it (the edits are lost), or promote it first "
                "(data/README.md, 'Reviewing an ingested document')",
                file=display_path(draft_path),
            )

    changed: list[Path] = []
    if not same_text:
        text_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = text_path.with_name(f".{text_path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data_bytes)
        os.replace(tmp, text_path)
        changed.append(text_path)
    if existing is None or ours:
        _register(sources_path, name, description, ours, changed)
    _write(draft_path, content, changed)
    return IngestResult(name, text_path, sources_path, draft_path, changed, description, found,
                        vocabulary, text, data, notices)


def _redrafting_options(
    existing: Description | None, description: Description
) -> list[tuple[str, str, str]]:
    """The options that change what goes in the draft against the registered description.

    Claims are attributed to the publisher and dates without a year get the document's,
    so ``--publisher`` and ``--date`` (to another year or month) give another draft. Each
    is ``(given, registered, option)``, e.g. ``("--publisher organisatie:coa",
    "publisher organisatie:vng", "--publisher")``.
    """
    if existing is None:
        return []
    changes = []
    if existing.publisher != description.publisher:
        changes.append((f"--publisher {_term(description.publisher)}",
                        f"publisher {_term(existing.publisher)}", "--publisher"))
    if existing.year_month() != description.year_month():
        changes.append((f"--date {description.date.value}", f"date {existing.date.value}",
                        "--date"))
    return changes


def _describe(
    existing: Description | None,
    ours: bool,
    text: Text,
    title: str | None,
    date: str | None,
    publisher: str | None,
    kind: str | None,
    vocabulary: Vocabulary,
    notices: list[str],
) -> Description:
    """The description to register: the options, else what is there, else inferred."""
    if existing is not None and not ours:
        given = [opt for opt, value in (("--title", title), ("--date", date),
                                        ("--publisher", publisher), ("--kind", kind)) if value]
        if given:
            notices.append(
                f"sources.ttl already describes this document (curated); kept it and ignored "
                f"{', '.join(given)}: edit sources.ttl to change the description"
            )
        return existing
    notes: list[str] = []
    if publisher is not None:
        publisher_iri = resolve_publisher(publisher, vocabulary)
    elif existing is not None:
        publisher_iri = existing.publisher
    else:
        raise InputError(
            "who published the text? give --publisher with a known actor, e.g. "
            "--publisher organisatie:vng (candidate claims are attributed to it unless the "
            "sentence names another actor)"
        )
    guessed = existing is not None and any(n.startswith(_GUESSED_DATE) for n in existing.notes)
    if date is not None:
        when, inferred = parse_date(date), False
    elif existing is not None and not guessed:
        when, inferred = existing.date, existing.inferred
        notes += [n for n in existing.notes if n.startswith("Datum afgeleid")]
    else:
        guess = infer_date(text)
        if guess is None:
            raise InputError(
                "the text names no year to date it by; give --date YYYY[-MM[-DD]]"
            )
        when, inferred = guess[0], True
        notes.append(guess[1])
    if title is not None:
        heading = " ".join(title.split())
    elif existing is not None:
        heading = existing.title
        notes += [n for n in existing.notes if n.startswith("Titel")]
    else:
        lines = [line.strip() for line in text.raw.splitlines() if line.strip()]
        first = next((line for line in lines if not _SALUTATION.match(line)), lines[0])
        heading = " ".join(first.split())[:150]
        notes.append("Titel door kg ingest overgenomen van de eerste regel van de tekst.")
    document_kind = kind or (existing.kind if existing is not None else "document")
    return Description(heading, publisher_iri, when, document_kind, inferred,
                       tuple(sorted(set(notes))))


def _verify(content: str, found: Found, text: Text, path: Path) -> None:
    """Check the draft before writing it: it parses, and every quote anchors once."""
    import pyoxigraph as ox

    from kg.errors import KgError

    try:
        list(ox.parse(content.encode("utf-8"), ox.RdfFormat.TRIG))
    except SyntaxError as err:
        raise KgError(f"kg ingest wrote TriG it cannot read back ({err}); this is a bug",
                      file=str(path)) from None
    quotes = [q for c in found.candidates for q in c.quotes]
    quotes += [q for _, _, _, q in found.known_statements]
    quotes += [quote_at(text, m.start, m.end) for m in found.mentions]
    for quote in quotes:
        if not check_quote(text, quote):
            raise KgError(f"kg ingest made a quote that does not anchor once: {quote.exact!r}; "
                          "this is a bug", file=str(path))


# --------------------------------------------------------------------------- report


@dataclass
class EntityNews:
    """What the text says about one known entity.

    Attributes:
        iri: The entity.
        label: Its label.
        passages: How many sentences mention it.
        dates: ``(event type, date in the text, dates the graph has)``.
        statuses: ``(status the text implies, statuses the graph has)``.
        claims: Candidate claims of the draft about it: ``(IRI, label)``.
        statements: Draft statements about it (a Kamerstuk number): ``(predicate, value)``.
    """

    iri: str
    label: str
    passages: int
    dates: list[tuple[str, str, list[str]]] = field(default_factory=list)
    statuses: list[tuple[str, list[str]]] = field(default_factory=list)
    claims: list[tuple[str, str]] = field(default_factory=list)
    statements: list[tuple[str, str]] = field(default_factory=list)

    @property
    def news(self) -> bool:
        """Whether the text says more about it than its name."""
        return bool(self.dates or self.statuses or self.claims or self.statements)


@dataclass
class IngestReport:
    """``kg ingest --report``: what the graph lacks, what is new about what it has, and
    which contradictions the text touches.

    Attributes:
        name: The document.
        new: Candidates for new entities: ``(kind, IRI, label, first quote)``.
        known: The known entities it mentions, most said about first.
        contradictions: Findings whose sides or pivot the text mentions, with which of
            ``a``, ``b``, ``pivot`` it mentions.
    """

    name: str
    new: list[tuple[str, str, str, str]]
    known: list[EntityNews]
    contradictions: list[tuple[Finding, list[str]]]

    def to_json(self) -> dict[str, Any]:
        """The report as plain data."""
        return {
            "document": f"{ID}bron/{self.name}",
            "new": [{"kind": k, "iri": i, "label": lab, "quote": q} for k, i, lab, q in self.new],
            "known": [
                {
                    "iri": e.iri, "label": e.label, "passages": e.passages,
                    "dates": [{"type": t, "text": d, "graph": g} for t, d, g in e.dates],
                    "statuses": [{"text": t, "graph": g} for t, g in e.statuses],
                    "claims": [{"iri": i, "label": lab} for i, lab in e.claims],
                    "statements": [{"predicate": p, "value": v} for p, v in e.statements],
                }
                for e in self.known
            ],
            "contradictions": [
                {"finding": f.to_json(), "touches": touched} for f, touched in self.contradictions
            ],
        }


def build_report(result: IngestResult, findings: Sequence[Finding] | None = None) -> IngestReport:
    """The report of an ingested document.

    Args:
        result: From :func:`ingest`.
        findings: The graph's contradictions; default
            :func:`kg.contradictions.find_contradictions` over the data folder without
            drafts.
    """
    found = result.found
    new_kinds = ("wet", "amendement", "novelle", "kamerstuk", "afkorting", "cijfer", "datum")
    new = [
        (c.kind, c.iri, c.label, c.quotes[0].exact)
        for c in found.candidates if c.kind in new_kinds
    ]
    passages = Counter((m.iri, m.sentence) for m in found.mentions)
    news: dict[str, EntityNews] = {}
    for iri in result.mentioned():
        known = result.vocabulary.entities[iri]
        count = sum(1 for (who, _) in passages if who == iri)
        news[iri] = EntityNews(iri, known.label, count)
    for entity, kind, when, graph_dates in found.event_dates:
        item = news.get(entity)
        if item is None:
            continue
        if (kind, when, graph_dates) not in item.dates:
            item.dates.append((kind, when, graph_dates))
        status = EVENT_STATUS.get(kind)
        graph_statuses = [s.rsplit("/", 1)[-1] for s in result.vocabulary.statuses.get(entity, [])]
        if status is not None and (status, graph_statuses) not in item.statuses:
            item.statuses.append((status, graph_statuses))
    for candidate in found.candidates:
        if candidate.kind not in ("bezwaar", "tegenstrijdigheid"):
            continue
        for predicate, value in candidate.statements:
            if predicate in (AK_IRI + "concerns", AK_IRI + "conflictBetween") and value in news:
                pair = (candidate.iri, candidate.label)
                if pair not in news[str(value)].claims:
                    news[str(value)].claims.append(pair)
    for subject, predicate, value, _ in found.known_statements:
        if subject in news:
            shown = value.value if isinstance(value, Lit) else value
            news[subject].statements.append((_term(predicate), shown))
    ordered = sorted(
        news.values(),
        key=lambda e: (-(len(e.dates) + len(e.statuses) + len(e.claims) + len(e.statements)),
                       -e.passages, e.label),
    )
    if findings is None:
        from kg.contradictions import find_contradictions
        from kg.drafts import without_drafts
        from kg.store import open_engine

        engine = without_drafts(open_engine(result.data_dir, cache=False))
        findings = find_contradictions(engine)
    mentioned = set(news)
    touched = []
    for finding in findings:
        parts = [
            part for part, party in (("a", finding.a), ("b", finding.b), ("pivot", finding.pivot))
            if party is not None and party.iri in mentioned
        ]
        if parts:
            touched.append((finding, parts))
    # Both sides named first; a finding named only through its pivot (often an actor such
    # as "gemeenten") last.
    touched.sort(key=lambda item: -sum(p in ("a", "b") for p in item[1]))
    return IngestReport(result.name, new, ordered, touched)


def format_report(report: IngestReport) -> str:
    """The report as readable text."""
    out = [f"Report on bron:{report.name}", ""]
    out.append(f"Not in the graph yet ({len(report.new)}):")
    for kind, iri, label, quote in report.new:
        out.append(f"  {kind:<11} {_term(iri)}  {label!r}")
        out.append(f"              \u201c{_shorten(quote)}\u201d")
    if not report.new:
        out.append("  nothing")
    out += ["", "What it says about known entities:"]
    for item in report.known:
        if not item.news:
            continue
        out.append(f"  {_term(item.iri)} ({item.label}): {item.passages} passage(s)")
        for kind, when, graph in item.dates:
            if not graph:
                verdict = "the graph has no such date"
            elif when in graph:
                verdict = "the graph has the same date"
            else:
                verdict = f"the graph has {', '.join(graph)}"
            out.append(f"    date: {kind} {when} ({verdict})")
        for status, graph in item.statuses:
            known = ", ".join(graph) if graph else "none"
            out.append(f"    status: the text points to {status} (the graph has: {known})")
        for iri, label in item.claims:
            out.append(f"    claim: {_term(iri)} {label!r}")
        for predicate, value in item.statements:
            out.append(f"    {predicate}: {value}")
    rest = [e for e in report.known if not e.news]
    if rest:
        out.append("  also mentioned: " + ", ".join(
            f"{_term(e.iri)} ({e.passages})" for e in rest))
    sides = [(f, parts) for f, parts in report.contradictions if parts != ["pivot"]]
    pivots = Counter(
        f.pivot.label for f, parts in report.contradictions
        if parts == ["pivot"] and f.pivot is not None
    )
    out += ["", f"Existing contradictions it touches ({len(report.contradictions)}):"]
    for finding, parts in sides:
        names = {"a": finding.a, "b": finding.b, "pivot": finding.pivot}
        which = ", ".join(
            f"{p} {party.label!r}" for p in parts if (party := names[p]) is not None
        )
        out.append(f"  [{finding.severity}] {finding.rule}: {finding.explanation}")
        out.append(f"    mentions {which}")
    if pivots:
        out.append(f"  and {sum(pivots.values())} only through their pivot: " + ", ".join(
            f"{label!r} ({count})" for label, count in sorted(pivots.items())))
    if not report.contradictions:
        out.append("  none")
    return "\n".join(out)


def _shorten(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------- command


@click.command("ingest")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", default=None, help="Title of the document (dcterms:title). "
              "Default: the existing description's, else the text's first line.")
@click.option("--date", "date_", metavar="DATE", default=None,
              help="Date of the document at the precision known: 2025, 2025-07 or 2025-07-14. "
              "Default: the existing description's, else the year the text names most "
              "(marked as inferred).")
@click.option("--publisher", default=None,
              help="Who published it: IRI, prefixed name or label of a known actor, e.g. "
              "organisatie:vng or VNG. Candidate claims are attributed to it unless the "
              "sentence names another actor as the one who says it.")
@click.option("--kind", default=None,
              help="Kind of document (ak:documentKind), e.g. ledenbrief, kamerbrief, "
              "position paper. Default: document.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Data folder to register the text in and write the draft to. "
              "Default: the --data folder.")
@click.option("--report/--no-report", default=False, show_default=True,
              help="Also print what the graph lacks, what the text says about known "
              "entities and which contradictions it touches.")
@click.option("--force/--no-force", default=False, show_default=True,
              help="Replace a draft that differs from what would be written (a reviewer's "
              "edits are lost) or a registered text with other content.")
@data_option
@shared_options
def ingest_command(
    file: Path,
    title: str | None,
    date_: str | None,
    publisher: str | None,
    kind: str | None,
    out: Path | None,
    report: bool,
    force: bool,
    data: Path | None,
) -> None:
    """Register a source text FILE and write a draft named graph of what it says.

    The text is copied to sources/, described in sources/sources.ttl, and graphs/NAME.trig
    gets a draft: quotes of the known entities it mentions, candidate new entities (laws,
    amendments, novelles, Kamerstukken, abbreviations, dates, figures) and candidate
    objections and conflict statements (of the actor the sentence names, else of the
    publisher). Everything is marked
    ak:reviewStatus beoordeling:concept until a curator promotes it. Running it again
    with the same input changes nothing; curated graphs are never changed.

    \b
    Examples:
      kg ingest ~/Downloads/vng-kamerbrief-asielwetten-2025-10.txt --publisher VNG --date 2025-10
      kg ingest data/sources/NAME.txt --report
    """
    result = ingest(file, data_dir=data, out_dir=out, title=title, date=date_,
                    publisher=publisher, kind=kind, force=force)
    click.echo(result.summary())
    if report:
        click.echo("")
        click.echo(format_report(build_report(result)))


__all__ = [
    "CUES",
    "Candidate",
    "Description",
    "EntityNews",
    "Found",
    "IngestReport",
    "IngestResult",
    "Known",
    "Lit",
    "Matcher",
    "Mention",
    "Quote",
    "Relation",
    "Text",
    "Vocabulary",
    "build_report",
    "check_quote",
    "fold",
    "format_report",
    "infer_date",
    "ingest",
    "ingest_command",
    "parse_date",
    "quote_at",
    "render_draft",
    "resolve_publisher",
    "slugify",
    "stem",
]
