"""Seeded synthetic graphs in the coopmap ontology, for benchmarks at sizes the real data never reaches.

:func:`generate` writes Turtle files that compile like ``data/`` does::

    from graph.kb.build import Project, build
    from graph.network.synthetic import generate
    out = generate(20000, seed=1, out_dir="/tmp/syn")
    project = Project(data_dir=out)
    build(project, validate=False)

or, from a shell, ``python -m graph.network.synthetic 20000 /tmp/syn --seed 1``.

The shape imitates the real network: states, and national institutions grouped by country (police
forces with units, prosecutors, inspectorates, support services, NGOs, ministries), a smaller EU and
international tier (agencies with units, networks, organisations), committees with members and a chair,
agreements between states, and cooperation links of every kind in the link-kind scheme (referral and
not, symmetric and not) that mostly stay within a country, with a few national contact points that reach
the EU and international channels. Some links carry case conditions (``coop:appliesWhen`` /
``coop:independentOf``), legal bases, validity dates, a planned status or an availability statement;
some actors have office-hours or 24/7 availability statements. Every fact cites
``doc:synthetic``, a document marked ``coop:synthetic true`` (it has no text, so quotes are not checked),
with a placeholder quote, and carries ``dcterms:accessRights`` (mostly ``tlp:clear``; a fact is never
labelled less strictly than the resources it names). The same ``(n_actors, seed)`` always gives byte-identical files.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from graph.core.access import strictest

__all__ = ["generate", "LINK_KINDS", "main"]

PREFIXES = """@prefix coop: <https://w3id.org/coopmap/def#> .
@prefix actor: <https://w3id.org/coopmap/id/actor/> .
@prefix link: <https://w3id.org/coopmap/id/link/> .
@prefix instr: <https://w3id.org/coopmap/id/instrument/> .
@prefix mship: <https://w3id.org/coopmap/id/membership/> .
@prefix avl: <https://w3id.org/coopmap/id/availability/> .
@prefix doc: <https://w3id.org/coopmap/id/document/> .
@prefix kind: <https://w3id.org/coopmap/scheme/actor-kind/> .
@prefix level: <https://w3id.org/coopmap/scheme/level/> .
@prefix mandate: <https://w3id.org/coopmap/scheme/mandate/> .
@prefix crime: <https://w3id.org/coopmap/scheme/crime-area/> .
@prefix lk: <https://w3id.org/coopmap/scheme/link-kind/> .
@prefix phase: <https://w3id.org/coopmap/scheme/phase/> .
@prefix cond: <https://w3id.org/coopmap/scheme/case-condition/> .
@prefix avail: <https://w3id.org/coopmap/scheme/availability/> .
@prefix status: <https://w3id.org/coopmap/scheme/status/> .
@prefix itype: <https://w3id.org/coopmap/scheme/instrument-type/> .
@prefix role: <https://w3id.org/coopmap/scheme/role/> .
@prefix tlp: <https://w3id.org/coopmap/scheme/tlp/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

