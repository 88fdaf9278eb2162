"""Trusted, fixed SPARQL queries of the library over a pyoxigraph store, answered as rows of plain values.

It imports nothing of the compiler, so the compiler, the checks and the readers all share it
(:mod:`graph.kb.store` re-exports it). User-supplied SPARQL goes through :mod:`graph.sparql.query` instead.
"""

from __future__ import annotations

import re

from graph.core.prefixes import PREFIXES

__all__ = ["QUERY_PREFIXES", "term_value", "select"]

#: The PREFIX declarations prepended to every internal query.
QUERY_PREFIXES = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())


def term_value(term):
    """A pyoxigraph term as a plain Python value: IRI and literal text as ``str``, numbers as numbers."""
    if term is None:
        return None
    import pyoxigraph as ox

    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt.endswith(("#integer", "#int", "#long", "#nonNegativeInteger")):
            return int(term.value)
        if dt.endswith(("#decimal", "#double", "#float")):
            return float(term.value)
        if dt.endswith("#boolean"):
            return term.value in ("true", "1")
        return term.value
    return term.value


def select(store, query: str, lang: bool = False, **bindings):
    """Run a trusted SELECT over the union of the dataset's graphs; rows as dicts of plain values.

    ``bindings`` substitute variables with IRIs (``actor="https://…"``). With ``lang=True`` literal
    values come back as ``(text, language)`` pairs.
    """
    for name, iri in bindings.items():  # IRIs come from the graph itself; refuse anything that is not one
        if re.search(r'[\s<>"{}|^`\\]', iri):
            raise ValueError(f"not an IRI: {iri!r}")
        query = re.sub(r"\?" + name + r"\b", f"<{iri}>", query)
    result = store.query(QUERY_PREFIXES + query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    cell = _cell_reader(lang)
    return [dict(zip(names, map(cell, sol))) for sol in result]


def _cell_reader(lang: bool):
    """:func:`term_value` with a shortcut for IRIs, the commonest cell; ``(text, language)`` pairs with ``lang``."""
    import pyoxigraph as ox

    iri, literal = ox.NamedNode, ox.Literal

    def cell(t):
        if type(t) is iri:
            return t.value
        if lang and isinstance(t, literal) and t.language:
            return (t.value, t.language)
        return term_value(t)

    return cell
