"""Where the time of one served page goes: in its kernel, in the server, in Chromium.

Not a test: a script that prints a breakdown. It makes a demo data folder, starts
``partnerkit serve --no-sign-in`` with one preheated kernel for the workbook, and opens
the page once in Debian's Chromium while

* **the kernel** times every cell it runs, and profiles it (an IPython start-up file in
  a temporary ``IPYTHONDIR``, so nothing in the package changes): wall and CPU seconds per
  cell, what ran after the page's request arrived, and the functions that took longest;
* **Chromium** records a performance trace (``browser.start_tracing``): the renderer's
  main-thread time by kind of work (script, style and layout, paint, parsing), and the
  page's own marks (the HTML's arrival, the first usable field);
* **the server** (its own process, apart from its kernels) is read from ``/proc``.

Usage::

    python benchmarks/page_profile.py [--workbook mapping_tool] [--query "pupil=P-1001"]
                                      [--trace-out trace.json]

Chromium's trace can be opened in Chromium's DevTools (Performance, "Load profile").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve_latency import (  # noqa: E402 - the sibling benchmark's server helpers
    CHROMIUM,
    CHROMIUM_ARGS,
    FIRST_FIELD,
    _cpu_seconds,
    _descendants,
    field_clock,
    first_field_seconds,
    kernel_pids,
    load_average,
    started,
)

KERNEL_TIMER = '''
import cProfile, gc, json, os, pstats, time, io
_out = os.path.join(os.environ["PK_PROFILE_DIR"], f"{os.getpid()}.jsonl")
_state = {}
_gc = {"seconds": 0.0, "full": 0, "started": 0.0}

def _gc_timer(phase, info):
    if phase == "start":
        _gc["started"] = time.perf_counter()
        return
    _gc["seconds"] += time.perf_counter() - _gc["started"]
    _gc["full"] += info["generation"] == 2

gc.callbacks.append(_gc_timer)

def _before(info):
    _state["wall"], _state["cpu"] = time.perf_counter(), time.process_time()
    _state["gc"], _state["full"] = _gc["seconds"], _gc["full"]
    _state["requested"] = "SCRIPT_NAME" in os.environ
    _state["profile"] = cProfile.Profile()
    _state["profile"].enable()

def _after(result):
    profile = _state.pop("profile", None)
    if profile is None:
        return
    profile.disable()
    wall = time.perf_counter() - _state["wall"]
    cpu = time.process_time() - _state["cpu"]
    stats = pstats.Stats(profile)
    rows = []
    for (path, line, name), (_, calls, own, cumulative, _) in stats.stats.items():
        rows.append((cumulative, own, f"{os.path.basename(path)}:{line} {name}", calls))
    rows.sort(reverse=True)
    own = sorted(rows, key=lambda r: r[1], reverse=True)[:12]
    record = {"cell": (result.info.raw_cell or "").strip().splitlines()[:1],
              "wall": wall, "cpu": cpu, "request_seen_before": _state["requested"],
              "gc": _gc["seconds"] - _state["gc"], "full_gc": _gc["full"] - _state["full"],
              "request_seen_after": "SCRIPT_NAME" in os.environ, "at": time.time(),
              "own": [(r[2], round(r[1], 4), r[3]) for r in own]}
    with open(_out, "a") as f:
        f.write(json.dumps(record) + "\\n")
    if os.environ.get("PK_PROFILE_KEEP"):
        _state["n"] = _state.get("n", 0) + 1
        profile.dump_stats(os.path.join(os.environ["PK_PROFILE_KEEP"],
                                        f"{os.getpid()}-{_state['n']:02d}.prof"))

get_ipython().events.register("pre_run_cell", _before)
get_ipython().events.register("post_run_cell", _after)
'''

MAIN_THREAD_KINDS = {
    "script": {"EvaluateScript", "FunctionCall", "v8.compile", "v8.compileModule",
               "TimerFire", "EventDispatch", "RunMicrotasks", "V8.GC_SCAVENGER", "MinorGC",
               "MajorGC", "v8.run"},
    "style and layout": {"UpdateLayoutTree", "Layout", "RecalculateStyles",
                         "ScheduleStyleRecalculation", "InvalidateLayout",
                         "UpdateLayerTree", "PrePaint"},
    "paint": {"Paint", "PaintImage", "CompositeLayers", "Layerize", "Commit"},
    "parsing HTML/CSS": {"ParseHTML", "ParseAuthorStyleSheet"},
}


def renderer_main_threads(events: list[dict]) -> set[tuple[int, int]]:
    """(pid, tid) of every renderer's main thread in the trace."""
    return {(e["pid"], e["tid"]) for e in events
            if e.get("ph") == "M" and e.get("name") == "thread_name"
            and e.get("args", {}).get("name") == "CrRendererMain"}


def main_thread_time(events: list[dict]) -> tuple[Counter, float]:
    """Milliseconds of top-level work on the renderers' main threads, by kind."""
    threads = renderer_main_threads(events)
    busy = Counter()
    total = 0.0
    for event in events:
        if event.get("ph") != "X" or (event.get("pid"), event.get("tid")) not in threads:
            continue
        if event.get("name") != "RunTask":
            continue
        total += event.get("dur", 0) / 1000
    for event in events:
        if event.get("ph") != "X" or (event.get("pid"), event.get("tid")) not in threads:
            continue
        for kind, names in MAIN_THREAD_KINDS.items():
            if event.get("name") in names:
                busy[kind] += event.get("dur", 0) / 1000
    return busy, total


