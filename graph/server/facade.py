"""What the web app asks of the library, in one place: a thin facade over the public API.

The route handlers call only this facade. Each method is one call of :mod:`graph.api`'s
``KnowledgeGraph`` (opened once per audience, so every cache is that audience's); every answer is
plain data (``to_dict()``), so handlers and templates never see SPARQL, networkx or RDF terms.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from graph.core.access import check_audience
from graph.core.errors import NotFound

__all__ = ["Facade", "as_dict"]

ID_BASE = "https://w3id.org/coopmap/id/"


def as_dict(result):
    """A typed result as plain data (``to_dict()``), or the value itself when already plain."""
    return result.to_dict() if hasattr(result, "to_dict") else result


class Facade:
    """The public API (:func:`graph.open`) as one audience sees it, answers as plain data.

    Parameters
    ----------
    audience : str
        Highest TLP label shown (``clear`` by default): every answer holds nothing above it.
    timeout : float
        Seconds a SPARQL query may run.
    limit : int
        Rows (or triples) a SPARQL answer keeps at most.
    store : str, optional
        URL of a SPARQL 1.1 endpoint to answer SPARQL from instead of the embedded store (see
        :mod:`graph.sparql.remote`).
    """

    def __init__(self, audience="clear", timeout=10.0, limit=10_000, store=None):
        import graph

        self.audience = check_audience(audience)
        self.timeout = timeout
        self.limit = limit
        self.store = store
        # with a shared store, the pages read its graphs: graph.open() fetches them once, on first use
        self.kg = graph.open(audience=self.audience, store=store)
        if store:
            self.kg.view  # noqa: B018 -- fetch and project now, not on the first request
        self._lock = threading.Lock()
        self._answers = _LRU(512)  # the graph is read-only while it is served: equal questions, equal answers

    # ------------------------------------------------------------ network answers

    def view(self):
        with self._lock:  # the first call builds (or loads) the view; later ones share it
            return self.kg.view

    def resolve(self, name):
        """The IRI of the actor called ``name`` (raises :class:`NotFound` with suggestions)."""
        self.view()
        return self.kg.resolve(name)

    def suggestions(self, name, n=8):
        return _index(self.view()).suggestions(name, n) if name else []

    def search(self, text, lang="en", n=50):
        """Actors whose names, in any language, or acronyms contain ``text`` (case and accents ignored)."""
        from graph.kb.resolve import fold

        key = fold(text or "")
        if not key:
            return []
        G = self.view()
        hits = []
        for iri, d in G.nodes(data=True):
            folded = [fold(x) for x in list((d.get("labels") or {}).values()) + list(d.get("alt_labels") or [])]
            if key in folded:
                score = 0
            elif any(f.startswith(key) for f in folded):
                score = 1
            elif any(key in f for f in folded):
                score = 2
            else:
                continue
            hits.append((score, self._name(iri, lang), iri, d))
        hits.sort(key=lambda h: (h[0], h[1].casefold()))
        return [{"iri": iri, "slug": iri.rsplit("/", 1)[-1], "name": name, "kind": d.get("kind"),
                 "level": d.get("level")} for _, name, iri, d in hits[:n]]

    def _name(self, iri, lang="en"):
        d = self.view().nodes[iri]
        labels = d.get("labels") or {}
        name = labels.get(lang) or labels.get("en") or iri.rsplit("/", 1)[-1]
        alt = (d.get("alt_labels") or [None])[0]
        return f"{alt} ({name})" if alt and alt != name else name

    def actors(self, level=None, kind=None, mandate=None, lang="en"):
        return self.kg.actors(level=level, kind=kind, mandate=mandate, lang=lang).to_dict()["rows"]

    def show(self, name, lang="en"):
        return self._answers.get(("show", name, lang), lambda: self._show(name, lang))

    def _show(self, name, lang):
        self.view()
        answer = self.kg.show(name, lang=lang)
        return {**answer.to_dict(), "text": answer.text()}

    def contact(self, source, need, *, when=None, victim=None, nationality=None, exploitation=None, cooperates=None,
                region=None, as_of=None, without=(), top=3):
        """Who to contact, as ``coopmap contact`` answers (the same ``top``: 3 by default)."""
        key = ("contact", source, need, when, victim, nationality, exploitation, cooperates, region, as_of,
               tuple(without), top)
        return self._answers.get(key, lambda: self._contact(source, need, dict(
            when=when, victim=victim, nationality=nationality, exploitation=exploitation, cooperates=cooperates,
            region=region, as_of=as_of or None, without=tuple(without), top=top)))

    def _contact(self, source, need, options):
        self.view()
        if options.get("region") is None:  # an API without regions
            options.pop("region")
        answer = self.kg.contact(source, need, **options)
        d = answer.to_dict()
        try:
            brief, full = answer.text(explain=False), answer.text(explain=True)
        except TypeError:  # an answer whose text has no explain switch
            brief = full = answer.text()
        return {**d, "answers": d.get("answers", d.get("rows", [])), "text": full, "brief": brief}

    def path(self, source, target, as_of=None, limit=20):
        return self._answers.get(("path", source, target, as_of, limit), lambda: self._path(source, target, as_of, limit))

    def _path(self, source, target, as_of, limit):
        self.view()
        answer = self.kg.path(source, target, as_of=as_of or None, limit=limit)
        return {**answer.to_dict(), "text": answer.text()}

    def centrality(self, metric="degree", scope="all", top=10, as_of=None):
        return self._answers.get(("centrality", metric, scope, top, as_of),
                                 lambda: self._centrality(metric, scope, top, as_of))

    def _centrality(self, metric, scope, top, as_of):
        self.view()
        answer = self.kg.centrality(metric=metric, scope=scope, top=top, as_of=as_of or None)
        return {**answer.to_dict(), "text": answer.text()}

    def gaps(self, as_of=None):
        return self._answers.get(("gaps", as_of), lambda: self._gaps(as_of))

    def _gaps(self, as_of):
        self.view()
        answer = self.kg.gaps(as_of=as_of or None)
        return {**answer.to_dict(), "text": answer.text()}

    def scheme_labels(self):
        """``{scheme: {notation: {lang: label}}}`` for the concept schemes (kinds, levels, mandates, link kinds, …)."""
        with self._lock:
            if getattr(self, "_labels", None) is None:
                from graph.maps.page import scheme_labels

                self._labels = scheme_labels(self.kg.project)
            return self._labels

    def choices(self):
        """The option lists of the forms: mandates, levels, kinds (notation -> English label)."""
        schemes = self.view().graph.get("schemes", {})

        def pick(slug):
            return {k: (v.get("label") or k) for k, v in sorted((schemes.get(slug) or {}).items())}

        return {"mandate": pick("mandate"), "level": pick("level"), "kind": pick("actor-kind")}

    # ------------------------------------------------------------ maps

    def map(self, lang="en", focus=None, depth=1, level=(), mandate=(), kind=(), path=None, as_of=None, tour=None):
        """One offline map page (HTML text), as ``coopmap map`` writes it (cached per audience and options)."""
        return _map_page(self.kg, lang, focus or None, int(depth), tuple(level), tuple(mandate), tuple(kind),
                         tuple(path) if path else None, as_of or None, tour or None)

    # ------------------------------------------------------------ SPARQL and RDF

    def queries(self):
        return self.kg.queries()

    def example(self, name):
        return self.kg.example(name)

    def query(self, text, timeout=None, limit=None):
        """Check and run a read-only SPARQL query (a :class:`graph.sparql.results.QueryResult`)."""
        timeout = min(timeout or self.timeout, self.timeout)
        limit = min(limit or self.limit, self.limit)
        return self._answers.get(("query", text, limit), lambda: self._query(text, timeout, limit))

    def _query(self, text, timeout, limit):
        if self.store:
            from graph.sparql.remote import remote_query

            return remote_query(self.store, text, timeout=timeout, limit=limit)
        return self.kg.query(text, timeout=timeout, limit=limit)

    def describe(self, iri):
        """The triples about ``iri`` (its concise bounded description); :class:`NotFound` when there are none."""
        if not iri or any(c in iri for c in '<>"{}|^`\\ \n\t'):
            raise NotFound(f"No resource {iri!r}.")
        result = self.query(f"DESCRIBE <{iri}>")
        if not result.triples:
            raise NotFound(f"No resource <{iri}> (or it is above the '{self.audience}' audience).")
        return result

    def is_actor(self, iri):
        return iri in self.view()

    def export(self, fmt="ttl", inferred=False):
        return _export(self.kg, fmt, inferred)

    def prefixes(self):
        from graph.core.prefixes import PREFIXES

        return dict(PREFIXES)

    def ontology_turtle(self):
        from graph.core.resources import resource_dir

        return {p.name: p.read_text(encoding="utf-8") for p in sorted(resource_dir("ontology").glob("*.ttl"))}

    def data_model_doc(self):
        """The text of ``docs/data-model.md`` when running from a checkout that has it, else None."""
        from graph.core.resources import checkout_root

        root = checkout_root()
        doc = root / "docs" / "data-model.md" if root else None
        return doc.read_text(encoding="utf-8") if doc and doc.is_file() else None

    def ontology_terms(self):
        """Every class, property and concept scheme of the ontology files, with labels and comment."""
        return _ontology_terms()

    def stats(self):
        G = self.view()
        return {"actors": G.number_of_nodes(), "links": G.number_of_edges(), "audience": self.audience}


class _LRU:
    """A small thread-safe memo of answers (errors are not kept: they are raised again next time)."""

    def __init__(self, size):
        from collections import OrderedDict

        self.size = size
        self.items = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, compute):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = compute()
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


@lru_cache(maxsize=2)
def _index(G):
    from graph.network.view import name_index

    return name_index(G)


_MAP_LOCK = threading.Lock()


@lru_cache(maxsize=32)
def _map_page(kg, lang, focus, depth, level, mandate, kind, path, as_of, tour):
    import tempfile
    from pathlib import Path

    with _MAP_LOCK, tempfile.TemporaryDirectory(prefix="coopmap-serve-") as d:
        out = Path(d) / "map.html"
        kg.map(output=str(out), focus=focus, depth=depth, level=level or None, mandate=mandate or None,
               kind=kind or None, path=path, lang=lang, as_of=as_of, tour=tour)
        return out.read_text(encoding="utf-8")


@lru_cache(maxsize=12)
def _export(kg, fmt, inferred):
    return kg.export(fmt, inferred=inferred)


@lru_cache(maxsize=1)
def _ontology_terms():
    import pyoxigraph as ox

    from graph.core.resources import resource_dir

    RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    RDFS = "http://www.w3.org/2000/01/rdf-schema#"
    OWL = "http://www.w3.org/2002/07/owl#"
    SKOS = "http://www.w3.org/2004/02/skos/core#"
    kinds = {OWL + "Class": "class", RDFS + "Class": "class", OWL + "ObjectProperty": "property",
             OWL + "DatatypeProperty": "property", RDF + "Property": "property", OWL + "AnnotationProperty": "property",
             SKOS + "ConceptScheme": "concept scheme"}
    terms = {}
    for path in sorted(resource_dir("ontology").glob("*.ttl")):
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if not isinstance(t.subject, ox.NamedNode):
                continue
            rec = terms.setdefault(t.subject.value, {"iri": t.subject.value, "type": None, "label": {}, "comment": "",
                                                     "file": path.name})
            p, o = t.predicate.value, t.object
            if p == RDF + "type" and o.value in kinds and rec["type"] is None:
                rec["type"] = kinds[o.value]
            elif p in (RDFS + "label", SKOS + "prefLabel") and isinstance(o, ox.Literal):
                rec["label"].setdefault(o.language or "en", o.value)
            elif p in (RDFS + "comment", SKOS + "definition") and isinstance(o, ox.Literal) and o.language in (None, "en"):
                rec["comment"] = rec["comment"] or o.value
    order = {"class": 0, "property": 1, "concept scheme": 2}
    return [r for r in sorted(terms.values(), key=lambda r: (order.get(r["type"], 9), r["iri"])) if r["type"]]
