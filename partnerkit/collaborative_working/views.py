"""The module's pages as widgets: sections, reflective log forms, ratings, families, survey.

Each public function returns a widget for one step of the module, in the module's order:
the starting self-rating and wheel, sections 6.1 to 6.4 (every activity saved per
practitioner), Activity 17 with the end self-rating and wheel, partnership with parents,
home/school postcards, the feedback survey and, for the trainer, the cohort: each
participant's progress and quiz results, lifting a quiz lock, and the counts-only
summary. The quiz and Activity 16 are in :mod:`.views_quiz`. HTML comes from
:mod:`.report`.

On a served page (``session.served``) every activity, reflective task, the start
wheel, Activity 17, the wheel chart and the survey are sections built when first
opened (:func:`part_section`): the page shows their headings, and builds (and reads
from the store) only what someone opens. In JupyterLab and batch renders everything
is built at once, as before.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from partnerkit.access import LOCAL, TRAINER
from partnerkit.collaborative_working.charts import wheel_chart
from partnerkit.collaborative_working.data import (
    cohort_progress,
    cohort_summary,
    known_pupils,
    lift_lock,
    pupil_postcards,
)
from partnerkit.collaborative_working.report import (
    COHORT_NOTE,
    COHORT_TITLES,
    cohort_progress_html,
    postcard_html,
    section_html,
    self_rating_html,
)
from partnerkit.collaborative_working.rules import check_log_task, check_moment
from partnerkit.collaborative_working.views_quiz import activity16_widget
from partnerkit.content import load_content
from partnerkit.errors import PartnerkitError
from partnerkit.forms import FORM_CSS, RecordForm, record_form
from partnerkit.forms.looks import STACKED, own_layout, style_once
from partnerkit.forms.sections import Builder, lazy_section
from partnerkit.records.module import (
    CARD_TYPES,
    LOG_TASKS,
    FeedbackSurvey,
    LogEntry,
    ParentPartnership,
    Postcard,
    QuizLockLift,
    SelfRating,
    WheelRating,
    practitioner_name,
)
from partnerkit.records.refs import pupil_ref
from partnerkit.reports.frames import Column, frame_table
from partnerkit.reports.parts import render_part

WHEEL_NOTE = ("The wheel's areas are partnerkit's, drawn from this section's themes (the "
              "module names the wheel but does not list its areas).")
"""Said beside the wheel: its areas are not published wording."""


def _who(session: Any) -> str:
    """The session practitioner's name as their records are filed."""
    return practitioner_name(session.author)


def _html(text: str) -> widgets.HTML:
    return widgets.HTML(text, layout=widgets.Layout(max_width="50em"))


def part_section(session: Any, title: str, build: Builder) -> widgets.Widget:
    """A part of the module page, built when first opened on a served page.

    Served, it is a section titled ``title``; elsewhere it is ``build()``, at once.
    """
    if getattr(session, "served", False):
        return lazy_section(title, build)
    return build()


# ------------------------------------------------------------------ sections


def section(session: Any, number: str) -> widgets.VBox:
    """One section of the module with its activities, saved for the session's practitioner.

    Args:
        session: the workbook's session (store, workspace, author).
        number: "6.1", "6.2", "6.3" or "6.4".

    Raises:
        NotFoundError: ``number`` is not one of the module's sections.
    """
    parts: list[widgets.Widget] = [_html(FORM_CSS + section_html(number))]
    if number == "6.2":
        parts += [_task_section(session, "module6.task_6_2"), _strategies_accordion(),
                  _html(render_part("content_block", item=load_content().item("module6.postcards"),
                             level=4))]
    elif number == "6.4":
        parts += [part_section(session, load_content().item("module6.activity16").title or "",
                               lambda: activity16_widget(session)),
                  _task_section(session, "module6.task_effective_collaboration"),
                  _task_section(session, "module6.task_optional_effective_collaboration")]
    return widgets.VBox(parts)


def _task_section(session: Any, task_id: str) -> widgets.Widget:
    """A reflective task as a part of the page (:func:`part_section`), titled by the task."""
    title = load_content().item(task_id).title or ""
    return part_section(session, title, lambda: reflective_task(session, task_id))


