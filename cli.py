"""coopmap command line: a thin click layer over the :mod:`graph` library.

Heavy libraries load inside the commands that need them, so ``coopmap --help`` and cached answers
start fast.
"""

from __future__ import annotations

import sys

import click

FORMAT_CHOICES = ("table", "json", "csv")


class CoopmapGroup(click.Group):
    """The one place where errors become messages: never a traceback, and nothing unsafe on the terminal.

    - library errors (:class:`graph.core.errors.CoopmapError`) and file-system errors: a one-line
      message, exit code 1;
    - any other exception: a one-line message naming it, exit code 1; ``COOPMAP_DEBUG=1`` shows the
      traceback instead;
    - Ctrl-C: "Interrupted.", exit code 130; a closed pipe (``coopmap actors | head``): exit quietly;
    - standard output and error pass through :class:`graph.render.safe.SafeTextStream`, so no label
      can send an escape sequence to the terminal.
    """

    def main(self, *args, **kwargs):
        from graph.render.safe import SafeTextStream

        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = SafeTextStream(sys.stdout), SafeTextStream(sys.stderr)
        try:
            return super().main(*args, **kwargs)
        finally:
            try:
                sys.stdout.flush()
            except (OSError, ValueError):
                pass
            sys.stdout, sys.stderr = saved

    def invoke(self, ctx):
        import os

        from graph.core.errors import CoopmapError

        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except CoopmapError as e:
            raise click.ClickException(_in_options(self, ctx, str(e))) from None
        except KeyboardInterrupt:
            click.echo("\nInterrupted.", err=True)
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError:
            _quiet_stdout()
            raise click.exceptions.Exit(141) from None
        except Exception as e:
            if os.environ.get("COOPMAP_DEBUG"):
                raise
            raise click.ClickException(_describe_error(e)) from None


def _in_options(group, ctx, message: str) -> str:
    """The library names parameters in backticks (`without`); on the command line they are options (--without)."""
    import re

    command = group.commands.get(ctx.invoked_subcommand or "")
    names = {}
    for param in getattr(command, "params", []):
        if isinstance(param, click.Option):
            flag = max((o for o in param.opts if o.startswith("--")), key=len, default=param.opts[0])
            names[param.name] = flag
            names[flag.lstrip("-").replace("-", "_")] = flag
        else:
            names[param.name] = param.human_readable_name
    return re.sub(r"`([A-Za-z_]+)`", lambda m: names.get(m.group(1), m.group(0)), message)


def _describe_error(e: Exception) -> str:
    """One line for an unexpected exception: what failed, where, and how to see more."""
    if isinstance(e, UnicodeDecodeError):
        return (f"a file is not valid UTF-8 (byte 0x{e.object[e.start]:02x} at position {e.start}). "
                "Save it as UTF-8.")
    if isinstance(e, OSError):
        where = f" {e.filename}" if e.filename else ""
        return f"cannot use{where}: {e.strerror or e}."
    text = " ".join(str(e).split())[:300]
    return (f"unexpected {type(e).__name__}{': ' + text if text else ''}. Run again with COOPMAP_DEBUG=1 "
            "to see the traceback, and please report it.")


