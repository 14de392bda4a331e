"""The principles pages: a rating form per principle, the wheels, the starters, the questions.

The only module of the wing that imports ipywidgets. Every fragment of HTML comes from a
Jinja partial in ``templates/parts/`` (autoescaped), never from an f-string.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
from IPython.display import HTML

from partnerkit.access import ROLES
from partnerkit.content import Item, load_content
from partnerkit.forms import record_form
from partnerkit.forms.looks import STACKED
from partnerkit.forms.sections import LazySections, lazy_section
from partnerkit.principles.data import compare_raters, compare_ratings, load_ratings, raters
from partnerkit.principles.rules import (
    check_rater,
    check_subject,
    conversation_starters,
    display_rater,
    groups,
    is_school,
    own_rater,
    principle_number,
    principles_of,
    rating_decision,
)
from partnerkit.records.mapping import Answer
from partnerkit.records.plan import SCHOOL_RATER, PrincipleRating, rater_key
from partnerkit.reports.cells import format_number, is_missing
from partnerkit.reports.frames import Column, frame_table
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


def _accordion(session: Session, rater: str) -> LazySections:
    """A rating form (1-5 and evidence) for every principle as ``rater``, a panel per group.

    The first group is open. On a served page a group's forms are built when the group
    is first opened (the page sends 6 headings, not 42 forms); each title counts the
    principles rated and follows every save.
    """
    store, workspace = session.store, session.workspace

    def title(group: Item) -> str:
        done = _rated_count(store, workspace, rater, group)
        return f"{group.number}. {group.title} ({done} of {len(principles_of(group))} rated)"

    def panel(i: int, group: Item) -> widgets.VBox:
        return _group_panel(session, rater, group,
                            lambda _r: accordion.retitle(i, title(group)))

    accordion = LazySections([(title(group), lambda i=i, g=group: panel(i, g))
                              for i, group in enumerate(groups())],
                             opened=0, lazy=session.served)
    return accordion


def rater_choices(session: Session, rater: str) -> list[str]:
    """The raters the page offers: only those the session's account may rate as.

    A signed-in account rates as one rater (its organisation, or the school: asked for
    another, the page offers its own), and not at all if its role does not rate; the one
    local user (or a test without an account) may rate as ``rater``, the school, or any
    partner who has rated already.
    """
    account = session.account
    if account is not None and not account.local:
        own = own_rater(account, session.workspace)
        return [r for r in dict.fromkeys([rater, own])
                if rating_decision(account, session.workspace, r)][:1]
    offered = {rater_key(r): r for r in (rater, SCHOOL_RATER,
                                         *raters(session.store, session.workspace))}
    return list(offered.values())


def _whose(rater: str) -> str:
    if is_school(rater):
        return "You are rating as the school."
    return (f"You are rating as {rater}, the partner organisation you speak for. The school "
            "rates separately; the comparison below sets the two side by side.")


class RatingForms(widgets.VBox):
    """Whose rating this is, then a rating form for every principle, a panel per group.

    ``choice`` is the "Whose rating is this?" question when the page may offer more than
    one rater (the one local user), else None; ``accordion`` holds the forms of the
    chosen rater; each panel's title counts the principles rated and follows every save.
    """

    def __init__(self, session: Session, offered: list[str]) -> None:
        self.session = session
        self.rater = offered[0]
        self.accordion = _accordion(session, self.rater)
        self.choice: widgets.RadioButtons | None = None
        if len(offered) == 1:
            head: widgets.Widget = widgets.HTML(render_part(
                "intro", heading="Whose rating is this?", level=4,
                paragraphs=[_whose(self.rater)]))
        else:
            self.choice = widgets.RadioButtons(
                options=[(display_rater(r), r) for r in offered], value=self.rater,
                description="Whose rating is this?", style={"description_width": "initial"},
                _dom_classes=STACKED)
            self.choice.observe(lambda change: self.show(change["new"]), names="value")
            head = self.choice
        super().__init__([head, self.accordion])

    def show(self, rater: str) -> None:
        """Show the forms of another rater the page offers."""
        self.rater = rater
        self.accordion = _accordion(self.session, rater)
        self.children = (self.children[0], self.accordion)


def rating_forms(session: Session, rater: str = SCHOOL_RATER) -> widgets.Widget:
    """Whose rating this is, and a rating form (1-5 and evidence) for every principle.

    ``rater`` is whose rating the page is (:func:`~partnerkit.principles.data.whose_rating`):
    "school" or a partner organisation rating for itself (parity). The page offers only
    raters the account may rate as; an account that does not rate (a trainer) is told so
    in one sentence and sees the ratings below.
    """
    rater = check_rater(rater)
    offered = rater_choices(session, rater)
    if offered:
        return RatingForms(session, offered)
    role = session.account.role_in(session.workspace) if session.account else None
    return widgets.HTML(render_part("help_note", note=(
        f"As {ROLES.get(role or '', role or 'a visitor')} you can see the ratings below but not "
        "rate the principles here: school staff rate as the school, and partners as their "
        "own organisation.")))


def wheel_view(session: Session, *, rater: str = SCHOOL_RATER, over_time: bool = False
               ) -> Any:
    """The principles wheel (see :func:`~partnerkit.principles.wheel.wheel_figure`).

    On a served page it is drawn once the page's cells have run (``Session.done()``, the
    workbook's last cell): drawing a wheel is most of the page's work (0.6-0.7 s each),
    and the rating forms above it should not wait for it. In JupyterLab or papermill it
    is the figure itself, as before.
    """
    def build() -> Any:
        from partnerkit.principles.wheel import wheel_figure

        return wheel_figure(session.store, session.workspace, rater=rater,
                            over_time=over_time)

    return session.drawn_later(build)


def starters_view(store: Store, workspace: str, n: int = 5) -> widgets.HTML:
    """The conversation starters as a list (or a note saying why there are none)."""
    starters = conversation_starters(compare_raters(load_ratings(store, workspace)), n)
    return widgets.HTML(render_part("conversation_starters", starters=starters))


RATERS_TABLE = (Column("number", "Principle"), Column("text", "What it says"),
                Column("group", "Group"),
                Column("school", "School's rating", "number", missing="Not rated yet"),
                Column("partners", "Partners' average", "number", missing="Not rated yet"),
                Column("partner_count", "Partners who rated", "count"),
                Column("gap", "Gap", "number", missing="Not known yet"))
"""The page's table of school against partners (every rating from 1 to 5)."""

