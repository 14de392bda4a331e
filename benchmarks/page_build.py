"""What a served page builds in its kernel: widget models, time, imports, and where time went.

Not a test: a script that prints figures side by side. For each workbook it runs the
notebook with nbclient in a fresh kernel as a served page would (``PARTNERKIT_SERVED``
set, the page's query string in ``QUERY_STRING``, the demo admin as the account), on a
demo data folder, and reports:

* **widget models**: how many the page made (``len`` of the notebook's widget state),
  each of which the kernel makes, the server passes on and the browser builds;
* **kernel time**: the CPU and wall time of the page's cells after the first (the
  first cell's imports are what a preheated kernel does before anyone asks);
* **heavy modules**: which of pandas, matplotlib, matplotlib.pyplot, docx, openpyxl, ...
  were imported by the time the page was drawn;
* with ``--kinds``: how many models of each kind (``HTMLModel``, ``LayoutModel``, ...);
* with ``--profile``: the functions where the page's cells spent their time (cProfile,
  cumulative, partnerkit's and the libraries' own), so you can say where the time went.

Run it on this checkout alone, or beside another one (for example an export of the
release before a change)::

    git archive <commit> | tar -x -C /tmp/before
    python benchmarks/page_build.py --against /tmp/before [--workbooks mapping_tool principles]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
PAGES = {"mapping_tool": "workspace=demo&pupil=P-1001",
         "principles": "workspace=demo",
         "six_steps": "workspace=demo&step=1",
         "collaborative_working": "workspace=demo",
         "staged_support": "workspace=demo&pupil=P-1001",
         "reflective_log": "workspace=demo",
         "attendance": "workspace=demo"}
HEAVY = ("pandas", "matplotlib", "matplotlib.pyplot", "docx", "openpyxl", "weasyprint",
         "alembic", "sqlalchemy", "pydantic", "jinja2", "ipywidgets", "numpy")
PROFILE_START = ("import cProfile as _pk_cp, time as _pk_t\n"
                 "_pk_prof = _pk_cp.Profile() if {profile!r} else None\n"
                 "_pk_t0, _pk_c0 = _pk_t.perf_counter(), _pk_t.process_time()\n"
                 "_pk_prof and _pk_prof.enable()")
PROFILE_STOP = ("_pk_prof and _pk_prof.disable()\n"
                "_pk_wall, _pk_cpu = _pk_t.perf_counter() - _pk_t0, _pk_t.process_time() - _pk_c0\n"
                "import sys as _pk_sys, json as _pk_json\n"
                "_pk_prof and _pk_prof.dump_stats({stats!r})\n"
                "print('PK-PAGE ' + _pk_json.dumps({{'seconds': _pk_wall, 'cpu': _pk_cpu, "
                "'modules': [m for m in {heavy!r} if m in _pk_sys.modules]}}))")


def make_demo(checkout: Path, folder: Path) -> None:
    """Fill ``folder`` with the demo data, made by ``checkout``'s own ``partnerkit demo``."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    subprocess.run([sys.executable, "-m", "partnerkit", "demo", "--data", str(folder)],
                   env=env, check=True, capture_output=True, cwd=checkout)


def page_notebook(checkout: Path, workbook: str, stats: Path,
                  profile: bool) -> nbformat.NotebookNode:
    """The workbook with a profiling cell after its imports and one at its end."""
    nb = nbformat.read(checkout / "workbooks" / f"{workbook}.ipynb", as_version=4)
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    nb.cells.insert(code[0] + 1, nbformat.v4.new_code_cell(PROFILE_START.format(profile=profile)))
    nb.cells.append(nbformat.v4.new_code_cell(PROFILE_STOP.format(stats=str(stats),
                                                                  heavy=HEAVY)))
    return nb


def run_page(checkout: Path, data: Path, workbook: str, scratch: Path,
             profile: bool) -> dict:
    """Run one workbook as a served page; its widget count, times, modules and profile."""
    stats = scratch / f"{checkout.name}-{workbook}.prof"
    nb = page_notebook(checkout, workbook, stats, profile)
    env = {"PYTHONPATH": str(checkout), "PARTNERKIT_SERVED": "1",
           "QUERY_STRING": PAGES[workbook], "PARTNERKIT_DATA": str(data),
           "PARTNERKIT_ACCOUNT": "demo-admin"}
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(scratch)}},
                                store_widget_state=True)
        client.execute()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    state = nb.metadata.get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})
    line = next(o["text"] for o in nb.cells[-1].outputs if o.get("name") == "stdout")
    found = json.loads(line.split("PK-PAGE ", 1)[1])
    kinds = collections.Counter(model.get("model_name", "?") for model in state.values())
    return {"models": len(state), "kinds": kinds, "seconds": found["seconds"],
            "cpu": found["cpu"], "modules": found["modules"], "stats": stats}


def print_profile(stats: Path, top: int) -> None:
    """The functions with the most cumulative time in the page's cells."""
    table = pstats.Stats(str(stats))
    table.sort_stats("cumulative")
    rows = []
    for (file, line, name), (_cc, _nc, _tt, cum, _callers) in table.stats.items():
        short = file.split("site-packages/")[-1].split("/partnerkit/", 1)[-1]
        rows.append((cum, f"{short}:{line}({name})"))
    for cum, where in sorted(rows, reverse=True)[:top]:
        print(f"      {cum:7.3f} s  {where}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--against", type=Path, help="another checkout to run beside this one")
    parser.add_argument("--workbooks", nargs="*", default=list(PAGES), choices=list(PAGES))
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="print the N functions with the most cumulative time")
    parser.add_argument("--kinds", action="store_true",
                        help="print how many models of each kind the page made")
    args = parser.parse_args()
    checkouts = {"this checkout": ROOT}
    if args.against:
        checkouts[f"against {args.against}"] = args.against.resolve()
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        for i, (name, checkout) in enumerate(checkouts.items()):
            data = scratch / f"data-{i}"
            make_demo(checkout, data)
            print(f"== {name}")
            for workbook in args.workbooks:
                found = run_page(checkout, data, workbook, scratch, bool(args.profile))
                print(f"  {workbook:24} {found['models']:5d} widget models  "
                      f"cells: CPU {found['cpu']:5.2f} s, wall {found['seconds']:5.2f} s  "
                      f"imported: {', '.join(found['modules'])}")
                if args.kinds:
                    print("      " + ", ".join(f"{kind} {count}" for kind, count
                                               in found["kinds"].most_common()))
                if args.profile:
                    print_profile(found["stats"], args.profile)
    print(f"load average {os.getloadavg()[0]:.2f} (2 cores: above 2 the machine is busy)")


if __name__ == "__main__":
    main()
