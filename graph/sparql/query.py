"""Researchers' SPARQL, run safely: checked, in a sandboxed child process, under a timeout and a row cap.

Every query is checked first (:func:`graph.sparql.safety.check_query`: no Update, no ``SERVICE``, no
``FROM``), then runs in a child forked from this process, which holds the compiled dataset in an
embedded Oxigraph store (or, with ``store="rdflib"``, in rdflib's in-memory store) loaded once. The child
cannot open a network socket, dies with its parent, and is killed when it outlives its timeout
(:mod:`graph.sparql.worker`). Parallel queries (a web server's) run side by side, two at a time.

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

__all__ = ["STORES", "DEFAULT_TIMEOUT", "DEFAULT_LIMIT", "DEFAULT_MEMORY", "MAX_TIMEOUT", "QueryPool",
           "check_timeout", "check_limit", "run_query",
           "default_pool", "close_pools", "dataset_files", "ensure_inferred", "visible_file", "inferred_file",
           "check_query", "QueryResult", "serialize", "ALL_FORMATS", "RESULT_FORMATS", "GRAPH_FORMATS"]

STORES = ("oxigraph", "rdflib")
#: Seconds a query may run before its worker is killed.
DEFAULT_TIMEOUT = 10.0
#: Rows (or triples) returned at most; more are cut with a notice.
DEFAULT_LIMIT = 10_000
#: Address space a query may add, in bytes; a query that needs more ends its child, not the machine.
DEFAULT_MEMORY = 6 * 1024 ** 3
#: Longest timeout accepted, in seconds (one day).
MAX_TIMEOUT = 86_400.0


def dataset_files(project=None, inference: bool = True, audience: str = "clear", *, cache=None) -> list[Path]:
    """The files a query store loads: the facts ``audience`` may see and, with ``inference``, their
    entailments (:func:`graph.kb.inference.visible_file`, :func:`graph.kb.inference.inferred_file`).

    Builds the graph and computes the entailments first when needed. ``cache`` is the compiled folder
    when the caller knows it already (it is then not looked up again).
    """
    from graph.kb.inference import _audience

    _audience(audience)
    if cache is not None:
        files = [Path(cache) / f"visible-{audience}.nq"] + ([Path(cache) / f"inferred-{audience}.nq"] if inference else [])
        if all(f.exists() for f in files):
            return files
    files = [visible_file(project, audience)]
    if inference:
        files.append(inferred_file(project, audience))
    return files


def check_timeout(timeout) -> float:
    """``timeout`` as seconds, or a :class:`QueryError` naming the parameter (NaN, infinite, ≤ 0, too long)."""
    try:
        value = float(timeout)
    except (TypeError, ValueError):
        value = float("nan")
    if not (0 < value <= MAX_TIMEOUT):  # also false for NaN
        raise QueryError(f"timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT:g} "
                         f"(one day), not {timeout}.")
    return value


def check_limit(limit) -> int:
    """``limit`` as a whole number of rows, or a :class:`QueryError` naming the parameter."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise QueryError(f"limit must be a whole number of rows, at least 1, not {limit}.")
    return limit


class QueryPool:
    """One dataset, loaded once in this process; each query runs in a sandboxed forked child.

    Parameters
    ----------
    files : list of path
        N-Quads files to load (see :func:`dataset_files`).
    store : {"oxigraph", "rdflib"}
        The engine.
    size : int, optional
        Most queries running at once (default: 2, or 1 on a single core); more wait for a free slot.
    memory_limit : int, optional
        Address space each query may add, in bytes.
    load_timeout : float, optional
        Unused (the data loads in this process); kept for callers of the earlier worker pool.

    Notes
    -----
    Thread-safe: any number of threads may call :meth:`run`. A query that outlives its timeout ends with
    its child; this process and its store are never affected. See :mod:`graph.sparql.worker`.
    """

    def __init__(self, files, store="oxigraph", size=None, memory_limit=DEFAULT_MEMORY, load_timeout=None):
        if store not in STORES:
            raise QueryError(f"Unknown store '{store}'. Choose one of: {', '.join(STORES)}.")
        self.files = [Path(f) for f in files]
        self.store = store
        self.size = size or max(1, min(2, os.cpu_count() or 1))
        self.memory_limit = memory_limit
        self.inference = any(f.name.startswith("inferred") for f in self.files)
        self._runner = None
        self._closed = False
        self._load_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.size)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def runner(self):
        """The loaded :class:`graph.sparql.worker.Runner` (loaded on first use)."""
        with self._load_lock:
            if self._closed:
                raise QueryError("The query pool is closed.")
            if self._runner is None:
                from graph.sparql.worker import Runner

                try:
                    self._runner = Runner([str(f) for f in self.files], self.store)
                except OSError as e:
                    raise QueryError(f"Could not read the compiled data: {e}.") from None
            return self._runner

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
            Seconds before the query is stopped (above 0, at most :data:`MAX_TIMEOUT`).
        limit : int
            Rows (or triples) kept at most; ``result.truncated`` tells when more were cut.

        Raises
        ------
        QueryError
            Refused, malformed, stopped by the timeout, or failed while running.
        """
        from graph.sparql.worker import run_forked

        timeout = check_timeout(timeout)
        limit = check_limit(limit)
        info = check_query(text)
        if inference and not self.inference:
            raise QueryError("This query pool was loaded without the inferred graph; use inference=False.")
        runner = self.runner()
        try:
            runner.prepare(info, inference)
        except OSError as e:
            raise QueryError(f"Could not open the query store in the cache: {e}. Set COOPMAP_CACHE to a folder "
                             "you can write to, with free space.") from None
        with self._slots:
            return run_forked(runner, text, {"inference": inference, "limit": limit}, timeout, self.memory_limit)

    def close(self):
        """Forget the loaded store; queries running now finish."""
        with self._load_lock:
            self._closed = True
            self._runner = None


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
    files = dataset_files(project, inference, audience, cache=cache)
    with _POOLS_LOCK:
        key = (store, cache, audience, inference)
        if key not in _POOLS or _POOLS[key]._closed:
            _POOLS[key] = QueryPool(files, store)
        return _POOLS[key]


def run_query(text: str, project=None, store: str = "oxigraph", inference: bool = True,
              timeout: float = DEFAULT_TIMEOUT, limit: int = DEFAULT_LIMIT, audience: str = "clear") -> QueryResult:
    """Check and run ``text`` on the project's compiled graph; see :meth:`QueryPool.run`.

    Only the facts ``audience`` may see are queried (``clear``, the public, by default). The query and
    the parameters are checked first, so a refused query never loads anything.
    """
    check_timeout(timeout)
    check_limit(limit)
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
