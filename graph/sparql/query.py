"""Researchers' SPARQL, run safely: checked, in worker processes, under a timeout and a row cap.

Every query is checked first (:func:`graph.sparql.safety.check_query`: no Update, no ``SERVICE``, no
``FROM``), then runs in a worker process that holds the compiled dataset in an embedded Oxigraph store
(or, with ``store="rdflib"``, in rdflib's in-memory store). A query that outlives its timeout is stopped
by killing its worker; the next query gets a fresh one. Workers are pooled, so parallel queries (a web
server's) run side by side and each worker loads the data once.

The default graph is the union of the ontology, data and derived graphs and, unless
``inference=False``, of the RDFS/OWL-RL entailments (:mod:`graph.kb.inference`), all without the facts
above the audience (``clear`` by default: what the public may see). Named graphs keep their
names (:data:`graph.core.namespaces.GRAPHS`) for ``GRAPH`` patterns. The prefixes of
:data:`graph.core.namespaces.PREFIXES` are predeclared.

Examples
--------
>>> from graph.sparql.query import run_query, serialize
>>> result = run_query("ASK { actor:lu-itm a org:Organization }")   # doctest: +SKIP
>>> serialize(result, "json")                                        # doctest: +SKIP
'{\\n  "head": {},\\n  "boolean": true\\n}'
"""

from __future__ import annotations

import atexit
import os
import threading
from pathlib import Path

from graph.core.errors import QueryError
from graph.kb.inference import ensure_inferred, inferred_file, visible_file
from graph.sparql.results import ALL_FORMATS, GRAPH_FORMATS, RESULT_FORMATS, QueryResult, serialize
from graph.sparql.safety import check_query

__all__ = ["STORES", "DEFAULT_TIMEOUT", "DEFAULT_LIMIT", "DEFAULT_MEMORY", "QueryPool", "run_query",
           "default_pool", "close_pools", "dataset_files", "ensure_inferred", "visible_file", "inferred_file",
           "check_query", "QueryResult", "serialize", "ALL_FORMATS", "RESULT_FORMATS", "GRAPH_FORMATS"]

STORES = ("oxigraph", "rdflib")
#: Seconds a query may run before its worker is killed.
DEFAULT_TIMEOUT = 10.0
#: Rows (or triples) returned at most; more are cut with a notice.
DEFAULT_LIMIT = 10_000
#: Address space a worker may use, in bytes; a query that needs more ends its worker, not the machine.
DEFAULT_MEMORY = 6 * 1024 ** 3


def dataset_files(project=None, inference: bool = True, audience: str = "clear") -> list[Path]:
    """The files a query store loads: the facts ``audience`` may see and, with ``inference``, their
    entailments (:func:`graph.kb.inference.visible_file`, :func:`graph.kb.inference.inferred_file`).

    Builds the graph and computes the entailments first when needed.
    """
    files = [visible_file(project, audience)]
    if inference:
        files.append(inferred_file(project, audience))
    return files


