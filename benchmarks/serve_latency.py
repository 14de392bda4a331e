"""Page speed of ``partnerkit serve`` against plain ``voila`` on the same machine and data.

Not a test: a script that prints figures side by side. It makes a temporary demo data
folder, starts ``partnerkit serve --no-sign-in`` (signing in is one request before a
person's first page, not part of each page) and plain ``voila workbooks/mapping_tool.ipynb``
(reading the same folder through ``PARTNERKIT_DATA``), then drives Debian's Chromium:

* single page: the time from asking for the mapping workbook until its first form field
  is visible and enabled (timed by the page itself: :func:`field_clock`), for
  ``--loads`` loads each in a fresh browser context (nothing cached); partnerkit waits
  for its pool to refill between loads, so each load gets a preheated kernel. Also
  partnerkit with ``--pool 0`` (an empty pool: every page starts its own kernel), to
  show what an empty pool costs. After each fresh load the same person opens the page
  again in the same context (a person's next page: the browser's cache, and Chromium's
  cache of compiled scripts, are warm, as for every page after someone's first);
  ``--skip-next`` leaves that out.
* training room: ``--room`` loads of the same workbook started together (one browser,
  one context per practitioner, its tabs opened and Chromium quiet before the room's
  clock starts: :data:`QUIET_CHROMIUM_CORES`): p50, p95, failures, and the server's peak memory (the
  proportional memory, PSS, of the server and all its kernels, summed, sampled every
  5 s and as the last page has loaded: a page a forked kernel shares with its template
  counts once; reading it costs CPU, see :data:`MEMORY_EVERY_S`). Chromium runs on
  the same cores as the server here, unlike a real room where each person has a computer, so
  the CPU seconds the server (with its kernels) and Chromium spent per page are printed
  too: the server's share is what a room costs the machine that serves it.
* soak (``benchmarks/soak.py``): ``--soak-people`` simulated people each visiting
  ``--soak-pages`` workbook pages in turn over ``--soak-minutes``, leaving each with its
  shutdown beacon: failures, memory and kernels at the same moment of every round, and
  the kernels still alive at the end.

Every figure is printed with the load average of the machine, since other work on the
machine slows both servers. Usage::

    python benchmarks/serve_latency.py [--loads 5] [--room 30] [--skip-plain]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
POOL_READY = re.compile(r"(\d+) of (\d+) pages ready")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FIRST_FIELD = ".pk-form input:not([disabled])"
WORKBOOK = "mapping_tool"
QUERY = "workspace=demo&pupil=P-1001"
PAGE_TIMEOUT_S = 300
SINGLE_TIMEOUT_S = 120
WATCH_EVERY_MS = 100
"""How often the room's pages are asked whether their HTML has arrived. Playwright's
default asks on every animation frame: sixty times a second in each of the room's pages,
each a frame for Chromium to draw (the renderer, GPU and browser processes), which a
person's browser would not be drawing."""
FIELD_CLOCK = """(() => {
  // Notes, in the page, when its first form field is first visible: the time since the
  // page was asked for (performance.now()), read once the page has been drawn with it.
  // The page is watched for changes (no timer, no animation frame while it loads), and a
  // field once present is looked at on the next frame, as a person would see it.
  const selector = SELECTOR;
  let looking = false;
  const look = () => {
    looking = false;
    const field = document.querySelector(selector);
    if (field && field.getClientRects().length > 0
        && getComputedStyle(field).visibility !== "hidden") {
      window.__pkFieldSeen = performance.now();
      watch.disconnect();
    }
  };
  const watch = new MutationObserver(() => {
    if (!looking && document.querySelector(selector)) {
      looking = true;
      requestAnimationFrame(look);
    }
  });
  watch.observe(document, { subtree: true, childList: true, attributes: true });
})();"""
FIELD_SEEN = "() => window.__pkFieldSeen"
MEMORY_EVERY_S = 5.0
"""How often a room samples the server's proportional memory. Reading it is not free:
with 30 kernels one reading took 0.21 s of CPU, so sampling every 0.2 s (as this did)
took half a core from the room it measured, on a machine of two."""
ROOM_CPU_EVERY_S = 0.5
"""How often a room samples CPU by process (9 ms a reading with 30 kernels and 30 tabs);
single pages sample every 0.1 s (few processes, and a kernel ending inside counts)."""
QUIET_CHROMIUM_CORES = 0.1
QUIET_WATCH_S = 0.5
QUIET_TIMEOUT_S = 60.0
"""A room's 30 tabs are opened (each an empty page in a renderer of its own) before any
is sent to the page; Chromium then goes on starting them for about 5 s at both cores
(9 CPU seconds, measured). The room's clock starts once Chromium uses less than
``QUIET_CHROMIUM_CORES`` over ``QUIET_WATCH_S``: before, the tabs' start-up fell inside
it and was counted as the room's (in a real room each browser opened long before)."""
CPU_SETTLE_S = 2.0
"""After the first field shows, the CPU of a single page is read this much later."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f}/{five:.1f}"


@dataclass
class Server:
    """A running server: its page address, process and log."""

    name: str
    url: str
    process: subprocess.Popen
    log: Path
    pool: int = 0
    peak_memory: int = 0
    used: int = 0
    cpu: list[dict[str, float]] = field(default_factory=list)
    next_pages: bool = False
    next_times: list[float | None] = field(default_factory=list)
    next_cpu: list[dict[str, float]] = field(default_factory=list)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def ready_kernels(self) -> int:
        return self.log_text().count("is ready for a page")

    def wait_for_pool(self, timeout: float = 600) -> None:
        """Wait until the pool is full of kernels waiting for a page (no-op without one).

        Each preheated kernel says in the log when it has done its set-up and waits for
        a request; every page load used one, and the pool replaces it.
        """
        if not self.pool:
            return
        wanted = self.pool + self.used
        deadline = time.monotonic() + timeout
        while self.ready_kernels() < wanted:
            if time.monotonic() > deadline:
                print(f"{self.name}: only {self.ready_kernels() - self.used} of {self.pool} "
                      f"pool kernels ready after {timeout:.0f} s; going on", file=sys.stderr)
                return
            time.sleep(0.5)

    @contextmanager
    def sampling_memory(self, every: float = MEMORY_EVERY_S):
        """Sample the proportional memory of the server's process tree while inside: on
        entry, every ``every`` seconds, and on leaving (when a room's pages have all
        loaded, its most likely peak)."""
        self.peak_memory = tree_pss(self.process.pid)
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(every):
                self.peak_memory = max(self.peak_memory, tree_pss(self.process.pid))

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        try:
            yield
            self.peak_memory = max(self.peak_memory, tree_pss(self.process.pid))
        finally:
            stop.set()
            thread.join()


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    return children


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants (shared pages counted
    in each; ``benchmarks/hub_latency.py`` compares single-user servers with it)."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for current in _descendants(pid):
        try:
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
    return total


def pss(pid: int) -> int:
    """Proportional memory of one process (bytes; 0 if it has gone): each page it shares
    with others (a forked kernel's with its template) counted as its share."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return sum(int(line.split()[1]) * 1024 for line in rollup.splitlines()
               if line.startswith("Pss:"))


