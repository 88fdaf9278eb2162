"""Source documents: where they are, and whether a quote is verbatim in them."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from graph.core.resources import sources_dir

__all__ = ["sources_dir", "normalise", "document_text", "find_quote"]

# Superscript digits and letters used as footnote markers (¹⁰⁷, ⁱⁱ), and the ^{iv} form.
_MARKERS = re.compile(r"\^\{[ivxlc]+\}|[\u00b9\u00b2\u00b3\u2070-\u209f\u1d62\u2071\u2c7c\u1d5b\u02e3\u2071ⁱ]+")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "})




def normalise(text: str) -> str:
    """Fold what a quote may ignore: footnote markers, ``*`` emphasis, HTML tags, quote styles, whitespace.

    Examples
    --------
    >>> normalise("the Monitoring Committee\u00b3,  which   *was* established")
    'the Monitoring Committee, which was established'
    """
    text = unicodedata.normalize("NFC", text)
    text = _MARKERS.sub("", text)
    text = re.sub(r"</?b>", "", text)
    text = text.replace("*", "").translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip()


@cache
def document_text(file_name: str, folder: str | None = None) -> str:
    """The normalised text of one source document."""
    path = Path(folder) if folder else sources_dir()
    return normalise((path / file_name).read_text(encoding="utf-8"))


def find_quote(quote: str, file_name: str, folder: str | None = None) -> bool:
    """True when ``quote`` is verbatim (after :func:`normalise`) in the document."""
    return normalise(quote) in document_text(file_name, folder)
