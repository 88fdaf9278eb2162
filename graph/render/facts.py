"""Figures, legal bases and activities worded for people.

"budget (EUR): EUR 108,874.50 (2019)", "Article 19, Directive 2011/36/EU", "organised: … (workshop, 2022)".
"""

from __future__ import annotations

import re

__all__ = ["format_number", "format_quantity", "format_period", "format_figure", "article_title", "format_activity",
           "figure_line", "activity_line"]

#: Units written before the number, as currencies are.
CURRENCIES = {"EUR", "USD", "GBP", "CHF"}


def format_number(value, decimals: int | None = None) -> str:
    """A number with thousands separators, never in exponent notation.

    ``decimals`` fixes the digits after the point; by default an integral value has none and another keeps
    its own (up to 2).

    >>> format_number(108874.5, 2), format_number(190), format_number(2.5), format_number(1234567)
    ('108,874.50', '190', '2.5', '1,234,567')
    """
    if isinstance(value, str):
        try:
            value = float(value) if re.search(r"[.eE]", value) else int(value)
        except ValueError:
            return value
    if decimals is None:
        if float(value).is_integer():
            return f"{int(value):,}"
        text = f"{value:.2f}".rstrip("0")
        decimals = len(text.split(".")[1])
    return f"{value:,.{decimals}f}"


def format_quantity(value, unit: str | None = None) -> str:
    """A value with its unit: currencies before, with cents ("EUR 108,874.50"); other units after ("5 persons").

    >>> format_quantity(108874.5, "EUR"), format_quantity(5, "persons"), format_quantity(20)
    ('EUR 108,874.50', '5 persons', '20')
    """
    if unit and unit.upper() in CURRENCIES:
        return f"{unit.upper()} {format_number(value, 2)}"
    return f"{format_number(value)} {unit}" if unit else format_number(value)


def format_period(start, end=None) -> str:
    """ "2019", "2013–2022" or "" .

    >>> format_period("2013", "2022"), format_period("2021", "2021"), format_period(None)
    ('2013–2022', '2021', '')
    """
    if not start:
        return ""
    return f"{start}–{end}" if end and str(end) != str(start) else str(start)


def format_figure(row) -> str:
    """A figure row (:func:`graph.kb.facts.figure_rows`) as one line: measure label, quantity, period, type.

    >>> format_figure({"measure_label": "budget (EUR)", "value": 108874.5, "unit": "EUR", "start": "2019", "end": "2019"})
    'budget (EUR): EUR 108,874.50 (2019)'
    >>> format_figure({"measure_label": "sentences", "value": 26, "unit": "persons (EU citizens)", "start": "2013",
    ...                "end": "2022", "type": "breakdown", "breakdown_by": "nationality of the persons"})
    'sentences: 26 persons (EU citizens) (2013–2022; part of a total, by nationality of the persons)'
    """
    text = f"{row.get('measure_label') or row.get('measure')}: {format_quantity(row['value'], row.get('unit'))}"
    notes = [format_period(row.get("start"), row.get("end"))]
    if row.get("type") == "breakdown":
        notes.append("part of a total" + (f", by {row['breakdown_by']}" if row.get("breakdown_by") else ""))
    elif row.get("type") == "change":
        notes.append("a change, not a total")
    notes = [n for n in notes if n]
    return text + (f" ({'; '.join(notes)})" if notes else "")


def article_title(title: str, act_title: str | None = None) -> str:
    """An article always with its act: "Article 19, Directive 2011/36/EU" (the act's short name).

    >>> article_title("Article 19", "Directive 2011/36/EU of 5 April 2011 on preventing and combating trafficking")
    'Article 19, Directive 2011/36/EU'
    """
    from graph.kb.derived import act_short_title

    if not act_title:
        return title
    short = act_short_title(act_title)
    return title if short in title else f"{title}, {short}"


def format_activity(row) -> str:
    """An activity row (:func:`graph.kb.facts.activity_rows`): role, name, type and period.

    >>> format_activity({"role": "organised", "name": "Benelux day of exchange", "type": "workshop", "start": "2022"})
    'organised: Benelux day of exchange (workshop, 2022)'
    """
    notes = [n for n in (row.get("type"), format_period(row.get("start"), row.get("end"))) if n]
    return f"{row['role']}: {row['name']}" + (f" ({', '.join(notes)})" if notes else "")


def figure_line(f) -> str:
    """A figure of an actor record (``show``; keys ``from``/``to``) as :func:`format_figure` words it."""
    if not f.get("measure_label"):
        period = format_period(f.get("from"), f.get("to"))
        return f"{f['measure']} = {format_number(f['value'])}" + (f" ({period})" if period else "")
    return format_figure({**f, "start": f.get("from"), "end": f.get("to")})


def activity_line(a) -> str:
    """An activity of an actor record (``show``; keys ``from``/``to``) as :func:`format_activity` words it."""
    return format_activity({**a, "start": a.get("from"), "end": a.get("to")})