def tree_pss(pid: int) -> int:
    """Proportional memory (bytes) of a process and all its descendants: a page shared by
    several of them is counted once in the sum."""
    return sum(pss(current) for current in _descendants(pid))


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _descendants(pid: int) -> list[int]:
    children, found, todo = _children(), [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def cpu_by_process(server_pid: int) -> dict[int, tuple[str, float]]:
    """CPU seconds used so far by each process of the server (with its kernels) and of Chromium."""
    server = _descendants(server_pid)
    browser = [pid for pid in _descendants(os.getpid()) if pid not in server
               and "chromium" in _cmdline(pid)]
    return {**{pid: ("server", _cpu_seconds(pid)) for pid in server},
            **{pid: ("browser", _cpu_seconds(pid)) for pid in browser}}


class CpuWindow:
    """The CPU the server (with its kernels) and Chromium use while inside, in seconds.

    Sampled every ``every`` seconds (0.1 s; a room 0.5 s), so a process that ends inside
    (a page's kernel shut down as its next page loads, a closed tab's renderer) still
    counts, up to its last sample; summing the living at the start and the end would take
    its whole CPU off.
    """

    def __init__(self, server_pid: int, every: float = 0.1) -> None:
        self.server_pid = server_pid
        self.every = every
        self.first: dict[int, tuple[str, float]] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self._running = False
        self._thread: threading.Thread | None = None

    def __enter__(self) -> CpuWindow:
        self.first = cpu_by_process(self.server_pid)
        self.last = dict(self.first)
        self._running = True
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()
        return self

    def _poll(self) -> None:
        while self._running:
            self.last.update(cpu_by_process(self.server_pid))
            time.sleep(self.every)

    def __exit__(self, *_exc: object) -> None:
        self._running = False
        if self._thread:
            self._thread.join()
        self.last.update(cpu_by_process(self.server_pid))

    def used(self) -> dict[str, float]:
        """CPU seconds used inside the window: {"server": ..., "browser": ...}."""
        totals = {"server": 0.0, "browser": 0.0}
        for pid, (kind, seconds_now) in self.last.items():
            totals[kind] += seconds_now - self.first.get(pid, (kind, 0.0))[1]
        return totals


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"no answer at {url}")


