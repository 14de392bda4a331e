"""Field editors: one record field becomes a labelled input with help and a message.

Labels and help come from the record's fields and the framework content; enumerations
become dropdowns (or radio buttons, or checkboxes for a list of choices), dates become
dd/mm/yyyy text boxes (:mod:`partnerkit.forms.dates`), numbers become text boxes; both
send their value when the person leaves them. Long text becomes a text area, a list of
sub-records becomes rows with add and remove buttons. Choices settle before they count
(:mod:`partnerkit.forms.finished`).
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable
from typing import Any, Literal

import ipywidgets as widgets
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from partnerkit.content import Content
from partnerkit.forms.dates import HINT, DateBox, DateError, parse_date
from partnerkit.forms.finished import DATE_YEARS, Settler, unfinished_date
from partnerkit.forms.looks import shared_look, shared_style
from partnerkit.reports.parts import render_part
from partnerkit.reports.text import format_date


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


NOT_GIVEN = object()
"""A field editor made without a value to start with."""


class FieldEditor:
    """One field of a form: its input widget, and under it one line of notes.

    The notes are the field's help (and a date's dd/mm/yyyy hint) followed by its
    message, in one HTML widget: two widget models per field (the box and the notes)
    besides the input, rather than one for each line; a field with no help gets its
    notes widget only when it first has a message.

    ``settler`` holds the changes of dates and choices until they are finished; the
    editors of one form share one (:meth:`watch`).
    """

    def __init__(self, name: str, info: FieldInfo, content: Content,
                 settler: Settler | None = None, value: Any = NOT_GIVEN) -> None:
        self.name = name
        self.info = info
        self.label = info.title or name.replace("_", " ").capitalize()
        self.touched = False
        self.error: str | None = None
        self.settler = settler or Settler()
        self._start = value
        self.input = self._make_input(content)
        if self._start is not NOT_GIVEN:  # not taken by the input (a list of sub-records)
            self.set(value)
        self.notes = "".join(render_part("forms/help", text=text).strip()
                             for text in self._help_lines(content))
        self._message = self._notes_line() if self.notes else None
        self.box = widgets.VBox([self.input, *filter(None, [self._message])],
                                _dom_classes=("pk-field", f"pk-field-{name}"))

    @property
    def message(self) -> widgets.HTML:
        """The line under the input: the help and any message (made when first needed).

        A field without help has none until it has something to say: one widget model
        fewer for most fields of a page.
        """
        if self._message is None:
            self._message = self._notes_line()
            self.box.children = (*self.box.children, self._message)
        return self._message

    def _notes_line(self) -> widgets.HTML:
        return widgets.HTML(self.notes, layout=shared_look(widgets.Layout, margin="0"))

    def _help_lines(self, content: Content) -> list[str]:
        """The field's help: the date hint for a date, then its own help text."""
        lines = [HINT] if isinstance(self.input, DateBox) else []
        help_ = help_text(self.info, content)
        return [*lines, help_] if help_ else lines

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
                return self._stacked(widgets.RadioButtons, options=options)
            return self._stacked(widgets.Dropdown, options=options)
        if origin is list:
            (inner,) = typing.get_args(annotation) or (str,)
            inner = _strip_annotated(inner)
            if typing.get_origin(inner) is Literal:
                return ChoiceChecklist(choice_labels(typing.get_args(inner), self.info,
                                                     content), self.label,
                                       **self._starting_value(ChoiceChecklist))
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return SubRecordList(inner, self.label, content, self.settler)
            return self._stacked(widgets.Textarea, placeholder="One per line",
                                 continuous_update=True)
        if annotation is bool:
            return widgets.Checkbox(description=self.label, indent=False,
                                    **self._starting_value(widgets.Checkbox))
        if annotation is dt.date:
            return self._stacked(DateBox, layout=shared_look(widgets.Layout, width="12em"))
        if annotation in (int, float):
            return self._stacked(widgets.Text, continuous_update=False,
                                 layout=shared_look(widgets.Layout, width="12em"))
        if extra.get("widget") == "textarea":
            return self._stacked(widgets.Textarea, continuous_update=True,
                                 layout=shared_look(widgets.Layout, width="100%"))
        return self._stacked(widgets.Text, continuous_update=True,
                             layout=shared_look(widgets.Layout, width="100%"))

    def _stacked(self, klass: type[widgets.Widget], **traits: Any) -> widgets.Widget:
        """An input of ``klass`` with its label above it, all given as it is made.

        (Each trait set after a widget is made is one more message to the page.)
        """
        classes = (*traits.pop("_dom_classes", ()), "pk-stacked")
        return klass(description=self.label, _dom_classes=classes,
                     style=shared_style(klass, description_width="initial"),
                     **self._starting_value(klass), **traits)

    def _starting_value(self, klass: type[widgets.Widget]) -> dict[str, Any]:
        """``{"value": ...}`` for the value the field starts with, if it was given (once)."""
        if self._start is NOT_GIVEN:
            return {}
        start, self._start = self._start, NOT_GIVEN
        return {"value": self._shown(klass, start)}

    def _shown(self, klass: type[widgets.Widget], value: Any) -> Any:
        """A stored value as an input of ``klass`` shows it."""
        if self.is_list_of_text:
            value = "\n".join(value or [])
        if issubclass(klass, DateBox):
            if isinstance(value, str) and value:
                value = dt.date.fromisoformat(value)
        elif issubclass(klass, widgets.Text | widgets.Textarea):
            value = "" if value is None else str(value)
        return value

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
        if isinstance(self.input, DateBox):
            return _date_or_text(self.input.value)
        if self.is_list_of_text:
            return [line.strip() for line in (value or "").splitlines() if line.strip()]
        return value

    def set(self, value: Any) -> None:
        """Show a stored value."""
        self.input.value = self._shown(type(self.input), value)

    @property
    def settles(self) -> bool:
        """True for a choice: a change counts once it rests (``finished``).

        A date box and a number box need not settle: the browser sends them only when
        the person leaves them.
        """
        return isinstance(self.input, widgets.Dropdown | widgets.RadioButtons)

    @property
    def years(self) -> tuple[int, int]:
        """The years a date in this field may take (``{"years": [first, last]}``)."""
        first, last = _extra(self.info).get("years") or DATE_YEARS
        return int(first), int(last)

    def watch(self, callback: Callable[[Any], None]) -> None:
        """Call ``callback`` when a change to the field counts (see :class:`Settler`)."""
        observe(self.input, self.settler.handler(self, callback, settles=self.settles))

    def unfinished(self, stored: Any = None) -> str | None:
        """Why the value entered is not finished (a half-typed date), or None.

        A date box's text must be a whole date (:func:`~partnerkit.forms.dates.parse_date`)
        in the field's years (:func:`~partnerkit.forms.finished.unfinished_date`); an
        emptied box is finished (the person cleared it and left it). ``stored`` is what
        the store holds for the field.
        """
        if isinstance(self.input, DateBox):
            try:
                day = parse_date(self.input.value)
            except DateError as exc:
                return str(exc)
            return None if day is None else unfinished_date(day, self.years, stored)
        if isinstance(self.input, SubRecordList):
            return self.input.unfinished()
        return None

    def describe(self, value: Any) -> str:
        """``value`` of this field in words, as the form says what is still stored."""
        if value is None or value == "" or value == []:
            return "empty"
        if isinstance(value, dt.date):
            return format_date(value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        labels = _labels_of(self.input)
        if isinstance(self.input, SubRecordList):
            return f"{len(value)} row{'s' if len(value) != 1 else ''}"
        if isinstance(value, list):
            return ", ".join(str(labels.get(v, v)) for v in value)
        return str(labels.get(value, value))

    def show(self, error: str | None, warning: str | None = None) -> None:
        """Show an error (blocking) or a warning (not blocking) beside the field, or clear."""
        self.error = error
        text = self.notes + render_part(
            "forms/field_message", label=self.label, error=error, warning=warning).strip()
        if text or self._message is not None:
            self.message.value = text


class ChoiceChecklist(widgets.VBox):
    """A list of choices as labelled checkboxes; ``value`` is the list of ticked values."""

    def __init__(self, options: list[tuple[str, Any]], label: str,
                 value: list[Any] | None = None) -> None:
        chosen = set(value or [])
        self._boxes = [(widgets.Checkbox(description=text, indent=False, value=v in chosen), v)
                       for text, v in options]
        legend = widgets.HTML(render_part("forms/legend", label=label))
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

    def __init__(self, row_type: type[BaseModel], label: str, content: Content,
                 settler: Settler | None = None) -> None:
        self.row_type = row_type
        self.label = label
        self.content = content
        self.settler = settler or Settler()
        self._rows: list[dict[str, FieldEditor]] = []
        self._observers: list[Callable[[Any], None]] = []
        self._rows_box = widgets.VBox()
        add = widgets.Button(description=f"Add a row to {label}", icon="plus",
                             tooltip=f"Add a row to {label}")
        add.on_click(lambda _b: self._add_row({}, notify=True))
        super().__init__([widgets.HTML(render_part("forms/legend", label=label)), self._rows_box,
                          add])

    def _add_row(self, values: dict[str, Any], notify: bool = False) -> None:
        editors = {name: FieldEditor(name, info, self.content, self.settler)
                   for name, info in self.row_type.model_fields.items()}
        for name, editor in editors.items():
            if name in values:
                editor.set(values[name])
            editor.watch(self._changed)
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

    def unfinished(self) -> str | None:
        """Why a row's value is not finished ("Row 2, Date: ..."), or None."""
        for number, editors in enumerate(self._rows, start=1):
            for editor in editors.values():
                why = editor.unfinished()
                if why:
                    return f"row {number}, {editor.label}: {why}"
        return None

    def observe_value(self, callback: Callable[[Any], None]) -> None:
        """Call ``callback`` whenever a row is added, removed or edited."""
        self._observers.append(callback)

    def _changed(self, change: Any) -> None:
        for callback in self._observers:
            callback(change)


def _date_or_text(text: str) -> dt.date | str | None:
    """A date box's text as a date when it reads as one, None when empty, else the text.

    Text that is not a date never equals a stored date; :meth:`FieldEditor.unfinished`
    says why it is not finished.
    """
    try:
        return parse_date(text)
    except DateError:
        return text


def _labels_of(widget: widgets.Widget) -> dict[Any, str]:
    """The label of each choice of a dropdown, radio buttons or checklist."""
    if isinstance(widget, ChoiceChecklist):
        return {value: box.description for box, value in widget._boxes}
    return {value: text for text, value in getattr(widget, "options", ())}


def observe(widget: widgets.Widget, callback: Callable[[Any], None]) -> None:
    """Call ``callback`` whenever the value of a field's input widget changes."""
    if isinstance(widget, ChoiceChecklist | SubRecordList):
        widget.observe_value(callback)
    else:
        widget.observe(callback, names="value")
