"""The community partnership mapping workbook: one pupil's map, layer by layer.

The workbook's cells call these functions in the tool's order: :func:`about_tool`,
:func:`profile_form` (pupil characteristics), :func:`connections_editor` (the four outer
layers), :func:`ecomap_view` and :func:`ecomap_text` (the drawing and its words),
``gaps.gaps_view``, ``directory.directory_editor``, :func:`reflective_questions` and
:func:`summary_download`. Everything typed is saved to the store as it is typed.

A pupil is known by a pseudonymous reference; a real name, if given in the profile
form, is kept apart by the store and appears only in a summary asked for with
``names=True``.
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from IPython.display import HTML
from markupsafe import Markup
from matplotlib.figure import Figure

from partnerkit.content import Content, load_content
from partnerkit.errors import NotFoundError, PartnerkitError, RecordValidationError
from partnerkit.forms import FORM_CSS, RecordForm, choice_labels, record_form
from partnerkit.mapping_tool import ecomap, gaps
from partnerkit.records.base import (
    delete_record,
    load_record,
    load_records,
    save_record,
    validate_record,
)
from partnerkit.records.mapping import (
    DIRECTIONS,
    LAYERS,
    NEEDS,
    Answer,
    Connection,
    DirectoryEntry,
    PupilProfile,
    check_pupil_ref,
)
from partnerkit.reports import render_html, write_private
from partnerkit.session import Session
from partnerkit.store import Store

FRAMEWORK = "mapping_tool"
QUESTION_IDS: tuple[str, ...] = tuple(f"mapping_tool.question.{n}" for n in range(1, 7))
"""The tool's six reflective questions, in order."""
SUMMARY_TEMPLATE = "map_summary.html.j2"
LISTED_PUPILS = 20


# ------------------------------------------------------------------ pupils


def pupils(store: Store, workspace: str) -> list[str]:
    """The pupil references with a profile in the workspace, sorted."""
    return sorted(p.pupil for p in load_records(store, workspace, PupilProfile))


def _how_to_add(pupil: str) -> str:
    return (f"to add a pupil, open the mapping workbook with the new reference "
            f"(pupil = \"{pupil}\") and fill in the pupil characteristics form, or run "
            "'partnerkit demo' to get example pupils P-1001 to P-1005")


def check_reference(pupil: Any) -> str:
    """A valid pseudonymous reference, or a NotFoundError saying the rule."""
    try:
        return check_pupil_ref(str(pupil) if pupil is not None else "")
    except ValueError as exc:
        raise NotFoundError(str(exc), value=pupil, where="pupil",
                            fix="pass a pupil reference such as P-1001") from None


def require_pupil(store: Store, workspace: str, pupil: Any) -> PupilProfile:
    """The pupil's profile, or a NotFoundError listing the pupils there are and how to add one.

    Raises:
        NotFoundError: the reference is not valid, or no profile has it.
    """
    reference = check_reference(pupil)
    profile = load_record(store, workspace, PupilProfile, reference)
    if profile is not None:
        return profile
    known = pupils(store, workspace)
    if known:
        shown = ", ".join(known[:LISTED_PUPILS])
        if len(known) > LISTED_PUPILS:
            shown += f" and {len(known) - LISTED_PUPILS} more"
        listing = f"the pupils in this workspace are {shown}"
    else:
        listing = "this workspace has no pupils yet"
    raise NotFoundError(f"there is no pupil {reference!r} in workspace {workspace!r}; "
                        f"{listing}", value=reference, where="pupil", fix=_how_to_add(reference))


def pupil_connections(store: Store, workspace: str, pupil: str) -> list[Connection]:
    """The pupil's connections, in the order they were added."""
    return load_records(store, workspace, Connection, prefix=f"{pupil}/")


def _session_pupil(session: Session) -> str:
    pupil = session.get("pupil")
    if pupil is None:
        raise PartnerkitError("no pupil was given", where="workbook parameters",
                              fix="set pupil = \"P-1001\" (a pupil reference) in the "
                                  "parameters cell or the page address")
    return check_reference(pupil)


