"""Partnership principles self-evaluation, its wheel and comparisons, and the reflection questions.

The school, and for parity each partner who takes part, rates every principle from 1
(not yet embedded) to 5 (fully embedded) with evidence
(:class:`~partnerkit.records.plan.PrincipleRating`, one per rater and principle).
Ratings are compared two ways:

* **school and partners** (:func:`compare_raters`): for each principle the school's
  rating, the partners' average and the gap between them; the widest gaps become
  conversation starters (:func:`conversation_starters`);
* **two dates** (:func:`compare_dates`): a rater's ratings as they were on one date
  (read from the store's history) against another date or now.

:func:`wheel_figure` draws the average rating of each principle group as a radar
("wheel"). The four partnership reflection questions are answered in
:func:`reflection_view` with :class:`~partnerkit.records.mapping.Answer` records.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from markupsafe import Markup
from matplotlib.figure import Figure

from partnerkit.content import Item, load_content
from partnerkit.demo import demo_seeder
from partnerkit.errors import PartnerkitError
from partnerkit.forms import record_form
from partnerkit.records.base import load_records, save_record
from partnerkit.records.mapping import Answer
from partnerkit.records.plan import (
    SCHOOL_RATER,
    PrincipleRating,
    rater_key,
)
from partnerkit.session import Session
from partnerkit.store import Store

RATING_COLUMNS: tuple[str, ...] = (
    "group", "group_title", "principle", "number", "text", "rater", "rating", "evidence")
"""Columns of :func:`ratings_frame`: one row per rating (``rating`` is NaN when unrated)."""

RATERS_COLUMNS: tuple[str, ...] = (
    "group", "principle", "number", "text", "school", "partners", "partner_count",
    "difference", "gap")
"""Columns of :func:`compare_raters`: one row per principle, widest gap first.

``school`` is the school's rating, ``partners`` the partners' average, ``partner_count``
how many partners rated it, ``difference`` partners minus school and ``gap`` its size
(NaN where one side has not rated; those rows come last). ``number`` is "group.item".
"""

DATES_COLUMNS: tuple[str, ...] = (
    "group", "principle", "number", "text", "rater", "before", "after", "change")
"""Columns of :func:`compare_dates`: one row per rater and principle rated on either date.

``before`` and ``after`` are the ratings on the two dates (NaN when not rated then) and
``change`` is after minus before.
"""

STARTER_MIN_GAP = 1.0
"""A school-partner gap of at least this many points makes a conversation starter."""

SERIES_STYLES = (("#1f4e79", "-", "o"), ("#d95f02", "--", "s"), ("#1b9e77", ":", "^"),
                 ("#7570b3", "-.", "D"))
"""Colour, line style and marker of each series: shape and line tell them apart, not colour."""


# ---------------------------------------------------------------- content


def groups() -> list[Item]:
    """The principle groups, in the document's order."""
    return load_content().items("principles", kind="principle_group")


def principles_of(group: Item | str) -> list[Item]:
    """The principles of one group, in order."""
    group_id = group if isinstance(group, str) else group.id
    return load_content().children(group_id, kind="principle")


def principle_number(principle_id: str) -> str:
    """A principle's number within the document: "group.item", e.g. "3.2"."""
    content = load_content()
    group = content.parent_of(principle_id)
    return f"{group.number}.{content.item(principle_id).number}" if group else ""


def check_rater(rater: Any) -> str:
    """Return who is rating ("school" or a partner organisation's name), or raise.

    Raises:
        PartnerkitError: the rater is empty or not text, with the fix.
    """
    if not isinstance(rater, str) or not rater.strip() or len(rater.strip()) > 200:
        raise PartnerkitError("is not a rater", value=rater, where="rater",
                              fix='use rater="school", or the partner organisation\'s name '
                                  '(up to 200 characters)')
    rater = " ".join(rater.split())
    return SCHOOL_RATER if rater_key(rater) == SCHOOL_RATER else rater


def display_rater(rater: str) -> str:
    """How a rater is shown: "School", or the partner's name as typed."""
    return "School" if is_school(rater) else rater


def is_school(rater: str) -> bool:
    """True for the school's own ratings."""
    return rater_key(rater) == SCHOOL_RATER


# ---------------------------------------------------------------- loading


