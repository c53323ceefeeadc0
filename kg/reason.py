"""Consistency of the ontology plus data: HermiT through owlready2, or OWL 2 RL without Java.

HermiT (an OWL 2 DL reasoner, run by owlready2 on Java) decides whether the ontology and
all curated data together are consistent and which classes are unsatisfiable. When Java is
missing the OWL 2 RL closure of owlrl is used instead, with a notice: it finds the clashes
the disjointness and property axioms of the ontology can cause, but not every DL
inconsistency.

HermiT does not say *why* an ontology is inconsistent, so a clash is explained with the
OWL 2 RL closure: which individual is in which two disjoint classes (after subclass,
domain and range inference), or which other OWL 2 RL rule failed.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import rdflib

__all__ = ["Clash", "ReasonResult", "check_consistency", "java_available", "owl_safe_graph"]

log = logging.getLogger(__name__)

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_OWL = "http://www.w3.org/2002/07/owl#"

# The OWL 2 datatype map (OWL 2 Structural Specification, section 4), plus rdf:langString.
OWL2_DATATYPES = frozenset(
    [_RDF + name for name in ("PlainLiteral", "XMLLiteral", "langString")]
    + ["http://www.w3.org/2000/01/rdf-schema#Literal", _OWL + "real", _OWL + "rational"]
    + [
        _XSD + name
        for name in (
            "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger "
            "negativeInteger long int short byte unsignedLong unsignedInt unsignedShort "
            "unsignedByte double float string normalizedString token language Name NCName "
            "NMTOKEN boolean hexBinary base64Binary anyURI dateTime dateTimeStamp"
        ).split()
    ]
)


@dataclass(frozen=True)
class Clash:
    """One reason the ontology plus data is inconsistent.

    Attributes:
        individual: IRI (or blank node id) of the individual at fault, if known.
        classes: The disjoint classes it belongs to, if it is a disjointness clash.
        message: A sentence saying what is wrong.
        reasons: Why it is in each class: ``(class, how, term)`` with ``how`` one of
            ``type`` (asserted type ``term``), ``domain`` (subject of property ``term``)
            or ``range`` (object of property ``term``).
    """

    individual: str | None
    classes: tuple[str, ...]
    message: str
    reasons: tuple[tuple[str, str, str], ...] = ()


@dataclass
class ReasonResult:
    """The outcome of a consistency check.

    Attributes:
        reasoner: ``HermiT`` or ``OWL 2 RL (owlrl)``.
        consistent: Whether the ontology plus data is consistent.
        clashes: Why not, as far as the diagnosis can tell.
        unsatisfiable: Classes that can have no members (HermiT only).
        notices: Things the user should know (fallbacks, dropped literals).
    """

    reasoner: str
    consistent: bool
    clashes: list[Clash] = field(default_factory=list)
    unsatisfiable: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def java_available() -> str | None:
    """Return the path of the ``java`` executable, or None."""
    return shutil.which("java")


def owl_safe_graph(graph: rdflib.Graph) -> tuple[rdflib.Graph, int]:
    """Copy ``graph`` without literals whose datatype is outside the OWL 2 datatype map.

    HermiT rejects xsd:date, xsd:gYearMonth and xsd:gYear (they are not in the OWL 2
    datatype map), and the project's dates use exactly those. No axiom of the ontology
    constrains them, so dropping those literals does not change consistency.

    Returns:
        The copy and how many triples were dropped.
    """
    import rdflib

    safe = rdflib.Graph()
    dropped = 0
    for s, p, o in graph:
        if (
            isinstance(o, rdflib.Literal)
            and o.datatype is not None
            and str(o.datatype) not in OWL2_DATATYPES
        ):
            dropped += 1
            continue
        safe.add((s, p, o))
    return safe, dropped


_DISJOINT_CLASHES = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT DISTINCT ?x ?c1 ?c2 WHERE {
  {
    ?axiom a owl:AllDisjointClasses ; owl:members ?list .
    ?list rdf:rest*/rdf:first ?c1 .
    ?list rdf:rest*/rdf:first ?c2 .
    FILTER(?c1 != ?c2)
  } UNION {
    ?c1 owl:disjointWith ?c2 .
  } UNION {
    ?c2 owl:disjointWith ?c1 .
  }
  ?x a ?c1 , ?c2 .
  FILTER(STR(?c1) < STR(?c2))
}
ORDER BY ?x ?c1 ?c2
"""