"""

#: Every synthetic fact cites the one synthetic document, which states that it has no text
#: (``coop:synthetic true``): validation then skips its quotes instead of failing on them.
CITE = ('coop:citation [ a coop:Citation ; prov:entity doc:synthetic ; '
        'coop:locator "synthetic" ; coop:quote "synthetic placeholder quote" ]')

#: Link kinds and their relative frequency, as in ontology/schemes.ttl (referral kinds first).
LINK_KINDS = {"notifies": 8, "refers-victims-to": 5, "signposts-to": 2, "places-victims-with": 2,
              "reports-irregular-stay-to": 1, "transmits-reports-to": 3, "exchanges-information-with": 8,
              "exchanges-information-via": 3, "requests-mutual-legal-assistance-from": 1, "cooperates-with": 6,
              "coordinates": 2, "supervises": 1, "funds": 2, "implements": 1, "partners-with": 3, "evaluates": 1,
              "recommends": 1, "trains": 2, "assists": 1}

# national kinds: (kind, weight, mandates to draw from, phase)
_NATIONAL = [("police", 2, ["investigation", "victim-identification", "information-exchange"], "identification"),
             ("police-unit", 5, ["investigation", "victim-identification", "international-police-cooperation"], "identification"),
             ("judicial-authority", 3, ["prosecution", "judicial-cooperation"], "proceedings"),
             ("inspectorate", 2, ["labour-inspection", "victim-identification"], "identification"),
             ("support-service", 4, ["victim-support", "reception"], "first-assistance"),
             ("ngo", 5, ["victim-support", "prevention", "child-protection"], "long-term-assistance"),
             ("ministry", 3, ["policy-coordination", "funding", "immigration"], "prevention"),
             ("directorate", 3, ["immigration", "return", "employment"], "long-term-assistance"),
             ("public-agency", 3, ["reception", "health", "employment", "detention"], "first-assistance"),
             ("coordination-body", 1, ["policy-coordination", "monitoring"], "prevention")]
_EU = [("eu-agency", 3, ["international-police-cooperation", "information-exchange", "border-management"]),
       ("agency-unit", 3, ["information-exchange", "research", "training"]),
       ("eu-institution", 2, ["policy-coordination", "funding"]), ("network", 2, ["information-exchange", "prevention"]),
       ("funding-programme", 1, ["funding"])]
_INTL = [("international-organisation", 3, ["international-police-cooperation", "capacity-building", "return"]),
         ("intergovernmental-organisation", 2, ["policy-coordination", "monitoring"]),
         ("foreign-authority", 5, ["investigation", "judicial-cooperation", "victim-support"]),
         ("monitoring-body", 1, ["monitoring"]), ("network", 1, ["information-exchange"])]
_PHASES = ["identification", "first-assistance", "long-term-assistance", "return", "proceedings"]
_CRIMES = ["thb", "sexual-exploitation", "labour-exploitation", "criminal-exploitation", "child-trafficking",
           "migrant-smuggling", "document-fraud"]
_CONDS = ["child", "adult", "eu-national", "third-country-national", "sexual-exploitation", "labour-exploitation",
          "criminal-exploitation", "cooperates", "irregular-stay"]


def _access(rng, clear=0.94):
    x = rng.random()
    return "clear" if x < clear else ("green" if x < (1 + clear) / 2 else "amber")


def _year(rng):
    y = rng.randint(2010, 2026)
    x = rng.random()
    if x < 0.4:
        return f'"{y}"^^xsd:gYear'
    if x < 0.7:
        return f'"{y}-{rng.randint(1, 12):02d}"^^xsd:gYearMonth'
    return f'"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"^^xsd:date'


def _referral_steps():
    """The link kinds that are referral steps (their kind is not ``coop:referral false``), when the ontology
    has ``coop:serves`` (every such step then serves a need); else None (an ontology without it)."""
    import pyoxigraph as ox

    from graph.core.resources import resource_dir

    store = ox.Store()
    for path in sorted(resource_dir("ontology").glob("*.ttl")):
        if path.name != "shapes.ttl":
            store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    coop, lk = "https://w3id.org/coopmap/def#", "https://w3id.org/coopmap/scheme/link-kind/"
    if not store.query(f"ASK {{ <{coop}serves> ?p ?o }}"):
        return None
    context = {r["k"].value[len(lk):] for r in store.query(
        f"SELECT ?k WHERE {{ ?k <{coop}referral> false }}") if r["k"].value.startswith(lk)}
    return {k for k in LINK_KINDS if k not in context}


def _pick(rng, table):
    return rng.choices(table, weights=[t[1] for t in table])[0]


def _write(path: Path, chunks):
    from graph.core.files import atomic_writer

    with atomic_writer(path) as f:
        f.write(PREFIXES)
        for c in chunks:
            f.write(c)


def generate(n_actors: int, seed: int = 0, out_dir="synthetic") -> Path:
    """Write a synthetic coopmap data folder with ``n_actors`` actors and return its path.

    Parameters
    ----------
    n_actors : int
        Number of actors, 200 to 20,000 (states included). Links are about 3 per actor.
    seed : int
        Seed of the random generator: the same seed gives the same files.
    out_dir : str or Path
        Folder to write ``sources.ttl``, ``actors.ttl``, ``links.ttl``, ``memberships.ttl``,
        ``instruments.ttl`` and ``availability.ttl`` into (created if needed; those files are replaced).

    Returns
    -------
    pathlib.Path
        ``out_dir``, ready for ``graph.kb.build.Project(data_dir=out_dir)``.

    Raises
    ------
    ValueError
        When ``n_actors`` is outside 200..20,000.
    """
    if not 200 <= n_actors <= 20000:
        raise ValueError(f"n_actors must be between 200 and 20000, not {n_actors}")
    rng = random.Random(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    n_states = max(5, n_actors // 60)
    n_eu = max(10, n_actors // 12)
    n_intl = max(10, n_actors // 8)
    n_regional = max(4, n_actors // 40)
    n_national = n_actors - n_states - n_eu - n_intl - n_regional
    actors = []  # dicts: id, level, kind, mandates, country, parent

    def add(level, kind, mandates, country=None, phase=None):
        i = len(actors)
        a = {"id": f"syn-{i:05d}", "level": level, "kind": kind, "mandates": sorted(set(mandates)),
             "country": country, "parent": None, "phase": phase, "i": i}
        actors.append(a)
        return a

    states = [add("international" if s else "national", "state", ["foreign-relations"]) for s in range(n_states)]
    by_country = {s["id"]: [] for s in states}
    for _ in range(n_national):
        k, _w, pool, phase = _pick(rng, _NATIONAL)
        country = states[min(int(rng.paretovariate(1.2)) - 1, n_states - 1)]["id"]
        a = add("national", k, rng.sample(pool, rng.randint(1, min(2, len(pool)))), country, phase)
        by_country[country].append(a)
    regional = [add("regional", rng.choice(["joint-centre", "intergovernmental-organisation", "network"]),
                    ["international-police-cooperation", "information-exchange"][: rng.randint(1, 2)]) for _ in range(n_regional)]
    eu = [add("eu", k, rng.sample(pool, rng.randint(1, min(2, len(pool))))) for k, _w, pool in
          (_pick(rng, _EU) for _ in range(n_eu))]
    intl = [add("international", k, rng.sample(pool, rng.randint(1, min(2, len(pool))))) for k, _w, pool in
            (_pick(rng, _INTL) for _ in range(n_intl))]

    # units: police units under a police force of their country, agency units under an EU agency
    for members in by_country.values():
        forces = [a for a in members if a["kind"] == "police"]
        for a in members:
            if a["kind"] == "police-unit" and forces:
                a["parent"] = rng.choice(forces)["id"]
            elif a["kind"] == "directorate":
                ministries = [m for m in members if m["kind"] == "ministry"]
                if ministries:
                    a["parent"] = rng.choice(ministries)["id"]
    agencies = [a for a in eu if a["kind"] == "eu-agency"]
    for a in eu:
        if a["kind"] == "agency-unit" and agencies:
            a["parent"] = rng.choice(agencies)["id"]

    # sensitivity labels: a fact is labelled at least as strictly as every resource it names
    # (a unit as its parent, a link or membership as its ends), so the data validates without warnings
    by_id = {a["id"]: a for a in actors}
    for a in actors:
        a["access"] = "clear" if a["kind"] == "state" else _access(rng, 0.99)
    for a in actors:
        if a["parent"]:
            a["access"] = strictest(a["access"], by_id[a["parent"]]["access"])

    def actor_ttl(a):
        n = a["i"]
        label = f"Synthetic {a['kind'].replace('-', ' ')} {n}"
        lines = [f"actor:{a['id']} a coop:Actor ;",
                 f'    skos:prefLabel "{label}"@en , "{label} (fr)"@fr , "{label} (de)"@de ;',
                 f'    skos:altLabel "S{n}" ;',
                 f"    coop:actorKind kind:{a['kind']} ; coop:level level:{a['level']} ;"]
        if a["mandates"]:
            lines.append("    coop:mandate " + " , ".join(f"mandate:{m}" for m in a["mandates"]) + " ;")
        lines.append(f"    coop:crimeArea crime:{rng.choice(_CRIMES)} ;")
        if a["phase"]:
            lines.append(f"    coop:phase phase:{a['phase']} ;")
        if a["country"]:
            lines.append(f"    coop:country actor:{a['country']} ;")
        if a["parent"]:
            lines.append(f"    org:unitOf actor:{a['parent']} ;")
        if rng.random() < 0.03:
            lines.append(f"    schema:startDate {_year(rng)} ;")
        lines.append(f"    {CITE} ;\n    dcterms:accessRights tlp:{a['access']} .\n\n")
        return "\n".join(lines)

    _write(out / "actors.ttl", (actor_ttl(a) for a in actors))

    # contact points that reach the EU / international tier: a few per country
    channels = [a for a in regional + eu + intl if "international-police-cooperation" in a["mandates"]
                or "information-exchange" in a["mandates"]] or eu
    others = regional + eu + intl
    kinds, weights = list(LINK_KINDS), list(LINK_KINDS.values())
    links = []

    def new_link(u, v, kind=None):
        if u["id"] != v["id"]:
            links.append((u, v, kind or rng.choices(kinds, weights)[0]))

    n_links = 3 * n_actors
    national = [a for a in actors if a["level"] == "national" and a["kind"] != "state"]
    hubs = {}
    for country, members in by_country.items():
        if members:
            hubs[country] = rng.sample(members, min(len(members), max(1, len(members) // 25)))
            for h in hubs[country]:
                new_link(h, rng.choice(channels), "exchanges-information-via")
                new_link(h, rng.choice(channels), "exchanges-information-with")
    while len(links) < n_links:
        x = rng.random()
        if x < 0.75 and national:
            u = rng.choice(national)
            members = by_country[u["country"]]
            # preferential attachment within the country: earlier members are hubs
            v = members[min(int(rng.expovariate(1 / max(1, len(members) / 8))), len(members) - 1)]
            new_link(u, v)
        elif x < 0.9:
            new_link(rng.choice(others), rng.choice(others))
        elif national:
            u = rng.choice(national)
            new_link(u, rng.choice(hubs.get(u["country"]) or national))

    instruments = [f"syn-law-{i:04d}" for i in range(max(5, n_actors // 100))]

    steps = _referral_steps()

    def link_ttl(j, u, v, kind):
        lines = [f"link:syn-{j:06d} a coop:Link ;", f"    coop:linkKind lk:{kind} ;",
                 f"    coop:from actor:{u['id']} ; coop:to actor:{v['id']} ;"]
        if steps is not None and kind in steps:  # a referral step serves a need: one the receiver holds
            lines.append(f"    coop:serves mandate:{rng.choice(v['mandates'] or ['information-exchange'])} ;")
        if rng.random() < 0.15:
            c = rng.choice(_CONDS)
            lines.append(f"    coop:appliesWhen cond:{c} ;")
            lines.append(f'    coop:condition "Synthetic condition: applies when {c}"@en ;')
        optional = [  # (share of links, the triple)
            (0.05, lambda: "coop:independentOf cond:cooperates"),
            (0.6, lambda: f"coop:phase phase:{rng.choice(_PHASES)}"),
            (0.3, lambda: f"coop:legalBasis instr:{rng.choice(instruments)}"),
            (0.08, lambda: f"coop:availability avail:{rng.choice(['office-hours', 'office-hours', '24-7'])}"),
            (0.03, lambda: "coop:status status:planned"),
            (0.08, lambda: f"schema:startDate {_year(rng)}"),
            (0.02, lambda: f"schema:endDate {_year(rng)}"),
            (0.3, lambda: f'coop:statedOn "2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"^^xsd:date')]
        lines += [f"    {triple()} ;" for share, triple in optional if rng.random() < share]
        lines.append(f"    {CITE} ;\n    dcterms:accessRights tlp:{strictest(_access(rng), u['access'], v['access'])} .\n\n")
        return "\n".join(lines)

    _write(out / "links.ttl", (link_ttl(j, u, v, k) for j, (u, v, k) in enumerate(links)))

    def instrument_ttl(i, iri):
        lines = [f"instr:{iri} a eli:LegalResource ;", f'    eli:title "Synthetic instrument {i}"@en ;']
        if i % 3 == 0 and len(states) >= 2:
            parties = rng.sample(states, rng.randint(2, min(4, len(states))))
            lines.append("    coop:instrumentType itype:agreement ;")
            lines.append("    coop:party " + " , ".join(f"actor:{p['id']}" for p in parties) + " ;")
        else:
            lines.append("    coop:instrumentType itype:law ;")
        lines.append(f"    eli:date_document {_year(rng)} ;")
        lines.append(f"    {CITE} ;\n    dcterms:accessRights tlp:clear .\n\n")
        return "\n".join(lines)

    _write(out / "instruments.ttl", (instrument_ttl(i, iri) for i, iri in enumerate(instruments)))

    def membership_chunks():
        j = 0
        for a in actors:
            if a["kind"] not in ("coordination-body", "network"):
                continue
            pool = by_country.get(a["country"]) if a["country"] else others
            if not pool:
                continue
            members = rng.sample(pool, min(len(pool), rng.randint(3, 8)))
            for k, m in enumerate(members):
                if m["id"] == a["id"]:
                    continue
                role = "role:chair" if k == 0 else "role:member"
                yield (f"mship:syn-{j:06d} a org:Membership ; org:member actor:{m['id']} ; "
                       f"org:organization actor:{a['id']} ; org:role {role} ;\n    {CITE} ;\n"
                       f"    dcterms:accessRights tlp:{strictest(m['access'], a['access'])} .\n\n")
                j += 1

    _write(out / "memberships.ttl", membership_chunks())

    def availability_chunks():
        for a in actors:
            if a["kind"] not in ("support-service", "police-unit", "police", "ngo") or rng.random() > 0.4:
                continue
            hours = rng.choice(["office-hours", "office-hours", "24-7"])
            extra = ""
            if rng.random() < 0.3:
                extra = f"    schema:startDate {_year(rng)} ;\n"
            status = "status:planned" if rng.random() < 0.1 else "status:in-force"
            yield (f"avl:{a['id']}-{hours} a coop:Availability ; coop:hours avail:{hours} ; coop:status {status} ;\n"
                   f"{extra}    coop:statedOn \"2024-09-12\"^^xsd:date ;\n    {CITE} ;\n    dcterms:accessRights tlp:clear .\n"
                   f"actor:{a['id']} coop:availability avl:{a['id']}-{hours} .\n\n")

    _write(out / "availability.ttl", availability_chunks())
    _write(out / "sources.ttl", iter([
        "# Synthetic data: no source documents. The one document below says so (coop:synthetic true), and\n"
        "# `coopmap validate` then skips the placeholder quotes that cite it, with a warning.\n"
        "doc:synthetic a coop:SourceDocument ;\n"
        '    dcterms:identifier "synthetic" ;\n'
        '    dcterms:title "Synthetic benchmark data (generated by graph.network.synthetic; no source text)"@en ;\n'
        '    coop:fileName "synthetic (no file)" ;\n    coop:synthetic true ;\n    dcterms:accessRights tlp:clear .\n']))
    return out


def main(argv=None):
    """``python -m graph.network.synthetic N OUT_DIR [--seed S]``: write a synthetic data folder."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m graph.network.synthetic", description=main.__doc__)
    parser.add_argument("n_actors", type=int, help="number of actors, 200 to 20000")
    parser.add_argument("out_dir", help="folder to write the Turtle files into")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    try:
        out = generate(args.n_actors, args.seed, args.out_dir)
    except ValueError as e:
        parser.error(str(e))
    print(f"wrote {len(list(out.glob('*.ttl')))} Turtle files to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
