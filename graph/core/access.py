"""Access policy: the TLP 2.0 audiences and the rule that decides what an audience may see.

A fact is shown to an audience only if the fact and every resource it names are at or below the
audience's level (an edge takes the strictest label of its ends). This module is the bottom of the
library: everything that reads facts asks it, nothing here reads facts.
"""

from __future__ import annotations

from graph.core.errors import CoopmapError

__all__ = ["AUDIENCES", "check_audience", "rank", "visible", "above_audience", "visible_filter", "names_filter", "strictest", "tlp_mark", "ENDS",
           "hidden_query"]

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


def above_audience(var: str, audience: str = "clear") -> str:
    """A SPARQL pattern matching ``?var`` when its sensitivity label is above ``audience``."""
    level = AUDIENCES.index(check_audience(audience))
    return f"?{var} dcterms:accessRights ?_tlp_{var} . ?_tlp_{var} coop:rank ?_rank_{var} FILTER(?_rank_{var} > {level})"


def visible_filter(var: str, audience: str = "clear") -> str:
    """A SPARQL filter that drops ``?var`` when its sensitivity label is above ``audience``."""
    return f"FILTER NOT EXISTS {{ {above_audience(var, audience)} }}"


#: The properties that name the ends of a relation: a link, membership or figure whose end is hidden is
#: hidden whole (the relation would otherwise say that the hidden actor exists and what it does).
ENDS = ("https://w3id.org/coopmap/def#from", "https://w3id.org/coopmap/def#to", "http://www.w3.org/ns/org#member",
        "http://www.w3.org/ns/org#organization", "https://w3id.org/coopmap/def#about",
        "https://w3id.org/coopmap/def#reportedBy")
#: What a resource owns: contact points and availability statements that only hidden resources point to
#: are hidden with them.
_OWNED = ("https://schema.org/contactPoint", "https://w3id.org/coopmap/def#availability")


def hidden_query(audience: str = "clear") -> str:
    """A SPARQL query (full IRIs, no prefixes) selecting ``?s``: every resource ``audience`` may not see.

    That is a resource labelled above the audience; a relation (link, membership, figure) one of whose
    ends (:data:`ENDS`) is such a resource; and a contact point or availability statement that only such
    resources point to. An export drops these with every triple they are the subject or object of, so a
    visible fact that merely *names* a hidden resource (a legal basis, an agreement's party) loses that
    one triple. Run it with the default graph as the union of the named graphs.

    >>> "org#member" in hidden_query("amber")
    True
    """
    level = AUDIENCES.index(check_audience(audience))
    above = ("<http://purl.org/dc/terms/accessRights>/<https://w3id.org/coopmap/def#rank> ?{r} "
             f"FILTER(?{{r}} > {level})")
    ends = "|".join(f"<{p}>" for p in ENDS)
    owned = "|".join(f"<{p}>" for p in _OWNED)
    return f"""SELECT DISTINCT ?s WHERE {{
  {{ ?s {above.format(r="r1")} }}
  UNION {{ ?s {ends} ?o . ?o {above.format(r="r2")} }}
  UNION {{ ?o {owned} ?s . ?o {above.format(r="r3")}
           FILTER NOT EXISTS {{ ?v {owned} ?s FILTER NOT EXISTS {{ ?v {above.format(r="r4")} }} }} }}
}}"""


def names_filter(var: str, props, audience: str = "clear") -> str:
    """A SPARQL filter that drops ``?var`` when a resource it names through one of ``props`` (prefixed
    names, e.g. ``("coop:about", "coop:reportedBy")``) is labelled above ``audience``.

    >>> "coop:about|coop:reportedBy" in names_filter("f", ("coop:about", "coop:reportedBy"))
    True
    """
    level = AUDIENCES.index(check_audience(audience))
    return (f"FILTER NOT EXISTS {{ ?{var} {'|'.join(props)} ?_named_{var} . "
            f"?_named_{var} dcterms:accessRights ?_ntlp_{var} . ?_ntlp_{var} coop:rank ?_nrank_{var} "
            f"FILTER(?_nrank_{var} > {level}) }}")


def tlp_mark(level: str | None, audience: str = "clear") -> str:
    """The TLP 2.0 mark of a fact labelled ``level`` ("TLP:AMBER", "TLP:AMBER+STRICT"...), or '' for a
    TLP:CLEAR (or unlabelled) fact. Every fact stricter than TLP:CLEAR that an output shows is marked, as
    FIRST's TLP 2.0 asks of shared information; ``audience`` is checked but marks do not depend on it (a
    fact above the audience is never shown at all).

    Examples
    --------
    >>> tlp_mark("amber-strict", "red"), tlp_mark("green", "amber"), tlp_mark(None, "amber"), tlp_mark("clear")
    ('TLP:AMBER+STRICT', 'TLP:GREEN', '', '')
    """
    check_audience(audience)
    if not level or level == "clear":
        return ""
    return "TLP:" + level.upper().replace("-", "+")
