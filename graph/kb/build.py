"""Compile ``ontology/`` + ``data/`` into one validated RDF dataset, cached on disk by content hash.

The compiled dataset has four named graphs (:data:`graph.core.prefixes.GRAPH_IRIS`): the ontology, the
curated data, the triples derived from them at load time (direct link triples, ``prov:wasDerivedFrom``)
and, built on demand by :mod:`graph.sparql.query`, the RDFS/OWL-RL entailments. Nothing is written unless
the data parses and conforms; the cache directory is written whole or not at all.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from graph.core.errors import DataError  # noqa: F401 (re-exported)
from graph.core.memory import collector_paused
from graph.kb.dataset import (  # noqa: F401 (the inputs' half, re-exported: callers import them from here)
    BUILD_VERSION, DERIVE_QUERIES, DERIVE_UPDATES, ROOT, Project, _derive, _relative, _turtle_files, check_cache_root,
    default_project, load_dataset, parse_files, read_turtle)

__all__ = ["Project", "default_project", "build", "compiled", "parse_files", "load_dataset", "DERIVE_QUERIES",
           "DERIVE_UPDATES"]


def writable_cache_root(root: Path) -> Path:
    """Create the cache folder (private) if needed and check that it is safe and writable."""
    from graph.core.errors import CoopmapError

    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as e:
        raise CoopmapError(f"Cannot create the cache folder {root}: {e.strerror}. Set COOPMAP_CACHE to a writable "
                           "folder.") from None
    check_cache_root(root)
    if not os.access(root, os.W_OK | os.X_OK):
        raise CoopmapError(f"Cannot write to the cache folder {root}: permission denied. Set COOPMAP_CACHE to a "
                           "writable folder.")
    return root


@contextmanager
def _locked(path: Path):
    """Hold an exclusive ``flock`` on ``path`` (created if needed): one compile per data version at a time."""
    from graph.core.errors import CoopmapError

    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as e:
        raise CoopmapError(f"Cannot write to the cache folder {path.parent}: {e.strerror}. Set COOPMAP_CACHE to a "
                           "writable folder.") from None
    try:
        try:
            import fcntl
        except ImportError:  # no flock (Windows): the rename below still never exposes a half-written folder
            fcntl = None
        if fcntl:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _install(tmp: Path, target: Path) -> None:
    """Move the finished folder ``tmp`` to ``target`` in one ``rename``; a stale target is moved aside first."""
    if target.exists():
        old = target.with_name(f".old-{target.name}-{os.getpid()}")
        os.rename(target, old)
        try:
            os.rename(tmp, target)
        finally:
            shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(tmp, target)


def build(project: Project | None = None, validate: bool = True, force: bool = False) -> Path:
    """Compile the project into its cache directory and return that directory.

    The directory is named by the inputs' content hash and appears in one ``rename`` once complete, with
    ``meta.json`` inside: a reader either finds it whole or not at all. Concurrent first compiles of the
    same inputs wait for each other on a lock (``fcntl.flock``), so only one compiles and none crashes.
    The first compile of a data version runs the checks of :mod:`graph.kb.validate` (SHACL as SPARQL in
    Oxigraph, quotes where the sources are present) and caches the verdict by content hash, shared with
    ``coopmap validate``: later commands never check again.

    Parameters
    ----------
    project : Project, optional
        Inputs and cache location; :func:`default_project` by default.
    validate : bool
        Run the checks first and refuse to cache a graph that fails them. Benchmarks on synthetic graphs
        turn it off.
    force : bool
        Rebuild even when a cache for the same inputs exists.

    Raises
    ------
    DataError, ValidationError
        When a file does not parse or the graph does not conform; nothing is written then.
    CoopmapError
        When the cache folder is unsafe or cannot be written (set ``COOPMAP_CACHE``).
    """
    project = project or default_project()
    target = project.cache_dir()
    if (target / "meta.json").exists() and not force:
        return target
    root = writable_cache_root(project.cache_root)
    with _locked(root / f".{target.name}.lock"), collector_paused():
        if (target / "meta.json").exists() and not force:
            return target  # another process compiled it while we waited
        import pyoxigraph as ox

        from graph.core.progress import progress

        with progress("Compiling the graph", min_seconds=1.0):
            store = load_dataset(project)
        if validate:
            from graph.kb.validate import errors, validate_cached

            with progress("Checking the data", min_seconds=1.0):
                problems = errors(validate_cached(project, store=store))
            if problems:
                from graph.core.errors import ValidationError
                err = ValidationError(problems)
                if len(problems) > 20:  # a command names the first few; `coopmap validate` lists every one
                    shown = "\n".join(str(p) for p in problems[:20])
                    err.args = (f"{len(problems)} problem(s) in the data; the first 20 (`coopmap validate` lists "
                                f"them all):\n{shown}",)
                raise err
        try:
            tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=root))
        except OSError as e:
            from graph.core.errors import CoopmapError
            raise CoopmapError(f"Cannot write to the cache folder {root}: {e.strerror}. Set COOPMAP_CACHE to a "
                               "writable folder.") from None
        try:
            from graph.kb.derived import finalize_citations  # stable citation IRIs, after validation (#18)
            finalize_citations(store)
            store.dump(str(tmp / "graph.nq"), format=ox.RdfFormat.N_QUADS)
            meta = {"fingerprint": project.fingerprint(), "validated": validate,
                    "quads": len(store), "data_dir": str(project.data_dir)}
            (tmp / "meta.json").write_text(json.dumps(meta, indent=1))
            _install(tmp, target)
        except BaseException as e:
            shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(e, OSError):
                from graph.core.errors import CoopmapError
                raise CoopmapError(f"Cannot write the compiled graph into {root}: {e.strerror or e}. Free some "
                                   "space, or set COOPMAP_CACHE to a writable folder.") from None
            raise
    return target


def compiled(project: Project | None = None) -> Path:
    """The cache directory for the current inputs, building it first when needed."""
    return build(project)