def _quiet_stdout():
    """After a closed pipe: point standard output at /dev/null so the exit flush raises nothing."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _read_text(path) -> str:
    """The UTF-8 text of ``path``, or a :class:`CoopmapError` saying what is wrong with the file."""
    from pathlib import Path

    from graph.core.errors import CoopmapError

    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise CoopmapError(f"{path} is not valid UTF-8 (byte 0x{e.object[e.start]:02x} at byte {e.start}). "
                           "Save it as UTF-8.") from None
    except OSError as e:
        raise CoopmapError(f"Cannot read {path}: {e.strerror or e}.") from None


def format_option(f):
    return click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="table", show_default=True,
                        help="Output format.")(f)


def lang_option(f):
    return click.option("--lang", type=click.Choice(["en", "fr", "de"]), default="en", show_default=True,
                        help="Language of names and labels.")(f)


def store_option(f):
    """``--store URL`` (or ``$COOPMAP_STORE``): read a shared triple store loaded by ``coopmap push``."""
    def remember(ctx, _param, value):
        if value:
            ctx.meta["coopmap.store"] = value

    return click.option("--store", "remote_store", envvar="COOPMAP_STORE", metavar="URL", expose_value=False,
                        callback=remember,
                        help="Read the shared triple store at URL (loaded by 'coopmap push'; also $COOPMAP_STORE) "
                             "instead of the embedded one.")(f)


def audience_option(f):
    return click.option("--audience", type=click.Choice(["clear", "green", "amber", "amber-strict", "red"]),
                        default="clear", show_default=True,
                        help="Highest sensitivity label (TLP) of the facts shown.")(f)


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
    report = _kg().validate(check_quotes=not no_quotes, sources=sources)
    if fmt == "table":
        if report.problems:
            click.echo(report.text(), err=True)
    elif report.problems:
        click.echo(report.render(fmt))
    if not report.ok:
        raise click.ClickException(report.summary())
    click.echo(report.summary())


@main.command()
@click.option("--format", "fmt", default="ttl", show_default=True,
              type=click.Choice(["ttl", "nt", "jsonld", "trig", "nq", "xml", "graphml", "gexf", "json", "csv"]),
              help="RDF (ttl, nt, jsonld, trig, nq, xml) or the network view (graphml, gexf, json node-link, csv for Kumu).")
@click.option("-o", "--output", type=click.Path(),
              help="Write to this file (csv: a folder, or a .zip) instead of standard output.")
@click.option("--inferred", is_flag=True, help="Include the RDFS/OWL-RL entailments (RDF formats).")
@click.option("--as-of", metavar="DATE",
              help="Network formats: only actors and facts in force on DATE (YYYY-MM-DD, YYYY-MM or YYYY).")
@store_option
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
    network = fmt in ("graphml", "gexf", "json", "csv")
    if inferred and network:
        raise click.UsageError("--inferred applies to the RDF formats only.")
    if as_of and not network:
        raise click.UsageError("--as-of applies to the network formats (graphml, gexf, json, csv).")
    kg = _kg(audience)
    if output:
        target = kg.write_export(output, fmt, inferred=inferred, as_of=as_of)
        what = "actors.csv, links.csv, sources.csv" if fmt == "csv" else f"{target.stat().st_size:,} bytes"
        click.echo(f"wrote {target} ({what})", err=True)
    elif fmt == "csv":
        raise click.UsageError("--format csv writes a folder or a .zip: give -o FOLDER or -o FILE.zip.")
    else:
        sys.stdout.buffer.write(kg.export(fmt, inferred=inferred, as_of=as_of))


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
@store_option
@audience_option
def actors(level, kind, mandate, fmt, lang, audience):
    """List actors, filtered by level, kind and mandate.

    \b
    Examples:
      coopmap actors --level national
      coopmap actors --mandate victim-support --format csv
    """
    click.echo(_kg(audience, lang=lang).actors(level=level, kind=kind, mandate=mandate).render(fmt))


@main.command()
@click.argument("name")
@format_option
@lang_option
@store_option
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
    click.echo(_kg(audience, lang=lang).show(name).render(fmt))


# ---------------------------------------------------------------- who to contact (issue 3: contact, path, centrality, gaps, diff)


def _kg(audience="clear", as_of=None, lang="en"):
    """The knowledge graph as the public API opens it (:func:`graph.open`): from the shared store that ``--store``
    or ``$COOPMAP_STORE`` names, else the embedded one."""
    import graph

    ctx = click.get_current_context(silent=True)
    store = (ctx.meta.get("coopmap.store") if ctx else None) or None
    return graph.open(audience=audience, as_of=as_of, lang=lang, store=store)


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
@store_option
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
    answer = _kg(audience).contact(source, need, victim=victim, nationality=nationality, exploitation=exploitation,
                                   cooperates=cooperates, when=when, region=region, as_of=as_of, without=without,
                                   top=top)
    click.echo(answer.render(fmt, explain=explain))
    if fmt == "table" and not explain and answer.answers:
        click.echo("\nMore: --explain gives every step in full, all sources and the ranking rule.")


@main.command("path")
@click.argument("source", metavar="A")
@click.argument("target", metavar="B")
@click.option("--kinds", help="Only follow these edge kinds, comma-separated (notifies,refers-victims-to,unit-of,…).")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Most paths shown.")
@as_of_option
@format_option
@store_option
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
    kind_list = [k.strip() for k in kinds.split(",") if k.strip()] if kinds else None
    click.echo(_kg(audience).path(source, target, kinds=kind_list, limit=limit, as_of=as_of).render(fmt))


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
@store_option
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
    answer = _kg(audience).centrality(metric=metric, scope=scope, top=top, as_of=as_of,
                                      include_placeholders=include_placeholders)
    click.echo(answer.render(fmt))


@main.command()
@click.option("--include-placeholders", is_flag=True,
              help="Keep unnamed or collective actors and states (left out by default: they never relay a referral).")
@as_of_option
@format_option
@store_option
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
    click.echo(_kg(audience).gaps(as_of=as_of, include_placeholders=include_placeholders).render(fmt))


@main.command()
@click.option("--from", "date_from", required=True, metavar="DATE", help="Earlier date (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--to", "date_to", required=True, metavar="DATE", help="Later date.")
@format_option
@store_option
@audience_option
def diff(date_from, date_to, fmt, audience):
    """Which actors, links and availabilities appeared or ended between two dates.

    \b
    Examples:
      coopmap diff --from 2023 --to 2024-06
      coopmap diff --from 2015-01-01 --to 2020-01-01 --format csv
    """
    click.echo(_kg(audience).diff(date_from, date_to).render(fmt))


# ---------------------------------------------------------------- SPARQL (issue 4: query, queries)

QUERY_FORMATS = ("table", "json", "csv", "tsv", "xml", "ttl", "nt", "jsonld")  # graph.sparql.results.ALL_FORMATS


@main.command()
@click.argument("query_text", metavar="[QUERY]", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False), help="Read the query from a .rq file.")
@click.option("--example", metavar="NAME", help="Run a query of the catalogue (see 'coopmap queries').")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table", show_default=True,
              help="table, or SPARQL 1.1 results json/csv/tsv/xml; ttl/nt/jsonld for CONSTRUCT and DESCRIBE.")
@click.option("--store", default="oxigraph", show_default=True, envvar="COOPMAP_STORE", metavar="oxigraph|rdflib|URL",
              help="Query engine: embedded Oxigraph, rdflib's in-memory store (much slower), or the SPARQL endpoint "
                   "URL of a shared triple store loaded by 'coopmap push' (also $COOPMAP_STORE).")
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
        query_text = _read_text(query_file)
    elif example:
        from graph.sparql.examples import example as find_example

        query_text = find_example(example).text
    kg = _kg(audience)
    for warning in kg.query_warnings(query_text):
        click.echo(f"warning: {warning}", err=True)
    remote = store.startswith(("http://", "https://"))
    if not remote and store not in ("oxigraph", "rdflib"):
        raise click.BadParameter(f"'{store}' is not oxigraph, rdflib or an http(s):// URL.", param_hint="--store")
    if remote and no_inference:
        raise click.UsageError("--no-inference works on the embedded store only: a shared store holds the entailments.")
    if not remote and not no_inference:
        from graph.kb.inference import has_inferred

        if not has_inferred(audience=audience):
            click.echo("Computing the RDFS/OWL-RL entailments (once per version of the data; this takes a while)…",
                       err=True)
    result = kg.query(query_text, inference=not no_inference, timeout=timeout, limit=limit,
                      engine="oxigraph" if remote else store, store=store if remote else None)
    text = result.serialize(fmt) if hasattr(result, "serialize") else _serialize(result, fmt)
    click.echo(text, nl=not text.endswith("\n"))
    if result.truncated:
        click.echo(result.notice(), err=True)


def _serialize(result, fmt):
    from graph.sparql.results import serialize

    return serialize(result, fmt)


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
    kg = _kg(lang=lang)
    if show_name:
        text = kg.example(show_name).text
        click.echo(text, nl=not text.endswith("\n"))
        return
    click.echo(kg.queries().render(fmt))


# ---------------------------------------------------------------- web app and shared triple store (issue 19: serve, push)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--store", envvar="COOPMAP_STORE", metavar="URL",
              help="Answer SPARQL from this shared triple store (its query endpoint) instead of the embedded one "
                   "(also $COOPMAP_STORE).")
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Seconds a SPARQL query may run.")
@click.option("--rate-limit", default="600/60", show_default=True, metavar="N/SECONDS",
              help="Most SPARQL requests per client in SECONDS (0: no limit).")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="A host name clients may use (repeatable; default: this machine's names and --host).")
@audience_option
def serve(host, port, store, timeout, rate_limit, allowed_hosts, audience):
    """Start the web app: who to contact, actor pages, maps, gaps, SPARQL page and endpoint, Linked Data.

    Open http://127.0.0.1:8000 in a browser. Every page and answer holds only what --audience may see.
    Researchers' SPARQL clients use http://127.0.0.1:8000/sparql.

    \b
    Examples:
      coopmap serve
      coopmap serve --port 8080 --audience green
      coopmap serve --store http://127.0.0.1:7878/query
    """
    from graph.server import serve as run

    try:
        n, seconds = (rate_limit.split("/") + ["60"])[:2]
        limit = (int(n), float(seconds)) if int(n) > 0 else None
    except ValueError:
        raise click.BadParameter(f"'{rate_limit}' is not N/SECONDS, e.g. 120/60.", param_hint="--rate-limit") from None
    if store:
        from graph.sparql.remote import check_store_audience

        check_store_audience(store, audience)
    click.echo(f"coopmap serving TLP:{audience.upper()} facts on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    run(host=host, port=port, audience=audience, store=store, timeout=timeout, rate_limit=limit,
        allowed_hosts=list(allowed_hosts) or None)


@main.command()
@click.option("--store", required=True, envvar="COOPMAP_STORE", metavar="URL",
              help="The store's SPARQL query endpoint, e.g. http://127.0.0.1:7878/query (also $COOPMAP_STORE).")
@click.option("--graph-store", metavar="URL", help="Its Graph Store Protocol endpoint (default: the query URL with /store).")
@click.option("--store-audience", type=click.Choice(["clear", "green", "amber", "amber-strict", "red"]),
              help="Who reads the store, when it is first loaded (default: --audience).")
@audience_option
def push(store, graph_store, store_audience, audience):
    """Load the compiled graph, with its entailments, into a shared SPARQL 1.1 triple store.

    Writes the default graph and the named graphs through the Graph Store Protocol, replacing what
    they held. Only facts --audience may see are sent, and never facts above the store's audience.

    \b
    Examples:
      coopmap push --store http://127.0.0.1:7878/query
      coopmap push --store http://fuseki:3030/coopmap/query --graph-store http://fuseki:3030/coopmap/data
      COOPMAP_STORE=http://127.0.0.1:7878/query coopmap query --example monitoring-committee-chair
    """
    from graph.sparql.remote import push as run

    r = run(store, audience, graph_store=graph_store, store_audience_level=store_audience)
    for g, n in r["graphs"].items():
        click.echo(f"{g}: {n:,} triples", err=True)
    click.echo(f"pushed TLP:{audience.upper()} facts to {r['graph_store']} (store audience: {r['store_audience']})", err=True)


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
@store_option
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
    r = _kg(audience, as_of=as_of, lang=lang).map(
        output=output, png=png, svg=svg, projector=projector, focus=focus, depth=depth, level=level, kind=kind,
        mandate=mandate, crime_area=crime_area, link_kind=link_kind, path=path, size_by=size_by, colour_by=colour_by,
        tour=tour, title=title, seed=seed, strategy=None if strategy == "auto" else strategy)
    for target, f in r.files():
        size = f", {r.bytes:,} bytes" if target == "output" else ""
        click.echo(f"wrote {f} ({r.actors} actors, {r.links} links, {r.strategy} layout{size})", err=True)


if __name__ == "__main__":
    main()
