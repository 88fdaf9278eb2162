"""The inputs of a compile: the project's files, reading and parsing them, and the derived graph.

The lower half of :mod:`graph.kb.build`, so that :mod:`graph.kb.validate` can read a project without
importing the compiler (which imports the validator). Everything here is re-exported by ``build``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.core.errors import DataError
from graph.core.resources import checkout_root, resource_dir

__all__ = ["Project", "default_project", "parse_files", "read_turtle", "load_dataset", "check_cache_root",
           "DERIVE_QUERIES", "DERIVE_UPDATES", "BUILD_VERSION", "ROOT"]

#: Bump when the compiled layout changes, so old caches are not reused.
BUILD_VERSION = "2"  # 2: citation IRIs, derived labels/availability/years (issue 18)

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
        """Every ``*.ttl`` under the data folder, following symbolic links to folders and files.

        Raises
        ------
        DataError
            When the data folder is missing, or a ``.ttl`` entry is a symbolic link to nothing.
        """
        return _turtle_files(self.data_dir)

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
                self.cache_root.mkdir(parents=True, exist_ok=True, mode=0o700)
                tmp = memo.with_name(f".fingerprints-{os.getpid()}.tmp")
                tmp.write_text(json.dumps(known), encoding="utf-8")
                os.replace(tmp, memo)
            except OSError:
                pass  # a read-only cache only costs the re-hash next time
        _FINGERPRINTS[key] = known[key]
        return known[key]

    def cache_dir(self) -> Path:
        """``<cache root>/<fingerprint>``; refuses a cache root that other users may write to."""
        check_cache_root(self.cache_root)
        return self.cache_root / self.fingerprint()


def _turtle_files(folder: Path) -> list[Path]:
    """``*.ttl`` files under ``folder``, recursively, following links (each real folder visited once)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError("the data folder does not exist or is not a folder", file=str(folder),
                        hint="point COOPMAP_DATA at a folder of .ttl files")
    found, seen = [], set()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:  # a link back up the tree: do not loop
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames.sort()
        for name in dirnames:
            link = Path(dirpath, name)
            if link.is_symlink() and not link.exists():
                raise DataError("this folder link points to nothing", file=_relative(link),
                                hint=f"remove the link or point it at an existing folder (it points to {os.readlink(link)})")
        for name in filenames:
            if not name.endswith(".ttl"):
                continue
            path = Path(dirpath, name)
            if not path.exists():
                raise DataError("this .ttl file is a symbolic link to nothing", file=_relative(path),
                                hint=f"remove the link or point it at an existing file (it points to {os.readlink(path)})")
            if path.is_file():
                found.append(path)
    return sorted(found)


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


