"""What a page waiting on its loading spinner costs the machine, in Chromium's CPU.

Not a test: a script that prints a table. It builds three pages from the real files,
Voilà's spinner (``templates/base/spinner.macro.html.j2``) with

* Voilà's own style (a CSS animation, turning smoothly),
* partnerkit's style before issue 15's change (the same animation in 8 steps a turn),
* partnerkit's page as shipped (``templates/voila/partnerkit.css`` and
  ``spinner.js.j2``: no CSS animation, a timer turns it a step a second),

opens ``--pages`` copies of each in one headless Chromium (one context each, as the
training-room benchmark does) and reads Chromium's CPU from ``/proc`` over ``--seconds``.
A room of 30 pages waiting 100 s each pays the figure per page and second 3,000 times.

Usage::

    python benchmarks/spinner_cost.py [--pages 10] [--seconds 15]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import jinja2

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve_latency import (  # noqa: E402 - the sibling benchmark's helpers
    CHROMIUM,
    CHROMIUM_ARGS,
    _cpu_seconds,
    _descendants,
    load_average,
)

ROOT = Path(__file__).resolve().parent.parent
OURS = ROOT / "templates" / "voila"
STEPS_BEFORE = "<style>.spinner { animation-timing-function: steps(8, end) !important; }</style>"


def voila_spinner() -> jinja2.Template:
    """Voilà's spinner macros, from the Voilà installed beside partnerkit."""
    import voila.paths

    for folder in voila.paths.jupyter_path("voila", "templates"):
        macro = Path(folder) / "base" / "spinner.macro.html.j2"
        if macro.exists():
            return jinja2.Template(macro.read_text(encoding="utf-8"))
    raise SystemExit("Voilà's spinner.macro.html.j2 was not found: is voila installed?")


def pages(folder: Path) -> dict[str, Path]:
    """The three waiting pages, written into ``folder``."""
    spinner = voila_spinner().module
    ours = jinja2.Environment(loader=jinja2.FileSystemLoader(OURS))
    shipped = ("<style>" + (OURS / "partnerkit.css").read_text(encoding="utf-8")
               + "</style>" + ours.get_template("spinner.js.j2").render())
    heads = {"Voilà's spinner": "", "partnerkit before (CSS, 8 steps a turn)": STEPS_BEFORE,
             "partnerkit now (a timer, a step a second)": shipped}
    written = {}
    for number, (name, head) in enumerate(heads.items()):
        path = folder / f"waiting{number}.html"
        path.write_text(f"<!doctype html><html><head>{spinner.css()}{head}</head>"
                        f"<body>{spinner.html()}</body></html>", encoding="utf-8")
        written[name] = path
    return written


def chromium_cpu_while_waiting(page_file: Path, copies: int, seconds: float) -> float:
    """Chromium's CPU seconds over ``seconds`` with ``copies`` of the page open."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(copies):
            browser.new_context().new_page().goto(page_file.as_uri())
        time.sleep(2)  # every page drawn once
        processes = _descendants(os.getpid())
        before = {pid: _cpu_seconds(pid) for pid in processes}
        time.sleep(seconds)
        used = sum(_cpu_seconds(pid) - start for pid, start in before.items())
        browser.close()
    return used


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10, help="pages waiting together")
    parser.add_argument("--seconds", type=float, default=15, help="seconds measured")
    options = parser.parse_args()
    load_before = load_average()
    print(f"{options.pages} pages waiting together for {options.seconds:.0f} s "
          "in headless Chromium")
    print(f"{'':44s} {'CPU ms per page per second':>27s}")
    with tempfile.TemporaryDirectory(prefix="pk-spinner-") as folder:
        for name, path in pages(Path(folder)).items():
            used = chromium_cpu_while_waiting(path, options.pages, options.seconds)
            print(f"{name:44s} {used / options.pages / options.seconds * 1000:27.1f}")
    print(f"load avg {load_before} -> {load_average()} (2 cores: {os.cpu_count()} here)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
