"""The mapping workbook's cells (the only module of the wing that imports ipywidgets).

The workbook's cells call these functions in the tool's order: :func:`about_tool`,
:func:`profile_form` (pupil characteristics), :func:`connections_editor` (the four outer
layers), :func:`ecomap_view` and :func:`ecomap_text` (the drawing and its words),
:func:`gaps_view`, ``directory_editor``, :func:`reflective_questions` and
:func:`summary_download`. Everything typed is saved to the store as it is typed.

On a served page (``session.served``) the parts below the pupil's profile are built
when opened (:class:`~partnerkit.forms.sections.LazySections`): each layer of the
connections editor, the drawing and each reflective question is a heading that builds
its forms the first time it is opened, and the drawing (with matplotlib) is only drawn
then. In JupyterLab and batch renders everything is built at once.

A pupil is known by a pseudonymous reference; a real name, if given in the profile
form, is kept apart by the store and appears only in a summary asked for with
``names=True``.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML

from partnerkit.access import READ, REAL_NAME, decide
from partnerkit.content import Content, load_content
from partnerkit.errors import NotFoundError, PartnerkitError, RecordValidationError
from partnerkit.forms import FORM_CSS, RecordForm, choice_labels, record_form
from partnerkit.forms.sections import LazySections, lazy_section
from partnerkit.mapping_tool.data import (
    gaps_frame,
    pupil_connections,
    pupil_gaps,
    require_pupil,
)
from partnerkit.mapping_tool.report import map_summary_html, part
from partnerkit.mapping_tool.rules import (
    FRAMEWORK,
    GAP_LABELS,
    QUESTION_IDS,
    describe_ecomap,
    flag,
    layer_titles,
)
from partnerkit.records.base import delete_record, load_record, save_record, validate_record
from partnerkit.records.mapping import LAYERS, Answer, Connection, PupilProfile
from partnerkit.records.refs import pupil_ref
from partnerkit.records.sharing import record_export
from partnerkit.reports import write_private
from partnerkit.reports.frames import Column, frame_table
from partnerkit.session import Session
from partnerkit.store import Store

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WIDE = {"description_width": "initial"}
NAMES_KEPT_APART = ("Real names are kept apart by your school lead and are not shown here: "
                    "this pupil is known by their reference.")

GAP_TABLE = (Column("gap_type", "Gap", labels=GAP_LABELS),
             Column("subject", "About", typed=True),
             Column("detail", "What is missing", typed=True),
             Column("suggestions", "Local partners who could help", typed=True,
                    missing="No match in the local partner directory"))
"""The page's gap table: every column of :data:`~partnerkit.mapping_tool.GAP_COLUMNS`, in words."""

QUICK_PICK_BLANK = "— choose someone —"
"""What a layer's quick pick shows before a choice and after each person is added."""

NO_GAPS = ("No gaps found: every layer has someone, every need is helped, no relationship "
           "is stressful and every partner has been contacted.")


def session_pupil(session: Session) -> str:
    """The session's pupil reference, checked; says what to set when none was given.

    Raises:
        PartnerkitError: no pupil was given.
        PupilReferenceError: the pupil given is not a pseudonymous reference.
    """
    pupil = session.get("pupil")
    if pupil is None:
        raise PartnerkitError("no pupil was given", where="workbook parameters",
                              fix="set pupil = \"P-1001\" (a pupil reference) in the "
                                  "parameters cell or the page address")
    return pupil_ref(pupil)


def _known_pupil(session: Session) -> str:
    """The session's pupil, refused (with the pupils there are) unless it has a profile."""
    pupil = session_pupil(session)
    require_pupil(session.store, session.workspace, pupil)
    return pupil


# ------------------------------------------------------------------ about


def about_tool(content: Content | None = None) -> HTML:
    """What the tool is for and its five layers, from the framework content."""
    content = content or load_content()
    framework = content.frameworks[FRAMEWORK]
    return HTML(part(
        "about", summary=framework.summary, source=framework.source,
        purposes=[content.item(i) for i in ("mapping_tool.output", "mapping_tool.outcome")],
        layers=[content.item(f"mapping_tool.layer.{name}")
                for name in ("pupil_characteristics", *LAYERS)]))


