"""Access policy: the TLP 2.0 audiences and the rule that decides what an audience may see.

A fact is shown to an audience only if the fact and every resource it names are at or below the
audience's level (an edge takes the strictest label of its ends). This module is the bottom of the
library: everything that reads facts asks it, nothing here reads facts.
"""

from __future__ import annotations

from graph.core.errors import CoopmapError

__all__ = ["AUDIENCES", "check_audience", "rank", "visible", "visible_filter", "strictest"]

#: TLP levels, lowest first (their coop:rank in ontology/schemes.ttl).
AUDIENCES = ("clear", "green", "amber", "amber-strict", "red")


def check_audience(audience: str) -> str:
    """``audience`` itself, or :class:`CoopmapError` naming the valid ones.

    >>> check_audience("amber")
    'amber'
    """
    if audience not in AUDIENCES:
        raise CoopmapError(f"Unknown audience '{audience}'. Choose one of: {', '.join(AUDIENCES)}.")
    return audience


def rank(level: str | None) -> int:
    """The rank of a TLP notation (``None`` counts as ``clear``).

    >>> rank("amber-strict") > rank("amber") > rank(None)
    True
    """
    return AUDIENCES.index(level or "clear")


def strictest(*levels: str | None) -> str:
    """The strictest of several TLP notations.

    >>> strictest("clear", "amber", None)
    'amber'
    """
    return AUDIENCES[max((rank(lv) for lv in levels), default=0)]


def visible(level: str | None, audience: str) -> bool:
    """True when a resource labelled ``level`` may be shown to ``audience``.

    >>> visible("amber", "clear"), visible("green", "amber")
    (False, True)
    """
    return rank(level) <= rank(check_audience(audience))


def visible_filter(var: str, audience: str = "clear") -> str:
    """A SPARQL filter that drops ``?var`` when its sensitivity label is above ``audience``."""
    level = AUDIENCES.index(check_audience(audience))
    return (f"FILTER NOT EXISTS {{ ?{var} dcterms:accessRights ?_tlp_{var} . "
            f"?_tlp_{var} coop:rank ?_rank_{var} FILTER(?_rank_{var} > {level}) }}")
