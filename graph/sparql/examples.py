"""The catalogue of example queries: ``queries/*.rq``, each with a small header of comments.

Header format (one ``# key: value`` comment per line, before the query)::

    # title@en: Who chairs the Monitoring Committee?
    # title@fr: Qui préside le Comité de suivi ?
    # title@de: Wer hat den Vorsitz im Beobachtungsausschuss?
    # shape: rows(chair, chairName, basis)
    # note: One row per chair; the legal basis when the data states one.

``shape`` is ``rows(var, var, …)`` (a SELECT answer with exactly these columns, in this order; a
column written ``var[]`` holds a list joined with ``", "`` in no set order, as ``GROUP_CONCAT`` makes
it), ``boolean`` (ASK) or ``graph`` (CONSTRUCT / DESCRIBE). ``note`` is optional free text. The query itself
follows; it may use every predeclared prefix.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from graph.core.errors import DataError, NotFound

__all__ = ["Example", "QUERIES_DIR", "LANGS", "examples", "example", "parse_example"]

from graph.core.resources import resource_dir

QUERIES_DIR = resource_dir("queries")
LANGS = ("en", "fr", "de")

_HEADER = re.compile(r"^#\s*([\w@-]+)\s*:\s*(.*?)\s*$")
_SHAPE = re.compile(r"^(?:rows\(\s*(\w+(?:\[\])?(?:\s*,\s*\w+(?:\[\])?)*)\s*\)|boolean|graph)$")


@dataclass(frozen=True)
class Example:
    """One catalogue query: ``name`` (the file's stem), titles by language, expected shape, text."""

    name: str
    path: Path
    titles: dict
    shape: str
    columns: tuple
    list_columns: frozenset
    note: str
    text: str

    def title(self, lang: str = "en") -> str:
        return self.titles.get(lang) or self.titles["en"]

    def as_dict(self):
        return {"name": self.name, **{f"title_{k}": self.titles[k] for k in LANGS},
                "shape": self.shape_text(), "note": self.note}

    def shape_text(self) -> str:
        if self.shape != "rows":
            return self.shape
        return f"rows({', '.join(c + '[]' if c in self.list_columns else c for c in self.columns)})"


def parse_example(path) -> Example:
    """Read one ``.rq`` file and its header.

    Raises
    ------
    DataError
        When a title (en, fr, de) or the shape is missing or malformed, naming the file and line.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    fields, lines = {}, {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if m:
            fields[m.group(1)] = m.group(2)
            lines[m.group(1)] = n
    for lang in LANGS:
        if not fields.get(f"title@{lang}"):
            raise DataError(f"the header has no title in {lang}", file=str(path), line=1,
                            hint=f"add a comment line '# title@{lang}: …' before the query")
    shape = fields.get("shape", "")
    m = _SHAPE.match(shape)
    if not m:
        raise DataError(f"the header's shape '{shape}' is not rows(a, b, …), boolean or graph", file=str(path),
                        line=lines.get("shape", 1), hint="add or fix the line '# shape: rows(col1, col2)'")
    raw = [c.strip() for c in m.group(1).split(",")] if m.group(1) else []
    return Example(name=path.stem, path=path, titles={k: fields[f"title@{k}"] for k in LANGS},
                   shape="rows" if raw else shape, columns=tuple(c.removesuffix("[]") for c in raw),
                   list_columns=frozenset(c[:-2] for c in raw if c.endswith("[]")), note=fields.get("note", ""),
                   text=text)


def examples(directory=None) -> list[Example]:
    """Every example of the catalogue, sorted by name."""
    directory = Path(directory) if directory else QUERIES_DIR
    return [parse_example(p) for p in sorted(directory.glob("*.rq"))]


def example(name: str, directory=None) -> Example:
    """The example called ``name`` (a file stem; ``.rq`` may be given).

    Raises
    ------
    NotFound
        With the closest names.
    """
    directory = Path(directory) if directory else QUERIES_DIR
    stem = name[:-3] if name.endswith(".rq") else name
    path = directory / f"{stem}.rq"
    if not re.fullmatch(r"[\w-]+", stem) or not path.is_file():
        names = [p.stem for p in sorted(directory.glob("*.rq"))]
        close = difflib.get_close_matches(stem, names, n=3, cutoff=0.4)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise NotFound(f"No example query '{name}'.{hint} 'coopmap queries' lists them all.")
    return parse_example(path)
