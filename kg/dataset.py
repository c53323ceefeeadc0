"""Read the ontology and a data folder into named graphs.

A data folder is laid out like ``data/``:

* ``sources/NAME.txt``: source texts; ``sources/sources.ttl`` describes them and goes
  into the named graph ``graaf:bronnen``;
* ``graphs/NAME.trig``: what source ``NAME`` says, in the named graph ``graaf:NAME``
  (triples a file leaves in its default graph are put there too);
* ``reference/*.trig``: official identifiers, in ``graaf:referentie`` unless the file
  names its graphs.

``ontology/*.ttl`` (the ontology and the SKOS value lists) goes into the graph
``<https://w3id.org/asielketen/def>``. Files are parsed with pyoxigraph; a syntax error
becomes an :class:`~kg.errors.InputError` naming the file, line and column.

>>> from kg.paths import PROJECT_ROOT
>>> ds = load_dataset(PROJECT_ROOT / "tests" / "data" / "example")
>>> from kg.namespaces import ONTOLOGY_GRAPH
>>> len(ds.graph(ONTOLOGY_GRAPH)) > 500
True
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import InputError
from kg.namespaces import BRONNEN_GRAPH, ONTOLOGY_GRAPH, REFERENTIE_GRAPH, graph_iri
from kg.paths import DATA_DIR, ONTOLOGY_DIR, PROJECT_ROOT

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "InputFile",
    "Loaded",
    "display_path",
    "load",
    "data_files",
    "input_files",
    "load_dataset",
    "ontology_files",
    "parse_file",
    "source_texts",
]

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
}


@dataclass(frozen=True)
class InputFile:
    """One RDF file to load and the named graph its default-graph triples go into.

    Attributes:
        path: The file.
        graph: IRI of the named graph for triples outside a ``GRAPH`` block.
        kind: ``ontology``, ``sources``, ``graph`` or ``reference``.
    """

    path: Path
    graph: str
    kind: str


def ontology_files(ontology_dir: Path | None = None) -> list[Path]:
    """Return the ontology's Turtle files (``ontology/*.ttl``, not the shapes), sorted.

    >>> [p.name for p in ontology_files()]
    ['asielketen.ttl', 'begrippen.ttl']
    """
    folder = ontology_dir or ONTOLOGY_DIR
    return sorted(folder.glob("*.ttl"))


def data_files(data_dir: Path | None = None) -> list[Path]:
    """Return the RDF files of a data folder in load order.

    ``sources/sources.ttl`` first, then ``graphs/*.trig``, then ``reference/*.trig``,
    each sorted by name. Other files (texts, READMEs, ``PREFIXES.ttl``) are not data.

    Args:
        data_dir: A folder laid out like ``data/``; default ``data/``.

    Raises:
        InputError: If ``data_dir`` is not a folder.

    >>> from kg.paths import PROJECT_ROOT
    >>> [p.name for p in data_files(PROJECT_ROOT / "tests" / "data" / "example")]
    ['sources.ttl', 'example.trig', 'identifiers.trig']
    """
    return [f.path for f in input_files(data_dir, with_ontology=False)]


def input_files(data_dir: Path | None = None, with_ontology: bool = True) -> list[InputFile]:
    """Return every RDF input with the graph it belongs to, ontology first.

    Args:
        data_dir: A folder laid out like ``data/``; default ``data/``.
        with_ontology: Include ``ontology/*.ttl``.

    Raises:
        InputError: If ``data_dir`` is not a folder.
    """
    folder = data_dir if data_dir is not None else DATA_DIR
    if not folder.is_dir():
        raise InputError(
            "data folder not found; pass --data DIR with a folder laid out like data/",
            file=display_path(folder),
        )
    # An unreadable folder globs as empty; say so instead of silently leaving its files out.
    for part in (folder, folder / "sources", folder / "graphs", folder / "reference"):
        if part.is_dir() and not os.access(part, os.R_OK | os.X_OK):
            raise InputError(
                "cannot read the folder (permission denied); make it readable",
                file=display_path(part),
            )
    files: list[InputFile] = []
    if with_ontology:
        files += [InputFile(p, str(ONTOLOGY_GRAPH), "ontology") for p in ontology_files()]
    sources = folder / "sources" / "sources.ttl"
    if sources.is_file():
        files.append(InputFile(sources, str(BRONNEN_GRAPH), "sources"))
    files += [
        InputFile(p, str(graph_iri(p.stem)), "graph")
        for p in sorted((folder / "graphs").glob("*.trig"))
    ]
    files += [
        InputFile(p, str(REFERENTIE_GRAPH), "reference")
        for p in sorted((folder / "reference").glob("*.trig"))
    ]
    if not any(item.kind != "ontology" for item in files):
        raise InputError(
            "no RDF files here: expected sources/sources.ttl, graphs/NAME.trig or "
            "reference/NAME.trig; pass --data DIR with a folder laid out like data/",
            file=display_path(folder),
        )
    return files


def display_path(path: Path) -> str:
    """Return ``path`` relative to the project when inside it, for messages.

    >>> display_path(PROJECT_ROOT / "data" / "graphs" / "x.trig")
    'data/graphs/x.trig'
    """
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _syntax_error(path: Path, err: SyntaxError) -> InputError:
    """Turn a pyoxigraph parse error into an InputError with file, line and column."""
    message = str(err.msg) if err.msg else str(err)
    # pyoxigraph says "Parser error at line 3 between columns 16 and 20: <what>";
    # the position is in the InputError already, keep the explanation.
    if message.startswith("Parser error") and ": " in message:
        message = message.split(": ", 1)[1]
    return InputError(
        f"RDF syntax error: {message}; fix the file and run `kg check` again",
        file=display_path(path),
        line=err.lineno,
        column=err.offset,
    )


_XSD = "http://www.w3.org/2001/XMLSchema#"
_TZ = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"-?(?:[1-9]\d{4,}|\d{4})"
_YM = rf"(?P<y>{_YEAR})-(?P<m>\d\d)"
_TIME = r"T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?|24:00:00(?:\.0+)?)"
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_LEXICAL: dict[str, tuple[re.Pattern[str], str]] = {
    "boolean": (re.compile(r"true|false|1|0"), '"true"'),
    "integer": (re.compile(r"[+-]?\d+"), '"12"'),
    "decimal": (re.compile(_NUMBER), '"1.5"'),
    "double": (re.compile(rf"{_NUMBER}(?:[eE][+-]?\d+)?|[+-]?INF|NaN"), '"1.5e3"'),
    "date": (re.compile(rf"{_YM}-(?P<d>\d\d){_TZ}"), '"2025-02-14"'),
    "dateTime": (re.compile(rf"{_YM}-(?P<d>\d\d){_TIME}{_TZ}"), '"2025-02-14T10:00:00"'),
    "gYearMonth": (re.compile(rf"{_YM}{_TZ}"), '"2025-02"'),
    "gYear": (re.compile(rf"{_YEAR}{_TZ}"), '"2025"'),
    "duration": (
        re.compile(
            r"-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?"
            r"(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?"
        ),
        '"P2Y6M"',
    ),
}
_LEXICAL["float"] = _LEXICAL["double"]
_INTEGERS: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-(2**7), 2**7 - 1),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 2**8 - 1),
}


_CHECKED = frozenset(_XSD + name for name in (*_LEXICAL, *_INTEGERS))
"""Datatypes whose lexical forms :func:`literal_problem` checks."""


def literal_problem(literal: ox.Literal) -> str | None:
    """Say what is wrong with a literal whose value does not fit its XSD datatype.

    Checks the lexical forms of the XSD datatypes the data uses (dates at every
    precision, numbers, booleans, durations); other datatypes are accepted as they are.

    >>> xsd = "http://www.w3.org/2001/XMLSchema#"
    >>> literal_problem(ox.Literal("2025-13-45", datatype=ox.NamedNode(xsd + "date")))
    'month 13 is not 01-12; write e.g. "2025-02-14"^^xsd:date'
    >>> literal_problem(ox.Literal("2024-02-29", datatype=ox.NamedNode(xsd + "date"))) is None
    True
    """
    datatype = literal.datatype.value
    if not datatype.startswith(_XSD):
        return None
    name = datatype[len(_XSD):]
    kind = "integer" if name in _INTEGERS else name
    rule = _LEXICAL.get(kind)
    if rule is None:
        return None
    pattern, example = rule
    value = literal.value
    match = pattern.fullmatch(value)
    hint = f"write e.g. {example}^^xsd:{name}"
    if match is None:
        return f"not a valid xsd:{name}; {hint}"
    if "m" in pattern.groupindex:
        month = int(match.group("m"))
        if not 1 <= month <= 12:
            return f"month {match.group('m')} is not 01-12; {hint}"
        if "d" in pattern.groupindex:
            day, year = int(match.group("d")), int(match.group("y"))
            last = calendar.monthrange(2000 if year <= 0 or year > 9999 else year, month)[1]
            if not 1 <= day <= last:
                return f"day {match.group('d')} is not in month {match.group('m')}; {hint}"
    if name in _INTEGERS:
        low, high = _INTEGERS[name]
        if (low is not None and int(value) < low) or (high is not None and int(value) > high):
            return f"{value} is out of range for xsd:{name}; {hint}"
    return None


def _position(path: Path, lexical: str) -> tuple[int | None, int | None]:
    """Line and column where ``lexical`` is written as a quoted string in ``path``."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None, None
    found = re.search(r"([\"'])" + re.escape(lexical) + r"\1", text) or re.search(
        re.escape(lexical), text
    )
    if found is None:
        return None, None
    line = text.count("\n", 0, found.start()) + 1
    return line, found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1


def _literal_error(path: Path, literal: ox.Literal, problem: str) -> InputError:
    line, column = _position(path, literal.value)
    name = literal.datatype.value.removeprefix(_XSD)
    return InputError(
        f'ill-typed literal "{literal.value}"^^xsd:{name}: {problem}',
        file=display_path(path),
        line=line,
        column=column,
    )


def rdf_format(path: Path) -> ox.RdfFormat:
    """The RDF syntax of a file, from its extension.

    Raises:
        InputError: For an extension other than ``.ttl``, ``.trig``, ``.nq`` or ``.nt``.
    """
    fmt = _FORMATS.get(path.suffix)
    if fmt is None:
        raise InputError(
            f"cannot read {path.suffix or 'extensionless'} files; use .ttl or .trig",
            file=display_path(path),
        )
    return fmt


def parse_file(path: Path, graph: str | None = None) -> Iterator[ox.Quad]:
    """Parse an RDF file and yield its quads.

    Blank node labels are renamed, so ``_:b1`` in two files stays two nodes.

    Args:
        path: A ``.ttl``, ``.trig``, ``.nq`` or ``.nt`` file.
        graph: Named graph IRI for triples outside a ``GRAPH`` block (None keeps them in
            the default graph).

    Raises:
        InputError: On a syntax error (with line and column) or an unknown extension.
    """
    fmt = rdf_format(path)
    target = ox.NamedNode(graph) if graph is not None else None
    try:
        for quad in ox.parse(path=path, format=fmt, rename_blank_nodes=True):
            obj = quad.object
            # pyoxigraph accepts any lexical form; "2025-13-45"^^xsd:date would then
            # silently fail every comparison in the queries.
            if type(obj) is ox.Literal and obj.datatype.value in _CHECKED:
                problem = literal_problem(obj)
                if problem is not None:
                    raise _literal_error(path, obj, problem)
            if target is not None and isinstance(quad.graph_name, ox.DefaultGraph):
                yield ox.Quad(quad.subject, quad.predicate, obj, target)
            else:
                yield quad
    except SyntaxError as err:
        raise _syntax_error(path, err) from None
    except OSError as err:
        raise InputError(f"cannot read the file: {err.strerror}", file=display_path(path)) from None


_PREFIX_DECLARATION = re.compile(rb"(?i:prefix)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>")
_DATATYPE = re.compile(rb"<([^>\s]*)>|([A-Za-z][\w.-]*)?:([A-Za-z_][\w.-]*)")
_XSD_BYTES = _XSD.encode()


def typed_literals_well_formed(path: Path) -> bool:
    """Whether a quick scan of the file finds every XSD-typed literal well formed.

    The exact check is the one :func:`parse_file` makes on each parsed literal; it costs
    a Python step per quad. This scan looks only at the text around each ``^^``: it
    answers True only when every ``^^`` closes a plain one-line literal without escapes
    whose datatype it can resolve (a full IRI, or a prefix declared once with a full
    IRI) and every such literal of a checked XSD datatype has a valid lexical form. For
    anything else (a literal it cannot read this way, a problem, an unreadable file) it
    answers False, and the caller parses the file with :func:`parse_file`, which finds
    the problem and says where, or finds none.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> good, bad = folder / "good.ttl", folder / "bad.ttl"
    >>> _ = good.write_text('@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\\n'
    ...     '<http://e/a> <http://e/d> "2025-02-14"^^xsd:date .\\n')
    >>> _ = bad.write_text('<http://e/a> <http://e/d> '
    ...     '"2025-13-45"^^<http://www.w3.org/2001/XMLSchema#date> .\\n')
    >>> typed_literals_well_formed(good), typed_literals_well_formed(bad)
    (True, False)
    """
    try:
        data = path.read_bytes()
    except OSError:
        return False
    namespaces: dict[bytes, bytes] = {}
    # Searching the lower-cased text for "prefix" and matching there is ~10x faster on
    # 70 MB than letting the regular expression search (@prefix and SPARQL's PREFIX).
    lowered = data.lower()
    at = lowered.find(b"prefix")
    while at != -1:
        found = _PREFIX_DECLARATION.match(data, at)
        at = lowered.find(b"prefix", at + 6)
        if found is None:
            continue
        name, iri = found.group(1) or b"", found.group(2)
        if name in namespaces or b":" not in iri:  # declared twice, or relative
            return False
        namespaces[name] = iri
    seen: set[tuple[bytes, bytes]] = set()
    position = data.find(b"^^")
    while position != -1:
        quote = data[position - 1 : position]
        if quote not in (b'"', b"'"):
            return False
        start = data.rfind(quote, 0, position - 1)
        if start <= 0 or data[start - 1 : start] in (b"\\", quote):
            return False
        value = data[start + 1 : position - 1]
        if any(c in value for c in (b"\\", b"\n", b"\r", b'"', b"'")):
            return False
        datatype = _DATATYPE.match(data, position + 2)
        if datatype is None:
            return False
        if datatype.group(1) is not None:
            iri = datatype.group(1)
            if b":" not in iri:
                return False
        else:
            namespace = namespaces.get(datatype.group(2) or b"")
            if namespace is None:
                return False
            iri = namespace + datatype.group(3)
        if iri.startswith(_XSD_BYTES):
            seen.add((value, iri))
        position = data.find(b"^^", datatype.end())
    for value, iri in seen:
        try:
            literal = ox.Literal(value.decode("utf-8"), datatype=ox.NamedNode(iri.decode()))
        except (UnicodeDecodeError, ValueError):
            return False
        if literal.datatype.value in _CHECKED and literal_problem(literal) is not None:
            return False
    return True


@dataclass
class Loaded:
    """A loaded dataset and which file each named graph came from.

    Attributes:
        dataset: The rdflib Dataset; its default graph is the union of the named graphs.
        origins: Named graph IRI to the files that put triples into it.
    """

    dataset: rdflib.Dataset
    origins: dict[str, list[Path]]


def load(data_dir: Path | None = None, with_ontology: bool = True) -> Loaded:
    """Load the ontology and a data folder, remembering which file fed which graph.

    Args:
        data_dir: A folder laid out like ``data/``; default ``data/``.
        with_ontology: Also load ``ontology/*.ttl`` into the ontology graph.

    Raises:
        InputError: If a file cannot be parsed (with file, line and column).
    """
    import rdflib

    from kg.terms import to_rdflib

    dataset = rdflib.Dataset(default_union=True)
    graphs: dict[str, rdflib.Graph] = {}
    origins: dict[str, list[Path]] = {}
    for item in input_files(data_dir, with_ontology):
        batch = []
        for quad in parse_file(item.path, item.graph):
            # parse_file put default-graph triples into item.graph; TriG may also name a
            # graph with a blank node, which rdflib keeps as a BNode identifier.
            name = quad.graph_name
            key = name.value if isinstance(name, ox.NamedNode | ox.BlankNode) else str(name)
            target = graphs.get(key)
            if target is None:
                target = graphs[key] = dataset.graph(to_rdflib(name))
            if item.path not in origins.setdefault(key, []):
                origins[key].append(item.path)
            batch.append(
                (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object),
                 target)
            )
        dataset.addN(batch)
    return Loaded(dataset, origins)


def load_dataset(data_dir: Path | None = None, with_ontology: bool = True) -> rdflib.Dataset:
    """Load the ontology and a data folder into an rdflib Dataset, one named graph each.

    The Dataset's default graph is the union of the named graphs.

    Args:
        data_dir: A folder laid out like ``data/``; default ``data/``.
        with_ontology: Also load ``ontology/*.ttl`` into the ontology graph.

    Returns:
        The dataset.

    Raises:
        InputError: If a file cannot be parsed (with file, line and column).
    """
    return load(data_dir, with_ontology).dataset


def source_texts(data_dir: Path | None = None) -> dict[str, Path]:
    """Return the source texts of a data folder by name (``sources/NAME.txt``).

    >>> from kg.paths import PROJECT_ROOT
    >>> sorted(source_texts(PROJECT_ROOT / "tests" / "data" / "example"))
    ['example']
    """
    folder = (data_dir if data_dir is not None else DATA_DIR) / "sources"
    return {p.stem: p for p in sorted(folder.glob("*.txt"))}
