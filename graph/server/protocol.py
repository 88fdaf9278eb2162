"""The SPARQL 1.1 Protocol at ``/sparql``: read the query from a request, pick the answer's format, word
every refusal with the status trusted endpoints use.

Pure functions over plain values (no Starlette in here), so the rules are tested alone.
"""

from __future__ import annotations

import re

from graph.core.errors import CoopmapError, NotFound, QueryError

__all__ = ["MEDIA", "GRAPH_MEDIA", "ProtocolError", "parse_accept", "negotiate", "error_status", "DEFAULT_BODY_CAP"]

#: Largest request body accepted, in bytes (a query is at most 100,000 characters).
DEFAULT_BODY_CAP = 512 * 1024

#: Results formats: media type -> serialisation name of :func:`graph.sparql.results.serialize`.
MEDIA = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
#: Graph formats (CONSTRUCT, DESCRIBE, Linked Data).
GRAPH_MEDIA = {
    "text/turtle": "ttl", "application/x-turtle": "ttl", "application/n-triples": "nt", "text/plain": "nt",
    "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml",
}
#: Serialisation name -> the media type sent back.
CONTENT_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "ttl": "text/turtle", "nt": "application/n-triples",
    "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml",
}
#: ``format=`` values a user may type, as Fuseki and Virtuoso take them.
FORMAT_ALIASES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "ttl": "ttl", "turtle": "ttl",
                  "nt": "nt", "ntriples": "nt", "n-triples": "nt", "jsonld": "jsonld", "json-ld": "jsonld",
                  "rdfxml": "rdfxml", "rdf": "rdfxml"}
#: File extensions of downloads.
EXTENSIONS = {"json": "srj", "xml": "srx", "csv": "csv", "tsv": "tsv", "ttl": "ttl", "nt": "nt", "jsonld": "jsonld",
              "rdfxml": "rdf"}


class ProtocolError(CoopmapError):
    """A request the endpoint refuses, with its HTTP status (and headers, e.g. ``Allow``)."""

    def __init__(self, status: int, message: str, headers=None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def parse_accept(header: str | None):
    """Media ranges of an ``Accept`` header, best first, as ``(type, q)``.

    >>> parse_accept("text/csv;q=0.5, application/sparql-results+json")
    [('application/sparql-results+json', 1.0), ('text/csv', 0.5)]
    """
    out = []
    for i, part in enumerate((header or "").split(",")):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        out.append((bits[0].lower(), q, i))
    out.sort(key=lambda t: (-t[1], t[2]))
    return [(t, q) for t, q, _ in out if q > 0]


def negotiate(accept: str | None, graph: bool, fmt: str | None = None) -> str:
    """The serialisation for an answer: ``fmt`` (a ``format=`` parameter) if given, else the best match of
    ``accept``, else JSON results (``graph`` false) or Turtle (``graph`` true).

    >>> negotiate("text/csv", graph=False), negotiate("application/ld+json", graph=True)
    ('csv', 'jsonld')
    >>> negotiate("*/*", graph=True), negotiate(None, graph=False, fmt="TSV")
    ('ttl', 'tsv')
    """
    if fmt:
        name = FORMAT_ALIASES.get(fmt.strip().lower())
        if name is None:
            raise ProtocolError(400, f"Unknown format '{fmt}'. Choose one of: {', '.join(sorted(set(FORMAT_ALIASES.values())))}.")
        return name
    table = GRAPH_MEDIA if graph else MEDIA
    for media, _ in parse_accept(accept):
        if media in table:
            return table[media]
        if not graph and media in GRAPH_MEDIA:  # a graph type asked of a SELECT: its standard results
            continue
        if graph and media in MEDIA:  # results types asked of a CONSTRUCT: three columns
            return MEDIA[media]
    return "ttl" if graph else "json"


_TIMEOUT = re.compile(r"stopped after ([\d.]+) s")


def error_status(error: Exception) -> tuple[int, str]:
    """HTTP status and message for a library error raised while answering a query or a page.

    >>> error_status(QueryError("SPARQL Update (INSERT) is refused: the graph is read-only here."))[0]
    403
    >>> error_status(QueryError("The query was stopped after 2 s (timeout). Narrow it."))
    (503, 'timed out after 2 s. The query was stopped after 2 s (timeout). Narrow it.')
    """
    if isinstance(error, ProtocolError):
        return error.status, str(error)
    message = str(error)
    if isinstance(error, NotFound):
        return 404, message
    if isinstance(error, QueryError):
        if message.startswith("SPARQL Update"):
            return 403, message
        m = _TIMEOUT.search(message)
        if m:
            return 503, f"timed out after {m.group(1)} s. {message}"
        if "worker" in message and ("stopped" in message or "did not load" in message):
            return 503, message
        return 400, message
    return 400, message
