"""The attendance workbook's page (the only module of the wing that imports ipywidgets).

The workbook's cells call :func:`attendance_page` once, then one method of the
:class:`AttendancePage` per part: :meth:`~AttendancePage.export_panel` (choose the
school's export, match its headings, set the threshold), then the figures
(:meth:`~AttendancePage.columns`, :meth:`~AttendancePage.overview`, ...,
:meth:`~AttendancePage.flagged`).

The page starts from the workspace's own files when it has them (the demo school does)
and from nothing when it has none. An export loaded by upload replaces what every part
shows, on a served page at once (each part is live). The headings matched and the
threshold are remembered for the workspace (:class:`~partnerkit.records.attendance.
AttendanceSettings`), so the next export of the same system loads without asking. A file
with any problem is refused whole, with one message, and nothing of it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML

from partnerkit.attendance.charts import (
    chart_bands,
    chart_quintiles,
    chart_stretch_aims,
    chart_trend,
)
from partnerkit.attendance.fields import FIELD_LABELS
from partnerkit.attendance.files import input_files
from partnerkit.attendance.links import flagged_pupils
from partnerkit.attendance.loader import AttendanceData, load_attendance
from partnerkit.attendance.measures import (
    band_counts,
    breakdowns,
    check_threshold,
    pupil_rates,
    quintile_breakdown,
)
from partnerkit.attendance.stretch import school_year, stretch_aim_tracker
from partnerkit.attendance.trends import monthly_trend, termly_trend
from partnerkit.attendance.upload import (
    ACCEPTED,
    OPTIONAL_FIELDS,
    SHAPE_FIELDS,
    ExportHeadings,
    load_export,
    read_headings,
)
from partnerkit.attendance.views_tables import (
    columns_table,
    flagged_table,
    overview_table,
    shareable_table,
    tracker_table,
)
from partnerkit.errors import InputFileError, PartnerkitError
from partnerkit.records.attendance import AttendanceSettings
from partnerkit.records.base import load_record, save_record
from partnerkit.reports.parts import render_part
from partnerkit.session import Session

TOPIC = "attendance"
"""What the page's live parts listen to: a new export was loaded."""
NOT_IN_FILE = "— not in my file —"
NO_DATA = ("Nothing to show yet: choose your school's attendance export at the top of the "
           "page and load it.")
SHAPES = (("One mark per pupil for each half-day (marks)", "marks"),
          ("Totals for each pupil (possible and attended openings)", "totals"))
WIDE = {"description_width": "initial"}


def _percent(threshold: float) -> str:
    return f"{threshold * 100:g}%"


def threshold_from_text(text: str) -> float:
    """A threshold typed as a percentage ("90", "87.5%") as a fraction; refused plainly."""
    cleaned = (text or "").strip().removesuffix("%").strip()
    try:
        value = float(cleaned)
    except ValueError:
        value = float("nan")
    if not 1 <= value <= 100:
        raise PartnerkitError("the threshold must be a percentage from 1 to 100",
                              value=text, where="Low attendance threshold",
                              fix="type a number such as 90 (for 90%)")
    return value / 100


