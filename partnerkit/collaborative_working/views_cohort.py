"""The trainer's cohort view (the ``cohort`` workbook): the live board and its actions.

:class:`CohortBoard` shows one row per participant (a column per activity, the quiz,
the lock and a status) and redraws itself while the session runs: every
:data:`REFRESH_SECONDS` it asks the store for the workspace's change marker (one small
query) and reads the board again only when something changed. Filters show "not
started", "stuck" or "locked"; the trainer lifts a lock or allows one more attempt, with
a reason; the board exports to CSV, XLSX and PDF. :func:`review_options` and
:func:`item_statistics_view` are the quiz's review options and item statistics.
"""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from partnerkit.collaborative_working.cohort_report import (
    BOARD_NOTE,
    FILTERS,
    ITEM_HEADINGS,
    board_table_html,
    export_board,
)
from partnerkit.collaborative_working.completion import cohort_board
from partnerkit.collaborative_working.rules.items import MIN_ATTEMPTS
from partnerkit.collaborative_working.trainer import GRANTS, allow, item_table
from partnerkit.errors import PartnerkitError
from partnerkit.forms import record_form
from partnerkit.forms.looks import STACKED, own_layout, style_once
from partnerkit.records.training import CohortSettings
from partnerkit.reports.frames import frame_table
from partnerkit.reports.parts import render_part