# ------------------------------------------------------------------ profile


class ProfileForm(widgets.VBox):
    """The pupil characteristics form and, apart from it, an optional real name.

    With ``names`` False (an account that may not see real names) the real name is
    neither read nor offered: a note says who keeps it.
    """

    def __init__(self, store: Store, workspace: str, author: str, pupil: str,
                 content: Content | None = None, names: bool = True) -> None:
        self.store, self.workspace, self.author, self.pupil = store, workspace, author, pupil
        existing = load_record(store, workspace, PupilProfile, pupil)
        self.form: RecordForm = record_form(
            PupilProfile, store=store, workspace=workspace, author=author,
            fixed={"pupil": pupil}, key=pupil,
            title=f"Pupil characteristics: {pupil}", content=content or load_content())
        notes = []
        if existing is None:
            notes.append(widgets.HTML(part(
                "help", role="status", em=False,
                text=f"{pupil} is a new pupil reference in this workspace: what you type "
                     "here adds them.")))
        if not names:
            super().__init__([*notes, self.form, widgets.HTML(part(
                "help", role=None, em=False, text=NAMES_KEPT_APART))])
            return
        self.real_name = widgets.Text(
            description="Real name (optional)", continuous_update=True, style=WIDE,
            layout=widgets.Layout(width="100%"))
        self.real_name.value = store.real_name(workspace, pupil) or ""
        self.real_name_status = widgets.HTML(part(
            "help", role=None, em=False,
            text="Kept apart from the map. It is never shown on the map, the drawing or "
                 "the exports unless you ask for names."))
        self.real_name.observe(self._name_changed, names="value")
        super().__init__([*notes, self.form, self.real_name, self.real_name_status])

    def _name_changed(self, change: Any) -> None:
        try:
            self.store.set_real_name(self.workspace, self.pupil, change["new"], self.author)
        except PartnerkitError as exc:
            self.real_name_status.value = part("status", ok=False,
                                               text=f"✗ Not saved: {exc}")
            return
        if load_record(self.store, self.workspace, PupilProfile, self.pupil) is None:
            self.form.save()
        self.real_name_status.value = part(
            "status", ok=True, text="✓ Saved, kept apart from the map (never shown unless "
                                    "you ask for names).")


def profile_form(session: Session) -> ProfileForm:
    """The pupil characteristics cell: a new reference here adds the pupil.

    The real name is offered only to an account that may see it (a school lead).
    """
    account = session.account
    names = account is None or bool(decide(account, READ, session.workspace, REAL_NAME))
    return ProfileForm(session.store, session.workspace, session.author,
                       session_pupil(session), names=names)


# ------------------------------------------------------------------ connections


def _field_error(label: str, errors: dict[str, str], name: str) -> str:
    return part("field_error", label=label, message=errors[name]) if name in errors else ""


def _quick_pick_name(example: str) -> str:
    return example[:1].upper() + example[1:]


