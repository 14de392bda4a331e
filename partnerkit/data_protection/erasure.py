"""Erasure of one pupil: what will go is shown first; then records, history, name and files go.

:func:`plan` lists what the store and the data folder hold about the pupil; :func:`erase`
removes it all (refused under a legal hold, and without a reason): every record filed
under the reference and its whole history, the real name, the report files about the
pupil in the data folder (overwritten, then removed) and the pupil's rows in the
workspace's attendance files; the database is then scrubbed so the bytes are gone
(:mod:`partnerkit.store.erasure`). The audit trail keeps that an erasure happened, by
whom and why, and how much went, never what it was.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from partnerkit.access import ERASE, GuardedStore
from partnerkit.data_protection import folder as files
from partnerkit.data_protection.holds import refuse_if_held
from partnerkit.data_protection.subject import addresses, check, known_pupil
from partnerkit.errors import PartnerkitError
from partnerkit.store import erasure as scrubbing


@dataclass(frozen=True)
class ErasurePlan:
    """What an erasure of one pupil will remove."""

    workspace: str
    pupil: str
    addresses: list[tuple[str, str]]
    history: int
    real_name: bool
    folder: files.FolderHoldings
    data_dir: Path

    def describe(self) -> str:
        """What will go, in plain lines (the command line asks after showing this)."""
        kinds = Counter(kind for kind, _ in self.addresses)
        lines = [f"Erasing pupil {self.pupil} of workspace {self.workspace!r} removes:"]
        lines += [f"  {n} {kind.replace('_', ' ')} record{'s' if n != 1 else ''}"
                  for kind, n in sorted(kinds.items())]
        lines.append(f"  {self.history} history entries")
        lines.append("  the real name" if self.real_name else "  (no real name is held)")
        lines += [f"  report file {p.relative_to(self.data_dir)}"
                  for p in self.folder.report_files]
        lines += [f"  {len(rows)} rows of {p.relative_to(self.data_dir)}"
                  for p, rows in self.folder.attendance.items()]
        lines += [f"  NOT removed, still mentions the pupil: {p.relative_to(self.data_dir)}"
                  for p in self.folder.mentions]
        return "\n".join(lines)


def plan(guarded: GuardedStore, workspace: str, pupil: object, data_dir: Path) -> ErasurePlan:
    """What erasing the pupil will remove.

    Checked first: the account may erase, the pupil is known, and no legal hold is in
    place (:class:`~partnerkit.errors.LegalHoldError`), so nobody is asked to confirm an
    erasure that would be refused.
    """
    check(guarded, ERASE, workspace, str(pupil))
    ref = known_pupil(guarded, workspace, pupil)
    refuse_if_held(guarded, workspace, ref, "erased")
    raw = guarded.store
    found = addresses(guarded, workspace, ref)
    name = raw.real_name(workspace, ref)
    return ErasurePlan(workspace, ref, found, scrubbing.history_count(raw, workspace, found),
                       name is not None, files.find(data_dir, workspace, ref, name), data_dir)


def erase(guarded: GuardedStore, chosen: ErasurePlan, reason: str,
          *, why: str = "erase") -> str:
    """Carry out a plan: remove everything it lists; audit who, why and how much; say what went."""
    reason = (reason or "").strip()
    if not reason:
        raise PartnerkitError("no reason was given for the erasure", value=reason,
                              where="--reason",
                              fix='say why, e.g. --reason "subject asked for erasure"')
    check(guarded, ERASE, chosen.workspace, chosen.pupil)
    refuse_if_held(guarded, chosen.workspace, chosen.pupil, "erased")
    gone = scrubbing.erase(guarded.store, chosen.workspace, chosen.addresses,
                           name_of=chosen.pupil)
    for path in chosen.folder.report_files:
        files.shred(path)
    rows = sum(files.remove_rows(path, chosen.pupil) for path in chosen.folder.attendance)
    summary = (f"{gone.records} records, {gone.history} history entries, "
               f"{'the real name, ' if gone.real_name else ''}"
               f"{len(chosen.folder.report_files)} report files, {rows} attendance rows")
    guarded.store.audit(guarded.account.username, why, allowed=True,
                        workspace=chosen.workspace, kind="pupil", key=chosen.pupil,
                        detail=f"reason: {reason}; removed {summary}")
    return f"Erased pupil {chosen.pupil}: {summary}."
