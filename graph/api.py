"""The public API: one object a notebook, the command line and the web server all open.

>>> import graph
>>> kg = graph.open()
>>> kg.show("ITM").name
'Inspectorate of Labour and Mines'

Every method takes names as a user types them (any label, any language, an acronym), returns a typed
result whose ``to_dict()`` is exactly what ``--format json`` prints, and raises :class:`graph.CoopmapError`
subclasses that speak in the method's parameter names. Nothing here runs SPARQL itself: the methods call
the layers below (``graph.kb``, ``graph.sparql``, ``graph.network``, ``graph.maps``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from graph.core.access import check_audience
from graph.core.errors import CoopmapError

__all__ = ["open", "KnowledgeGraph", "Answer", "ActorList", "ActorRecord", "PathAnswer", "CentralityAnswer",
           "GapsAnswer", "DiffAnswer", "Catalogue", "ValidationReport", "MapResult"]


# ---------------------------------------------------------------- typed results


@dataclass(frozen=True)
class Answer:
    """What every answer offers: ``to_dict()`` (the JSON), ``rows()`` (the CSV rows), ``text()`` (the table)."""

    columns: ClassVar[tuple[str, ...]] = ()

    def to_dict(self) -> Any:
        raise NotImplementedError

    def rows(self) -> list[dict]:
        raise NotImplementedError

    def text(self) -> str:
        from graph.render.text import render_table

        return render_table(self.rows(), list(self.columns) or None)

    def render(self, fmt: str = "table") -> str:
        """The answer as ``table`` (text), ``json`` or ``csv`` (spreadsheet-safe cells)."""
        if fmt == "json":
            return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, default=str)
        if fmt == "csv":
            from graph.render.text import render

            return render(self.rows(), "csv", list(self.columns) or None)
        if fmt == "table":
            return self.text()
        raise CoopmapError(f"Unknown format '{fmt}'. Choose one of: table, json, csv.")

    def to_dataframe(self):
        """The rows as a pandas DataFrame (pandas must be installed)."""
        try:
            import pandas as pd
        except ImportError:
            raise CoopmapError("to_dataframe() needs pandas: pip install pandas.") from None
        return pd.DataFrame(self.rows(), columns=list(self.columns) or None)


@dataclass(frozen=True)
class ActorList(Answer):
    """Actors matching a filter, sorted by level then name; above TLP:CLEAR each row carries its ``tlp`` mark."""

    actors: list[dict]
    audience: str = "clear"

    @property
    def columns(self) -> tuple[str, ...]:
        return ("name", "acronym", "kind", "level", "mandates", "parent", "iri") + (
            ("tlp",) if self.audience != "clear" else ())

    def to_dict(self):
        return {"count": len(self.actors), "rows": self.actors}

    def rows(self):
        return self.actors

    def text(self):
        from graph.render.text import render_table

        return render_table(self.actors, [c for c in self.columns if c != "iri"])

    def __len__(self):
        return len(self.actors)

    def __iter__(self):
        return iter(self.actors)


@dataclass(frozen=True)
class ActorRecord(Answer):
    """Everything about one actor: names, kind, structure, memberships, links, sources."""

    record: dict
    audience: str = "clear"

    @property
    def columns(self) -> tuple[str, ...]:
        return ("relation", "actor", "condition", "legal_basis", "sources") + (
            ("tlp",) if self.audience != "clear" else ())

    @property
    def iri(self) -> str:
        return self.record["iri"]

    @property
    def name(self) -> str:
        return self.record["name"]

    @property
    def links(self) -> list[dict]:
        return self.record["links"]

    def to_dict(self):
        return self.record

    def rows(self):
        return [{"relation": lk["reads"], "actor": lk["actor"], "condition": lk["condition"],
                 "legal_basis": lk["legal_basis"], "sources": [f"{s['document']} {s['locator']}" for s in lk["sources"]],
                 "tlp": lk.get("tlp", "")} for lk in self.record["links"]]

    def text(self):
        from graph.render.text import render_actor

        return render_actor(self.record)


@dataclass(frozen=True)
class _Listing(Answer):
    """An answer made of ``rows`` plus facts about the whole answer (``meta``)."""

    rows_: list[dict]
    meta: dict = field(default_factory=dict)

    def to_dict(self):
        return {**self.meta, "rows": self.rows_}

    def rows(self):
        return self.rows_


@dataclass(frozen=True)
class PathAnswer(_Listing):
    """All shortest referral paths from one actor to another, hop by hop."""

    result: dict = field(default_factory=dict)
    columns: ClassVar[tuple[str, ...]] = ()

    @property
    def paths(self) -> list:
        return self.rows_

    def rows(self):
        from graph.network.paths import path_rows

        return path_rows(self.result)

    def render(self, fmt="table"):
        if fmt == "csv":
            from graph.network.paths import PATH_COLUMNS
            from graph.render.text import render

            return render(self.rows(), "csv", PATH_COLUMNS)
        return super().render(fmt)

    def text(self):
        from graph.network.paths import render_paths

        return render_paths(self.result)


@dataclass(frozen=True)
class CentralityAnswer(_Listing):
    """Actors ranked by a centrality measure, with what the measure means for a coordinator."""

    result: dict = field(default_factory=dict)
    columns: ClassVar[tuple[str, ...]] = ("rank", "actor", "level", "kind", "score", "iri")

    def text(self):
        from graph.network.analysis import render_centrality

        return render_centrality(self.result)


@dataclass(frozen=True)
class GapsAnswer(_Listing):
    """Where the referral network is fragile, each finding with its evidence."""

    columns: ClassVar[tuple[str, ...]] = ("gap", "subject", "evidence", "details", "iri", "sources")

    def text(self):
        from graph.network.analysis import render_gaps

        return render_gaps(self.rows_)


@dataclass(frozen=True)
class DiffAnswer(_Listing):
    """What appeared or ended between two dates."""

    columns: ClassVar[tuple[str, ...]] = ()

    def render(self, fmt="table"):
        if fmt == "csv":
            from graph.network.timeline import DIFF_COLUMNS
            from graph.render.text import render

            return render(self.rows_, "csv", DIFF_COLUMNS)
        return super().render(fmt)

    def text(self):
        from graph.network.timeline import render_diff

        return render_diff(self.rows_, self.meta["from"], self.meta["to"])


@dataclass(frozen=True)
class ValidationReport(Answer):
    """What ``validate`` found: the problems (errors and warnings), and the dataset's size when it conforms."""

    problems: list
    counts: dict
    quotes_checked: bool
    columns: ClassVar[tuple[str, ...]] = ("file", "line", "subject", "rule", "message", "fix", "severity")

    @property
    def errors(self) -> list:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self):
        return {"ok": self.ok, **self.counts, "rows": self.rows()}

    def rows(self):
        return [p.as_dict() for p in self.problems]

    def text(self):
        return "\n".join(str(p) for p in self.problems)

    def summary(self) -> str:
        """One line: the verdict and the counts."""
        if not self.ok:
            return f"{len(self.errors)} problem(s) found."
        c = self.counts
        quotes = " (every quote verbatim in its document)" if self.quotes_checked else ""
        warned = f"; {len(self.problems)} warning(s) above" if self.problems else ""
        return (f"OK: {c['quads']} quads, {c['actors']} actors, {c['links']} links, {c['citations']} citations"
                f"{quotes}{warned}.")