def flag(value: Any, name: str = "names") -> bool:
    """Read a yes/no parameter (True/False, or "true"/"yes"/"1"/"false"/"no"/"0")."""
    if isinstance(value, bool) or value is None:
        return bool(value)
    text = str(value).strip().lower()
    if text in {"true", "yes", "1", "on"}:
        return True
    if text in {"false", "no", "0", "off", ""}:
        return False
    raise PartnerkitError("is not yes or no", value=value, where=f"parameter {name!r}",
                          fix=f"set {name} = True or {name} = False")


# ------------------------------------------------------------------ about


def about_tool(content: Content | None = None) -> HTML:
    """What the tool is for and its five layers, from the framework content."""
    content = content or load_content()
    framework = content.frameworks[FRAMEWORK]
    parts = [f"<p>{html.escape(framework.summary)}</p>"]
    for item_id in ("mapping_tool.output", "mapping_tool.outcome"):
        item = content.item(item_id)
        parts.append(f"<p><strong>{html.escape(item.title or '')}</strong><br>"
                     f"{html.escape(item.text)}</p>")
    layers = [content.item(f"mapping_tool.layer.{name}")
              for name in ("pupil_characteristics", *LAYERS)]
    parts.append("<ol>" + "".join(
        f"<li><strong>{html.escape(i.title or i.text)}</strong>: {html.escape(i.summary or '')}"
        "</li>" for i in layers) + "</ol>")
    parts.append(f'<p style="font-size:0.9em">Source: {html.escape(framework.source.title)} '
                 f"({html.escape(framework.source.publisher)})</p>")
    return HTML("".join(parts))


# ------------------------------------------------------------------ profile


class ProfileForm(widgets.VBox):
    """The pupil characteristics form and, apart from it, an optional real name."""

    def __init__(self, store: Store, workspace: str, author: str, pupil: str,
                 content: Content | None = None) -> None:
        self.store = store
        self.workspace = workspace
        self.author = author
        self.pupil = pupil
        content = content or load_content()
        existing = load_record(store, workspace, PupilProfile, pupil)
        self.form: RecordForm = record_form(
            PupilProfile, store=store, workspace=workspace, author=author,
            fixed={"pupil": pupil}, key=pupil,
            title=f"Pupil characteristics: {pupil}", content=content)
        notes = []
        if existing is None:
            notes.append(widgets.HTML(
                f'<div class="pk-help" role="status">{html.escape(pupil)} is a new pupil '
                "reference in this workspace: what you type here adds them.</div>"))
        self.real_name = widgets.Text(
            description="Real name (optional)", continuous_update=True,
            style={"description_width": "initial"}, layout=widgets.Layout(width="100%"))
        self.real_name.value = store.real_name(workspace, pupil) or ""
        self.real_name_status = widgets.HTML(
            '<div class="pk-help">Kept apart from the map. It is never shown on the map, '
            "the drawing or the exports unless you ask for names.</div>")
        self.real_name.observe(self._name_changed, names="value")
        super().__init__([*notes, self.form, self.real_name, self.real_name_status])

    def _name_changed(self, change: Any) -> None:
        try:
            self.store.set_real_name(self.workspace, self.pupil, change["new"], self.author)
        except PartnerkitError as exc:
            self.real_name_status.value = (f'<div class="pk-status-bad" role="alert">✗ Not '
                                           f"saved: {html.escape(str(exc))}</div>")
            return
        if load_record(self.store, self.workspace, PupilProfile, self.pupil) is None:
            self.form.save()
        self.real_name_status.value = ('<div class="pk-status-ok" role="status">✓ Saved, kept '
                                       "apart from the map (never shown unless you ask for "
                                       "names).</div>")


def profile_form(session: Session) -> ProfileForm:
    """The pupil characteristics cell: a new reference here adds the pupil."""
    return ProfileForm(session.store, session.workspace, session.author,
                       _session_pupil(session))


# ------------------------------------------------------------------ connections


def _error_html(label: str, message: str) -> str:
    return (f'<div class="pk-error" role="alert">⚠ {html.escape(label)}: '
            f"{html.escape(message)}</div>")


def _quick_pick_name(example: str) -> str:
    return example[:1].upper() + example[1:]


