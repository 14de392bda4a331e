"""The demo school's principles self-evaluation: two rounds by the school, one partner's.

The school's first round is saved as of a term (91 days) before the demo was made, so
the comparison between dates has something to show. Everything here is invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from partnerkit.principles.rules import principle_rows
from partnerkit.records.base import save_record
from partnerkit.records.mapping import Answer
from partnerkit.records.plan import SCHOOL_RATER, PrincipleRating, rater_key
from partnerkit.store import Store

ORDER = 30
"""Seeded after the six steps plan, as before the move."""

DEMO_PARTNER = "Eastfield Youth Project"
"""The partner organisation whose ratings the demo has (the demo partner speaks for it)."""
DEMO_PARTNER_ACCOUNT = "demo-partner"
"""The demo account that rated as the partner (see :mod:`partnerkit.demo.accounts`)."""

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
    for group, principle in principle_rows():
        name = group.id.split(".", 1)[1]
        ratings.append(PrincipleRating(
            principle=principle.id, rater=rater,
            rating=_demo_rating(base, name, principle.number or "0", shift),
            evidence=_DEMO_EVIDENCE.get((rater, principle.id), "")))
    return ratings


def seed(store: Store, workspace: str, author: str) -> int:
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
            save_record(store, workspace, rating, DEMO_PARTNER_ACCOUNT)
    for answer in answers:
        if store.get(workspace, answer.kind, answer.record_key()) is None:
            save_record(store, workspace, answer, author)
    return len(school) + len(partner) + len(answers)
