"""coopmap command line: a thin click layer over the :mod:`graph` library.

Heavy libraries load inside the commands that need them, so ``coopmap --help`` and cached answers
start fast.
"""

from __future__ import annotations

import sys

import click

FORMAT_CHOICES = ("table", "json", "csv")


class CoopmapGroup(click.Group):
    """Turns library errors into a clear message and exit code 1, never a traceback."""

    def invoke(self, ctx):
        from graph.core.errors import CoopmapError

        try:
            return super().invoke(ctx)
        except CoopmapError as e:
            raise click.ClickException(str(e)) from None


def format_option(f):
    return click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="table", show_default=True,
                        help="Output format.")(f)


def lang_option(f):
    return click.option("--lang", type=click.Choice(["en", "fr", "de"]), default="en", show_default=True,
                        help="Language of names and labels.")(f)


def audience_option(f):
    return click.option("--audience", type=click.Choice(["clear", "green", "amber", "amber-strict", "red"]),
                        default="clear", show_default=True,
                        help="Highest sensitivity label (TLP) of the facts shown.")(f)


def _store():
    from graph.kb.store import open_store

    return open_store()


def _echo_rows(rows, fmt, columns=None, meta=None):
    from graph.render.text import render

    click.echo(render(rows, fmt, columns, meta))


@click.group(cls=CoopmapGroup)
@click.version_option(package_name="coopmap")
def main():
    """coopmap: who works with whom against trafficking in human beings and migrant smuggling.

    \b
    Examples:
      coopmap validate
      coopmap actors --level national --mandate victim-support
      coopmap show ITM
      coopmap export --format ttl -o coopmap.ttl
    """


# ---------------------------------------------------------------- knowledge base


@main.command()
@click.option("--no-quotes", is_flag=True, help="Skip checking quotes against the source documents.")
@click.option("--sources", type=click.Path(file_okay=False), help="Folder of the source documents (default ../shared/sources).")
@format_option
def validate(no_quotes, sources, fmt):
    """Check the ontology and data: SHACL shapes, declared terms, references, verbatim quotes.

    Prints each problem with its file, line, subject, rule and how to fix it; exits 1 if there is any.

    \b
    Examples:
      coopmap validate
      coopmap validate --format json
    """
    from graph.core.progress import progress
    from graph.kb.build import default_project, load_dataset
    from graph.kb.validate import errors, validate_cached

    project = default_project()
    with progress("Reading the data", min_seconds=1.0):
        store = load_dataset(project)
    with progress("Validating", min_seconds=1.0):
        problems = validate_cached(project, store=store, check_quotes=not no_quotes, sources=sources)
    if fmt == "table":
        for p in problems:
            click.echo(str(p), err=True)
    elif problems:
        _echo_rows([p.as_dict() for p in problems], fmt, ["file", "line", "subject", "rule", "message", "fix", "severity"])
    n_errors = len(errors(problems))
    if n_errors:
        raise click.ClickException(f"{n_errors} problem(s) found.")
    from graph.kb.store import select

    counts = select(store, """SELECT (COUNT(DISTINCT ?a) AS ?actors) (COUNT(DISTINCT ?l) AS ?links)
        (COUNT(DISTINCT ?c) AS ?citations)
        WHERE { { ?a a coop:Actor } UNION { ?l a coop:Link } UNION { ?c a coop:Citation } }""")[0]
    quotes = "" if no_quotes or any(p.rule == "quotes" for p in problems) else " (every quote verbatim in its document)"
    warned = f"; {len(problems)} warning(s) above" if problems else ""
    click.echo(f"OK: {len(store)} quads, {counts['actors']} actors, {counts['links']} links, "
               f"{counts['citations']} citations{quotes}{warned}.")


@main.command()
@click.option("--format", "fmt", default="ttl", show_default=True,
              type=click.Choice(["ttl", "nt", "jsonld", "trig", "nq", "xml", "graphml", "gexf", "json", "csv"]),
              help="RDF (ttl, nt, jsonld, trig, nq, xml) or the network view (graphml, gexf, json node-link, csv for Kumu).")
