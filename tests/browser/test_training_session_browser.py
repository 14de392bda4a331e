"""A small training session end to end, in a real browser (issue 18's "done when").

Three participants in cohort "school": Pia has done every activity and failed the quiz
twice, Pat has rated herself at the start, Paz has not started (seeded in the store,
since they are not the point). In the browser: the trainer opens the cohort board; Pia
fails a third attempt and is locked out; the trainer's board shows it without a reload;
the trainer tries to lift the lock without a reason (refused, nothing recorded), then
with one; Pia passes, gets her certificate as PDF, and ``partnerkit verify`` (and the
/verify page) confirm it is genuine.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from partnerkit import accounts
from partnerkit.access import GuardedStore, load_account
from partnerkit.collaborative_working import draw_questions
from partnerkit.records.base import load_records, save_record
from partnerkit.records.module import QuizLockLift, SelfRating
from partnerkit.store import open_store
from tests.browser.conftest import signed_in_page  # noqa: F401 (the pattern; tabs below)
from tests.collaborative_working.attempts import fail
from tests.collaborative_working.work import seed_activities
from tests.helpers.isolation import wait_for_widgets
from tests.helpers.served_pages import assert_no_traceback
from tests.serve.people import PASSWORD
from tests.serve.running import running_server, sign_in

pytestmark = pytest.mark.browser

PEOPLE = {"tara.trainer": ("Tara Trainer", "trainer"), "pia.one": ("Pia One", "practitioner"),
          "pat.two": ("Pat Two", "practitioner"), "paz.three": ("Paz Three", "practitioner")}


def prepare(data):
    """The cohort, its people and the work that is not the point of the test."""
    store = open_store(data)
    try:
        accounts.add_workspace(store, "school", "Spring cohort", by="tests")
        for username, (name, role) in PEOPLE.items():
            accounts.add_user(store, username, name, role, "school", by="tests",
                              password=PASSWORD)
        pia = GuardedStore(store, load_account(store, "pia.one"))
        seed_activities(pia, "pia.one")
        fail(pia, "pia.one")
        fail(pia, "pia.one")
        save_record(GuardedStore(store, load_account(store, "pat.two")), "school",
                    SelfRating(practitioner="pat.two", moment="start", rating=2), "pat.two")
    finally:
        store.close()


@pytest.fixture(scope="module")
def session_server(tmp_path_factory, chromium_path):
    with running_server(tmp_path_factory.mktemp("training"), "--pool", "0",
                        prepare=prepare) as running:
        yield running


def tab_for(browser, server, username):
    client, _ = sign_in(server, username, PASSWORD)
    context = browser.new_context(accept_downloads=True)
    context.add_cookies([{"name": "partnerkit_session", "url": server.url,
                          "value": client.cookies["partnerkit_session"]}])
    tab = context.new_page()
    tab.set_default_timeout(90_000)
    return tab


def open_page(tab, server, workbook):
    tab.goto(f"{server.url}/voila/render/{workbook}.ipynb?workspace=school", timeout=180_000)
    wait_for_widgets(tab, timeout=180_000)


def answer_correctly(quiz, attempt):
    """Tick the right options of every question of ``attempt`` (by their labels)."""
    seen: dict[str, int] = {}
    for question in draw_questions(attempt):
        for option in question.options:
            nth = seen.get(option.text, 0)
            seen[option.text] = nth + 1
            if option.correct:
                quiz.get_by_label(option.text, exact=True).nth(nth).check()


def board_row(tab, name):
    return tab.locator("table.pk-data-table tr", has_text=name)


def test_a_training_session_end_to_end(browser, session_server, tmp_path):
    server = session_server
    trainer, pia = tab_for(browser, server, "tara.trainer"), tab_for(browser, server, "pia.one")
    try:
        open_page(trainer, server, "cohort")
        expect(board_row(trainer, "Pia One")).to_contain_text("stuck")
        expect(board_row(trainer, "Paz Three")).to_contain_text("not started")
        open_page(pia, server, "collaborative_working")
        expect(pia.locator("#pk-completion-count")).to_contain_text("11 of 12")
        # Pia's third failed attempt locks her out.
        quiz = pia.locator(".pk-quiz")
        quiz.get_by_role("button", name="Start attempt 3").click()
        quiz.locator("input[type=radio]").first.check()
        quiz.get_by_role("button", name="Submit my answers").click()
        expect(quiz.get_by_text("After 3 failed attempts the quiz is locked")).to_be_visible()
        # The trainer's board shows it as it happens, without a reload.
        expect(board_row(trainer, "Pia One")).to_contain_text("locked")
        trainer.get_by_role("button", name="Locked out of the quiz").click()
        expect(board_row(trainer, "Pat Two")).to_have_count(0)
        trainer.screenshot(path=str(tmp_path / "cohort-board.png"), full_page=True)
        # No reason: refused, nothing recorded; then with a reason.
        trainer.locator("select", has=trainer.locator("option", has_text="Pia One")
                        ).select_option(label="Pia One")
        allow = trainer.get_by_role("button", name="Record and allow")
        allow.click()
        expect(trainer.get_by_text("no reason was given")).to_be_visible()
        trainer.locator("textarea").first.fill("Her laptop froze during attempt 3.")
        allow.click()
        expect(trainer.get_by_text("Recorded: Pia One can take the quiz again.")).to_be_visible()
        # Pia takes the quiz again and passes.
        quiz.get_by_role("button", name="Check again").click()
        quiz.get_by_role("button", name="Start attempt 4").click()
        answer_correctly(quiz, 4)
        quiz.get_by_role("button", name="Submit my answers").click()
        expect(quiz.get_by_text("Attempt 4 submitted: you passed.")).to_be_visible()
        expect(quiz.locator(".pk-right-answer").first).to_be_visible()
        pia.get_by_role("button", name="Check my progress again").click()
        expect(pia.locator("#pk-completion-count")).to_contain_text("12 of 12")
        pia.get_by_role("button", name="Get my certificate").click()
        ready = pia.get_by_text("Your certificate is ready.")
        expect(ready).to_be_visible()
        code = re.search(r"PK(-[A-Z2-7]{4}){6}", ready.text_content()).group(0)
        with pia.expect_download() as download:
            pia.get_by_role("link", name="download").click()
        pdf = tmp_path / "certificate.pdf"
        download.value.save_as(pdf)
        expect(board_row(trainer, "Pia One")).to_have_count(0)  # the filter: locked only
        trainer.get_by_role("button", name="Everyone").click()
        expect(board_row(trainer, "Pia One")).to_contain_text("complete")
        assert_no_traceback(pia)
        assert_no_traceback(trainer)
    finally:
        trainer.context.close()
        pia.context.close()
    verified = subprocess.run([sys.executable, "-m", "partnerkit", "verify", code, "--pdf",
                               str(pdf), "--data", str(server.data)],
                              capture_output=True, text=True, timeout=120)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith("GENUINE:") and "Pia One" in verified.stdout
    check_on_the_verification_page(browser, server, code, pdf, tmp_path)
    store = open_store(server.data)
    try:
        (lift,) = load_records(store, "school", QuizLockLift)
        assert lift.reason == "Her laptop froze during attempt 3."
        assert [c.author for c in store.history("school", "quiz_lock_lift", lift.record_key())] \
            == ["tara.trainer"]
    finally:
        store.close()


def check_on_the_verification_page(browser, server, code, pdf, tmp_path):
    """Someone not signed in checks the code, then the PDF, on /verify."""
    context = browser.new_context()
    tab = context.new_page()
    try:
        tab.goto(f"{server.url}/verify?code={code}")
        expect(tab.locator("#verdict")).to_contain_text("Genuine")
        expect(tab.locator("#issued-text")).to_contain_text("Participant: Pia One")
        tab.locator("#pdf").set_input_files(str(pdf))
        tab.get_by_role("button", name="Check the certificate").click()
        expect(tab.locator("#verdict")).to_contain_text("was issued to Pia One")
        expect(tab.locator("#issued-text")).to_contain_text("Hours: 3")
        tab.screenshot(path=str(tmp_path / "verify-page.png"), full_page=True)
    finally:
        context.close()


def test_the_verification_page_is_open_and_says_genuine_or_not(browser, session_server):
    context = browser.new_context()
    tab = context.new_page()
    try:
        tab.goto(f"{session_server.url}/verify?code=PK-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
        expect(tab.locator("#verdict")).to_contain_text("Not genuine")
        tab.locator("#code").fill("nonsense")
        tab.get_by_role("button", name="Check the certificate").click()
        expect(tab.locator(".summary")).to_contain_text("is not a verification code")
    finally:
        context.close()