def _strategies_accordion() -> widgets.Accordion:
    strategies = load_content().item("module6.strategies")
    body = _html(render_part("strategies", item=strategies))
    accordion = widgets.Accordion(children=[body], selected_index=None)
    accordion.set_title(0, f"{strategies.title}: {strategies.text} (open after writing "
                           "your notes)")
    return accordion


# ------------------------------------------------------------------ reflective log forms


def _log_form(session: Any, task_id: str) -> RecordForm:
    return record_form(LogEntry, store=session.store, workspace=session.workspace,
                       author=session.author,
                       fixed={"practitioner": _who(session), "task": task_id},
                       key=f"{_who(session)}/{task_id}")


def log_entry_form(session: Any, task_id: str) -> widgets.VBox:
    """The log entry for one reflective task or prompt: its wording and a saved text box.

    Raises:
        NotFoundError: ``task_id`` is not a reflective-log prompt of the module.
    """
    item = load_content().item(check_log_task(task_id))
    label = f"{item.number}. " if item.kind == "prompt" and item.number else ""
    return widgets.VBox([_html(render_part("log_prompt", label=label, text=item.text)),
                         _log_form(session, task_id)])


def reflective_task(session: Any, task_id: str) -> widgets.VBox:
    """A reflective task: its wording and one log entry per prompt (or one for the task)."""
    item = load_content().item(task_id)
    intro = _html(render_part("intro", heading=item.title, paragraphs=[item.text],
                       note=item.summary or ""))
    if task_id in LOG_TASKS:
        return widgets.VBox([intro, _log_form(session, task_id)])
    prompts = [c.id for c in item.children if c.id in LOG_TASKS]
    return widgets.VBox([intro, *(log_entry_form(session, p) for p in prompts)])


# ------------------------------------------------------------------ ratings


def self_rating_form(session: Any, moment: str) -> RecordForm:
    """The 1–5 self-rating of knowledge and understanding of inclusion, at start or end."""
    scale = load_content().item("module6.self_rating")
    return record_form(SelfRating, store=session.store, workspace=session.workspace,
                       author=session.author, key=f"{_who(session)}/{check_moment(moment)}",
                       fixed={"practitioner": _who(session), "moment": moment},
                       title=f"{scale.text} ({'start' if moment == 'start' else 'now'})")


def wheel_form(session: Any, moment: str) -> RecordForm:
    """The self-evaluation wheel (one 1–5 rating per area), at the start or the end."""
    return record_form(WheelRating, store=session.store, workspace=session.workspace,
                       author=session.author, key=f"{_who(session)}/{check_moment(moment)}",
                       fixed={"practitioner": _who(session), "moment": moment},
                       title=f"Self-evaluation wheel ({'start' if moment == 'start' else 'end'}"
                             " of the module)")


def before_you_start(session: Any) -> widgets.VBox:
    """Activity 1 revisited: the starting self-rating and self-evaluation wheel."""
    activity = load_content().item("module6.activity17")
    intro = render_part("intro", heading="Before you start", level=2, note=WHEEL_NOTE, paragraphs=[
        activity.summary, "Rate yourself now; at the end (Activity 17) you will rate "
        "yourself again and see both side by side."])
    return widgets.VBox([_html(intro), self_rating_form(session, "start"),
                         part_section(session, WHEEL_START,
                                      lambda: wheel_form(session, "start"))])


WHEEL_START = "Self-evaluation wheel (start of the module)"
"""The heading of the start wheel's section on a served page."""


def activity17(session: Any) -> widgets.Widget:
    """Activity 17: the final log entry, the end self-rating and the end wheel.

    On a served page it is one section, built when it is first opened.
    """
    item = load_content().item("module6.activity17")
    return part_section(session, item.title or "", lambda: _activity17(session))