@dataclass(frozen=True)
class Catalogue(Answer):
    """The example queries: name, titles in English, French and German, the shape of the answer."""

    examples: list
    lang: str = "en"
    columns: ClassVar[tuple[str, ...]] = ("name", "title_en", "title_fr", "title_de", "shape", "note")

    def to_dict(self):
        return {"count": len(self.examples), "rows": self.rows()}

    def rows(self):
        return [e.as_dict() for e in self.examples]

    def text(self):
        from graph.render.text import render_table

        return render_table([{"name": e.name, "title": e.title(self.lang), "shape": e.shape_text()} for e in self.examples],
                            ["name", "title", "shape"])

    def __len__(self):
        return len(self.examples)

    def __iter__(self):
        return iter(self.examples)


@dataclass(frozen=True)
class MapResult:
    """What ``map`` wrote: the page, the still images, and how much is drawn."""

    output: Path | None
    png: list
    svg: Path | None
    actors: int
    links: int
    strategy: str
    bytes: int

    def files(self) -> list[tuple[str, Path]]:
        """``[(kind, path)]`` of every file written: ``("output", page)``, ``("png", image)``…, ``("svg", image)``."""
        return ([("output", self.output)] if self.output else []) + [("png", p) for p in self.png] + (
            [("svg", self.svg)] if self.svg else [])

    def to_dict(self):
        return {"output": str(self.output) if self.output else None, "png": [str(p) for p in self.png],
                "svg": str(self.svg) if self.svg else None, "actors": self.actors, "links": self.links,
                "strategy": self.strategy, "bytes": self.bytes}


