"""Progress lines on standard error, for a person at a terminal only."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager

__all__ = ["progress"]


@contextmanager
def progress(message: str, *, stream=None, min_seconds: float = 0.0):
    """Say on standard error what a slow step is doing, when standard error is a terminal.

    Prints ``message…`` when the block starts and ``message… done (1.2 s)`` when it ends. Nothing is
    printed when the stream is not a terminal (pipes, files, tests, the web server), so output that a
    program reads never changes. Exceptions pass through unchanged; the line then ends with ``failed``.

    Parameters
    ----------
    message : str
        What is being done, e.g. ``"Computing entailments"``.
    stream : file-like, optional
        Where to write; default ``sys.stderr`` (looked up at call time).
    min_seconds : float
        Print the closing line only when the step took at least this long (the opening line always
        shows, since the length is unknown beforehand).

    Examples
    --------
    >>> import io
    >>> with progress("Compiling the graph", stream=io.StringIO()):  # not a terminal: silent
    ...     pass
    """
    stream = sys.stderr if stream is None else stream
    try:
        shown = stream.isatty()
    except (AttributeError, ValueError):
        shown = False
    if not shown:
        yield
        return
    start = time.perf_counter()
    _write(stream, f"{message}…")
    try:
        yield
    except BaseException:
        _write(stream, " failed\n")
        raise
    took = time.perf_counter() - start
    _write(stream, f" done ({took:.1f} s)\n" if took >= min_seconds else " done\n")


def _write(stream, text: str) -> None:
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):  # a closed terminal must not turn progress into a crash
        pass