def _activity17(session: Any) -> widgets.VBox:
    """Activity 17's intro, then each prompt with its log entry, rating or wheel."""
    item = load_content().item("module6.activity17")
    parts: list[widgets.Widget] = [_html(render_part("intro", heading=item.title, level=2,
                                              paragraphs=[item.summary, item.text]))]
    for prompt in item.children:
        parts.append(_html(render_part("log_prompt", label=f"{prompt.number}. ", text=prompt.text)))
        if prompt.id in LOG_TASKS:
            if prompt.number == "3":
                parts.append(wheel_form(session, "end"))
            parts.append(_log_form(session, prompt.id))
        else:
            parts.append(self_rating_form(session, "end"))
    return widgets.VBox(parts)


def self_rating_comparison(session: Any) -> widgets.HTML:
    """The session practitioner's start and end self-ratings side by side."""
    return _html(self_rating_html(session.store, session.workspace, _who(session)))


WHEEL_CHART = "Show your self-evaluation wheel, start and end"
"""The heading of the wheel chart's section on a served page."""


def wheel_figure(session: Any) -> Any:
    """The session practitioner's wheel, start over end, as a matplotlib Figure.

    On a served page it is a section (:data:`WHEEL_CHART`) drawn when it is first
    opened, from the ratings saved by then (matplotlib is imported only then).
    """
    if not getattr(session, "served", False):
        return wheel_chart(session.store, session.workspace, _who(session))

    def draw() -> widgets.HTML:
        from partnerkit.page import figure_html

        return widgets.HTML(figure_html(wheel_chart(session.store, session.workspace,
                                                    _who(session))))

    return lazy_section(WHEEL_CHART, draw)


# ------------------------------------------------------------------ pupils and families


class PupilPicker(widgets.VBox):
    """Type or pick a pupil reference, then open what belongs to that pupil below."""

    def __init__(self, options: list[str], build: Callable[[str], widgets.Widget],
                 pupil: str | None = None) -> None:
        self.build = build
        self.entry = widgets.Combobox(options=options, value=pupil or "",
                                      placeholder="Pupil reference, e.g. P-1001",
                                      description="Pupil", ensure_option=False)
        self.button = widgets.Button(description="Open", icon="folder-open")
        self.message = widgets.HTML("")
        self.body = widgets.VBox()
        self.button.on_click(lambda _b: self.show_pupil(self.entry.value))
        super().__init__([widgets.HBox([self.entry, self.button]), self.message, self.body])
        if pupil:
            self.show_pupil(pupil)

    def show_pupil(self, value: str) -> widgets.Widget | None:
        """Show what belongs to this pupil, or say why not (a bad reference, a refusal)."""
        try:
            shown = self.build(pupil_ref(value))
        except PartnerkitError as exc:  # PupilReferenceError, AccessDeniedError ...
            self.message.value = render_part("alert", text=str(exc))
            return None
        self.message.value = ""
        self.body.children = (shown,)
        return shown


def parent_partnership_form(session: Any, pupil: str) -> RecordForm:
    """Partnership with one pupil's parents/carers: barriers, strategies, meeting set-up.

    Raises:
        PupilReferenceError: ``pupil`` is not a pseudonymous reference.
    """
    pupil = pupil_ref(pupil)
    return record_form(ParentPartnership, store=session.store, workspace=session.workspace,
                       author=session.author, fixed={"pupil": pupil}, key=pupil,
                       title=f"Partnership with the parents/carers of {pupil}")


def parent_partnership(session: Any, pupil: str | None = None) -> widgets.VBox:
    """Pick a pupil, then plan partnership with their parents/carers (saved as you type)."""
    content = load_content()
    intro = _html(render_part("intro", heading=f"{content.item('module6.6_2').title}: a plan for "
                       "one family", paragraphs=[
                           "Tick the reasons these parents/carers may not feel comfortable, "
                           "the strategies you will use, and prepare the next meeting."]))
    picker = PupilPicker(known_pupils(session.store, session.workspace),
                         lambda p: parent_partnership_form(session, p), pupil)
    return widgets.VBox([intro, picker])