@click.option("-o", "--output", type=click.Path(),
              help="Write to this file (csv: a folder, or a .zip) instead of standard output.")
@click.option("--inferred", is_flag=True, help="Include the RDFS/OWL-RL entailments (RDF formats).")
@click.option("--as-of", metavar="DATE",
              help="Network formats: only actors and facts in force on DATE (YYYY-MM-DD, YYYY-MM or YYYY).")
@audience_option
def export(fmt, output, inferred, as_of, audience):
    """Export the whole graph (ontology + data + derived triples, with a VoID/DCAT description), or the network view.

    RDF exports are byte-reproducible; JSON-LD is compacted with the project's @context
    (docs/context.jsonld). The network formats carry one node per actor and one edge per fact:
    GraphML and GEXF (with the map's colours and sizes) for Gephi, node-link JSON for d3, and a folder or
    zip of actors.csv, links.csv and sources.csv in Kumu's element/connection layout.

    \b
    Examples:
      coopmap export --format ttl -o coopmap.ttl
      coopmap export --format jsonld > coopmap.jsonld
      coopmap export --format gexf --as-of 2024 -o coopmap.gexf
      coopmap export --format csv -o coopmap-csv/
    """
    if fmt in ("graphml", "gexf", "json", "csv"):
        if inferred:
            raise click.UsageError("--inferred applies to the RDF formats only.")
        from graph.network.exports import export_network, gexf_styles, write_csv
        from graph.network.view import filter_view

        G = _view(audience)
        if as_of:
            G = filter_view(G, as_of=as_of)
        colours = sizes = None
        if fmt == "gexf":
            from graph.maps.page import LEVEL_COLOURS

            colours, sizes = gexf_styles(G, LEVEL_COLOURS, as_of=as_of)
        data = export_network(G, fmt, colours=colours, sizes=sizes)
        if fmt == "csv":
            if not output:
                raise click.UsageError("--format csv writes a folder or a .zip: give -o FOLDER or -o FILE.zip.")
            target = write_csv(data, output)
            click.echo(f"wrote {target} (actors.csv, links.csv, sources.csv)", err=True)
            return
    else:
        if as_of:
            raise click.UsageError("--as-of applies to the network formats (graphml, gexf, json, csv).")
        from graph.kb.export import export as run

        store = _store()
        if inferred:
            from graph.sparql.query import ensure_inferred

            store = ensure_inferred(audience=audience)
        data = run(store, fmt, include_inferred=inferred, audience=audience, describe=True)
    if output:
        from graph.core.files import atomic_write

        atomic_write(output, data)
        click.echo(f"wrote {output} ({len(data):,} bytes)", err=True)
    else:
        sys.stdout.buffer.write(data)


@main.command("import")
@click.argument("actors_csv", type=click.Path(exists=True, dir_okay=False))
@click.argument("links_csv", type=click.Path(exists=True, dir_okay=False), required=False)
@click.option("--sources", "sources_csv", type=click.Path(exists=True, dir_okay=False),
              help="Citations (ID, Document, Locator, Quote) for rows that give none, as in an export's sources.csv.")
@click.option("--into", type=click.Path(file_okay=False), help="Data folder to write to (default: the project's data/).")
@click.option("--no-quotes", is_flag=True, help="Skip checking quotes against the source documents.")
def import_command(actors_csv, links_csv, sources_csv, into, no_quotes):
    """Turn spreadsheet rows (the columns of 'export --format csv', plus Document, Locator, Quote) into Turtle.

    The rows are validated like hand-written data (shapes, declared terms, references, verbatim quotes)
    together with the folder's Turtle; a bad row is reported with its row number and reason, and nothing
    is written. Writes imported-actors.ttl and imported-links.ttl.

    \b
    Examples:
      coopmap import actors.csv links.csv
      coopmap import new-actors.csv --into data/
      coopmap import coopmap-csv/actors.csv coopmap-csv/links.csv --sources coopmap-csv/sources.csv --into /tmp/copy
    """
    from graph.kb.imports import import_csv

    result = import_csv(actors_csv, links_csv, into=into, sources_csv=sources_csv,
                        check_quotes=False if no_quotes else "if-available")
    for path in result["written"]:
        click.echo(f"wrote {path}", err=True)
    note = f"; {result['skipped']} derived row(s) (structure, agreement) left out" if result["skipped"] else ""
    click.echo(f"imported {result['actors']} actor(s) and {result['links']} link(s) or membership(s){note}.")


