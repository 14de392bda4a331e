"""The page's forms that change a pupil's records: a correction, the leaving date, sharing.

* Correct a record: pick the record and the field (its value now is shown), type the
  right value and the reason; "Check the correction" shows before and after, and only
  "Yes, make this correction" saves it (the reason is kept beside before and after).
* Mark as left: the leaving date, checked, then confirmed (retention runs from it).
* Record a sharing, or a decision not to share: what, with whom, the basis (consent of
  the parents/carers and the learner, or the child protection exception with the local
  procedure named), through the same call as ``partnerkit pupil share``.

Each goes through the one permission check; bad input gets its one clear message.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from partnerkit.access import CORRECT, DP_KINDS
from partnerkit.data_protection import correction, leaving, sharing
from partnerkit.data_protection.report import KIND_TITLES, show
from partnerkit.data_protection.subject import addresses, check
from partnerkit.data_protection.views import current_pupil
from partnerkit.data_protection.views_parts import (
    PUPIL_TOPIC,
    WIDE,
    Confirmed,
    Preview,
    auto,
    run,
    status,
)
from partnerkit.errors import PartnerkitError
from partnerkit.records import RECORD_TYPES
from partnerkit.records.retention import add_years, load_schedule
from partnerkit.records.sharing import BASES

FIXED_FIELDS = frozenset({"pupil", "id"})
"""Fields that file a record under its pupil: never corrected (erase and re-enter instead)."""
def full() -> widgets.Layout:
    """A new layout 100% wide (each widget its own: a shared one is closed with any page)."""
    return widgets.Layout(width="100%")


def record_choices(session: Any) -> list[tuple[str, tuple[str, str]]]:
    """The pupil's current records a correction may change, as (label, (kind, key))."""
    check(session.store, CORRECT, session.workspace)
    ref, raw = current_pupil(session), session.store.store
    return [(f"{KIND_TITLES.get(kind, kind)} ({key})", (kind, key))
            for kind, key in addresses(session.store, session.workspace, ref)
            if kind in RECORD_TYPES and kind not in DP_KINDS
            and raw.get(session.workspace, kind, key) is not None]


def field_choices(kind: str) -> list[tuple[str, str]]:
    """The fields of a kind of record a correction may change, as (title, name)."""
    fields = RECORD_TYPES[kind].model_fields
    return [(info.title or name.replace("_", " "), name) for name, info in fields.items()
            if name not in FIXED_FIELDS]


class CorrectionForm(widgets.VBox):
    """Correct one field of one of the pupil's records, with the reason kept."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.record = widgets.Dropdown(description="Record", style=WIDE, layout=full())
        self.field = widgets.Dropdown(description="Field", style=WIDE)
        self.now = widgets.HTML()
        self.value = widgets.Textarea(description="The right value", style=WIDE, layout=full(),
                                      placeholder="for a list: one item per line")
        self.reason = widgets.Textarea(description="Reason for the correction", style=WIDE,
                                       layout=full())
        self.message = widgets.HTML()
        self.step = Confirmed("Check the correction", "Yes, make this correction",
                              self.preview, self.act, session=session,
                              heading="This correction will be saved, with its reason:")
        self.record.observe(lambda _c: self.fields(), names="value")
        self.field.observe(lambda _c: self.show_now(), names="value")
        session.on_change(PUPIL_TOPIC, self.refresh)
        super().__init__([self.message, self.record, self.field, self.now, self.value,
                          self.reason, self.step])
        self.refresh()

    def refresh(self) -> None:
        """Offer the current pupil's records (after a pick, or a change saved)."""
        chosen = self.record.value
        try:
            choices = record_choices(self.session)
        except PartnerkitError as exc:
            self.message.value, choices = status(str(exc), False), []
        else:
            self.message.value = "" if choices else status(
                "Nothing of this pupil's can be corrected here.", False)
        self.record.options = choices
        if chosen in [value for _label, value in choices]:
            self.record.value = chosen
        self.fields()

    def fields(self) -> None:
        """Offer the chosen record's fields."""
        self.field.options = field_choices(self.record.value[0]) if self.record.value else []
        self.show_now()

    def stored_value(self) -> Any:
        """The chosen field's value as the record holds it now."""
        if not self.record.value or not self.field.value:
            return None
        kind, key = self.record.value
        stored = self.session.store.store.get(self.session.workspace, kind, key)
        return stored.data.get(self.field.value) if stored is not None else None

    def show_now(self) -> None:
        """Say what the field holds now."""
        if not self.field.value:
            self.now.value = ""
            return
        held = show(self.stored_value())
        self.now.value = status(f"Now: {held}" if held else "Now: (empty)", True)

    def _call(self, make: Any) -> Any:
        if not self.record.value or not self.field.value:
            raise PartnerkitError("no record and field are chosen", where="record to correct",
                                  fix="choose the record, then the field to correct")
        kind, key = self.record.value
        value = correction.typed_value(self.value.value, self.stored_value())
        return make(self.session.store, self.session.workspace, current_pupil(self.session),
                    kind, self.field.value, value, self.reason.value, key=key)

    def preview(self) -> Preview:
        """Before and after, and the reason, as they will be kept."""
        _fixed, note = self._call(correction.prepare)
        return Preview(f"{self.record.label}\n{self.field.label}\n  before: "
                       f"{show(note.before)}\n  after:  {show(note.after)}\n"
                       f"Reason: {note.reason}")

    def act(self) -> str:
        """Save the correction; clear the value and the reason."""
        note = self._call(correction.correct)
        self.value.value = self.reason.value = ""
        return (f"Corrected {self.field.label} of {self.record.label}: {show(note.before)!r} "
                f"is now {show(note.after)!r}. The reason is kept with the correction.")


