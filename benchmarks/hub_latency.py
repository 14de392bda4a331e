"""Time to the first usable field of the mapping page through JupyterHub, beside one
``partnerkit serve``, for rooms of people signing in and opening it together.

Not a test: a script that prints figures. It starts a real JupyterHub (the way
``tests/helpers/hub.py`` does: ``deploy/jupyterhub/jupyterhub_config.py`` over a fresh
PostgreSQL database with the demo school, configurable-http-proxy from npm, every
person's server as this user) and adds practitioner accounts ``bench-01``, ``bench-02``
... Then for each count N (``--counts``, default 1,5,10):

* **hub**: N people who have no server yet sign in at the hub together (one Chromium
  context each). *Spawn* is the time from pressing "Sign in" until the hub hands them to
  their own server (sign-in, spawn and the server answering); *page* is the time from
  asking for the mapping page until its first field (``.pk-form input:not([disabled])``)
  is visible and enabled. Then the resident memory of each person's server with its
  kernels (RSS of the process tree; shared pages count in each process, so it overstates).
  Each hub runs in one mode (``--pages``): ``standalone`` (``partnerkit serve --hub``
  behind jupyter-server-proxy) and/or ``extension`` (Voilà's server extension in
  ``jupyterhub-singleuser``); see ``partnerkit/hub/spawn.py``.
* **serve**: the same N people, signed in to one ``partnerkit serve`` over the same
  store (with ``--pool mapping_tool=N``, as one sizes it for a room), open the page
  together: page time as above, and the server's memory per person.

Every figure is printed with the machine's load average (``uptime``). Needs
``PARTNERKIT_TEST_DATABASE_URL`` (``. /work/pgenv.sh`` or ``scripts/test.sh``'s server)
and Debian's Chromium. Usage::

    python benchmarks/hub_latency.py [--counts 1,5,10] [--pages standalone,extension]
                                     [--skip-serve] [--keep]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from serve_latency import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    QUERY,
    WORKBOOK,
    _children,
    field_clock,
    first_field_seconds_async,
    free_port,
    load_average,
    seconds,
    table,
    tree_rss,
    wait_until_up,
)

PAGE = f"voila/render/{WORKBOOK}.ipynb?{QUERY}"
PASSWORD = "bench-password-only"
TIMEOUT_MS = 360_000
MODES = ("standalone", "extension")


def bench_user(number: int) -> str:
    return f"bench-{number:02d}"


def add_bench_users(count: int):
    """``prepare`` for the hub: ``count`` practitioners of the demo school."""
    def prepare(url: str) -> None:
        from partnerkit import accounts
        from partnerkit.store import open_store

        store = open_store(url=url)
        try:
            for number in range(1, count + 1):
                accounts.add_user(store, bench_user(number), f"Bench Person {number}",
                                  "practitioner", "demo", by="benchmark", password=PASSWORD)
        finally:
            store.close()
    return prepare


def rounds(counts: list[int]) -> list[list[str]]:
    """The people of each count: nobody twice, so every hub person's server is new."""
    people, first = [], 1
    for count in counts:
        people.append([bench_user(n) for n in range(first, first + count)])
        first += count
    return people


# ----------------------------------------------------------------------- the hub

async def _hub_person(browser, hub_url: str, username: str) -> dict[str, float | None]:
    """Sign in at the hub, wait for one's own server, open the mapping page there."""
    context = await browser.new_context()
    await context.add_init_script(field_clock())
    context.set_default_timeout(TIMEOUT_MS)
    tab = await context.new_page()
    try:
        start = time.monotonic()
        await tab.goto(hub_url + "hub/login", timeout=TIMEOUT_MS)
        await tab.fill("#username_input", username)
        await tab.fill("#password_input", PASSWORD)
        await tab.click("#login_submit")
        await tab.wait_for_url(re.compile(rf"/user/{re.escape(username)}/"),
                               wait_until="commit", timeout=TIMEOUT_MS)
        spawned = time.monotonic()
        await tab.goto(f"{hub_url}user/{username}/{PAGE}", wait_until="commit",
                       timeout=TIMEOUT_MS)
        page = await first_field_seconds_async(tab, TIMEOUT_MS / 1000)
        return {"spawn": spawned - start, "page": page, "context": context}
    except Exception as exc:  # noqa: BLE001 - a failed person is counted, not raised
        print(f"{username} failed: {type(exc).__name__}: {str(exc)[:300]}", file=sys.stderr)
        return {"spawn": None, "page": None, "context": context}


