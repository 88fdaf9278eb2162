"""SPARQL answers as plain data, and their standard serialisations.

Whichever store answered, a result is the same :class:`QueryResult`: variables and rows of terms for
``SELECT``, a boolean for ``ASK``, triples for ``CONSTRUCT`` / ``DESCRIBE``. A term is a small tuple, so
results cross process boundaries cheaply and compare across stores:

- ``("uri", iri)``
- ``("bnode", label)``
- ``("literal", text, datatype_iri, language)`` (``language`` is ``None`` unless the literal has one)
- ``None`` for an unbound variable.

Formats: ``table`` (readable, prefixed names), ``json``, ``csv``, ``tsv`` and ``xml`` (the SPARQL 1.1
Query Results formats) for every result; ``ttl``, ``nt`` and ``jsonld`` for graph results. Graph results
asked for in a results format come as three columns: subject, predicate, object.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

from graph.core.errors import QueryError

__all__ = ["QueryResult", "RESULT_FORMATS", "GRAPH_FORMATS", "ALL_FORMATS", "serialize", "term_text",
           "shorten"]

RESULT_FORMATS = ("table", "json", "csv", "tsv", "xml")
GRAPH_FORMATS = ("ttl", "nt", "jsonld")
ALL_FORMATS = RESULT_FORMATS + GRAPH_FORMATS

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass
class QueryResult:
    """One answer. ``form`` is ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.

    ``truncated`` is true when the row cap (``limit``) cut the answer: ``rows`` (or ``triples``) then
    holds the first ``limit`` of them.
    """

    form: str
    variables: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    boolean: bool | None = None
    triples: list = field(default_factory=list)
    truncated: bool = False
    limit: int | None = None
    store: str = ""

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    def __len__(self):
        return len(self.triples) if self.is_graph else len(self.rows)

    def bindings(self):
        """Variables and rows; a graph result as subject / predicate / object rows."""
        if self.is_graph:
            return ["subject", "predicate", "object"], self.triples
        return self.variables, self.rows

    def notice(self) -> str | None:
        """The row-cap notice, when the cap was hit."""
        if not self.truncated:
            return None
        what = "triples" if self.is_graph else "rows"
        return (f"notice: the answer was cut at {self.limit:,} {what} (row cap); add LIMIT/OFFSET to the "
                f"query to page through it, or raise the cap with --limit.")


# ---------------------------------------------------------------- terms


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as XML entities (xml.sax.saxutils.escape, without importing urllib)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """``text`` as a double-quoted XML attribute value."""
    return '"' + escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


def shorten(iri: str, prefixes=None) -> str:
    """``iri`` as ``prefix:local`` when a predeclared prefix covers it and the local part is simple.

    Examples
    --------
    >>> shorten("https://w3id.org/coopmap/id/actor/lu-itm")
    'actor:lu-itm'
    >>> shorten("http://example.org/x")
    'http://example.org/x'
    """
    import re

    if prefixes is None:
        from graph.core.prefixes import PREFIXES as prefixes
    best = None
    for name, ns in prefixes.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(prefixes[best])):
            best = name
    if best is not None:
        local = iri[len(prefixes[best]):]
        if re.fullmatch(r"[A-Za-z0-9_](?:[\w\-.]*[\w\-])?|", local):
            return f"{best}:{local}"
    return iri


def term_text(term, short=False) -> str:
    """The plain text of a term: IRI (shortened if ``short``), ``_:label`` or the literal's value."""
    if term is None:
        return ""
    kind = term[0]
    if kind == "uri":
        return shorten(term[1]) if short else term[1]
    if kind == "bnode":
        return "_:" + term[1]
    return term[1]


def _nt_escape(text):
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
            .replace("\t", "\\t"))


def _nt(term) -> str:
    """A term in N-Triples / Turtle syntax (the TSV results encoding)."""
    if term is None:
        return ""
    kind = term[0]
    if kind == "uri":
        return f"<{term[1]}>"
    if kind == "bnode":
        return "_:" + term[1]
    _, value, datatype, lang = term
    out = f'"{_nt_escape(value)}"'
    if lang:
        return f"{out}@{lang}"
    if datatype and datatype != XSD + "string":
        return f"{out}^^<{datatype}>"
    return out


def _json_term(term):
    kind = term[0]
    if kind == "uri":
        return {"type": "uri", "value": term[1]}
    if kind == "bnode":
        return {"type": "bnode", "value": term[1]}
    _, value, datatype, lang = term
    out = {"type": "literal", "value": value}
    if lang:
        out["xml:lang"] = lang
    elif datatype and datatype != XSD + "string":
        out["datatype"] = datatype
    return out