_WHY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?how ?term WHERE {
  {
    ?x a ?term . ?term rdfs:subClassOf* ?c .
    BIND("type" AS ?how)
  } UNION {
    ?x ?term ?o . ?term rdfs:subPropertyOf*/rdfs:domain/rdfs:subClassOf* ?c .
    BIND("domain" AS ?how)
  } UNION {
    ?s ?term ?x . ?term rdfs:subPropertyOf*/rdfs:range/rdfs:subClassOf* ?c .
    BIND("range" AS ?how)
  }
}
ORDER BY ?how ?term
"""


def _why(graph: rdflib.Graph, individual: str, cls: str) -> list[tuple[str, str, str]]:
    """Why ``individual`` is in ``cls``: its asserted types, domains and ranges."""
    import rdflib

    rows = graph.query(
        _WHY, initBindings={"x": rdflib.URIRef(individual), "c": rdflib.URIRef(cls)}
    )
    return [(cls, str(row[0]), str(row[1])) for row in rows]  # type: ignore[index]


def _rl_closure(graph: rdflib.Graph) -> tuple[rdflib.Graph, list[str]]:
    """OWL 2 RL closure of a copy of ``graph`` and owlrl's inconsistency messages."""
    import owlrl
    import rdflib

    closed = rdflib.Graph()
    for triple in graph:
        closed.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, improved_datatypes=False).expand(closed)
    err = rdflib.Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
    messages = sorted(str(m) for m in closed.objects(None, err.error))
    return closed, messages


def _diagnose(graph: rdflib.Graph) -> list[Clash]:
    """Explain an inconsistency with the OWL 2 RL closure."""
    closed, messages = _rl_closure(graph)
    clashes: list[Clash] = []
    for row in closed.query(_DISJOINT_CLASHES):
        x, c1, c2 = (str(term) for term in row)  # type: ignore[union-attr]
        reasons = _why(graph, x, c1) + _why(graph, x, c2) if x.startswith("http") else []
        clashes.append(
            Clash(
                individual=x,
                classes=(c1, c2),
                message=f"{x} is in the disjoint classes {c1} and {c2}",
                reasons=tuple(reasons),
            )
        )
    named = {c.individual for c in clashes}
    for message in messages:
        # owlrl repeats disjointness clashes in its own words; keep the other kinds.
        if any(ind and ind in message for ind in named) and "disjoint" in message.lower():
            continue
        clashes.append(Clash(individual=None, classes=(), message=message))
    return clashes


def _hermit(graph: rdflib.Graph, java: str) -> ReasonResult:
    import owlready2

    result = ReasonResult(reasoner="HermiT", consistent=True)
    owlready2.JAVA_EXE = java
    with tempfile.TemporaryDirectory(prefix="kg-reason-") as tmp:
        path = Path(tmp) / "ontology-and-data.nt"
        graph.serialize(destination=str(path), format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(
                    world, infer_property_values=False, debug=0, keep_tmp_file=False
                )
        except owlready2.OwlReadyInconsistentOntologyError:
            result.consistent = False
        except owlready2.OwlReadyJavaError as err:
            # A Java failure is not a finding about the data; fall back with a notice.
            log.info("HermiT failed: %s", err)
            fallback = _owlrl(graph)
            fallback.notices.insert(
                0, "HermiT could not run (Java error); checked with OWL 2 RL (owlrl) instead"
            )
            return fallback
        else:
            result.unsatisfiable = sorted(
                c.iri for c in world.inconsistent_classes() if c.iri != _OWL + "Nothing"
            )
    if not result.consistent:
        result.clashes = _diagnose(graph)
        if not result.clashes:
            result.clashes = [
                Clash(
                    individual=None,
                    classes=(),
                    message="HermiT found the ontology plus data inconsistent; the OWL 2 RL "
                    "diagnosis found no disjointness clash, so look at cardinality and "
                    "property axioms",
                )
            ]
    return result


def _owlrl(graph: rdflib.Graph) -> ReasonResult:
    clashes = _diagnose(graph)
    return ReasonResult(reasoner="OWL 2 RL (owlrl)", consistent=not clashes, clashes=clashes)


def check_consistency(graph: rdflib.Graph, use_hermit: bool | None = None) -> ReasonResult:
    """Check that the ontology plus data in ``graph`` is consistent.

    Args:
        graph: The ontology and all data, merged into one graph.
        use_hermit: True to require HermiT, False to use owlrl, None to use HermiT when
            Java is installed.

    Returns:
        The result; ``notices`` says which literals were dropped and whether the owlrl
        fallback was used.

    >>> import rdflib
    >>> g = rdflib.Graph().parse(format="turtle", data='''
    ... @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix : <http://e/> .
    ... :A a owl:Class . :B a owl:Class ; owl:disjointWith :A . :x a :A , :B .''')
    >>> result = check_consistency(g, use_hermit=False)
    >>> result.consistent, result.clashes[0].classes
    (False, ('http://e/A', 'http://e/B'))
    """
    safe, dropped = owl_safe_graph(graph)
    notices: list[str] = []
    if dropped:
        notices.append(
            f"{dropped} literals with datatypes outside OWL 2 (xsd:date, xsd:gYearMonth, "
            "xsd:gYear) were left out of reasoning"
        )
    java = java_available()
    if use_hermit is None:
        use_hermit = java is not None
        if not use_hermit:
            notices.append("Java not found: checked with OWL 2 RL (owlrl) instead of HermiT")
    if use_hermit:
        if java is None:
            from kg.errors import KgError

            raise KgError("HermiT needs Java; install a JRE (e.g. default-jre-headless)")
        result = _hermit(safe, java)
    else:
        result = _owlrl(safe)
    result.notices = notices + result.notices
    return result