class ConnectionsEditor(widgets.VBox):
    """The four outer layers: each layer's connections, quick picks, add, edit and remove.

    ``add(name, layer)`` adds a connection (refusing one without a name or a layer with
    a message beside the field), ``quick_pick(layer, example)`` adds one of the tool's
    examples, ``edit(id)`` opens the form for a connection (``form``), and
    ``remove(id)`` takes it off the map (its history is kept).
    """

    def __init__(self, store: Store, workspace: str, author: str, pupil: str,
                 content: Content | None = None,
                 on_change: Callable[[], None] | None = None) -> None:
        self.store = store
        self.workspace = workspace
        self.author = author
        self.pupil = pupil
        self.on_change = on_change
        self.content = content or load_content()
        self.form: RecordForm | None = None
        self.editing: str | None = None
        self.titles = ecomap.layer_titles(self.content)
        layer_field = Connection.model_fields["layer"]
        self.name_input = widgets.Text(description="Person or organisation",
                                       style={"description_width": "initial"})
        self.layer_input = widgets.Dropdown(
            description="Layer", style={"description_width": "initial"},
            options=[("— choose a layer —", None),
                     *choice_labels(LAYERS, layer_field, self.content)])
        self.name_message = widgets.HTML()
        self.layer_message = widgets.HTML()
        add = widgets.Button(description="Add to the map", icon="plus")
        add.on_click(lambda _b: self.add(self.name_input.value, self.layer_input.value))
        self.status = widgets.HTML()
        self.lists = {layer: widgets.VBox() for layer in LAYERS}
        self.form_box = widgets.VBox()
        sections = [self._section(layer) for layer in LAYERS]
        adder = widgets.VBox([
            widgets.HTML("<h3>Add someone to the map</h3>"),
            widgets.VBox([self.name_input, self.name_message]),
            widgets.VBox([self.layer_input, self.layer_message]), add])
        super().__init__([widgets.HTML(FORM_CSS), *sections, adder, self.status,
                          self.form_box])
        self.refresh()

    def _section(self, layer: str) -> widgets.Widget:
        item = self.content.item(f"mapping_tool.layer.{layer}")
        picks = widgets.Dropdown(options=[(_quick_pick_name(e), e) for e in item.examples],
                                 description="Quick pick",
                                 style={"description_width": "initial"})
        use = widgets.Button(description=f"Add to {self.titles[layer]}", icon="plus")
        use.on_click(lambda _b, lay=layer, box=picks: self.quick_pick(lay, box.value))
        header = widgets.HTML(
            f"<h3>{html.escape(item.number or '')}. {html.escape(self.titles[layer])}</h3>"
            f'<div class="pk-help">{html.escape(item.summary or "")}</div>')
        return widgets.VBox([header, self.lists[layer], widgets.HBox([picks, use])])

    # ------------------------------------------------------------ reading

    def connections(self) -> list[Connection]:
        """The pupil's connections as stored now."""
        return pupil_connections(self.store, self.workspace, self.pupil)

    def refresh(self) -> None:
        """Show each layer's connections as stored, and tell the page they changed."""
        connections = self.connections()
        for layer in LAYERS:
            rows = [self._row(c) for c in connections if c.layer == layer]
            self.lists[layer].children = tuple(rows) or (
                widgets.HTML('<div class="pk-help"><em>No one on this layer yet.</em></div>'),)
        if self.on_change is not None:
            self.on_change()

    def _row(self, connection: Connection) -> widgets.Widget:
        role = f" — {connection.role}" if connection.role else ""
        text = widgets.HTML(f"<span>{html.escape(connection.name)}{html.escape(role)} "
                            f"<em>({html.escape(connection.quality)})</em></span>",
                            layout=widgets.Layout(min_width="18em"))
        edit = widgets.Button(description="Edit", icon="pencil",
                              tooltip=f"Edit {connection.name}")
        remove = widgets.Button(description="Remove", icon="trash",
                                tooltip=f"Remove {connection.name} from the map")
        confirm = widgets.HBox()
        edit.on_click(lambda _b: self.edit(connection.id))
        remove.on_click(lambda _b: self._ask_remove(connection, confirm))
        return widgets.VBox([widgets.HBox([text, edit, remove]), confirm])

    def _ask_remove(self, connection: Connection, box: widgets.HBox) -> None:
        yes = widgets.Button(description="Yes, remove", button_style="danger")
        no = widgets.Button(description="Keep")
        yes.on_click(lambda _b: self.remove(connection.id))
        no.on_click(lambda _b: setattr(box, "children", ()))
        box.children = (widgets.HTML(f"Remove {html.escape(connection.name)} from the map? "),
                        yes, no)

    # ------------------------------------------------------------ changing

    def add(self, name: str | None, layer: str | None) -> Connection | None:
        """Add a connection and open its form; refuse a missing name or layer beside it."""
        values: dict[str, Any] = {"pupil": self.pupil, "name": (name or "").strip()}
        if layer:
            values["layer"] = layer
        try:
            connection = validate_record(Connection, values)
        except RecordValidationError as exc:
            errors = exc.field_errors
            self.name_message.value = (_error_html("Person or organisation", errors["name"])
                                       if "name" in errors else "")
            self.layer_message.value = (_error_html("Layer", errors["layer"])
                                        if "layer" in errors else "")
            self.status.value = ('<div class="pk-status-bad" role="alert">Not added: '
                                 "correct the field marked ⚠.</div>")
            return None
        self.name_message.value = self.layer_message.value = ""
        save_record(self.store, self.workspace, connection, self.author)
        self.name_input.value = ""
        self.layer_input.value = None
        self.status.value = (f'<div class="pk-status-ok" role="status">✓ Added '
                             f"{html.escape(connection.name)} to "
                             f"{html.escape(self.titles[connection.layer])}.</div>")
        self.refresh()
        self.edit(connection.id)
        return connection

    def quick_pick(self, layer: str, example: str) -> Connection | None:
        """Add one of the examples the tool lists for a layer (its name can be edited)."""
        return self.add(_quick_pick_name(example), layer)

    def edit(self, connection_id: str) -> RecordForm:
        """Open the form for one of the pupil's connections."""
        key = f"{self.pupil}/{connection_id}"
        if load_record(self.store, self.workspace, Connection, key) is None:
            raise NotFoundError("is not one of this pupil's connections", value=connection_id,
                                where=f"pupil {self.pupil}",
                                fix="choose a connection from the list")
        self.form = record_form(Connection, store=self.store, workspace=self.workspace,
                                author=self.author, key=key, fixed={"pupil": self.pupil},
                                title="Edit a connection", content=self.content,
                                on_saved=lambda _r: self.refresh())
        self.editing = connection_id
        self.form_box.children = (self.form,)
        return self.form

    def remove(self, connection_id: str) -> bool:
        """Take a connection off the map (the store keeps its history)."""
        key = f"{self.pupil}/{connection_id}"
        connection = load_record(self.store, self.workspace, Connection, key)
        if connection is None:
            return False
        delete_record(self.store, self.workspace, connection, self.author)
        if self.editing == connection_id:
            self.form, self.editing = None, None
            self.form_box.children = ()
        self.status.value = (f'<div class="pk-status-ok" role="status">✓ Removed '
                             f"{html.escape(connection.name)} from the map.</div>")
        self.refresh()
        return True


