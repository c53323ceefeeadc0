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
    fmt = _FORMATS.get(path.suffix)
    if fmt is None:
        raise InputError(
            f"cannot read {path.suffix or 'extensionless'} files; use .ttl or .trig",
            file=display_path(path),
        )
    target = ox.NamedNode(graph) if graph is not None else None
    try:
        for quad in ox.parse(path=path, format=fmt, rename_blank_nodes=True):
            if target is not None and isinstance(quad.graph_name, ox.DefaultGraph):
                yield ox.Quad(quad.subject, quad.predicate, quad.object, target)
            else:
                yield quad
    except SyntaxError as err:
        raise _syntax_error(path, err) from None
    except OSError as err:
        raise InputError(f"cannot read the file: {err.strerror}", file=display_path(path)) from None


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
