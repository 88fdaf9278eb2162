"""The process that runs user queries: one store loaded once, one query at a time, killed on timeout.

A worker is started (``spawn``) by :class:`graph.sparql.query.QueryPool` with the dataset files and the store
kind. It loads them, says it is ready, then answers ``("query", text, options)`` messages with
``("ok", QueryResult)`` or ``("error", message)``. Every query is checked by
:func:`graph.sparql.safety.check_query` here, right before it runs, whichever store runs it. The worker
also refuses outgoing connections from Python code (an audit hook) as a second line for the rdflib
store, and caps its own memory so that a runaway query ends the worker, not the machine.
"""

from __future__ import annotations

import sys

__all__ = ["serve", "Runner", "encode_ox", "encode_rdflib"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


# ---------------------------------------------------------------- terms


def encode_ox(term):
    """A pyoxigraph term as the tuple form of :mod:`graph.sparql.results`."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.datatype.value, term.language)
    return ("literal", str(term), XSD_STRING, None)  # an RDF-star triple term, shown as text


def encode_rdflib(term):
    """An rdflib term as the tuple form of :mod:`graph.sparql.results`."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("uri", str(term))
    if isinstance(term, BNode):
        return ("bnode", str(term))
    if isinstance(term, Literal):
        if term.language:
            return ("literal", str(term), "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", term.language)
        return ("literal", str(term), str(term.datatype or XSD_STRING), None)
    return ("literal", str(term), XSD_STRING, None)


# ---------------------------------------------------------------- stores


class Runner:
    """Runs checked queries on one loaded dataset, with or without the inferred graph.

    Parameters
    ----------
    files : list of str
        N-Quads files (``graph.nq`` and, optionally, ``inferred.nq``).
    store : {"oxigraph", "rdflib"}
        The engine.
    """

    def __init__(self, files, store="oxigraph"):
        from graph.core.prefixes import GRAPH_IRIS, PREFIXES

        self.kind = store
        self.prefixes = dict(PREFIXES)
        self.inferred_graph = GRAPH_IRIS["inferred"]
        if store == "oxigraph":
            self._load_oxigraph(files)
        elif store == "rdflib":
            self._load_rdflib(files)
        else:
            raise ValueError(f"unknown store {store!r}")

    def _load_oxigraph(self, files):
        import re
        from pathlib import Path

        import pyoxigraph as ox

        texts = [Path(path).read_bytes() for path in files]
        self.ox = store = ox.Store()  # blank-node labels kept, as graph.kb.inference.load_nquads does
        for text in texts:
            store.bulk_extend(ox.parse(text, format=ox.RdfFormat.N_QUADS))
        names = list(store.named_graphs())
        inferred = ox.NamedNode(self.inferred_graph)
        self.has_inferred = inferred in names
        # The default graph is the RDF merge (a set union) of the asserted graphs, as in rdflib's
        # Dataset(default_union=True): Oxigraph's own union would repeat a triple stated in two graphs,
        # while a store, being a set, keeps it once. The inferred graph holds no asserted triple.
        # Queries without GRAPH patterns run on stores holding only that merged default graph, which
        # Oxigraph answers several times faster than the default graph of a store with named graphs
        # too. The merged stores are filled in file order (Oxigraph answers markedly slower from a
        # store filled in random order), from the N-Quads lines with their graph term cut off.
        graph_term = re.compile(rb" <[^<>\s]*> \.$", re.M)
        asserted = b"\n".join(graph_term.sub(b" .", t) for t, f in zip(texts, files)
                              if not Path(f).name.startswith("inferred"))
        extra = b"\n".join(graph_term.sub(b" .", t) for t, f in zip(texts, files) if Path(f).name.startswith("inferred"))
        del texts

        def merged(*chunks):
            out = ox.Store()
            for chunk in chunks:
                out.bulk_extend(ox.parse(chunk, format=ox.RdfFormat.N_TRIPLES))
            return out

        self.merged = {False: merged(asserted)}
        if self.has_inferred:
            self.merged[True] = merged(asserted, extra)
        store.bulk_extend(ox.parse(asserted, format=ox.RdfFormat.N_TRIPLES))  # the default graph, for GRAPH queries
        default = ox.DefaultGraph()
        self.graphs = {True: ([default, inferred] if self.has_inferred else [default], names),
                       False: ([default], [g for g in names if g != inferred])}

    def _load_rdflib(self, files):
        import pyoxigraph as ox
        import rdflib.plugins.sparql as rq
        from rdflib import Dataset, URIRef

        from graph.kb.inference import _to_rdflib

        rq.SPARQL_LOAD_GRAPHS = False  # never fetch a graph named in a query
        full, asserted = Dataset(default_union=True), Dataset(default_union=True)
        self.has_inferred = False
        for path in files:
            for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
                name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
                triple = (_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object))
                full.graph(URIRef(name) if name else None).add(triple)
                if name == self.inferred_graph:
                    self.has_inferred = True
                else:
                    asserted.graph(URIRef(name) if name else None).add(triple)
        self.datasets = {True: full, False: asserted}

    def run(self, text, inference=True, limit=10_000):
        """Check and run ``text``; a :class:`graph.sparql.results.QueryResult`."""
        from graph.core.errors import QueryError
        from graph.sparql.safety import check_query

        info = check_query(text)
        if inference and not self.has_inferred:
            raise QueryError("This store was loaded without the inferred graph; run with --no-inference.")
        if self.kind == "oxigraph":
            return self._run_oxigraph(text, info, inference, limit)
        return self._run_rdflib(text, info.form, inference, limit)

    def _run_oxigraph(self, text, info, inference, limit):
        import pyoxigraph as ox

        from graph.core.errors import QueryError
        from graph.sparql.results import QueryResult

        form = info.form
        try:
            if info.named_graphs:
                default, named = self.graphs[inference]
                answer = self.ox.query(text, prefixes=self.prefixes, default_graph=default, named_graphs=named)
            else:
                answer = self.merged[inference].query(text, prefixes=self.prefixes)
            out = QueryResult(form, store=self.kind, limit=limit)
            if isinstance(answer, ox.QueryBoolean):
                out.boolean = bool(answer)
            elif isinstance(answer, ox.QuerySolutions):
                out.variables = [v.value for v in answer.variables]
                rows = out.rows
                for sol in answer:
                    if len(rows) >= limit:
                        out.truncated = True
                        break
                    rows.append([encode_ox(sol[v]) for v in out.variables])
            else:
                for t in answer:
                    if len(out.triples) >= limit:
                        out.truncated = True
                        break
                    out.triples.append([encode_ox(t.subject), encode_ox(t.predicate), encode_ox(t.object)])
        except SyntaxError as e:
            raise QueryError(f"SPARQL error: {e}") from None
        except (OSError, ValueError, TypeError) as e:
            raise QueryError(f"The query failed while running: {e}") from None
        return out

    def _run_rdflib(self, text, form, inference, limit):
        from graph.core.errors import QueryError
        from graph.sparql.results import QueryResult

        ds = self.datasets[inference]
        try:
            answer = ds.query(text, initNs=self.prefixes)
            out = QueryResult(form, store=self.kind, limit=limit)
            if answer.type == "ASK":
                out.boolean = bool(answer.askAnswer)
            elif answer.type == "SELECT":
                out.variables = [str(v) for v in answer.vars]
                for row in answer:
                    if len(out.rows) >= limit:
                        out.truncated = True
                        break
                    out.rows.append([encode_rdflib(row[i]) for i in range(len(out.variables))])
            else:
                for t in answer:
                    if len(out.triples) >= limit:
                        out.truncated = True
                        break
                    out.triples.append([encode_rdflib(x) for x in t])
        except QueryError:
            raise
        except Exception as e:  # rdflib raises many kinds (unknown prefix, type errors…)
            raise QueryError(f"The query failed while running: {type(e).__name__}: {e}") from None
        return out


