"""The three users' journeys through `coopmap serve` in real headless Chromium (Debian's, via playwright):
each with zero console errors and zero requests to any other host."""

import csv
import io

import pytest

from graph.server import create_app
from graph.server.live import running

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base():
    with running(create_app("clear", rate_limit=None)) as url:
        yield url


@pytest.fixture()
def page(browser, base):
    """A fresh page that records console errors, page errors and every request leaving this server."""
    context = browser.new_context(accept_downloads=True, service_workers="block")
    p = context.new_page()
    log = {"errors": [], "foreign": []}
    p.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: log["errors"].append(str(e)))

    def check(request):
        if not request.url.startswith((base + "/", "data:", "blob:", "about:")):
            log["foreign"].append(request.url)

    context.on("request", check)
    p.set_default_timeout(120_000)
    yield p, log
    context.close()
    assert log["errors"] == [], log["errors"]
    assert log["foreign"] == [], log["foreign"]


def _wait_for_map(frame_locator_page, selector):
    frame = frame_locator_page.frame_locator(selector)
    frame.locator("body").wait_for()
    handle = frame_locator_page.locator(selector).element_handle()
    f = handle.content_frame()
    f.wait_for_function("window.coopmap && window.coopmap.ready === true", timeout=120_000)
    return f


@pytest.mark.parametrize("scenario", [
    {"from": "ITM", "need": "victim-support", "fields": {}},
    {"from": "ITM", "need": "investigation", "fields": {"when": "night", "exploitation": "labour"}},
], ids=["itm-victim-support", "itm-investigation-night-labour"])
def test_coordinator_form(page, base, scenario):
    p, log = page
    p.goto(base + "/contact")
    p.get_by_label("Who is asking (you)").fill(scenario["from"])
    p.get_by_label("What is needed").select_option(scenario["need"])
    for name, value in scenario["fields"].items():
        p.locator(f"select#{name}").select_option(value)
    p.get_by_role("button", name="Show who to contact").click()
    p.wait_for_url("**/contact?*")
    answers = p.locator("ol.answers > li")
    assert answers.count() >= 1
    explain = p.locator("pre.explain")
    assert not explain.is_visible()
    p.get_by_text("Explain: every step").click()  # the explain detail, one click away
    assert explain.is_visible() and "source:" in explain.inner_text()
    f = _wait_for_map(p, "iframe.map")
    assert f.evaluate("window.coopmap.ready") is True


def test_search_itm_actor_page_path_on_the_map(page, base):
    p, log = page
    p.goto(base + "/")
    p.get_by_label("Name or acronym, in any language").fill("ITM")
    p.get_by_role("button", name="Search").click()
    p.wait_for_url("**/actor/lu-itm*")
    assert "Inspectorate of Labour and Mines" in p.locator("h1").inner_text()
    p.locator("ul.links li.out a", has_text="Show the path").first.click()  # a link ITM states, in its direction
    p.wait_for_url("**/path?*")
    assert "ITM" in p.locator("#path-text").inner_text()
    assert "path_from=" in p.locator("iframe#path-map").get_attribute("src")  # the path itself, not a fallback
    f = _wait_for_map(p, "iframe#path-map")
    assert f.evaluate("window.coopmap.ready") is True


def test_sparql_page_example_then_csv(page, base):
    p, log = page
    p.goto(base + "/query")
    p.locator("ul.examples a").first.click()
    p.wait_for_url("**/query?example=*")
    assert p.locator("textarea#query").input_value().strip()
    p.get_by_role("button", name="Run the query").click()
    p.wait_for_selector("table.results, section[aria-labelledby=results] strong")
    with p.expect_download() as info:
        p.locator("#download-csv").click()
    path = info.value.path()
    rows = list(csv.reader(io.StringIO(open(path, encoding="utf-8").read())))
    assert rows and rows[0], "the CSV has a header"
    assert info.value.suggested_filename == "coopmap-answer.csv"
