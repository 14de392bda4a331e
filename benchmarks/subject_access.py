"""Time a subject access export for a pupil with a long history, beside a plain SQL dump.

Not a test: a script that prints figures. It builds a store in a temporary folder with
one pupil whose record has been worked on for years: a profile saved ``--profile-saves``
times (each save a new history entry), ``--connections`` map connections each changed
``--edits`` times, the six ASPIRE stages and ``--requests`` requests for assistance each
changed ``--edits`` times, ``--postcards`` postcards, answers, a real name, ``--reads``
audited reads by practitioners, and an attendance file of ``--pupils`` pupils with 380
half-day marks each (one school year). Then ``partnerkit pupil export`` is timed (as a
data-protection lead: gather, JSON, PDF), in its parts, ``--runs`` times.

Beside it, the floor a school without partnerkit's export would start from: the same
rows pulled with plain SQL (``SELECT`` of the records and history under the reference)
and ``grep`` of the attendance file, written as JSON, with no PDF and no audit entries;
and the legal limit it must meet, one calendar month (UK GDPR article 12(3)). Usage::

    python benchmarks/subject_access.py [--profile-saves 400] [--connections 40]
        [--edits 10] [--requests 10] [--postcards 40] [--reads 2000] [--pupils 200]
        [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from partnerkit.access import GuardedStore, load_account  # noqa: E402
from partnerkit.data_protection.bundle import export  # noqa: E402
from partnerkit.data_protection.holdings import gather  # noqa: E402
from partnerkit.data_protection.report import bundle_html  # noqa: E402
from partnerkit.reports import html_to_pdf  # noqa: E402
from partnerkit.store import Store  # noqa: E402

WORKSPACE, PUPIL = "school", "P-2001"
STAGES = ("assessment", "support", "planning", "implementation", "review", "evaluation")


def build(data: Path, args: argparse.Namespace) -> tuple[Store, int]:
    """The store with one long-worked pupil; returns it and the number of history entries."""
    store = Store(data=data)
    store.ensure_workspace(WORKSPACE)
    for user, role in (("dpo", "dp_lead"), ("teacher", "practitioner")):
        store.add_account(user, user, created_by="bench")
        store.set_membership(user, WORKSPACE, role, added_by="bench")
    save = store.save
    for n in range(args.profile_saves):
        save(WORKSPACE, "pupil_profile", PUPIL, {"pupil": PUPIL, "stage": f"S{1 + n % 6}",
             "current_challenges": f"week {n}: attendance dipped after a move; " * 3},
             "teacher")
    for c in range(args.connections):
        for e in range(args.edits):
            save(WORKSPACE, "connection", f"{PUPIL}/c{c}", {
                "pupil": PUPIL, "id": f"c{c}", "name": f"Partner {c}", "layer": "families",
                "notes": f"contact {e}: spoke about the morning routine"}, "teacher")
    for stage in STAGES:
        for e in range(args.edits):
            save(WORKSPACE, "staged_support_plan", f"{PUPIL}/{stage}", {
                "pupil": PUPIL, "stage": stage, "notes": f"review {e}"}, "teacher")
    for r in range(args.requests):
        for e in range(args.edits):
            save(WORKSPACE, "request_for_assistance", f"{PUPIL}/r{r}", {
                "pupil": PUPIL, "id": f"r{r}", "status": "requested",
                "partner_service": "school_nursing", "reason": f"request {r}, note {e}",
                "parent_carer_agreement": True, "learner_agreement": True,
                "requested_on": "2025-09-01"}, "teacher")
    for p in range(args.postcards):
        save(WORKSPACE, "postcard", f"{PUPIL}/p{p}", {
            "pupil": PUPIL, "id": f"p{p}", "card_type": "try_at_home",
            "strategy": f"strategy {p}"}, "teacher")
    store.set_real_name(WORKSPACE, PUPIL, "Ailsa Benchmark", "teacher")
    for _ in range(args.reads):
        store.audit("teacher", "read", allowed=True, workspace=WORKSPACE,
                    kind="pupil_profile", key=PUPIL)
    _attendance(data, args.pupils)
    return store, store.count_history(WORKSPACE)


def _attendance(data: Path, pupils: int) -> None:
    folder = data / WORKSPACE
    folder.mkdir(mode=0o700, exist_ok=True)
    day = dt.date(2024, 8, 20)
    days = [day + dt.timedelta(days=n) for n in range(266) if (day + dt.timedelta(n)).weekday() < 5]
    lines = ["Pupil Ref,Date,Session,Attendance Code"]
    for p in range(pupils):
        ref = PUPIL if p == 0 else f"P-{3000 + p}"
        lines += [f"{ref},{d:%d/%m/%Y},{s},10" for d in days[:190] for s in ("AM", "PM")]
    (folder / "attendance_marks.csv").write_text("\n".join(lines) + "\n")


CPU: dict[str, float] = {}
"""The median processor time of each timed step (this process only), by label."""


def timed(call, runs: int, label: str = "") -> tuple[float, object]:
    """The median wall time of ``runs`` calls, and the last result; processor time to CPU."""
    times, cpu, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = call()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU[label] = statistics.median(cpu)
    return statistics.median(times), result


def floor(store: Store, data: Path, out: Path) -> None:
    """Plain SQL of the pupil's rows and a scan of the attendance file, written as JSON."""
    with sqlite3.connect(store.path) as conn:
        rows = {t: conn.execute(f"SELECT * FROM {t} WHERE key = ? OR key LIKE ?",
                                (PUPIL, f"{PUPIL}/%")).fetchall() for t in ("records", "history")}
    marks = [line for line in (data / WORKSPACE / "attendance_marks.csv").open()
             if line.startswith(PUPIL + ",")]
    out.write_text(json.dumps({"rows": rows, "attendance": marks}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name, default in (("profile-saves", 400), ("connections", 40), ("edits", 10),
                          ("requests", 10), ("postcards", 40), ("reads", 2000),
                          ("pupils", 200), ("runs", 3)):
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        data = Path(temp) / "data"
        data.mkdir(mode=0o700)
        start = time.perf_counter()
        store, history = build(data, args)
        print(f"built the store in {time.perf_counter() - start:.1f} s: pupil {PUPIL} has "
              f"{history} history entries, {args.reads} audit entries, 380 attendance rows "
              f"(of {args.pupils * 380} in the file)")
        dpo = GuardedStore(store, load_account(store, "dpo"))
        gathered, bundle = timed(lambda: gather(dpo, WORKSPACE, PUPIL, data), args.runs,
                                 "gather")
        html_time, html = timed(lambda: bundle_html(bundle), args.runs, "html")
        pdf_time, pdf = timed(lambda: html_to_pdf(html), args.runs, "pdf")
        total, made = timed(lambda: export(dpo, WORKSPACE, PUPIL, Path(temp) / "out", data),
                            args.runs, "export")
        floor_time, _ = timed(lambda: floor(store, data, Path(temp) / "floor.json"), args.runs,
                              "floor")
        store.close()
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores; "
          f"median of {args.runs} runs")
    print(f"{'':<44}{'wall':>8}   {'CPU':>8}")
    for label, key, seconds in (
            ("partnerkit pupil export (JSON + PDF)", "export", total),
            ("  of which: gather from store and files", "gather", gathered),
            ("  of which: page HTML", "html", html_time),
            ("  of which: PDF (WeasyPrint)", "pdf", pdf_time),
            ("plain SQL + grep to JSON (no PDF, no audit)", "floor", floor_time)):
        print(f"{label:<44}{seconds:>7.2f}s   {CPU[key]:>7.2f}s")
    print(f"bundle: {made.records} records, {made.history} history entries, "
          f"{len(pdf) // 1024} KB PDF")
    print(f"{'the issue target':<44}{60:>8.2f} s")
    print(f"{'the legal limit (UK GDPR art. 12(3))':<44}{'1 calendar month':>17}")


if __name__ == "__main__":
    main()