@main.command()
@click.option("--level", help="national, regional, eu or international.")
@click.option("--kind", help="An actor kind (ministry, police-unit, ngo, eu-agency, …).")
@click.option("--mandate", help="A mandate (victim-support, investigation, …).")
@format_option
@lang_option
@audience_option
def actors(level, kind, mandate, fmt, lang, audience):
    """List actors, filtered by level, kind and mandate.

    \b
    Examples:
      coopmap actors --level national
      coopmap actors --mandate victim-support --format csv
    """
    from graph.network.describe import list_actors

    rows = list_actors(_store(), level=level, kind=kind, mandate=mandate, lang=lang, audience=audience)
    cols = ["name", "acronym", "kind", "level", "mandates", "parent"] + (["iri"] if fmt != "table" else [])
    _echo_rows(rows, fmt, cols, {"count": len(rows)})


@main.command()
@click.argument("name")
@format_option
@lang_option
@audience_option
def show(name, fmt, lang, audience):
    """Everything about one actor: names, kind, structure, memberships, links, sources.

    NAME is any label in any language, or an acronym; case and accents do not matter.

    \b
    Examples:
      coopmap show ITM
      coopmap show "Comité de suivi de la lutte contre la traite des êtres humains"
      coopmap show ccpd --format json
    """
    from graph.network.describe import describe_actor
    from graph.render.text import render_actor
    from graph.kb.resolve import resolve_actor

    rec = describe_actor(_store(), resolve_actor(name), lang=lang, audience=audience)
    if fmt == "json":
        import json

        click.echo(json.dumps(rec, ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        rows = [{"relation": l["reads"], "actor": l["actor"], "condition": l["condition"], "legal_basis": l["legal_basis"],
                 "sources": [f"{s['document']} {s['locator']}" for s in l["sources"]]} for l in rec["links"]]
        _echo_rows(rows, "csv", ["relation", "actor", "condition", "legal_basis", "sources"])
    else:
        click.echo(render_actor(rec))


# ---------------------------------------------------------------- who to contact (issue 3: contact, path, centrality, gaps, diff)


def _view(audience="clear"):
    from graph.network.view import load_view

    return load_view(audience=audience)


def _actor(G, name):
    """The IRI of the actor called ``name`` (any label, acronym, language) among the actors of view ``G``."""
    from graph.network.view import resolve_name

    return resolve_name(G, name)


def as_of_option(f):
    return click.option("--as-of", metavar="DATE",
                        help="Only facts in force on DATE (YYYY-MM-DD, YYYY-MM or YYYY); default today.")(f)


@main.command()
@click.option("--from", "source", required=True, metavar="ACTOR", help="Who is asking (any name or acronym).")
@click.option("--need", required=True, metavar="MANDATE", help="The mandate needed: victim-support, investigation, …")
@as_of_option
@click.option("--when", type=click.Choice(["office-hours", "night"]), help="Time of day; at night office-hours-only steps are left out.")
@click.option("--victim", type=click.Choice(["child", "adult"]), help="Age of the (presumed) victim.")
@click.option("--nationality", type=click.Choice(["eu", "third-country"]), help="Nationality of the (presumed) victim.")
@click.option("--exploitation", type=click.Choice(["sexual", "labour", "criminal"]), help="Form of exploitation.")
@click.option("--cooperates", type=click.Choice(["yes", "no"]), help="Whether the victim cooperates with the authorities.")
@click.option("--region", type=click.Choice(["lu", "benelux", "greater-region", "eu", "non-eu"]),
              help="Where the request goes: steps whose stated area does not cover it are left out.")
@click.option("--without", multiple=True, metavar="ACTOR", help="Treat this actor as unavailable (repeatable): what is lost?")
@click.option("--top", type=click.IntRange(min=0), default=3, show_default=True,
              help="Show the first N answers (0: all); the others are counted.")
@click.option("--explain", is_flag=True, help="Every step in full, with all its sources, and the ranking rule.")
@format_option
@audience_option
def contact(source, need, as_of, when, victim, nationality, exploitation, cooperates, region, without, top, explain, fmt,
            audience):
    """Who to contact, in order, to reach an actor holding a mandate: who, why, how to reach them, source.

    Follows referral steps only (notifies, refers victims to, signposts to, places victims with, reports
    to, exchanges information with/via, requests mutual legal assistance from). The case options leave
    out the steps whose own conditions rule them out; an option that changed nothing is said to.

    Ranking: with --region, routes stated to serve exactly that region first; named actors
    before unnamed ones; then fewest steps; then fewest tie-break points (1 per step that depends
    on a case condition you did not state, 1 per step whose hours are not stated when you ask
    about the night); then the earliest referral phase of the last step; then the name. One
    internal hop between a unit and its parent in one operational organisation may be taken,
    and a membership only as the last step; unnamed actors and states never relay; the last
    step must serve the need. --explain prints this rule with every step in full.

    \b
    Examples:
      coopmap contact --from ITM --need victim-support
      coopmap contact --from ITM --need victim-support --exploitation labour --when night
      coopmap contact --from "Judicial Police" --need international-police-cooperation --region non-eu
      coopmap contact --from ITM --need investigation --without "Public Prosecutor's Office" --explain
    """
    import json

    from graph.core.errors import CoopmapError
    from graph.network.contact import CONTACT_COLUMNS, contact as run, contact_rows, render_contact

    G = _view(audience)
    try:
        result = run(G, _actor(G, source), need, victim=victim, nationality=nationality, exploitation=exploitation,
                     cooperates=cooperates, when=when, region=region, as_of=as_of,
                     without=[_actor(G, w) for w in without], top=top or None)
    except CoopmapError as e:  # the library speaks in parameter names; the command line in options
        raise click.ClickException(str(e).replace("without names the actor who asks; leave it out of without.",
                                                  "--without names the actor you are asking from; drop it from --without."))
    if fmt == "table":
        click.echo(render_contact(result, explain=explain))
        if not explain and result.answers:
            click.echo("\nMore: --explain gives every step in full, all sources and the ranking rule.")
    elif fmt == "csv":
        _echo_rows(contact_rows(result), "csv", CONTACT_COLUMNS)
    else:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str))


