"""A soak of ``partnerkit serve``: simulated people visiting page after page, leaving each.

Each simulated person is an HTTP client (no browser: a room's browsers would be the
bottleneck on one machine, and what a soak looks for is what the *server* keeps): it
asks for a workbook page (the server hands it a kernel and runs the workbook), then
leaves it as Chromium does, with the page's shutdown beacon (``POST
/voila/api/shutdown/<kernel_id>`` with the ``_xsrf`` token from the page's cookie). The
people go round the workbooks in turn, all at once. After each round (every person has
visited one more page) the server's memory (resident, server and kernels summed) and
kernels alive are recorded; at the end, after the short grace, the kernels still alive.

Used by ``benchmarks/serve_latency.py`` (``--soak-people``, ``--soak-pages``).
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
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


def visit(client: Any, base: str, path: str, soak: Soak) -> None:
    """One page visit: the page, then leaving it (the beacon)."""
    start = time.monotonic()
    try:
        page = client.get(f"{base}/voila/render/{path}", timeout=PAGE_TIMEOUT_S)
        found = KERNEL_ID.search(page.text)
        if page.status_code != 200 or found is None:
            raise RuntimeError(f"status {page.status_code}, kernel id found: {bool(found)}")
        with soak._lock:
            soak.times.append(time.monotonic() - start)
        answer = client.post(f"{base}/voila/api/shutdown/{found.group(1)}",
                             data={"_xsrf": client.cookies.get("_xsrf", "")}, timeout=60)
        if answer.status_code != 204:
            raise RuntimeError(f"leaving was answered {answer.status_code}")
    except Exception as exc:  # noqa: BLE001 - a failure is counted, not raised
        with soak._lock:
            soak.failures.append(f"{path}: {type(exc).__name__}: {str(exc)[:120]}")


def run_soak(base: str, server_pid: int, people: int, pages: int,
             rss: Any, kernels: Any) -> Soak:
    """``people`` clients visit ``pages`` pages each, a round at a time; what was seen."""
    import requests

    soak = Soak()
    clients = [requests.Session() for _ in range(people)]
    started = time.monotonic()
    for round_number in range(pages):
        threads = [threading.Thread(target=visit, args=(
            client, base, WORKBOOK_PAGES[(round_number + i) % len(WORKBOOK_PAGES)], soak))
            for i, client in enumerate(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        soak.rounds.append((rss(server_pid) / 2**30, len(kernels(server_pid))))
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
            "memory per round (GiB)": memory,
            "kernels after each round": alive,
            "kernels alive at end": f"{soak.kernels_at_end} (pool {pool})"}
