"""The web app: Starlette routes over :class:`graph.server.facade.Facade`, Jinja2 pages, the SPARQL endpoint.

``create_app(audience=...)`` builds one app for one audience: every page, download and query answer holds
only what that audience may see, and every cache (the view, the maps, the exports, the query workers) is
that audience's.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from graph.core.errors import CoopmapError, NotFound
import graph.server.protocol as P
from graph.server.facade import ID_BASE, Facade
from graph.server.i18n import LANGS, text
from graph.server.middleware import RateLimit, SecurityHeaders

__all__ = ["create_app"]

HERE = Path(__file__).resolve().parent
SCHEME_BASE = "https://w3id.org/coopmap/scheme/"
CASE_OPTIONS = {"when": ("office-hours", "night"), "victim": ("child", "adult"), "nationality": ("eu", "third-country"),
                "exploitation": ("sexual", "labour", "criminal"), "cooperates": ("yes", "no"),
                "region": ("lu", "benelux", "greater-region", "eu", "non-eu")}
METRICS = ("degree", "betweenness", "closeness", "eigenvector", "pagerank")
SCOPES = ("all", "national", "regional", "eu", "international")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _lang(request) -> str:
    lang = request.query_params.get("lang", "en")
    return lang if lang in LANGS else "en"


def _date(value):
    if value and not _DATE.match(value):
        raise P.ProtocolError(400, f"Unknown date '{value}': write YYYY-MM-DD, YYYY-MM or YYYY.")
    return value or None


def _choice(params, name, options):
    value = params.get(name) or None
    if value is not None and value not in options:
        raise P.ProtocolError(400, f"Unknown {name} '{value}'. Choose one of: {', '.join(options)}.")
    return value


def _wants_html(request) -> bool:
    for media, _ in P.parse_accept(request.headers.get("accept")):
        if media in ("text/html", "application/xhtml+xml"):
            return True
        if media in P.MEDIA or media in P.GRAPH_MEDIA:
            return False
    return False


#: Host names a local server answers to: anything else (a DNS-rebinding page, say) gets 400.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")


def create_app(audience: str = "clear", *, timeout: float = 10.0, limit: int = 10_000, store: str | None = None,
               rate_limit: tuple | None = (600, 60.0), body_cap: int = P.DEFAULT_BODY_CAP,
               allowed_hosts=LOCAL_HOSTS) -> Starlette:
    """The coopmap web app for ``audience``.

    Parameters
    ----------
    audience : str
        Highest TLP label shown, on every page and at the endpoint.
    timeout, limit : float, int
        Each SPARQL query's time budget (seconds) and row cap.
    store : str, optional
        A SPARQL endpoint URL to answer queries from instead of the embedded store.
    rate_limit : (int, float) or None
        At most this many queries per this many seconds from one client (``/sparql``, ``/query``); None: off.
    body_cap : int
        Largest request body, in bytes.
    allowed_hosts : sequence of str
        Host names the app answers to (``Host`` header); ``("*",)`` for any. The default, this machine's
        names only, stops a web page from reading a local server through DNS rebinding.
    """
    kg = Facade(audience, timeout=timeout, limit=limit, store=store)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(t=text, LANGS=LANGS, audience=audience, urlencode=urlencode, quote=quote)
    templates.env.filters["slug"] = lambda iri: (iri or "").rsplit("/", 1)[-1]
    templates.env.filters["local"] = lambda iri: _local(iri)

    def label(notation, scheme, lang="en"):
        """A concept's label in ``lang`` (English, then the notation itself, when there is none)."""
        if not notation:
            return ""
        labels = (kg.scheme_labels().get(scheme) or {}).get(notation) or {}
        return labels.get(lang) or labels.get("en") or notation

    templates.env.globals["label"] = label

    def page(request, template, status=200, **context):
        lang = _lang(request)
        return templates.TemplateResponse(request, template, {"lang": lang, **context}, status_code=status)

    def problem(request, error, status=None):
        code, message = P.error_status(error)
        status = status or code
        headers = getattr(error, "headers", None) or {}
        if _wants_html(request):
            sugg = kg.suggestions(request.path_params.get("name") or request.query_params.get("q") or "") \
                if status == 404 else []
            return page(request, "error.html", status=status, message=message, suggestions=sugg)
        return PlainTextResponse(message + "\n", status_code=status, headers=headers)

    # ------------------------------------------------------------ pages

    async def home(request):
        return page(request, "home.html", stats=await run_in_threadpool(kg.stats))

    async def contact(request):
        q = request.query_params
        lang = _lang(request)
        choices = await run_in_threadpool(kg.choices)
        result = None
        try:
            if q.get("from") and q.get("need"):
                opts = {k: _choice(q, k, v) for k, v in CASE_OPTIONS.items()}
                result = await run_in_threadpool(lambda: kg.contact(q["from"], q["need"], as_of=_date(q.get("as_of")),
                                                                     **opts))
        except CoopmapError as e:
            code, message = P.error_status(e)
            return page(request, "contact.html", status=code, q=q, choices=choices,
                        options=CASE_OPTIONS, result=None, error=message,
                        suggestions=kg.suggestions(q.get("from", "")) if code == 404 else [])
        map_args = None
        if result and result["answers"]:
            ends = (result["query"]["from_iri"], result["answers"][0]["iri"])
            as_of = {"as_of": q["as_of"]} if q.get("as_of") else {}
            map_args = {"path_from": ends[0], "path_to": ends[1], "lang": lang, **as_of}
            try:  # the route of the first answer; else the asker's neighbourhood
                await run_in_threadpool(lambda: kg.map(lang=lang, path=ends, as_of=as_of.get("as_of")))
            except CoopmapError:
                map_args = {"focus": ends[0], "depth": 1, "lang": lang, **as_of}
        return page(request, "contact.html", q=q, choices=choices, options=CASE_OPTIONS, result=result, error=None,
                    map_args=map_args,
                    suggestions=[], lang=lang)

    async def actors(request):
        q = request.query_params
        lang = _lang(request)
        text_q = (q.get("q") or "").strip()
        try:
            if text_q:
                rows = await run_in_threadpool(kg.search, text_q, lang)
                if len(rows) == 1 and q.get("go"):
                    return RedirectResponse(f"/actor/{rows[0]['slug']}?lang={lang}", status_code=303)
            else:
                rows = await run_in_threadpool(lambda: kg.actors(level=q.get("level") or None,
                                                                 kind=q.get("kind") or None,
                                                                 mandate=q.get("mandate") or None, lang=lang))
                rows = [{**r, "slug": (r.get("iri") or "").rsplit("/", 1)[-1]} for r in rows]
        except CoopmapError as e:
            return problem(request, e)
        return page(request, "actors.html", q=q, rows=rows, query=text_q,
                    suggestions=[] if rows or not text_q else kg.suggestions(text_q),
                    choices=await run_in_threadpool(kg.choices))

    async def actor(request):
        name = request.path_params["name"]
        lang = _lang(request)
        try:
            rec = await run_in_threadpool(kg.show, ID_BASE + "actor/" + name if re.fullmatch(r"[\w.-]+", name)
                                          and kg.is_actor(ID_BASE + "actor/" + name) else name, lang)
        except CoopmapError as e:
            return problem(request, e)
        return page(request, "actor.html", a=rec, slug=rec["iri"].rsplit("/", 1)[-1])

    async def path(request):
        q = request.query_params
        result, error = None, None
        map_args, map_note = None, None
        if q.get("from") and q.get("to"):
            try:
                result = await run_in_threadpool(kg.path, q["from"], q["to"], _date(q.get("as_of")))
            except CoopmapError as e:
                code, error = P.error_status(e)
                return page(request, "path.html", status=code, q=q, result=None, error=error)
            ends = (result["query"]["from_iri"], result["query"]["to_iri"])
            map_args = {"path_from": ends[0], "path_to": ends[1], "lang": _lang(request)}
            try:  # the map draws referral paths in their direction; else the neighbourhood of both ends
                await run_in_threadpool(lambda: kg.map(lang=_lang(request), path=ends, as_of=_date(q.get("as_of"))))
            except CoopmapError as e:
                map_note = str(e)
                map_args = {"focus": ends[0], "depth": 2, "lang": _lang(request)}
        return page(request, "path.html", q=q, result=result, error=error, map_args=map_args, map_note=map_note)

    async def gaps(request):
        try:
            result = await run_in_threadpool(kg.gaps, _date(request.query_params.get("as_of")))
        except CoopmapError as e:
            return problem(request, e)
        return page(request, "gaps.html", result=result)

    async def centrality(request):
        q = request.query_params
        try:
            metric = _choice(q, "metric", METRICS) or "degree"
            scope = _choice(q, "scope", SCOPES) or "all"
            top = int(q.get("top") or 10)
            if not 1 <= top <= 500:
                raise P.ProtocolError(400, f"top must be between 1 and 500, not {top}.")
            result = await run_in_threadpool(kg.centrality, metric, scope, top, _date(q.get("as_of")))
        except ValueError:
            return problem(request, P.ProtocolError(400, "top must be a whole number."))
        except CoopmapError as e:
            return problem(request, e)
        return page(request, "centrality.html", result=result, metric=metric, scope=scope, top=top,
                    metrics=METRICS, scopes=SCOPES)

    def _map_args(q):
        path = (q.get("path_from"), q.get("path_to"))
        try:
            depth = int(q.get("depth") or 1)
        except ValueError:
            raise P.ProtocolError(400, "depth must be a whole number.") from None
        if not 0 <= depth <= 5:
            raise P.ProtocolError(400, f"depth must be between 0 and 5, not {depth}.")
        tour = q.get("tour") or None
        if tour not in (None, "phases", "path"):
            raise P.ProtocolError(400, f"Unknown tour '{tour}'. Choose one of: phases, path.")
        if tour == "path":  # the presentation walks the highlighted path
            tour = f"path:{path[0]}:{path[1]}" if all(path) and ":" not in "".join(path) else None
        return dict(lang=_lang_of(q), focus=q.get("focus") or None, depth=depth,
                    level=tuple(v for v in q.getlist("level") if v), mandate=tuple(v for v in q.getlist("mandate") if v),
                    kind=tuple(v for v in q.getlist("kind") if v), path=path if all(path) else None,
                    as_of=_date(q.get("as_of")), tour=tour)

    async def maps(request):
        q = request.query_params
        try:
            _map_args(q)
        except CoopmapError as e:
            return problem(request, e)
        args = [(k, v) for k, v in q.multi_items() if v]
        return page(request, "maps.html", q=q, src="/map.html?" + urlencode(args),
                    download="/map.html?" + urlencode(args + [("download", "1")]), choices=await run_in_threadpool(kg.choices))

    async def map_file(request):
        q = request.query_params
        try:
            html = await run_in_threadpool(lambda: kg.map(**_map_args(q)))
        except CoopmapError as e:
            return problem(request, e)
        m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        csp = (m.group(1) if m else "default-src 'none'") + "; frame-ancestors 'self'"
        headers = {"content-security-policy": csp}
        if q.get("download"):
            headers["content-disposition"] = 'attachment; filename="coopmap-map.html"'
        return HTMLResponse(html, headers=headers)

    # ------------------------------------------------------------ SPARQL page and endpoint

    async def query_page(request):
        q = request.query_params
        lang = _lang(request)
        examples = await run_in_threadpool(kg.queries)
        text_q, chosen, result, error, status = q.get("query") or "", None, None, None, 200
        try:
            if q.get("example"):
                chosen = await run_in_threadpool(kg.example, q["example"])
                text_q = text_q or chosen.text
            if text_q and (q.get("run") or q.get("query")):
                result = await run_in_threadpool(kg.query, text_q)
        except CoopmapError as e:
            status, error = P.error_status(e)
        table = None
        if result is not None:
            from graph.sparql.results import term_text

            variables, rows = result.bindings()
            table = {"form": result.form, "boolean": result.boolean, "variables": variables, "truncated": result.notice(),
                     "rows": [[_cell(t, term_text) for t in row] for row in rows]}
        formats = ("ttl", "nt", "jsonld") if result is not None and result.is_graph else ("json", "csv", "tsv", "xml")
        downloads = [(f, "/sparql?" + urlencode({"query": text_q, "format": f})) for f in formats] if text_q else []
        return page(request, "query.html", status=status, examples=examples, chosen=chosen, text_q=text_q, table=table,
                    error=error, downloads=downloads, prefixes=kg.prefixes(), lang=lang)

    async def sparql(request):
        try:
            text_q = await _read_query(request, body_cap)
            if text_q is None:
                return await service_description(request)
            result = await run_in_threadpool(kg.query, text_q)
            fmt = P.negotiate(request.headers.get("accept"), result.is_graph, request.query_params.get("format"))
            body = await run_in_threadpool(_serialize, result, fmt)
        except CoopmapError as e:
            code, message = P.error_status(e)
            return PlainTextResponse(message + "\n", status_code=code, headers=getattr(e, "headers", None) or {})
        headers = {"access-control-allow-origin": "*", "vary": "Accept"}
        if request.query_params.get("format"):
            headers["content-disposition"] = f'attachment; filename="coopmap-answer.{P.EXTENSIONS[fmt]}"'
        if result.truncated:
            headers["x-coopmap-notice"] = result.notice()
        return Response(body, media_type=P.CONTENT_TYPES[fmt] + ("; charset=utf-8" if fmt != "rdfxml" else ""),
                        headers=headers)

    async def service_description(request):
        from graph.server.describe import service_description as sd

        base = str(request.base_url).rstrip("/")
        stats = await run_in_threadpool(kg.stats)
        if _wants_html(request):
            return page(request, "endpoint.html", base=base, stats=stats, turtle=sd(base, stats))
        fmt = P.negotiate(request.headers.get("accept"), True)
        fmt = fmt if fmt in ("ttl", "nt", "jsonld", "rdfxml") else "ttl"
        body = _convert_turtle(sd(base, stats), fmt)
        return Response(body, media_type=P.CONTENT_TYPES.get(fmt, "text/turtle"), headers={"vary": "Accept"})

    # ------------------------------------------------------------ Linked Data

    async def thing(request):
        """``/id/…`` and ``/scheme/…`` name things: 303 to the page (browsers) or the description (machines)."""
        rest = request.path_params["rest"]
        base = request.url.path.split("/")[1]
        iri = (ID_BASE if base == "id" else SCHEME_BASE) + rest
        try:
            if base == "id" and rest.startswith("actor/") and not kg.is_actor(iri):
                await run_in_threadpool(kg.resolve, rest.split("/", 1)[1])  # NotFound, with the closest names
            await run_in_threadpool(kg.describe, iri)
        except CoopmapError as e:
            return problem(request, e)
        if _wants_html(request):
            target = f"/actor/{quote(rest.split('/', 1)[1])}" if rest.startswith("actor/") and kg.is_actor(iri) \
                else f"/doc/{base}/{quote(rest)}"
        else:
            fmt = P.negotiate(request.headers.get("accept"), True)
            fmt = fmt if fmt in ("ttl", "nt", "jsonld", "rdfxml") else "ttl"
            target = f"/doc/{base}/{quote(rest)}.{fmt}"
        return RedirectResponse(target, status_code=303, headers={"vary": "Accept"})

    async def document(request):
        rest = request.path_params["rest"]
        m = re.fullmatch(r"(id|scheme)/(.+?)(?:\.(ttl|nt|jsonld|rdfxml|html))?", rest)
        if not m:
            return problem(request, NotFound(f"No document /doc/{rest}."))
        base, name, ext = m.groups()
        iri = (ID_BASE if base == "id" else SCHEME_BASE) + name
        try:
            result = await run_in_threadpool(kg.describe, iri)
        except CoopmapError as e:
            return problem(request, e)
        if ext == "html" or (ext is None and _wants_html(request)):
            from graph.sparql.results import shorten, term_text

            rows = [[_cell(t, term_text) for t in tr] for tr in result.triples]
            return page(request, "resource.html", iri=iri, rows=rows, short=shorten(iri), base=base, name=name)
        fmt = ext or P.negotiate(request.headers.get("accept"), True)
        fmt = fmt if fmt in ("ttl", "nt", "jsonld", "rdfxml") else "ttl"
        return Response(_serialize(result, fmt), media_type=P.CONTENT_TYPES[fmt], headers={"vary": "Accept"})

    async def export(request):
        q = request.query_params
        fmts = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
                "trig": "application/trig", "nq": "application/n-quads", "xml": "application/rdf+xml"}
        fmt = q.get("format")
        if not fmt:
            by_media = {v: k for k, v in fmts.items()}
            fmt = next((by_media[m] for m, _ in P.parse_accept(request.headers.get("accept")) if m in by_media), "ttl")
        if fmt not in fmts:
            return problem(request, P.ProtocolError(400, f"Unknown format '{fmt}'. Choose one of: {', '.join(fmts)}."))
        data = await run_in_threadpool(kg.export, fmt, bool(q.get("inferred")))
        return Response(data, media_type=fmts[fmt], headers={
            "content-disposition": f'attachment; filename="coopmap.{fmt}"', "vary": "Accept"})

    async def ontology(request):
        files = await run_in_threadpool(kg.ontology_turtle)
        if not _wants_html(request) or request.query_params.get("format") == "ttl":
            return Response("\n".join(files.values()), media_type="text/turtle",
                            headers={"content-disposition": 'inline; filename="coopmap-ontology.ttl"', "vary": "Accept"})
        terms = await run_in_threadpool(kg.ontology_terms)
        return page(request, "ontology.html", terms=terms, files=list(files), doc=kg.data_model_doc() is not None)

    async def data_model(request):
        doc = await run_in_threadpool(kg.data_model_doc)
        if doc is None:
            return problem(request, NotFound("The data dictionary (docs/data-model.md) is not in this installation: "
                                             "see /ontology for the terms."))
        if not _wants_html(request):
            return PlainTextResponse(doc, media_type="text/markdown; charset=utf-8")
        return page(request, "document.html", title="Data dictionary", text=doc)

    async def ontology_file(request):
        files = await run_in_threadpool(kg.ontology_turtle)
        name = request.path_params["name"]
        if name not in files:
            return problem(request, NotFound(f"No ontology file {name}. There are: {', '.join(files)}."))
        return Response(files[name], media_type="text/turtle")

    async def favicon(request):
        return Response((HERE / "static" / "favicon.svg").read_bytes(), media_type="image/svg+xml",
                        headers={"cache-control": "max-age=86400"})

    async def not_found(request, exc):
        status = getattr(exc, "status_code", 404)
        if status == 405:
            return PlainTextResponse(f"Method {request.method} is not allowed here.\n", status_code=405,
                                     headers=getattr(exc, "headers", None) or {})
        message = f"No page {request.url.path}." if status == 404 else (exc.detail or "Error")
        if _wants_html(request):
            return page(request, "error.html", status=status, message=message, suggestions=[])
        return PlainTextResponse(message + "\n", status_code=status)

    async def server_error(request, exc):
        return PlainTextResponse("Internal error: the server could not answer this request.\n", status_code=500)

    routes = [
        Route("/", home), Route("/contact", contact), Route("/actors", actors), Route("/actor/{name:path}", actor),
        Route("/path", path), Route("/gaps", gaps), Route("/centrality", centrality), Route("/maps", maps),
        Route("/map.html", map_file), Route("/query", query_page),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/id/{rest:path}", thing), Route("/scheme/{rest:path}", thing), Route("/doc/{rest:path}", document),
        Route("/favicon.ico", favicon), Route("/export", export), Route("/ontology", ontology),
        Route("/data-model", data_model),
        Route("/ontology/{name}", ontology_file),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    middleware = [Middleware(SecurityHeaders), Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))]
    if rate_limit:
        middleware.append(Middleware(RateLimit, requests=rate_limit[0], window=rate_limit[1]))
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={HTTPException: not_found, 500: server_error})
    app.state.kg = kg
    return app


