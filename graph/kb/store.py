"""Open the compiled dataset in an embedded Oxigraph store, and run trusted internal queries on it.

User-supplied SPARQL goes through :mod:`graph.sparql.query`, which checks and sandboxes it; the helpers here
are for the library's own, fixed queries.
"""

from __future__ import annotations

from functools import lru_cache

from graph.kb.rows import QUERY_PREFIXES, select, term_value  # re-exported: the library's query helpers

__all__ = ["open_store", "persistent_store", "select", "term_value", "QUERY_PREFIXES"]


@lru_cache(maxsize=4)
def _open(cache_dir: str):
    import pyoxigraph as ox

    store = ox.Store()
    # lenient: graph.nq is Oxigraph's own dump of a checked graph, in a private cache folder (check_cache_root);
    # checking every IRI again costs a quarter of the load
    store.bulk_load(path=f"{cache_dir}/graph.nq", format=ox.RdfFormat.N_QUADS, lenient=True)
    return store


def persistent_store(files, variant: str, fill):
    """An on-disk Oxigraph store derived from ``files``, opened read-only; built first when missing.

    The store lives in ``<folder of files[0]>/oxigraph/<names>-<variant>-<key>/``, where ``key`` changes
    with the files' sizes and modification times, so it follows the data. Opening it takes milliseconds,
    where parsing the N-Quads again takes a few hundred. It is built in a temporary folder renamed into
    place in one step, so concurrent first runs never see half a store (the loser's copy is dropped).
    ``fill()`` returns ``(bytes, pyoxigraph.RdfFormat)`` to bulk-load (blank-node labels kept).
    A cache folder that cannot be written gives an in-memory store instead.
    """
    import hashlib
    import os
    import shutil
    import tempfile
    from pathlib import Path

    import pyoxigraph as ox

    files = [Path(f) for f in files]
    stats = [(f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files]
    key = hashlib.sha256(repr((variant, stats)).encode()).hexdigest()[:12]
    root = files[0].parent / "oxigraph"
    target = root / f"{'+'.join(f.stem for f in files)}-{variant}-{key}"
    if not target.is_dir():
        try:
            root.mkdir(mode=0o700, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=root))
        except OSError:
            data, fmt = fill()
            store = ox.Store()
            store.bulk_load(data, format=fmt)
            return store
        try:
            from graph.core.progress import progress

            with progress("Building the query store"):
                data, fmt = fill()
                store = ox.Store(str(tmp))
                store.bulk_load(data, format=fmt)
                store.flush()
                del store
            try:
                os.rename(tmp, target)
            except OSError:  # another process built it first
                pass
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return ox.Store.read_only(str(target))


def open_store(project=None):
    """The compiled dataset as an in-memory pyoxigraph ``Store`` (built and cached on first use)."""
    from graph.kb.build import compiled

    return _open(str(compiled(project)))
