"""The interface strings of coopmap in English, French and German: ``graph/core/i18n.json``, one file.

Python reads it here (map titles, tour captions, structural link labels, the web app's words) and the map
page receives the same file, so an interface word exists once, in all three languages.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["I18N_FILE", "I18N", "LANGS", "text"]

#: The one file of interface strings: sections ``ui``, ``titles``, ``tour``, ``chapters``, ``family_labels``,
#: ``structural_labels``, ``size_labels`` (the maps) and ``web`` (the web app), each in ``en``, ``fr`` and ``de``.
I18N_FILE = Path(__file__).resolve().parent / "i18n.json"
I18N = json.loads(I18N_FILE.read_text(encoding="utf-8"))
LANGS = ("en", "fr", "de")


def text(section: str, key: str, lang: str = "en") -> str:
    """The string ``key`` of ``section`` in ``lang``; English when the language is unknown, the key when the word is.

    >>> text("web", "nav_contact", "de")
    'Wen kontaktieren'
    >>> text("web", "no-such-word")
    'no-such-word'
    """
    table = I18N.get(section, {})
    words = table.get(lang if lang in LANGS else "en") or table.get("en", {})
    return words.get(key, table.get("en", {}).get(key, key))
