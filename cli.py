"""coopmap command line: a thin click layer over the :mod:`graph` library.

Heavy libraries load inside the commands that need them, so ``coopmap --help`` and cached answers
start fast.
"""

from __future__ import annotations

import functools
import sys

import click

FORMAT_CHOICES = ("table", "json", "csv")


class CoopmapGroup(click.Group):
    """Turns library errors into a clear message and exit code 1, never a traceback."""

    def invoke(self, ctx):
        from graph.errors import CoopmapError

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
    from graph.store import open_store

    return open_store()


def _echo_rows(rows, fmt, columns=None, meta=None):
    from graph.output import render

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
    from graph.build import default_project, load_dataset
    from graph.validate import validate as run

    project = default_project()
    store = load_dataset(project)
    problems = run(project, store=store, check_quotes=not no_quotes, sources=sources)
    if fmt == "table":
        for p in problems:
            click.echo(str(p), err=True)
    elif problems:
        _echo_rows([p.as_dict() for p in problems], fmt, ["file", "line", "subject", "rule", "message", "fix"])
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) found.")
    from graph.store import select

    counts = select(store, """SELECT (COUNT(DISTINCT ?a) AS ?actors) (COUNT(DISTINCT ?l) AS ?links) (COUNT(DISTINCT ?c) AS ?citations)
        WHERE { { ?a a coop:Actor } UNION { ?l a coop:Link } UNION { ?c a coop:Citation } }""")[0]
    click.echo(f"OK: {len(store)} quads, {counts['actors']} actors, {counts['links']} links, "
               f"{counts['citations']} citations{'' if no_quotes else ' (every quote verbatim in its document)'}.")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "jsonld", "trig", "nq", "xml"]), default="ttl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of standard output.")
@click.option("--inferred", is_flag=True, help="Include the RDFS/OWL-RL entailments.")
@audience_option
def export(fmt, output, inferred, audience):
    """Export the whole graph (ontology + data + derived triples).

    \b
    Examples:
      coopmap export --format ttl -o coopmap.ttl
      coopmap export --format jsonld > coopmap.jsonld
    """
    from graph.export import export as run

    store = _store()
    if inferred:
        from graph.sparql import ensure_inferred

        store = ensure_inferred()
    data = run(store, fmt, include_inferred=inferred, audience=audience)
    if output:
        from pathlib import Path

        tmp = Path(output + ".part")
        tmp.write_bytes(data)
        tmp.replace(output)
        click.echo(f"wrote {output} ({len(data):,} bytes)", err=True)
    else:
        sys.stdout.buffer.write(data)


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
    from graph.kb import list_actors

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
    from graph.kb import describe_actor
    from graph.output import render_actor
    from graph.resolve import resolve_actor

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


# ---------------------------------------------------------------- SPARQL (issue 4: query, queries)


# ---------------------------------------------------------------- maps (issue 5: map)


if __name__ == "__main__":
    main()