def _xml_term(term):
    kind = term[0]
    if kind == "uri":
        return f"<uri>{escape(term[1])}</uri>"
    if kind == "bnode":
        return f"<bnode>{escape(term[1])}</bnode>"
    _, value, datatype, lang = term
    if lang:
        return f"<literal xml:lang={quoteattr(lang)}>{escape(value)}</literal>"
    if datatype and datatype != XSD + "string":
        return f"<literal datatype={quoteattr(datatype)}>{escape(value)}</literal>"
    return f"<literal>{escape(value)}</literal>"


# ---------------------------------------------------------------- formats


def _table(result):
    from graph.render.text import render_table

    if result.form == "ASK":
        return "true" if result.boolean else "false"
    variables, rows = result.bindings()
    if not rows:
        return "(no rows)"
    dict_rows = [{v: term_text(t, short=True) for v, t in zip(variables, row)} for row in rows]
    return render_table(dict_rows, variables) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})"


def _json(result):
    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2)
    variables, rows = result.bindings()
    bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
    return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=2)


def _csv(result):
    buf = io.StringIO()
    import csv

    w = csv.writer(buf, lineterminator="\r\n")
    if result.form == "ASK":  # no standard CSV for booleans: the bare value, as Oxigraph and Jena write it
        return ("true" if result.boolean else "false") + "\r\n"
    variables, rows = result.bindings()
    w.writerow(variables)
    for row in rows:
        w.writerow([term_text(t) for t in row])
    return buf.getvalue()


def _tsv(result):
    if result.form == "ASK":  # the bare value, as for CSV
        return ("true" if result.boolean else "false") + "\n"
    variables, rows = result.bindings()
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join(_nt(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


def _xml(result):
    head = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
    if result.form == "ASK":
        return head + f"  <head/>\n  <boolean>{'true' if result.boolean else 'false'}</boolean>\n</sparql>\n"
    variables, rows = result.bindings()
    out = [head, "  <head>\n"]
    out += [f"    <variable name={quoteattr(v)}/>\n" for v in variables]
    out.append("  </head>\n  <results>\n")
    for row in rows:
        out.append("    <result>\n")
        out += [f"      <binding name={quoteattr(v)}>{_xml_term(t)}</binding>\n"
                for v, t in zip(variables, row) if t is not None]
        out.append("    </result>\n")
    out.append("  </results>\n</sparql>\n")
    return "".join(out)


def _to_ox(term):
    import pyoxigraph as ox

    kind = term[0]
    if kind == "uri":
        return ox.NamedNode(term[1])
    if kind == "bnode":
        return ox.BlankNode(term[1])
    _, value, datatype, lang = term
    if lang:
        return ox.Literal(value, language=lang)
    return ox.Literal(value, datatype=ox.NamedNode(datatype or XSD + "string"))


def _graph(result, fmt):
    import pyoxigraph as ox

    from graph.core.prefixes import PREFIXES

    name = {"ttl": "TURTLE", "nt": "N_TRIPLES", "jsonld": "JSON_LD"}[fmt]
    triples = [ox.Triple(*(_to_ox(t) for t in tr)) for tr in result.triples]
    kw = {}
    if fmt == "ttl":  # declare only the prefixes the triples use
        iris = {t[1] for tr in result.triples for t in tr if t[0] == "uri"}
        iris |= {t[2] for tr in result.triples for t in tr if t[0] == "literal" and t[2]}
        kw["prefixes"] = {k: v for k, v in PREFIXES.items() if any(i.startswith(v) for i in iris)}
    return ox.serialize(triples, format=getattr(ox.RdfFormat, name), **kw).decode()


_WRITERS = {"table": _table, "json": _json, "csv": _csv, "tsv": _tsv, "xml": _xml}


def serialize(result: QueryResult, fmt: str = "table") -> str:
    """``result`` as text in ``fmt`` (one of :data:`ALL_FORMATS`).

    Raises
    ------
    QueryError
        For a graph format (ttl, nt, jsonld) on a SELECT or ASK answer, or an unknown format.

    Examples
    --------
    >>> r = QueryResult("SELECT", ["actor"], [[("uri", "https://w3id.org/coopmap/id/actor/lu-itm")]])
    >>> print(serialize(r, "tsv"), end="")
    ?actor
    <https://w3id.org/coopmap/id/actor/lu-itm>
    """
    if fmt in GRAPH_FORMATS:
        if not result.is_graph:
            raise QueryError(f"--format {fmt} is for CONSTRUCT and DESCRIBE queries; a {result.form} answer "
                             f"comes as {', '.join(RESULT_FORMATS)}.")
        return _graph(result, fmt)
    if fmt not in _WRITERS:
        raise QueryError(f"Unknown format '{fmt}'. Choose one of: {', '.join(ALL_FORMATS)}.")
    return _WRITERS[fmt](result)
