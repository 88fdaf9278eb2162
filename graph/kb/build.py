"""Compile ``ontology/`` + ``data/`` into one validated RDF dataset, cached on disk by content hash.

The compiled dataset has four named graphs (:data:`graph.core.namespaces.GRAPHS`): the ontology, the
curated data, the triples derived from them at load time (direct link triples, ``prov:wasDerivedFrom``)
and, built on demand by :mod:`graph.sparql.query`, the RDFS/OWL-RL entailments. Nothing is written unless
the data parses and conforms; the cache directory is written whole or not at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from graph.core.errors import DataError

__all__ = ["Project", "default_project", "build", "compiled", "parse_files", "DERIVE_QUERIES"]

#: Bump when the compiled layout changes, so old caches are not reused.
BUILD_VERSION = "2"  # 2: citation IRIs, derived labels/availability/years (issue 18)

from graph.core.resources import checkout_root, resource_dir

ROOT = checkout_root() or Path.cwd()

_FINGERPRINTS: dict[str, str] = {}


@dataclass(frozen=True)
class Project:
    """Where the inputs are and where compiled artefacts go."""

    data_dir: Path = field(default_factory=lambda: resource_dir("data"))
    ontology_dir: Path = field(default_factory=lambda: resource_dir("ontology"))
    cache_root: Path = field(default_factory=lambda: Path(
        os.environ.get("COOPMAP_CACHE") or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "coopmap"))

    def ontology_files(self) -> list[Path]:
        return sorted(p for p in self.ontology_dir.glob("*.ttl") if p.name != "shapes.ttl")

    def data_files(self) -> list[Path]:
        return sorted(self.data_dir.rglob("*.ttl"))

    def shapes_file(self) -> Path:
        return self.ontology_dir / "shapes.ttl"

    def fingerprint(self) -> str:
        """A hash of every input file's path and content (and of the build layout version).

        Hashing reads every file; as ``make`` and ``git`` do, the hash is remembered (in this process and
        in ``fingerprints.json`` in the cache root) under the files' sizes and modification times, so an
        unchanged tree is not read again on the next run.
        """
        files = [p for p in self.ontology_files() + [self.shapes_file()] + self.data_files() if p.exists()]
        stats = [(str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files]
        key = hashlib.sha256(json.dumps([BUILD_VERSION, stats]).encode()).hexdigest()
        if key in _FINGERPRINTS:
            return _FINGERPRINTS[key]
        memo = self.cache_root / "fingerprints.json"
        try:
            known = json.loads(memo.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        if key not in known:
            h = hashlib.sha256(BUILD_VERSION.encode())
            for p in files:
                h.update(str(p.name).encode() + b"\0" + p.read_bytes() + b"\0")
            known = {**{k: v for k, v in list(known.items())[-50:]}, key: h.hexdigest()[:20]}
            try:
                self.cache_root.mkdir(parents=True, exist_ok=True)
                tmp = memo.with_name(f".fingerprints-{os.getpid()}.tmp")
                tmp.write_text(json.dumps(known), encoding="utf-8")
                os.replace(tmp, memo)
            except OSError:
                pass  # a read-only cache only costs the re-hash next time
        _FINGERPRINTS[key] = known[key]
        return known[key]

    def cache_dir(self) -> Path:
        return self.cache_root / self.fingerprint()


def default_project() -> Project:
    """The project named by ``$COOPMAP_DATA`` (a data folder), else the repository's own."""
    data = os.environ.get("COOPMAP_DATA")
    return Project(data_dir=Path(data)) if data else Project()


