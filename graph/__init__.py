"""coopmap: a knowledge graph of anti-trafficking and anti-smuggling institutions and their cooperation links.

The package is a library; ``cli.py`` and the web server are thin faces over its public API::

    import graph
    kg = graph.open(audience="clear")
    kg.contact("ITM", "victim-support").text()

Layers, lowest first (``tests/test_layers.py`` keeps them): ``graph.core`` (errors, dates, access policy,
files), ``graph.render`` (tables, CSV), ``graph.kb`` (compile, validate, store, export), ``graph.sparql`` and
``graph.network`` (the referral view and its answers), ``graph.maps``, ``graph.server``, then this API.
Heavy dependencies (rdflib, networkx, pyoxigraph, pyshacl) load lazily, inside the functions that need them.
"""

__version__ = "0.2.0"

from graph.api import (ActorList, ActorRecord, Answer, CentralityAnswer, DiffAnswer, GapsAnswer,  # noqa: E402
                       KnowledgeGraph, MapResult, PathAnswer, open)
from graph.core.errors import CoopmapError, DataError, NotFound, QueryError, ValidationError  # noqa: E402

__all__ = ["open", "KnowledgeGraph", "Answer", "ActorList", "ActorRecord", "PathAnswer", "CentralityAnswer",
           "GapsAnswer", "DiffAnswer", "MapResult", "CoopmapError", "DataError", "NotFound", "QueryError",
           "ValidationError", "__version__"]
