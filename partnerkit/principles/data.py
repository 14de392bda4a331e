"""The self-evaluation as the store holds it: ratings now or on a date, and their tables.

Each rating is a :class:`~partnerkit.records.plan.PrincipleRating` (one per rater and
principle). Ratings are compared two ways: **school and partners** (:func:`compare_raters`,
:data:`RATERS_COLUMNS`) and **two dates** (:func:`compare_dates`, :data:`DATES_COLUMNS`),
a rater's ratings as they were on one date (read from the store's history) against
another date or now.

Whose rating a page is comes from the signed-in account (:func:`whose_rating`): school
staff rate as the school, a partner as the organisation they belong to.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from partnerkit.access import WRITE, GuardedStore, refuse
from partnerkit.content import load_content
from partnerkit.principles.rules import (
    as_moment,
    check_rater,
    groups,
    is_school,
    own_rater,
    principle_number,
    principle_rows,
    rating_decision,
)
from partnerkit.records.base import load_records
from partnerkit.records.plan import SCHOOL_RATER, PrincipleRating, rater_key
from partnerkit.store import Store

RATING_COLUMNS: tuple[str, ...] = (
    "group", "group_title", "principle", "number", "text", "rater", "rating", "evidence")
"""Columns of :func:`ratings_frame`: one row per rating (``rating`` is NaN when unrated)."""

GROUP_SCORE_COLUMNS: tuple[str, ...] = ("school", "partners")
"""Columns of :func:`group_scores` (indexed by group title): the two sides' averages."""

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


def whose_rating(session: Any, asked: str | None = None) -> str:
    """Whose rating this page is: the account's own rater, or ``asked`` if it may rate so.

    ``asked`` is the workbook's ``rater`` parameter: None takes the signed-in account's
    own (school staff: "school"; a partner: their organisation). A batch render may name
    a rater, and the permission check decides: a partner naming the school, or school
    staff naming a partner, is refused (and the refusal audited). Without an account
    (a test on a raw store), or for the one local user, ``asked`` stands as given.

    Raises:
        PartnerkitError: ``asked`` is blank or not text.
        AccessDeniedError: the account may not rate as ``asked``.
    """
    account = session.account
    if account is None or account.local:
        return check_rater(SCHOOL_RATER if asked is None else asked)
    own = own_rater(account, session.workspace)
    wanted = own if asked is None else check_rater(asked)
    if rater_key(wanted) == rater_key(own):
        return own
    decision = rating_decision(account, session.workspace, wanted)
    if not decision:
        key = f"{rater_key(wanted)}/"
        if isinstance(session.store, GuardedStore):
            session.store.check(WRITE, session.workspace, PrincipleRating.kind, key,
                                {"rater": wanted})
        raise refuse(account, decision, WRITE, session.workspace, PrincipleRating.kind, key)
    return wanted


def load_ratings(store: Store, workspace: str, *, rater: str | None = None,
                 as_of: Any = None) -> list[PrincipleRating]:
    """Every rating now (or as it was at ``as_of``), optionally of one rater."""
    wanted = rater_key(rater) + "/" if rater else None
    if as_of is None:
        return load_records(store, workspace, PrincipleRating, prefix=wanted)
    moment = as_moment(as_of)
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
    result = pd.DataFrame(index=[g.title for g in groups()],
                          columns=list(GROUP_SCORE_COLUMNS), dtype=float)
    for side, mask in (("school", frame["rater"].map(is_school)),
                       ("partners", ~frame["rater"].map(is_school))):
        part = frame[mask.astype(bool)] if len(frame) else frame
        means = part.groupby("group_title")["rating"].mean()
        for title, value in means.items():
            result.loc[title, side] = value
    result.index.name = "group"
    return result


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
    for group, principle in principle_rows():
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
    for group, principle in principle_rows():
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
    return as_moment(min(days)), store.clock()


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