def connections_editor(session: Session) -> ConnectionsEditor:
    """The four-outer-layers cell: the pupil's connections with add, edit and remove."""
    pupil = _session_pupil(session)
    require_pupil(session.store, session.workspace, pupil)
    return ConnectionsEditor(session.store, session.workspace, session.author, pupil,
                             on_change=lambda: session.changed("connections"))


# ------------------------------------------------------------------ questions


class ReflectiveQuestions(widgets.VBox):
    """The tool's six reflective questions, each with its own saved answer form."""

    def __init__(self, store: Store, workspace: str, author: str, subject: str,
                 content: Content | None = None) -> None:
        content = content or load_content()
        self.forms: dict[str, RecordForm] = {}
        for question in QUESTION_IDS:
            item = content.item(question)
            self.forms[question] = record_form(
                Answer, store=store, workspace=workspace, author=author,
                key=f"{subject}/{question}", fixed={"question": question, "subject": subject},
                title=f"{item.number}. {item.text}", content=content)
        super().__init__(list(self.forms.values()))


def reflective_questions(session: Session) -> ReflectiveQuestions:
    """The reflective questions cell: six answers saved for the session's pupil."""
    pupil = _session_pupil(session)
    require_pupil(session.store, session.workspace, pupil)
    return ReflectiveQuestions(session.store, session.workspace, session.author, pupil)


