"""Writing files whole or not at all: the one atomic write of the library."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from graph.core.errors import CoopmapError

__all__ = ["atomic_write", "atomic_writer"]


@contextmanager
def atomic_writer(path, mode: str = "w", encoding: str | None = "utf-8"):
    """Open a temporary file beside ``path``; on success it replaces ``path`` in one rename.

    A crash, an exception or a full disk leaves ``path`` as it was and no temporary file behind. An
    existing file keeps its permission bits. Errors of the file system become :class:`CoopmapError`
    naming the file and what to do.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise CoopmapError(f"Cannot write {path}: the folder {path.parent} does not exist. Create it or choose "
                           "another output path.")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as e:
        raise CoopmapError(f"Cannot write {path}: {e.strerror}. Choose a folder you can write to.") from None
    try:
        try:
            mode_bits = path.stat().st_mode & 0o7777
        except OSError:
            mode_bits = 0o666 & ~_umask()
        os.chmod(tmp, mode_bits)
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise CoopmapError(f"Cannot write {path}: {e.strerror or e}. Free some space or choose another "
                               "output path.") from None
        raise


def atomic_write(path, data) -> Path:
    """Write ``data`` (``str`` or ``bytes``) to ``path`` atomically (see :func:`atomic_writer`).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> _ = atomic_write(p, "hello"); p.read_text()
    'hello'
    """
    with atomic_writer(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    return Path(path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
