"""One exception hierarchy for coopmap; every message names the value that failed."""

__all__ = ["CoopmapError", "DataError", "ValidationError", "NotFound", "QueryError"]


class CoopmapError(Exception):
    """Base class: the CLI turns any of these into a clear message and a non-zero exit."""


class DataError(CoopmapError):
    """A data or ontology file cannot be read: names the file, the line and how to fix it."""

    def __init__(self, message, file=None, line=None, hint=None):
        self.file, self.line, self.hint = file, line, hint
        where = f"{file}:{line}: " if file and line else (f"{file}: " if file else "")
        text = where + message + (f"\n  how to fix: {hint}" if hint else "")
        super().__init__(text)


class ValidationError(CoopmapError):
    """The graph does not conform: carries the list of problems (see :mod:`graph.kb.validate`)."""

    def __init__(self, problems):
        self.problems = problems
        lines = [str(p) for p in problems]
        super().__init__(f"{len(problems)} problem(s) in the data:\n" + "\n".join(lines))


class NotFound(CoopmapError):
    """A name, actor or path that does not exist; the message suggests the closest ones."""


class QueryError(CoopmapError):
    """A SPARQL query that is refused, malformed, too slow or too large."""
