"""Prefixes and named-graph IRIs as plain strings, importable without rdflib (for fast start-up)."""

__all__ = ["PREFIXES", "GRAPH_IRIS"]

_ID = "https://w3id.org/coopmap/id/"
_SCHEME = "https://w3id.org/coopmap/scheme/"

#: Named graphs of the compiled dataset.
GRAPH_IRIS = {
    "ontology": "urn:coopmap:graph:ontology",
    "data": "urn:coopmap:graph:data",
    "derived": "urn:coopmap:graph:derived",
    "inferred": "urn:coopmap:graph:inferred",
}

#: Prefixes predeclared in queries and used in exports.
PREFIXES = {
    "coop": "https://w3id.org/coopmap/def#", "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#", "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#", "dcterms": "http://purl.org/dc/terms/", "schema": "https://schema.org/",
    "owl": "http://www.w3.org/2002/07/owl#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "time": "http://www.w3.org/2006/time#",
    "actor": _ID + "actor/", "link": _ID + "link/", "instr": _ID + "instrument/", "mship": _ID + "membership/",
    "act": _ID + "activity/", "fig": _ID + "figure/", "contact": _ID + "contact/", "avl": _ID + "availability/",
    "doc": _ID + "document/",
    "kind": _SCHEME + "actor-kind/", "level": _SCHEME + "level/", "mandate": _SCHEME + "mandate/",
    "crime": _SCHEME + "crime-area/", "lk": _SCHEME + "link-kind/", "phase": _SCHEME + "phase/",
    "cond": _SCHEME + "case-condition/", "avail": _SCHEME + "availability/", "itype": _SCHEME + "instrument-type/",
    "role": _SCHEME + "role/", "tlp": _SCHEME + "tlp/", "measure": _SCHEME + "measure/", "status": _SCHEME + "status/",
    "atype": _SCHEME + "activity-type/",
}