class PostcardEditor(widgets.VBox):
    """One postcard's form, with a printable preview and a download link."""

    LABELS = {"try_at_home": ("What to try at home", "How to do it"),
              "tried_at_home": ("What we tried at home", "How it went")}

    def __init__(self, session: Any, pupil: str, card_type: str,
                 postcard_id: str | None = None) -> None:
        self.session = session
        heading = load_content().item(f"module6.postcard.{card_type}").text
        fixed: dict[str, Any] = {"pupil": pupil, "card_type": card_type}
        if postcard_id:
            fixed["id"] = postcard_id
        self.form = record_form(Postcard, store=session.store, workspace=session.workspace,
                                author=session.author, fixed=fixed,
                                key=f"{pupil}/{postcard_id}" if postcard_id else None,
                                title=f"{heading} ({pupil})", on_saved=self._saved)
        self.form.editors["strategy"].input.description = self.LABELS[card_type][0]
        self.form.editors["details"].input.description = self.LABELS[card_type][1]
        self.preview = widgets.HTML("")
        super().__init__([self.form, self.preview])
        if self.form.record is not None:
            self._saved(self.form.record)

    def _saved(self, record: Any) -> None:
        page = postcard_html(record, self.session.workspace, self.session.store)
        data = base64.b64encode(page.encode("utf-8")).decode("ascii")
        download = {"filename": f"postcard-{record.pupil}-{record.card_type}-{record.id}.html",
                    "href": f"data:text/html;base64,{data}",
                    "label": "Download the printable postcard", "after": "(open it and print)"}
        self.preview.value = render_part("document_frame", page=page, title="Postcard preview",
                                  height="22em", download=download)


def postcards(session: Any, pupil: str | None = None) -> widgets.VBox:
    """Home/school postcards for a pupil: write a new one or edit one already written."""
    content = load_content()
    intro = _html(render_part("content_block", item=content.item("module6.postcards"), level=3))

    def build(ref: str) -> widgets.Widget:
        area = widgets.VBox()
        buttons = []
        for card in CARD_TYPES:
            button = widgets.Button(
                description=f"New: {content.item(f'module6.postcard.{card}').text}",
                layout=widgets.Layout(width="auto"))
            button.on_click(lambda _b, c=card: setattr(
                area, "children", (PostcardEditor(session, ref, c),)))
            buttons.append(button)
        rows = []
        for card in pupil_postcards(session.store, session.workspace, ref):
            open_button = widgets.Button(
                description=f"Open: {content.item(f'module6.postcard.{card.card_type}').text}"
                            f" – {card.strategy[:40] or '(blank)'}",
                layout=widgets.Layout(width="auto"))
            open_button.on_click(lambda _b, c=card: setattr(
                area, "children", (PostcardEditor(session, ref, c.card_type, c.id),)))
            rows.append(open_button)
        return widgets.VBox([widgets.HBox(buttons), *rows, area])

    picker = PupilPicker(known_pupils(session.store, session.workspace), build, pupil)
    return widgets.VBox([intro, picker])


# ------------------------------------------------------------------ survey and cohort


def feedback_form(session: Any) -> widgets.Widget:
    """The feedback survey at the end of the module, saved per practitioner.

    On a served page it is a section, built when it is first opened.
    """
    survey = load_content().item("module6.feedback_survey")
    return part_section(session, survey.title or "", lambda: _feedback(session))


def _feedback(session: Any) -> widgets.VBox:
    """The survey's intro and its form."""
    survey = load_content().item("module6.feedback_survey")
    form = record_form(FeedbackSurvey, store=session.store, workspace=session.workspace,
                       author=session.author, fixed={"practitioner": _who(session)},
                       key=_who(session))
    return widgets.VBox([_html(render_part("intro", heading=survey.title, level=2,
                                    paragraphs=[survey.text])), form])


COHORT_TABLES: dict[str, tuple[Column, ...]] = {
    "activities": (Column("activity", "Activity"),
                   Column("practitioners", "Practitioners who completed it")),
    "quiz": (Column("measure", "Measure"), Column("value", "Figure")),
    "quiz_attempts": (Column("attempts_made", "Attempts made"),
                      Column("practitioners", "Practitioners")),
    "self_ratings": (Column("rating", "Rating"), Column("start", "At the start"),
                     Column("end", "At the end")),
}
"""The page's columns of each table of :func:`~partnerkit.collaborative_working.cohort_summary`
(no activity ids)."""


