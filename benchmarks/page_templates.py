"""The server CPU a Voilà page spends loading its templates: Voilà as it is, and compiled once.

Not a test: a script that prints two figures side by side. Voilà makes a new exporter,
and so a new Jinja environment, for every page; each one reads and compiles the page
templates again. ``partnerkit serve`` gives them one shared cache of compiled templates
(:mod:`partnerkit.serve.page_templates`). This loads the templates a partnerkit page uses
through a fresh exporter per page, ``--pages`` times each way, and prints the median CPU
per page. Usage::

    python benchmarks/page_templates.py [--pages 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USED = ("index.html.j2", "lab/index.html.j2", "base.html.j2", "display_priority.j2", "null.j2",
        "celltags.j2", "cell_id_anchor.j2", "mathjax.html.j2", "jupyter_widgets.html.j2",
        "log.macro.html.j2", "spinner.macro.html.j2", "voila_setup.macro.html.j2",
        "how_to_use.html.j2", "kernel_life.js.j2", "mermaidjs.html.j2", "lab/base.html.j2")
"""The templates a partnerkit page is drawn from (partnerkit's, Voilà's lab and nbconvert's)."""


def template_paths() -> list[str]:
    from voila.paths import collect_template_paths

    return [str(ROOT / "templates" / "voila"), *collect_template_paths(["voila", "nbconvert"],
                                                                       "lab")]


def cpu_per_page(pages: int) -> list[float]:
    """CPU seconds to load the page templates through a new exporter, once per page."""
    from voila.exporter import VoilaExporter

    paths, times = template_paths(), []
    for _ in range(pages):
        start = time.process_time()
        environment = VoilaExporter(template_paths=paths, template_name="lab").environment
        for name in USED:
            try:
                environment.get_template(name)
            except Exception:  # noqa: BLE001 - nbconvert's filters are only set while a page renders
                pass
        times.append(time.process_time() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=15)
    args = parser.parse_args()
    as_it_is = cpu_per_page(args.pages)
    from partnerkit.serve.page_templates import share_compiled_templates

    share_compiled_templates()
    shared = cpu_per_page(args.pages + 1)
    print(f"CPU per page to load {len(USED)} page templates, median of {args.pages} pages:")
    plain_ms, shared_ms = statistics.median(as_it_is) * 1000, statistics.median(shared[1:]) * 1000
    print(f"  Voilà as it is (compiled for every page)   {plain_ms:6.1f} ms")
    print(f"  partnerkit serve (compiled once)           {shared_ms:6.1f} ms"
          f"   (its first page {shared[0] * 1000:.1f} ms)")
    print(f"load average {os.getloadavg()[0]:.2f} (2 cores: above 2 the machine is busy)")


if __name__ == "__main__":
    main()