def _moment(value: Any) -> dt.datetime:
    """A moment from a datetime, a date (its end, UTC) or an ISO text."""
    if isinstance(value, str):
        text = value.strip()
        try:
            value = (dt.date.fromisoformat(text) if len(text) == 10
                     else dt.datetime.fromisoformat(text))
        except ValueError:
            raise PartnerkitError("is not a date", value=value, where="comparison date",
                                  fix="give a date as YYYY-MM-DD") from None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time.max, tzinfo=dt.UTC)
    raise PartnerkitError("is not a date", value=value, where="comparison date",
                          fix="give a date as YYYY-MM-DD")


def load_ratings(store: Store, workspace: str, *, rater: str | None = None,
                 as_of: Any = None) -> list[PrincipleRating]:
    """Every rating now (or as it was at ``as_of``), optionally of one rater."""
    wanted = rater_key(rater) + "/" if rater else None
    if as_of is None:
        ratings = load_records(store, workspace, PrincipleRating, prefix=wanted)
    else:
        moment = _moment(as_of)
        ratings = []
        for stored in store.list(workspace, PrincipleRating.kind, prefix=wanted):
            then = store.get(workspace, PrincipleRating.kind, stored.key, as_of=moment)
            if then is not None:
                ratings.append(PrincipleRating.model_validate(then.data))
    return ratings


def raters(store: Store, workspace: str) -> list[str]:
    """Everyone who has rated: the school first, then partners in the order they started."""
    seen: dict[str, str] = {}
    for rating in load_records(store, workspace, PrincipleRating):
        seen.setdefault(rater_key(rating.rater), rating.rater)
    return sorted(seen.values(), key=lambda r: not is_school(r))


def ratings_frame(ratings: list[PrincipleRating]) -> pd.DataFrame:
    """Ratings as a table in the document's order; see RATING_COLUMNS."""
    content = load_content()
    order = {p.id: i for i, p in enumerate(content.items("principles", kind="principle"))}
    rows = []
    for rating in sorted(ratings, key=lambda r: (order[r.principle], not is_school(r.rater),
                                                 rater_key(r.rater))):
        group = content.parent_of(rating.principle)
        rows.append({"group": group.id, "group_title": group.title,
                     "principle": rating.principle,
                     "number": principle_number(rating.principle),
                     "text": content.item(rating.principle).text, "rater": rating.rater,
                     "rating": math.nan if rating.rating is None else float(rating.rating),
                     "evidence": rating.evidence})
    return pd.DataFrame(rows, columns=list(RATING_COLUMNS))


def group_scores(ratings: list[PrincipleRating]) -> pd.DataFrame:
    """Average rating per principle group (rows, in order) for the school and the partners.

    Columns are ``school`` and ``partners`` (the mean over every partner rating in the
    group); a group nobody on that side rated is NaN.
    """
    frame = ratings_frame(ratings)
    result = pd.DataFrame(index=[g.title for g in groups()], columns=["school", "partners"],
                          dtype=float)
    for side, mask in (("school", frame["rater"].map(is_school)),
                       ("partners", ~frame["rater"].map(is_school))):
        part = frame[mask.astype(bool)] if len(frame) else frame
        means = part.groupby("group_title")["rating"].mean()
        for title, value in means.items():
            result.loc[title, side] = value
    result.index.name = "group"
    return result


# ---------------------------------------------------------------- comparisons


def _principle_rows() -> Iterator[tuple[Item, Item]]:
    for group in groups():
        for principle in principles_of(group):
            yield group, principle


def compare_raters(ratings: list[PrincipleRating]) -> pd.DataFrame:
    """School against partners, principle by principle, widest gap first; see RATERS_COLUMNS."""
    school: dict[str, float] = {}
    partners: dict[str, list[float]] = {}
    for r in ratings:
        if r.rating is None:
            continue
        if is_school(r.rater):
            school[r.principle] = float(r.rating)
        else:
            partners.setdefault(r.principle, []).append(float(r.rating))
    rows = []
    for group, principle in _principle_rows():
        mine = school.get(principle.id, math.nan)
        theirs = partners.get(principle.id, [])
        mean = sum(theirs) / len(theirs) if theirs else math.nan
        difference = mean - mine
        rows.append({"group": group.title, "principle": principle.id,
                     "number": principle_number(principle.id), "text": principle.text,
                     "school": mine, "partners": mean, "partner_count": len(theirs),
                     "difference": difference, "gap": abs(difference)})
    frame = pd.DataFrame(rows, columns=list(RATERS_COLUMNS))
    frame = frame.sort_values("gap", ascending=False, kind="stable", na_position="last")
    return frame.reset_index(drop=True)