# ------------------------------------------------------------------ ecomap


def _pupil_label(store: Store, workspace: str, pupil: str, names: bool) -> str:
    real = store.real_name(workspace, pupil) if names else None
    return f"{real} ({pupil})" if real else pupil


def pupil_ecomap(store: Store, workspace: str, pupil: str, *, names: bool = False) -> Figure:
    """The ecomap of a stored pupil (pseudonymous unless ``names``)."""
    require_pupil(store, workspace, pupil)
    return ecomap.ecomap_figure(pupil_connections(store, workspace, pupil),
                                pupil_label=_pupil_label(store, workspace, pupil, names))


def ecomap_view(session: Session) -> Any:
    """The ecomap cell: the drawing of the session's pupil as a matplotlib Figure.

    In a served page it is a live view that redraws when the connections change.
    """
    pupil = _session_pupil(session)
    if session.served:
        require_pupil(session.store, session.workspace, pupil)
        return session.live("connections", lambda: _closed(
            pupil_ecomap(session.store, session.workspace, pupil)), later=True)
    return pupil_ecomap(session.store, session.workspace, pupil)


def _closed(figure: Figure) -> Figure:
    """Detach a figure from pyplot so a redraw shows it once and frees it afterwards."""
    import matplotlib.pyplot as plt

    plt.close(figure)
    return figure


def ecomap_text(session: Session) -> Any:
    """The drawing in words (for screen readers), under the drawing; live when served."""
    pupil = _session_pupil(session)
    require_pupil(session.store, session.workspace, pupil)
    if session.served:
        return session.live("connections", lambda: _ecomap_text_html(session, pupil),
                            later=True)
    return _ecomap_text_html(session, pupil)


def _ecomap_text_html(session: Session, pupil: str) -> HTML:
    text = ecomap.describe_ecomap(pupil_connections(session.store, session.workspace, pupil),
                                  pupil_label=pupil)
    return HTML('<div class="pk-ecomap-description" aria-label="Text description of the '
                f'ecomap"><pre style="white-space:pre-wrap">{html.escape(text)}</pre></div>')


def save_pupil_ecomap(store: Store, workspace: str, pupil: str,
                      path: str | os.PathLike[str], *, format: str | None = None,
                      names: bool = False) -> Path:
    """Write a stored pupil's ecomap to a PNG or SVG file (owner-only)."""
    return ecomap.save_ecomap(pupil_ecomap(store, workspace, pupil, names=names), path,
                              format=format)


# ------------------------------------------------------------------ summary


def _profile_rows(profile: PupilProfile, content: Content) -> list[tuple[str, str]]:
    rows = []
    for name, info in PupilProfile.model_fields.items():
        if name == "pupil":
            continue
        value = getattr(profile, name)
        if name == "needs":
            labels = {value: text for text, value in choice_labels(NEEDS, info, content)}
            shown = ", ".join(labels.get(n, n) for n in value)
        else:
            shown = "" if value is None else str(value)
        rows.append((info.title or name, shown))
    return rows