@main.command("path")
@click.argument("source", metavar="A")
@click.argument("target", metavar="B")
@click.option("--kinds", help="Only follow these edge kinds, comma-separated (notifies,refers-victims-to,unit-of,…).")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Most paths shown.")
@as_of_option
@format_option
@audience_option
def path_command(source, target, kinds, limit, as_of, fmt, audience):
    """All shortest paths from actor A to actor B, explained hop by hop with their sources.

    Follows the links' directions; when no such path exists, shows the shortest ones ignoring them.

    \b
    Examples:
      coopmap path ITM "Public Prosecutor's Office"
      coopmap path "Judicial Police" Europol --format json
      coopmap path ITM InfoTraite --kinds notifies,signposts-to,refers-victims-to
    """
    from graph.network.paths import PATH_COLUMNS, path_rows, render_paths, shortest_paths

    G = _view(audience)
    kind_list = [k.strip() for k in kinds.split(",") if k.strip()] if kinds else None
    result = shortest_paths(G, _actor(G, source), _actor(G, target), kinds=kind_list, as_of=as_of, limit=limit)
    if fmt == "table":
        click.echo(render_paths(result))
    elif fmt == "csv":
        _echo_rows(path_rows(result), "csv", PATH_COLUMNS)
    else:
        _echo_rows(result["paths"], "json", meta={k: v for k, v in result.items() if k != "paths"})