def compare_dates(before: list[PrincipleRating], after: list[PrincipleRating]) -> pd.DataFrame:
    """Ratings on two dates, principle by principle and rater; see DATES_COLUMNS."""
    def index(ratings: list[PrincipleRating]) -> dict[tuple[str, str], PrincipleRating]:
        return {(rater_key(r.rater), r.principle): r for r in ratings}

    a, b = index(before), index(after)
    names = {k[0]: r.rater for k, r in (*a.items(), *b.items())}
    rows = []
    for group, principle in _principle_rows():
        for who in sorted(names, key=lambda k: (k != SCHOOL_RATER, k)):
            old, new = a.get((who, principle.id)), b.get((who, principle.id))
            if old is None and new is None:
                continue
            x = math.nan if old is None or old.rating is None else float(old.rating)
            y = math.nan if new is None or new.rating is None else float(new.rating)
            rows.append({"group": group.title, "principle": principle.id,
                         "number": principle_number(principle.id), "text": principle.text,
                         "rater": names[who], "before": x, "after": y, "change": y - x})
    return pd.DataFrame(rows, columns=list(DATES_COLUMNS))


def rating_dates(store: Store, workspace: str,
                 rater: str = SCHOOL_RATER) -> tuple[dt.datetime, dt.datetime] | None:
    """Default dates to compare: the end of the first day ``rater`` rated, and now.

    None when the rater has rated on one day only (there is nothing earlier to compare).
    """
    days = set()
    for stored in store.list(workspace, PrincipleRating.kind, prefix=rater_key(rater) + "/"):
        for change in store.history(workspace, PrincipleRating.kind, stored.key):
            days.add(change.at.astimezone(dt.UTC).date())
    if len(days) < 2:
        return None
    return _moment(min(days)), store.clock()


def compare_ratings(store: Store, workspace: str, *, rater: str | None = None,
                    date_a: Any = None, date_b: Any = None,
                    over_time: bool = False) -> pd.DataFrame:
    """Compare ratings: school against partners now, or between two dates.

    Args:
        store: the store holding the ratings.
        workspace: the workspace (school) rated.
        rater: for a comparison between dates, whose ratings (default: everyone's).
        date_a: compare the ratings as they were at ``date_a`` (a date means the end of
            that day) ...
        date_b: ... with those at ``date_b`` (default now).
        over_time: compare between dates, picking them with :func:`rating_dates`
            (the first day of rating, and now) unless ``date_a`` is given.

    Returns:
        :func:`compare_dates` (DATES_COLUMNS) when dates are given or ``over_time``;
        else :func:`compare_raters` (RATERS_COLUMNS).
    """
    if date_a is None and date_b is None and not over_time:
        return compare_raters(load_ratings(store, workspace))
    if rater is not None:
        rater = check_rater(rater)
    if date_a is None:
        dates = rating_dates(store, workspace, rater or SCHOOL_RATER)
        if dates is None:
            return pd.DataFrame(columns=list(DATES_COLUMNS))
        date_a = dates[0]
    before = load_ratings(store, workspace, rater=rater, as_of=date_a)
    after = load_ratings(store, workspace, rater=rater, as_of=date_b)
    return compare_dates(before, after)


def conversation_starters(comparison: pd.DataFrame, n: int = 5,
                          min_gap: float = STARTER_MIN_GAP) -> list[str]:
    """The widest school-partner gaps (from :func:`compare_raters`) as questions to discuss."""
    rows = comparison[comparison["gap"] >= min_gap].head(n)
    starters = []
    for row in rows.itertuples():
        who = "partners" if row.partner_count > 1 else "your partner"
        starters.append(
            f"Principle {row.number} ({row.group}) – “{row.text}”: the school rated it "
            f"{_fmt(row.school)} and {who} {_fmt(row.partners)}, {_fmt(row.gap)} "
            f"point{'s' if row.gap != 1 else ''} apart. What does each of you see that the "
            "other does not, and what would move it on?")
    return starters


