"""The collaborative partnership working module (section 6), as interactive views.

Each public function returns a widget, a figure or DataFrames for one step of the
module, in the module's order: the starting self-rating and wheel, sections 6.1 to 6.4
(narrative paraphrased from the content summaries, every activity interactive and saved
per practitioner), Activity 17 with the end self-rating and wheel shown beside the
start, partnership with parents, home/school postcards, the feedback survey, and a
cohort summary for the trainer (counts only, small groups suppressed).

The end-of-module quiz and Activity 16 are in :mod:`partnerkit.collaborative_working.quiz`; the staged
support planner and requests for assistance in :mod:`partnerkit.staged_support`; the
whole reflective log and its export in :mod:`partnerkit.reflective_log`.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import textwrap
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import pandas as pd

from partnerkit.collaborative_working import quiz
from partnerkit.content import Item, load_content
from partnerkit.demo import demo_seeder
from partnerkit.errors import NotFoundError, PartnerkitError
from partnerkit.forms import FORM_CSS, RecordForm, record_form
from partnerkit.records.base import load_record, load_records, save_record
from partnerkit.records.mapping import PupilProfile, check_pupil_ref
from partnerkit.records.module import (
    CARD_TYPES,
    LOG_TASKS,
    MOMENTS,
    WHEEL_AREAS,
    Activity16Answer,
    Attendee,
    FeedbackSurvey,
    LogEntry,
    ParentPartnership,
    Postcard,
    QuizAttempt,
    SelfRating,
    WheelRating,
    practitioner_name,
)
from partnerkit.reports import render_html
from partnerkit.store import Store

SECTIONS = {"6.1": "module6.6_1", "6.2": "module6.6_2", "6.3": "module6.6_3",
            "6.4": "module6.6_4"}
"""The module's sections by number, in order, with their content ids."""

SUPPRESSED = "<5"
"""Shown instead of a count of 1 to 4 people (and of any count that would reveal one)."""

MIN_GROUP = 5


# ------------------------------------------------------------------ narrative


def _who(session: Any) -> str:
    """The session practitioner's name as their records are filed."""
    return practitioner_name(session.author)


def _esc(text: str | None) -> str:
    return html.escape(text or "")


