"""Rules of the partnership principles self-evaluation that need no store and no widgets.

The school, and for parity each partner who takes part, rates every principle from 1
(not yet embedded) to 5 (fully embedded). A rater is "school" or a partner
organisation's name; the school is named one way whatever its spelling. A gap between
the school's rating and the partners' average of at least :data:`STARTER_MIN_GAP` points
makes a conversation starter.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

import pandas as pd

from partnerkit.access import WRITE, Account, decide
from partnerkit.content import Item, load_content
from partnerkit.errors import PartnerkitError
from partnerkit.records.plan import SCHOOL_RATER, PrincipleRating, rater_key
from partnerkit.reports.text import aware

STARTER_MIN_GAP = 1.0
"""A school-partner gap of at least this many points makes a conversation starter."""


def groups() -> list[Item]:
    """The principle groups, in the document's order."""
    return load_content().items("principles", kind="principle_group")


def principles_of(group: Item | str) -> list[Item]:
    """The principles of one group, in order."""
    group_id = group if isinstance(group, str) else group.id
    return load_content().children(group_id, kind="principle")


def principle_rows() -> Iterator[tuple[Item, Item]]:
    """Every (group, principle) pair, in the document's order."""
    for group in groups():
        for principle in principles_of(group):
            yield group, principle


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


def is_school(rater: str) -> bool:
    """True for the school's own ratings."""
    return rater_key(rater) == SCHOOL_RATER


def own_rater(account: Account | None, workspace: str) -> str:
    """Whom an account rates for: its partner organisation, else the school.

    No account (a test on a raw store) or the one local user: the school.
    """
    if account is None or account.local:
        return SCHOOL_RATER
    return account.rater(workspace) or SCHOOL_RATER


def rating_decision(account: Account | None, workspace: str, rater: str) -> Any:
    """The permission check's answer to rating the principles as ``rater`` (truthy if allowed).

    Partners rate as their own organisation and school staff as the school; a trainer
    or a data-protection lead does not rate. No account (a raw store) may rate as anyone.
    """
    if account is None:
        return True
    return decide(account, WRITE, workspace, PrincipleRating.kind,
                  f"{rater_key(rater)}/", {"rater": rater})


def display_rater(rater: str) -> str:
    """How a rater is shown: "School", or the partner's name as typed."""
    return "School" if is_school(rater) else rater


def check_subject(subject: Any) -> str:
    """Whose reflection answers these are: "team" or a practitioner's name, or raise.

    Raises:
        PartnerkitError: the subject is empty or not text, with the fix.
    """
    if not isinstance(subject, str) or not subject.strip():
        raise PartnerkitError("is not a subject for reflection answers", value=subject,
                              where="subject",
                              fix='use subject="team" or the practitioner\'s name')
    return subject.strip()


def as_moment(value: Any) -> dt.datetime:
    """A moment from a datetime, a date (its end, UTC) or an ISO text.

    Raises:
        PartnerkitError: the value is not a date, with the fix.
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            value = (dt.date.fromisoformat(text) if len(text) == 10
                     else dt.datetime.fromisoformat(text))
        except ValueError:
            raise PartnerkitError("is not a date", value=value, where="comparison date",
                                  fix="give a date as YYYY-MM-DD") from None
    if isinstance(value, dt.datetime):
        return aware(value)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time.max, tzinfo=dt.UTC)
    raise PartnerkitError("is not a date", value=value, where="comparison date",
                          fix="give a date as YYYY-MM-DD")


def format_score(value: float | None) -> str:
    """A rating or average as shown: whole numbers plain, others to one decimal, "–" if none."""
    if value is None or math.isnan(value):
        return "–"
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def conversation_starters(comparison: pd.DataFrame, n: int = 5,
                          min_gap: float = STARTER_MIN_GAP) -> list[str]:
    """The widest school-partner gaps (from ``compare_raters``) as questions to discuss."""
    rows = comparison[comparison["gap"] >= min_gap].head(n)
    starters = []
    for row in rows.itertuples():
        who = "partners" if row.partner_count > 1 else "your partner"
        starters.append(
            f"Principle {row.number} ({row.group}) – “{row.text}”: the school rated it "
            f"{format_score(row.school)} and {who} {format_score(row.partners)}, "
            f"{format_score(row.gap)} point{'s' if row.gap != 1 else ''} apart. What does "
            "each of you see that the other does not, and what would move it on?")
    return starters