def cohort_view(session: Any) -> widgets.HTML:
    """The trainer's cohort summary for the session's workspace: counts only, plain tables."""
    tables = [frame_table(frame, COHORT_TABLES[name], caption=COHORT_TITLES[name],
                          empty="Nobody in this workspace has started the module yet.")
              for name, frame in cohort_summary(session.store, session.workspace).items()]
    intro = render_part("cohort_summary", workspace=session.workspace, note=COHORT_NOTE,
                        tables=[])
    return _html(intro + "".join(tables))


FOR_TRAINERS = ("This part is for the cohort's trainer: it shows each participant's "
                "progress and quiz results.")
"""What someone who is not the cohort's trainer sees instead of the cohort."""


def is_trainer(session: Any) -> bool:
    """True when the session's account is the workspace's trainer (or the one local user).

    A session without an account (tests on a raw store) counts as the local user.
    """
    account = session.account
    return account is None or account.role_in(session.workspace) in {TRAINER, LOCAL}


class CohortPanel(widgets.VBox):
    """The trainer's cohort: each participant by name, and a form to lift a quiz lock.

    ``table`` shows :func:`~partnerkit.collaborative_working.data.cohort_progress`;
    ``who`` offers the participants locked out now, ``reason`` says why, and
    :meth:`lift` (the button) records the lift and redraws the table.
    """

    def __init__(self, session: Any) -> None:
        self.session = session
        self.table = _html("")
        self.who = widgets.Dropdown(description="Participant locked out of the quiz",
                                    options=[], style={"description_width": "initial"},
                                    _dom_classes=STACKED)
        self.reason = widgets.Textarea(description="Why you are lifting the lock",
                                       style={"description_width": "initial"},
                                       layout=widgets.Layout(width="100%"),
                                       _dom_classes=STACKED)
        self.button = widgets.Button(description="Lift the lock", icon="unlock",
                                     button_style="warning")
        self.message = _html("")
        self.button.on_click(lambda _b: self.lift())
        self.lift_box = widgets.VBox([
            _html(render_part("intro", heading="Lift a quiz lock", level=4, paragraphs=[
                "A participant locked out after three failed attempts can try again at "
                "once if you lift the lock. Say why: the reason is kept with your name."])),
            self.who, self.reason, self.button])
        super().__init__([style_once(), self.table, self.lift_box, self.message])
        self.refresh()

    def refresh(self) -> None:
        """Redraw the table from the store and offer the participants locked out now."""
        progress = cohort_progress(self.session.store, self.session.workspace,
                                   leave_out=(self.session.author,))
        self.table.value = cohort_progress_html(progress)
        locked = progress[progress["locked_until"].notna()]
        self.who.options = [(row.name, row.practitioner)
                            for row in locked.itertuples(index=False)]
        own_layout(self.lift_box).display = None if len(locked) else "none"

    def lift(self) -> QuizLockLift | None:
        """Lift the chosen participant's lock with the reason typed; say what happened."""
        chosen, label = self.who.value, self.who.label
        if not chosen:
            self._say("Choose the participant whose lock you are lifting.", ok=False)
            return None
        try:
            lifted = lift_lock(self.session.store, self.session.workspace, chosen,
                               self.reason.value, self.session.author)
        except PartnerkitError as exc:
            self._say(f"Not lifted: {exc}", ok=False)
            return None
        self.reason.value = ""
        self.refresh()
        self._say(f"The quiz lock of {label} is lifted: they can take the quiz again.",
                  ok=True)
        return lifted

    def _say(self, text: str, *, ok: bool) -> None:
        self.message.value = render_part("status_message", text=text, ok=ok)


def your_cohort(session: Any) -> widgets.Widget:
    """For the trainer: each participant's progress, lifting a quiz lock, the summary.

    Anyone else sees one plain sentence saying the part is for the trainer.
    """
    if not is_trainer(session):
        return _html(render_part("help_note", note=FOR_TRAINERS))
    return widgets.VBox([CohortPanel(session), cohort_view(session)])
