"""What one served page costs the machine, for this checkout beside another one.

Not a test: a script that prints figures side by side. It makes a demo data folder with
each checkout, starts each one's ``partnerkit serve --pool 0 --no-sign-in`` (every page
starts its own kernel, so nothing is preheated in between), then asks each for the
mapping workbook's page ``--pages`` times, alternating, and reads from ``/proc`` the CPU
time the server process spent (Voilà: running the cells through the kernel, turning the
outputs into the page) and the CPU time of the server with its kernels (the kernel's
imports and the workbook's cells too). CPU time, unlike the time a page takes, hardly
moves when other work shares the machine; the load average is printed all the same.

The checkout to compare against is a folder with a ``partnerkit`` package in it, for
example a worktree of the release before a change::

    git worktree add --detach ../before 4e9e441
    python benchmarks/page_cost.py --against ../before [--pages 6]

A checkout whose ``serve`` has no ``--no-sign-in`` (made before sign-in) is started
without it.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = "/voila/render/mapping_tool.ipynb?workspace=demo&pupil=P-1001"
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int, children: bool) -> float:
    """CPU time of a process (with its finished children), and of its live descendants."""
    total = 0.0
    pids = [pid, *descendants(pid)] if children else [pid]
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used = int(fields[11]) + int(fields[12])
        if children:
            used += int(fields[13]) + int(fields[14])
        total += used / TICKS
    return total


def descendants(pid: int) -> list[int]:
    found = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        found += [int(child), *descendants(int(child))]
    return found


def start(checkout: Path, data: Path) -> tuple[subprocess.Popen, int]:
    """Make the demo with ``checkout`` and serve it; return the server and its port."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    run = [sys.executable, "-m", "partnerkit"]
    subprocess.run([*run, "demo", "--data", str(data)], env=env, check=True,
                   capture_output=True, cwd=checkout)
    helps = subprocess.run([*run, "serve", "--help"], env=env, capture_output=True, text=True,
                           cwd=checkout).stdout
    port = free_port()
    options = ["--no-sign-in"] if "--no-sign-in" in helps else []
    server = subprocess.Popen([*run, "serve", "--data", str(data), "--port", str(port),
                               "--pool", "0", *options], env=env, cwd=checkout,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/static/", timeout=2)
        except urllib.error.HTTPError:
            return server, port
        except OSError:
            time.sleep(0.5)
            continue
        return server, port
    raise SystemExit(f"{checkout}: the server did not start")


def one_page(server: subprocess.Popen, port: int) -> tuple[float, float]:
    """Ask for the page once; (server CPU s, server-with-kernels CPU s) it took."""
    before = cpu_seconds(server.pid, False), cpu_seconds(server.pid, True)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{PAGE}", timeout=300) as reply:
        reply.read()
    time.sleep(1.0)  # the kernel's last messages
    after = cpu_seconds(server.pid, False), cpu_seconds(server.pid, True)
    return after[0] - before[0], after[1] - before[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--against", type=Path, required=True)
    parser.add_argument("--pages", type=int, default=6)
    args = parser.parse_args()
    checkouts = {"this checkout": ROOT, f"against {args.against}": args.against.resolve()}
    with tempfile.TemporaryDirectory() as scratch:
        servers = {name: start(path, Path(scratch) / str(i))
                   for i, (name, path) in enumerate(checkouts.items())}
        try:
            figures = {name: [] for name in servers}
            for server, port in servers.values():
                one_page(server, port)  # a first page warms the server's own caches
            for _ in range(args.pages):
                for name, (server, port) in servers.items():
                    figures[name].append(one_page(server, port))
        finally:
            for server, _port in servers.values():
                server.terminate()
                server.wait(timeout=30)
    print(f"load average {os.getloadavg()[0]:.2f} (2 cores: above 2 the machine is busy)")
    print(f"{'':32}{'server CPU s/page':>20}{'with kernels s/page':>22}")
    for name, values in figures.items():
        server = sum(v[0] for v in values) / len(values)
        tree = sum(v[1] for v in values) / len(values)
        print(f"{name:32}{server:>20.3f}{tree:>22.3f}")


if __name__ == "__main__":
    main()
