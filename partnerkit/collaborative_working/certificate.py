"""Certificates of completion: issued once the required activities and the quiz are done.

A certificate states the participant, the module, the date, the hours and the trainer.
Its verification code is an HMAC-SHA256 over the certificate's text
(:func:`certificate_text`) with the server's secret, a random key kept owner-only in
the data folder (``secrets/certificate.key``); the code is the first 120 bits, in
base32, as ``PK-XXXX-XXXX-...``. Each issued certificate is also kept in the store
(kind ``certificate``, filed under the participant).

Verification (:func:`verify`) finds the certificate by its code, and says it is genuine
only when the code is the HMAC of the text: the text kept in the store, and the text
of a PDF when one is given. Changing any character of the text (a name, a date, the
hours) makes it fail.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnerkit import paths
from partnerkit.collaborative_working.completion import what_is_left
from partnerkit.content import load_content
from partnerkit.errors import CertificateError
from partnerkit.records.base import load_record, save_record, validate_record
from partnerkit.records.module import practitioner_name, practitioner_names
from partnerkit.records.training import DEFAULT_HOURS, Certificate, CohortSettings
from partnerkit.reports import html_to_pdf, render_html
from partnerkit.reports.text import aware, format_date
from partnerkit.store import Store

SECRET_FILE = Path("secrets") / "certificate.key"
"""The server secret, under the data folder (owner-only)."""
WHERE = "certificate"
CODE = re.compile(r"^PK(-[A-Z2-7]{4}){6}$")
FIELDS = ("participant", "module", "completed_on", "hours", "trainer", "workspace_name")


def secret_key(data_dir: Any = None) -> bytes:
    """The server's certificate secret: made once (32 random bytes), owner-only."""
    path = paths.private_file(paths.data_dir(data_dir) / SECRET_FILE)
    key = path.read_bytes()
    if len(key) < 32:
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
    return key


def hours_text(hours: float) -> str:
    """Hours as printed: ``3`` or ``2.5``."""
    return f"{hours:g}"


def certificate_text(fields: dict[str, Any]) -> str:
    """The certificate's text, one line per field, as printed and as signed."""
    day = fields["completed_on"]
    day = format_date(dt.date.fromisoformat(day) if isinstance(day, str) else day)
    return "\n".join([
        "Certificate of completion",
        f"Participant: {fields['participant']}",
        f"Module: {fields['module']}",
        f"Completed on: {day}",
        f"Hours: {hours_text(float(fields['hours']))}",
        f"Trainer: {fields['trainer']}",
        f"Cohort: {fields['workspace_name']}"])


def sign(key: bytes, text: str) -> str:
    """The verification code of a text: HMAC-SHA256, 120 bits in base32 groups of four."""
    digest = hmac.new(key, " ".join(text.split()).encode("utf-8"), hashlib.sha256).digest()
    letters = base64.b32encode(digest[:15]).decode("ascii")
    return "PK-" + "-".join(letters[i:i + 4] for i in range(0, 24, 4))


def clean_code(code: str) -> str:
    """A code as typed, tidied (spaces dropped, upper case).

    Raises:
        CertificateError: it is not shaped like a verification code.
    """
    tidy = re.sub(r"\s+", "", str(code or "")).upper()
    if not CODE.match(tidy):
        raise CertificateError("is not a verification code", value=code, where=WHERE,
                               fix="type the code as printed, e.g. PK-ABCD-EFGH-IJKL-MNOP-"
                                   "QRST-UVWX")
    return tidy


def _trainer(store: Store, workspace: str, names: dict[str, str]) -> str:
    roles_of = getattr(store, "member_roles", None)
    roles = roles_of(workspace) if callable(roles_of) else {}
    trainers = sorted(names.get(u, u) for u, role in roles.items() if role == "trainer")
    return ", ".join(trainers) or "The module team"


