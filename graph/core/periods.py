"""Dates as periods: compare ``xsd:date``, ``xsd:gYearMonth`` and ``xsd:gYear`` values sensibly.

A source that says "since 2024" or "in March 2024" gives a period, not a day. Every date value is read
as the period it names (a day, a month or a year), and a fact is *in force during* a date when its
validity (from the first day of its start period to the last day of its end period) overlaps that date's
period. This errs on the side of "possibly in force": a fact that starts "in 2024" counts as in force on
2024-01-01, and a fact that ends "in 2023" still counts on 2023-12-31.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re

from graph.core.errors import CoopmapError

__all__ = ["period", "parse_as_of", "in_force", "today"]

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def period(value):
    """The first and last day of the period a date value names.

    Parameters
    ----------
    value : str or datetime.date
        ``"2024-03-29"`` (a day), ``"2024-03"`` (a month) or ``"2024"`` (a year); a time zone suffix
        (``Z``, ``+01:00``) is ignored.

    Returns
    -------
    tuple of datetime.date
        ``(first, last)``.

    Raises
    ------
    CoopmapError
        When ``value`` is not such a date.

    Examples
    --------
    >>> period("2024")
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    >>> period("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    >>> period("2024-03-29")
    (datetime.date(2024, 3, 29), datetime.date(2024, 3, 29))
    """
    if isinstance(value, _dt.date):
        return value, value
    text = re.sub(r"(Z|[+-]\d{2}:\d{2})$", "", str(value).strip())
    m = _DATE.match(text)
    try:
        if not m:
            raise ValueError
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        if d:
            day = _dt.date(y, int(mo), int(d))
            return day, day
        if mo:
            mo = int(mo)
            return _dt.date(y, mo, 1), _dt.date(y, mo, calendar.monthrange(y, mo)[1])
        return _dt.date(y, 1, 1), _dt.date(y, 12, 31)
    except ValueError:
        raise CoopmapError(f"'{value}' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2024-03-29).") from None


def today() -> str:
    """Today's date as ``YYYY-MM-DD``."""
    return _dt.date.today().isoformat()


def parse_as_of(value):
    """``value`` (``None`` meaning today) as a ``(first, last)`` period; see :func:`period`."""
    return period(value if value is not None else _dt.date.today())


def in_force(start, end, as_of) -> bool:
    """Whether a fact valid from ``start`` to ``end`` (date values or ``None``) overlaps ``as_of``.

    ``as_of`` is a date value or a ``(first, last)`` pair from :func:`parse_as_of`. A missing start
    means "since always", a missing end "still in force".

    Examples
    --------
    >>> in_force("2024-03", None, "2024-03-01")
    True
    >>> in_force("2024-03", None, "2024-02-29")
    False
    >>> in_force(None, "2023", "2023-12-31"), in_force(None, "2023", "2024-01-01")
    (True, False)
    >>> in_force("2024", None, "2023-06")
    False
    """
    lo, hi = as_of if isinstance(as_of, tuple) else period(as_of)
    if start is not None and period(start)[0] > hi:
        return False
    if end is not None and period(end)[1] < lo:
        return False
    return True
