from __future__ import annotations

from partnerkit import principles
from partnerkit.demo import principles as demo_principles
from partnerkit.records.base import load_record
from partnerkit.records.mapping import Answer
from partnerkit.store import Store


def test_demo_has_two_rounds_of_school_ratings_and_a_partner(store: Store):
    count = demo_principles.seed(store, "school", "Demo")
    changes = store.count_history("school")
    assert demo_principles.seed(store, "school", "Demo") == count
    assert store.count_history("school") == changes
    assert principles.raters(store, "school") == ["school", demo_principles.DEMO_PARTNER]
    assert principles.rating_dates(store, "school") is not None
    moved = principles.compare_ratings(store, "school", over_time=True, rater="school")
    assert (moved["change"] > 0).any()
    assert principles.conversation_starters(principles.compare_ratings(store, "school"))
    assert load_record(store, "school", Answer, "team/reflection.1").text
