"""The participant's own progress on the module page, and their certificate.

:func:`your_progress` lists every activity with its rule and whether it is done (the
films are ticked here), and refreshes when asked; :func:`your_certificate` issues the
certificate once every required activity and the quiz are done, or says what is left.
"""

from __future__ import annotations

import base64
from typing import Any

import ipywidgets as widgets

from partnerkit.collaborative_working.certificate import certificate_pdf, issue_certificate
from partnerkit.collaborative_working.completion import my_completion
from partnerkit.errors import PartnerkitError
from partnerkit.records.base import load_record, save_record
from partnerkit.records.module import practitioner_name
from partnerkit.records.training import ActivityMark
from partnerkit.reports.parts import render_part

FILMS = {"module6.activity14": "I have watched Activity 14 (the CIRCLE Framework film)",
         "module6.activity15": "I have watched Activity 15 (supporting parents)"}


def completion_html(store: Any, workspace: str, practitioner: str) -> str:
    """A participant's activities, done and to do, with each rule (HTML)."""
    frame = my_completion(store, workspace, practitioner)
    rows = frame.to_dict("records")
    required = [r for r in rows if r["required"]]
    return render_part("completion_list", rows=rows, done=sum(r["done"] for r in required),
                       required=len(required),
                       left=[r["activity"] for r in required if not r["done"]])


class ProgressPanel(widgets.VBox):
    """The session participant's activities and the film ticks; ``refresh()`` redraws."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.who = practitioner_name(session.author)
        self.list = widgets.HTML("")
        self.ticks = {film: self._tick(film, label) for film, label in FILMS.items()}
        self.button = widgets.Button(description="Check my progress again", icon="refresh")
        self.button.on_click(lambda _b: self.refresh())
        super().__init__([*self.ticks.values(), self.list, self.button])
        self.refresh()

    def _tick(self, film: str, label: str) -> widgets.Checkbox:
        mark = load_record(self.session.store, self.session.workspace, ActivityMark,
                           f"{self.who}/{film}")
        box = widgets.Checkbox(value=bool(mark and mark.done), description=label,
                               indent=False, layout=widgets.Layout(width="auto"))
        box.observe(lambda change, f=film: self._mark(f, change["new"]), names="value")
        return box

    def _mark(self, film: str, done: bool) -> None:
        save_record(self.session.store, self.session.workspace,
                    ActivityMark(practitioner=self.who, activity=film, done=done), self.who)
        self.refresh()

    def refresh(self) -> None:
        """Redraw the list from the store."""
        self.list.value = completion_html(self.session.store, self.session.workspace,
                                          self.who)


def your_progress(session: Any) -> ProgressPanel:
    """The participant's activities: what is done, what is left, and each rule."""
    return ProgressPanel(session)


class CertificatePanel(widgets.VBox):
    """A button that issues the certificate and offers the PDF, or says what is left."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.button = widgets.Button(description="Get my certificate", icon="certificate",
                                     button_style="success")
        self.message = widgets.HTML("")
        self.button.on_click(lambda _b: self.issue())
        super().__init__([self.button, self.message])

    def issue(self) -> Any:
        """Issue the certificate and show its download link; or say what is left."""
        try:
            certificate = issue_certificate(self.session.store, self.session.workspace,
                                            self.session.author, self.session.data_dir)
        except PartnerkitError as exc:
            self.message.value = render_part("status_message", text=f"Not yet: {exc}", ok=False)
            return None
        data = base64.b64encode(certificate_pdf(certificate)).decode("ascii")
        self.message.value = render_part("export_links", intro=(
            f"Your certificate is ready. Its verification code is {certificate.code}."),
            files=[{"format": "PDF", "path": "certificate.pdf",
                    "name": f"certificate-{certificate.practitioner}.pdf",
                    "href": f"data:application/pdf;base64,{data}"}])
        return certificate


def your_certificate(session: Any) -> CertificatePanel:
    """The certificate of completion: issued once the module and the quiz are done."""
    return CertificatePanel(session)
