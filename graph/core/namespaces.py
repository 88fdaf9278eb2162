"""Every vocabulary coopmap uses, as rdflib namespaces that fail on a typo.

``COOP`` is the project's ontology (``ontology/coopmap.ttl``); the scheme classes are its SKOS concept
schemes (``ontology/schemes.ttl``); ``ELI`` is the EU's European Legislation Identifier ontology, for the
terms coopmap uses. A test checks that every term here is declared in the ontology files and vice versa.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD, DefinedNamespace

__all__ = ["COOP", "ELI", "ID", "GRAPHS", "PREFIXES", "DCTERMS", "ORG", "OWL", "PROV", "RDF", "RDFS",
           "SDO", "SKOS", "TIME", "XSD", 'KIND', 'LEVEL', 'MANDATE', 'CRIME', 'LK', 'PHASE', 'COND', 'AVAIL', 'ITYPE', 'ROLE', 'TLP', 'MEASURE', 'STATUS', 'ATYPE']



class COOP(DefinedNamespace):
    """The coopmap ontology (``ontology/coopmap.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/coopmap/def#")
    _extras = ['from']

    Activity: URIRef
    Actor: URIRef
    Availability: URIRef
    Citation: URIRef
    Figure: URIRef
    Link: URIRef
    SourceDocument: URIRef
    about: URIRef
    breakdownBy: URIRef
    breakdownOf: URIRef
    effectiveAvailability: URIRef
    figureType: URIRef
    year: URIRef
    actorKind: URIRef
    appliesWhen: URIRef
    assists: URIRef
    availability: URIRef
    citation: URIRef
    condition: URIRef
    cooperatesWith: URIRef
    coordinates: URIRef
    country: URIRef
    crimeArea: URIRef
    directProperty: URIRef
    establishes: URIRef
    evaluates: URIRef
    exchangesInformationVia: URIRef
    exchangesInformationWith: URIRef
    fileName: URIRef
    funds: URIRef
    governs: URIRef
    hours: URIRef
    implements: URIRef
    independentOf: URIRef
    instrumentType: URIRef
    inverseLabel: URIRef
    lastVerified: URIRef
    legalBasis: URIRef
    level: URIRef
    linkKind: URIRef
    linkedTo: URIRef
    locator: URIRef
    mandate: URIRef
    measure: URIRef
    notifies: URIRef
    partnersWith: URIRef
    party: URIRef
    phase: URIRef
    placesVictimsWith: URIRef
    quote: URIRef
    rank: URIRef
    recognises: URIRef
    recommendsTo: URIRef
    referral: URIRef
    refersVictimsTo: URIRef
    reportedBy: URIRef
    reportsIrregularStayTo: URIRef
    representsAbroad: URIRef
    requestsMutualLegalAssistanceFrom: URIRef
    signpostsTo: URIRef
    statedOn: URIRef
    status: URIRef
    supervises: URIRef
    synthetic: URIRef
    symmetric: URIRef
    to: URIRef
    trains: URIRef
    transmitsReportsTo: URIRef
    vagueness: URIRef
    # issue 13: placeholder actors and the needs a referral step serves
    Placeholder: URIRef
    serves: URIRef
    standsFor: URIRef


class ELI(DefinedNamespace):
    """Terms of the ELI ontology (http://data.europa.eu/eli/ontology#) that coopmap data may use."""

    _fail = True
    _NS = Namespace("http://data.europa.eu/eli/ontology#")

    LegalResource: URIRef
    LegalResourceSubdivision: URIRef
    LegalExpression: URIRef
    Format: URIRef
    title: URIRef
    title_short: URIRef
    title_alternative: URIRef
    date_document: URIRef
    date_publication: URIRef
    date_applicability: URIRef
    first_date_entry_in_force: URIRef
    date_no_longer_in_force: URIRef
    passed_by: URIRef
    is_part_of: URIRef
    has_part: URIRef
    type_document: URIRef
    id_local: URIRef
    is_about: URIRef
    in_force: URIRef
    changes: URIRef
    changed_by: URIRef
    amends: URIRef
    amended_by: URIRef
    based_on: URIRef
    basis_for: URIRef
    cites: URIRef
    cited_by: URIRef
    transposes: URIRef
    transposed_by: URIRef
    applies: URIRef
    applied_by: URIRef
    related_to: URIRef
    implements: URIRef
    implemented_by: URIRef
    ensures_implementation_of: URIRef
    description: URIRef
    version: URIRef
    publisher: URIRef
    responsibility_of: URIRef
    language: URIRef
    realizes: URIRef
    is_realized_by: URIRef
    consolidates: URIRef
    consolidated_by: URIRef
    repeals: URIRef
    repealed_by: URIRef
    corrects: URIRef
    corrected_by: URIRef
    number: URIRef
    jurisdiction: URIRef
    is_member_of: URIRef
    has_member: URIRef


class KIND(DefinedNamespace):
    """Concepts of the 'actor-kind' scheme (``ontology/schemes.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/coopmap/scheme/actor-kind/")
    _extras = ['agency-unit', 'coordination-body', 'eu-agency', 'eu-institution', 'foreign-authority', 'funding-programme', 'human-rights-institution', 'intergovernmental-organisation', 'international-organisation', 'joint-centre', 'judicial-authority', 'monitoring-body', 'police-unit', 'private-sector', 'public-agency', 'research-body', 'support-service']

    directorate: URIRef
    facility: URIRef
    government: URIRef
    inspectorate: URIRef
    ministry: URIRef
    network: URIRef
    ngo: URIRef
    police: URIRef
    state: URIRef


class LEVEL(DefinedNamespace):
    """Concepts of the 'level' scheme (``ontology/schemes.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/coopmap/scheme/level/")

    eu: URIRef
    international: URIRef
    national: URIRef
    regional: URIRef


class MANDATE(DefinedNamespace):
    """Concepts of the 'mandate' scheme (``ontology/schemes.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/coopmap/scheme/mandate/")
    _extras = ['border-management', 'capacity-building', 'child-protection', 'foreign-relations', 'information-exchange', 'international-police-cooperation', 'judicial-cooperation', 'labour-inspection', 'policy-coordination', 'return', 'victim-identification', 'victim-support']

    detention: URIRef
    employment: URIRef
    funding: URIRef
    health: URIRef
    immigration: URIRef
    investigation: URIRef
    monitoring: URIRef
    prevention: URIRef
    prosecution: URIRef
    reception: URIRef
    research: URIRef
    training: URIRef


class CRIME(DefinedNamespace):
    """Concepts of the 'crime-area' scheme (``ontology/schemes.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/coopmap/scheme/crime-area/")
    _extras = ['child-trafficking', 'criminal-exploitation', 'cross-border-crime', 'document-fraud', 'irregular-migration', 'labour-exploitation', 'migrant-smuggling', 'money-laundering', 'sexual-exploitation']

    thb: URIRef


class LK(DefinedNamespace):
    """Concepts of the 'link-kind' scheme (``ontology/schemes.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/coopmap/scheme/link-kind/")
    _extras = ['cooperates-with', 'exchanges-information-via', 'exchanges-information-with', 'partners-with', 'places-victims-with', 'refers-victims-to', 'reports-irregular-stay-to', 'requests-mutual-legal-assistance-from', 'signposts-to', 'transmits-reports-to',
               'unit-of', 'institution-of', 'member-of', 'party-to']

    assists: URIRef
    coordinates: URIRef
    evaluates: URIRef
    funds: URIRef
    implements: URIRef
    notifies: URIRef
    recognises: URIRef
    recommends: URIRef
    represents: URIRef
    supervises: URIRef
    trains: URIRef


class PHASE(DefinedNamespace):
    """Concepts of the 'phase' scheme (``ontology/schemes.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/coopmap/scheme/phase/")
    _extras = ['first-assistance', 'long-term-assistance', 'return']

    identification: URIRef
    prevention: URIRef
    proceedings: URIRef


class COND(DefinedNamespace):
    """Concepts of the 'case-condition' scheme (``ontology/schemes.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/coopmap/scheme/case-condition/")
    _extras = ['applicant-international-protection', 'criminal-exploitation', 'does-not-cooperate', 'eu-national', 'exploited-in-another-country', 'irregular-stay', 'labour-exploitation', 'needs-protection-abroad', 'sexual-exploitation', 'third-country-national']

    adult: URIRef
    child: URIRef
    cooperates: URIRef


class AVAIL(DefinedNamespace):
    """Concepts of the 'availability' scheme (``ontology/schemes.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/coopmap/scheme/availability/")
    _extras = ['24-7', 'office-hours']

    unspecified: URIRef


class ITYPE(DefinedNamespace):
    """Concepts of the 'instrument-type' scheme (``ontology/schemes.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/coopmap/scheme/instrument-type/")
    _extras = ['action-plan', 'council-decision', 'referral-mechanism']

    agreement: URIRef
    catalogue: URIRef
    code: URIRef
    convention: URIRef
    declaration: URIRef
    directive: URIRef
    goal: URIRef
    guidelines: URIRef
    law: URIRef
    protocol: URIRef
    regulation: URIRef
    resolution: URIRef


class ROLE(DefinedNamespace):
    """Concepts of the 'role' scheme (``ontology/schemes.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/coopmap/scheme/role/")
    _extras = ['national-coordinator', 'national-rapporteur']

    chair: URIRef
    member: URIRef
    participant: URIRef
    presidency: URIRef


class TLP(DefinedNamespace):
    """Concepts of the 'tlp' scheme (``ontology/schemes.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/coopmap/scheme/tlp/")
    _extras = ['amber-strict']

    amber: URIRef
    clear: URIRef
    green: URIRef
    red: URIRef


class MEASURE(DefinedNamespace):
    """Concepts of the 'measure' scheme (``ontology/schemes.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/coopmap/scheme/measure/")
    _extras = ['inspection-reports', 'member-countries', 'participating-countries', 'people-trained', 'potential-victims', 'victims-detected', 'victims-recruited-online']

    budget: URIRef
    convictions: URIRef
    investigations: URIRef
    prosecutions: URIRef
    sentences: URIRef
    staff: URIRef


class STATUS(DefinedNamespace):
    """Concepts of the 'status' scheme (``ontology/schemes.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/coopmap/scheme/status/")
    _extras = ['in-force']

    ended: URIRef
    planned: URIRef


class ATYPE(DefinedNamespace):
    """Concepts of the 'activity-type' scheme (``ontology/schemes.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/coopmap/scheme/activity-type/")

    campaign: URIRef
    operation: URIRef
    project: URIRef
    publication: URIRef
    system: URIRef
    training: URIRef
    workshop: URIRef



ID = Namespace("https://w3id.org/coopmap/id/")

from graph.core.prefixes import GRAPH_IRIS, PREFIXES  # noqa: E402  (plain strings, importable without rdflib)

#: Named graphs of the compiled dataset, as rdflib IRIs.
GRAPHS = {k: URIRef(v) for k, v in GRAPH_IRIS.items()}