# ---------------------------------------------------------------- the process


def _no_network(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.sendto", "urllib.Request"):
        raise PermissionError(f"network access is disabled in the query worker ({event})")


def _cap_memory(limit_bytes):
    if not limit_bytes:
        return
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = limit_bytes if hard == resource.RLIM_INFINITY else min(limit_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):
        pass


def serve(inbox, outbox, files, store, memory_limit=None):
    """Worker main loop: load, say ready, answer queries until told to stop or the pipe closes.

    Each query also has a watchdog here: should the parent be gone and not kill a runaway query, the
    worker ends itself a few seconds after the query's timeout (a real-time timer whose signal, left to
    its default action, ends the process even in the middle of the engine's native code).
    """
    import signal

    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    sys.addaudithook(_no_network)
    _cap_memory(memory_limit)
    try:
        runner = Runner(files, store)
        from graph.sparql.safety import check_query

        check_query("ASK {}")  # build the parser's grammar before the first real query is timed
    except BaseException as e:  # noqa: BLE001 - reported to the parent, which raises it cleanly
        outbox.send(("error", f"could not load the {store} store: {type(e).__name__}: {e}"))
        return
    outbox.send(("ready", None))
    from graph.core.errors import CoopmapError

    while True:
        try:
            msg = inbox.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if msg[0] != "query":
            return
        _, text, options = msg
        signal.setitimer(signal.ITIMER_REAL, float(options.pop("timeout", 600)) + 5)
        try:
            reply = ("ok", runner.run(text, **options))
        except CoopmapError as e:
            reply = ("error", str(e))
        except MemoryError:
            reply = ("error", "The query ran out of memory. Narrow it (more patterns, LIMIT) and try again.")
        except Exception as e:  # noqa: BLE001 - never a traceback to the user
            reply = ("error", f"The query failed: {type(e).__name__}: {e}")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        try:
            outbox.send(reply)
        except (OSError, ValueError):
            return


def main(argv=None):
    """``python -m graph.sparql.worker IN_FD OUT_FD STORE MEMORY FILE...`` (started by graph.sparql.query)."""
    from multiprocessing.connection import Connection

    argv = sys.argv[1:] if argv is None else argv
    inbox = Connection(int(argv[0]), writable=False)
    outbox = Connection(int(argv[1]), readable=False)
    serve(inbox, outbox, argv[4:], argv[2], int(argv[3]) or None)


if __name__ == "__main__":
    main()
