"""The form engine: a record type becomes an ipywidgets form that validates and autosaves.

Every change that counts is validated; bad input shows a message beside its field and
is not saved, and the form says what is still stored; good input is saved at once
(:mod:`partnerkit.forms.autosave`) and the form says so, or says plainly that a save
failed. Text counts as it is typed; a choice counts once it is finished
(:mod:`partnerkit.forms.finished`): rested, or left for another field; a date or a
number when the person leaves its box, and a date only when it reads as a whole
day/month/year date inside its range (:mod:`partnerkit.forms.dates`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
from pydantic.fields import FieldInfo

from partnerkit.access import PERSONAL_KINDS
from partnerkit.content import Content, load_content
from partnerkit.errors import PartnerkitError, RecordValidationError
from partnerkit.forms.autosave import autosave
from partnerkit.forms.fields import NOT_GIVEN, FieldEditor
from partnerkit.forms.finished import Later, Settler
from partnerkit.forms.looks import style_once
from partnerkit.records.base import Record, load_record, new_id, validate_record
from partnerkit.reports.parts import render_part
from partnerkit.reports.text import format_clock
from partnerkit.store import Store

log = logging.getLogger(__name__)

Check = Callable[[Record], dict[str, str]]
"""An extra rule on a whole record: ``{field: message}`` for each problem."""


def _first_value(info: FieldInfo, name: str, initial: Record | None) -> Any:
    """What a field shows first: its saved value, else its default, else nothing."""
    if initial is not None:
        return getattr(initial, name)
    if not info.is_required():
        return info.get_default(call_default_factory=True)
    return NOT_GIVEN


class RecordForm(widgets.VBox):
    """A form for one record: edits it, validates each change and autosaves it.

    Build it with :func:`record_form`. ``record`` is the last saved record (or None),
    ``editors`` the field editors by name, ``status`` the line saying whether it saved,
    ``settler`` what holds a choice until it is finished.
    """

    def __init__(self, record_type: type[Record], *, store: Store, workspace: str,
                 author: str, fixed: dict[str, Any], initial: Record | None,
                 content: Content, hidden: tuple[str, ...], title: str | None,
                 check: Check | None, warn: Check | None,
                 on_saved: Callable[[Record], None] | None,
                 read_only: str | None = None, later: Later | None = None) -> None:
        self.record_type = record_type
        self.read_only = read_only
        self.store = store
        self.workspace = workspace
        self.author = author
        self.fixed = dict(fixed)
        self.record: Record | None = initial
        self.check = check
        self.warn = warn
        self.on_saved = on_saved
        stored = initial is not None and store.get(
            workspace, record_type.kind, initial.record_key()) is not None
        self._saved_key = initial.record_key() if stored else None
        self._loading = True
        self.settler = Settler(later)
        self.editors = {name: FieldEditor(name, info, content, self.settler,
                                          value=_first_value(info, name, initial))
                        for name, info in record_type.model_fields.items()
                        if name not in self.fixed and name not in hidden}
        self._hidden_values = {name: getattr(initial, name) for name in hidden
                               if initial is not None and name not in self.fixed}
        for editor in self.editors.values():
            editor.watch(self._make_handler(editor))
            if read_only:
                _disable(editor.input)
        self.status = widgets.HTML(self._status_text(), layout=widgets.Layout(margin="0.3em 0"),
                                   _dom_classes=("pk-form-status",))
        self.summary = widgets.HTML("")
        header = [style_once()]
        if title:
            header.append(widgets.HTML(render_part("forms/heading", title=title)))
        header.append(self.summary)
        super().__init__([*header, *(e.box for e in self.editors.values()), self.status],
                         _dom_classes=("pk-form",))
        self._loading = False

    def _status_text(self) -> str:
        if self.read_only:
            return render_part("forms/read_only", reason=self.read_only)
        if self._saved_key is None:
            return ('<div class="pk-help" role="status">Not saved yet: answers save as you '
                    'type.</div>')
        return '<div class="pk-status-ok" role="status">✓ Saved</div>'

    def _make_handler(self, editor: FieldEditor) -> Callable[[Any], None]:
        def handler(_change: Any) -> None:
            if self._loading:
                return
            editor.touched = True
            self.save()
        return handler

    def values(self) -> dict[str, Any]:
        """Everything entered, with the fixed values (pupil, id ...) added."""
        return {**self._hidden_values, **{n: e.get() for n, e in self.editors.items()},
                **self.fixed}

    def save(self) -> Record | None:
        """Validate what is entered; save it if finished and valid; show messages either way."""
        unfinished = self._unfinished()
        if unfinished:
            self._show_errors(unfinished, {})
            return None
        try:
            record = validate_record(self.record_type, self.values())
            errors = self.check(record) if self.check else {}
        except RecordValidationError as exc:
            self._show_errors(exc.field_errors, {})
            return None
        if errors:
            self._show_errors(errors, {})
            return None
        warnings = self.warn(record) if self.warn else {}
        for name, editor in self.editors.items():
            editor.show(None, warnings.get(name))
        self._summarise([])
        return self._store(record)

    def _summarise(self, names: list[str]) -> None:
        """The error summary at the top of the form: a link to each field in ``names``.

        Only the fields on show with a message are listed (GOV.UK's error summary);
        with none, the summary is empty.
        """
        problems = [(n, self.editors[n].label, self.editors[n].error) for n in names
                    if self.editors[n].error]
        self.summary.value = render_part("forms/error_summary", problems=problems).strip()

    def _unfinished(self) -> dict[str, str]:
        """Each changed field whose value is not finished (a half-typed date), and why.

        A value as it was stored is never questioned, so an old date outside today's
        range does not block saving the rest of the form.
        """
        found = {}
        for name, editor in self.editors.items():
            stored = self._stored_value(name)
            if editor.get() == stored:
                continue
            why = editor.unfinished(stored)
            if why:
                found[name] = why
        return found

    def _stored_value(self, name: str) -> Any:
        """What the store holds for field ``name`` (its default when nothing is stored)."""
        if self._saved_key is not None and self.record is not None:
            value = getattr(self.record, name)
            if isinstance(value, list) and value and hasattr(value[0], "model_dump"):
                return [row.model_dump() for row in value]
            return value
        info = self.record_type.model_fields[name]
        return None if info.is_required() else info.get_default(call_default_factory=True)

    def _still_stored(self, names: list[str]) -> str:
        """What is still stored for the fields ``names`` after an edit was refused."""
        if self._saved_key is None:
            return "Nothing is stored yet."
        if len(names) == 1:
            editor = self.editors[names[0]]
            return (f"The stored value is still "
                    f"{editor.describe(self._stored_value(names[0]))}.")
        return "Still stored: " + "; ".join(
            f"{self.editors[n].label}: {self.editors[n].describe(self._stored_value(n))}"
            for n in names) + "."

    def _store(self, record: Record) -> Record | None:
        key = record.record_key()
        try:
            autosave(self.store, self.workspace, record, self.author, replaces=self._saved_key)
        except PartnerkitError as exc:
            self._say(f"✗ Not saved: {exc}", ok=False)
            return None
        except Exception:  # noqa: BLE001 - a failed save must be said, never raised
            log.exception("save failed")
            self._say("✗ Not saved: the store could not be reached or written just now "
                      "(the details are in the server's log). Your text is still in the "
                      "form; once the store is back, your next change saves it all.",
                      ok=False)
            return None
        self._saved_key = key
        self.record = record
        stamp = format_clock(self.store.clock())
        self._say(f"✓ Saved at {stamp}", ok=True)
        if self.on_saved:
            self.on_saved(record)
        return record

    def _show_errors(self, errors: dict[str, str], warnings: dict[str, str]) -> None:
        hidden_problems = []
        for name, editor in self.editors.items():
            shown = errors.get(name) if editor.touched else None
            editor.show(shown, warnings.get(name))
        for name, message in errors.items():
            editor = self.editors.get(name)
            label = editor.label if editor else name.replace("_", " ")
            if editor is None or not editor.touched:
                hidden_problems.append(f"{label}: {message}")
        touched_errors = [n for n in errors if n in self.editors and self.editors[n].touched]
        self._summarise(touched_errors)
        if len(touched_errors) == 1:
            label = self.editors[touched_errors[0]].label
            self._say(f"Not saved: correct {label} (marked ⚠). "
                      f"{self._still_stored(touched_errors)}", ok=False)
        elif touched_errors:
            self._say("Not saved: correct the fields marked ⚠. "
                      f"{self._still_stored(touched_errors)}", ok=False)
        else:
            self._say("Not saved yet: " + "; ".join(hidden_problems), ok=False)

    def _say(self, text: str, *, ok: bool) -> None:
        self.status.value = render_part("forms/status", text=text, ok=ok)


def record_form(record_type: type[Record], *, store: Store, workspace: str, author: str,
                fixed: dict[str, Any] | None = None, key: str | None = None,
                initial: Record | None = None, hidden: tuple[str, ...] = (),
                title: str | None = None, check: Check | None = None,
                warn: Check | None = None, on_saved: Callable[[Record], None] | None = None,
                content: Content | None = None, later: Later | None = None) -> RecordForm:
    """Build the form for one record of ``record_type``.

    Args:
        record_type: the record class to edit.
        store: the store answers are saved in.
        workspace: the school or cohort the record belongs to.
        author: who is entering the answers.
        fixed: values the practitioner does not edit (a pupil reference, an item id).
        key: load the stored record with this key to edit it (else start from ``initial``).
        initial: the record to start from when no key is given.
        hidden: fields not shown (kept from the stored record).
        check: extra blocking rules, returning ``{field: message}``.
        warn: advice that does not block saving, returning ``{field: message}``.
        on_saved: called with the record after each successful save.
        title: a heading shown above the form.
        content: the framework content (loaded once and shared when not given).
        later: how a choice waits for a pause (the kernel's event loop when
            not given; see :mod:`partnerkit.forms.finished`).
    """
    if key is not None and initial is None:
        initial = load_record(store, workspace, record_type, key)
    fixed = dict(fixed or {})
    if "id" in record_type.model_fields and "id" not in fixed:
        fixed["id"] = initial.id if initial is not None else new_id()  # type: ignore[attr-defined]
    return RecordForm(record_type, store=store, workspace=workspace, author=author,
                      fixed=fixed, initial=initial, content=content or load_content(),
                      hidden=hidden, title=title, check=check, warn=warn, on_saved=on_saved,
                      read_only=_why_read_only(store, workspace, record_type, key, initial,
                                               fixed), later=later)


def _why_read_only(store: Any, workspace: str, record_type: type[Record], key: str | None,
                   initial: Record | None, fixed: dict[str, Any]) -> str | None:
    """Why the account may not change this record (its fields are then shown disabled).

    Only a store that checks permissions (a signed-in session's) can say; a refused
    save is refused by that same check whatever the page shows.
    """
    may = getattr(store, "may", None)
    if may is None:
        return None
    if key is None and initial is not None:
        key = initial.record_key()
    if key is None:
        try:
            key = record_type.model_construct(**fixed).record_key()
        except Exception:  # noqa: BLE001 - not enough is fixed to know the key yet
            key = None
    if key is None and record_type.kind in PERSONAL_KINDS:
        return None  # whose it is shows only once it is typed; the save is checked then
    data = initial.model_dump(mode="json") if initial is not None else dict(fixed)
    decision = may("write", workspace, record_type.kind, key, data)
    return None if decision else f"{decision.reason}; {decision.fix}"


def _disable(widget: Any) -> None:
    """Disable an input and every input inside it (a group of checkboxes, say)."""
    if hasattr(widget, "disabled"):
        widget.disabled = True
    for child in getattr(widget, "children", ()):
        _disable(child)
