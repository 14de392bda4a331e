"""The landing page lists a participant's module activities: what is done and what is left."""

from __future__ import annotations

from partnerkit.access import GuardedStore, load_account
from partnerkit.serve.landing import Visitor, render_landing
from tests.collaborative_working.cohort import enrol
from tests.collaborative_working.work import seed_activities


def test_a_participant_sees_their_activities_on_the_landing_page(store, tmp_path):
    cohort = enrol(store)
    seed_activities(GuardedStore(store, cohort["ann"]), "ann", skip=("end.wheel",))
    page = render_landing(tmp_path / "data", Visitor(load_account(store, "ann")), "school")
    assert 'id="training-progress"' in page
    assert "10 of 12" in page and "Self-evaluation wheel at the end" in page
    assert "End-of-module quiz" in page and "Still to do:" in page


def test_the_trainer_sees_no_progress_list_of_their_own(store, tmp_path):
    enrol(store)
    page = render_landing(tmp_path / "data", Visitor(load_account(store, "tom")), "school")
    assert 'id="training-progress"' not in page
