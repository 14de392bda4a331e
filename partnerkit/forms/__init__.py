"""The form engine: a record type becomes an ipywidgets form that validates and autosaves.

:func:`record_form` is the one call: labels and help come from the record's fields and
the framework content, enumerations become dropdowns (or checkboxes for a list of
choices), dates become date pickers, long text becomes a text area, a list of
sub-records becomes rows with add and remove buttons. Every change is validated; bad
input shows a message beside its field and is not saved; good input is saved at once
(as the practitioner types) and the form says so, or says plainly that a save failed.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import types
import typing
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Literal

import ipywidgets as widgets
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from partnerkit.content import Content, load_content
from partnerkit.errors import PartnerkitError, RecordValidationError
from partnerkit.records.base import Record, load_record, new_id, save_record, validate_record
from partnerkit.store import Store

log = logging.getLogger(__name__)

AUTOSAVE_COALESCE = timedelta(minutes=2)
"""Saves by one author to one record within this time share one history entry."""

FORM_CSS = """
<style>
.pk-form { max-width: 46em; }
.pk-field { margin: 0 0 0.6em 0; }
.pk-field .widget-label { font-weight: 600; min-width: 14em; }
.pk-stacked { flex-direction: column !important; align-items: stretch !important;
              width: 100% !important; height: auto !important; }
.pk-stacked .widget-label { width: auto !important; max-width: none !important;
                            white-space: normal !important; text-align: left !important; }