@contextmanager
def started(name: str, command: list[str], env: dict[str, str], page_path: str,
            ready_path: str, folder: Path, pool: int = 0):
    port = free_port()
    log = folder / f"{name.replace(' ', '_')}.log"
    with log.open("w") as out:
        process = subprocess.Popen([*command, "--port", str(port)], stdout=out,
                                   stderr=subprocess.STDOUT, env=env, cwd=folder)
    server = Server(name, f"http://127.0.0.1:{port}{page_path}", process, log, pool)
    try:
        wait_until_up(f"http://127.0.0.1:{port}{ready_path}", process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def single_page(server: Server, loads: int) -> list[float | None]:
    """Seconds to the first interactive form field, one fresh context per load.

    A load that does not get there within ``SINGLE_TIMEOUT_S`` counts as a failure
    (``None``); plain Voilà sometimes hangs for good under load (see
    ``partnerkit/serve/kernels.py``). With ``server.next_pages``, each fresh load is
    followed by the same person's next page in the same context (its browser cache
    warm, as for every page after someone's first): those times go to
    ``server.next_times`` and their CPU to ``server.next_cpu``.
    """
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(loads):
            context = browser.new_context()
            context.add_init_script(field_clock())
            page = context.new_page()
            times.append(_timed_load(server, page, server.cpu))
            if server.next_pages:
                server.next_times.append(_timed_load(server, page, server.next_cpu))
            context.close()
        browser.close()
    return times


def field_clock(selector: str = FIRST_FIELD) -> str:
    """The first-field clock, for every page a benchmark opens (``add_init_script``).

    Playwright's ``wait_for_selector`` looks every 0.5 s once it has waited 0.27 s, so
    the time it reports can be up to half a second late: more than the whole gap to the
    one-second goal. The page's own clock is read instead; Playwright only waits for it.
    """
    return FIELD_CLOCK.replace("SELECTOR", json.dumps(selector))


def first_field_seconds(page, timeout_s: float) -> float:
    """Seconds from asking for the page in ``page`` to its first field (the page's clock)."""
    seen = page.wait_for_function(FIELD_SEEN, polling=WATCH_EVERY_MS, timeout=timeout_s * 1000)
    return seen.json_value() / 1000


async def first_field_seconds_async(page, timeout_s: float) -> float:
    """:func:`first_field_seconds` for Playwright's asyncio pages."""
    seen = await page.wait_for_function(FIELD_SEEN, polling=WATCH_EVERY_MS,
                                        timeout=timeout_s * 1000)
    return await seen.json_value() / 1000


def _timed_load(server: Server, page, cpu: list[dict[str, float]]) -> float | None:
    """Load the page in ``page`` (after the pool has refilled); seconds, or None."""
    server.wait_for_pool()
    try:
        with CpuWindow(server.process.pid) as window:
            page.goto(server.url, wait_until="commit", timeout=SINGLE_TIMEOUT_S * 1000)
            seconds_taken = first_field_seconds(page, SINGLE_TIMEOUT_S)
            time.sleep(CPU_SETTLE_S)  # the page finishes drawing what is below the field
        cpu.append(window.used())
    except Exception:  # noqa: BLE001 - a failed load is counted, not raised
        seconds_taken = None
    server.used += 1
    return seconds_taken


async def _room(url: str, people: int, server_pid: int
                ) -> tuple[list[float], list[float], int, dict[str, float], str]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = [await browser.new_context() for _ in range(people)]
        for context in contexts:
            await context.add_init_script(field_clock())
        pages = [await c.new_page() for c in contexts]
        await until_chromium_is_quiet(server_pid)

        async def one(page) -> tuple[float | None, float | None]:
            try:
                await page.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT_S * 1000)
                await page.wait_for_function(
                    "() => performance.getEntriesByType('navigation')[0]?.responseEnd > 0",
                    polling=WATCH_EVERY_MS, timeout=PAGE_TIMEOUT_S * 1000)
                html_done = await page.evaluate(
                    "performance.getEntriesByType('navigation')[0].responseEnd / 1000")
                return await first_field_seconds_async(page, PAGE_TIMEOUT_S), html_done
            except Exception as exc:  # noqa: BLE001 - a failed load is counted, not raised
                print(f"a page failed: {type(exc).__name__}: {str(exc)[:200]}; "
                      f"it showed: {await what_a_page_shows(page)}", file=sys.stderr)
                return None, None

        with CpuWindow(server_pid, every=ROOM_CPU_EVERY_S) as window:
            results = await asyncio.gather(*(one(page) for page in pages))
        memory = kernel_memory_mib(server_pid)
        for context in contexts:
            await context.close()
        await browser.close()
    done = [r[0] for r in results if r[0] is not None]
    html = [r[1] for r in results if r[1] is not None]
    return done, html, sum(1 for r in results if r[0] is None), window.used(), memory


