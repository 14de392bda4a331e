"""The principles pages: a rating form per principle, the starters, the reflection questions.

The only module of the wing that imports ipywidgets. Every fragment of HTML comes from a
Jinja partial in ``templates/parts/`` (autoescaped), never from an f-string.
"""

from __future__ import annotations

import ipywidgets as widgets

from partnerkit.content import Item, load_content
from partnerkit.forms import record_form
from partnerkit.principles.data import compare_raters, load_ratings
from partnerkit.principles.rules import (
    check_rater,
    check_subject,
    conversation_starters,
    groups,
    principle_number,
    principles_of,
)
from partnerkit.records.mapping import Answer
from partnerkit.records.plan import SCHOOL_RATER, PrincipleRating, rater_key
from partnerkit.reports.parts import render_part
from partnerkit.session import Session
from partnerkit.store import Store


def _rated_count(store: Store, workspace: str, rater: str, group: Item) -> int:
    ids = {p.id for p in principles_of(group)}
    return sum(1 for r in load_ratings(store, workspace, rater=rater)
               if r.principle in ids and r.rating is not None)


def _group_panel(session: Session, rater: str, group: Item, on_saved) -> widgets.VBox:
    """One group's panel: its summary, then each principle with its rating form."""
    parts: list[widgets.Widget] = [widgets.HTML(render_part("principle_group_intro",
                                                            group=group))]
    for principle in principles_of(group):
        parts.append(widgets.HTML(render_part(
            "principle_heading", number=principle_number(principle.id), principle=principle)))
        parts.append(record_form(
            PrincipleRating, store=session.store, workspace=session.workspace,
            author=session.author, fixed={"principle": principle.id, "rater": rater},
            key=f"{rater_key(rater)}/{principle.id}", on_saved=on_saved))
    return widgets.VBox(parts)


def rating_forms(session: Session, rater: str = SCHOOL_RATER) -> widgets.Accordion:
    """A rating form (1-5 and evidence) for every principle, one panel per group.

    ``rater`` is "school" or the partner organisation rating for itself (parity). Each
    panel's title counts the principles rated, and follows every save.
    """
    rater = check_rater(rater)
    store, workspace = session.store, session.workspace
    accordion = widgets.Accordion()

    def title(group: Item) -> str:
        done = _rated_count(store, workspace, rater, group)
        return f"{group.number}. {group.title} ({done} of {len(principles_of(group))} rated)"

    panels = [_group_panel(session, rater, group,
                           lambda _r, i=i, g=group: accordion.set_title(i, title(g)))
              for i, group in enumerate(groups())]
    titles = [title(group) for group in groups()]
    accordion.children = panels
    for i, text in enumerate(titles):
        accordion.set_title(i, text)
    accordion.selected_index = 0
    return accordion


def starters_view(store: Store, workspace: str, n: int = 5) -> widgets.HTML:
    """The conversation starters as a list (or a note saying why there are none)."""
    starters = conversation_starters(compare_raters(load_ratings(store, workspace)), n)
    return widgets.HTML(render_part("conversation_starters", starters=starters))


def reflection_view(session: Session, subject: str = "team") -> widgets.VBox:
    """The four partnership reflection questions, each with its sub-questions and an answer.

    ``subject`` is whose reflection it is: "team" for the workspace team's shared
    answers, or a person's name (``session.author``) for their own.
    """
    subject = check_subject(subject)
    content = load_content()
    parts: list[widgets.Widget] = [widgets.HTML(render_part(
        "reflection_context", context=content.item("reflection.context")))]
    for question in content.items("reflection", kind="question"):
        parts.append(widgets.HTML(render_part(
            "reflection_question", question=question,
            subs=content.children(question.id, kind="sub_question"))))
        parts.append(record_form(Answer, store=session.store, workspace=session.workspace,
                                 author=session.author,
                                 fixed={"question": question.id, "subject": subject},
                                 key=f"{subject}/{question.id}"))
    return widgets.VBox(parts)
