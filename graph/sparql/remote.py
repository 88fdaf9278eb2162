"""A shared triple store: push the compiled graph into a SPARQL 1.1 server, and query it from coopmap.

``push`` writes, through the SPARQL 1.1 Graph Store HTTP Protocol (one ``PUT`` per graph):

- the default graph: the RDF merge of the asserted graphs and the RDFS/OWL-RL entailments, which is
  the default graph ``coopmap query`` answers on (so a query without ``GRAPH`` gives the same answer);
- the named graphs ``urn:coopmap:graph:{ontology,data,derived,inferred}``, for ``GRAPH`` patterns;
- ``urn:coopmap:graph:store``: one triple declaring the store's audience (its TLP level).

Only the facts the push's audience may see leave the machine. A store that declares an audience never
receives facts above it, and coopmap never reads from a store for an audience below the store's.

Tested against the ``oxigraph`` server (``oxigraph serve``: query endpoint ``/query``, graph store
``/store``); Apache Jena Fuseki (``/DATASET/query`` and ``/DATASET/data``) and QLever work the same way
(see ``docs/serve.md``).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from graph.core.access import AUDIENCES, check_audience, rank
from graph.core.errors import CoopmapError, QueryError

__all__ = ["STORE_GRAPH", "graph_store_url", "store_audience", "push", "remote_query", "check_store_audience",
           "fetch_dataset"]

STORE_GRAPH = "urn:coopmap:graph:store"
_AUDIENCE_P = "https://w3id.org/coopmap/def#storeAudience"
_STORE_S = "urn:coopmap:store"


def graph_store_url(query_url: str) -> str:
    """The Graph Store Protocol URL next to a query endpoint: ``…/query`` -> ``…/store`` (Oxigraph).

    >>> graph_store_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/store'
    >>> graph_store_url("http://127.0.0.1:7878")
    'http://127.0.0.1:7878/store'
    """
    base = query_url.rstrip("/")
    for tail in ("/query", "/sparql"):
        if base.endswith(tail):
            base = base[: -len(tail)]
    return base + "/store"


def query_url(url: str) -> str:
    """A store URL as its query endpoint: a bare ``http://host:port`` gets Oxigraph's ``/query``."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise CoopmapError(f"Not a store URL: '{url}'. Give the SPARQL query endpoint, e.g. http://127.0.0.1:7878/query.")
    return url if parsed.path not in ("", "/") else url.rstrip("/") + "/query"


def _request(url, data=None, headers=None, method=None, timeout=60.0):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        body = e.read().decode("utf-8", "replace").strip()
        raise CoopmapError(f"The store at {url} answered {e.code}: {body[:500] or e.reason}") from None
    except TimeoutError:
        raise
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        if isinstance(reason, TimeoutError):
            raise TimeoutError from None
        raise CoopmapError(f"Could not reach the store at {url}: {reason}") from None


def _select(url, text, timeout=60.0):
    status, body = _request(query_url(url), urllib.parse.urlencode({"query": text}).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded",
                             "Accept": "application/sparql-results+json"}, timeout=timeout)
    return json.loads(body)


def store_audience(url: str) -> str | None:
    """The audience the store declares (set by a previous push), or None."""
    data = _select(url, f"SELECT ?a WHERE {{ GRAPH <{STORE_GRAPH}> {{ <{_STORE_S}> <{_AUDIENCE_P}> ?a }} }}")
    values = [b["a"]["value"] for b in data["results"]["bindings"] if b["a"]["value"] in AUDIENCES]
    return max(values, key=rank) if values else None


def check_store_audience(url: str, audience: str) -> str:
    """Refuse to read a store that holds facts above ``audience``; the store's declared audience."""
    declared = store_audience(url)
    if declared is None:
        raise CoopmapError(f"The store at {url} holds no coopmap graph (no audience declared). Load it first: "
                           f"coopmap push --store {url}")
    if rank(declared) > rank(check_audience(audience)):
        raise CoopmapError(f"The store at {url} holds TLP:{declared.upper()} facts, above the '{audience}' audience. "
                           f"Read it with audience='{declared}', or push a '{audience}' copy to another store.")
    return declared


