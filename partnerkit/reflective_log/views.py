"""The reflective log on screen, its export with download links, and what was shared.

The trainer's part (:func:`shared_with_you`) lists the participants who shared entries
and shows a chosen participant's shared entries; anyone else sees one sentence.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from IPython.display import HTML

from partnerkit.access import LOCAL, TRAINER
from partnerkit.errors import PartnerkitError
from partnerkit.forms.looks import STACKED
from partnerkit.records.module import practitioner_names
from partnerkit.reflective_log.data import log_frame, sharing
from partnerkit.reflective_log.report import export_log, log_html
from partnerkit.reports.frames import Column, frame_table
from partnerkit.reports.parts import render_part

MIME = {"html": "text/html",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf"}
"""The media type of each export format, for its download link."""

FOR_TRAINERS = ("This part is for the cohort's trainer: it shows the entries participants "
                "share with them.")
"""What someone who is not the trainer sees instead of the shared entries."""


LOG_TABLE = (Column("task", "Task"), Column("prompt", "What it asks"),
             Column("characters", "Characters written", "count"),
             Column("first_saved", "First written", "moment"),
             Column("last_saved", "Last changed", "moment"),
             Column("versions", "Versions", "count"))
"""The page's table of log entries (:func:`~partnerkit.reflective_log.log_frame`, in words)."""

NO_ENTRIES = ("No entries yet: write your first reflection in the collaborative working "
              "module.")


def log_table(session: Any, practitioner: str | None = None) -> HTML:
    """The log at a glance as a plain table: one row per entry; a sentence when empty."""
    who = practitioner or session.practitioner
    return HTML(frame_table(log_frame(session.store, session.workspace, who), LOG_TABLE,
                            empty=NO_ENTRIES))


def _frame(page: str) -> widgets.HTML:
    return widgets.HTML(render_part("document_frame", page=page, title="Reflective log",
                                    height="40em", download=None))


def log_view(session: Any, practitioner: str | None = None) -> widgets.HTML:
    """The whole log on screen, with each entry's earlier versions."""
    who = practitioner or session.practitioner
    return _frame(log_html(session.store, session.workspace, who, show_history=True))


def export(session: Any, out_dir: str | Path | None = None,
           practitioner: str | None = None) -> widgets.Widget:
    """Export the session practitioner's log (DOCX, PDF, HTML); say where, with links.

    In JupyterLab or a batch render the documents are written at once. On a served page
    they are written when the person asks (:class:`LogExport`): writing a PDF is most of
    the work of drawing the page, and a room opening its logs together should not make
    thirty PDFs nobody asked for.

    Args:
        session: the workbook's session.
        out_dir: the folder to write to; the data folder's ``reports/`` if not given.
        practitioner: whose log (the session's author if not given).
    """
    if getattr(session, "served", False):
        return LogExport(session, out_dir, practitioner)
    return widgets.HTML(export_links(session, out_dir, practitioner))


def export_links(session: Any, out_dir: str | Path | None = None,
                 practitioner: str | None = None) -> str:
    """Write the log in each format; the HTML saying where, with a download link each."""
    who = practitioner or session.practitioner
    folder = Path(out_dir) if out_dir else Path(session.data_dir) / "reports"
    written = export_log(session.store, session.workspace, who, folder)
    served = getattr(session, "served", False)
    files = [{"format": fmt.upper(), "path": None if served else str(path),
              "name": path.name,
              "href": f"data:{MIME[fmt]};base64,"
                      + base64.b64encode(path.read_bytes()).decode("ascii")}
             for fmt, path in written.items()]
    name = practitioner_names(session.store, session.workspace).get(who, who)
    intro = f"The reflective log of {name} was written as one document in each format:"
    return render_part("export_links", intro=intro, files=files)


class LogExport(widgets.VBox):
    """A button that writes the log as Word, PDF and a web page, then links them."""

    LABEL = "Make my log (Word, PDF and web page)"

    def __init__(self, session: Any, out_dir: str | Path | None = None,
                 practitioner: str | None = None) -> None:
        self.session = session
        self.out_dir = out_dir
        self.practitioner = practitioner
        self.button = widgets.Button(description=self.LABEL, icon="file",
                                     button_style="primary")
        self.result = widgets.HTML("")
        self.button.on_click(lambda _b: self.make())
        super().__init__([self.button, self.result])

    def make(self) -> None:
        """Write the documents and show their links (the button waits meanwhile)."""
        self.button.disabled = True
        self.result.value = render_part("help_note", note="Making the documents…")
        try:
            self.result.value = export_links(self.session, self.out_dir, self.practitioner)
        except PartnerkitError as exc:
            self.result.value = render_part("status_message", text=f"Not made: {exc}",
                                            ok=False)
        finally:
            self.button.disabled = False


def is_trainer(session: Any) -> bool:
    """True for the workspace's trainer (or the one local user, or a test without account)."""
    account = session.account
    return account is None or account.role_in(session.workspace) in {TRAINER, LOCAL}


class SharedLogs(widgets.VBox):
    """The trainer's view of shared entries: pick a participant, read what they shared.

    ``who`` offers the participants (by full name) who shared at least one entry;
    ``entries`` shows the chosen participant's shared entries and their shared versions.
    """

    def __init__(self, session: Any) -> None:
        self.session = session
        names = practitioner_names(session.store, session.workspace)
        shared = sharing(session.store, session.workspace)
        options = sorted(((f"{names.get(who, who)} ({count} shared)", who)
                          for who, count in shared.items()
                          if who != session.author), key=lambda o: o[0].casefold())
        self.who = widgets.Dropdown(options=options, value=None,
                                    description="Participant", _dom_classes=STACKED,
                                    style={"description_width": "initial"})
        self.entries = widgets.VBox()
        self.who.observe(lambda change: self.show(change["new"]), names="value")
        note = ("Choose a participant to read the entries they shared with you."
                if options else "No participant has shared a reflective log entry with "
                                "you yet.")
        super().__init__([widgets.HTML(render_part("help_note", note=note)),
                          *([self.who] if options else []), self.entries])

    def show(self, practitioner: str | None) -> None:
        """Show a participant's shared entries (nothing when none is chosen)."""
        if not practitioner:
            self.entries.children = ()
            return
        page = log_html(self.session.store, self.session.workspace, practitioner,
                        show_history=True, shared_only=True)
        self.entries.children = (_frame(page),)


def shared_with_you(session: Any) -> widgets.Widget:
    """For the trainer: the entries participants shared; anyone else, one sentence."""
    if not is_trainer(session):
        return widgets.HTML(render_part("help_note", note=FOR_TRAINERS))
    return SharedLogs(session)
