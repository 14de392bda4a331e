"""The "Subject access and erasure" page: its parts, buttons and messages, as a person uses them."""

from __future__ import annotations

from partnerkit.data_protection import views, views_retention
from tests.data_protection.conftest import PUPIL, REAL_NAME, WORKSPACE


def _html(part):
    return part.value


def test_what_is_held_lists_records_name_hold_and_the_sharing_log(page):
    shown = _html(views.what_is_held(page()))
    assert "Held about pupil P-1001" in shown and "Map: people and organisations" in shown
    assert "Real name" in shown and "held" in shown and REAL_NAME not in shown
    assert "Sharing log" in shown and "Social Work" in shown


def test_a_teacher_on_the_page_is_told_they_may_not(page):
    shown = _html(views.what_is_held(page("teacher")))
    assert "may not export everything held" in shown and "Map: people" not in shown


def test_the_bundle_button_writes_the_bundle_and_offers_both_files(page, data):
    form = views.bundle_form(page())
    form.children[1].click()
    assert "Wrote the subject access bundle" in form.children[2].value
    links = form.children[3].value
    assert "download=\"P-1001.json\"" in links and "download=\"P-1001.pdf\"" in links
    assert list((data / "subject-access").glob("subject-access-P-1001-*/P-1001.pdf"))


def test_a_hold_from_the_page_blocks_the_erasure_shown_below(page):
    session = page()
    holds = views.hold_form(session)
    erase = views.erase_form(session)
    holds.children[0].value = "subject access dispute"
    holds.children[1].children[0].click()
    assert "Legal hold set on pupil P-1001" in holds.children[2].value
    assert "is under a legal hold (subject access dispute)" in erase.children[0].value


def test_erasing_from_the_page_needs_the_reference_typed_then_erases(page, school):
    session = page()
    erase = views.erase_form(session)
    plan, reason, confirm, button, out = erase.children
    assert "2 connection records" in plan.value
    reason.value = "pupil asked (article 17)"
    confirm.value = "P-1002"
    button.click()
    assert "the reference typed to confirm does not match" in out.value
    assert school.get(WORKSPACE, "pupil_profile", PUPIL) is not None
    confirm.value = PUPIL
    button.click()
    assert "Erased pupil P-1001" in out.value
    assert school.get(WORKSPACE, "pupil_profile", PUPIL) is None


def test_the_retention_part_lists_what_is_due(page, school):
    from partnerkit.data_protection.leaving import mark_left

    session = page()
    mark_left(session.store, WORKSPACE, PUPIL, "2020-06-26")
    shown = _html(views_retention.retention_due(session))
    assert "Schedule: Scottish defaults" in shown and "2025-06-26" in shown