def _lang_of(q):
    lang = q.get("lang", "en")
    return lang if lang in LANGS else "en"


def _local(iri):
    """The local path of one of our IRIs (``/id/…``, ``/scheme/…``), else None."""
    if iri and iri.startswith((ID_BASE, SCHEME_BASE)):
        return "/" + iri.split("/coopmap/", 1)[1]
    return None


def _cell(term, term_text):
    """One result cell for a template: text, and a local link when the term is one of ours."""
    if term is None:
        return {"text": "", "href": None}
    shown = term_text(term, short=True)
    href = _local(term[1]) if term[0] == "uri" else None
    if term[0] == "literal" and term[3]:
        shown = f"{shown} @{term[3]}"
    return {"text": shown, "href": href}


async def _read_query(request: Request, cap: int):
    """The query text of a SPARQL Protocol request (None when there is none: the service description).

    Raises :class:`ProtocolError` for an update, a dataset parameter, a body over ``cap``, or a wrong
    content type.
    """
    params = request.query_params
    if "update" in params:
        raise P.ProtocolError(403, "SPARQL Update is refused: the graph is read-only here.")
    form = {}
    body_query = None
    if request.method == "POST":
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > cap:
            raise P.ProtocolError(413, f"The request body is over {cap:,} bytes.")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > cap:
                raise P.ProtocolError(413, f"The request body is over {cap:,} bytes.")
            chunks.append(chunk)
        body = b"".join(chunks)
        ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            raise P.ProtocolError(403, "SPARQL Update is refused: the graph is read-only here.")
        if ctype == "application/x-www-form-urlencoded":
            from urllib.parse import parse_qsl

            try:
                pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                raise P.ProtocolError(400, "The form is not UTF-8.") from None
            for k, v in pairs:
                form.setdefault(k, []).append(v)
            if "update" in form:
                raise P.ProtocolError(403, "SPARQL Update is refused: the graph is read-only here.")
        elif ctype == "application/sparql-query":
            try:
                body_query = body.decode("utf-8")
            except UnicodeDecodeError:
                raise P.ProtocolError(400, "The query is not UTF-8.") from None
        else:
            raise P.ProtocolError(415, f"Unsupported content type '{ctype or '(none)'}': send "
                                       "application/sparql-query or application/x-www-form-urlencoded.")
    for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
        if name in params or name in form:
            raise P.ProtocolError(400, f"'{name}' is refused: queries run on the local graph only "
                                       "(use GRAPH <urn:coopmap:graph:…> { … } to pick a named graph).")
    given = params.getlist("query") + form.get("query", []) + ([body_query] if body_query is not None else [])
    if len(given) > 1:
        raise P.ProtocolError(400, "Give the query once (a 'query' parameter, a form field or the body).")
    if not given:
        if request.method == "POST":
            raise P.ProtocolError(400, "No query: send it as the body (application/sparql-query) or a 'query' form field.")
        return None
    if not given[0].strip():
        raise P.ProtocolError(400, "The query is empty.")
    return given[0]


def _serialize(result, fmt):
    from graph.sparql.results import serialize

    if fmt == "rdfxml":
        import pyoxigraph as ox

        nt = serialize(result, "nt") if result.is_graph else None
        if nt is None:
            raise P.ProtocolError(406, "RDF/XML is for CONSTRUCT and DESCRIBE answers.")
        return ox.serialize(ox.parse(nt.encode(), format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.RDF_XML)
    return serialize(result, fmt)


def _convert_turtle(turtle: str, fmt: str):
    import pyoxigraph as ox

    if fmt == "ttl":
        return turtle
    target = {"nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}.get(fmt)
    if target is None:
        return turtle
    return ox.serialize(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE), format=target)
