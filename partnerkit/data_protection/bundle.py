"""The subject access bundle: one owner-only folder with the JSON and a readable PDF.

``<out>/subject-access-<ref>-<time>/`` (0700) holds ``<ref>.json`` (everything, machine
readable) and ``<ref>.pdf`` (the same, to read), each 0600. Handing it over is recorded
in the pupil's sharing log (basis: a subject access request, or a parent's request for
the educational record).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from partnerkit.access import GuardedStore
from partnerkit.data_protection.holdings import PARENT, SUBJECT, gather
from partnerkit.data_protection.report import bundle_html
from partnerkit.paths import private_dir
from partnerkit.records.sharing import record_sharing
from partnerkit.reports import html_to_pdf, write_private


@dataclass(frozen=True)
class Bundle:
    """Where a subject access bundle was written, and what it holds."""

    folder: Path
    json_file: Path
    pdf_file: Path
    records: int
    history: int

    def describe(self) -> str:
        """What was written, for the command line and the page."""
        return (f"Wrote the subject access bundle ({self.records} records, {self.history} "
                f"history entries), readable by you only:\n  {self.json_file}\n"
                f"  {self.pdf_file}")


def export(guarded: GuardedStore, workspace: str, pupil: object, out: Path, data_dir: Path, *,
           audience: str = SUBJECT) -> Bundle:
    """Gather everything held about the pupil and write the bundle under ``out``."""
    content = gather(guarded, workspace, pupil, data_dir, audience=audience)
    ref = content["pupil"]
    moment = content["made_at"][:19].replace(":", "").replace("-", "")
    folder = private_dir(Path(out) / f"subject-access-{ref}-{moment}")
    json_file = write_private(folder / f"{ref}.json",
                              json.dumps(content, indent=1, ensure_ascii=False, default=str))
    pdf_file = write_private(folder / f"{ref}.pdf", html_to_pdf(bundle_html(content)))
    _log_handover(guarded, workspace, ref, audience, content["made_at"][:10])
    return Bundle(folder, json_file, pdf_file, len(content["records"]),
                  sum(len(r["history"]) for r in content["records"]))


def _log_handover(guarded: GuardedStore, workspace: str, ref: str, audience: str,
                  day: str) -> None:
    """Record the bundle in the pupil's sharing log (written as the data-protection lead)."""
    parent = audience == PARENT
    record_sharing(guarded.store, workspace, guarded.account.username, pupil=ref,
                   what="subject access bundle: everything held" + (
                       " (without the audit trail)" if parent else ""),
                   with_whom="a parent or carer" if parent else "the pupil",
                   basis="parent_request" if parent else "subject_access", on=day)