class ConnectionsEditor(widgets.VBox):
    """The four outer layers: each layer's connections, quick picks, add, edit and remove.

    ``add(name, layer)`` adds a connection (refusing one without a name or a layer with
    a message beside the field), ``quick_pick(layer, example)`` adds one of the tool's
    examples, ``edit(id)`` opens the form for a connection (``form``), and
    ``remove(id)`` takes it off the map (its history is kept).

    With ``lazy`` (a served page) the layers are ``sections``: headings saying how many
    people each layer has, a layer's list and quick pick built when it is opened; adding
    someone opens their layer. Without, every layer is shown at once.
    """

    def __init__(self, store: Store, workspace: str, author: str, pupil: str,
                 content: Content | None = None,
                 on_change: Callable[[], None] | None = None, lazy: bool = False) -> None:
        self.store, self.workspace, self.author, self.pupil = store, workspace, author, pupil
        self.on_change = on_change
        self.content = content or load_content()
        self.form: RecordForm | None = None
        self.editing: str | None = None
        self.titles = layer_titles(self.content)
        self.name_input = widgets.Text(description="Person or organisation", style=WIDE)
        self.layer_input = widgets.Dropdown(
            description="Layer", style=WIDE,
            options=[("— choose a layer —", None), *choice_labels(
                LAYERS, Connection.model_fields["layer"], self.content)])
        self.name_message = widgets.HTML()
        self.layer_message = widgets.HTML()
        add = widgets.Button(description="Add to the map", icon="plus")
        add.on_click(lambda _b: self.add(self.name_input.value, self.layer_input.value))
        self.status = widgets.HTML()
        self.lists = {layer: widgets.VBox() for layer in LAYERS}
        self.picks: dict[str, widgets.Dropdown] = {}
        self.form_box = widgets.VBox()
        adder = widgets.VBox([
            widgets.HTML("<h3>Add someone to the map</h3>"),
            widgets.VBox([self.name_input, self.name_message]),
            widgets.VBox([self.layer_input, self.layer_message]), add])
        self.sections: LazySections | None = None
        self._stored = self.connections()
        super().__init__([widgets.HTML(FORM_CSS), *self._layers(lazy), adder, self.status,
                          self.form_box])
        self.refresh()

    def _layers(self, lazy: bool) -> list[widgets.Widget]:
        """Every layer at once, or (``lazy``) one section per layer, built when opened."""
        if not lazy:
            return [self._section(layer) for layer in LAYERS]
        self.sections = LazySections([(self._layer_title(layer),
                                       lambda lay=layer: self._build_layer(lay))
                                      for layer in LAYERS])
        return [self.sections]

    def _build_layer(self, layer: str) -> widgets.Widget:
        """A layer's section when it is first opened: its connections and quick pick."""
        box = self._section(layer)
        self._fill(layer)
        return box

    def _layer_title(self, layer: str) -> str:
        """A layer's section heading: its number, title and how many people it has."""
        count = sum(1 for c in self._stored if c.layer == layer)
        number = self.content.item(f"mapping_tool.layer.{layer}").number or ""
        who = {0: "no one yet", 1: "1 person"}.get(count, f"{count} people")
        return f"{number}. {self.titles[layer]}: {who}"

    def _is_shown(self, layer: str) -> bool:
        return self.sections is None or LAYERS.index(layer) in self.sections.built

    def _section(self, layer: str) -> widgets.Widget:
        item = self.content.item(f"mapping_tool.layer.{layer}")
        picks = widgets.Dropdown(options=[(QUICK_PICK_BLANK, ""), *(
            (_quick_pick_name(e), e) for e in item.examples)],
                                 description="Quick pick", style=WIDE)
        self.picks[layer] = picks
        use = widgets.Button(description=f"Add to {self.titles[layer]}", icon="plus")
        use.on_click(lambda _b, lay=layer, box=picks: self.quick_pick(lay, box.value))
        header = widgets.HTML(part("layer_heading", number=item.number or "",
                                   title=self.titles[layer], summary=item.summary or ""))
        return widgets.VBox([header, self.lists[layer], widgets.HBox([picks, use])])

    # ------------------------------------------------------------ reading

    def connections(self) -> list[Connection]:
        """The pupil's connections as stored now."""
        return pupil_connections(self.store, self.workspace, self.pupil)

    def refresh(self) -> None:
        """Show each layer's connections as stored, and tell the page they changed.

        A layer whose section is not open yet only has its heading's count redrawn.
        """
        self._stored = self.connections()
        for index, layer in enumerate(LAYERS):
            if self.sections is not None:
                self.sections.retitle(index, self._layer_title(layer))
            if self._is_shown(layer):
                self._fill(layer)
        if self.on_change is not None:
            self.on_change()

    def _fill(self, layer: str) -> None:
        """Show one layer's connections (as last read from the store) in its list."""
        empty = part("help", role=None, em=True, text="No one on this layer yet.")
        rows = [self._row(c) for c in self._stored if c.layer == layer]
        self.lists[layer].children = tuple(rows) or (widgets.HTML(empty),)

    def _row(self, connection: Connection) -> widgets.Widget:
        text = widgets.HTML(part("connection_row", name=connection.name,
                                 role=connection.role, quality=connection.quality),
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
        box.children = (widgets.HTML(part("remove_question", name=connection.name)), yes, no)

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
            self.name_message.value = _field_error("Person or organisation", errors, "name")
            self.layer_message.value = _field_error("Layer", errors, "layer")
            self.status.value = part("status", ok=False,
                                     text="Not added: correct the field marked ⚠.")
            return None
        self.name_message.value = self.layer_message.value = ""
        save_record(self.store, self.workspace, connection, self.author)
        self.name_input.value = ""
        self.layer_input.value = None
        self.status.value = part("status", ok=True, text=f"✓ Added {connection.name} to "
                                                         f"{self.titles[connection.layer]}.")
        self.refresh()
        if self.sections is not None:
            self.sections.open_section(LAYERS.index(connection.layer))
        self.edit(connection.id)
        return connection

    def quick_pick(self, layer: str, example: str | None) -> Connection | None:
        """Add one of the examples the tool lists for a layer and open its form.

        Nothing is assumed about how strong the relationship is: the form opens with it
        not set (the map draws a dotted line until it is chosen). The picker goes back
        to blank, so a second press does not add the same person again; a press with
        nothing picked says so.
        """
        if not example:
            self.status.value = part("status", ok=False, text=(
                f"Not added: choose someone in the quick pick of "
                f"{self.titles[layer]} first."))
            return None
        added = self.add(_quick_pick_name(example), layer)
        if layer in self.picks:
            self.picks[layer].value = ""
        return added

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
        self.status.value = part("status", ok=True,
                                 text=f"✓ Removed {connection.name} from the map.")
        self.refresh()
        return True


def connections_editor(session: Session) -> ConnectionsEditor:
    """The four-outer-layers cell: the pupil's connections with add, edit and remove."""
    return ConnectionsEditor(session.store, session.workspace, session.author,
                             _known_pupil(session),
                             on_change=lambda: session.changed("connections"),
                             lazy=session.served)


# ------------------------------------------------------------------ questions


class ReflectiveQuestions(widgets.VBox):
    """The tool's six reflective questions, each with its own saved answer form.

    ``forms`` holds the forms built so far by question. With ``lazy`` (a served page)
    each question is a section (``sections``) whose form is built when it is opened.
    """

    def __init__(self, store: Store, workspace: str, author: str, subject: str,
                 content: Content | None = None, lazy: bool = False) -> None:
        self.store, self.workspace, self.author, self.subject = store, workspace, author, subject
        self.content = content or load_content()
        self.forms: dict[str, RecordForm] = {}
        self.sections: LazySections | None = None
        if not lazy:
            super().__init__([self.form(q, titled=True) for q in QUESTION_IDS])
            return
        self.sections = LazySections([(self._title(q), lambda q=q: self.form(q))
                                      for q in QUESTION_IDS])
        super().__init__([self.sections])

    def _title(self, question: str) -> str:
        item = self.content.item(question)
        return f"{item.number}. {item.text}"

    def form(self, question: str, titled: bool = False) -> RecordForm:
        """The answer form of ``question`` (under its own title when ``titled``)."""
        self.forms[question] = record_form(
            Answer, store=self.store, workspace=self.workspace, author=self.author,
            key=f"{self.subject}/{question}",
            fixed={"question": question, "subject": self.subject},
            title=self._title(question) if titled else None, content=self.content)
        return self.forms[question]


def reflective_questions(session: Session) -> ReflectiveQuestions:
    """The reflective questions cell: six answers saved for the session's pupil.

    On a served page each question opens (and builds its form) when it is chosen.
    """
    return ReflectiveQuestions(session.store, session.workspace, session.author,
                               _known_pupil(session), lazy=session.served)


# ------------------------------------------------------------------ ecomap and gaps


def _closed(figure: Figure) -> Figure:
    """Detach a figure from pyplot so a redraw shows it once and frees it afterwards."""
    import matplotlib.pyplot as plt  # pyplot picks a backend: only when a page redraws

    plt.close(figure)
    return figure


MAP_SECTION = "Show the ecomap (the drawing of the map)"
"""The heading of the drawing's section on a served page."""


def _drawing(session: Session, pupil: str) -> Figure:
    """The pupil's ecomap, drawn now (matplotlib is imported for it here, not before)."""
    from partnerkit.mapping_tool.ecomap import pupil_ecomap

    return pupil_ecomap(session.store, session.workspace, pupil)


def ecomap_view(session: Session) -> Any:
    """The ecomap cell: the drawing of the session's pupil as a matplotlib Figure.

    In a served page it is a section (:data:`MAP_SECTION`) that draws the map when it
    is first opened (a placeholder shows while it draws), then redraws it when the
    connections change; until then matplotlib is not even imported.
    """
    pupil = session_pupil(session)
    if not session.served:
        return _drawing(session, pupil)
    require_pupil(session.store, session.workspace, pupil)

    def build() -> Any:
        out = session.live("connections", lambda: _closed(_drawing(session, pupil)),
                           later=True)
        session.done()  # the page is done: draw just after this opening
        return out

    return lazy_section(MAP_SECTION, build)


def _ecomap_text_html(session: Session, pupil: str) -> HTML:
    text = describe_ecomap(pupil_connections(session.store, session.workspace, pupil),
                           pupil_label=pupil)
    return HTML(part("ecomap_text", text=text))


def ecomap_text(session: Session) -> Any:
    """The drawing in words (for screen readers), under the drawing; live when served."""
    pupil = _known_pupil(session)
    if session.served:
        return session.live("connections", lambda: _ecomap_text_html(session, pupil),
                            later=True)
    return _ecomap_text_html(session, pupil)


def gaps_table(frame: pd.DataFrame) -> HTML:
    """The gap table (:func:`~partnerkit.mapping_tool.gaps_frame`) as a plain table, whole.

    Gap kinds are in words, no cell is cut, and a map without gaps says so.
    """
    suggestions = frame["suggestions"].replace("", None)
    return HTML(frame_table(frame.assign(suggestions=suggestions), GAP_TABLE, empty=NO_GAPS))


def gaps_view(session: Session) -> Any:
    """The workbook's gap cell: the table of gaps and suggestions for the session's pupil.

    In a served page the table redraws when the pupil's connections change.
    """
    pupil = session_pupil(session)

    def build() -> HTML:
        return gaps_table(gaps_frame(pupil_gaps(session.store, session.workspace, pupil)))

    return session.live("connections", build) if session.served else build()


# ------------------------------------------------------------------ summary


def summary_path(session: Session, pupil: str) -> Path:
    """Where the workbook saves a pupil's map summary: the data folder's reports folder."""
    return Path(session.data_dir) / "reports" / f"map-summary-{pupil}.html"


def _summary_link(session: Session) -> HTML:
    pupil = session_pupil(session)
    names = flag(session.get("names", False))
    page = map_summary_html(session.store, session.workspace, pupil, names=names)
    path = write_private(summary_path(session, pupil), page)
    if session.served:  # the page hands the pack out: it goes in the pupil's sharing log
        record_export(session.store, session.workspace, session.author, pupil,
                      f"pupil partnership pack ({path.name})",
                      to=f"not known: downloaded from the page by {session.author}")
    return HTML(part(
        "summary_link", filename=path.name, pupil=pupil,
        path=None if session.served else str(path),  # a page's reader has no server folders
        encoded=base64.b64encode(page.encode("utf-8")).decode("ascii"),
        kind="with the pupil's name" if names else "pseudonymous: no real names"))


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


__all__ = [
    "ConnectionsEditor", "ProfileForm", "ReflectiveQuestions", "about_tool",
    "connections_editor", "ecomap_text", "ecomap_view", "gaps_table", "gaps_view", "profile_form",
    "reflective_questions", "session_pupil", "summary_download", "summary_path",
]