def read_turtle(path: Path) -> bytes:
    """The bytes of one Turtle file, checked to be UTF-8.

    Raises
    ------
    DataError
        When the file cannot be read, or holds a byte that is not UTF-8 (with its line and column): Oxigraph
        would pass such a byte silently in a comment, and reject it with a cryptic message elsewhere.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise DataError(f"cannot read this file: {e.strerror or e}", file=_relative(Path(path)),
                        hint="check that it exists and that you may read it") from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise DataError(f"byte 0x{data[e.start]:02X} at column {column} is not UTF-8", file=_relative(Path(path)),
                        line=line, hint="save the file as UTF-8 (for example `iconv -f latin1 -t utf-8`), "
                                        "or retype the character") from None
    return data


def parse_files(files, graph_iri, store):
    """Parse Turtle ``files`` into ``graph_iri`` of a pyoxigraph ``store``, with Oxigraph's own parser.

    Raises
    ------
    DataError
        On the first file that is not UTF-8 or does not parse, with its line and column.
    """
    import pyoxigraph as ox

    g = ox.NamedNode(str(graph_iri))
    for path in files:
        data = read_turtle(path)
        try:
            store.bulk_load(input=data, format=ox.RdfFormat.TURTLE, to_graph=g)
        except SyntaxError as e:
            msg = str(e)
            line = getattr(e, "lineno", None)
            if not line:
                m = re.search(r"line (\d+)", msg)
                line = int(m.group(1)) if m else None
            raise DataError(f"Turtle syntax error: {msg}", file=_relative(Path(path)), line=line,
                            hint="check the punctuation near that line: every statement ends with '.', "
                                 "properties are separated by ';', objects by ',', and every prefix is declared") from None
        except (ValueError, OSError) as e:  # anything else the parser refuses: still a message, never a traceback
            raise DataError(f"cannot load this file: {e}", file=_relative(Path(path)),
                            hint="check that it is a Turtle file") from None


#: :data:`DERIVE_QUERIES` as updates that run inside Oxigraph (no derived triple goes through Python).
#: Each triple pattern has its own ``GRAPH ?gN``: the union of the graphs, as the queries read it.
#: ``tests/test_build_reliability.py`` checks that both give the same triples.
DERIVE_UPDATES = [
    """PREFIX coop: <https://w3id.org/coopmap/def#>
    INSERT { GRAPH <%(g)s> { ?from ?p ?to . ?to ?p ?from2 . } } WHERE {
      GRAPH ?g1 { ?link a coop:Link } GRAPH ?g2 { ?link coop:linkKind ?kind }
      GRAPH ?g3 { ?link coop:from ?from } GRAPH ?g4 { ?link coop:to ?to }
      GRAPH ?g5 { ?kind coop:directProperty ?p }
      OPTIONAL { GRAPH ?g6 { ?kind coop:symmetric true } BIND(?from AS ?from2) }
    }""",
    """PREFIX coop: <https://w3id.org/coopmap/def#> PREFIX prov: <http://www.w3.org/ns/prov#>
    INSERT { GRAPH <%(g)s> { ?s prov:wasDerivedFrom ?doc } } WHERE {
      GRAPH ?g1 { ?s coop:citation ?c } GRAPH ?g2 { ?c prov:entity ?doc } }""",
    """PREFIX org: <http://www.w3.org/ns/org#>
    INSERT { GRAPH <%(g)s> { ?m org:memberOf ?o . ?o org:hasMember ?m } } WHERE {
      GRAPH ?g1 { ?x a org:Membership } GRAPH ?g2 { ?x org:member ?m } GRAPH ?g3 { ?x org:organization ?o } }""",
]


def _derive(store):
    """Add the derived graph (direct link triples, ``prov:wasDerivedFrom``, memberships) to ``store``."""
    from graph.core.prefixes import GRAPH_IRIS as GRAPHS

    for u in DERIVE_UPDATES:
        store.update(u % {"g": str(GRAPHS["derived"])})
    # ---- research additions (issue 18, graph/kb/derived.py): rdfs:label for every resource,
    # coop:effectiveAvailability per link, coop:year per dated instrument
    from graph.kb.derived import derive as derive_research
    derive_research(store, GRAPHS["derived"])


def load_dataset(project: Project | None = None):
    """Parse and derive, without validating or caching: a fresh pyoxigraph ``Store``."""
    import pyoxigraph as ox
    from graph.core.prefixes import GRAPH_IRIS as GRAPHS

    project = project or default_project()
    if not project.data_files():
        raise DataError("no Turtle files found", file=str(project.data_dir),
                        hint="point COOPMAP_DATA at a folder of .ttl files, or run from a coopmap checkout")
    store = ox.Store()
    parse_files(project.ontology_files(), GRAPHS["ontology"], store)
    parse_files(project.data_files(), GRAPHS["data"], store)
    _derive(store)
    return store


# ---------------------------------------------------------------------------- the cache folder


def check_cache_root(root: Path) -> Path:
    """Refuse a cache folder that another user owns or may write to (it holds pickles that are loaded).

    A folder that does not exist yet passes: :func:`writable_cache_root` creates it private (0700).

    Raises
    ------
    CoopmapError
        Naming the folder and how to fix it.
    """
    import stat

    from graph.core.errors import CoopmapError

    try:
        st = os.stat(root)
    except FileNotFoundError:
        return root
    except OSError as e:
        raise CoopmapError(f"Cannot use the cache folder {root}: {e.strerror}. Set COOPMAP_CACHE to a folder "
                           "you own.") from None
    if not stat.S_ISDIR(st.st_mode):
        raise CoopmapError(f"The cache folder {root} is not a folder. Set COOPMAP_CACHE to a folder you own.")
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        raise CoopmapError(f"The cache folder {root} belongs to another user, who could plant files that coopmap "
                           "loads. Set COOPMAP_CACHE to a folder you own.")
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise CoopmapError(f"Other users can write to the cache folder {root} (mode {stat.S_IMODE(st.st_mode):o}), "
                           f"and could plant files that coopmap loads. Run `chmod go-w {root}`, or set COOPMAP_CACHE "
                           "to a private folder.")
    return root