class AttendancePage:
    """What the page shows: the attendance loaded now, its measures and every part.

    ``data`` is ``None`` until an export is loaded (a workspace without files of its
    own); each part then says what to do instead of failing.
    """

    def __init__(self, session: Session, files: dict[str, Path | None] | None,
                 columns: Any = None, codes: Any = None, threshold: float = 0.9) -> None:
        self.session = session
        self.files = files or {"attendance": None, "pupils": None, "stretch_aims": None}
        self.codes = codes
        self.settings = self._stored_settings()
        remembered = self.settings is not None and session.served
        self.threshold = check_threshold(self.settings.threshold if remembered
                                         else threshold)
        self.data: AttendanceData | None = None
        self.rates: pd.DataFrame | None = None
        if self.files["attendance"] is not None:
            self.show(load_attendance(self.files["attendance"], self.files["pupils"],
                                      columns=columns, codes=codes))

    def _stored_settings(self) -> AttendanceSettings | None:
        """The workspace's remembered settings, or None.

        A served page's threshold starts from them and an upload's headings are matched
        with them first.
        """
        try:
            return load_record(self.session.store, self.session.workspace,
                               AttendanceSettings, "export")
        except PartnerkitError:
            return None  # an account that may not read the settings starts from none

    def remembered_columns(self) -> dict[str, str] | None:
        """The headings matched for the last export loaded here, or None."""
        return dict(self.settings.columns) if self.settings and self.settings.columns else None

    def show(self, data: AttendanceData) -> None:
        """Make ``data`` what every part shows, and redraw the live parts."""
        self.data = data
        self.rates = pupil_rates(data, threshold=self.threshold)
        self.session.changed(TOPIC)

    def remember(self, heads: ExportHeadings, columns: dict[str, str], shape: str) -> None:
        """Keep the headings matched and the threshold for the workspace's next export."""
        self.settings = AttendanceSettings(columns=columns, shape=shape,
                                           threshold=self.threshold, file_name=heads.file)
        save_record(self.session.store, self.session.workspace, self.settings,
                    self.session.author)

    # ------------------------------------------------------------ parts

    def part(self, build: Callable[[], Any], *, later: bool = False) -> Any:
        """A part of the page: ``build()`` once data is loaded; live on a served page.

        With ``later`` (the charts and the tables that group every pupil), a served page
        draws it once the page's cells have run (the workbook's last cell, ``s.done()``):
        they were 3.4 s of the kernel's 3.5 s before the page could be used.
        """
        def shown() -> Any:
            if self.data is None:
                return HTML(render_part("help_note", note=NO_DATA))
            return build()

        if not self.session.served:
            return shown()
        return self.session.live(TOPIC, shown, later=later)

    def export_panel(self) -> Any:
        """The upload panel on a served page; elsewhere the parameters say which file."""
        if not self.session.served:
            return HTML(render_part("help_note", note=(
                "On the web page this part takes your school's export by upload. Here, "
                "set attendance_file (and columns) in the parameters cell.")))
        return ExportPanel(self)

    def columns(self) -> Any:
        """How the workbook read the file's headings, and its notes."""
        return self.part(lambda: HTML(columns_table(self.data).data + "".join(
            render_part("help_note", note=n) for n in self.data.notes())))

    def overview(self) -> Any:
        """The headline figures."""
        return self.part(lambda: overview_table(self.rates, threshold=self.threshold))

    def bands(self) -> Any:
        """How many pupils are in each attendance band (a chart)."""
        return self.part(lambda: chart_bands(band_counts(self.rates)), later=True)

    def quintiles(self) -> Any:
        """Attendance by SIMD quintile (a chart)."""
        return self.part(lambda: chart_quintiles(quintile_breakdown(self.rates),
                                                 threshold=self.threshold), later=True)

    def quintiles_shareable(self) -> Any:
        """The quintile figures, safe to share."""
        return self.part(lambda: shareable_table(quintile_breakdown(self.rates)), later=True)

    def groups(self) -> Any:
        """Attendance for every other group of pupils, safe to share."""
        return self.part(lambda: shareable_table(breakdowns(self.rates)), later=True)

    def monthly(self) -> Any:
        """Attendance month by month (a chart)."""
        return self.part(lambda: chart_trend(monthly_trend(self.data),
                                             threshold=self.threshold,
                                             title="Attendance month by month"), later=True)

    def termly(self) -> Any:
        """Attendance term by term for each SIMD quintile (a chart)."""
        return self.part(lambda: chart_trend(
            termly_trend(self.data, rates=self.rates, by="simd_quintile"),
            threshold=self.threshold, title="Attendance term by term, by SIMD quintile"),
            later=True)

    def _tracker(self) -> pd.DataFrame:
        return stretch_aim_tracker(self.files["stretch_aims"], self.rates,
                                   school_year(self.data))

    def stretch_chart(self) -> Any:
        """Stretch aims against results (a chart)."""
        return self.part(lambda: chart_stretch_aims(self._tracker()), later=True)

    def stretch_table(self) -> Any:
        """Stretch aims against results (a table)."""
        return self.part(lambda: tracker_table(self._tracker()), later=True)

    def flagged(self) -> Any:
        """The pupils at or below the threshold, with links to their map and plan."""
        return self.part(lambda: flagged_table(
            flagged_pupils(self.rates, workspace=self.session.workspace)), later=True)


def attendance_page(session: Session, attendance_file: Any = None, pupils_file: Any = None,
                    stretch_aims_file: Any = None, *, columns: Any = None, codes: Any = None,
                    threshold: float = 0.9) -> AttendancePage:
    """The page's state: the files given, else the workspace's own, loaded at once.

    On a served page a workspace without files of its own starts empty (the export is
    then chosen on the page); elsewhere that is an error naming the files looked for.
    """
    try:
        files = input_files(session.data_dir, session.workspace, attendance_file,
                            pupils_file, stretch_aims_file)
    except InputFileError:
        if not session.served or attendance_file is not None:
            raise
        files = None
    return AttendancePage(session, files, columns=columns, codes=codes, threshold=threshold)