def correction_form(session: Any) -> CorrectionForm:
    """The correction form for the page's pupil."""
    return CorrectionForm(session)


def left_form(session: Any) -> widgets.VBox:
    """Record the date the pupil left; shown, with when their records fall due, then confirmed."""
    day = widgets.DatePicker(description="Date the pupil left", style=WIDE)

    def preview() -> Preview:
        record = leaving.prepare_left(session.store, session.workspace,
                                      current_pupil(session), day.value)
        schedule = load_schedule(Path(session.data_dir), session.workspace)
        due_on = add_years(record.left_on, schedule.years_for("pupil_profile"))
        return Preview(f"Pupil {record.pupil} left on {record.left_on}.\nUnder the schedule "
                       f"({schedule.source}) their records fall due for erasure from "
                       f"{due_on} (child protection records later).")

    def act() -> str:
        record = leaving.mark_left(session.store, session.workspace, current_pupil(session),
                                   day.value)
        return f"Recorded: pupil {record.pupil} left on {record.left_on}."

    return widgets.VBox([day, Confirmed("Check the leaving date", "Yes, record that they left",
                                        preview, act, session=session,
                                        heading="This will be recorded:")])


SHARE_BASES = [(f"Consent: {BASES['consent']}", "consent"),
               (f"Child protection exception ({BASES['child_protection']})",
                "child_protection"), ("Another basis (say which in the reason)", "other")]


def share_form(session: Any) -> widgets.VBox:
    """Record a sharing, or a decision not to share, in the pupil's sharing log."""
    shared = widgets.RadioButtons(options=[("Shared", True), ("Decided not to share", False)],
                                  value=True, description="What happened", style=WIDE)
    what = widgets.Text(description="What was shared (or asked for)", style=WIDE, layout=full())
    whom = widgets.Text(description="With whom", style=WIDE, layout=full())
    basis = widgets.RadioButtons(options=SHARE_BASES, value="consent", description="Basis",
                                 style=WIDE, layout=full())
    procedure = widgets.Text(description="Local child protection procedure followed",
                             style=WIDE, layout=full())
    reason = widgets.Textarea(description="Reason (needed for a decision not to share)",
                              style=WIDE, layout=full())
    on = widgets.DatePicker(description="Date", value=dt.date.today(), style=WIDE)
    button = widgets.Button(description="Record in the sharing log", button_style="primary",
                            layout=auto())
    out = widgets.HTML()

    def call() -> str:
        said = sharing.share(session.store, session.workspace, current_pupil(session),
                             what=what.value, with_whom=whom.value, basis=basis.value,
                             procedure=procedure.value, shared=shared.value,
                             reason=reason.value, on=on.value)
        what.value = whom.value = procedure.value = reason.value = ""
        shared.value, basis.value = True, "consent"
        return said

    button.on_click(lambda _b: run(out, call, session))
    return widgets.VBox([shared, what, whom, basis, procedure, reason, on, button, out])