def push(url: str, audience: str = "clear", *, graph_store: str | None = None, store_audience_level: str | None = None,
         project=None, timeout: float = 600.0) -> dict:
    """Load the compiled graph, with its entailments, into the store at ``url``.

    Parameters
    ----------
    url : str
        The store's SPARQL query endpoint (``http://127.0.0.1:7878/query`` for ``oxigraph serve``).
    audience : str
        Highest TLP label pushed: facts above it never leave the machine.
    graph_store : str, optional
        Its Graph Store Protocol endpoint (default: :func:`graph_store_url`).
    store_audience_level : str, optional
        The audience of the store's readers, when it is first declared (default ``audience``). A store
        that already declares one keeps it: pushing facts above it is refused.

    Returns
    -------
    dict
        ``graphs`` (name -> triples written), ``audience``, ``store_audience``.
    """
    import pyoxigraph as ox

    from graph.core.prefixes import GRAPH_IRIS
    from graph.kb.inference import inferred_file, visible_file

    check_audience(audience)
    gsp = graph_store or graph_store_url(query_url(url))
    declared = store_audience(url)
    target = declared or check_audience(store_audience_level or audience)
    if rank(audience) > rank(target):
        raise CoopmapError(f"The store at {url} is for TLP:{target.upper()} readers: pushing '{audience}' facts "
                           f"would show them facts above their level. Push with audience='{target}'.")
    files = [visible_file(project, audience), inferred_file(project, audience)]
    by_graph, default = {}, []
    for path in files:
        for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            t = ox.Triple(q.subject, q.predicate, q.object)
            g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
            if g:
                by_graph.setdefault(g, []).append(t)
            default.append(t)
    default = list(dict.fromkeys(default))  # the RDF merge: a set
    written = {}

    def put(params, triples):
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
        _request(f"{gsp}?{urllib.parse.urlencode(params)}", body, {"Content-Type": "application/n-triples"},
                 method="PUT", timeout=timeout)

    put({"default": ""}, default)
    written["default"] = len(default)
    for g in GRAPH_IRIS.values():
        triples = list(dict.fromkeys(by_graph.get(g, [])))
        put({"graph": g}, triples)
        written[g] = len(triples)
    put({"graph": STORE_GRAPH}, [ox.Triple(ox.NamedNode(_STORE_S), ox.NamedNode(_AUDIENCE_P), ox.Literal(target))])
    return {"graphs": written, "audience": audience, "store_audience": target, "graph_store": gsp}


def _term(b):
    if b is None:
        return None
    kind = b["type"]
    if kind == "uri":
        return ("uri", b["value"])
    if kind == "bnode":
        return ("bnode", b["value"])
    lang = b.get("xml:lang")
    dt = b.get("datatype") or ("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString" if lang else
                               "http://www.w3.org/2001/XMLSchema#string")
    return ("literal", b["value"], dt, lang)


def _ox_term(t):
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return ("uri", t.value)
    if isinstance(t, ox.BlankNode):
        return ("bnode", t.value)
    return ("literal", t.value, t.datatype.value if t.datatype else None, t.language)


def remote_query(url: str, text: str, timeout: float = 10.0, limit: int = 10_000):
    """Check ``text`` as ``coopmap query`` does, run it on the store at ``url``; a QueryResult.

    The predeclared prefixes are sent along. Rows beyond ``limit`` are cut, with ``truncated`` set.
    """
    import pyoxigraph as ox

    from graph.core.prefixes import PREFIXES
    from graph.sparql.results import QueryResult
    from graph.sparql.safety import check_query

    info = check_query(text)
    full = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items()) + text
    graph = info.form in ("CONSTRUCT", "DESCRIBE")
    accept = "application/n-triples" if graph else "application/sparql-results+json"
    try:
        _, body = _request(query_url(url), urllib.parse.urlencode({"query": full}).encode(),
                           {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}, timeout=timeout)
    except TimeoutError:
        raise QueryError(f"The query was stopped after {timeout:g} s (timeout). Narrow it (more specific patterns, "
                         f"a LIMIT, fewer OPTIONALs) or allow more time with `timeout`.") from None
    except CoopmapError as e:
        raise QueryError(str(e)) from None
    out = QueryResult(info.form, store=url, limit=limit)
    if graph:
        for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
            if len(out.triples) >= limit:
                out.truncated = True
                break
            out.triples.append([_ox_term(t.subject), _ox_term(t.predicate), _ox_term(t.object)])
        return out
    data = json.loads(body)
    if "boolean" in data:
        out.boolean = bool(data["boolean"])
        return out
    out.variables = list(data["head"].get("vars", []))
    for b in data["results"]["bindings"]:
        if len(out.rows) >= limit:
            out.truncated = True
            break
        out.rows.append([_term(b.get(v)) for v in out.variables])
    return out


def fetch_dataset(url: str, audience: str = "clear", *, graph_store: str | None = None, timeout: float = 600.0):
    """The asserted graphs of the store at ``url`` (ontology, data, derived) in an embedded pyoxigraph
    ``Store``, read through the Graph Store Protocol (``GET ?graph=``): what the pages are built from
    when they read a shared store. Refused when the store holds facts above ``audience``.
    """
    import pyoxigraph as ox

    from graph.core.prefixes import GRAPH_IRIS

    check_store_audience(url, audience)
    gsp = graph_store or graph_store_url(query_url(url))
    store = ox.Store()
    for name in ("ontology", "data", "derived"):
        iri = GRAPH_IRIS[name]
        _, body = _request(f"{gsp}?{urllib.parse.urlencode({'graph': iri})}", headers={"Accept": "application/n-triples"},
                           timeout=timeout)
        g = ox.NamedNode(iri)
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, g)
                          for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    return store