def chromium_cpu_seconds(server_pid: int) -> float:
    """CPU seconds used so far by this benchmark's Chromium processes (those alive)."""
    return sum(seconds for kind, seconds in cpu_by_process(server_pid).values()
               if kind == "browser")


async def until_chromium_is_quiet(server_pid: int) -> None:
    """Wait until Chromium has finished opening the room's tabs (see QUIET_CHROMIUM_CORES)."""
    deadline = time.monotonic() + QUIET_TIMEOUT_S
    before = chromium_cpu_seconds(server_pid)
    while time.monotonic() < deadline:
        await asyncio.sleep(QUIET_WATCH_S)
        now = chromium_cpu_seconds(server_pid)
        if now - before < QUIET_CHROMIUM_CORES * QUIET_WATCH_S:
            return
        before = now
    print(f"Chromium was still busy {QUIET_TIMEOUT_S:.0f} s after opening the room's tabs; "
          "the room starts anyway", file=sys.stderr)


PAGE_STATE = """() => ({
  spinner: !!document.querySelector('#loading'),
  cells_shown: !!document.querySelector('#rendered_cells')
               && document.querySelector('#rendered_cells').style.display !== 'none',
  outputs_waiting: document.querySelectorAll(
      'script[type="application/vnd.voila.cell-output+json"]').length,
  widgets: document.querySelectorAll('.jupyter-widgets').length,
  fields: document.querySelectorAll('.pk-form input').length,
  kernel: window.partnerkitPage ? window.partnerkitPage.kernel.connectionStatus
                                + '/' + window.partnerkitPage.kernel.status : null,
  message: (document.querySelector('#pk-connection-lost.pk-shown') || {}).textContent || null,
})"""
"""What a page that never got ready shows: its spinner, its cells, its widgets and fields,
its kernel connection (partnerkit's pages) and any message it gives."""


async def what_a_page_shows(page) -> str:
    try:
        return json.dumps(await page.evaluate(PAGE_STATE))
    except Exception as exc:  # noqa: BLE001 - the page may be gone
        return f"(nothing: {type(exc).__name__})"


def training_room(server: Server, people: int) -> dict[str, str]:
    server.wait_for_pool()
    before = load_average()
    with server.sampling_memory():
        done, html, failures, cpu, memory = asyncio.run(
            _room(server.url, people, server.process.pid))
    return {"p50": seconds(percentile(done, 50)), "p95": seconds(percentile(done, 95)),
            "memory/kernel (PSS)": memory, "html p95": seconds(percentile(html, 95)),
            "failures": f"{failures} of {people}",
            "peak memory": f"{server.peak_memory / 2**30:.2f} GiB",
            "server CPU/page": f"{cpu['server'] / people:.2f} s",
            "Chromium CPU/page": f"{cpu['browser'] / people:.2f} s",
            "load avg": f"{before} -> {load_average()}"}


def median_cpu(samples: list[dict[str, float]]) -> dict[str, str]:
    """The median CPU seconds of single pages, for the server (with kernels) and Chromium."""
    if not samples:
        return {}
    return {key: f"{statistics.median(s[key] for s in samples):.2f} s" for key in samples[0]}


