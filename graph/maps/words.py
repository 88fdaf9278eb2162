"""The interface words of maps in English, French and German: ``graph/maps/i18n.json``, one file read by
Python (titles, tour captions, labels of structural links) and poured into every map page."""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["I18N_FILE", "I18N", "LANGS"]

#: The one file of interface strings (keys ``ui``, ``titles``, ``tour``, ``chapters``, ``family_labels``,
#: ``structural_labels``, ``size_labels``), each in ``en``, ``fr`` and ``de``.
I18N_FILE = Path(__file__).resolve().parent / "i18n.json"
I18N = json.loads(I18N_FILE.read_text(encoding="utf-8"))
LANGS = ("en", "fr", "de")
