"""Generate the data dictionary (``docs/data-model.md``) from the ontology, the data and the query catalogue.

Every class and predicate used in ``data/`` (and every predicate the compiler derives) gets its meaning,
its range (declared, and as used), how often it is used, an example triple from the data and the
catalogue queries (``queries/*.rq``) that use it. Regenerate after changing the data or the ontology::

    python -m graph.kb.dictionary -o docs/data-model.md
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

__all__ = ["REUSED", "used_terms", "dictionary_rows", "render_markdown", "main"]

#: Meaning and range of the reused (non-coop) terms coopmap's data uses, as coopmap uses them.
REUSED = {
    # RDF, RDFS
    "rdf:type": ("The class of the resource.", "a class"),
    "rdfs:label": ("The resource's name in one pattern for every class: derived at compile time from the "
                   "specialised name predicate (skos:prefLabel, eli:title, schema:name, dcterms:title); "
                   "links and figures state it in the data.", "rdf:langString"),
    "rdfs:comment": ("A sentence saying what the resource is or does, for people.", "rdf:langString"),
    "rdfs:seeAlso": ("A public web page where the source document gives one.", "an IRI"),
    # SKOS
    "skos:prefLabel": ("The official name of an actor (or a concept), one per language (en, fr, de).", "rdf:langString"),
    "skos:altLabel": ("Another name or acronym an actor is known by.", "literal"),
    # ORG
    "org:member": ("The member of an org:Membership.", "coop:Actor"),
    "org:organization": ("The body an org:Membership is in.", "coop:Actor"),
    "org:role": ("The member's role (chair, member, observer, ...).", "a concept of the role scheme"),
    "org:unitOf": ("The organisation this unit is part of (W3C ORG; a sub-property of org:subOrganizationOf).", "coop:Actor"),
    "org:subOrganizationOf": ("The organisation this one is part of (W3C ORG; org:transitiveSubOrganizationOf follows).",
                              "coop:Actor"),
    "org:memberOf": ("Derived from org:Membership: the member is a member of the organisation.", "coop:Actor"),
    "org:hasMember": ("Derived from org:Membership: inverse of org:memberOf.", "coop:Actor"),
    # PROV
    "prov:entity": ("The source document a citation quotes.", "coop:SourceDocument"),
    "prov:wasAssociatedWith": ("The actor that produced a publication or activity.", "coop:Actor"),
    "prov:wasDerivedFrom": ("Derived: the document a fact cites (one per cited document).", "coop:SourceDocument"),
    # DCTERMS
    "dcterms:accessRights": ("The sensitivity label (TLP) of the fact; public outputs show tlp:clear only.",
                             "a concept of the tlp scheme"),
    "dcterms:title": ("The title of a source document.", "literal"),
    "dcterms:description": ("What a source document is (publisher, kind).", "literal"),
    "dcterms:identifier": ("The stable id of a source document (used in citations and answers).", "literal"),
    "dcterms:issued": ("When a source document was issued.", "xsd:gYear or xsd:gYearMonth"),
    "dcterms:isPartOf": ("The programme, strategy or instrument this activity is part of.", "coop:Activity or eli:LegalResource"),
    "dcterms:relation": ("A related activity or instrument.", "an IRI"),
    "dcterms:source": ("The publication a figure or statement was taken from, where an endnote names it.", "coop:Activity"),
    "dcterms:subject": ("What a figure or publication is about: an activity (a training, a campaign, a project) or an "
                        "instrument.",
                        "coop:Activity or eli:LegalResource"),
    # schema.org
    "schema:name": ("The name of an activity or contact point.", "rdf:langString"),
    "schema:alternateName": ("Another name of an activity.", "literal"),
    "schema:additionalType": ("The type of an activity (campaign, training, project, publication, ...).",
                              "a concept of the activity-type scheme"),
    "schema:organizer": ("An actor that organised the activity.", "coop:Actor"),
    "schema:attendee": ("An actor that took part in the activity.", "coop:Actor"),
    "schema:funder": ("An actor that funded the activity.", "coop:Actor"),
    "schema:location": ("Where the activity took place (text).", "literal"),
    "schema:superEvent": ("The larger event or programme this activity belongs to.", "coop:Activity"),
    "schema:duration": ("How long the activity lasted, as the source gives it.", "literal"),
    "schema:inLanguage": ("The language of a publication.", "literal"),
    "schema:url": ("A public web page the source gives for the resource.", "an IRI"),
    "schema:sameAs": ("The same resource elsewhere (an official page).", "an IRI"),
    "schema:startDate": ("When the fact (link, membership, activity, period of a figure or plan) begins.",
                         "xsd:date, xsd:gYearMonth or xsd:gYear"),
    "schema:endDate": ("When the fact ends.", "xsd:date, xsd:gYearMonth or xsd:gYear"),
    "schema:foundingDate": ("When an actor was founded.", "xsd:gYear or xsd:date"),
    "schema:value": ("The number a figure reports (never an average of others; see coop:figureType).",
                     "xsd:integer or xsd:decimal"),
    "schema:unitText": ("What one unit of schema:value is, where the measure does not say (EUR, persons, full-time posts).",
                        "literal"),
    "schema:contactPoint": ("A contact point of the actor.", "schema:ContactPoint"),
    "schema:contactType": ("What kind of channel a contact point is.", "rdf:langString"),
    "schema:address": ("A postal address, as the source gives it.", "literal"),
    "schema:email": ("An e-mail address, as the source gives it.", "literal"),
    "schema:telephone": ("A telephone number, as the source gives it.", "literal"),
    "schema:areaServed": ("The region a link or actor serves (a concept of the area scheme).", "a concept of the area scheme"),
    "schema:legislationIdentifier": ("The official identifier of an instrument (CELEX, ELI, resolution number).", "literal"),
    # ELI
    "eli:title": ("The title of an instrument or article (an article's rdfs:label adds its act).", "rdf:langString"),
    "eli:title_alternative": ("A short or common name of an instrument.", "rdf:langString"),
    "eli:date_document": ("THE date of an instrument (adoption or signature, as the source gives it), at the precision "
                          "the source gives: xsd:date, xsd:gYearMonth or xsd:gYear. coop:year gives its year as one integer.",
                          "xsd:date, xsd:gYearMonth or xsd:gYear"),
    "eli:date_publication": ("When an instrument was published in an official journal.", "xsd:date"),
    "eli:passed_by": ("The actor that adopted or issued the instrument.", "coop:Actor"),
    "eli:is_part_of": ("The act an article (eli:LegalResourceSubdivision) belongs to.", "eli:LegalResource"),
    "eli:has_part": ("An article of this act (inverse of eli:is_part_of).", "eli:LegalResourceSubdivision"),
    "eli:related_to": ("Another instrument this one refers to.", "eli:LegalResource"),
    "eli:changes": ("An instrument this one amends.", "eli:LegalResource"),
    "eli:applies": ("An instrument this one implements.", "eli:LegalResource"),
}

#: Meaning of the reused classes.
REUSED_CLASSES = {
    "org:FormalOrganization": "An organisation recognised in the world at large (W3C ORG); also a coop:Actor.",
    "org:OrganizationalUnit": "A unit of an organisation (W3C ORG); also a coop:Actor.",
    "org:Membership": "An n-ary membership: org:member, org:organization, org:role, dates, citation.",
    "eli:LegalResource": "An instrument: law, regulation, directive, agreement, convention, plan, guideline, goal.",
    "eli:LegalResourceSubdivision": "An article or objective of an instrument; a legal resource too (ELI axiom in the ontology).",
    "schema:ContactPoint": "A contact point of an actor (address, e-mail, web page) as the source gives it.",
}

_PREFIX_ORDER = ("coop", "rdf", "rdfs", "skos", "org", "eli", "prov", "dcterms", "schema")


def _curie(iri, prefixes=None):
    if prefixes is None or "citation" not in prefixes:
        from graph.kb.export import _prefixes

        prefixes = {**_prefixes(), **(prefixes or {})}
    best = max((n for n, ns in prefixes.items() if iri.startswith(ns)), key=lambda n: len(prefixes[n]), default=None)
    return f"{best}:{iri[len(prefixes[best]):]}" if best else f"<{iri}>"


def used_terms(store):
    """``(predicates, classes)`` used in the data graph, as CURIEs, each ``{curie: count}``; plus derived predicates."""
    from graph.core.prefixes import GRAPH_IRIS, PREFIXES
    from graph.kb.store import select

    preds = {_curie(r["p"], PREFIXES): r["n"] for r in select(store, f"""SELECT ?p (COUNT(*) AS ?n) WHERE {{
        GRAPH <{GRAPH_IRIS['data']}> {{ ?s ?p ?o }} }} GROUP BY ?p""")}
    classes = {_curie(r["t"], PREFIXES): r["n"] for r in select(store, f"""SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE {{
        GRAPH <{GRAPH_IRIS['data']}> {{ ?s a ?t }} }} GROUP BY ?t""")}
    derived = {_curie(r["p"], PREFIXES): r["n"] for r in select(store, f"""SELECT ?p (COUNT(*) AS ?n) WHERE {{
        GRAPH <{GRAPH_IRIS['derived']}> {{ ?s ?p ?o }} }} GROUP BY ?p""")}
    return preds, classes, derived


def _query_index(queries_dir):
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(Path(queries_dir).glob("*.rq"))}

    def users(curie):
        pat = re.compile(r"(?<![\w:/#-])" + re.escape(curie) + r"(?![\w-])")
        return [name for name, text in texts.items() if pat.search(text)]

    return users


def _example(store, predicate_iri, graph):
    from graph.core.prefixes import PREFIXES

    res = store.query(f"""SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s <{predicate_iri}> ?o }}
        FILTER(!STRSTARTS(STR(?s), "https://w3id.org/coopmap/id/citation/") || STRSTARTS("{predicate_iri}", "https://w3id.org/coopmap/def#")
               || STRSTARTS("{predicate_iri}", "http://www.w3.org/ns/prov#entity")) }}
        ORDER BY STR(?s) STR(?o) LIMIT 1""")
    for sol in res:
        s, o = sol["s"], sol["o"]
        subj = _curie(s.value, PREFIXES)
        if type(o).__name__ == "Literal":
            text = o.value if len(o.value) <= 70 else o.value[:67] + "…"
            obj = '"' + text.replace('"', '\\"').replace("|", "\\|") + '"'
            if o.language:
                obj += "@" + o.language
            elif not o.datatype.value.endswith("#string"):
                obj += "^^" + _curie(o.datatype.value, PREFIXES)
        else:
            obj = _curie(o.value, PREFIXES)
        return f"{subj} {_curie(predicate_iri, PREFIXES)} {obj}"
    return ""


def _observed_range(store, predicate_iri, graph):
    from graph.core.prefixes import PREFIXES

    out = set()
    for sol in store.query(f"""SELECT DISTINCT ?k WHERE {{ GRAPH <{graph}> {{ ?s <{predicate_iri}> ?o }}
        OPTIONAL {{ ?o <http://www.w3.org/2004/02/skos/core#inScheme> ?scheme }}
        OPTIONAL {{ ?o a ?type FILTER(?type != <http://www.w3.org/2002/07/owl#NamedIndividual>) }}
        BIND(IF(isLiteral(?o), IF(lang(?o) != "", "rdf:langString", STR(DATATYPE(?o))),
             IF(BOUND(?scheme), CONCAT("scheme:", STR(?scheme)), IF(BOUND(?type), STR(?type), "IRI"))) AS ?k) }}""",
                           use_default_graph_as_union=True):
        k = sol["k"].value
        if k.startswith("scheme:"):
            out.add("concept of " + k[7:].replace("https://w3id.org/coopmap/scheme/", "") + " scheme")
        elif k.startswith("http"):
            out.add(_curie(k, PREFIXES))
        else:
            out.add(k)
    return ", ".join(sorted(out))


def dictionary_rows(store, queries_dir):
    """``(class rows, predicate rows)``: dicts with term, meaning, range, used, count, example, queries, derived."""
    from graph.core.prefixes import GRAPH_IRIS, PREFIXES
    from graph.kb.store import select

    preds, classes, derived = used_terms(store)
    users = _query_index(queries_dir)
    onto = {}
    for r in select(store, f"""SELECT ?t ?c ?r WHERE {{ GRAPH <{GRAPH_IRIS['ontology']}> {{
        ?t <http://www.w3.org/2000/01/rdf-schema#comment> ?c FILTER(lang(?c) = "en")
        OPTIONAL {{ ?t <http://www.w3.org/2000/01/rdf-schema#range> ?r }} }} }}"""):
        onto.setdefault(_curie(r["t"], PREFIXES), (r["c"], _curie(r["r"], PREFIXES) if r["r"] else ""))
    crows = []
    for c in sorted(classes, key=_order):
        meaning = onto.get(c, (REUSED_CLASSES.get(c, ""), ""))[0]
        crows.append({"term": c, "meaning": meaning, "count": classes[c], "queries": users(c)})
    prows = []
    for p in sorted(set(preds) | set(derived), key=_order):
        iri = PREFIXES[p.split(":")[0]] + p.split(":", 1)[1]
        in_data = p in preds
        graph = GRAPH_IRIS["data"] if in_data else GRAPH_IRIS["derived"]
        meaning, rng = onto.get(p, (None, ""))
        if meaning is None:
            meaning, rng = REUSED.get(p, ("", ""))
        if p.startswith("coop:") and not in_data and not meaning:
            meaning = "Derived direct triple of a link kind (see coop:directProperty): from -> to."
        prows.append({"term": p, "meaning": meaning, "range": rng, "used": _observed_range(store, iri, graph),
                      "count": preds.get(p, 0), "derived": derived.get(p, 0), "example": _example(store, iri, graph),
                      "queries": users(p)})
    return crows, prows


def _order(curie):
    head = curie.split(":")[0]
    return (_PREFIX_ORDER.index(head) if head in _PREFIX_ORDER else 99, curie.lower())


_INTRO = """# coopmap data model

A data dictionary of every class and predicate used in `data/` and of every predicate the compiler
derives. It is generated from the ontology (`ontology/*.ttl`), the data and the query catalogue
(`queries/*.rq`) by `python -m graph.kb.dictionary -o docs/data-model.md`;
`tests/test_data_model.py` fails when `data/` uses a predicate or class this page does not list.
Prefixes are those of `coopmap query --prefixes` (and of `docs/context.jsonld`).

## Rules that keep answers right

**One way to name things.** Every named resource has `rdfs:label` (en, and fr/de where a source gives
the name) besides its specialised name predicate: actors `skos:prefLabel`, instruments `eli:title`,
activities and contact points `schema:name`, documents `dcterms:title`; links and figures state
`rdfs:label` in the data. The compiler copies the specialised names to `rdfs:label` in the derived graph,
so `?s rdfs:label ?name` finds every name. An article's label carries its act ("Article 19, Directive
2011/36/EU"); a membership's and an availability statement's label are composed from what they join;
a citation's label is "document id, locator".

**Totals and breakdowns.** Every `coop:Figure` has one `coop:figureType`: `ftype:total`,
`ftype:breakdown` (one part of a total along `coop:breakdownBy`, with `coop:breakdownOf` the total where
the source states it) or `ftype:change` (an increase, not a stock). Add up totals only:

```sparql
SELECT ?year (SUM(?v) AS ?convictions) WHERE {
  ?f coop:measure measure:convictions ; coop:figureType ftype:total ; schema:value ?v ; schema:startDate ?year }
GROUP BY ?year
```

(`PREFIX ftype: <https://w3id.org/coopmap/scheme/figure-type/>`). 2022 gives 3, not 6. Where a source
gives only the parts (convictions 2019, 2020, 2023; the nationality of the persons in the CCDH analysis),
no total is stated and none is made up.

**Availability.** `coop:availability` always points at a `coop:Availability` statement (`coop:hours`,
`coop:status`, dates, sources). The rule the commands apply (a link's own statements override those of
the actor it goes to; planned or ended statements do not count; 24/7 wins) is materialised as
`coop:effectiveAvailability` on every link, so SPARQL and `coopmap gaps` agree:

```sparql
SELECT ?link WHERE { ?link coop:effectiveAvailability avail:office-hours ; coop:linkKind/coop:referral true .
  FILTER NOT EXISTS { ?link coop:status ?s FILTER(?s IN (status:planned, status:ended)) } }
```

**Dates.** `schema:startDate` / `schema:endDate` for when a fact holds (a plan's period included);
`coop:statedOn` for the date a source states it; an instrument's own date is `eli:date_document` only,
typed at the precision the source gives (`xsd:date`, `xsd:gYearMonth`, `xsd:gYear`: never a made-up day).
`coop:year` (derived, `xsd:integer`) gives every dated instrument, and every article of a dated act, one
comparable year.

**Identifiers.** Citations have stable IRIs, `citation:<fact path>/<hash>` (the hash of the fact, the
document, the locator and the quote), not blank nodes; exports of the same data are byte-identical.

**Inference.** The W3C ORG axioms (`org:unitOf` ⊑ `org:subOrganizationOf` ⊑
`org:transitiveSubOrganizationOf`, transitive; the inverses) and the ELI axiom that an article is a
legal resource are published in `ontology/coopmap.ttl`, so any RDFS/OWL reasoner reproduces coopmap's
inferences from the export alone.

**Licence.** The data and the ontology are published under CC BY 4.0
(https://creativecommons.org/licenses/by/4.0/); the export says so in its VoID/DCAT description. Cite the
dataset as `CITATION.cff` says, and the source documents the facts come from.
"""

#: The exports and the import, as the data model page lists them.
EXPORT_ROWS = [
    ("coopmap export --format ttl|nt|xml",
     "the whole graph (ontology, data, derived triples), named graphs merged, with a VoID/DCAT description of the "
     "dataset (`<https://w3id.org/coopmap/id/dataset>`: title, licence, publisher, version, `dcterms:source` per "
     "document, `void:triples`, class partitions). Byte-identical for the same data."),
    ("coopmap export --format trig|nq|jsonld",
     "the same with the named graphs kept (`urn:coopmap:graph:ontology`, `…:data`, `…:derived`); JSON-LD compacted "
     "with the project's `@context` (`docs/context.jsonld`)."),
    ("coopmap export --format graphml|gexf|json",
     "the network view (one node per actor, one edge per fact; a symmetric fact once, `direction` mutual) for Gephi, "
     "Cytoscape or d3 (networkx node-link JSON). GEXF carries the map's colours (by level) and sizes (by degree). "
     "`--as-of DATE` and `--audience` apply."),
    ("coopmap export --format csv -o FOLDER (or -o FILE.zip)",
     "`actors.csv` (Kumu elements: ID, Label, Type, …), `links.csv` (Kumu connections: ID, From, To, Type, Direction, "
     "…), `sources.csv` (ID, Document, Locator, Quote). Multiple values are separated by `|`; a cell starting with "
     "`= + - @` gets a leading `'`."),
    ("coopmap import actors.csv links.csv [--sources sources.csv] [--into FOLDER]",
     "the rows (the columns above plus Document, Locator and Quote) as `imported-actors.ttl` and `imported-links.ttl`, "
     "validated like hand-written data; a bad row is reported as `links.csv row 3: …` and nothing is written. Rows of "
     "origin `structure` and `agreement` are derived (Parent and Country columns, instruments), not imported. An "
     "export imported into an empty folder gives back an equal graph."),
    ("coopmap queries --show NAME", "the text of a catalogue query, to read or adapt."),
    ("coopmap query …", "warns on standard error about a `coop:` or concept-scheme term the ontology does not declare "
                        "(`coop:Actr`: did you mean `coop:Actor`?)."),
]



def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(crows, prows) -> str:
    out = [_INTRO, "## Exports and import\n", "| command | what you get |", "|---|---|"]
    out += [f"| `{_cell(c)}` | {_cell(d)} |" for c, d in EXPORT_ROWS]
    out += ["", "## Classes\n", "| class | meaning | resources | catalogue queries |", "|---|---|---|---|"]
    for r in crows:
        out.append(f"| `{r['term']}` | {_cell(r['meaning'])} | {r['count']} | {', '.join(r['queries'])} |")
    out += ["", "## Predicates\n",
            "Used: the count of triples in `data/` (and, after +, in the derived graph). Range: as declared "
            "(ontology or vocabulary); as used: what the objects in the data are.\n",
            "| predicate | meaning | range | as used | used | example from the data | catalogue queries |",
            "|---|---|---|---|---|---|---|"]
    for r in prows:
        used = str(r["count"]) + (f" + {r['derived']} derived" if r["derived"] else "") if r["count"] else \
            f"derived: {r['derived']}"
        out.append(f"| `{r['term']}` | {_cell(r['meaning'])} | {_cell(r['range'])} | {_cell(r['used'])} | {used} | "
                   f"`{_cell(r['example'])}` | {', '.join(r['queries'])} |")
    return "\n".join(out) + "\n"


def main(argv=None):
    import argparse

    from graph.core.resources import resource_dir
    from graph.kb.store import open_store

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", help="write here instead of standard output")
    args = ap.parse_args(argv)
    crows, prows = dictionary_rows(open_store(), resource_dir("queries"))
    text = render_markdown(crows, prows)
    if args.output:
        from graph.core.files import atomic_write

        atomic_write(Path(args.output), text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
