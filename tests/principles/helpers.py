"""Small builders shared by the principles tests."""

from __future__ import annotations

from partnerkit.records.base import save_record
from partnerkit.records.plan import PrincipleRating
from partnerkit.store import Store

UB = "principles.understanding_barriers"
P1, P2, P3 = f"{UB}.1", f"{UB}.2", "principles.communication.1"


def rate(store: Store, rater: str, principle: str, rating, author: str = "Ann") -> None:
    save_record(store, "school", PrincipleRating(principle=principle, rater=rater,
                                                 rating=rating), author)