def _list_html(item: Item, ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    rows = "".join(f"<li>{_esc(c.text)}</li>" for c in item.children)
    return f"<{tag}>{rows}</{tag}>"


def _block_html(item: Item, level: int = 3) -> str:
    """An item as a heading, its paraphrased summary (or text) and its list of children."""
    parts = [f"<h{level}>{_esc(item.title or item.text)}</h{level}>"]
    if item.title and item.text and item.text != item.title:
        parts.append(f"<p>{_esc(item.text)}</p>")
    if item.summary:
        parts.append(f"<p>{_esc(item.summary)}</p>")
    return "".join(parts)


def _supports_html(level_id: str) -> str:
    content = load_content()
    level = content.item(level_id)
    areas = "".join(f"<p><b>{_esc(area.title)}</b></p>{_list_html(area)}"
                    for area in level.children)
    return _block_html(level, 4) + areas


def _aspire_html() -> str:
    aspire = load_content().item("module6.aspire")
    rows = "".join(f"<li><b>{_esc(stage.number)}</b> — {_esc(stage.text)}</li>"
                   for stage in aspire.children)
    return (f"<h4>{_esc(aspire.title)}</h4><p>{_esc(aspire.summary)}</p>"
            f'<ul style="list-style:none">{rows}</ul>')


def _html(text: str) -> widgets.HTML:
    return widgets.HTML(text, layout=widgets.Layout(max_width="50em"))


def section_html(number: str) -> str:
    """The narrative of one section (6.1–6.4) as HTML, paraphrased from the content.

    Raises:
        NotFoundError: ``number`` is not one of the module's sections.
    """
    content = load_content()
    section_id = _section_id(number)
    section = content.item(section_id)
    parts = [f"<h2>{_esc(section.number)} {_esc(section.title)}</h2>",
             f"<p>{_esc(section.summary)}</p>"]
    if number == "6.1":
        video = content.item("module6.activity14")
        parts += [f"<h4>{_esc(video.title)}</h4><p>{_esc(video.text)} (The film is in the "
                  "online module.)</p>", _aspire_html(), _supports_html("module6.universal"),
                  _supports_html("module6.targeted"),
                  "<p><i>Plan staged support for one pupil in the Staged support "
                  "workbook.</i></p>"]
    elif number == "6.2":
        barriers = content.item("module6.parent_barriers")
        contributions = content.item("module6.parent_contributions")
        video = content.item("module6.activity15")
        parts += [f"<h4>{_esc(barriers.title)}</h4><p>{_esc(barriers.text)}</p>",
                  _list_html(barriers),
                  f"<h4>{_esc(contributions.title)}</h4><p>{_esc(contributions.text)}</p>",
                  _list_html(contributions),
                  f"<h4>{_esc(video.title)}</h4><p>{_esc(video.text)} (The film is in the "
                  "online module.)</p>"]
    elif number == "6.3":
        services = content.item("module6.services")
        request = content.item("module6.request_for_assistance")
        steps = "".join(f"<li><b>{_esc(s.title)}.</b> {_esc(s.text)}</li>"
                        for s in request.children)
        parts += [f"<h4>{_esc(services.title)}</h4><p>{_esc(services.text)}:</p>",
                  _list_html(services), f"<h4>{_esc(request.title)}</h4>"
                  f"<p>{_esc(request.summary)}</p><ol>{steps}</ol>",
                  "<p><i>Record a request for assistance for one pupil in the Staged "
                  "support workbook.</i></p>"]
    return "".join(parts)


def _section_id(number: str) -> str:
    key = str(number).strip()
    if key not in SECTIONS:
        raise NotFoundError("is not a section of this module", value=number,
                            where="section", fix=f"use one of {', '.join(SECTIONS)}")
    return SECTIONS[key]


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
        parts += [reflective_task(session, "module6.task_6_2"), _strategies_accordion(),
                  _html(_block_html(load_content().item("module6.postcards"), 4))]
    elif number == "6.4":
        parts += [quiz.activity16_widget(session),
                  reflective_task(session, "module6.task_effective_collaboration"),
                  reflective_task(session, "module6.task_optional_effective_collaboration")]
    return widgets.VBox(parts)


def _strategies_accordion() -> widgets.Accordion:
    strategies = load_content().item("module6.strategies")
    body = _html(f"<p>{_esc(strategies.summary)}</p>{_list_html(strategies)}")
    accordion = widgets.Accordion(children=[body], selected_index=None)
    accordion.set_title(0, f"{strategies.title}: {strategies.text} (open after writing "
                           "your notes)")
    return accordion


# ------------------------------------------------------------------ reflective log forms


def log_entry_form(session: Any, task_id: str) -> widgets.VBox:
    """The log entry for one reflective task or prompt: its wording and a saved text box.

    Raises:
        NotFoundError: ``task_id`` is not a reflective-log prompt of the module.
    """
    if task_id not in LOG_TASKS:
        raise NotFoundError("is not a reflective-log task of this module", value=task_id,
                            where="reflective log", fix=f"use one of {', '.join(LOG_TASKS)}")
    item = load_content().item(task_id)
    key = f"{_who(session)}/{task_id}"
    form = record_form(LogEntry, store=session.store, workspace=session.workspace,
                       author=session.author,
                       fixed={"practitioner": _who(session), "task": task_id}, key=key)
    label = f"{item.number}. " if item.kind == "prompt" and item.number else ""
    return widgets.VBox([_html(f"<p><b>{_esc(label)}{_esc(item.text)}</b></p>"), form])


def reflective_task(session: Any, task_id: str) -> widgets.VBox:
    """A reflective task: its wording and one log entry per prompt (or one for the task)."""
    item = load_content().item(task_id)
    intro = _html(f"<h3>{_esc(item.title)}</h3><p>{_esc(item.text)}</p>"
                  + (f"<p><i>{_esc(item.summary)}</i></p>" if item.summary else ""))
    prompts = [c.id for c in item.children if c.id in LOG_TASKS]
    if task_id in LOG_TASKS:
        form = record_form(LogEntry, store=session.store, workspace=session.workspace,
                           author=session.author,
                           fixed={"practitioner": _who(session), "task": task_id},
                           key=f"{_who(session)}/{task_id}")
        return widgets.VBox([intro, form])
    return widgets.VBox([intro, *(log_entry_form(session, p) for p in prompts)])


# ------------------------------------------------------------------ ratings


def _moment(moment: str) -> str:
    if moment not in MOMENTS:
        raise PartnerkitError("is not a moment of the module", value=moment, where="rating",
                              fix="use 'start' or 'end'")
    return moment


def self_rating_form(session: Any, moment: str) -> RecordForm:
    """The 1–5 self-rating of knowledge and understanding of inclusion, at start or end."""
    scale = load_content().item("module6.self_rating")
    return record_form(SelfRating, store=session.store, workspace=session.workspace,
                       author=session.author, key=f"{_who(session)}/{_moment(moment)}",
                       fixed={"practitioner": _who(session), "moment": moment},
                       title=f"{scale.text} ({'start' if moment == 'start' else 'now'})")


def wheel_form(session: Any, moment: str) -> RecordForm:
    """The self-evaluation wheel (one 1–5 rating per area), at the start or the end."""
    return record_form(WheelRating, store=session.store, workspace=session.workspace,
                       author=session.author, key=f"{_who(session)}/{_moment(moment)}",
                       fixed={"practitioner": _who(session), "moment": moment},
                       title=f"Self-evaluation wheel ({'start' if moment == 'start' else 'end'}"
                             " of the module)")


WHEEL_NOTE = ("The wheel's areas are partnerkit's, drawn from this section's themes (the "
              "module names the wheel but does not list its areas).")


def before_you_start(session: Any) -> widgets.VBox:
    """Activity 1 revisited: the starting self-rating and self-evaluation wheel."""
    activity = load_content().item("module6.activity17")
    return widgets.VBox([
        _html(f"<h2>Before you start</h2><p>{_esc(activity.summary)}</p>"
              f"<p>Rate yourself now; at the end (Activity 17) you will rate yourself again "
              f"and see both side by side.</p><p><i>{_esc(WHEEL_NOTE)}</i></p>"),
        self_rating_form(session, "start"), wheel_form(session, "start")])


def activity17(session: Any) -> widgets.VBox:
    """Activity 17: the final log entry, the end self-rating and the end wheel."""
    item = load_content().item("module6.activity17")
    parts: list[widgets.Widget] = [
        _html(f"<h2>{_esc(item.title)}</h2><p>{_esc(item.summary)}</p><p>{_esc(item.text)}</p>")]
    for prompt in item.children:
        parts.append(_html(f"<p><b>{_esc(prompt.number)}. {_esc(prompt.text)}</b></p>"))
        if prompt.id in LOG_TASKS:
            if prompt.number == "3":
                parts.append(wheel_form(session, "end"))
            parts.append(record_form(LogEntry, store=session.store,
                                     workspace=session.workspace, author=session.author,
                                     fixed={"practitioner": _who(session), "task": prompt.id},
                                     key=f"{_who(session)}/{prompt.id}"))
        else:
            parts.append(self_rating_form(session, "end"))
    return widgets.VBox(parts)


def self_ratings(store: Store, workspace: str, practitioner: str) -> dict[str, int | None]:
    """A practitioner's self-rating at the start and the end (None where not yet rated)."""
    found = {}
    for moment in MOMENTS:
        record = load_record(store, workspace, SelfRating, f"{practitioner}/{moment}")
        found[moment] = record.rating if record else None
    return found


def _rating_cell(rating: int | None) -> str:
    if rating is None:
        return '<td style="font-size:1.1em">not rated yet</td>'
    label = load_content().item(f"module6.self_rating.{rating}").text
    dots = "●" * rating + "○" * (5 - rating)
    return (f'<td style="font-size:1.3em"><span aria-hidden="true">{dots}</span> '
            f"<b>{_esc(label)}</b></td>")


def self_rating_html(store: Store, workspace: str, practitioner: str) -> str:
    """The start and end self-ratings side by side, with the change, as HTML."""
    ratings = self_ratings(store, workspace, practitioner)
    start, end = ratings["start"], ratings["end"]
    if start is not None and end is not None:
        change = end - start
        moved = ("the same as at the start" if change == 0 else
                 f"{abs(change)} point{'s' if abs(change) != 1 else ''} "
                 f"{'higher' if change > 0 else 'lower'} than at the start")
        note = f"Your rating now is {moved}."
    else:
        note = "Rate yourself at the start and again in Activity 17 to compare."
    scale = load_content().item("module6.self_rating")
    return (f"<h3>{_esc(scale.text)}</h3><table style=\"width:auto\"><tr><th>At the start</th>"
            f"<th>At the end</th></tr><tr>{_rating_cell(start)}{_rating_cell(end)}</tr>"
            f"</table><p>{_esc(note)}</p>")


def self_rating_comparison(session: Any) -> widgets.HTML:
    """The session practitioner's start and end self-ratings side by side."""
    return _html(self_rating_html(session.store, session.workspace, _who(session)))


def wheel_chart(store: Store, workspace: str, practitioner: str) -> Any:
    """The self-evaluation wheel: start and end drawn one over the other (a radar chart).

    Returns a matplotlib Figure. An unrated area is drawn at 0 and named in the title.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    wheels = {m: load_record(store, workspace, WheelRating, f"{practitioner}/{m}")
              for m in MOMENTS}
    labels = [textwrap.fill(label, 16) for label, _ in WHEEL_AREAS.values()]
    angles = np.linspace(0, 2 * np.pi, len(labels), endpoint=False)
    fig = plt.figure(figsize=(6.5, 6.5))
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_xticks(angles, labels, fontsize=8)
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5])
    styles = {"start": {"color": "#1f77b4", "linestyle": "--", "label": "Start"},
              "end": {"color": "#d95f02", "linestyle": "-", "label": "End"}}
    missing = []
    for moment, wheel in wheels.items():
        if wheel is None:
            continue
        values = [v or 0 for v in wheel.ratings().values()]
        missing += [f"{moment}: {WHEEL_AREAS[a][0]}" for a, v in wheel.ratings().items()
                    if v is None]
        closed = np.append(values, values[0])
        loop = np.append(angles, angles[0])
        ax.plot(loop, closed, linewidth=2, **styles[moment])
        ax.fill(loop, closed, alpha=0.12, color=styles[moment]["color"])
    title = "Self-evaluation wheel: start and end"
    if not any(wheels.values()):
        title += "\n(not completed yet)"
    elif missing:
        title += f"\n({len(missing)} area rating{'s' if len(missing) != 1 else ''} not given yet)"
    ax.set_title(title, fontsize=11, pad=24)
    if any(wheels.values()):
        ax.legend(loc="upper right", bbox_to_anchor=(1.15, 1.12))
    plt.close(fig)
    return fig


def wheel_figure(session: Any) -> Any:
    """The session practitioner's wheel, start over end, as a matplotlib Figure."""
    return wheel_chart(session.store, session.workspace, _who(session))


# ------------------------------------------------------------------ pupils and families


def known_pupils(store: Store, workspace: str) -> list[str]:
    """Pupil references known in the workspace (profiles, plans, postcards), sorted."""
    refs = {p.pupil for p in load_records(store, workspace, PupilProfile)}
    refs |= {p.pupil for p in load_records(store, workspace, ParentPartnership)}
    return sorted(refs)


def pupil_ref(value: Any) -> str:
    """Check a pupil reference typed or passed in; raise PartnerkitError saying the rule."""
    try:
        return check_pupil_ref(str(value or ""))
    except ValueError as exc:
        raise PartnerkitError(str(exc), value=value, where="pupil",
                              fix="type the pupil's pseudonymous reference") from None


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
        """Show what belongs to this pupil, or say why the reference is not valid."""
        try:
            pupil = pupil_ref(value)
        except PartnerkitError as exc:
            self.message.value = f'<div class="pk-error" role="alert">{_esc(str(exc))}</div>'
            return None
        self.message.value = ""
        shown = self.build(pupil)
        self.body.children = (shown,)
        return shown


def parent_partnership_form(session: Any, pupil: str) -> RecordForm:
    """Partnership with one pupil's parents/carers: barriers, strategies, meeting set-up."""
    pupil = pupil_ref(pupil)
    return record_form(ParentPartnership, store=session.store, workspace=session.workspace,
                       author=session.author, fixed={"pupil": pupil}, key=pupil,
                       title=f"Partnership with the parents/carers of {pupil}")


def parent_partnership(session: Any, pupil: str | None = None) -> widgets.VBox:
    """Pick a pupil, then plan partnership with their parents/carers (saved as you type)."""
    content = load_content()
    intro = _html(f"<h3>{_esc(content.item('module6.6_2').title)}: a plan for one family</h3>"
                  "<p>Tick the reasons these parents/carers may not feel comfortable, the "
                  "strategies you will use, and prepare the next meeting.</p>")
    picker = PupilPicker(known_pupils(session.store, session.workspace),
                         lambda p: parent_partnership_form(session, p), pupil)
    return widgets.VBox([intro, picker])


def postcard_html(postcard: Postcard, workspace: str) -> str:
    """A printable home/school postcard (HTML through ``templates/postcard.html.j2``)."""
    heading = load_content().item(f"module6.postcard.{postcard.card_type}")
    return render_html("postcard.html.j2", workspace=workspace, frameworks=["module6"],
                       title=heading.text, heading=heading.text, kind=heading.title,
                       card=postcard)


def _download_link(text: str, filename: str, label: str) -> str:
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (f'<a download="{html.escape(filename)}" href="data:text/html;base64,{data}">'
            f"{html.escape(label)}</a>")


class PostcardEditor(widgets.VBox):
    """One postcard's form, with a printable preview and a download link."""

    def __init__(self, session: Any, pupil: str, card_type: str,
                 postcard_id: str | None = None) -> None:
        self.session = session
        heading = load_content().item(f"module6.postcard.{card_type}").text
        key = f"{pupil}/{postcard_id}" if postcard_id else None
        fixed: dict[str, Any] = {"pupil": pupil, "card_type": card_type}
        if postcard_id:
            fixed["id"] = postcard_id
        self.form = record_form(Postcard, store=session.store, workspace=session.workspace,
                                author=session.author, fixed=fixed, key=key,
                                title=f"{heading} ({pupil})", on_saved=self._saved)
        labels = {"try_at_home": ("What to try at home", "How to do it"),
                  "tried_at_home": ("What we tried at home", "How it went")}[card_type]
        self.form.editors["strategy"].input.description = labels[0]
        self.form.editors["details"].input.description = labels[1]
        self.preview = widgets.HTML("")
        super().__init__([self.form, self.preview])
        if self.form.record is not None:
            self._saved(self.form.record)

    def _saved(self, record: Any) -> None:
        page = postcard_html(record, self.session.workspace)
        name = f"postcard-{record.pupil}-{record.card_type}-{record.id}.html"
        self.preview.value = (
            f'<p>{_download_link(page, name, "Download the printable postcard")} '
            "(open it and print)</p><iframe title=\"Postcard preview\" style=\"width:100%;"
            f'height:22em;border:1px solid #999" srcdoc="{html.escape(page)}"></iframe>')


def postcards(session: Any, pupil: str | None = None) -> widgets.VBox:
    """Home/school postcards for a pupil: write a new one or edit one already written."""
    content = load_content()
    intro = _html(_block_html(content.item("module6.postcards"), 3))

    def build(ref: str) -> widgets.Widget:
        area = widgets.VBox()
        buttons = []
        for card in CARD_TYPES:
            text = content.item(f"module6.postcard.{card}").text
            button = widgets.Button(description=f"New: {text}",
                                    layout=widgets.Layout(width="auto"))
            button.on_click(lambda _b, c=card: setattr(
                area, "children", (PostcardEditor(session, ref, c),)))
            buttons.append(button)
        written = load_records(session.store, session.workspace, Postcard, prefix=f"{ref}/")
        rows = []
        for card in written:
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


# ------------------------------------------------------------------ feedback survey


def feedback_form(session: Any) -> widgets.VBox:
    """The feedback survey at the end of the module, saved per practitioner."""
    survey = load_content().item("module6.feedback_survey")
    form = record_form(FeedbackSurvey, store=session.store, workspace=session.workspace,
                       author=session.author, fixed={"practitioner": _who(session)},
                       key=_who(session))
    return widgets.VBox([_html(f"<h2>{_esc(survey.title)}</h2><p>{_esc(survey.text)}</p>"),
                         form])


# ------------------------------------------------------------------ cohort summary


def suppress(counts: list[int], *, partition: bool = True) -> list[int | str]:
    """Replace counts of 1–4 people by :data:`SUPPRESSED`.

    With ``partition`` (the counts split one group, so their total may be known), a
    single hidden count could be worked out from the others, so the smallest shown
    non-zero count is hidden as well.
    """
    shown: list[int | str] = [SUPPRESSED if 0 < c < MIN_GROUP else c for c in counts]
    if partition:
        hidden = [i for i, c in enumerate(counts) if 0 < c < MIN_GROUP]
        others = sorted((c, i) for i, c in enumerate(counts) if c >= MIN_GROUP)
        if len(hidden) == 1 and others:
            shown[others[0][1]] = SUPPRESSED
    return shown


def _nonblank_entries(entries: list[LogEntry]) -> dict[str, set[str]]:
    done: dict[str, set[str]] = {}
    for entry in entries:
        if entry.text.strip():
            done.setdefault(entry.practitioner, set()).add(entry.task)
    return done


def _completion(store: Store, workspace: str) -> list[tuple[str, str, set[str]]]:
    """(content id, label, practitioners who completed it) for every activity, in order."""
    content = load_content()
    ratings = load_records(store, workspace, SelfRating)
    wheels = load_records(store, workspace, WheelRating)
    logs = _nonblank_entries(load_records(store, workspace, LogEntry))
    answers = load_records(store, workspace, Activity16Answer)
    surveys = load_records(store, workspace, FeedbackSurvey)

    def rated(moment: str) -> set[str]:
        return {r.practitioner for r in ratings if r.moment == moment and r.rating}

    def wheeled(moment: str) -> set[str]:
        return {w.practitioner for w in wheels
                if w.moment == moment and any(v is not None for v in w.ratings().values())}

    def logged(prefix: str, at_least: int) -> set[str]:
        return {p for p, tasks in logs.items()
                if sum(t == prefix or t.startswith(prefix + ".") for t in tasks) >= at_least}

    a17 = {p for p, tasks in logs.items()
           if {t for t in LOG_TASKS if t.startswith("module6.activity17.")} <= tasks}
    title = {i: content.item(i).title or content.item(i).text for i in (
        "module6.task_6_2", "module6.activity16", "module6.task_effective_collaboration",
        "module6.task_optional_effective_collaboration", "module6.activity17",
        "module6.feedback_survey")}
    return [
        ("module6.self_rating", "Self-rating at the start", rated("start")),
        ("module6.self_rating", "Self-evaluation wheel at the start", wheeled("start")),
        ("module6.task_6_2", title["module6.task_6_2"], logged("module6.task_6_2", 1)),
        ("module6.activity16", title["module6.activity16"],
         {a.practitioner for a in answers if a.chosen}),
        ("module6.task_effective_collaboration",
         title["module6.task_effective_collaboration"] + " (2 or more questions)",
         logged("module6.task_effective_collaboration", 2)),
        ("module6.task_optional_effective_collaboration",
         title["module6.task_optional_effective_collaboration"],
         logged("module6.task_optional_effective_collaboration", 1)),
        ("module6.activity17", title["module6.activity17"] + " (log entries)", a17),
        ("module6.self_rating", "Self-rating at the end", rated("end")),
        ("module6.self_rating", "Self-evaluation wheel at the end", wheeled("end")),
        ("module6.feedback_survey", title["module6.feedback_survey"],
         {s.practitioner for s in surveys if s.is_answered()}),
    ]


ACTIVITY_COLUMNS = ["activity_id", "activity", "practitioners"]
QUIZ_COLUMNS = ["measure", "value"]
ATTEMPTS_COLUMNS = ["attempts_made", "practitioners"]
RATING_COLUMNS = ["rating", "start", "end"]


def cohort_summary(store: Store, workspace: str) -> dict[str, pd.DataFrame]:
    """How a training cohort is doing: counts only, no names, small groups suppressed.

    Any count of 1 to 4 practitioners is shown as :data:`SUPPRESSED` ("<5"), and so is
    any count from which a hidden one could be worked out. The cohort's size and the
    total number of quiz attempts are not shown, since either would let hidden counts
    be worked out from the others.

    Returns:
        A dict of DataFrames with fixed columns:
        ``activities`` (:data:`ACTIVITY_COLUMNS`): practitioners who completed each
        activity; ``quiz`` (:data:`QUIZ_COLUMNS`): attempted, passed, not passed yet and
        pass rate; ``quiz_attempts`` (:data:`ATTEMPTS_COLUMNS`):
        practitioners by number of attempts made; ``self_ratings``
        (:data:`RATING_COLUMNS`): practitioners at each rating, before and after.
    """
    completion = _completion(store, workspace)
    shown = suppress([len(done) for _, _, done in completion], partition=False)
    activities = pd.DataFrame(
        [{"activity_id": cid, "activity": label, "practitioners": count}
         for (cid, label, _), count in zip(completion, shown, strict=True)],
        columns=ACTIVITY_COLUMNS)
    return {"activities": activities, **_quiz_tables(store, workspace),
            "self_ratings": _rating_table(store, workspace)}


def _quiz_tables(store: Store, workspace: str) -> dict[str, pd.DataFrame]:
    made = load_records(store, workspace, QuizAttempt)
    by_person: dict[str, list[QuizAttempt]] = {}
    for attempt in made:
        by_person.setdefault(attempt.practitioner, []).append(attempt)
    attempted = len(by_person)
    passed = sum(any(a.passed for a in tries) for tries in by_person.values())
    passed_shown, not_passed_shown = suppress([passed, attempted - passed])
    total_shown = suppress([attempted], partition=False)[0]
    rate = (f"{passed / attempted:.0%}" if attempted and SUPPRESSED not in
            (passed_shown, not_passed_shown) else ("–" if not attempted else SUPPRESSED))
    quiz_table = pd.DataFrame([
        {"measure": "Practitioners who attempted the quiz", "value": total_shown},
        {"measure": "Practitioners who passed", "value": passed_shown},
        {"measure": "Practitioners who have not passed yet", "value": not_passed_shown},
        {"measure": "Pass rate (of those who attempted)", "value": rate},
    ], columns=QUIZ_COLUMNS)
    bands = ["1", "2", "3", "4 or more"]
    counts = [sum(min(len(t), 4) == n for t in by_person.values()) for n in range(1, 5)]
    attempts_table = pd.DataFrame(
        {"attempts_made": bands, "practitioners": suppress(counts)}, columns=ATTEMPTS_COLUMNS)
    return {"quiz": quiz_table, "quiz_attempts": attempts_table}


def _rating_table(store: Store, workspace: str) -> pd.DataFrame:
    content = load_content()
    ratings = load_records(store, workspace, SelfRating)
    columns = {}
    for moment in MOMENTS:
        counts = [sum(r.moment == moment and r.rating == n for r in ratings)
                  for n in range(1, 6)]
        columns[moment] = suppress(counts)
    labels = [content.item(f"module6.self_rating.{n}").text for n in range(1, 6)]
    return pd.DataFrame({"rating": labels, **columns}, columns=RATING_COLUMNS)


def cohort_html(store: Store, workspace: str) -> str:
    """The cohort summary's tables as HTML for the trainer (no names)."""
    tables = cohort_summary(store, workspace)
    titles = {"activities": "Practitioners who completed each activity",
              "quiz": "End-of-module quiz", "quiz_attempts": "Attempts made per practitioner",
              "self_ratings": "Self-ratings of knowledge and understanding of inclusion"}
    parts = [f"<h3>{_esc(titles[name])}</h3>{frame.to_html(index=False, escape=True)}"
             for name, frame in tables.items()]
    note = (f"Counts only, no names. Any group of fewer than {MIN_GROUP} people is shown as "
            f"'{SUPPRESSED}', and so is any count that would let a hidden one be worked out.")
    return f"<h2>Cohort summary: {_esc(workspace)}</h2><p><i>{_esc(note)}</i></p>" + "".join(parts)


def cohort_view(session: Any) -> widgets.HTML:
    """The trainer's cohort summary for the session's workspace."""
    return _html(cohort_html(session.store, session.workspace))


# ------------------------------------------------------------------ demo data


DEMO_COHORT: dict[str, dict[str, Any]] = {
    # name: start rating, end rating, how far they have got (1 just started … 5 done), and
    # the score of each quiz attempt made
    "Aisha Rahman": {"start": 2, "end": 4, "stage": 5, "quiz": [0.9]},
    "Ben Kowalski": {"start": 3, "end": 4, "stage": 5, "quiz": [0.6, 0.8]},
    "Carys Jones": {"start": 2, "end": 4, "stage": 5, "quiz": [0.7, 0.9]},
    "Daniel Murray": {"start": 2, "end": 5, "stage": 5, "quiz": [1.0]},
    "Eilidh MacLeod": {"start": 3, "end": 4, "stage": 5, "quiz": [0.8]},
    "Jamie Robertson": {"start": 2, "end": 5, "stage": 5, "quiz": [0.9]},
    "Kirsty Paterson": {"start": 3, "end": 5, "stage": 5, "quiz": [0.7, 0.8]},
    "Liam O'Neill": {"start": 2, "end": 4, "stage": 5, "quiz": [0.8]},
    "Morag Grant": {"start": 3, "end": 5, "stage": 5, "quiz": [1.0]},
    "Niamh Kerr": {"start": 3, "end": 5, "stage": 5, "quiz": [0.6, 0.9]},
    "Farah Said": {"start": 2, "end": None, "stage": 4, "quiz": [0.5, 0.6, 0.7]},
    "Gordon Bell": {"start": 3, "end": None, "stage": 3, "quiz": []},
    "Hannah Lee": {"start": 2, "end": None, "stage": 2, "quiz": []},
    "Iain Fraser": {"start": 1, "end": None, "stage": 1, "quiz": []},
}
"""The demo training cohort: fictional practitioners at various stages of the module."""

_DEMO_TEXT = {
    "module6.task_6_2": "Phoning with good news first, not only when there is a problem. "
                        "Parents tell us the home-school link worker's texts help.",
    "module6.task_effective_collaboration.1": "Weekly pupil support meetings where the "
                                              "youth worker joins by video.",
    "module6.task_effective_collaboration.2": "We could send a short summary after each "
                                              "review to everyone involved, including the "
                                              "family.",
    "module6.task_effective_collaboration.3": "Requests go through the Pupil Support "
                                              "Team; I add notes from my class.",
    "module6.task_optional_effective_collaboration.1": "Working with the school nurse on a "
                                                       "health plan: clear roles helped.",
    "module6.activity17.2": "I now check the staged support already in place before "
                            "suggesting a referral, and I share strategies with families.",
    "module6.activity17.3": "My wheel grew most in partnership with parents and in knowing "
                            "which partner services to involve.",
}


def _demo_wheel(practitioner: str, moment: str, base: int) -> WheelRating:
    values = {area: max(1, min(5, base + (i % 3) - 1)) for i, area in enumerate(WHEEL_AREAS)}
    return WheelRating(practitioner=practitioner, moment=moment, **values)


def _demo_answers(attempt: int, score: float) -> dict[str, list[str]]:
    questions = quiz.draw_questions(attempt)
    right = round(score * len(questions))
    answers = {}
    for i, question in enumerate(questions):
        if i < right:
            answers[question.id] = sorted(question.correct_ids)
        else:
            wrong = [o.id for o in question.options if not o.correct]
            answers[question.id] = [wrong[0]]
    return answers


def _demo_records(store: Store, name: str, plan: dict[str, Any]) -> list[Any]:
    stage = plan["stage"]
    records: list[Any] = [SelfRating(practitioner=name, moment="start", rating=plan["start"]),
                          _demo_wheel(name, "start", plan["start"])]
    tasks = ["module6.task_6_2"] if stage >= 2 else []
    if stage >= 3:
        tasks += ["module6.task_effective_collaboration.1",
                  "module6.task_effective_collaboration.2"]
        letters = (["a", "b", "c", "d", "f"] if stage >= 4 else ["a", "b", "g"])
        records.append(Activity16Answer(practitioner=name, chosen=letters))
    if stage >= 5:
        tasks += ["module6.task_effective_collaboration.3",
                  "module6.task_optional_effective_collaboration.1",
                  "module6.activity17.2", "module6.activity17.3"]
        records += [SelfRating(practitioner=name, moment="end", rating=plan["end"]),
                    _demo_wheel(name, "end", plan["end"]),
                    FeedbackSurvey(practitioner=name, overall=4, most_useful=["6_2", "6_3"],
                                   useful="The postcards and the request checklist.",
                                   improve="More time for the reflective tasks.")]
    records += [LogEntry(practitioner=name, task=t, text=_DEMO_TEXT[t]) for t in tasks]
    now = store.clock()
    count = len(plan["quiz"])
    for number, score in enumerate(plan["quiz"], start=1):
        answers = _demo_answers(number, score)
        graded = quiz.grade(quiz.draw_questions(number), answers)
        records.append(QuizAttempt(
            practitioner=name, attempt=number, question_ids=list(answers), answers=answers,
            correct=graded.correct, score=graded.score, passed=graded.passed,
            submitted_at=now - dt.timedelta(minutes=40 * (count - number + 1))))
    return records


_DEMO_FAMILY = ParentPartnership(
    pupil="P-1001", barriers=["3"], strategies=["1", "4", "5", "6"],
    barrier_notes="Mum cares for a younger sibling and finds daytime meetings hard.",
    strategy_plan="Offer an early-evening meeting; text the agenda a week ahead.",
    agenda="1. What is going well\n2. Mornings and lateness\n3. Next steps together",
    attendees=[Attendee(name="Mr Khan", role="Pupil support teacher"),
               Attendee(name="Sam Reid", role="Youth worker, Eastfield Youth Project")],
    attendees_sent=True, support_person_welcome=True, parents_seated_first=True)

_DEMO_POSTCARDS = (
    Postcard(pupil="P-1001", id="demo-pc1", card_type="try_at_home", to="Parents/carers",
             strategy="A picture checklist for the morning routine.",
             details="Stick it by the door; tick each step together for a week.",
             sender="Mr Khan", date_sent=dt.date(2026, 9, 14)),
    Postcard(pupil="P-1004", id="demo-pc2", card_type="tried_at_home", to="Class teacher",
             strategy="Ear defenders on the walk to school.",
             details="He arrived calmer on four days out of five.", sender="Mum"),
)


@demo_seeder
def seed(store: Store, workspace: str, author: str) -> int:
    """Add the demo cohort's module answers, a family plan and postcards (idempotent)."""
    count = 0
    for name, plan in DEMO_COHORT.items():
        for record in _demo_records(store, name, plan):
            count += _save_new(store, workspace, record, name)
    for record in (_DEMO_FAMILY, *_DEMO_POSTCARDS):
        count += _save_new(store, workspace, record, author)
    entry = LogEntry(practitioner="Aisha Rahman", task="module6.task_6_2",
                     text=_DEMO_TEXT["module6.task_6_2"])
    if len(store.history(workspace, entry.kind, entry.record_key())) == 1:
        edited = entry.model_copy(update={"text": entry.text + " A parents' WhatsApp "
                                          "group run by the Parent Council works too."})
        save_record(store, workspace, edited, "Aisha Rahman")
    return count


def _save_new(store: Store, workspace: str, record: Any, author: str) -> int:
    if store.get(workspace, record.kind, record.record_key()) is not None:
        return 0
    save_record(store, workspace, record, author)
    return 1


__all__ = [
    "SECTIONS", "SUPPRESSED", "activity17", "before_you_start",
    "cohort_html", "cohort_summary", "cohort_view", "feedback_form", "known_pupils",
    "log_entry_form", "parent_partnership", "parent_partnership_form", "postcard_html",
    "postcards", "reflective_task", "section", "section_html", "self_rating_comparison",
    "self_rating_form", "self_rating_html", "self_ratings", "suppress", "wheel_chart",
    "wheel_figure", "wheel_form",
]
