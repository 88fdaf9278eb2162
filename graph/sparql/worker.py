"""Where user queries run: a forked child of the process that holds the store, sandboxed, under a timeout.

:class:`Runner` holds one dataset, loaded once per process. :func:`run_forked` runs one query in a child
made by ``os.fork()``: the child inherits the loaded store (nothing is re-read, no interpreter starts),
then, before it reads the query,

- asks the kernel to kill it when its parent dies (``prctl(PR_SET_PDEATHSIG)``) and sets its own
  watchdog a few seconds past the timeout, so no query outlives its caller;
- installs a seccomp filter that refuses every new socket but local (``AF_UNIX``) ones: Oxigraph's
  ``SERVICE`` client is native code that no Python audit hook sees, and the filter stops it in the
  kernel, whatever spelling of ``SERVICE`` got past :func:`graph.sparql.safety.check_query`;
- adds an audit hook refusing Python-level connections (the rdflib store), and caps its memory.

It sends back ``("ok", QueryResult)`` or ``("error", message)`` through a pipe and exits. A query that
outlives its timeout is ended by killing its child; the parent and its store are untouched. Forking is
Linux and macOS only; the sandbox is Linux (x86-64 and arm64) only, and :func:`sandbox_available` says whether it
is in force.
"""

from __future__ import annotations

import os
import sys
import threading

__all__ = ["Runner", "run_forked", "sandbox_available", "encode_ox", "encode_rdflib"]

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
        import threading

        from graph.core.prefixes import GRAPH_IRIS, PREFIXES

        self.kind = store
        self.prefixes = dict(PREFIXES)
        self.inferred_graph = GRAPH_IRIS["inferred"]
        self._lock = threading.Lock()
        if store == "oxigraph":
            self._load_oxigraph(files)
        elif store == "rdflib":
            self._load_rdflib(files)
        else:
            raise ValueError(f"unknown store {store!r}")

    def _load_oxigraph(self, files):
        """Note the files; each store is opened (or built, once per data version) on first need."""
        from pathlib import Path

        self.files = [Path(f) for f in files]
        self.has_inferred = any(f.name.startswith("inferred") for f in self.files)
        self.merged = {}
        self.ox = None

    def _triples(self, inference):
        """The files' quads as N-Triples lines (graph term cut off): the RDF merge of their graphs."""
        import re

        graph_term = re.compile(rb" <[^<>\s]*> \.$", re.M)
        return b"\n".join(graph_term.sub(b" .", f.read_bytes()) for f in self.files
                          if inference or not f.name.startswith("inferred"))

    def _fill_full(self):
        """The store with named graphs (and their merge as default graph), for queries with GRAPH patterns."""
        import pyoxigraph as ox

        from graph.kb.store import persistent_store

        def fill():
            return b"\n".join([f.read_bytes() for f in self.files] + [self._triples(False)]), ox.RdfFormat.N_QUADS

        store = persistent_store(self.files, "full", fill)
        names = list(store.named_graphs())
        inferred = ox.NamedNode(self.inferred_graph)
        default = ox.DefaultGraph()
        self.graphs = {True: ([default, inferred] if self.has_inferred else [default], names),
                       False: ([default], [g for g in names if g != inferred])}
        self.ox = store

    def _fill_merged(self, inference):
        """A store holding only the merged default graph (with or without the entailments).

        Queries without GRAPH patterns run on it: Oxigraph answers them several times faster than from the
        default graph of a store with named graphs too, and a triple stated in two graphs counts once, as
        in the RDF merge (Oxigraph's own union of graphs would repeat it).
        """
        import pyoxigraph as ox

        from graph.kb.store import persistent_store

        self.merged[inference] = persistent_store(self.files, "merged" if inference else "asserted",
                                                  lambda: (self._triples(inference), ox.RdfFormat.N_TRIPLES))

    def prepare(self, info, inference):
        """Open the store a query of this shape needs (before forking, so that later queries reuse it)."""
        if self.kind != "oxigraph":
            return
        with self._lock:
            if info.named_graphs and self.ox is None:
                self._fill_full()
            elif not info.named_graphs and inference not in self.merged:
                self._fill_merged(inference)

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
        asserted.query("ASK {}")  # build rdflib's SPARQL grammar here, once, not in every forked child

    def run(self, text, inference=True, limit=10_000):
        """Check and run ``text``; a :class:`graph.sparql.results.QueryResult`."""
        from graph.core.errors import QueryError
        from graph.sparql.safety import check_query

        info = check_query(text)
        if inference and not self.has_inferred:
            raise QueryError("This store was loaded without the inferred graph; run with --no-inference.")
        self.prepare(info, inference)
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
            from graph.sparql.safety import syntax_error

            raise syntax_error(text, str(e)) from None
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


# ---------------------------------------------------------------- the child process

_PR_SET_PDEATHSIG, _PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP = 1, 38, 22
# (AUDIT_ARCH_*, __NR_socket) of the architectures the seccomp filter knows
_ARCHES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}


