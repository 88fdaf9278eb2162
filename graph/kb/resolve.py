"""Find an actor by any of its names: labels in any language, acronyms, or its IRI slug.

Matching ignores case, accents and punctuation ("itm", "Inspection du travail et des mines" and
"inspection-du-travail" all find the ITM). An unknown name raises :class:`graph.core.errors.NotFound` with
the closest names as suggestions. The index is cached next to the compiled graph as JSON, so resolving a
name needs neither rdflib nor Oxigraph once built.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata

from graph.core.errors import NotFound

__all__ = ["fold", "is_acronym", "actor_index", "resolve_actor", "ActorIndex"]


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key.

    Examples
    --------
    >>> fold("Inspection du Travail et des Mines")
    'inspection du travail et des mines'
    >>> fold("  Comité de suivi — ITM's ")
    'comite de suivi itm s'
    """
    if not text.isascii():  # ASCII is its own NFKD form, without combining marks
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_WORD.findall(text.casefold()))


_WORD = re.compile(r"[a-z0-9]+")


def is_acronym(text: str) -> bool:
    """True for short labels written mostly in capitals: 'ITM', 'CCPD', 'EMSC', 'I-24/7'."""
    letters = [c for c in text if c.isalpha()]
    return 0 < len(text) <= 12 and " " not in text.strip() and sum(c.isupper() for c in letters) >= max(1, len(letters) - 1)


_INDEX_QUERY = """
SELECT ?actor ?label ?alt ?kind ?level WHERE {
  ?actor a coop:Actor .
  { ?actor skos:prefLabel ?label } UNION { ?actor skos:altLabel ?alt }
  OPTIONAL { ?actor coop:actorKind/skos:notation ?kind }
  OPTIONAL { ?actor coop:level/skos:notation ?level }
}"""


class ActorIndex:
    """Actor records (IRI, labels by language, acronyms) and a folded-name lookup table."""

    def __init__(self, records):
        self.records = records
        self.by_iri = {r["iri"]: r for r in records}
        self.keys = {}
        for r in records:
            names = list(r["labels"].values()) + r["alt"] + [r["iri"].rsplit("/", 1)[-1]]
            for n in names:
                self.keys.setdefault(fold(n), set()).add(r["iri"])

    def label(self, iri: str, lang: str = "en") -> str:
        """The actor's name in ``lang`` (falling back to English, then any)."""
        r = self.by_iri.get(iri)
        if not r:
            return iri.rsplit("/", 1)[-1]
        return r["labels"].get(lang) or r["labels"].get("en") or next(iter(r["labels"].values()), iri)

    def acronym(self, iri: str) -> str:
        """The shortest alternative label that is an acronym (``ITM``, ``EU-LISA``, ``I-24/7``), or ''.

        Examples
        --------
        >>> ActorIndex([{"iri": "x", "labels": {"en": "Luxembourg"}, "alt": ["Luxemburg", "LU"]}]).acronym("x")
        'LU'
        """
        r = self.by_iri.get(iri)
        alts = sorted((a for a in (r["alt"] if r else []) if is_acronym(a)), key=len)
        return alts[0] if alts else ""

    def short(self, iri: str, lang: str = "en") -> str:
        """Acronym and name, for listings: 'ITM (Inspectorate of Labour and Mines)'."""
        a, n = self.acronym(iri), self.label(iri, lang)
        return f"{a} ({n})" if a and fold(a) != fold(n) else n

    def suggestions(self, name: str, n: int = 5):
        key = fold(name)
        close = difflib.get_close_matches(key, list(self.keys), n=n, cutoff=0.6)
        contains = [k for k in self.keys if key and (key in k.split() or (len(key) > 3 and key in k))]
        out = []
        for k in close + sorted(contains, key=len):
            for iri in sorted(self.keys[k]):
                s = self.short(iri)
                if s not in out:
                    out.append(s)
        return out[:n]

    def resolve(self, name: str) -> str:
        """The IRI of the actor called ``name``.

        Raises
        ------
        NotFound
            With the closest names when nothing matches, or the candidates when the name is ambiguous.
        """
        if name in self.by_iri:
            return name
        hits = self.keys.get(fold(name), set())
        if len(hits) == 1:
            return next(iter(hits))
        if len(hits) > 1:
            options = "; ".join(sorted(self.short(i) for i in hits))
            raise NotFound(f"'{name}' names several actors: {options}. Use a fuller name.")
        sugg = self.suggestions(name)
        hint = f" Did you mean: {'; '.join(sugg)}?" if sugg else " Try `coopmap actors` for the list."
        raise NotFound(f"No actor called '{name}'.{hint}")


def actor_index(project=None) -> ActorIndex:
    """The actor index of the compiled graph (cached as ``actors.json`` beside it)."""
    from graph.kb.build import compiled

    path = compiled(project) / "actors.json"
    if path.exists():
        return ActorIndex(json.loads(path.read_text(encoding="utf-8")))
    from graph.kb.store import open_store, select

    records = {}
    for row in select(open_store(project), _INDEX_QUERY, lang=True):
        r = records.setdefault(row["actor"], {"iri": row["actor"], "labels": {}, "alt": [], "kind": row["kind"],
                                              "level": row["level"]})
        if row["label"]:
            text, lang = row["label"] if isinstance(row["label"], tuple) else (row["label"], "")
            r["labels"].setdefault(lang or "en", text)
        if row["alt"]:
            text = row["alt"][0] if isinstance(row["alt"], tuple) else row["alt"]
            if text not in r["alt"]:
                r["alt"].append(text)
    recs = sorted(records.values(), key=lambda r: r["iri"])
    from graph.core.errors import CoopmapError
    from graph.core.files import atomic_write

    try:  # a unique temporary file per writer: parallel first runs never trip over each other
        atomic_write(path, json.dumps(recs, ensure_ascii=False))
    except CoopmapError:
        pass  # a read-only cache only costs rebuilding the index next time
    return ActorIndex(recs)


def resolve_actor(name: str, project=None) -> str:
    """Shortcut: the IRI of the actor called ``name`` in the project's graph."""
    return actor_index(project).resolve(name)
