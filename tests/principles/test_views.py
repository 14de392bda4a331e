from __future__ import annotations

import pytest

from partnerkit.errors import PartnerkitError
from partnerkit.principles import rules, views
from partnerkit.records.base import load_record
from partnerkit.records.mapping import Answer
from partnerkit.records.plan import PrincipleRating
from partnerkit.store import Store
from tests.principles.helpers import P1, P2, P3, rate


def test_rating_form_offers_the_labelled_scale_and_saves(session_for, store: Store):
    forms = views.rating_forms(session_for(), "school").accordion
    assert len(forms.children) == len(rules.groups()) == 6
    assert forms.get_title(0) == "1. Understanding barriers (0 of 7 rated)"
    form = forms.children[0].children[2]          # the first principle's form
    options = form.editors["rating"].input.options
    assert options[1] == ("1 – not yet embedded", 1) and options[-1] == ("5 – fully embedded", 5)
    assert options[0][1] is None                  # "not set" until someone rates
    form.editors["rating"].input.value = 3
    form.editors["evidence"].input.value = "Staff training in October"
    saved = load_record(store, "school", PrincipleRating, f"school/{P1}")
    assert (saved.rating, saved.evidence, saved.rater) == (3, "Staff training in October",
                                                           "school")
    assert forms.get_title(0) == "1. Understanding barriers (1 of 7 rated)"
    assert "<strong>1.1</strong>" in forms.children[0].children[1].value


def test_a_partner_rates_for_itself(session_for, store: Store):
    forms = views.rating_forms(session_for("Sam"), "Eastfield Youth Project")
    forms.accordion.children[0].children[2].editors["rating"].input.value = 2
    stored = store.get("school", "principle_rating", f"eastfield youth project/{P1}")
    assert stored.data["rating"] == 2 and stored.author == "Sam"


def test_without_an_account_the_page_asks_whose_rating_and_switches_the_forms(
        session_for, store: Store):
    rate(store, "Eastfield Youth Project", P2, 3)
    forms = views.rating_forms(session_for("Sam"), "school")
    assert forms.choice.description == "Whose rating is this?"
    assert forms.choice.options == (("School", "school"),
                                    ("Eastfield Youth Project", "Eastfield Youth Project"))
    forms.choice.value = "Eastfield Youth Project"
    assert forms.rater == "Eastfield Youth Project" and forms.children[1] is forms.accordion
    assert forms.accordion.get_title(0) == "1. Understanding barriers (1 of 7 rated)"
    forms.accordion.children[0].children[2].editors["rating"].input.value = 4
    assert store.get("school", "principle_rating", f"eastfield youth project/{P1}")
    assert store.get("school", "principle_rating", f"school/{P1}") is None


def test_starters_view_lists_the_gaps_or_says_why_there_are_none(store: Store):
    rate(store, "school", P1, 4)
    assert "No principle" in views.starters_view(store, "school").value
    rate(store, "school", P2, 2)
    rate(store, "school", P3, 3)
    rate(store, "Youth <Project>", P1, 2)
    view = views.starters_view(store, "school")
    assert "Conversation starters" in view.value and "1.1" in view.value
    assert "<li>Principle 1.1" in view.value


def test_reflection_questions_are_answered_and_saved(session_for, store: Store):
    view = views.reflection_view(session_for())
    forms = [c for c in view.children if hasattr(c, "editors")]
    assert len(forms) == 4
    assert "Which partners should be involved but aren’t?" in view.children[1].value
    forms[2].editors["text"].input.value = "Protocols are agreed but not revisited."
    saved = load_record(store, "school", Answer, "team/reflection.3")
    assert saved.text == "Protocols are agreed but not revisited."
    again = views.reflection_view(session_for("Bob"))
    again_forms = [c for c in again.children if hasattr(c, "editors")]
    assert again_forms[2].editors["text"].input.value == saved.text


def test_a_personal_reflection_is_kept_apart(session_for, store: Store):
    view = views.reflection_view(session_for(), subject="Ann")
    [c for c in view.children if hasattr(c, "editors")][0].editors["text"].input.value = "Mine"
    assert load_record(store, "school", Answer, "Ann/reflection.1").text == "Mine"
    assert load_record(store, "school", Answer, "team/reflection.1") is None
    with pytest.raises(PartnerkitError):
        views.reflection_view(session_for(), subject=" ")
