"""Headless Chromium for maps: still images for slides, and the page checks in tests and benchmarks.

Uses the system's Chromium (Debian ``chromium``, ``/usr/bin/chromium``, or ``$COOPMAP_CHROMIUM``) through
the ``playwright`` Python package; nothing is ever downloaded. Pages are opened from ``file://`` with every
request to any other scheme refused, so a map that tried to reach the network would show it.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from graph.core.errors import CoopmapError

__all__ = ["CHROMIUM_ARGS", "chromium_path", "chromium", "open_map", "screenshot", "screenshot_steps", "STILL"]

#: The URL fragment of a still image: the map alone, a compact legend, the title and a source line.
STILL = "still=1"

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-default-apps", "--disable-sync",
                 "--disable-extensions", "--mute-audio", "--hide-scrollbars"]


#: Where Chromium lives on Debian, Ubuntu (deb or snap) and macOS, tried in order after ``$COOPMAP_CHROMIUM``.
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "/usr/bin/chromium", "/usr/bin/chromium-browser",
                       "/snap/bin/chromium", "/Applications/Chromium.app/Contents/MacOS/Chromium",
                       "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")


def chromium_path() -> str:
    """The Chromium executable: ``$COOPMAP_CHROMIUM``, else the first of :data:`CHROMIUM_CANDIDATES` found."""
    import shutil

    env = os.environ.get("COOPMAP_CHROMIUM")
    if env:
        if not Path(env).exists():
            raise CoopmapError(f"COOPMAP_CHROMIUM names {env}, which does not exist. Point it at a Chromium "
                               "executable, or unset it to use the one on the PATH.")
        return env
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name) if "/" not in name else (name if Path(name).exists() else None)
        if found:
            return found
    raise CoopmapError("Headless Chromium not found. Install it (Debian/Ubuntu: apt-get install chromium; macOS: "
                       "brew install --cask chromium) or set COOPMAP_CHROMIUM to a Chromium executable.")


@contextmanager
def chromium():
    """A launched headless Chromium (a playwright ``Browser``), closed on exit."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise CoopmapError("Images need the 'playwright' Python package: pip install 'coopmap[images]' "
                           "(the package only; it drives the system's Chromium, no browser download).") from None
    path = chromium_path()
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        except Error as e:
            raise CoopmapError(f"Could not start Chromium at {path}: {str(e).splitlines()[0]}") from None
        try:
            yield browser
        finally:
            browser.close()


def open_map(browser, html_path, width: int = 1280, height: int = 720, scale: float = 1, timeout: float = 120,
             fragment: str = ""):
    """Open a map file in a new page, refuse every non-``file:`` request, wait until it is drawn.

    Returns
    -------
    page, log
        The playwright ``Page`` and a dict with ``console_errors``, ``page_errors`` and ``blocked``
        (the URLs of refused requests), filled as the page runs.
    """
    log = {"console_errors": [], "page_errors": [], "blocked": [], "requests": []}
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale,
                                  service_workers="block")
    page = context.new_page()

    def route(r):
        url = r.request.url
        log["requests"].append(url)
        if url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:
            log["blocked"].append(url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: log["console_errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["page_errors"].append(str(e)))
    url = Path(html_path).resolve().as_uri() + ("#" + fragment if fragment else "")
    page.goto(url, wait_until="load", timeout=timeout * 1000)
    page.wait_for_function("window.coopmap && window.coopmap.ready === true", timeout=timeout * 1000)
    return page, log


def screenshot(html_path, png_path, width: int = 1280, height: int = 720, scale: float = 2) -> Path:
    """Write a PNG of the map at ``html_path`` as a still: the map alone (no toolbar), a compact legend,
    the title and a source line, as it shows in a ``width`` x ``height`` window at ``scale``.

    The image is written to a temporary file first, then moved into place. Runs in a worker thread, so
    it also works where an event loop is already running (a notebook, a test session driving a browser).
    """
    return _in_thread(_screenshots, html_path, [png_path], width, height, scale, False)[0]


def screenshot_steps(html_path, png_paths, width: int = 1280, height: int = 720, scale: float = 2) -> list:
    """One still per presentation step of the map at ``html_path``: step i into ``png_paths[i]``."""
    return _in_thread(_screenshots, html_path, png_paths, width, height, scale, True)


def _in_thread(fn, *args):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


def _screenshots(html_path, png_paths, width, height, scale, steps):
    out = []
    with chromium() as browser:
        page, log = open_map(browser, html_path, width, height, scale, fragment=STILL)
        for i, png_path in enumerate(png_paths):
            if steps:
                page.evaluate("i => window.coopmap.showStep(i)", i)
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            if log["page_errors"]:
                raise CoopmapError(f"The map page failed in Chromium: {log['page_errors'][0]}")
            png_path = Path(png_path)
            tmp = png_path.with_name(png_path.name + ".part")
            try:
                page.screenshot(path=str(tmp), type="png")
                os.replace(tmp, png_path)
            finally:
                tmp.unlink(missing_ok=True)  # a failed or interrupted still leaves nothing behind
            out.append(png_path)
    return out
