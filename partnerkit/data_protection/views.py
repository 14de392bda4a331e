"""The "Subject access and erasure" page for the data-protection lead: one pupil at a time.

Pick a pupil; see what is held about them; make the subject access bundle (for the
pupil, or a parent without the audit entries); set or lift a legal hold with a reason;
erase with a reason and the reference typed again to confirm. The sections below them
(:mod:`.views_sections`) correct a record, mark the pupil as left, record a sharing and
apply the retention schedule; backups and the paperwork are
:mod:`partnerkit.safekeeping.views`. Every button makes one package call; a refusal or
bad input shows its one clear message beside the button, never a traceback.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from partnerkit.access import EXPORT
from partnerkit.data_protection import bundle, erasure, holds
from partnerkit.data_protection.holdings import PARENT, SUBJECT
from partnerkit.data_protection.report import KIND_TITLES
from partnerkit.data_protection.subject import addresses, check, known_pupil
from partnerkit.data_protection.views_parts import PUPIL_TOPIC, run, status
from partnerkit.errors import PartnerkitError
from partnerkit.records.base import load_record
from partnerkit.records.protection import PupilLeft
from partnerkit.records.sharing import sharing_log
from partnerkit.reports.parts import render_part

MIME = {"json": "application/json", "pdf": "application/pdf"}


def current_pupil(session: Any) -> str:
    """The pupil the page is about (the ``pupil`` parameter, or the one picked)."""
    return known_pupil(session.store, session.workspace, session.get("pupil"))


def pupil_picker(session: Any) -> widgets.Dropdown:
    """A list of the workspace's pupils; picking one redraws the page for them."""
    refs = sorted({r.key for r in session.store.store.list(session.workspace,
                                                          "pupil_profile")}
                  | {str(session.get("pupil") or "")} - {""})
    picker = widgets.Dropdown(options=refs, value=session.get("pupil") or None,
                              description="Pupil", style={"description_width": "initial"})

    def picked(change: dict[str, Any]) -> None:
        session.params["pupil"] = change["new"]
        session.changed(PUPIL_TOPIC)

    picker.observe(picked, names="value")
    return picker


def _held_rows(session: Any, ref: str) -> list[list[str]]:
    raw, ws = session.store.store, session.workspace
    kinds = Counter(kind for kind, _ in addresses(session.store, ws, ref))
    hold = holds.active_hold(session.store, ws, ref)
    left = load_record(raw, ws, PupilLeft, ref)
    rows = [[KIND_TITLES.get(k, k), str(n)] for k, n in sorted(kinds.items())]
    rows.append(["Real name", "held" if raw.real_name(ws, ref) else "not held"])
    rows.append(["Legal hold", f"in place: {hold.reason}" if hold else "none"])
    rows.append(["Left the school", str(left.left_on) if left else "not recorded"])
    return rows


def what_is_held(session: Any) -> widgets.Output:
    """What is held about the pupil (records by kind, name, hold, leaving date), and sharing."""
    def build() -> widgets.HTML:
        try:
            check(session.store, EXPORT, session.workspace)
            ref = current_pupil(session)
        except PartnerkitError as exc:
            return widgets.HTML(status(str(exc), False))
        table = render_part("data_table", columns=["What", "Held"],
                            rows=_held_rows(session, ref), page=True,
                            caption=f"Held about pupil {ref}")
        sharing = render_part("sharing_log", sharing=sharing_log(
            session.store.store, session.workspace, ref))
        return widgets.HTML(table + sharing)
    return session.live(PUPIL_TOPIC, build)


def bundle_form(session: Any) -> widgets.VBox:
    """Make the subject access bundle (JSON and PDF) and offer both for download."""
    audience = widgets.RadioButtons(options=[("The pupil (subject access request)", SUBJECT),
                                             ("A parent or carer (educational record)", PARENT)],
                                    value=SUBJECT, description="For")
    button = widgets.Button(description="Make the subject access bundle", button_style="primary",
                            layout=widgets.Layout(width="auto"))
    out = widgets.HTML()

    def make(_: Any) -> None:
        def call() -> str:
            made = bundle.export(session.store, session.workspace, current_pupil(session),
                                 Path(session.data_dir) / "subject-access", Path(session.data_dir),
                                 audience=audience.value)
            out_links.value = _links(made, served=session.served)
            return (f"Wrote the subject access bundle of pupil {current_pupil(session)}: "
                    f"{made.records} records, {made.history} history entries.")
        run(out, call, session)

    out_links = widgets.HTML()
    button.on_click(make)
    return widgets.VBox([audience, button, out, out_links])


def _links(made: bundle.Bundle, *, served: bool = False) -> str:
    """Both files as download links (a page's reader is not shown the server's folders)."""
    files = [{"format": path.suffix[1:].upper(), "path": None if served else str(path),
              "name": path.name,
              "href": f"data:{MIME[path.suffix[1:]]};base64,"
                      + base64.b64encode(path.read_bytes()).decode("ascii")}
             for path in (made.json_file, made.pdf_file)]
    return render_part("export_links", intro="The bundle, readable by you only:", files=files)


def hold_form(session: Any) -> widgets.VBox:
    """Set or lift a legal hold on the pupil's records, with a reason."""
    reason = widgets.Textarea(description="Reason", layout=widgets.Layout(width="100%"),
                              style={"description_width": "initial"})
    set_button = widgets.Button(description="Set a legal hold", layout=widgets.Layout(width="auto"))
    lift_button = widgets.Button(description="Lift the legal hold",
                                 layout=widgets.Layout(width="auto"))
    out = widgets.HTML()

    def act(held: bool) -> Callable[[Any], None]:
        def click(_: Any) -> None:
            def call() -> str:
                hold = holds.set_hold(session.store, session.workspace, current_pupil(session),
                                      reason.value, held=held)
                return f"Legal hold {'set' if held else 'lifted'} on pupil {hold.pupil}."
            run(out, call, session)
        return click

    set_button.on_click(act(True))
    lift_button.on_click(act(False))
    return widgets.VBox([reason, widgets.HBox([set_button, lift_button]), out])


def erase_form(session: Any) -> widgets.VBox:
    """Show what erasing the pupil removes; erase with a reason and the reference typed again."""
    plan_view = widgets.HTML()
    reason = widgets.Textarea(description="Reason for the erasure",
                              layout=widgets.Layout(width="100%"),
                              style={"description_width": "initial"})
    confirm = widgets.Text(description="Type the pupil reference to confirm",
                           style={"description_width": "initial"})
    button = widgets.Button(description="Erase this pupil's records", button_style="danger",
                            layout=widgets.Layout(width="auto"))
    out = widgets.HTML()

    def show_plan() -> None:
        try:
            chosen = erasure.plan(session.store, session.workspace, current_pupil(session),
                                  Path(session.data_dir))
            plan_view.value = render_part("erasure_plan", text=chosen.describe())
        except PartnerkitError as exc:
            plan_view.value = status(str(exc), False)

    def click(_: Any) -> None:
        def call() -> str:
            ref = current_pupil(session)
            if confirm.value.strip() != ref:
                raise PartnerkitError("the reference typed to confirm does not match",
                                      value=confirm.value, where="confirmation",
                                      fix=f"type {ref} exactly to erase this pupil")
            chosen = erasure.plan(session.store, session.workspace, ref, Path(session.data_dir))
            return erasure.erase(session.store, chosen, reason.value)
        run(out, call, session)

    button.on_click(click)
    session.on_change(PUPIL_TOPIC, show_plan)
    show_plan()
    return widgets.VBox([plan_view, reason, confirm, button, out])
