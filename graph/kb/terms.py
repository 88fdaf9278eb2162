"""Which coopmap vocabulary terms a SPARQL query names that the ontology does not declare (``coop:Actr``).

A typo in a term returns "(no rows)" with no error; :func:`undeclared_terms` finds it before the query runs.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

__all__ = ["VOCABULARY_NAMESPACES", "declared_terms", "undeclared_terms", "suggestion"]

#: Namespaces whose terms the ontology declares: the coop: ontology and the concept schemes.
VOCABULARY_NAMESPACES = ("https://w3id.org/coopmap/def#", "https://w3id.org/coopmap/scheme/")

_STRINGS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_COMMENTS = re.compile(r"#[^\n]*")
_IRIS = re.compile(r"<([^<>\s]*)>")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>", re.I)
_PNAME = re.compile(r"(?<![\w?$:/#-])([A-Za-z][\w.-]*)?:((?:[\w-]|\.(?=[\w-]))*)")


@lru_cache(maxsize=4)
def _declared(ontology_dir: str) -> frozenset:
    """The declared terms, read from the ontology files once per version of them: the list is kept in the
    cache folder (``declared-terms-<key>.json``, the key following the files' names, sizes and times), so a
    query does not parse the ontology again."""
    import hashlib
    import json
    from pathlib import Path

    files = sorted(Path(ontology_dir).glob("*.ttl"))
    stats = [(f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files]
    memo = _cache_root() / f"declared-terms-{hashlib.sha256(repr((ontology_dir, stats)).encode()).hexdigest()[:16]}.json"
    try:
        return frozenset(json.loads(memo.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    import pyoxigraph as ox

    out = set()
    for path in files:
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(VOCABULARY_NAMESPACES):
                out.add(t.subject.value)
    try:
        if memo.parent.is_dir():
            from graph.core.files import atomic_write

            atomic_write(memo, json.dumps(sorted(out)))
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
        pass
    return frozenset(out)


def _cache_root():
    from graph.kb.dataset import Project

    return Project().cache_root


def declared_terms(ontology_dir=None) -> frozenset:
    """Every IRI in the coop: and scheme namespaces that the ontology files describe."""
    from graph.core.resources import resource_dir

    return _declared(str(ontology_dir or resource_dir("ontology")))


def undeclared_terms(query_text: str, ontology_dir=None) -> list:
    """The coop: (and concept-scheme) terms ``query_text`` names that the ontology does not declare, as written.

    Prefixed names use the predeclared prefixes and the query's own ``PREFIX`` lines; full ``<IRIs>`` count
    too. Strings and comments are skipped.

    >>> undeclared_terms("SELECT ?a WHERE { ?a a coop:Actr ; coop:level level:eu }")
    ['coop:Actr']
    >>> undeclared_terms('SELECT ?a WHERE { ?a a coop:Actor ; rdfs:label "coop:Nothing" } # coop:Comment')
    []
    >>> undeclared_terms("PREFIX c: <https://w3id.org/coopmap/def#> SELECT ?x { ?x c:levl ?y ; a lk:notifiess }")
    ['c:levl', 'lk:notifiess']
    """
    from graph.core.prefixes import PREFIXES

    text = _STRINGS.sub('""', query_text)
    prefixes = dict(PREFIXES)
    for name, iri in _PREFIX_DECL.findall(text):
        prefixes[name] = iri
    text = _PREFIX_DECL.sub("", text)
    found = [(f"<{iri}>", iri) for iri in _IRIS.findall(text)]
    body = _COMMENTS.sub("", _IRIS.sub("<>", text))  # IRIs first: their '#' does not start a comment
    for prefix, local in _PNAME.findall(body):
        if prefix in prefixes:
            found.append((f"{prefix}:{local}", prefixes[prefix] + local))
    declared = declared_terms(ontology_dir)
    out = []
    for written, iri in found:
        if iri.startswith(VOCABULARY_NAMESPACES) and iri not in VOCABULARY_NAMESPACES and iri not in declared \
                and not _is_scheme(iri, declared) and written not in out:
            out.append(written)
    return out


def _is_scheme(iri, declared):
    return iri.rstrip("/") in declared


def suggestion(term: str, ontology_dir=None) -> str | None:
    """The closest declared term to an undeclared one, written the same way (``coop:Actr`` -> ``coop:Actor``).

    >>> suggestion("coop:Actr")
    'coop:Actor'
    """
    from graph.core.prefixes import PREFIXES

    if ":" not in term or term.startswith("<"):
        return None
    prefix, local = term.split(":", 1)
    ns = PREFIXES.get(prefix)
    if not ns:
        return None
    names = [d[len(ns):] for d in declared_terms(ontology_dir) if d.startswith(ns) and "/" not in d[len(ns):]]
    match = difflib.get_close_matches(local, names, n=1, cutoff=0.6)
    return f"{prefix}:{match[0]}" if match else None