# ---------------------------------------------------------------- the knowledge graph


class KnowledgeGraph:
    """The compiled, validated graph seen by one audience (TLP level) on one date.

    Open it with :func:`graph.open`. Compiling and projecting happen on first use and are cached on disk
    by content hash, so a second process answers at once.
    """

    def __init__(self, audience: str = "clear", as_of: str | None = None, data: str | Path | None = None,
                 lang: str = "en", store: str | None = None):
        from graph.kb.build import Project, default_project

        self.audience = check_audience(audience)
        self.as_of = as_of
        self.lang = lang
        self.project = Project(data_dir=Path(data)) if data else default_project()
        self.remote = store
        self._view = None
        self._store = None

    def __repr__(self):
        return f"<KnowledgeGraph audience={self.audience!r} as_of={self.as_of!r} data={str(self.project.data_dir)!r}>"

    # -- lazily opened layers
    @property
    def store(self):
        """The compiled dataset in an embedded Oxigraph store (for the layers below; prefer the methods)."""
        if self._store is None:
            if self.remote:  # a shared triple store: its asserted graphs, read once, answer all but the maps
                from graph.sparql.remote import fetch_dataset

                self._store = fetch_dataset(self.remote, self.audience)
            else:
                from graph.kb.store import open_store

                self._store = open_store(self.project)
        return self._store

    @property
    def view(self):
        """The networkx referral view for this audience (a ``networkx.MultiDiGraph``; read-only)."""
        if self._view is None:
            if self.remote:
                from graph.network.view import build_view

                self._view = build_view(self.store, self.audience)
            else:
                from graph.network.view import load_view

                self._view = load_view(self.project, audience=self.audience)
        return self._view

    def resolve(self, name: str, parameter: str = "name") -> str:
        """The IRI of the actor called ``name`` among the actors this audience may see."""
        from graph.network.view import resolve_name

        try:
            return resolve_name(self.view, name)
        except CoopmapError as e:
            e.parameter = parameter
            raise

    # -- knowledge base
    def validate(self, check_quotes: bool | str = "if-available", sources=None) -> ValidationReport:
        """Check the ontology and data (SHACL shapes, declared terms, references, layout, verbatim quotes), once
        per data version; a :class:`ValidationReport` (``ok``, ``problems``, counts)."""
        from graph.core.progress import progress
        from graph.kb.build import load_dataset
        from graph.kb.validate import counts, validate_cached

        with progress("Reading the data", min_seconds=1.0):
            store = load_dataset(self.project)
        with progress("Validating", min_seconds=1.0):
            problems = validate_cached(self.project, store=store, check_quotes=check_quotes, sources=sources)
        quotes = check_quotes is True and not any(p.rule == "quotes" for p in problems)
        return ValidationReport(problems, counts(store), quotes)

    def actors(self, level=None, kind=None, mandate=None, lang=None) -> ActorList:
        """Actors, optionally filtered by level, kind and mandate (notations or labels)."""
        from graph.network.describe import list_actors

        return ActorList(list_actors(self.store, level=level, kind=kind, mandate=mandate, lang=lang or self.lang,
                                     audience=self.audience, G=self.view), self.audience)

    def show(self, name: str, lang=None) -> ActorRecord:
        """Everything about one actor."""
        from graph.network.describe import describe_actor

        return ActorRecord(describe_actor(self.store, self.resolve(name), lang=lang or self.lang, audience=self.audience,
                                          G=self.view), self.audience)

    RDF_FORMATS: ClassVar[tuple[str, ...]] = ("ttl", "nt", "jsonld", "trig", "nq", "xml")
    NETWORK_FORMATS: ClassVar[tuple[str, ...]] = ("graphml", "gexf", "json", "csv")

    def export(self, format: str = "ttl", inferred: bool = False, as_of=None):
        """The graph serialised.

        RDF formats (``ttl``, ``nt``, ``jsonld``, ``trig``, ``nq``, ``xml``): the ontology, data and derived triples
        with a VoID/DCAT description (``inferred`` adds the entailments), as bytes. Network formats: the
        referral view on ``as_of`` as GraphML, GEXF (the map's colours and sizes) or node-link JSON bytes, or
        for ``csv`` a dict ``{"actors.csv": text, "links.csv": text, "sources.csv": text}`` (Kumu's layout).
        """
        if format in self.NETWORK_FORMATS:
            if inferred:
                raise CoopmapError("`inferred` applies to the RDF formats only.")
            from graph.network.exports import export_network, gexf_styles
            from graph.network.view import filter_view

            as_of = as_of or self.as_of
            G = filter_view(self.view, as_of=as_of) if as_of else self.view
            colours = sizes = None
            if format == "gexf":
                from graph.maps.page import LEVEL_COLOURS

                colours, sizes = gexf_styles(G, LEVEL_COLOURS, as_of=as_of)
            return export_network(G, format, colours=colours, sizes=sizes)
        if format not in self.RDF_FORMATS:
            raise CoopmapError(f"Unknown `format` '{format}'. Choose one of: "
                               f"{', '.join(self.RDF_FORMATS + self.NETWORK_FORMATS)}.")
        if as_of:
            raise CoopmapError("`as_of` applies to the network formats (graphml, gexf, json, csv).")
        from graph.kb.export import export

        store = self.store
        if inferred:
            from graph.sparql.query import ensure_inferred

            store = ensure_inferred(self.project, audience=self.audience)
        return export(store, format, include_inferred=inferred, audience=self.audience, describe=True)

    def write_export(self, output, format: str = "ttl", inferred: bool = False, as_of=None) -> Path:
        """Write :meth:`export` to ``output`` atomically (for ``csv``: a folder, or a ``.zip`` file)."""
        data = self.export(format, inferred=inferred, as_of=as_of)
        if format == "csv":
            from graph.network.exports import write_csv

            return write_csv(data, output)
        from graph.core.files import atomic_write

        return atomic_write(output, data)

    # -- who to contact
    def contact(self, asker: str, need: str, *, victim=None, nationality=None, exploitation=None, cooperates=None,
                when=None, region=None, without=(), top=3, as_of=None):
        """Who ``asker`` contacts, in order, to reach an actor holding the mandate ``need``.

        Returns a :class:`graph.network.contact.ContactAnswer` (``answers``, each with its route of steps,
        how to reach the actor and one source; ``to_dict()``, ``text(explain=False)``, ``rows()``).
        """
        from graph.network.contact import contact

        G = self.view
        return contact(G, self.resolve(asker, "asker"), need, victim=victim, nationality=nationality,
                       exploitation=exploitation, cooperates=cooperates, when=when, region=region,
                       as_of=as_of or self.as_of, without=[self.resolve(w, "without") for w in without],
                       top=top or None)

    def path(self, source: str, target: str, kinds=None, limit: int = 20, as_of=None) -> PathAnswer:
        """All shortest referral paths from ``source`` to ``target``, hop by hop with sources."""
        from graph.network.paths import shortest_paths

        G = self.view
        result = shortest_paths(G, self.resolve(source, "source"), self.resolve(target, "target"), kinds=kinds,
                                as_of=as_of or self.as_of, limit=limit)
        return PathAnswer(result["paths"], {k: v for k, v in result.items() if k != "paths"}, result)

    def centrality(self, metric: str = "degree", scope: str = "all", top: int = 10, as_of=None,
                   include_placeholders: bool = False) -> CentralityAnswer:
        """Actors ranked by a centrality measure of the referral network (placeholders left out by default)."""
        from graph.network.analysis import centrality

        result = centrality(self.view, metric=metric, scope=scope, top=top, as_of=as_of or self.as_of,
                            include_placeholders=include_placeholders)
        return CentralityAnswer(result["rows"], {k: v for k, v in result.items() if k != "rows"}, result)

    def gaps(self, as_of=None, include_placeholders: bool = False) -> GapsAnswer:
        """Single points of failure, lone mandates, missing international routes, office-hours-only steps."""
        from graph.network.analysis import gaps

        rows = gaps(self.view, as_of=as_of or self.as_of, include_placeholders=include_placeholders)
        return GapsAnswer(rows, {"count": len(rows)})

    def diff(self, date_from: str, date_to: str) -> DiffAnswer:
        """Actors, links and availabilities that appeared or ended between two dates."""
        from graph.network.timeline import diff

        rows = diff(self.view, date_from, date_to)
        return DiffAnswer(rows, {"from": date_from, "to": date_to, "count": len(rows)})

    # -- SPARQL
    def query(self, text: str, *, inference: bool = True, timeout: float = 10.0, limit: int = 10_000,
              engine: str = "oxigraph", store: str | None = None):
        """Run a read-only SPARQL 1.1 query; a :class:`graph.sparql.results.QueryResult`.

        ``engine`` is the embedded ``oxigraph`` (default) or ``rdflib``; ``store`` a SPARQL endpoint URL to ask
        instead (``$COOPMAP_STORE``; it must declare an audience no higher than this graph's). The result has
        ``.variables``, ``.rows`` (plain Python values), ``.to_dataframe()`` (pandas) and ``serialize(fmt)``.
        """
        store = store or self.remote
        if store:
            from graph.sparql.remote import check_store_audience, remote_query

            if not inference:
                raise CoopmapError("`inference` can only be turned off on the embedded store: a shared store holds "
                                   "the entailments.")
            check_store_audience(store, self.audience)
            return remote_query(store, text, timeout=timeout, limit=limit)
        if engine not in ("oxigraph", "rdflib"):
            raise CoopmapError(f"`engine` '{engine}' is not oxigraph or rdflib.")
        from graph.sparql.query import run_query

        return run_query(text, self.project, store=engine, inference=inference, timeout=timeout, limit=limit,
                         audience=self.audience)

    def query_warnings(self, text: str) -> list[str]:
        """Warnings about a query before it runs: ``coop:`` terms the ontology does not declare (a typo matches nothing)."""
        from graph.kb.terms import suggestion, undeclared_terms

        out = []
        for term in undeclared_terms(text):
            hint = suggestion(term)
            out.append(f"{term} is not declared in the coopmap ontology" + (f" (did you mean {hint}?)" if hint else "")
                       + "; it matches nothing.")
        return out

    def queries(self, lang=None) -> Catalogue:
        """The catalogue of example queries (each an :class:`graph.sparql.examples.Example` with its ``text``)."""
        from graph.sparql.examples import examples

        return Catalogue(examples(), lang or self.lang)

    def example(self, name: str):
        """One catalogue query by name."""
        from graph.sparql.examples import example

        return example(name)

    # -- maps
    def map(self, output=None, **options) -> MapResult:
        """Write the cooperation map: ``output`` (one offline HTML file), ``png`` (a file, or a folder for a tour),
        ``svg``; the other options are those of ``coopmap map`` (``focus``, ``depth``, ``level``, ``kind``,
        ``mandate``, ``crime_area``, ``link_kind``, ``path``, ``tour``, ``projector``, ``size_by``, ``colour_by``,
        ``title``, ``seed``, ``strategy``)."""
        from graph.maps.page import make_map

        options.setdefault("as_of", self.as_of)
        options.setdefault("lang", self.lang)
        if self.remote:  # the facts of the shared store, projected once
            options.update(G=self.view, store=self.store)
        r = make_map(self.project, output=output, audience=self.audience, **options)
        pngs = r.get("png") or []
        pngs = pngs if isinstance(pngs, list) else [pngs]
        return MapResult(Path(r["output"]) if r.get("output") else None, [Path(p) for p in pngs],
                         Path(r["svg"]) if r.get("svg") else None, r["actors"], r["links"], r["strategy"],
                         r.get("bytes", 0))


def open(audience: str = "clear", as_of: str | None = None, data: str | Path | None = None,  # noqa: A001
         lang: str = "en", store: str | None = None) -> KnowledgeGraph:
    """Open the knowledge graph for one audience.

    Parameters
    ----------
    audience : str
        Highest TLP 2.0 level shown: ``clear`` (public, the default), ``green``, ``amber``, ``amber-strict``, ``red``.
    as_of : str, optional
        Only facts in force on this date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``); default today.
    data : path, optional
        A folder of data Turtle files to use instead of the shipped data (like ``$COOPMAP_DATA``).
    lang : str
        Language of names: ``en``, ``fr`` or ``de``.
    store : str, optional
        A SPARQL 1.1 endpoint (Oxigraph, Fuseki, QLever… loaded with ``coopmap push``) to read instead of the
        embedded store; it must declare an audience no higher than ``audience``. ``None``: the embedded store.

    Examples
    --------
    >>> kg = open(audience="clear")
    >>> kg.audience
    'clear'
    """
    return KnowledgeGraph(audience=audience, as_of=as_of, data=data, lang=lang, store=store)
