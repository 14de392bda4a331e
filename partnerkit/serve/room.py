"""``partnerkit serve --room N``: kernels sized for a training room, and the limits that keep it up.

**The sizing rule.** A room of N people opens the workbooks the trainer names, most of
the room at about the same time. Each workbook gets ``ceil(N / ROOM_SHARE)`` preheated
kernels (a third of the room can open any one workbook at once without waiting for a
kernel to start; the rest get the refills, which start while the first third reads),
at least the ``--pool`` default. ``--pool WORKBOOK=N`` still sets one workbook's pool
(the workbook the session starts with: ``--pool mapping_tool=30``).

**What the machine must hold.** Every preheated kernel, plus one kernel for each page
open (at most :attr:`RoomLimits.pages_per_person` per person, and N people):
``(pool kernels + N) x KERNEL_MIB`` plus the server itself. A room that needs more than
the memory the machine has available is refused at start, with the memory it would
need; one that needs more than :data:`WARN_SHARE` of it starts with a warning.

**Limits while serving.** At most ``--max-pages-per-person`` pages (kernels) per signed-in
person, and at most ``--max-pages`` in all (by default, what the memory available at
start holds); a page over a limit is a plain message, before any kernel is used.
Idle page kernels end after ``--cull-minutes`` (:mod:`partnerkit.serve.kernel_life`).
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass
from typing import Any

from partnerkit import catalog
from partnerkit.errors import ServeError

ROOM_SHARE = 3
"""A workbook's pool holds a kernel for one person in this many of the room."""
KERNEL_MIB = 180
"""Memory one page kernel takes, in MiB (measured with benchmarks/serve_latency.py: the
proportional set size of a kernel that has drawn a workbook's forms, about 150-180 MiB)."""
SERVER_MIB = 400
"""The server process itself, with a room of pages open."""
WARN_SHARE = 0.8
DEFAULT_CULL_MINUTES = 20.0
DEFAULT_PAGES_PER_PERSON = 6
MAX_ROOM = 200


@dataclass(frozen=True)
class RoomLimits:
    """How many pages the server serves, and when it ends an idle one."""

    room: int = 0
    cull_minutes: float = DEFAULT_CULL_MINUTES
    pages_per_person: int = DEFAULT_PAGES_PER_PERSON
    pages: int = 0
    """At most this many page kernels in all; 0: what the memory available at start holds."""


def room_limits(args: argparse.Namespace) -> RoomLimits:
    """The limits the command line asked for (checked by :func:`check_limits`)."""
    return RoomLimits(room=args.room, cull_minutes=args.cull_minutes,
                      pages_per_person=args.max_pages_per_person, pages=args.max_pages)


def check_limits(limits: RoomLimits) -> None:
    """Refuse a room size, cull time or page limit out of range (value, option, fix)."""
    if not 0 <= limits.room <= MAX_ROOM:
        raise ServeError("is not a room size", value=limits.room, where="--room",
                         fix=f"give the number of people, from 1 to {MAX_ROOM}")
    if not 0 < limits.cull_minutes <= 24 * 60:
        raise ServeError("is not a number of minutes from above 0 to 1440",
                         value=limits.cull_minutes, where="--cull-minutes",
                         fix="give the minutes without use after which a page's kernel "
                             f"ends (default {DEFAULT_CULL_MINUTES:g})")
    if limits.pages_per_person < 1:
        raise ServeError("is not a number of pages", value=limits.pages_per_person,
                         where="--max-pages-per-person", fix="give 1 or more (default "
                                                             f"{DEFAULT_PAGES_PER_PERSON})")
    if limits.pages < 0:
        raise ServeError("is not a number of pages", value=limits.pages, where="--max-pages",
                         fix="give 1 or more, or leave it out (what the memory holds)")


def room_pools(room: int, default: int, pools: dict[str, int]) -> dict[str, int]:
    """Each workbook's pool for a room of ``room`` (the rule above); ``pools`` win."""
    if room <= 0:
        return dict(pools)
    each = max(default, math.ceil(room / ROOM_SHARE))
    sized = {w.filename: each for w in catalog.available()}
    sized.update(pools)
    return sized


def pool_kernels(default: int, pools: dict[str, int]) -> int:
    """How many preheated kernels the server keeps, over every workbook."""
    return sum(pools.get(w.filename, default) for w in catalog.available())


def needed_mib(default: int, pools: dict[str, int], room: int) -> int:
    """Memory the server needs for its pools and a page for each of ``room`` people."""
    return (pool_kernels(default, pools) + room) * KERNEL_MIB + SERVER_MIB


def available_mib() -> int | None:
    """Memory available on this machine now (MemAvailable), in MiB; None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        return None
    return None


def memory_verdict(needed: int, available: int | None, room: int) -> str | None:
    """A warning when the room needs most of the memory; raise when it needs more than all."""
    if available is None:
        return None
    what = f"a room of {room}" if room else "the preheated kernels"
    if needed > available:
        raise ServeError(
            f"needs about {needed / 1024:.1f} GiB of memory ({KERNEL_MIB} MiB a kernel), and "
            f"this machine has {available / 1024:.1f} GiB available", value=room,
            where="--room" if room else "--pool",
            fix="give a smaller --room or --pool, or serve from a machine with more memory")
    if needed > WARN_SHARE * available:
        return (f"{what} needs about {needed / 1024:.1f} GiB of the "
                f"{available / 1024:.1f} GiB of memory available: other programs on this "
                "machine may make it run short")
    return None


def page_limit(limits: RoomLimits, available: int | None) -> int:
    """At most this many page kernels in all: the limit asked for, or what memory holds."""
    if limits.pages:
        return limits.pages
    if available is None:
        return 100
    return max(1, (available - SERVER_MIB) // KERNEL_MIB)


def cull_config(config: Any, cull_minutes: float) -> None:
    """Jupyter Server's idle culling: page kernels end after ``cull_minutes`` without use.

    ``cull_connected``: a page left open in a tab is culled too (its page says so);
    Voilà never culls a kernel still waiting in a pool.
    """
    seconds = max(1, round(cull_minutes * 60))
    config.MappingKernelManager.cull_idle_timeout = seconds
    config.MappingKernelManager.cull_interval = max(1, min(60, seconds // 4))
    config.MappingKernelManager.cull_connected = True