def map_summary_html(store: Store, workspace: str, pupil: str, names: bool = False,
                     content: Content | None = None) -> str:
    """The map summary as an HTML page: profile, ecomap, connections, gaps, answers.

    Pseudonymous by default: the pupil's real name (if one was given) appears only with
    ``names=True``. Every value typed by a practitioner is escaped.
    """
    content = content or load_content()
    profile = require_pupil(store, workspace, pupil)
    names = flag(names)
    connections = pupil_connections(store, workspace, pupil)
    label = _pupil_label(store, workspace, pupil, names)
    figure = ecomap.ecomap_figure(connections, pupil_label=label, content=content)
    titles = ecomap.layer_titles(content)
    layers = [{"title": titles[layer], "connections": [c for c in connections
                                                        if c.layer == layer]}
              for layer in LAYERS]
    answers = []
    for question in QUESTION_IDS:
        item = content.item(question)
        answer = load_record(store, workspace, Answer, f"{pupil}/{question}")
        answers.append({"number": item.number, "question": item.text,
                        "answer": answer.text if answer else ""})
    need_labels = {n: content.item(f"principles.barrier.{n}").text for n in NEEDS}
    framework = content.frameworks[FRAMEWORK]
    staged, requests = _staged_support(store, workspace, pupil)
    return render_html(
        SUMMARY_TEMPLATE, workspace=workspace, frameworks=[FRAMEWORK, "principles", "module6"],
        staged=staged, requests=requests,
        title=f"{framework.title}: {label}", pupil=pupil,
        real_name=store.real_name(workspace, pupil) if names else None,
        profile_rows=_profile_rows(profile, content), layers=layers,
        svg=Markup(ecomap.svg_markup(figure)),
        description=ecomap.describe_ecomap(connections, pupil_label=label, content=content),
        gaps=gaps.find_gaps(profile, connections,
                            load_records(store, workspace, DirectoryEntry), content),
        answers=answers, need_labels=need_labels,
        direction_labels={value: text for text, value in choice_labels(
            DIRECTIONS, Connection.model_fields["direction"], content)})


def _staged_support(store: Store, workspace: str,
                    pupil: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The pupil's ASPIRE plan and requests for assistance, as rows for the pack."""
    from partnerkit import staged_support

    plan = staged_support.plan_frame(store, workspace, pupil).astype(object)
    requests = staged_support.requests_frame(store, workspace, pupil).astype(object)
    plan = plan.where(plan.notna(), None)
    requests = requests.where(requests.notna(), None)
    return plan.to_dict("records"), requests.to_dict("records")


def save_map_summary(store: Store, workspace: str, pupil: str, path: str | os.PathLike[str],
                     names: bool = False) -> Path:
    """Write the map summary HTML to ``path``, readable by its owner only."""
    return write_private(path, map_summary_html(store, workspace, pupil, names=names))


def summary_path(session: Session, pupil: str) -> Path:
    """Where the workbook saves a pupil's map summary: the data folder's reports folder."""
    return Path(session.data_dir) / "reports" / f"map-summary-{pupil}.html"


def summary_download(session: Session) -> Any:
    """The summary cell: save the map summary and offer it as a download link.

    In a served page the summary is made when asked for, with everything typed so far:
    making it at page load would slow every page for a download few need at that point.
    """
    if not session.served:
        return _summary_link(session)
    link = widgets.HTML("<p class=\"pk-help\">The summary is made from the answers saved so "
                        "far. Press the button when the map is ready.</p>")
    button = widgets.Button(description="Make the summary", icon="file",
                            tooltip="Make the map summary with everything typed so far")

    def refresh(_button: Any) -> None:
        link.value = _summary_link(session).data
        button.description = "Make a fresh summary"

    button.on_click(refresh)
    return widgets.VBox([button, link])


def _summary_link(session: Session) -> HTML:
    pupil = _session_pupil(session)
    names = flag(session.get("names", False))
    page = map_summary_html(session.store, session.workspace, pupil, names=names)
    path = write_private(summary_path(session, pupil), page)
    encoded = base64.b64encode(page.encode("utf-8")).decode("ascii")
    kind = "with the pupil's name" if names else "pseudonymous: no real names"
    return HTML(f'<p><a download="{html.escape(path.name)}" '
                f'href="data:text/html;base64,{encoded}">Download the map summary for '
                f"{html.escape(pupil)} (HTML, {kind})</a></p>"
                f'<p class="pk-help">Also saved in the data folder as '
                f"<code>{html.escape(str(path))}</code>.</p>")


__all__ = [
    "ConnectionsEditor", "ProfileForm", "QUESTION_IDS", "ReflectiveQuestions", "about_tool",
    "check_reference", "connections_editor", "ecomap_text", "ecomap_view", "flag",
    "map_summary_html", "profile_form", "pupil_connections", "pupil_ecomap", "pupils",
    "reflective_questions", "require_pupil", "save_map_summary", "save_pupil_ecomap",
    "summary_download", "summary_path",
]