.pk-stacked textarea { min-height: 5em; }
.pk-stacked select { height: 2.2em !important; flex: none !important; }
.pk-help { color: #3b3b3b; font-size: 0.9em; margin: 0.1em 0 0.2em 0; }
.pk-error { color: #a4000f; font-weight: 600; }
.pk-warning { color: #6b4a00; }
.pk-status-ok { color: #0b6623; font-weight: 600; }
.pk-status-bad { color: #a4000f; font-weight: 600; }
</style>
"""

Check = Callable[[Record], dict[str, str]]

_style_shown = False


def _style_once() -> widgets.Widget:
    """The form styles, sent with the first form a kernel builds (one copy per page)."""
    global _style_shown
    if _style_shown:
        return widgets.HTML("")
    _style_shown = True
    return widgets.HTML(FORM_CSS)


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _strip_annotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _extra(info: FieldInfo) -> dict[str, Any]:
    extra = info.json_schema_extra
    return dict(extra) if isinstance(extra, dict) else {}


def choice_labels(values: tuple[Any, ...], info: FieldInfo,
                  content: Content) -> list[tuple[str, Any]]:
    """Label each enumeration value: explicit choices, then content items, then the value."""
    extra = _extra(info)
    explicit = extra.get("choices") or {}
    prefix = extra.get("choices_from")
    labels = []
    for value in values:
        label = explicit.get(value)
        if label is None and prefix and f"{prefix}.{value}" in content:
            item = content.item(f"{prefix}.{value}")
            label = item.title or item.text
        if label is None:
            label = str(value).replace("_", " ").capitalize()
        labels.append((str(label), value))
    return labels


def help_text(info: FieldInfo, content: Content) -> str:
    """The help under a field: its description, else the text of the content item it cites."""
    if info.description:
        return info.description
    content_id = _extra(info).get("content")
    if content_id and content_id in content:
        item = content.item(content_id)
        text = item.summary or item.text
        if text.strip().lower() != (info.title or "").strip().lower():
            return text
    return ""


class FieldEditor:
    """One field of a form: its input widget, help, and the message shown beside it."""

    def __init__(self, name: str, info: FieldInfo, content: Content) -> None:
        self.name = name
        self.info = info
        self.label = info.title or name.replace("_", " ").capitalize()
        self.touched = False
        self.input = self._make_input(content)
        self.message = widgets.HTML("", layout=widgets.Layout(margin="0"))
        parts: list[widgets.Widget] = [self.input]
        help_ = help_text(info, content)
        if help_:
            parts.append(widgets.HTML(f'<div class="pk-help">{html.escape(help_)}</div>'))
        parts.append(self.message)
        self.box = widgets.VBox(parts)
        self.box.add_class("pk-field")

    def _make_input(self, content: Content) -> widgets.Widget:
        annotation, optional = _strip_optional(_strip_annotated(self.info.annotation))
        annotation = _strip_annotated(annotation)
        extra = _extra(self.info)
        origin = typing.get_origin(annotation)
        if origin is Literal:
            options = choice_labels(typing.get_args(annotation), self.info, content)
            if optional:
                options = [("— not set —", None), *options]
            if extra.get("widget") == "radio":
                return self._stacked(widgets.RadioButtons(options=options))
            return self._stacked(widgets.Dropdown(options=options))
        if origin is list:
            (inner,) = typing.get_args(annotation) or (str,)
            inner = _strip_annotated(inner)
            if typing.get_origin(inner) is Literal:
                return ChoiceChecklist(choice_labels(typing.get_args(inner), self.info,
                                                     content), self.label)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return SubRecordList(inner, self.label, content)
            return self._stacked(widgets.Textarea(
                placeholder="One per line", continuous_update=True))
        if annotation is bool:
            return widgets.Checkbox(description=self.label, indent=False)
        if annotation is dt.date:
            return self._stacked(widgets.DatePicker())
        if extra.get("widget") == "textarea":
            return self._stacked(widgets.Textarea(continuous_update=True,
                                                  layout=widgets.Layout(width="100%")))
        return self._stacked(widgets.Text(continuous_update=True,
                                          layout=widgets.Layout(width="100%")))

    def _stacked(self, widget: widgets.Widget) -> widgets.Widget:
        widget.description = self.label
        widget.style = {"description_width": "initial"}
        widget.add_class("pk-stacked")
        return widget

    @property
    def is_list_of_text(self) -> bool:
        """True for a list of free text (edited one item per line)."""
        annotation = _strip_annotated(_strip_optional(self.info.annotation)[0])
        if typing.get_origin(annotation) is not list:
            return False
        (inner,) = typing.get_args(annotation) or (str,)
        return _strip_annotated(inner) is str

    def get(self) -> Any:
        """The value as entered, shaped for validation."""
        value = self.input.value
        if self.is_list_of_text:
            return [line.strip() for line in (value or "").splitlines() if line.strip()]
        return value

    def set(self, value: Any) -> None:
        """Show a stored value."""
        if self.is_list_of_text:
            value = "\n".join(value or [])
        if isinstance(self.input, widgets.DatePicker) and isinstance(value, str):
            value = dt.date.fromisoformat(value)
        if isinstance(self.input, widgets.Text | widgets.Textarea):
            value = "" if value is None else str(value)
        self.input.value = value

    def show(self, error: str | None, warning: str | None = None) -> None:
        """Show an error (blocking) or a warning (not blocking) beside the field, or clear."""
        if error:
            self.message.value = (f'<div class="pk-error" role="alert">⚠ {html.escape(self.label)}:'
                                  f' {html.escape(error)}</div>')
        elif warning:
            self.message.value = (f'<div class="pk-warning" role="status">Note: '
                                  f'{html.escape(warning)}</div>')
        else:
            self.message.value = ""


class ChoiceChecklist(widgets.VBox):
    """A list of choices as labelled checkboxes; ``value`` is the list of ticked values."""

    def __init__(self, options: list[tuple[str, Any]], label: str) -> None:
        self._boxes = [(widgets.Checkbox(description=text, indent=False), value)
                       for text, value in options]
        legend = widgets.HTML(f"<b>{html.escape(label)}</b>")
        super().__init__([legend, *(box for box, _ in self._boxes)])
        self._observers: list[Callable[[Any], None]] = []
        for box, _ in self._boxes:
            box.observe(self._changed, names="value")

    @property
    def value(self) -> list[Any]:  # type: ignore[override]
        """The ticked values, in the order of the choices."""
        return [value for box, value in self._boxes if box.value]

    @value.setter
    def value(self, values: list[Any]) -> None:
        chosen = set(values or [])
        for box, value in self._boxes:
            box.value = value in chosen

    def observe_value(self, callback: Callable[[Any], None]) -> None:
        """Call ``callback`` whenever a box is ticked or cleared."""
        self._observers.append(callback)

    def _changed(self, change: Any) -> None:
        for callback in self._observers:
            callback(change)


class SubRecordList(widgets.VBox):
    """Rows of a sub-record type (a table the practitioner fills) with add and remove."""

    def __init__(self, row_type: type[BaseModel], label: str, content: Content) -> None:
        self.row_type = row_type
        self.label = label
        self.content = content
        self._rows: list[dict[str, FieldEditor]] = []
        self._observers: list[Callable[[Any], None]] = []
        self._rows_box = widgets.VBox()
        add = widgets.Button(description=f"Add a row to {label}", icon="plus",
                             tooltip=f"Add a row to {label}")
        add.on_click(lambda _b: self._add_row({}, notify=True))
        super().__init__([widgets.HTML(f"<b>{html.escape(label)}</b>"), self._rows_box, add])

    def _add_row(self, values: dict[str, Any], notify: bool = False) -> None:
        editors = {name: FieldEditor(name, info, self.content)
                   for name, info in self.row_type.model_fields.items()}
        for name, editor in editors.items():
            if name in values:
                editor.set(values[name])
            _observe(editor.input, self._changed)
        remove = widgets.Button(description="Remove this row", icon="trash")
        row = widgets.HBox([*(e.box for e in editors.values()), remove],
                           layout=widgets.Layout(align_items="flex-start", flex_flow="row wrap"))
        self._rows.append(editors)

        def _remove(_b: Any) -> None:
            self._rows.remove(editors)
            self._rows_box.children = tuple(c for c in self._rows_box.children if c is not row)
            self._changed(None)

        remove.on_click(_remove)
        self._rows_box.children = (*self._rows_box.children, row)
        if notify:
            self._changed(None)

    @property
    def value(self) -> list[dict[str, Any]]:  # type: ignore[override]
        """The rows as entered, one dict per row."""
        return [{name: e.get() for name, e in editors.items()} for editors in self._rows]

    @value.setter
    def value(self, rows: list[dict[str, Any]]) -> None:
        self._rows = []
        self._rows_box.children = ()
        for row in rows or []:
            self._add_row(row if isinstance(row, dict) else row.model_dump())

    def observe_value(self, callback: Callable[[Any], None]) -> None:
        """Call ``callback`` whenever a row is added, removed or edited."""
        self._observers.append(callback)

    def _changed(self, change: Any) -> None:
        for callback in self._observers:
            callback(change)


def _observe(widget: widgets.Widget, callback: Callable[[Any], None]) -> None:
    if isinstance(widget, ChoiceChecklist | SubRecordList):
        widget.observe_value(callback)
    else:
        widget.observe(callback, names="value")


class RecordForm(widgets.VBox):
    """A form for one record: edits it, validates each change and autosaves it.

    Build it with :func:`record_form`. ``record`` is the last saved record (or None),
    ``editors`` the field editors by name, ``status`` the line saying whether it saved.
    """

    def __init__(self, record_type: type[Record], *, store: Store, workspace: str,
                 author: str, fixed: dict[str, Any], initial: Record | None,
                 content: Content, hidden: tuple[str, ...], title: str | None,
                 check: Check | None, warn: Check | None,
                 on_saved: Callable[[Record], None] | None) -> None:
        self.record_type = record_type
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
        self.editors = {name: FieldEditor(name, info, content)
                        for name, info in record_type.model_fields.items()
                        if name not in self.fixed and name not in hidden}
        self._hidden_values = {name: getattr(initial, name) for name in hidden
                               if initial is not None and name not in self.fixed}
        for name, editor in self.editors.items():
            if initial is not None:
                editor.set(getattr(initial, name))
            elif not editor.info.is_required():
                editor.set(editor.info.get_default(call_default_factory=True))
        for editor in self.editors.values():
            _observe(editor.input, self._make_handler(editor))
        self.status = widgets.HTML(self._status_text(), layout=widgets.Layout(margin="0.3em 0"))
        header = [_style_once()]
        if title:
            header.append(widgets.HTML(f"<h3>{html.escape(title)}</h3>"))
        super().__init__([*header, *(e.box for e in self.editors.values()), self.status])
        self.add_class("pk-form")
        self._loading = False

    def _status_text(self) -> str:
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
        """Validate what is entered; save it if valid; show messages either way."""
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
        return self._store(record)

    def _store(self, record: Record) -> Record | None:
        key = record.record_key()
        try:
            save_record(self.store, self.workspace, record, self.author,
                        coalesce=AUTOSAVE_COALESCE)
            if self._saved_key is not None and self._saved_key != key:
                self.store.delete(self.workspace, record.kind, self._saved_key, self.author)
        except PartnerkitError as exc:
            self._say(f"✗ Not saved: {exc}", ok=False)
            return None
        except Exception as exc:  # noqa: BLE001 - a failed save must be said, never raised
            log.exception("save failed")
            self._say(f"✗ Not saved: the store could not be written ({type(exc).__name__}). "
                      "Your text is still in the form; try again in a moment.", ok=False)
            return None
        self._saved_key = key
        self.record = record
        stamp = self.store.clock().astimezone().strftime("%H:%M:%S")
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
        if touched_errors:
            self._say("Not saved: correct the field marked ⚠.", ok=False)
        else:
            self._say("Not saved yet: " + "; ".join(hidden_problems), ok=False)

    def _say(self, text: str, *, ok: bool) -> None:
        css = "pk-status-ok" if ok else "pk-status-bad"
        role = "status" if ok else "alert"
        self.status.value = f'<div class="{css}" role="{role}">{html.escape(text)}</div>'


def record_form(record_type: type[Record], *, store: Store, workspace: str, author: str,
                fixed: dict[str, Any] | None = None, key: str | None = None,
                initial: Record | None = None, hidden: tuple[str, ...] = (),
                title: str | None = None, check: Check | None = None,
                warn: Check | None = None, on_saved: Callable[[Record], None] | None = None,
                content: Content | None = None) -> RecordForm:
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
    """
    if key is not None and initial is None:
        initial = load_record(store, workspace, record_type, key)
    fixed = dict(fixed or {})
    if "id" in record_type.model_fields and "id" not in fixed:
        fixed["id"] = initial.id if initial is not None else new_id()  # type: ignore[attr-defined]
    return RecordForm(record_type, store=store, workspace=workspace, author=author,
                      fixed=fixed, initial=initial, content=content or load_content(),
                      hidden=hidden, title=title, check=check, warn=warn, on_saved=on_saved)