DATES_TABLE = (Column("number", "Principle"), Column("text", "What it says"),
               Column("group", "Group"), Column("rater", "Rated by"),
               Column("before", "Then", "number", missing="Not rated"),
               Column("after", "Now", "number", missing="Not rated"),
               Column("change", "Change", missing="Not known"))
"""The page's table of ratings then and now."""

SHOWN_PRINCIPLES = 10
"""How many principles a comparison shows before "Show the other ..." (widest gap first)."""

NOTHING_TO_COMPARE = ("Nothing to compare yet: these ratings were all made on one day. "
                      "Rate the principles again on another day to see how they have moved.")


def _signed(value: float) -> str | None:
    """A change as people read it: ``+1``, ``−0.5``, ``0``; None when not known."""
    if is_missing(value):
        return None
    return ("+" if value > 0 else "−" if value < 0 else "") + format_number(abs(value))


def compare_table(store: Store, workspace: str, *, rater: str | None = None,
                  over_time: bool = False) -> HTML:
    """:func:`~partnerkit.principles.compare_ratings` as a plain table for a page.

    Principles by number and wording (never by id), raters by name, ratings as numbers
    (``3.5``), a rating not given in words; the widest gaps first, the rest folded away.
    """
    frame = compare_ratings(store, workspace, rater=rater, over_time=over_time)
    if over_time:
        frame = frame.assign(rater=[display_rater(r) for r in frame["rater"]],
                             change=[_signed(v) for v in frame["change"]])
        return HTML(frame_table(frame, DATES_TABLE, empty=NOTHING_TO_COMPARE,
                                limit=SHOWN_PRINCIPLES * 2, more=("rating", "ratings")))
    return HTML(frame_table(frame, RATERS_TABLE, empty="",
                            limit=SHOWN_PRINCIPLES, more=("principle", "principles")))


REFLECTION_SECTION = "Write the answers to the four questions"
"""The heading that opens the reflection questions on a served page."""


def reflection_view(session: Session, subject: str = "team") -> widgets.Widget:
    """The four partnership reflection questions, each with its sub-questions and an answer.

    ``subject`` is whose reflection it is: "team" for the workspace team's shared
    answers, or a person's name (``session.author``) for their own. On a served page
    the questions and their forms are a section (:data:`REFLECTION_SECTION`) built when
    it is first opened.
    """
    subject = check_subject(subject)
    if session.served:
        return lazy_section(REFLECTION_SECTION, lambda: _reflection(session, subject))
    return _reflection(session, subject)


def _reflection(session: Session, subject: str) -> widgets.VBox:
    """The context, then each reflection question with its sub-questions and answer form."""
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