@main.command()
@click.option("--metric", type=click.Choice(["degree", "betweenness", "closeness", "eigenvector", "pagerank"]),
              default="degree", show_default=True, help="Centrality measure.")
@click.option("--scope", type=click.Choice(["national", "regional", "eu", "international", "all"]), default="all",
              show_default=True, help="Actors of one level (and the ties among them), or all.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many actors to list.")
@click.option("--include-placeholders", is_flag=True,
              help="Keep unnamed or collective actors and states (left out by default: they never relay a referral).")
@as_of_option
@format_option
@audience_option
def centrality(metric, scope, top, include_placeholders, as_of, fmt, audience):
    """Rank actors by a centrality measure, with what it means for a coordinator.

    Reads the referral network (the one contact and path follow). Betweenness is exact up to 1,000
    actors and estimated from a seeded sample above; the output states the sample size k and its error.

    \b
    Examples:
      coopmap centrality --metric betweenness
      coopmap centrality --metric pagerank --scope national --top 5 --format csv
    """
    from graph.network.analysis import centrality as run, render_centrality

    result = run(_view(audience), metric=metric, scope=scope, top=top, as_of=as_of,
                 include_placeholders=include_placeholders)
    if fmt == "table":
        click.echo(render_centrality(result))
    else:
        _echo_rows(result["rows"], fmt, ["rank", "actor", "level", "kind", "score", "iri"],
                   {k: v for k, v in result.items() if k != "rows"})


@main.command()
@click.option("--include-placeholders", is_flag=True,
              help="Keep unnamed or collective actors and states (left out by default: they never relay a referral).")
@as_of_option
@format_option
@audience_option
def gaps(include_placeholders, as_of, fmt, audience):
    """Where the network is fragile, each finding with its evidence.

    Read on the referral network (the one contact and path follow): the only named support service and
    its hours, actors the sources say run short of capacity, single points of failure (actors and ties
    whose loss cuts others off; not a parent whose loss cuts off only its own units), mandates held by one
    actor, national actors with no route to an international channel, office-hours-only steps, isolated
    actors.

    \b
    Examples:
      coopmap gaps
      coopmap gaps --format json > gaps.json
    """
    from graph.network.analysis import gaps as run, render_gaps

    rows = run(_view(audience), as_of=as_of, include_placeholders=include_placeholders)
    if fmt == "table":
        click.echo(render_gaps(rows))
    else:
        _echo_rows(rows, fmt, ["gap", "subject", "evidence", "details", "iri", "sources"], {"count": len(rows)})


@main.command()
@click.option("--from", "date_from", required=True, metavar="DATE", help="Earlier date (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--to", "date_to", required=True, metavar="DATE", help="Later date.")
@format_option
@audience_option
def diff(date_from, date_to, fmt, audience):
    """Which actors, links and availabilities appeared or ended between two dates.

    \b
    Examples:
      coopmap diff --from 2023 --to 2024-06
      coopmap diff --from 2015-01-01 --to 2020-01-01 --format csv
    """
    from graph.network.timeline import DIFF_COLUMNS, diff as run, render_diff

    rows = run(_view(audience), date_from, date_to)
    if fmt == "table":
        click.echo(render_diff(rows, date_from, date_to))
    else:
        _echo_rows(rows, fmt, DIFF_COLUMNS, {"from": date_from, "to": date_to, "count": len(rows)})


# ---------------------------------------------------------------- SPARQL (issue 4: query, queries)

QUERY_FORMATS = ("table", "json", "csv", "tsv", "xml", "ttl", "nt", "jsonld")  # graph.sparql.results.ALL_FORMATS


@main.command()
@click.argument("query_text", metavar="[QUERY]", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False), help="Read the query from a .rq file.")
@click.option("--example", metavar="NAME", help="Run a query of the catalogue (see 'coopmap queries').")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table", show_default=True,
              help="table, or SPARQL 1.1 results json/csv/tsv/xml; ttl/nt/jsonld for CONSTRUCT and DESCRIBE.")
