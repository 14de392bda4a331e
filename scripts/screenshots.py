"""Screenshots of every served workbook, the landing page and the guides (not run in CI).

Starts ``partnerkit serve`` on a fresh demo data folder on a free loopback port, signs
in through the sign-in page as a demo account (``--as``: demo-admin, who opens every
workbook; the guides' pictures are a practitioner's, demo-teacher), opens each page once
per width in Debian's Chromium set to British English (a 1366x768 laptop, a 320 px
phone), and saves full-page PNGs. Used to review pages as staff see
them and to put current screenshots in the role guides (``docs/images/``)::

    python scripts/screenshots.py --out shots/          # review every page
    python scripts/screenshots.py --out docs/images --guides-only   # refresh the guides

The server and the browser are stopped when it ends.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDTHS = {"wide": (1366, 768), "narrow": (320, 640)}
PARAMS = {"mapping_tool": {"pupil": "P-1001"}, "staged_support": {"pupil": "P-1002"},
          "six_steps": {"step": "2"}}
GUIDE_SHOTS = ("landing", "mapping_tool", "six_steps")
"""The pages the guides show (first screen of each at the laptop width)."""


WHOLE_PAGE = """() => {
  for (let e = document.querySelector("#rendered_cells"); e; e = e.parentElement) {
    e.style.setProperty("height", "auto", "important");
    e.style.setProperty("overflow", "visible", "important");
    e.style.setProperty("position", "static", "important");
    e.style.setProperty("contain", "none", "important");
    e.style.setProperty("max-height", "none", "important");
  }
}"""
"""A workbook's cells scroll inside a box the height of the window: for a whole-page
picture that box and those around it grow to their content."""


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def demo_server(root: Path):
    """``partnerkit serve --no-sign-in`` over a fresh demo folder; its base address."""
    data, port = root / "data", free_port()
    env = {**os.environ, "PARTNERKIT_DATA": str(data)}
    subprocess.run([sys.executable, "-m", "partnerkit", "demo", "--data", str(data)],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    with (root / "server.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "partnerkit", "serve", "--data", str(data), "--port",
             str(port), "--pool", "0"], stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url + "/signin", process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"partnerkit serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"partnerkit serve did not answer at {url}")


def sign_in(context, url: str, username: str) -> None:
    """Sign the browser context in through the sign-in page, as a person would."""
    from partnerkit.demo.accounts import DEMO_PASSWORD

    page = context.new_page()
    page.goto(url + "/signin")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + "/")
    page.close()


def workbook_address(url: str, name: str) -> str:
    """A workbook's page address, as the landing page links to it."""
    query = {"workspace": "demo", **PARAMS.get(name, {})}
    return f"{url}/voila/render/{name}.ipynb?{urlencode(query)}"


def wait_for_workbook(page) -> None:
    """Wait until Voilà has run the workbook and drawn its widgets."""
    page.wait_for_function(
        "() => !document.querySelector('#loading') && document.querySelector('#rendered_cells')"
        " && document.querySelector('#rendered_cells').style.display !== 'none'",
        timeout=240_000)
    page.wait_for_function(
        "() => !document.querySelector('script[type=\"application/vnd.jupyter.widget-view+json\"]')"
        " || document.querySelector('.jupyter-widgets')", timeout=240_000)
    page.wait_for_timeout(1500)  # let late widgets (figures) settle before the picture


def shoot(page, address: str, path: Path, workbook: bool, whole: bool = True) -> None:
    """Open ``address`` and save a screenshot to ``path`` (the whole page, or one screen)."""
    page.goto(address, timeout=240_000)
    if workbook:
        wait_for_workbook(page)
        if whole:
            page.evaluate(WHOLE_PAGE)
    page.screenshot(path=str(path), full_page=whole)
    print(f"saved {path}", flush=True)


def pages(url: str, guides_only: bool) -> list[tuple[str, str, bool]]:
    """(name, address, is a workbook) for every page to take."""
    from partnerkit import catalog

    found = [("landing", url + "/", False)]
    names = [w.name for w in catalog.available()]
    if guides_only:
        names = [n for n in GUIDE_SHOTS if n != "landing"]
    found += [(name, workbook_address(url, name), True) for name in names]
    if not guides_only:
        from partnerkit.serve.guides import GUIDES

        found += [(f"guide-{g.name}", f"{url}/guides/{g.name}", False) for g in GUIDES]
    return found


def main(argv: list[str] | None = None) -> None:
    """Take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("shots"))
    parser.add_argument("--guides-only", action="store_true",
                        help="only the pages the guides show, at the laptop width")
    parser.add_argument("--as", dest="username", default=None,
                        help="demo account to sign in as (default: demo-admin; demo-teacher "
                             "with --guides-only)")
    parser.add_argument("--only", action="append", default=[],
                        help="only pages whose name contains this (repeatable)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    widths = {"wide": WIDTHS["wide"]} if args.guides_only else WIDTHS
    username = args.username or ("demo-teacher" if args.guides_only else "demo-admin")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="partnerkit-shots-") as root, \
            demo_server(Path(root)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, address, workbook in pages(url, args.guides_only):
            if args.only and not any(o in name for o in args.only):
                continue
            for label, (width, height) in widths.items():
                context = browser.new_context(viewport={"width": width, "height": height},
                                              locale="en-GB", timezone_id="Europe/London")
                sign_in(context, url, username)
                suffix = "" if args.guides_only else f"-{label}"
                shoot(context.new_page(), address, args.out / f"{name}{suffix}.png", workbook,
                      whole=not args.guides_only)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