REFRESH_SECONDS = 5.0
"""How often the board asks whether anything changed."""
MIME = {"csv": "text/csv", "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class CohortBoard(widgets.VBox):
    """The live board: filter, table, lift/extra-attempt form, exports."""

    def __init__(self, session: Any, *, watch: bool = True) -> None:
        self.session = session
        self.marker: str | None = None
        self.board = None
        self.filter = widgets.ToggleButtons(options=[(v, k) for k, v in FILTERS.items()],
                                            value="all", description="Show")
        self.filter.observe(lambda _c: self.draw(), names="value")
        self.table = widgets.HTML("")
        self.updated = widgets.HTML("")
        self.who = widgets.Dropdown(description="Participant locked out of the quiz",
                                    options=[], style={"description_width": "initial"},
                                    _dom_classes=STACKED)
        self.grant = widgets.RadioButtons(options=[(v, k) for k, v in GRANTS.items()],
                                          value="lift", description="What to allow",
                                          _dom_classes=STACKED)
        self.reason = widgets.Textarea(description="Why (kept with your name)",
                                       style={"description_width": "initial"},
                                       layout=widgets.Layout(width="100%"),
                                       _dom_classes=STACKED)
        self.button = widgets.Button(description="Record and allow", icon="unlock",
                                     button_style="warning")
        self.button.on_click(lambda _b: self.act())
        self.message = widgets.HTML("")
        self.actions = widgets.VBox([widgets.HTML(render_part("intro", heading="Lift a quiz "
                                    "lock or allow one more attempt", level=4, paragraphs=[
                                        "Lifting a lock allows three more attempts; one "
                                        "more attempt locks again if it fails."])),
                                     self.who, self.grant, self.reason, self.button])
        self.export_button = widgets.Button(description="Export CSV, XLSX and PDF",
                                            icon="download")
        self.export_button.on_click(lambda _b: self.export())
        self.exports = widgets.HTML("")
        super().__init__([style_once(), widgets.HTML(render_part("help_note", note=BOARD_NOTE)),
                          self.filter, self.updated, self.table, self.actions, self.message,
                          self.export_button, self.exports])
        self.refresh()
        self.task = _start(self.watch()) if watch else None

    def refresh(self) -> bool:
        """Read the board again if the workspace changed since; True when it did."""
        marker = self.session.store.state(self.session.workspace)
        if marker == self.marker and self.board is not None:
            return False
        self.marker = marker
        self.board = cohort_board(self.session.store, self.session.workspace,
                                  leave_out=(self.session.author,))
        self.draw()
        return True

    def draw(self) -> None:
        """Show the board with the chosen filter, and offer the participants locked out."""
        board = self.board
        self.table.value = board_table_html(board, self.filter.value)
        locked = board[board["status"] == "locked"]
        keep = self.who.value
        self.who.options = [(row.name, row.practitioner) for row in locked.itertuples()]
        names = list(locked["practitioner"])
        self.who.value = keep if keep in names else (names[0] if names else None)
        own_layout(self.actions).display = None if len(locked) else "none"
        self.updated.value = render_part("help_note", note=(
            f"{len(board)} participants; the board redraws itself as they save."))

    async def watch(self) -> None:
        """Redraw when the workspace changes, every :data:`REFRESH_SECONDS`, until closed."""
        while self.comm is not None:
            await asyncio.sleep(REFRESH_SECONDS)
            try:
                self.refresh()
            except PartnerkitError as exc:
                self._say(f"The board could not be read just now: {exc}", ok=False)

    def act(self) -> Any:
        """Lift the chosen participant's lock (or allow one more attempt) with the reason."""
        chosen, label = self.who.value, self.who.label
        if not chosen:
            self._say("Choose the participant first.", ok=False)
            return None
        try:
            done = allow(self.session.store, self.session.workspace, chosen,
                         self.reason.value, self.session.author, self.grant.value)
        except PartnerkitError as exc:
            self._say(f"Nothing was recorded: {exc}", ok=False)
            return None
        self.reason.value = ""
        self.refresh()
        what = "may take one more attempt" if done.grant == "one_attempt" else \
            "can take the quiz again"
        self._say(f"Recorded: {label} {what}.", ok=True)
        return done

    def export(self, out_dir: str | Path | None = None) -> dict[str, Path]:
        """Write the board (as filtered) to CSV, XLSX and PDF, with download links."""
        folder = Path(out_dir) if out_dir else Path(self.session.data_dir) / "reports"
        written = export_board(self.session.store, self.session.workspace, folder,
                               leave_out=(self.session.author,), status=self.filter.value)
        files = [{"format": fmt.upper(), "path": str(path), "name": path.name,
                  "href": f"data:{MIME[fmt]};base64,"
                          + base64.b64encode(path.read_bytes()).decode("ascii")}
                 for fmt, path in written.items()]
        self.exports.value = render_part("export_links", intro="The board (names: for "
                                         "you only) was written as:", files=files)
        return written

    def _say(self, text: str, *, ok: bool) -> None:
        self.message.value = render_part("status_message", text=text, ok=ok)


def _start(coroutine: Any) -> Any:
    """Run ``coroutine`` on the kernel's event loop (closed at once without one)."""
    try:
        return asyncio.get_running_loop().create_task(coroutine)
    except RuntimeError:
        coroutine.close()
        return None


def cohort_board_view(session: Any) -> widgets.Widget:
    """The trainer's live cohort board."""
    return CohortBoard(session)


def review_options(session: Any) -> widgets.Widget:
    """The quiz's review options and the certificate's hours (saved as chosen)."""
    return record_form(CohortSettings, store=session.store, workspace=session.workspace,
                       author=session.author, key="module6", fixed={"module": "module6"},
                       title="What participants see after a quiz attempt")


def item_statistics_view(session: Any) -> widgets.HTML:
    """How each question did, once the cohort has made 20 attempts or more."""
    made, table = item_table(session.store, session.workspace)
    if table.empty:
        return widgets.HTML(render_part("help_note", note=(
            f"{made} attempts so far: item statistics show once there are {MIN_ATTEMPTS}.")))
    return widgets.HTML(render_part("help_note", note=(
        "Proportion right: how many got the question right. Discrimination: the strongest "
        "27% of attempts against the weakest 27%; near zero or below, strong participants "
        "do no better on it, so the question may mislead.")) + frame_table(
        table, ITEM_HEADINGS, caption=f"Item statistics ({made} attempts)", empty=""))
