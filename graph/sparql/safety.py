"""Check a user's SPARQL before anything runs it: read-only queries over the local dataset only.

The check is a scan of the query's tokens that follows the SPARQL 1.1 grammar's lexical rules
(https://www.w3.org/TR/sparql11-query/#grammar) closely enough never to miss a keyword the engine sees:

- comments run from ``#`` to the end of the line, and a line ends at a line feed *or* a carriage return
  (``[^#xA#xD]*``), as in Oxigraph;
- strings follow ``STRING_LITERAL1/2`` and ``STRING_LITERAL_LONG1/2`` (a short string never holds a line
  break); IRIs follow ``IRIREF``; prefixed names include their escapes (``ex:a\\'b``);
- codepoint escapes (``\\u0053ERVICE``) are decoded and the decoded text is scanned as well;
- where ``<`` may be a comparison rather than an IRI (after an operand, inside brackets), the text
  between ``<`` and ``>`` is scanned as code too.

It refuses the keywords of SPARQL Update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``,
``CREATE``, ``ADD``, ``MOVE``, ``COPY``, ``WITH``, ``USING``), ``SERVICE`` and ``FROM`` / ``FROM NAMED``,
in any case, wherever they stand outside a string, an IRI or a comment. It also gives clear messages
for the mistakes whose engine message is cryptic (an undeclared prefix, ``LIMIT 1e23``, an escape that
is not a character, brackets nested hundreds deep).

The scan imports nothing but :mod:`re` (no SPARQL parser: rdflib's costs a second to import). The
engine parses the query in the query worker, which is sandboxed (:mod:`graph.sparql.worker`): it cannot
open a network socket, so even a keyword the scan missed could not reach another machine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph.core.errors import QueryError

__all__ = ["QueryInfo", "check_query", "MAX_QUERY_LENGTH", "MAX_NESTING", "FORBIDDEN"]

#: Longest query text accepted, in characters.
MAX_QUERY_LENGTH = 100_000

#: Deepest nesting of brackets and braces accepted (the engine's parser recurses on each level).
MAX_NESTING = 200

#: Refused keywords and why.
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

_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

# Characters a variable name or a prefixed name may hold beyond \w (VARNAME, PN_CHARS).
_NAME_EXTRA = "\u00b7\u0300-\u036f\u203f\u2040"

_TOKEN = re.compile(rf"""
    (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<comment>\#[^\n\r]*)
  | (?P<var>[?$][\w{_NAME_EXTRA}]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>[\w.\-{_NAME_EXTRA}]*:(?:[\w.\-:%{_NAME_EXTRA}]|\\.)*)
  | (?P<number>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<space>\s+)
  | (?P<other>\\.|.)
""", re.S | re.X)

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Tokens after which "<" compares rather than opens an IRI, when inside brackets.
_OPERAND_END = {"var", "string", "iri", "pname", "number", "word", "lang"}


@dataclass(frozen=True)
class QueryInfo:
    """What :func:`check_query` learnt: the query form (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``)
    and whether it names graphs (``GRAPH`` patterns)."""

    form: str
    named_graphs: bool = False


def _position(text, offset):
    """1-based line and column of ``offset``; a line ends at LF, CR or CRLF, as SPARQL's do."""
    before = text[:offset]
    lines = re.split(r"\r\n|\r|\n", before)
    return len(lines), len(lines[-1]) + 1


def _where(text, offset):
    line, col = _position(text, offset)
    return f" (line {line}, column {col})"


def _refuse(reason, word, text=None, offset=None):
    where = _where(text, offset) if text is not None and offset is not None else ""
    return QueryError(_REASONS[reason].format(word=word.upper()) + where)


def _unescape(text):
    """``text`` with its ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes decoded; a clear error for a non-character."""
    def sub(m):
        code = int(m.group(1) or m.group(2), 16)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            kind = "a lone UTF-16 surrogate" if code <= 0xDFFF else "beyond U+10FFFF"
            raise QueryError(f"The escape {m.group()}{_where(text, m.start())} is not a Unicode character "
                             f"({kind}). Write the character itself, or a valid code point.")
        return chr(code)

    return _ESCAPE.sub(sub, text)


def _scan(text, *, prefixes=True, inner=False, full=None, base=0):
    """Raise on the first forbidden keyword outside comments, strings and IRIs; return the query form and
    whether it has ``GRAPH`` patterns. ``inner`` scans a fragment (at ``base`` in ``full``): keywords only."""
    full = text if full is None else full
    from graph.core.prefixes import PREFIXES

    declared, prev, after_prefix = set(PREFIXES), None, False
    depth, parens, form, graphs = 0, 0, None, False
    pending_limit = None
    for m in _TOKEN.finditer(text):
        kind, value = m.lastgroup, m.group()
        if kind in ("space", "comment"):
            continue
        if pending_limit is not None and not inner:
            if kind != "number" or not value.isdigit():
                raise QueryError(f"{pending_limit} must be a whole number of rows (0 or more), not "
                                 f"'{value}'{_where(text, m.start())}. The row cap (limit) applies anyway.")
            if int(value) >= 2 ** 64:
                raise QueryError(f"{pending_limit} {value} is too large{_where(text, m.start())}: the most is "
                                 f"{2 ** 64 - 1}. The row cap (limit) applies anyway.")
            pending_limit = None
        if kind == "word":
            word = value.upper()
            if word in FORBIDDEN:
                raise _refuse(FORBIDDEN[word], word, full, base + m.start())
            if word in _FORMS and form is None:
                form = word
            elif word == "GRAPH":
                graphs = True
            elif word in ("LIMIT", "OFFSET"):
                pending_limit = word
        elif kind == "iri" and parens and prev in _OPERAND_END:
            _scan(value[1:-1], prefixes=False, inner=True, full=full, base=base + m.start() + 1)  # "?a<?b)SERVICE#>": maybe a comparison, not an IRI
        elif kind == "pname":
            prefix = value.split(":", 1)[0]
            if prefix.upper() in FORBIDDEN:  # "SERVICE:x" reads as SERVICE + ":x" to some parsers
                raise _refuse(FORBIDDEN[prefix.upper()], prefix.upper(), full, base + m.start())
            if after_prefix:
                declared.add(prefix)
            elif prefixes and prefix not in declared and prefix != "_":
                raise QueryError(f"Unknown prefix '{prefix}:'{_where(text, m.start())}. Declare it "
                                 f"(PREFIX {prefix}: <…>) or use a predeclared one (coopmap query --prefixes).")
        elif kind == "other":
            if value in "({[":
                depth += 1
                parens += value == "("
                if depth > MAX_NESTING and not inner:
                    raise QueryError(f"The query nests brackets and braces more than {MAX_NESTING} deep"
                                     f"{_where(text, m.start())}; flatten it.")
            elif value in ")}]":
                depth = max(0, depth - 1)
                parens = max(0, parens - (value == ")"))
        after_prefix = kind == "word" and value.upper() == "PREFIX"
        prev = kind if kind != "other" else ("word" if value in ")]" else None)
    if pending_limit is not None and not inner:
        raise QueryError(f"{pending_limit} at the end of the query needs a whole number of rows.")
    return form, graphs


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
        is), for an undeclared prefix, and for text that is no query at all. Other syntax errors are
        reported by the engine when the query runs (:func:`graph.sparql.query.run_query`).

    Examples
    --------
    >>> check_query("SELECT ?s WHERE { ?s a coop:Actor }").form
    'SELECT'
    >>> check_query("SELECT * WHERE { # note\\rSERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    graph.core.errors.QueryError: SERVICE is refused: queries run on the local graph only and never contact another endpoint. Remove the SERVICE block. (line 2, column 1)
    """
    if not isinstance(text, str) or not text.strip():
        raise QueryError("The query is empty. Give a SPARQL query, a file (-f) or an example (--example).")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"The query is {len(text):,} characters long; the limit is {MAX_QUERY_LENGTH:,}.")
    lone = re.search("[\ud800-\udfff]", text)
    if lone:
        raise QueryError(f"The query holds U+{ord(lone.group()):04X}{_where(text, lone.start())}, a lone UTF-16 "
                         "surrogate that is not a Unicode character (text decoded with errors?). Remove it.")
    form, graphs = _scan(text)
    decoded = _unescape(text)
    if decoded != text:
        form2, graphs2 = _scan(decoded, prefixes=False)
        form, graphs = form or form2, graphs or graphs2
    if form is None:
        raise QueryError("This is not a SPARQL query: it has no SELECT, ASK, CONSTRUCT or DESCRIBE.")
    return QueryInfo(form=form, named_graphs=graphs)


def syntax_error(text: str, message: str) -> QueryError:
    """The engine's syntax error (``error at 4:14: expected …``) as a message with the line shown.

    >>> print(syntax_error("SELECT ?a\\nWHERE { FILTER(?a = ) }", "error at 2:20: expected one of ABS, AVG, [_]"))
    SPARQL syntax error at line 2, column 20, near ') }':
      WHERE { FILTER(?a = ) }
                         ^
      expected one of ABS, AVG, [_]
      how to fix: check the brackets, dots, semicolons and keywords just before it, and that every prefix is declared or predeclared (coopmap query --prefixes)
    """
    m = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if not m:
        return QueryError(f"SPARQL syntax error: {message}")
    line, col, expected = int(m.group(1)), int(m.group(2)), " ".join(m.group(3).split())
    options = expected.split(", ")
    if len(options) > 8:
        expected = ", ".join(options[:8]) + ", …"
    lines = re.split(r"\r\n|\r|\n", text)
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    near = source[col - 1:].strip()
    near = re.match(r"\S+(?:\s+\S+)?", near).group() if near else "the end of the query"
    if len(near) > 40:
        near = near[:39] + "…"
    caret = " " * (col - 1) + "^"
    hint = ("check the brackets, dots, semicolons and keywords just before it, and that every prefix "
            "is declared or predeclared (coopmap query --prefixes)")
    return QueryError(f"SPARQL syntax error at line {line}, column {col}, near '{near}':\n"
                      f"  {source.replace(chr(9), ' ')}\n  {caret}\n  {expected}\n  how to fix: {hint}")