def _fmt(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:g}" if float(
        value).is_integer() else f"{value:.1f}"


def starters_view(store: Store, workspace: str, n: int = 5) -> widgets.HTML:
    """The conversation starters as a list (or a note saying why there are none)."""
    starters = conversation_starters(compare_raters(load_ratings(store, workspace)), n)
    if not starters:
        return widgets.HTML("<p>No principle has the school and partners a point or more "
                            "apart yet (or only one side has rated). When partners rate, "
                            "the widest differences appear here to talk about.</p>")
    items = "".join(f"<li>{html.escape(s)}</li>" for s in starters)
    return widgets.HTML(f"<h3>Conversation starters</h3><ol>{items}</ol>")


# ---------------------------------------------------------------- the wheel


def radar_figure(scores: dict[str, dict[str, float]], title: str) -> Figure:
    """A radar of average ratings (0-5) by principle group, one line per series.

    Args:
        scores: series label -> group title -> average rating (NaN when not rated;
            drawn at the centre and said so in the legend).
        title: the chart's title.
    """
    labels = [g.title or g.text for g in groups()]
    angles = [2 * math.pi * i / len(labels) for i in range(len(labels))]
    fig, ax = plt.subplots(figsize=(7.5, 6.5), subplot_kw={"projection": "polar"})
    plt.close(fig)
    for (label, values), (colour, line, marker) in zip(scores.items(), SERIES_STYLES,
                                                       strict=False):
        points = [values.get(g, math.nan) for g in labels]
        missing = any(math.isnan(p) for p in points)
        ys = [0.0 if math.isnan(p) else p for p in points]
        legend = f"{label} (centre = not rated yet)" if missing else label
        ax.plot([*angles, angles[0]], [*ys, ys[0]], color=colour, linestyle=line,
                marker=marker, linewidth=2, label=legend)
        ax.fill([*angles, angles[0]], [*ys, ys[0]], color=colour, alpha=0.08)
    ax.set_xticks(angles)
    ax.set_xticklabels([textwrap.fill(lab, 14) for lab in labels], fontsize=9)
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_yticklabels(["1", "2", "3", "4", "5"], fontsize=8, color="#444444")
    ax.set_title(title, pad=24, fontsize=12)
    if scores:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=1, frameon=False)
    fig.text(0.01, 0.01, "1 = not yet embedded … 5 = fully embedded (average per group)",
             fontsize=8, color="#444444")
    fig.tight_layout()
    return fig


def _series(frame: pd.DataFrame, column: str) -> dict[str, float]:
    return {str(k): float(v) for k, v in frame[column].items()}


def wheel_figure(store: Store, workspace: str, *, rater: str = SCHOOL_RATER,
                 date_a: Any = None, date_b: Any = None, over_time: bool = False) -> Figure:
    """The principles wheel: school against partners, or ``rater`` on two dates.

    With no dates and ``over_time`` false, it draws the school's and the partners'
    averages per group now. With ``date_a`` (and optionally ``date_b``, default now), or
    with ``over_time`` (dates from :func:`rating_dates`), it draws ``rater``'s averages
    on the two dates from the store's history.
    """
    if date_a is None and date_b is None and not over_time:
        scores = group_scores(load_ratings(store, workspace))
        partners = [r for r in raters(store, workspace) if not is_school(r)]
        series = {"School": _series(scores, "school")}
        if partners:
            label = partners[0] if len(partners) == 1 else f"Partners (average of {len(partners)})"
            series[label] = _series(scores, "partners")
        return radar_figure(series, "Partnership principles: school and partners")
    rater = check_rater(rater)
    side = "school" if is_school(rater) else "partners"
    name = display_rater(rater)
    if date_a is None:
        dates = rating_dates(store, workspace, rater)
        if dates is None:
            now = group_scores(load_ratings(store, workspace, rater=rater))
            return radar_figure({f"{name}: now (no earlier ratings yet)": _series(now, side)},
                                "Partnership principles over time")
        date_a = dates[0]
    first = group_scores(load_ratings(store, workspace, rater=rater, as_of=date_a))
    second = group_scores(load_ratings(store, workspace, rater=rater, as_of=date_b))
    label_b = "now" if date_b is None else _moment(date_b).strftime("%-d %b %Y")
    return radar_figure({f"{name}: {_moment(date_a).strftime('%-d %b %Y')}":
                         _series(first, side), f"{name}: {label_b}": _series(second, side)},
                        "Partnership principles over time")