def _no_network(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.sendto", "urllib.Request"):
        raise PermissionError(f"network access is disabled in the query worker ({event})")


def _libc():
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def _seccomp_program():
    """A classic-BPF seccomp filter: ``socket(domain != AF_UNIX, …)`` fails with EACCES; all else runs."""
    import struct

    arch, nr_socket = _ARCHES[os.uname().machine]
    ld, jeq, ret = 0x20, 0x15, 0x06  # BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET|BPF_K
    allow, refuse = 0x7FFF0000, 0x00050000 | 13  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EACCES

    def op(code, jt, jf, k):
        return struct.pack("HBBI", code, jt, jf, k)

    return b"".join([
        op(ld, 0, 0, 4), op(jeq, 1, 0, arch), op(ret, 0, 0, allow),  # another ABI: not ours to judge
        op(ld, 0, 0, 0), op(jeq, 0, 3, nr_socket),                   # not socket(): allow
        op(ld, 0, 0, 16), op(jeq, 1, 0, 1), op(ret, 0, 0, refuse),   # socket(AF_UNIX, …) only
        op(ret, 0, 0, allow),
    ])


def _sandbox() -> bool:
    """Forbid new network sockets in this process, for good (Linux seccomp). False when unavailable."""
    import ctypes

    if not sys.platform.startswith("linux") or os.uname().machine not in _ARCHES:
        return False

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    code = _seccomp_program()
    buf = ctypes.create_string_buffer(code, len(code))
    prog = _Prog(len(code) // 8, ctypes.addressof(buf))
    try:
        libc = _libc()
        return (libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0
                and libc.prctl(_PR_SET_SECCOMP, 2, ctypes.byref(prog), 0, 0) == 0)  # SECCOMP_MODE_FILTER
    except (OSError, AttributeError):
        return False


def _die_with_parent(parent: int):
    """Be killed when the parent dies (Linux); end now if it is already gone."""
    import signal

    if sys.platform.startswith("linux"):
        try:
            _libc().prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)


def _cap_memory(extra_bytes):
    """Cap the address space at what the process maps now plus ``extra_bytes``."""
    if not extra_bytes:
        return
    try:
        import resource

        with open("/proc/self/statm") as f:
            now = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = now + extra_bytes
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):
        pass


_SANDBOX = {}
_FORK_LOCK = threading.Lock()


def sandbox_available() -> bool:
    """Whether a forked query child can forbid itself the network here (tried once, in a throw-away child)."""
    if "ok" not in _SANDBOX:
        pid = os.fork()
        if pid == 0:
            os._exit(0 if _sandbox() else 1)
        _SANDBOX["ok"] = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    return _SANDBOX["ok"]


def _child(out_fd, parent, runner, text, options, timeout, memory_limit, require_sandbox):
    import pickle
    import signal

    from graph.core.errors import CoopmapError

    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the child quietly; the parent reports it
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.setitimer(signal.ITIMER_REAL, timeout + 3)  # the watchdog, should the parent not kill us
    try:
        if not _sandbox() and require_sandbox:
            raise CoopmapError("The query sandbox (a seccomp filter that forbids network sockets) could not be "
                               "installed here, so the query was not run. Run coopmap where seccomp is allowed.")
        sys.addaudithook(_no_network)
        _cap_memory(memory_limit)
        reply = ("ok", runner.run(text, **options))
    except CoopmapError as e:
        reply = ("error", str(e))
    except MemoryError:
        reply = ("error", "The query ran out of memory. Narrow it (more patterns, LIMIT) and try again.")
    except Exception as e:  # noqa: BLE001 - never a traceback to the user
        reply = ("error", f"The query failed: {type(e).__name__}: {e}")
    data = memoryview(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
    while data:
        data = data[os.write(out_fd, data):]


def _read_all(fd, deadline):
    """Everything the child writes on ``fd`` until it closes it; ``None`` if ``deadline`` passes first."""
    import select
    import time

    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def run_forked(runner, text, options, timeout, memory_limit=None, require_sandbox=None):
    """Run ``runner.run(text, **options)`` in a sandboxed child process, killed after ``timeout`` seconds.

    ``require_sandbox`` (default: on Linux x86-64 and arm64, where the seccomp filter is known) refuses to
    run the query when the sandbox cannot be installed; elsewhere the query check is the only defence.

    Returns the :class:`graph.sparql.results.QueryResult`; raises :class:`graph.core.errors.QueryError`
    with the child's message, on timeout, or when the child died (out of memory, a crash of the engine).
    """
    import pickle
    import signal
    import time

    from graph.core.errors import QueryError

    import ctypes  # noqa: F401 - imported once here rather than in every child

    if require_sandbox is None:
        require_sandbox = sys.platform.startswith("linux") and os.uname().machine in _ARCHES

    parent = os.getpid()
    with _FORK_LOCK:  # no other thread's child may inherit this pipe's write end (its EOF would never come)
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except OSError as e:
            os.close(read_fd)
            os.close(write_fd)
            raise QueryError(f"Could not start the query process: {e.strerror}.") from None
        if pid == 0:  # the child: never returns
            code = 0
            try:
                os.close(read_fd)
                _child(write_fd, parent, runner, text, options, timeout, memory_limit, require_sandbox)
            except BaseException:  # noqa: BLE001 - the parent sees a child that said nothing
                code = 70
            finally:
                os._exit(code)
        os.close(write_fd)
    try:
        data = _read_all(read_fd, time.monotonic() + timeout)
    except BaseException:  # Ctrl-C or any error here: the child must not outlive the call
        _end(pid)
        raise
    finally:
        os.close(read_fd)
    if data is None:
        _end(pid)
        raise QueryError(f"The query was stopped after {timeout:g} s (timeout). Narrow it (more specific "
                         "patterns, a LIMIT, fewer OPTIONALs) or allow more time (timeout).")
    _, status = os.waitpid(pid, 0)
    if not data:
        why = ""
        if os.WIFSIGNALED(status):
            why = f" (signal {signal.Signals(os.WTERMSIG(status)).name})"
        raise QueryError(f"The query process stopped while running the query{why}: it may have run out of "
                         "memory or nested too deeply. Narrow the query and try again.")
    kind, payload = pickle.loads(data)
    if kind == "error":
        raise QueryError(payload)
    return payload


def _end(pid):
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
