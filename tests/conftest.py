"""Shared fixtures: the real project compiled once per test session into a private cache."""

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Every test session compiles into its own cache folder, so tests never read a stale user cache."""
    path = tmp_path_factory.mktemp("coopmap-cache")
    old = os.environ.get("COOPMAP_CACHE")
    os.environ["COOPMAP_CACHE"] = str(path)
    yield path
    if old is None:
        os.environ.pop("COOPMAP_CACHE", None)
    else:
        os.environ["COOPMAP_CACHE"] = old


@pytest.fixture(scope="session")
def project(private_cache):
    from graph.kb.build import Project

    return Project(cache_root=private_cache)


@pytest.fixture(scope="session")
def store(project):
    """The real, validated graph in an Oxigraph store."""
    from graph.kb.store import open_store

    return open_store(project)


@pytest.fixture()
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture()
def invoke(runner):
    """Run the real CLI in-process: ``invoke("show", "ITM")`` returns click's Result."""
    from cli import main

    def run(*args, **kw):
        return runner.invoke(main, list(args), catch_exceptions=False, **kw)

    return run


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (playwright's sync API allows one per thread)."""
    from graph.maps.browser import chromium

    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def view(project):
    """The real referral view (TLP:CLEAR) of the session's compiled project."""
    from graph.network.view import load_view

    return load_view(project)