@click.option("--store", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
              help="Query engine: embedded Oxigraph, or rdflib's in-memory store (much slower).")
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Seconds before the query is stopped.")
@click.option("--limit", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most rows (or triples) returned; a notice says when the answer was cut.")
@click.option("--no-inference", is_flag=True, help="Query the asserted facts only, without the RDFS/OWL-RL entailments.")
@click.option("--prefixes", "list_prefixes", is_flag=True, help="List the predeclared prefixes and exit.")
@audience_option
def query(query_text, query_file, example, fmt, store, timeout, limit, no_inference, list_prefixes, audience):
    """Run a read-only SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the whole graph.

    The graph is the ontology, the data, the derived direct triples and (unless --no-inference) the
    RDFS/OWL-RL entailments; common prefixes are predeclared (--prefixes). Updates, SERVICE and FROM are
    refused; every query runs under a timeout and a row cap.

    \b
    Examples:
      coopmap query "SELECT ?a WHERE { ?a coop:level level:eu }"
      coopmap query -f my-question.rq --format csv > answer.csv
      coopmap query --example monitoring-committee-chair
      coopmap query "DESCRIBE actor:lu-itm" --format ttl
      coopmap query --prefixes
    """
    if list_prefixes:
        from graph.core.prefixes import PREFIXES

        width = max(map(len, PREFIXES))
        for name, iri in PREFIXES.items():
            click.echo(f"{name + ':':<{width + 1}}  <{iri}>")
        return
    given = [x for x in (query_text, query_file, example) if x]
    if len(given) != 1:
        raise click.UsageError("Give exactly one of: a QUERY, -f FILE or --example NAME (or --prefixes).")
    if query_file:
        from pathlib import Path

        query_text = Path(query_file).read_text(encoding="utf-8")
    elif example:
        from graph.sparql.examples import example as find_example

        query_text = find_example(example).text
    from graph.kb.inference import has_inferred
    from graph.sparql.query import run_query, serialize
    from graph.kb.terms import suggestion, undeclared_terms  # a typo such as coop:Actr (#18)
    for term in undeclared_terms(query_text):
        hint = suggestion(term)
        click.echo(f"warning: {term} is not declared in the coopmap ontology"
                   + (f" (did you mean {hint}?)" if hint else "") + "; it matches nothing.", err=True)

    if not no_inference and not has_inferred(audience=audience):
        click.echo("Computing the RDFS/OWL-RL entailments (once per version of the data; this takes a while)…", err=True)
    result = run_query(query_text, store=store, inference=not no_inference, timeout=timeout, limit=limit,
                       audience=audience)
    text = serialize(result, fmt)
    click.echo(text, nl=not text.endswith("\n"))
    if result.truncated:
        click.echo(result.notice(), err=True)


@main.command()
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="table", show_default=True, help="Output format.")
@click.option("--show", "show_name", metavar="NAME", help="Print the text of this catalogue query (to read, copy or adapt).")
@lang_option
def queries(fmt, show_name, lang):
    """List the example queries: name, title (en, fr, de) and the shape of the answer.

    \b
    Examples:
      coopmap queries
      coopmap queries --lang fr
      coopmap queries --format json
      coopmap queries --show monitoring-committee-chair
      coopmap query --example NAME
    """
    if show_name:
        from graph.sparql.examples import example

        text = example(show_name).text
        click.echo(text, nl=not text.endswith("\n"))
        return
    from graph.sparql.examples import examples

    items = examples()
    if fmt == "table":
        _echo_rows([{"name": e.name, "title": e.title(lang), "shape": e.shape_text()} for e in items], fmt,
                   ["name", "title", "shape"])
    else:
        _echo_rows([e.as_dict() for e in items], fmt, ["name", "title_en", "title_fr", "title_de", "shape", "note"],
                   {"count": len(items)})


# ---------------------------------------------------------------- maps (issue 5: map)


@main.command("map")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the map page (one offline HTML file).")
@click.option("--png", type=click.Path(), help="Also write a still image (1280x720 at 2x: the map, a compact legend, title and "
              "sources; no toolbar), via headless Chromium (pip install 'coopmap[images]'). With --tour: one image per "
              "step, into a folder (step-01.png…) or beside NAME.png (NAME-01.png…).")
