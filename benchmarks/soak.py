"""A soak of ``partnerkit serve``: simulated people visiting page after page, leaving each.

Each simulated person is an HTTP client (no browser: a room's browsers would be the
bottleneck on one machine, and what a soak looks for is what the *server* keeps): it
asks for a workbook page (the server hands it a kernel and runs the workbook), stays on
it, then leaves it as Chromium does, with the page's shutdown beacon (``POST
/voila/api/shutdown/<kernel_id>`` with the ``_xsrf`` token from the page's cookie).

The people go round the workbooks in turn, paced as the issue asks: ``pages`` rounds
spread over ``minutes``, every person opening one page at the start of each round and
leaving it at its end. Just before they leave, with every person on a page, the
server's memory and its kernels are recorded: the same moment of every round, so a
server that keeps nothing behind shows the same figures round after round. Memory is
proportional (PSS, summed over the server and its kernels), so the pages a forked
kernel shares with its template are counted once, not once per kernel. At the end,
after a short grace, the kernels still alive are counted.

Used by ``benchmarks/serve_latency.py`` (``--soak-people``, ``--soak-pages``,
``--soak-minutes``).
"""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
WORKBOOK_PAGES = ["mapping_tool.ipynb?workspace=demo&pupil=P-1001",
                  "principles.ipynb?workspace=demo",
                  "collaborative_working.ipynb?workspace=demo",
                  "reflective_log.ipynb?workspace=demo",
                  "staged_support.ipynb?workspace=demo&pupil=P-1002",
                  "six_steps.ipynb?workspace=demo&step=2"]
PAGE_TIMEOUT_S = 300
LEAVE_SETTLE_S = 10.0
"""After the last page, kernels still alive are counted this much later (the grace)."""


@dataclass
class Soak:
    """What the soak saw: page times, failures, and memory and kernels after each round."""

    times: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    rounds: list[tuple[float, int]] = field(default_factory=list)
    kernels_at_end: int = 0
    seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


def arrive(client: Any, path: str, base: str, soak: Soak) -> str | None:
    """Open one page; its kernel id, or None (the failure counted)."""
    start = time.monotonic()
    try:
        page = client.get(f"{base}/voila/render/{path}", timeout=PAGE_TIMEOUT_S)
        found = KERNEL_ID.search(page.text)
        if page.status_code != 200 or found is None:
            raise RuntimeError(f"status {page.status_code}, kernel id found: {bool(found)}")
    except Exception as exc:  # noqa: BLE001 - a failure is counted, not raised
        _failed(soak, path, exc)
        return None
    with soak._lock:
        soak.times.append(time.monotonic() - start)
    return found.group(1)


def leave(client: Any, path: str, kernel_id: str, base: str, soak: Soak) -> None:
    """Leave a page as Chromium does: its shutdown beacon."""
    try:
        answer = client.post(f"{base}/voila/api/shutdown/{kernel_id}",
                             data={"_xsrf": client.cookies.get("_xsrf", "")}, timeout=60)
        if answer.status_code != 204:
            raise RuntimeError(f"leaving was answered {answer.status_code}")
    except Exception as exc:  # noqa: BLE001 - a failure is counted, not raised
        _failed(soak, path, exc)


def _failed(soak: Soak, path: str, exc: Exception) -> None:
    with soak._lock:
        soak.failures.append(f"{path}: {type(exc).__name__}: {str(exc)[:120]}")


def run_soak(base: str, server_pid: int, people: int, pages: int, minutes: float,
             memory: Any, kernels: Any) -> Soak:
    """``people`` clients visit ``pages`` pages each over ``minutes``; what was seen."""
    import requests

    soak = Soak()
    clients = [requests.Session() for _ in range(people)]
    round_seconds = minutes * 60 / pages
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=people) as together:
        for round_number in range(pages):
            paths = [WORKBOOK_PAGES[(round_number + i) % len(WORKBOOK_PAGES)]
                     for i in range(people)]
            kernel_ids = list(together.map(arrive, clients, paths, repeat(base),
                                           repeat(soak)))
            round_ends = started + (round_number + 1) * round_seconds
            time.sleep(max(0.0, round_ends - time.monotonic()))
            soak.rounds.append((memory(server_pid) / 2**30, len(kernels(server_pid))))
            on_a_page = [visit for visit in zip(clients, paths, kernel_ids, strict=True)
                         if visit[2]]
            if on_a_page:
                list(together.map(leave, *zip(*on_a_page, strict=True), repeat(base),
                                  repeat(soak)))
    soak.seconds = time.monotonic() - started
    time.sleep(LEAVE_SETTLE_S)
    soak.kernels_at_end = len(kernels(server_pid))
    return soak


def soak_rows(soak: Soak, people: int, pages: int, pool: int) -> dict[str, str]:
    """The soak's figures, as rows of the benchmark's table."""
    ordered = sorted(soak.times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else None
    memory = " ".join(f"{gib:.2f}" for gib, _ in soak.rounds)
    alive = " ".join(str(k) for _, k in soak.rounds)
    return {"pages": f"{people} people x {pages} pages in {soak.seconds:.0f} s",
            "page p95": "-" if p95 is None else f"{p95:.1f} s",
            "failures": f"{len(soak.failures)} of {people * pages}",
            "memory each round, all on a page (GiB, PSS)": memory,
            "memory after round 1": growth(soak.rounds),
            "kernels each round, all on a page": alive,
            "kernels alive at end": f"{soak.kernels_at_end} (pool {pool})"}


def growth(rounds: list[tuple[float, int]]) -> str:
    """How memory moved after the first round: the last round against the second, and the
    spread of rounds 2 onwards (flat means both small)."""
    later = [gib for gib, _ in rounds[1:]]
    if len(later) < 2:
        return "-"
    change = (later[-1] - later[0]) / later[0] * 100
    spread = (max(later) - min(later)) / min(later) * 100
    return f"round 2 to last {change:+.1f} %, spread {spread:.1f} %"