def kernel_cells(folder: Path) -> list[dict]:
    """The cell records every kernel wrote, in the order they ran."""
    records = []
    for path in folder.glob("*.jsonl"):
        for line in path.read_text().splitlines():
            record = json.loads(line)
            record["pid"] = int(path.stem)
            records.append(record)
    return sorted(records, key=lambda r: r["at"])


def print_kernel(records: list[dict], page_pid: int | None) -> None:
    cells = [r for r in records if r["pid"] == page_pid]
    if not cells:
        print("kernel: no cell records (the page's kernel did not run the timer)")
        return
    before = [c for c in cells if not c["request_seen_after"]]
    after = [c for c in cells if c["request_seen_after"]]
    print(f"\nKernel {page_pid}: {len(before)} cells before the request (preheated), "
          f"{len(after)} after it")
    print(f"  preheat: {sum(c['wall'] for c in before):.2f} s wall, "
          f"{sum(c['cpu'] for c in before):.2f} s CPU")
    print(f"  after the request: {sum(c['cpu'] for c in after):.2f} s CPU "
          "(the cell that waited for the request counts only its CPU)")
    print(f"  of which garbage collection: {sum(c.get('gc', 0) for c in after):.3f} s, "
          f"{sum(c.get('full_gc', 0) for c in after)} full collection(s)")
    for cell in after:
        label = (cell["cell"] or [""])[0][:60]
        print(f"    {cell['cpu']:6.3f} s CPU {cell['wall']:7.3f} s wall  {label}")
    slow = Counter()
    for cell in after:
        for name, seconds, _ in cell["own"]:
            slow[name] += seconds
    print("  after the request, functions by their own time:")
    for name, seconds in slow.most_common(12):
        print(f"    {seconds:6.3f} s  {name}")


def open_once(url: str, trace_path: Path, field_selector: str = FIRST_FIELD
              ) -> dict[str, float]:
    """Open the page once with a performance trace; the page's marks in seconds."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        context.add_init_script(field_clock(field_selector))
        page = context.new_page()
        browser.start_tracing(page=page, path=str(trace_path), screenshots=False,
                              categories=["devtools.timeline", "v8.execute", "loading",
                                          "blink.user_timing", "disabled-by-default-"
                                          "devtools.timeline"])
        page.goto(url, wait_until="commit")
        field = first_field_seconds(page, 120)
        marks = page.evaluate("""() => {
            const n = performance.getEntriesByType('navigation')[0];
            return {first_byte: n.responseStart / 1000, html_done: n.responseEnd / 1000,
                    dom_ready: n.domContentLoadedEventEnd / 1000};
        }""")
        browser.stop_tracing()
        context.close()
        browser.close()
    return {**marks, "first_field": field}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbook", default="mapping_tool")
    parser.add_argument("--query", default="workspace=demo&pupil=P-1001")
    parser.add_argument("--trace-out", type=Path, help="keep Chromium's trace here")
    parser.add_argument("--field", default=FIRST_FIELD,
                        help=f"the page's first usable field (default: {FIRST_FIELD!r})")
    args = parser.parse_args(argv)

    from partnerkit.demo import create_demo

    folder = Path(tempfile.mkdtemp(prefix="pk-profile-"))
    try:
        data, ipython, profiles = folder / "data", folder / "ipython", folder / "profiles"
        create_demo(data=data)
        startup = ipython / "profile_default" / "startup"
        startup.mkdir(parents=True)
        (startup / "00-partnerkit-timer.py").write_text(KERNEL_TIMER)
        profiles.mkdir()
        env = {**os.environ, "PARTNERKIT_DATA": str(data), "IPYTHONDIR": str(ipython),
               "PK_PROFILE_DIR": str(profiles)}
        env.pop("PARTNERKIT_DATABASE_URL", None)
        command = [sys.executable, "-m", "partnerkit", "serve", "--data", str(data),
                   "--no-sign-in", "--pool", "0", "--pool", f"{args.workbook}=1"]
        path = f"/voila/render/{args.workbook}.ipynb?{args.query}"
        with started("profile", command, env, path, "/", folder, 1) as server:
            server.wait_for_pool()
            time.sleep(3)  # let the pool kernel's start-up finish before measuring
            pool_kernels = set(kernel_pids(server.process.pid))
            server_cpu = _cpu_seconds(server.process.pid)
            kernels_cpu = sum(_cpu_seconds(p) for p in _descendants(server.process.pid)
                              if p != server.process.pid)
            trace = args.trace_out or folder / "trace.json"
            marks = open_once(server.url, trace, args.field)
            server_used = _cpu_seconds(server.process.pid) - server_cpu
            page_pid = next(iter(pool_kernels), None)
            kernels_used = sum(_cpu_seconds(p) for p in _descendants(server.process.pid)
                               if p != server.process.pid) - kernels_cpu
            time.sleep(1)
            records = kernel_cells(profiles)
        print(f"{args.workbook}, one page, preheated kernel; load average {load_average()}")
        print(f"  first byte {marks['first_byte']:.2f} s, HTML done {marks['html_done']:.2f} s,"
              f" DOM ready {marks['dom_ready']:.2f} s, first usable field "
              f"{marks['first_field']:.2f} s")
        print(f"  server process CPU {server_used:.2f} s; its kernels' CPU {kernels_used:.2f} s"
              " (includes the pool's new kernel starting)")
        busy, total = main_thread_time(json.loads(trace.read_text())["traceEvents"])
        print(f"\nChromium renderer main thread: {total / 1000:.2f} s busy in tasks")
        for kind, ms in busy.most_common():
            print(f"    {ms / 1000:6.2f} s  {kind}")
        print_kernel(records, page_pid)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
