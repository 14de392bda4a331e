"""The reflective log as a professional-learning record on the page, and its sign-off.

:func:`cpd_export` lets a participant choose the record they file (GTCS, CLD Standards
Council, SSSC) and download it as Word and PDF; an empty log says there is nothing to
file. :func:`sign_off_form` is for a mentor or line manager (the cohort's trainer, a
school lead): choose the participant and record, give a name, role and comment.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from partnerkit.access import ADMIN, LOCAL, SCHOOL_LEAD, TRAINER
from partnerkit.errors import PartnerkitError
from partnerkit.forms.looks import STACKED
from partnerkit.records.module import practitioner_names
from partnerkit.records.training import FRAMEWORKS
from partnerkit.reflective_log.cpd import export_cpd, sign_off
from partnerkit.reports.parts import render_part

MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf"}


def _say(text: str, *, ok: bool) -> str:
    return render_part("status_message", text=text, ok=ok)


class CpdExport(widgets.VBox):
    """Choose the record, export it as Word and PDF, with download links."""

    def __init__(self, session: Any, out_dir: str | Path | None = None) -> None:
        self.session = session
        self.out_dir = Path(out_dir) if out_dir else Path(session.data_dir) / "reports"
        self.framework = widgets.RadioButtons(
            options=[(name, key) for key, name in FRAMEWORKS.items()], value="gtcs",
            description="Record", layout=widgets.Layout(width="auto"))
        self.button = widgets.Button(description="Make my record (Word and PDF)",
                                     icon="file", button_style="primary")
        self.result = widgets.HTML("")
        self.button.on_click(lambda _b: self.export())
        super().__init__([self.framework, self.button, self.result])

    def export(self) -> dict[str, Path] | None:
        """Write the chosen record; show links, or say why not (an empty log)."""
        try:
            written = export_cpd(self.session.store, self.session.workspace,
                                 self.session.author, self.framework.value, self.out_dir)
        except PartnerkitError as exc:
            self.result.value = _say(f"Not made: {exc}", ok=False)
            return None
        files = [{"format": fmt.upper(), "path": str(path), "name": path.name,
                  "href": f"data:{MIME[fmt]};base64,"
                          + base64.b64encode(path.read_bytes()).decode("ascii")}
                 for fmt, path in written.items()]
        self.result.value = render_part("export_links", files=files, intro=(
            f"Your {FRAMEWORKS[self.framework.value]} record was written:"))
        return written


def cpd_export(session: Any, out_dir: str | Path | None = None) -> CpdExport:
    """The participant's professional-learning record, as Word and PDF."""
    return CpdExport(session, out_dir)


class SignOffForm(widgets.VBox):
    """A mentor's or line manager's sign-off of a participant's record."""

    def __init__(self, session: Any) -> None:
        self.session = session
        names = practitioner_names(session.store, session.workspace)
        people = sorted(((n, u) for u, n in names.items() if u != session.author),
                        key=lambda o: o[0].casefold())
        self.who = widgets.Dropdown(options=people, value=people[0][1] if people else None,
                                    description="Participant", _dom_classes=STACKED)
        self.framework = widgets.Dropdown(options=[(n, k) for k, n in FRAMEWORKS.items()],
                                          value="gtcs", description="Record",
                                          _dom_classes=STACKED)
        self.signer = widgets.Text(description="Your name", value=getattr(
            session.account, "name", "") or "", _dom_classes=STACKED)
        self.role = widgets.Dropdown(options=["mentor", "line manager"], value="mentor",
                                     description="You sign as", _dom_classes=STACKED)
        self.comment = widgets.Textarea(description="Comment", _dom_classes=STACKED)
        self.button = widgets.Button(description="Sign off this record", icon="check")
        self.message = widgets.HTML("")
        self.button.on_click(lambda _b: self.sign())
        super().__init__([self.who, self.framework, self.signer, self.role, self.comment,
                          self.button, self.message])

    def sign(self) -> Any:
        """Record the sign-off; say what was recorded, or why not."""
        try:
            done = sign_off(self.session.store, self.session.workspace, self.who.value or "",
                            self.framework.value, signer=self.signer.value,
                            signer_role=self.role.value, comment=self.comment.value,
                            author=self.session.author)
        except PartnerkitError as exc:
            self.message.value = _say(f"Not signed off: {exc}", ok=False)
            return None
        self.message.value = _say(f"Signed off: the {FRAMEWORKS[done.framework]} record of "
                                  f"{self.who.label} now shows your sign-off.", ok=True)
        return done


def sign_off_form(session: Any) -> widgets.Widget:
    """For a mentor or line manager (trainer, school lead, admin): sign off a record."""
    account = session.account
    role = None if account is None else account.role_in(session.workspace)
    if account is not None and role not in {TRAINER, SCHOOL_LEAD, ADMIN, LOCAL}:
        return widgets.HTML(render_part("help_note", note=(
            "Your mentor or line manager (the cohort's trainer or a school lead) signs off "
            "your record here; their sign-off then shows on it.")))
    return SignOffForm(session)
