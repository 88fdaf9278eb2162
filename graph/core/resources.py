"""Where coopmap's own files live: in a checkout, at the repository root; in a wheel, inside the package.

``ontology/``, ``data/`` and ``queries/`` stay at the repository root for curators; the wheel ships them
as ``graph/ontology``, ``graph/data`` and ``graph/queries`` (see ``pyproject.toml``). The source
documents are not shipped: ``$COOPMAP_SOURCES``, else ``../shared/sources`` beside a checkout.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

__all__ = ["package_dir", "checkout_root", "resource_dir", "sources_dir"]


def package_dir() -> Path:
    """The installed ``graph`` package folder."""
    return Path(__file__).resolve().parent.parent


@cache
def checkout_root() -> Path | None:
    """The repository root when running from a checkout (it holds ``pyproject.toml`` and ``data/``), else None."""
    root = package_dir().parent
    return root if (root / "pyproject.toml").is_file() and (root / "ontology").is_dir() else None


def resource_dir(name: str) -> Path:
    """The folder of ``ontology``, ``data`` or ``queries``: the checkout's, else the one inside the package.

    >>> resource_dir("ontology").joinpath("coopmap.ttl").is_file()
    True
    """
    if name not in ("ontology", "data", "queries"):
        raise ValueError(f"not a coopmap resource folder: {name!r}")
    inside = package_dir() / name
    if inside.is_dir():
        return inside
    root = checkout_root()
    return (root / name) if root else inside


def sources_dir() -> Path:
    """The folder with the plain-text source documents: ``$COOPMAP_SOURCES``, else ``../shared/sources``."""
    env = os.environ.get("COOPMAP_SOURCES")
    if env:
        return Path(env)
    root = checkout_root() or Path.cwd()
    return root.parent / "shared" / "sources"