class ExportPanel(widgets.VBox):
    """Choose the export, match its headings, set the threshold, load it whole.

    :meth:`choose` reads an upload's headings and offers a dropdown per field with the
    suggested heading chosen; :meth:`load` loads the file with the headings chosen (all
    or nothing), remembers them and redraws the page.
    """

    def __init__(self, page: AttendancePage) -> None:
        self.page = page
        self.heads: ExportHeadings | None = None
        self.upload_data: bytes = b""
        self.upload = widgets.FileUpload(accept=",".join(ACCEPTED), multiple=False,
                                         description="Choose the export file",
                                         layout=widgets.Layout(width="auto"))
        self.upload.observe(self._uploaded, names="value")
        self.shape = widgets.RadioButtons(options=SHAPES, description="Kind of export",
                                          style=WIDE, layout=widgets.Layout(width="auto"))
        self.shape.observe(lambda _c: self._show_choices(), names="value")
        self.choices: dict[str, widgets.Dropdown] = {}
        self.choice_box = widgets.VBox()
        self.threshold = widgets.Text(value=f"{page.threshold * 100:g}",
                                      continuous_update=False, style=WIDE,
                                      description="Low attendance threshold (%)")
        self.load_button = widgets.Button(description="Load the export and show who is "
                                                      "flagged", icon="upload",
                                          layout=widgets.Layout(width="auto",
                                                                display="none"))
        self.load_button.on_click(lambda _b: self.load())
        self.mapping_box = widgets.VBox()
        self.status = widgets.HTML()
        super().__init__([widgets.HTML(self._intro()), self.upload, self.mapping_box,
                          self.threshold, self.load_button, self.status])

    def _intro(self) -> str:
        settings = self.page.settings
        intro = render_part("help_note", note=(
            "Export the attendance from your school's management information system as a "
            "CSV or Excel (.xlsx) file, then choose it here. Pupils are shown by their "
            "reference only."))
        if settings and settings.columns:
            intro += render_part("attendance/remembered", file_name=settings.file_name,
                                 threshold=_percent(settings.threshold),
                                 pairs=[(FIELD_LABELS.get(f, f), h)
                                        for f, h in settings.columns.items()])
        return intro

    # ------------------------------------------------------------ choosing

    def _uploaded(self, change: Any) -> None:
        for upload in change["new"] or ():
            self.choose(bytes(upload.get("content") or b""),
                        str(upload.get("name") or "uploaded file"))

    def choose(self, data: bytes, name: str) -> ExportHeadings | None:
        """Read an export's headings and offer the match; refuse an unreadable file."""
        self.upload_data, self.heads = b"", None
        self.mapping_box.children = ()
        self.load_button.layout.display = "none"
        try:
            heads = read_headings(data, name, self.page.remembered_columns())
        except PartnerkitError as exc:
            self._refused(name, exc)
            return None
        self.upload_data, self.heads = data, heads
        self.status.value = ""
        self.shape.value = heads.shape
        self._show_choices()
        self.load_button.layout.display = None
        return heads

    def _show_choices(self) -> None:
        if self.heads is None:
            return
        options = [(NOT_IN_FILE, ""), *((h, h) for h in self.heads.headings)]
        fields = (*SHAPE_FIELDS[self.shape.value], *OPTIONAL_FIELDS)
        self.choices = {f: widgets.Dropdown(
            options=options, value=self.heads.suggested.get(f, ""),
            description=FIELD_LABELS[f][:1].upper() + FIELD_LABELS[f][1:], style=WIDE)
            for f in fields}
        main = [self.choices[f] for f in SHAPE_FIELDS[self.shape.value]]
        more = widgets.Accordion([widgets.VBox([self.choices[f] for f in OPTIONAL_FIELDS])],
                                 titles=("Pupil details in the same file (optional)",))
        more.selected_index = None
        self.mapping_box.children = (
            widgets.HTML(render_part("attendance/heading_intro", file=self.heads.file,
                                     complete=self.heads.complete)),
            self.shape, *main, more)

    # ------------------------------------------------------------ loading

    def chosen(self) -> dict[str, str]:
        """The heading chosen for each field (blank: not in the file)."""
        return {f: box.value for f, box in self.choices.items()}

    def load(self) -> AttendanceData | None:
        """Load the export with the headings chosen; remember them; redraw the page."""
        heads = self.heads
        if heads is None:
            self.status.value = render_part("status_message", ok=False,
                                            text="Choose the export file first.")
            return None
        try:
            threshold = threshold_from_text(self.threshold.value)
            data = load_export(self.upload_data, heads.file, self.chosen(), self.shape.value)
        except PartnerkitError as exc:
            self._refused(heads.file, exc)
            return None
        self.page.threshold = threshold
        columns = {f: h for f, h in self.chosen().items() if h}
        self.page.remember(heads, columns, self.shape.value)
        self.page.show(data)
        flagged = int(self.page.rates["low_attendance"].sum())
        self.status.value = render_part("status_message", ok=True, text=(
            f"✓ Loaded {len(data.totals)} pupils from {heads.file}: {flagged} at or below "
            f"{_percent(threshold)}. The headings you matched are saved for next time."))
        return data

    def _refused(self, file: str, exc: PartnerkitError) -> None:
        problems = [str(p) for p in getattr(exc, "problems", None) or ()][1:]
        self.status.value = render_part("attendance/refused", file=file, message=str(exc),
                                        problems=problems)


__all__ = ["AttendancePage", "ExportPanel", "attendance_page", "threshold_from_text"]