def kernel_pids(server_pid: int) -> list[int]:
    """The server's kernel processes (its descendants running ipykernel)."""
    return [pid for pid in _descendants(server_pid) if "ipykernel" in _cmdline(pid)]


def kernel_memory_mib(server_pid: int) -> str:
    """Average proportional memory of the server's kernels now, in MiB (PSS)."""
    sizes = [size / 2**20 for size in map(pss, kernel_pids(server_pid)) if size]
    return f"{statistics.mean(sizes):.0f} MiB x {len(sizes)}" if sizes else "-"


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def table(title: str, columns: list[str], rows: dict[str, list[str]]) -> str:
    width = max(len(k) for k in rows) + 2
    cells = [max(len(c), *(len(r[i]) for r in rows.values())) + 2 for i, c in enumerate(columns)]
    lines = [title, " " * width + "".join(c.rjust(w) for c, w in zip(columns, cells, strict=True))]
    for name, values in rows.items():
        lines.append(name.ljust(width) + "".join(v.rjust(w)
                                                 for v, w in zip(values, cells, strict=True)))
    return "\n".join(lines)


def print_single(single: dict[str, list[float | None]], single_load: dict[str, str],
                 single_cpu: dict[str, dict[str, str]], names: list[str], title: str) -> None:
    ok = {n: [t for t in single[n] if t is not None] for n in names}
    rows = {
        "median": [seconds(statistics.median(ok[n]) if ok[n] else None) for n in names],
        "best": [seconds(min(ok[n], default=None)) for n in names],
        "worst": [seconds(max(ok[n], default=None)) for n in names],
        "failures": [f"{len(single[n]) - len(ok[n])} of {len(single[n])}" for n in names],
        "server CPU/page": [single_cpu[n].get("server", "-") for n in names],
        "Chromium CPU/page": [single_cpu[n].get("browser", "-") for n in names],
        "load avg": [single_load[n] for n in names],
    }
    print(table(title, names, rows))
    if ok[names[0]] and ok.get("plain voila"):
        ratio = statistics.median(ok["plain voila"]) / statistics.median(ok[names[0]])
        print(f"{names[0]} is {ratio:.1f}x faster than plain voila (medians)")
    print()