def figure_svg(fig: Figure) -> str:
    """A figure as inline SVG markup (no XML header), for an HTML report."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg"):]


# ---------------------------------------------------------------- forms


def _rated_count(store: Store, workspace: str, rater: str, group: Item) -> int:
    ids = {p.id for p in principles_of(group)}
    return sum(1 for r in load_ratings(store, workspace, rater=rater)
               if r.principle in ids and r.rating is not None)


def rating_forms(session: Session, rater: str = SCHOOL_RATER) -> widgets.Accordion:
    """A rating form (1-5 and evidence) for every principle, one panel per group.

    ``rater`` is "school" or the partner organisation rating for itself (parity).
    """
    rater = check_rater(rater)
    store, workspace = session.store, session.workspace
    panels, titles = [], []
    accordion = widgets.Accordion()

    def title(i: int, group: Item) -> str:
        done = _rated_count(store, workspace, rater, group)
        return f"{group.number}. {group.title} ({done} of {len(principles_of(group))} rated)"

    for i, group in enumerate(groups()):
        parts: list[widgets.Widget] = [widgets.HTML(
            f"<p><em>{html.escape(group.summary or group.text)}</em></p>")]
        for principle in principles_of(group):
            parts.append(widgets.HTML(
                f"<p><strong>{html.escape(principle_number(principle.id))}</strong> "
                f"{html.escape(principle.text)}</p>"))
            key = f"{rater_key(rater)}/{principle.id}"
            parts.append(record_form(
                PrincipleRating, store=store, workspace=workspace, author=session.author,
                fixed={"principle": principle.id, "rater": rater}, key=key,
                on_saved=lambda _r, i=i, g=group: accordion.set_title(i, title(i, g))))
        panels.append(widgets.VBox(parts))
        titles.append(title(i, group))
    accordion.children = panels
    for i, text in enumerate(titles):
        accordion.set_title(i, text)
    accordion.selected_index = 0
    return accordion


def reflection_view(session: Session, subject: str = "team") -> widgets.VBox:
    """The four partnership reflection questions, each with its sub-questions and an answer.

    ``subject`` is whose reflection it is: "team" for the workspace team's shared
    answers, or a person's name (``session.author``) for their own.
    """
    if not isinstance(subject, str) or not subject.strip():
        raise PartnerkitError("is not a subject for reflection answers", value=subject,
                              where="subject",
                              fix='use subject="team" or the practitioner\'s name')
    subject = subject.strip()
    content = load_content()
    parts: list[widgets.Widget] = []
    context = content.item("reflection.context")
    parts.append(widgets.HTML(f"<p>{html.escape(context.text)} "
                              f"{html.escape(context.summary or '')}</p>"))
    for question in content.items("reflection", kind="question"):
        subs = "".join(f"<li>{html.escape(s.text)}</li>"
                       for s in content.children(question.id, kind="sub_question"))
        parts.append(widgets.HTML(
            f"<h3>Question {html.escape(question.number or '')}</h3>"
            f"<p><strong>{html.escape(question.text)}</strong></p>"
            f"<p>Think about:</p><ul>{subs}</ul>"))
        parts.append(record_form(Answer, store=session.store, workspace=session.workspace,
                                 author=session.author,
                                 fixed={"question": question.id, "subject": subject},
                                 key=f"{subject}/{question.id}"))
    return widgets.VBox(parts)


# ---------------------------------------------------------------- report


def report_context(store: Store, workspace: str) -> dict[str, Any]:
    """What the partnership plan report shows of the principles: wheel, scores, starters."""
    ratings = load_ratings(store, workspace)
    scores = group_scores(ratings)
    comparison = compare_raters(ratings)
    rows = [{"group": g, "school": _fmt(r["school"]), "partners": _fmt(r["partners"])}
            for g, r in scores.iterrows()]
    return {"rated": sum(1 for r in ratings if r.rating is not None),
            "raters": raters(store, workspace),
            "wheel_svg": Markup(figure_svg(wheel_figure(store, workspace))) if ratings else "",
            "group_scores": rows,
            "starters": conversation_starters(comparison)}


# ---------------------------------------------------------------- demo

DEMO_PARTNER = "Eastfield Youth Project"

_DEMO_SCHOOL_FIRST = {"understanding_barriers": 3, "practitioner_qualities": 3,
                      "communication": 2, "approaches": 2, "what_does_not_work": 3,
                      "partnership_parity": 2}
_DEMO_SCHOOL_NOW = {"understanding_barriers": 4, "practitioner_qualities": 4,
                    "communication": 3, "approaches": 3, "what_does_not_work": 3,
                    "partnership_parity": 4}
_DEMO_PARTNER_NOW = {"understanding_barriers": 4, "practitioner_qualities": 3,
                     "communication": 2, "approaches": 3, "what_does_not_work": 2,
                     "partnership_parity": 2}
_DEMO_EVIDENCE = {
    ("school", "principles.partnership_parity.2"):
        "Partners now sit on the attendance group and co-chair the termly review.",
    (DEMO_PARTNER, "principles.partnership_parity.2"):
        "We are invited, but decisions are mostly made before we arrive.",
    ("school", "principles.communication.6"): "Letters to families rewritten with parents.",
    (DEMO_PARTNER, "principles.what_does_not_work.1"):
        "Young people tell us the late detentions make them stay off altogether.",
}
_DEMO_REFLECTION = {
    "reflection.1": "Youth work and family learning are involved; health visitors and the "
                    "community police officer are not, and we know little about what the "
                    "new Welcome Hub could offer.",
    "reflection.4": "Parents come to the parent cafe but the families we most need to reach "
                    "do not; the youth project reaches some of them.",
}


def _demo_rating(base: dict[str, int], group: str, number: str, shift: int) -> int:
    """A varied but fixed rating: the group's level nudged by the principle's number."""
    nudge = {1: 1, 4: -1}.get((int(number) + shift) % 5, 0)
    return max(1, min(5, base[group] + nudge))


@contextmanager
def _clock_at(store: Store, moment: dt.datetime) -> Iterator[None]:
    """Save as if at ``moment`` (the demo's first round of ratings is a term earlier)."""
    real = store.clock
    store.clock = lambda: moment
    try:
        yield
    finally:
        store.clock = real


def _demo_ratings(base: dict[str, int], rater: str, shift: int = 0) -> list[PrincipleRating]:
    ratings = []
    for group, principle in _principle_rows():
        name = group.id.split(".", 1)[1]
        ratings.append(PrincipleRating(
            principle=principle.id, rater=rater,
            rating=_demo_rating(base, name, principle.number or "0", shift),
            evidence=_DEMO_EVIDENCE.get((rater, principle.id), "")))
    return ratings


@demo_seeder
def seed_demo_principles(store: Store, workspace: str, author: str) -> int:
    """Add the demo self-evaluation: the school's two rounds, one partner's, two reflections.

    The school's first round is saved as of a term (91 days) before the demo was made,
    so the comparison between dates has something to show. Nothing is changed when the
    demo's ratings are already there.
    """
    school = _demo_ratings(_DEMO_SCHOOL_NOW, SCHOOL_RATER)
    partner = _demo_ratings(_DEMO_PARTNER_NOW, DEMO_PARTNER, shift=2)
    answers = [Answer(question=q, subject="team", text=t) for q, t in _DEMO_REFLECTION.items()]
    if not store.list(workspace, PrincipleRating.kind, prefix=SCHOOL_RATER + "/"):
        with _clock_at(store, store.clock() - dt.timedelta(days=91)):
            for rating in _demo_ratings(_DEMO_SCHOOL_FIRST, SCHOOL_RATER):
                save_record(store, workspace, rating, author)
        for rating in school:
            save_record(store, workspace, rating, author)
    if not store.list(workspace, PrincipleRating.kind, prefix=rater_key(DEMO_PARTNER) + "/"):
        for rating in partner:
            save_record(store, workspace, rating, "Sam Reid (Eastfield Youth Project)")
    for answer in answers:
        if store.get(workspace, answer.kind, answer.record_key()) is None:
            save_record(store, workspace, answer, author)
    return len(school) + len(partner) + len(answers)