@click.option("--svg", type=click.Path(dir_okay=False), help="Also write the map as an SVG still (no browser needed).")
@click.option("--projector", is_flag=True, help="Open in projector mode: no chrome, labels of 24 px or more on the most "
              "important actors (the page also has a button, and #projector=1 in the URL).")
@click.option("--focus", metavar="ACTOR", help="Only the neighbourhood of this actor (any name or acronym).")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Hops around --focus.")
@click.option("--level", multiple=True, help="Keep actors of this level (repeatable): national, regional, eu, international.")
@click.option("--kind", multiple=True, help="Keep actors of this kind (repeatable): ministry, police-unit, ngo, …")
@click.option("--mandate", multiple=True, help="Keep actors with this mandate (repeatable): victim-support, …")
@click.option("--crime-area", multiple=True, help="Keep actors working on this crime area (repeatable): labour-exploitation, …")
@click.option("--link-kind", multiple=True, help="Keep links of this kind (repeatable): notifies, refers-victims-to, member-of, …")
@click.option("--as-of", metavar="DATE", help="Only what is in force on DATE (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--path", nargs=2, metavar="FROM TO", help="Highlight the referral path between two actors.")
@click.option("--size-by", type=click.Choice(["degree", "betweenness", "closeness", "eigenvector", "pagerank", "none"]),
              default="degree", show_default=True, help="Node size: a centrality (as in `coopmap centrality`), or none.")
@click.option("--colour-by", "--color-by", "colour_by", type=click.Choice(["level", "kind"]), default="level",
              show_default=True, help="Node colour (the page can switch).")
@click.option("--tour", metavar="SPEC", help="Presentation steps: path:FROM:TO, phases, or a tour file (.toml/.json).")
@click.option("--title", help="Title shown in the page (default: made from the filters).")
@click.option("--seed", type=int, default=1, show_default=True, help="Layout seed: the same data and seed give the same picture.")
@click.option("--strategy", type=click.Choice(["auto", "full", "fast", "clustered"]), default="auto", show_default=True,
              help="Drawing strategy; auto picks by size (clustered above 3,000 actors).")
@lang_option
@audience_option
def map_command(output, png, svg, projector, focus, depth, level, kind, mandate, crime_area, link_kind, as_of, path, size_by,
                colour_by, tour, title, seed, strategy, lang, audience):
    """Write an interactive cooperation map: one HTML file that works offline.

    The page has a legend, a search box (any name or acronym, any language), filters, a side panel
    with each actor's links and their sources, an EN/FR/DE switch and a presentation mode. It holds
    nothing above --audience (default: TLP:CLEAR only).

    \b
    Examples:
      coopmap map -o luxembourg.html
      coopmap map -o support.html --level national --mandate victim-support
      coopmap map -o itm.html --focus ITM --depth 2 --lang fr
      coopmap map -o path.html --path ITM "Public Prosecutor's Office" --tour path:ITM:Police
      coopmap map -o phases.html --tour phases --png slides/
      coopmap map -o room.html --projector --tour phases
      coopmap map --svg luxembourg.svg --level national
    """
    from graph.maps.page import make_map

    r = make_map(output=output, png=png, svg=svg, projector=projector, audience=audience, focus=focus, depth=depth,
                 level=level, kind=kind,
                 mandate=mandate, crime_area=crime_area, link_kind=link_kind, as_of=as_of, path=path, size_by=size_by,
                 colour_by=colour_by, lang=lang, tour=tour, title=title, seed=seed,
                 strategy=None if strategy == "auto" else strategy)
    for target in ("output", "png", "svg"):
        files = r[target] if isinstance(r[target], list) else [r[target]] if r[target] else []
        for f in files:
            size = f", {r['bytes']:,} bytes" if target == "output" else ""
            click.echo(f"wrote {f} ({r['actors']} actors, {r['links']} links, {r['strategy']} layout{size})", err=True)


if __name__ == "__main__":
    main()