class _Worker:
    """One worker process (``python -m graph.sparql.worker``) and the parent's ends of its two pipes.

    A plain subprocess rather than :mod:`multiprocessing`: it never re-imports the caller's main
    module, so it works the same from the CLI, a test, a server or an interactive session.
    """

    def __init__(self, files, store, memory_limit, load_timeout):
        import subprocess
        import sys
        from multiprocessing.connection import Connection

        from graph.core.resources import package_dir

        child_in, parent_out = os.pipe()
        parent_in, child_out = os.pipe()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(package_dir().parent), env.get("PYTHONPATH")) if p)
        cmd = [sys.executable, "-m", "graph.sparql.worker", str(child_in), str(child_out), store,
               str(memory_limit or 0), *map(str, files)]
        try:
            self.proc = subprocess.Popen(cmd, pass_fds=(child_in, child_out), stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        finally:
            os.close(child_in)
            os.close(child_out)
        self.outbox = Connection(parent_out, readable=False)
        self.inbox = Connection(parent_in, writable=False)
        try:
            msg = self.inbox.recv() if self.inbox.poll(load_timeout) else None
        except (EOFError, OSError):
            msg = ("error", f"the {store} query worker stopped while loading the data")
        if msg is None:
            msg = ("error", f"the {store} query worker did not load the data within {load_timeout:g} s")
        if msg[0] != "ready":
            self.kill()
            raise QueryError(msg[1])

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        self.inbox.close()
        self.outbox.close()

    def stop(self):
        try:
            self.outbox.send(("stop",))
            self.proc.wait(2)
        except Exception:  # noqa: BLE001 - it is killed below anyway
            pass
        self.kill()


class QueryPool:
    """Worker processes that hold one dataset and run checked queries under a timeout.

    Parameters
    ----------
    files : list of path
        N-Quads files to load (see :func:`dataset_files`).
    store : {"oxigraph", "rdflib"}
        The engine in the workers.
    size : int, optional
        Most workers at once (default: 2, or 1 on a single core). Workers start on demand.
    memory_limit : int, optional
        Address-space cap of each worker, in bytes.
    load_timeout : float
        Seconds a new worker may take to load the data.

    Notes
    -----
    Thread-safe: any number of threads may call :meth:`run`; they share the workers, waiting for a free
    one. Use as a context manager, or call :meth:`close`, to end the workers.
    """

    def __init__(self, files, store="oxigraph", size=None, memory_limit=DEFAULT_MEMORY, load_timeout=600.0):
        if store not in STORES:
            raise QueryError(f"Unknown store '{store}'. Choose one of: {', '.join(STORES)}.")
        self.files = [Path(f) for f in files]
        self.store = store
        self.size = size or max(1, min(2, os.cpu_count() or 1))
        self.memory_limit = memory_limit
        self.load_timeout = load_timeout
        self.inference = any(f.name.startswith("inferred") for f in self.files)
        self._idle = []
        self._count = 0
        self._closed = False
        self._cond = threading.Condition()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _acquire(self):
        with self._cond:
            while True:
                if self._closed:
                    raise QueryError("The query pool is closed.")
                if self._idle:
                    return self._idle.pop()
                if self._count < self.size:
                    self._count += 1
                    break
                self._cond.wait()
        try:
            return _Worker(self.files, self.store, self.memory_limit, self.load_timeout)
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            raise

    def _release(self, worker):
        with self._cond:
            if worker is None:
                self._count -= 1
            elif self._closed:
                worker.stop()
                self._count -= 1
            else:
                self._idle.append(worker)
            self._cond.notify()

    def run(self, text: str, inference: bool = True, timeout: float = DEFAULT_TIMEOUT,
            limit: int = DEFAULT_LIMIT) -> QueryResult:
        """Check and run one query.

        Parameters
        ----------
        text : str
            A SPARQL 1.1 SELECT, ASK, CONSTRUCT or DESCRIBE query.
        inference : bool
            Include the RDFS/OWL-RL entailments in the default graph.
        timeout : float
            Seconds before the query is stopped.
        limit : int
            Rows (or triples) kept at most; ``result.truncated`` tells when more were cut.

        Raises
        ------
        QueryError
            Refused, malformed, stopped by the timeout, or failed while running.
        """
        if not timeout or timeout <= 0:
            raise QueryError(f"--timeout must be a positive number of seconds, not {timeout}.")
        if limit is None or limit < 1:
            raise QueryError(f"--limit must be at least 1, not {limit}.")
        if inference and not self.inference:
            raise QueryError("This query pool was loaded without the inferred graph; use inference=False.")
        worker = self._acquire()
        try:
            worker.outbox.send(("query", text, {"inference": inference, "limit": int(limit), "timeout": timeout}))
            if not worker.inbox.poll(timeout):
                worker.kill()
                worker = None
                raise QueryError(f"The query was stopped after {timeout:g} s (timeout). Narrow it (more "
                                 f"specific patterns, a LIMIT, fewer OPTIONALs) or allow more time with --timeout.")
            msg = worker.inbox.recv()
        except (EOFError, OSError, BrokenPipeError):
            if worker is not None:
                worker.kill()
                worker = None
            raise QueryError("The query worker stopped while running the query (it may have run out of "
                             "memory). Narrow the query and try again.") from None
        finally:
            self._release(worker)
        if msg[0] == "error":
            raise QueryError(msg[1])
        return msg[1]

    def close(self):
        """Stop every idle worker; busy ones stop when their query ends."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            self._cond.notify_all()
        for w in idle:
            w.stop()


_POOLS = {}
_POOLS_LOCK = threading.Lock()


def default_pool(project=None, store: str = "oxigraph", inference: bool = True, audience: str = "clear") -> QueryPool:
    """The shared pool for the project's compiled data, one per store and audience (reused by every call)."""
    from graph.kb.build import compiled

    if store not in STORES:
        raise QueryError(f"Unknown store '{store}'. Choose one of: {', '.join(STORES)}.")
    cache = str(compiled(project))
    with _POOLS_LOCK:
        for key in ((store, cache, audience, True), (store, cache, audience, inference)):
            pool = _POOLS.get(key)
            if pool is not None and not pool._closed:
                return pool
    files = dataset_files(project, inference, audience)
    with _POOLS_LOCK:
        key = (store, cache, audience, inference)
        if key not in _POOLS or _POOLS[key]._closed:
            _POOLS[key] = QueryPool(files, store)
        return _POOLS[key]


def run_query(text: str, project=None, store: str = "oxigraph", inference: bool = True,
              timeout: float = DEFAULT_TIMEOUT, limit: int = DEFAULT_LIMIT, audience: str = "clear") -> QueryResult:
    """Check and run ``text`` on the project's compiled graph; see :meth:`QueryPool.run`.

    Only the facts ``audience`` may see are queried (``clear``, the public, by default). The query is
    checked in the calling process too, so a refused or malformed query never starts a worker.
    """
    check_query(text)
    pool = default_pool(project, store, inference, audience)
    return pool.run(text, inference=inference, timeout=timeout, limit=limit)


@atexit.register
def close_pools():
    """Stop every worker of the shared pools."""
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.close()
