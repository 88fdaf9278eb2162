"""The endpoint's SPARQL 1.1 Service Description and VoID description (Turtle)."""

from __future__ import annotations

__all__ = ["service_description"]


def service_description(base: str, stats: dict) -> str:
    """Turtle describing the endpoint at ``base``/sparql and the dataset behind it.

    >>> "sd:Service" in service_description("http://127.0.0.1:8000", {"actors": 3, "links": 4, "audience": "clear"})
    True
    """
    from graph.core.prefixes import GRAPH_IRIS

    graphs = "\n".join(f"""        sd:namedGraph [ sd:name <{iri}> ] ;""" for iri in GRAPH_IRIS.values())
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<{base}/sparql> a sd:Service ;
    sd:endpoint <{base}/sparql> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>, <http://www.w3.org/ns/formats/SPARQL_Results_XML>,
        <http://www.w3.org/ns/formats/SPARQL_Results_CSV>, <http://www.w3.org/ns/formats/SPARQL_Results_TSV>,
        <http://www.w3.org/ns/formats/Turtle>, <http://www.w3.org/ns/formats/N-Triples>,
        <http://www.w3.org/ns/formats/JSON-LD>, <http://www.w3.org/ns/formats/RDF_XML> ;
    sd:feature sd:UnionDefaultGraph ;
    sd:defaultDataset [ a sd:Dataset ;
        sd:defaultGraph [ a sd:Graph ; dcterms:description "The union of the ontology, data, derived and inferred \
(RDFS/OWL-RL) graphs, without the facts above TLP:{stats['audience'].upper()}."@en ] ;
{graphs}
    ] .

<{base}/void> a void:Dataset ;
    dcterms:title "coopmap: cooperation against trafficking in human beings and migrant smuggling"@en ;
    dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;
    void:sparqlEndpoint <{base}/sparql> ;
    void:dataDump <{base}/export?format=nq> ;
    void:uriSpace "https://w3id.org/coopmap/id/" ;
    void:vocabulary <https://w3id.org/coopmap/def#>, <http://www.w3.org/ns/org#>, <http://www.w3.org/2004/02/skos/core#> ;
    void:entities "{stats['actors']}"^^xsd:integer ;
    void:classPartition [ void:class <https://w3id.org/coopmap/def#Actor> ; void:entities "{stats['actors']}"^^xsd:integer ] .
"""
