"""asielketen-kg: a knowledge graph of Dutch asylum and migration policy.

The public API is small; everything else lives in the module for its concern
(see ``DESIGN.md``). Heavy libraries are imported by the functions that need them, so
importing :mod:`kg` is cheap.

>>> import kg
>>> kg.__version__
'0.1.0'
"""

from __future__ import annotations

__version__ = "0.1.0"

from kg.anchor import Span, find_quote, normalise  # noqa: E402
from kg.errors import EndpointError, InputError, KgError, QueryError  # noqa: E402

__all__ = [
    "EndpointError",
    "InputError",
    "KgError",
    "QueryError",
    "Span",
    "__version__",
    "find_quote",
    "normalise",
]
