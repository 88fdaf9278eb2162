"""Interface strings of the web app in English, French and German: the ``web`` section of the one
interface file, ``graph/core/i18n.json`` (names come from the data itself)."""

from __future__ import annotations

from graph.core.i18n import I18N, LANGS
from graph.core.i18n import text as _text

__all__ = ["LANGS", "UI", "text"]

#: ``{key: (en, fr, de)}``
UI = {key: tuple(I18N["web"][lang].get(key, value) for lang in LANGS) for key, value in I18N["web"]["en"].items()}


def text(key: str, lang: str = "en") -> str:
    """The interface string ``key`` in ``lang`` (English when unknown)."""
    return _text("web", key, lang)
