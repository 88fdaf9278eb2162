"""The figures and activities of an actor, read from the compiled graph, for ``show`` and the API.

Formatting for people is in :mod:`graph.render.facts`; these functions return plain rows.
"""

from __future__ import annotations

__all__ = ["figure_rows", "activity_rows", "enrich", "ACTIVITY_ROLES"]

#: How an actor takes part in an activity: predicate -> the word ``show`` prints.
ACTIVITY_ROLES = {"schema:organizer": "organised", "schema:attendee": "attended", "schema:funder": "funded",
                  "prov:wasAssociatedWith": "associated with"}


def figure_rows(store, iri: str, audience: str = "clear", lang: str = "en") -> list[dict]:
    """The figures about or reported by actor ``iri``: measure (notation and label), value, unit, period, type.

    Rows have ``f`` (IRI), ``measure``, ``measure_label``, ``value``, ``unit``, ``start``, ``end``,
    ``comment``, ``type`` (total, breakdown, change), ``breakdown_by`` and ``label`` (the figure's own).
    """
    from graph.core.access import visible_filter
    from graph.kb.store import select

    return select(store, f"""SELECT ?f ?measure ?measure_label ?value ?unit ?start ?end ?comment ?type ?breakdown_by ?label
        WHERE {{
        ?f a coop:Figure ; coop:measure ?m ; schema:value ?value . ?m skos:notation ?measure .
        {{ ?f coop:about ?actor }} UNION {{ ?f coop:reportedBy ?actor }} {visible_filter('f', audience)}
        OPTIONAL {{ ?m skos:prefLabel ?ml FILTER(lang(?ml) = "{lang}") }}
        OPTIONAL {{ ?m skos:prefLabel ?mle FILTER(lang(?mle) = "en") }}
        BIND(COALESCE(?ml, ?mle) AS ?measure_label)
        OPTIONAL {{ ?f schema:unitText ?unit }}
        OPTIONAL {{ ?f schema:startDate ?start }} OPTIONAL {{ ?f schema:endDate ?end }}
        OPTIONAL {{ ?f rdfs:comment ?comment FILTER(lang(?comment) = "en") }}
        OPTIONAL {{ ?f coop:figureType/skos:notation ?type }}
        OPTIONAL {{ ?f coop:breakdownBy ?breakdown_by }}
        OPTIONAL {{ ?f rdfs:label ?label FILTER(lang(?label) = "en") }}
        }} ORDER BY ?measure ?start ?f""", actor=iri)


def activity_rows(store, iri: str, audience: str = "clear", lang: str = "en") -> list[dict]:
    """The activities actor ``iri`` organised, attended, funded or was associated with, oldest first.

    Rows have ``a`` (IRI), ``role`` (a word of :data:`ACTIVITY_ROLES`), ``name``, ``type`` (activity-type
    notation), ``start``, ``end``.
    """
    from graph.core.access import visible_filter
    from graph.kb.store import select

    values = " ".join(f'({p} "{w}")' for p, w in ACTIVITY_ROLES.items())
    rows = select(store, f"""SELECT ?a ?role ?name ?type ?start ?end WHERE {{
        VALUES (?p ?role) {{ {values} }}
        ?a a coop:Activity ; ?p ?actor . {visible_filter('a', audience)}
        OPTIONAL {{ ?a schema:name ?n FILTER(lang(?n) = "{lang}") }}
        OPTIONAL {{ ?a schema:name ?ne FILTER(lang(?ne) = "en") }}
        OPTIONAL {{ ?a rdfs:label ?nl }}
        BIND(COALESCE(?n, ?ne, ?nl) AS ?name)
        OPTIONAL {{ ?a schema:additionalType/skos:notation ?type }}
        OPTIONAL {{ ?a schema:startDate ?start }} OPTIONAL {{ ?a schema:endDate ?end }}
        }}""", actor=iri)
    order = list(ACTIVITY_ROLES.values())
    seen, out = set(), []
    for r in sorted(rows, key=lambda r: (str(r["start"] or "9999"), order.index(r["role"]), r["a"])):
        if (r["a"], r["role"]) not in seen:
            seen.add((r["a"], r["role"]))
            out.append(r)
    return out


def enrich(store, record, iri, lang="en", audience="clear", sources_of=None):
    """Add to an actor record (``show``) what its figures and activities need to read right (issue 18).

    Each figure gains ``measure_label``, ``unit``, ``type`` (total, breakdown, change) and ``breakdown_by``;
    ``record["activities"]`` lists what the actor organised, attended, funded or was associated with
    (``role``, ``name``, ``type``, ``from``, ``to``, ``iri``, ``sources``). ``sources_of(store, iris,
    audience)`` gives the citations (:func:`graph.network.describe._sources`). Wording is
    :mod:`graph.render.facts`'s.
    """
    rows = {(r["measure"], r["value"], r["start"], r["end"], r["comment"]): r for r in figure_rows(store, iri, audience, lang)}
    for f in record.get("figures", []):
        r = rows.get((f.get("measure"), f.get("value"), f.get("from"), f.get("to"), f.get("reading")))
        if r:
            f.update(measure_label=r["measure_label"], unit=r["unit"], type=r["type"], breakdown_by=r["breakdown_by"])
    acts = activity_rows(store, iri, audience, lang)
    sources = sources_of(store, sorted({r["a"] for r in acts}), audience) if acts and sources_of else {}
    record["activities"] = [{"role": r["role"], "name": r["name"], "type": r["type"], "from": r["start"], "to": r["end"],
                             "iri": r["a"], "sources": sources.get(r["a"], [])} for r in acts]
    return record