def soak_run(pk: list[str], env: dict[str, str], folder: Path, people: int,
             pages: int, minutes: float) -> None:
    """The soak (benchmarks/soak.py) against partnerkit serve with one kernel per workbook."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from soak import run_soak, soak_rows

    name = "partnerkit (pool 1 each)"
    with started(name, pk + ["--pool", "1"], env, "/", "/", folder, 0) as server:
        pool = full_pool(server)
        before = load_average()
        soak = run_soak(server.url.rstrip("/"), server.process.pid, people, pages, minutes,
                        tree_pss, kernel_pids)
        rows = soak_rows(soak, people, pages, pool=pool)
        rows["load avg"] = f"{before} -> {load_average()}"
    for failure in soak.failures[:5]:
        print(f"soak failure: {failure}", file=sys.stderr)
    print()
    print(table(f"Soak: {people} simulated people (HTTP, no browser) each visiting {pages} "
                f"workbook pages in turn over {minutes:g} minutes, each page left with its "
                f"shutdown beacon (goal: 0 failures, kernels at the end {people} + pool or fewer, "
                "memory flat after round 1)", [name],
                {k: [v] for k, v in rows.items()}))


def full_pool(server: Server, timeout: float = 600) -> int:
    """Wait until the console says every pool page is ready ("N of N pages ready"); N."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        said = POOL_READY.findall(server.log_text())
        if said and said[-1][0] == said[-1][1]:
            return int(said[-1][1])
        time.sleep(0.5)
    raise RuntimeError(f"{server.name}: the pool was not full after {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5, help="single-page loads (default 5)")
    parser.add_argument("--room", type=int, default=30, help="people in the room (default 30)")
    parser.add_argument("--skip-plain", action="store_true", help="only partnerkit serve")
    parser.add_argument("--skip-room", action="store_true", help="only the single page")
    parser.add_argument("--skip-empty-pool", action="store_true",
                        help="no single-page run of partnerkit with an empty pool")
    parser.add_argument("--skip-single", action="store_true", help="only the training room")
    parser.add_argument("--soak-people", type=int, default=30, help="soak: people (default 30)")
    parser.add_argument("--soak-pages", type=int, default=10,
                        help="soak: pages each person visits in turn (default 10)")
    parser.add_argument("--soak-minutes", type=float, default=10,
                        help="soak: minutes the pages are spread over (default 10)")
    parser.add_argument("--skip-soak", action="store_true", help="no soak")
    parser.add_argument("--skip-next", action="store_true",
                        help="no second load in the same browser after each fresh one")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"needs Debian's Chromium at {CHROMIUM}", file=sys.stderr)
        return 2

    from partnerkit.demo import create_demo

    folder = Path(tempfile.mkdtemp(prefix="pk-serve-bench-"))
    try:
        data = folder / "data"
        create_demo(data=data)
        env = {**os.environ, "PARTNERKIT_DATA": str(data)}
        env.pop("PARTNERKIT_DATABASE_URL", None)
        page = f"/voila/render/{WORKBOOK}.ipynb?{QUERY}"
        pk = [sys.executable, "-m", "partnerkit", "serve", "--data", str(data), "--no-sign-in"]
        plain = [sys.executable, "-m", "voila", "--no-browser",
                 str(ROOT / "workbooks" / f"{WORKBOOK}.ipynb")]
        runs = {
            "partnerkit (pool 1)": (pk + ["--pool", "0", "--pool", f"{WORKBOOK}=1"], page, "/", 1),
            "partnerkit (pool 0)": (pk + ["--pool", "0"], page, "/", 0),
        }
        if args.skip_empty_pool:
            del runs["partnerkit (pool 0)"]
        if not args.skip_plain:
            runs["plain voila"] = (plain, f"/?{QUERY}", "/voila/static/voila.js", 0)

        single: dict[str, list[float | None]] = {}
        single_load: dict[str, str] = {}
        single_cpu: dict[str, dict[str, str]] = {}
        following: dict[str, list[float | None]] = {}
        following_cpu: dict[str, dict[str, str]] = {}
        for name, (command, path, ready, pool) in runs.items():
            if args.skip_single:
                break
            with started(name, command, env, path, ready, folder, pool) as server:
                server.next_pages = not args.skip_next
                before = load_average()
                try:
                    single[name] = single_page(server, args.loads)
                except Exception:
                    print(f"{name} failed; the end of its log:\n{server.log_text()[-3000:]}",
                          file=sys.stderr)
                    raise
                single_load[name] = f"{before} -> {load_average()}"
                single_cpu[name] = median_cpu(server.cpu)
                print(f"{name}: {', '.join(seconds(t) for t in single[name])}",
                      file=sys.stderr)
                if server.next_pages:
                    following[name] = server.next_times
                    following_cpu[name] = median_cpu(server.next_cpu)
        names = list(single)
        if names:
            print_single(single, single_load, single_cpu, names,
                         f"Single page: seconds to the first form field of {WORKBOOK}, "
                         f"{args.loads} loads each in a fresh browser (nothing cached; goal: "
                         "1.0 s or less, 4x faster than plain voila)")
        if following:
            print_single(following, single_load, following_cpu, list(following),
                         "A person's next page: the same, opened again in the same browser "
                         "(its cache warm, as for every page after someone's first)")

        if not args.skip_room:
            room_runs = {
                f"partnerkit (pool {args.room})": (
                    pk + ["--pool", "0", "--pool", f"{WORKBOOK}={args.room}"], page, "/",
                    args.room)}
            if not args.skip_plain:
                room_runs["plain voila"] = runs["plain voila"]
            room: dict[str, dict[str, str]] = {}
            for name, (command, path, ready, pool) in room_runs.items():
                with started(name, command, env, path, ready, folder, pool) as server:
                    room[name] = training_room(server, args.room)
                    print(f"{name}: {room[name]}", file=sys.stderr)
            names = list(room)
            keys = list(next(iter(room.values())))
            print(table(f"Training room: {args.room} loads of {WORKBOOK} started together "
                        "(goal: p95 30 s or less, no failures)", names,
                        {k: [room[n][k] for n in names] for k in keys}))
        if not args.skip_soak:
            soak_run(pk, env, folder, args.soak_people, args.soak_pages, args.soak_minutes)
        print(f"\nmachine: {os.cpu_count()} cores; load average now {load_average()}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
