"""Check a user's SPARQL before anything runs it: read-only queries over the local dataset only.

Two independent checks, both before any store sees the text:

1. a token scan (comments, strings and IRIs skipped) that refuses the keywords of SPARQL Update
   (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``, ``ADD``, ``MOVE``, ``COPY``,
   ``WITH``, ``USING``), ``SERVICE`` and ``FROM`` / ``FROM NAMED``: it gives a clear refusal even when
   the rest of the text is broken;
2. a real parse with rdflib's SPARQL 1.1 grammar, which reports syntax errors with their line and
   column, and whose parse tree is walked for any ``SERVICE`` pattern (silent or not, IRI or variable,
   at any depth, inside ``EXISTS`` too) and any dataset clause.

rdflib's parser is not safe to call from several threads at once (its grammar is built lazily and
keeps global state), so every parse holds one lock; answers are cached by query text.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from graph.core.errors import QueryError

__all__ = ["QueryInfo", "check_query", "MAX_QUERY_LENGTH", "FORBIDDEN"]

#: Longest query text accepted, in characters.
MAX_QUERY_LENGTH = 100_000

#: Refused keywords and why (the token scan; the parse-tree walk gives the same reasons).
FORBIDDEN = {
    **dict.fromkeys(("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"),
                    "update"),
    "SERVICE": "service",
    "FROM": "dataset",
    "NAMED": "dataset",
}

_REASONS = {
    "update": "SPARQL Update ({word}) is refused: the graph is read-only here. "
              "Edit the Turtle files in data/ instead, then run 'coopmap validate'.",
    "service": "SERVICE is refused: queries run on the local graph only and never contact another "
               "endpoint. Remove the SERVICE block.",
    "dataset": "FROM / FROM NAMED is refused: queries run on the local graph only and never load other "
               "graphs. Remove the clause; use GRAPH <urn:coopmap:graph:…> {{ … }} to pick a named graph.",
}

_TOKEN = re.compile(r"""
    (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<comment>\#[^\n]*)
  | (?P<var>[?$]\w+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>[\w.\-]*:(?:[\w.\-:%]|\\.)*)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<other>.)
""", re.S | re.X)


@dataclass(frozen=True)
class QueryInfo:
    """What :func:`check_query` learnt: the query form (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``)
    and whether it names graphs (``GRAPH`` patterns)."""

    form: str
    named_graphs: bool = False


def _position(text, offset):
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _refuse(reason, word, text=None, offset=None):
    where = ""
    if text is not None and offset is not None:
        line, col = _position(text, offset)
        where = f" (line {line}, column {col})"
    return QueryError(_REASONS[reason].format(word=word.upper()) + where)


def _scan(text):
    """Raise on the first forbidden keyword outside comments, strings and IRIs, or undeclared prefix."""
    from graph.core.prefixes import PREFIXES

    declared, after_prefix = set(PREFIXES), False
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "word" and m.group().upper() in FORBIDDEN:
            word = m.group().upper()
            raise _refuse(FORBIDDEN[word], word, text, m.start())
        if kind == "pname":
            prefix = m.group().split(":", 1)[0]
            if prefix.upper() in FORBIDDEN:  # "SERVICE:x" reads as SERVICE + ":x" to some parsers
                raise _refuse(FORBIDDEN[prefix.upper()], prefix.upper(), text, m.start())
            if after_prefix:
                declared.add(prefix)
            elif prefix not in declared and prefix != "_":
                line, col = _position(text, m.start())
                raise QueryError(f"Unknown prefix '{prefix}:' (line {line}, column {col}). Declare it "
                                 f"(PREFIX {prefix}: <…>) or use a predeclared one (coopmap query --prefixes).")
        if kind not in ("comment",) and not m.group().isspace():
            after_prefix = kind == "word" and m.group().upper() == "PREFIX"


def _syntax_error(text, exc):
    line = getattr(exc, "lineno", None)
    col = getattr(exc, "col", None)
    if not line or not col:
        return QueryError(f"SPARQL syntax error: {exc}")
    source = text.split("\n")[line - 1] if line - 1 < len(text.split("\n")) else ""
    near = source[col - 1:].strip()
    near = re.match(r"\S+(?:\s+\S+)?", near).group() if near else "the end of the query"
    if len(near) > 40:
        near = near[:39] + "…"
    shown = source.replace("\t", " ")
    caret = " " * (col - 1) + "^"
    hint = ("check the brackets, dots, semicolons and keywords just before it, and that every prefix "
            "is declared or predeclared (coopmap query --prefixes)")
    return QueryError(f"SPARQL syntax error at line {line}, column {col}, near '{near}':\n"
                      f"  {shown}\n  {caret}\n  how to fix: {hint}")


def _walk(node):
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _walk(value)


def _check_tree(parsed):
    """Raise if the parse tree holds a ``SERVICE`` pattern or a dataset clause, at any depth."""
    for node in _walk(parsed):
        if node.name == "ServiceGraphPattern":
            raise _refuse("service", "SERVICE")
        if dict.get(node, "datasetClause"):
            raise _refuse("dataset", "FROM")


_LOCK = threading.Lock()


def _parse(text):
    with _LOCK:
        from pyparsing import ParseException
        from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

        try:
            return parseQuery(text)
        except ParseException as e:
            query_error = e
        except RecursionError:
            raise QueryError("The query is nested too deeply to read (brackets or braces); simplify it.") from None
        except Exception as e:  # rdflib raises a few other errors on malformed terms
            raise QueryError(f"SPARQL syntax error: {e}") from None
        try:
            update = parseUpdate(text)
        except Exception:  # not an update either: report the query's syntax error
            raise _syntax_error(text, query_error) from None
    names = [op.name for op in update.get("request", [])] or ["update"]
    raise _refuse("update", names[0])


@lru_cache(maxsize=512)
def check_query(text: str) -> QueryInfo:
    """Check that ``text`` is one read-only SPARQL 1.1 query over the local dataset.

    Parameters
    ----------
    text : str
        The query, as the user wrote it (predeclared prefixes need not be declared).

    Returns
    -------
    QueryInfo
        The query form.

    Raises
    ------
    QueryError
        For any SPARQL Update, ``SERVICE`` or ``FROM`` / ``FROM NAMED`` (with the reason and where it
        is), and for syntax errors (with the line, the column and the offending text).

    Examples
    --------
    >>> check_query("SELECT ?s WHERE { ?s a coop:Actor }").form
    'SELECT'
    >>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    graph.core.errors.QueryError: SERVICE is refused: queries run on the local graph only and never contact another endpoint. Remove the SERVICE block. (line 1, column 18)
    """
    if not isinstance(text, str) or not text.strip():
        raise QueryError("The query is empty. Give a SPARQL query, a file (-f) or an example (--example).")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"The query is {len(text):,} characters long; the limit is {MAX_QUERY_LENGTH:,}.")
    _scan(text)
    parsed = _parse(text)
    _check_tree(parsed)
    form = parsed[1].name.replace("Query", "").upper()
    if form not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        raise QueryError(f"Unsupported query form {parsed[1].name}.")
    return QueryInfo(form=form, named_graphs=any(n.name == "GraphGraphPattern" for n in _walk(parsed)))