def user_server_pids(hub_pid: int) -> dict[str, int]:
    """Each person's server process (a child of the hub) by its ``JUPYTERHUB_USER``."""
    found = {}
    for pid in _children().get(hub_pid, []):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        for item in environ:
            if item.startswith(b"JUPYTERHUB_USER="):
                found[item.split(b"=", 1)[1].decode()] = pid
    return found


async def _hub_room(hub, people: list[str]) -> tuple[list[dict], dict[str, int]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results = await asyncio.gather(*(_hub_person(browser, hub.url, u) for u in people))
        servers = user_server_pids(hub.pid)
        memory = {u: tree_rss(servers[u]) for u in people if u in servers}
        for result in results:
            await result.pop("context").close()
        await browser.close()
    return results, memory


def hub_rows(hub, people: list[str]) -> dict[str, str]:
    """One count's figures through the hub."""
    before = load_average()
    results, memory = asyncio.run(_hub_room(hub, people))
    spawn = [r["spawn"] for r in results if r["spawn"] is not None]
    page = [r["page"] for r in results if r["page"] is not None]
    return {**spread("spawn", spawn), **spread("page", page),
            "memory/person (RSS)": mib(statistics.mean(memory.values()) if memory else None),
            "failures": f"{len(people) - len(page)} of {len(people)}",
            "load avg": f"{before} -> {load_average()}"}


# ---------------------------------------------------------- one partnerkit serve

async def _serve_person(browser, url: str, username: str) -> tuple[float | None, object]:
    """Sign in to ``partnerkit serve`` (not timed), then open the mapping page (timed)."""
    context = await browser.new_context()
    await context.add_init_script(field_clock())
    context.set_default_timeout(TIMEOUT_MS)
    tab = await context.new_page()
    try:
        await tab.goto(url + "/signin", timeout=TIMEOUT_MS)
        await tab.fill("#username", username)
        await tab.fill("#password", PASSWORD)
        await tab.click("button[type=submit]")
        await tab.wait_for_url(re.compile(r"/$"), timeout=TIMEOUT_MS)
        return context, tab
    except Exception as exc:  # noqa: BLE001 - a failed person is counted, not raised
        print(f"{username} could not sign in: {str(exc)[:300]}", file=sys.stderr)
        return context, None


async def _open_page(tab, url: str) -> float | None:
    if tab is None:
        return None
    try:
        await tab.goto(f"{url}/{PAGE}", wait_until="commit", timeout=TIMEOUT_MS)
        return await first_field_seconds_async(tab, TIMEOUT_MS / 1000)
    except Exception as exc:  # noqa: BLE001 - a failed page is counted, not raised
        print(f"a serve page failed: {str(exc)[:300]}", file=sys.stderr)
        return None


async def _serve_room(url: str, people: list[str], pid: int) -> tuple[list, int]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        signed = await asyncio.gather(*(_serve_person(browser, url, u) for u in people))
        times = await asyncio.gather(*(_open_page(tab, url) for _, tab in signed))
        memory = tree_rss(pid)
        for context, _ in signed:
            await context.close()
        await browser.close()
    return list(times), memory


def serve_rows(hub, people: list[str], folder: Path) -> dict[str, str]:
    """The same people through one ``partnerkit serve`` over the hub's store."""
    port = free_port()
    env = {**os.environ, "PARTNERKIT_DATABASE_URL": hub.database_url,
           "PARTNERKIT_DATA": str(hub.folder / "data")}
    command = [sys.executable, "-m", "partnerkit", "serve", "--port", str(port),
               "--pool", "0", "--pool", f"{WORKBOOK}={len(people)}"]
    with open(folder / f"serve-{len(people)}.log", "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url + "/signin", process)
        wait_for_pool(folder / f"serve-{len(people)}.log", len(people))
        before = load_average()
        times, memory = asyncio.run(_serve_room(url, people, process.pid))
    finally:
        process.terminate()
        process.wait(timeout=60)
    done = [t for t in times if t is not None]
    return {**spread("page", done), "memory/person (RSS)": mib(memory / len(people)),
            "failures": f"{len(people) - len(done)} of {len(people)}",
            "load avg": f"{before} -> {load_average()}"}


def wait_for_pool(log: Path, kernels: int, timeout: float = 600) -> None:
    """Wait until the server's preheated kernels all say they wait for a page."""
    deadline = time.monotonic() + timeout
    while log.read_text(errors="replace").count("is ready for a page") < kernels:
        if time.monotonic() > deadline:
            print(f"the pool of {kernels} was not ready after {timeout:.0f} s; going on",
                  file=sys.stderr)
            return
        time.sleep(0.5)


# ------------------------------------------------------------------- printing

def spread(name: str, values: list[float]) -> dict[str, str]:
    return {f"{name} median": seconds(statistics.median(values) if values else None),
            f"{name} worst": seconds(max(values, default=None))}


def mib(value: float | None) -> str:
    return "-" if value is None else f"{value / 2**20:.0f} MiB"


def print_table(title: str, figures: dict[str, dict[str, str]]) -> None:
    names = list(figures)
    keys = list(dict.fromkeys(k for f in figures.values() for k in f))
    print(table(title, names, {k: [figures[n].get(k, "-") for n in names] for k in keys}))
    print(flush=True)


def run_mode(mode: str, counts: list[int], serve: bool, folder: Path) -> None:
    """Start a hub in ``mode``; time each count through it (and through one serve)."""
    from tests.helpers.hub import running_hub

    people = rounds(counts)
    total = sum(counts)
    (folder / mode).mkdir()
    with running_hub(folder / mode, env={"PARTNERKIT_HUB_PAGES": mode},
                     prepare=add_bench_users(total)) as hub:
        if serve:
            figures = {f"{len(p)} together": serve_rows(hub, p, folder / mode) for p in people}
            print_table(f"One partnerkit serve (signed in, --pool {WORKBOOK}=N): seconds to "
                        f"the first field of {WORKBOOK}", figures)
        figures = {}
        for group in people:
            figures[f"{len(group)} together"] = hub_rows(hub, group)
            print(f"hub ({mode}) {len(group)}: {figures[f'{len(group)} together']}",
                  file=sys.stderr)
        print_table(f"JupyterHub, pages by {mode}: each person's server spawned on first "
                    f"visit (spawn), then seconds to the first field of {WORKBOOK} (page)",
                    figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="1,5,10",
                        help="people opening the page together, comma-separated (default "
                             "1,5,10)")
    parser.add_argument("--pages", default=",".join(MODES),
                        help="hub page modes to run: standalone, extension or both "
                             "(default both)")
    parser.add_argument("--skip-serve", action="store_true", help="only the hub")
    parser.add_argument("--keep", action="store_true",
                        help="keep the folder with the hubs' logs (its name is printed)")
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.counts.split(",") if c.strip()]
    modes = [m.strip() for m in args.pages.split(",") if m.strip()]
    if not counts or min(counts) < 1 or any(m not in MODES for m in modes):
        parser.error("--counts takes whole numbers from 1; --pages standalone and/or extension")
    if not Path(CHROMIUM).exists() or not os.environ.get("PARTNERKIT_TEST_DATABASE_URL"):
        print(f"needs Debian's Chromium at {CHROMIUM} and PARTNERKIT_TEST_DATABASE_URL",
              file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="pk-hub-bench-"))
    print(f"machine: {os.cpu_count()} cores; load average at start {load_average()}\n")
    try:
        for number, mode in enumerate(modes):
            run_mode(mode, counts, serve=not args.skip_serve and number == 0, folder=folder)
    finally:
        if args.keep:
            print(f"logs kept in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"machine: {os.cpu_count()} cores; load average now {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