# Direct triples, generated from the n-ary resources (never typed by hand).
DERIVE_QUERIES = [
    # from -> direct property -> to, for every link (both ways for symmetric kinds)
    """PREFIX coop: <https://w3id.org/coopmap/def#>
    CONSTRUCT { ?from ?p ?to . ?to ?p ?from2 . } WHERE {
      ?link a coop:Link ; coop:linkKind ?kind ; coop:from ?from ; coop:to ?to .
      ?kind coop:directProperty ?p .
      OPTIONAL { ?kind coop:symmetric true . BIND(?from AS ?from2) }
    }""",
    # prov:wasDerivedFrom the document, for everything that cites it
    """PREFIX coop: <https://w3id.org/coopmap/def#> PREFIX prov: <http://www.w3.org/ns/prov#>
    CONSTRUCT { ?s prov:wasDerivedFrom ?doc } WHERE { ?s coop:citation/prov:entity ?doc }""",
    # org:memberOf / org:hasMember from memberships
    """PREFIX org: <http://www.w3.org/ns/org#>
    CONSTRUCT { ?m org:memberOf ?o . ?o org:hasMember ?m } WHERE {
      ?x a org:Membership ; org:member ?m ; org:organization ?o }""",
]


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def parse_files(files, graph_iri, store):
    """Parse Turtle ``files`` into ``graph_iri`` of a pyoxigraph ``store``.

    Raises
    ------
    DataError
        On the first file that does not parse, with its line and column.
    """
    import pyoxigraph as ox

    g = ox.NamedNode(str(graph_iri))
    for path in files:
        try:
            store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, g)
                              for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        except SyntaxError as e:
            msg = str(e)
            m = re.search(r"line (\d+)", msg)
            raise DataError(f"Turtle syntax error: {msg}", file=_relative(path),
                            line=int(m.group(1)) if m else None,
                            hint="check the punctuation near that line: every statement ends with '.', "
                                 "properties are separated by ';', objects by ',', and every prefix is declared") from None


def _derive(store):
    import pyoxigraph as ox
    from graph.core.namespaces import GRAPHS

    out = ox.NamedNode(str(GRAPHS["derived"]))
    for q in DERIVE_QUERIES:
        triples = list(store.query(q, use_default_graph_as_union=True))
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, out) for t in triples)
    # ---- research additions (issue 18, graph/kb/derived.py): rdfs:label for every resource,
    # coop:effectiveAvailability per link, coop:year per dated instrument
    from graph.kb.derived import derive as derive_research
    derive_research(store, GRAPHS["derived"])


def load_dataset(project: Project | None = None):
    """Parse and derive, without validating or caching: a fresh pyoxigraph ``Store``."""
    import pyoxigraph as ox
    from graph.core.namespaces import GRAPHS

    project = project or default_project()
    if not project.data_files():
        raise DataError("no Turtle files found", file=str(project.data_dir),
                        hint="point COOPMAP_DATA at a folder of .ttl files, or run from a coopmap checkout")
    store = ox.Store()
    parse_files(project.ontology_files(), GRAPHS["ontology"], store)
    parse_files(project.data_files(), GRAPHS["data"], store)
    _derive(store)
    return store


def build(project: Project | None = None, validate: bool = True, force: bool = False) -> Path:
    """Compile the project into its cache directory and return that directory.

    Parameters
    ----------
    project : Project, optional
        Inputs and cache location; :func:`default_project` by default.
    validate : bool
        Run :func:`graph.kb.validate.validate` first and refuse to cache a graph that does not conform.
        Benchmarks on synthetic graphs turn it off.
    force : bool
        Rebuild even when a cache for the same inputs exists.

    Raises
    ------
    DataError, ValidationError
        When a file does not parse or the graph does not conform; nothing is written then.
    """
    project = project or default_project()
    target = project.cache_dir()
    if (target / "meta.json").exists() and not force:
        return target
    import pyoxigraph as ox

    store = load_dataset(project)
    if validate:
        from graph.kb.validate import validate as run_validation
        problems = run_validation(project, store=store)
        if problems:
            from graph.core.errors import ValidationError
            raise ValidationError(problems)
    project.cache_root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=project.cache_root))
    try:
        from graph.kb.derived import finalize_citations  # stable citation IRIs, after validation (#18)
        finalize_citations(store)
        store.dump(str(tmp / "graph.nq"), format=ox.RdfFormat.N_QUADS)
        meta = {"fingerprint": project.fingerprint(), "validated": validate,
                "quads": len(store), "data_dir": str(project.data_dir)}
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1))
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def compiled(project: Project | None = None) -> Path:
    """The cache directory for the current inputs, building it first when needed."""
    return build(project)