def issue_certificate(store: Store, workspace: str, practitioner: str,
                      data_dir: Any = None) -> Certificate:
    """Issue (or issue again) the participant's certificate, signed with the server secret.

    Raises:
        CertificateError: required activities or the quiz are not done; the message
            lists what is left.
    """
    who = practitioner_name(practitioner)
    left = what_is_left(store, workspace, who)
    if left:
        raise CertificateError(f"the certificate is issued once every required activity "
                               f"is complete; still to do: {'; '.join(left)}", value=who,
                               where=WHERE, fix="complete these, then ask again")
    names = practitioner_names(store, workspace)
    settings = load_record(store, workspace, CohortSettings, "module6")
    fields = {"participant": names.get(who, who),
              "module": load_content().frameworks["module6"].source.title,
              "completed_on": aware(store.clock()).date(),
              "hours": settings.hours if settings else DEFAULT_HOURS,
              "trainer": _trainer(store, workspace, names),
              "workspace_name": _workspace_name(store, workspace)}
    code = sign(secret_key(data_dir), certificate_text(fields))
    record = validate_record(Certificate, {**fields, "practitioner": who, "code": code,
                                           "issued_at": aware(store.clock())})
    save_record(store, workspace, record, who)
    return record


def _workspace_name(store: Store, workspace: str) -> str:
    try:
        return store.workspaces().get(workspace) or workspace
    except Exception:  # noqa: BLE001 - a store that cannot list workspaces: use the id
        return workspace


def certificate_html(certificate: Certificate) -> str:
    """The certificate as one page of HTML (Jinja, autoescaped)."""
    return render_html("certificate.html.j2", workspace=certificate.workspace_name,
                       frameworks=["module6"], title="Certificate of completion",
                       c=certificate, date_text=format_date(certificate.completed_on),
                       hours=hours_text(certificate.hours),
                       text=certificate_text(certificate.model_dump()))


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as PDF."""
    return html_to_pdf(certificate_html(certificate))


@dataclass(frozen=True)
class Verification:
    """What verifying a code found: genuine or not, why, and the certificate if any."""

    genuine: bool
    message: str
    certificate: Certificate | None = None


def find_certificate(store: Store, code: str) -> Certificate | None:
    """The issued certificate with this code in any workspace (a raw store), or None."""
    for workspace in store.workspaces():
        for stored in store.list(workspace, Certificate.kind):
            if stored.data.get("code") == code:
                return Certificate.model_validate(stored.data)
    return None


def verify(store: Store, code: str, data_dir: Any = None, *, text: str | None = None
           ) -> Verification:
    """Say whether a certificate is genuine: its code exists and matches its text.

    ``text`` is the text read from a certificate (its PDF); without it, the text kept
    in the store is checked.

    Raises:
        CertificateError: the code is not shaped like a verification code.
    """
    code = clean_code(code)
    found = find_certificate(store, code)
    if found is None:
        return Verification(False, f"No certificate has the code {code}: it was not issued "
                                   "by this service, or it was typed wrongly.")
    key = secret_key(data_dir)
    if sign(key, certificate_text(found.model_dump())) != code:
        return Verification(False, f"The certificate with code {code} was altered after it "
                                   "was issued: it is not genuine.", found)
    if text is not None and sign(key, _certificate_lines(text)) != code:
        return Verification(False, f"The text of this certificate does not match code {code}:"
                                   " it was altered. The genuine certificate reads: "
                                   + certificate_text(found.model_dump()).replace("\n", "; "),
                            found)
    return Verification(True, f"Code {code} was issued to {found.participant} for "
                              f"{found.module}, completed on "
                              f"{format_date(found.completed_on)} ({hours_text(found.hours)} "
                              f"hours; trainer {found.trainer}).", found)


def _certificate_lines(text: str) -> str:
    """The signed lines of a certificate's text as read back (from a PDF, say)."""
    flat = " ".join(text.split())
    start = flat.find("Certificate of completion Participant:")
    if start < 0:
        return flat
    end = flat.find(" Verification code", start)
    return flat[start:end if end > 0 else None]


def pdf_text(data: bytes) -> str:
    """The text of a PDF (its pages in order).

    Raises:
        CertificateError: the file is not a PDF that can be read.
    """
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    except (PdfReadError, ValueError, OSError) as exc:
        raise CertificateError(f"cannot be read as a PDF ({exc})", value="the file",
                               where=WHERE, fix="give the certificate's PDF as downloaded") \
            from None


__all__ = ["Verification", "certificate_html", "certificate_pdf", "certificate_text",
           "clean_code", "find_certificate", "issue_certificate", "pdf_text", "secret_key",
           "sign", "verify"]
