"""What the retention schedule says is due for erasure, and erasing it (a dry run unless asked).

A record is due when its pupil left more than its kind's period ago
(:mod:`partnerkit.records.retention`). When everything held about a pupil is
due, the whole pupil is erased as ``partnerkit pupil erase`` does (name and files too);
otherwise only the due records and their history go. A pupil under a legal hold is
listed as held and nothing of theirs goes. Each erasure is audited (``retention``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from partnerkit.access import RETENTION, GuardedStore
from partnerkit.data_protection import erasure
from partnerkit.data_protection.holds import active_hold
from partnerkit.data_protection.subject import addresses, check
from partnerkit.records.protection import PupilLeft
from partnerkit.records.retention import (
    NAME,
    Schedule,
    add_years,
    load_schedule,
    retention_kind,
)
from partnerkit.store import erasure as scrubbing


@dataclass(frozen=True)
class DueItem:
    """One record (or real name) the schedule has reached, and why."""

    pupil: str
    kind: str
    key: str
    schedule_kind: str
    left_on: dt.date
    years: int
    due_on: dt.date
    held: bool

    def describe(self) -> str:
        """One line: what, why, and whether a hold keeps it."""
        what = "real name" if self.kind == NAME else f"{self.kind.replace('_', ' ')} {self.key}"
        status = "HELD (legal hold): kept" if self.held else "due"
        return (f"{self.pupil}: {what}: {status}; {self.schedule_kind.replace('_', ' ')} is "
                f"kept {self.years} years after leaving, left {self.left_on}, due "
                f"{self.due_on}")


def _pupil_items(guarded: GuardedStore, workspace: str, left: PupilLeft, schedule: Schedule,
                 today: dt.date) -> tuple[list[DueItem], int]:
    """The pupil's due items, and how many things are held about them in all."""
    raw, ref = guarded.store, left.pupil
    held = active_hold(guarded, workspace, ref) is not None
    items, total = [], 0
    found = [(k, key, raw.get(workspace, k, key)) for k, key in addresses(guarded, workspace, ref)]
    if raw.real_name(workspace, ref):
        found.append((NAME, ref, None))
    for kind, key, current in found:
        total += 1
        sched = retention_kind(kind, current.data if current is not None else None)
        years = schedule.years_for(sched)
        due_on = add_years(left.left_on, years)
        if today >= due_on:
            items.append(DueItem(ref, kind, key, sched, left.left_on, years, due_on, held))
    return items, total


def due(guarded: GuardedStore, workspace: str, data_dir: Path, *,
        schedule_file: Path | None = None) -> tuple[Schedule, list[DueItem], set[str]]:
    """The schedule, every due item, and the pupils of whom everything is due."""
    check(guarded, RETENTION, workspace)
    schedule = load_schedule(data_dir, workspace, schedule_file)
    today = guarded.store.clock().date()
    items: list[DueItem] = []
    whole: set[str] = set()
    for stored in guarded.store.list(workspace, PupilLeft.kind):
        pupil_items, total = _pupil_items(guarded, workspace,
                                          PupilLeft.model_validate(stored.data), schedule, today)
        items += pupil_items
        if pupil_items and len(pupil_items) == total:
            whole.add(pupil_items[0].pupil)
    return schedule, items, whole


def report(guarded: GuardedStore, workspace: str, data_dir: Path, *,
           schedule_file: Path | None = None) -> str:
    """``partnerkit retention report``: what is due, and why, in plain lines."""
    schedule, items, whole = due(guarded, workspace, data_dir, schedule_file=schedule_file)
    lines = [f"Retention schedule of workspace {workspace!r}: {schedule.source}."]
    if not items:
        lines.append("Nothing is due for erasure.")
    lines += [item.describe() for item in items]
    lines += [f"{p}: everything held is due: the whole pupil would be erased"
              for p in sorted(whole)]
    return "\n".join(lines)


def plan_text(guarded: GuardedStore, workspace: str, data_dir: Path, *,
              schedule_file: Path | None = None) -> tuple[str, bool]:
    """What applying the schedule now would erase, and keep under a hold; (text, any to erase).

    The lines a page shows before its "erase" is confirmed: the pupils whose records go
    (and how many, or the whole pupil), then the held pupils, named, who are skipped.
    """
    schedule, items, whole = due(guarded, workspace, data_dir, schedule_file=schedule_file)
    going = sorted({i.pupil for i in items if not i.held})
    held = sorted({i.pupil for i in items if i.held})
    lines = [f"Schedule: {schedule.source}."]
    for pupil in going:
        mine = [i for i in items if i.pupil == pupil]
        lines.append(f"{pupil}: everything held is due, so the whole pupil is erased (records, "
                     "history, real name and report files)" if pupil in whole else
                     f"{pupil}: {len(mine)} due record{'s' if len(mine) != 1 else ''} and "
                     "their history are erased: " + ", ".join(
                         sorted({i.kind.replace('_', ' ') for i in mine})))
    lines += [f"{pupil}: skipped, under a legal hold (nothing of theirs is erased)"
              for pupil in held]
    if not going:
        lines.append("Nothing is due for erasure" + (" that is not under a legal hold."
                                                      if held else "."))
    return "\n".join(lines), bool(going)


def apply(guarded: GuardedStore, workspace: str, data_dir: Path, *, really: bool = False,
          schedule_file: Path | None = None) -> str:
    """``partnerkit retention apply``: erase what is due (only with ``really``), each audited."""
    text = report(guarded, workspace, data_dir, schedule_file=schedule_file)
    if not really:
        return text + "\nDry run: nothing was erased. Run again with --apply to erase it."
    return "\n".join([text, *erase_due(guarded, workspace, data_dir,
                                         schedule_file=schedule_file)])


def erase_due(guarded: GuardedStore, workspace: str, data_dir: Path, *,
              schedule_file: Path | None = None) -> list[str]:
    """Erase every due record of each pupil not under a hold; one line per pupil erased."""
    _, items, whole = due(guarded, workspace, data_dir, schedule_file=schedule_file)
    done = []
    for pupil in sorted({i.pupil for i in items if not i.held}):
        mine = [i for i in items if i.pupil == pupil]
        reason = "retention schedule: " + "; ".join(sorted({
            f"{i.schedule_kind} kept {i.years} years after leaving on {i.left_on}"
            for i in mine}))
        if pupil in whole:
            chosen = erasure.plan(guarded, workspace, pupil, data_dir)
            done.append(erasure.erase(guarded, chosen, reason, why="retention"))
            continue
        done.append(_erase_records(guarded, workspace, pupil, mine, reason))
    return done


def _erase_records(guarded: GuardedStore, workspace: str, pupil: str, mine: list[DueItem],
                   reason: str) -> str:
    """Erase some of a pupil's records (and the real name, if due), audited."""
    name_due = any(i.kind == NAME for i in mine)
    gone = scrubbing.erase(guarded.store, workspace,
                           [(i.kind, i.key) for i in mine if i.kind != NAME],
                           name_of=pupil if name_due else None)
    guarded.store.audit(guarded.account.username, "retention", allowed=True,
                        workspace=workspace, kind="pupil", key=pupil,
                        detail=f"reason: {reason}; removed {gone.records} records, "
                               f"{gone.history} history entries")
    return f"Erased {gone.records} records of pupil {pupil} ({gone.history} history entries)."
