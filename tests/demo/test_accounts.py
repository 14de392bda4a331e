"""The demo's accounts: one per role, the cohort, one demo-only password, the login linked."""

from __future__ import annotations

import datetime as dt

import pytest

from partnerkit import accounts, principles
from partnerkit.access import GuardedStore, load_account
from partnerkit.cli import main
from partnerkit.demo import create_demo
from partnerkit.demo.accounts import DEMO_ACCOUNTS, DEMO_ONLY, DEMO_PASSWORD
from partnerkit.demo.collaborative_working import DEMO_COHORT, DEMO_SHARED, cohort_username
from partnerkit.records.base import load_records
from partnerkit.records.module import LogEntry, QuizAttempt
from partnerkit.store import Store

ROLES = {"demo-admin": "admin", "demo-lead": "school_lead", "demo-teacher": "practitioner",
         "demo-partner": "practitioner", "demo-trainer": "trainer", "demo-dpo": "dp_lead"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Store:
    folder = tmp_path_factory.mktemp("demo")
    create_demo(data=folder)
    store = Store(data=folder)
    yield store
    store.close()


def test_there_is_a_demo_account_for_every_role(demo: Store):
    roles = {m.username: m.role for m in demo.memberships(workspace="demo")}
    assert {u: roles[u] for u in ROLES} == ROLES
    assert set(ROLES.values()) == {"admin", "school_lead", "practitioner", "trainer", "dp_lead"}


def test_every_demo_account_signs_in_with_the_printed_password(tmp_path, capsys):
    assert main(["demo", "--data", str(tmp_path / "d")]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "password of every demo account" in x)
    printed = line.split(": ", 1)[1].split()[0]
    assert printed == DEMO_PASSWORD and "demo only" in line
    assert f"Demo accounts ({DEMO_ONLY}):" in out
    assert DEMO_ONLY == "demo only — do not use real pupils' data with these accounts"
    store = Store(data=tmp_path / "d")
    now = dt.datetime.now(dt.UTC)
    for username in ROLES:
        assert accounts.sign_in(store, username, printed, now).account.username == username
    assert accounts.sign_in(store, "morag.grant", printed, now)


def test_the_partner_speaks_for_an_organisation_whose_ratings_the_demo_has(demo: Store):
    partner = load_account(demo, "demo-partner")
    organisation = partner.rater("demo")
    assert organisation in principles.raters(demo, "demo") and organisation != "school"


def test_this_computers_login_acts_as_the_demo_admin(demo: Store):
    assert demo.login_account(accounts.login_name()) == "demo-admin"


def test_a_login_linked_elsewhere_stays_linked(tmp_path):
    store = Store(data=tmp_path)
    store.ensure_workspace("demo")
    store.map_login(accounts.login_name(), "someone.else")
    store.close()
    create_demo(data=tmp_path)
    assert Store(data=tmp_path).login_account(accounts.login_name()) == "someone.else"


def test_the_cohort_are_accounts_and_their_work_is_filed_under_their_usernames(demo: Store):
    usernames = {cohort_username(name) for name in DEMO_COHORT}
    assert "morag.grant" in usernames and "liam.oneill" in usernames
    members = {m.username: m.role for m in demo.memberships(workspace="demo")}
    assert all(members[u] == "practitioner" for u in usernames)
    attempts = load_records(demo, "demo", QuizAttempt)
    assert {a.practitioner for a in attempts} <= usernames
    for record in demo.list("demo", "log_entry"):
        assert record.key.split("/", 1)[0] in usernames
        assert demo.history("demo", "log_entry", record.key)[-1].author == \
            record.key.split("/", 1)[0]


def test_the_trainer_reads_only_the_entries_shared_with_them(demo: Store):
    trainer = GuardedStore(demo, load_account(demo, "demo-trainer"))
    seen = {(r.key.split("/", 1)[0], r.key.split("/", 1)[1])
            for r in trainer.list("demo", "log_entry")}
    shared = {(cohort_username(name), task) for name, tasks in DEMO_SHARED.items()
              for task in tasks}
    assert seen == shared and len({who for who, _ in seen}) >= 2
    everything = load_records(demo, "demo", LogEntry)
    assert len(everything) > len(seen)


def test_running_the_demo_twice_adds_no_account_and_changes_nothing(tmp_path):
    create_demo(data=tmp_path)
    store = Store(data=tmp_path)
    before = (store.count_history(), [tuple(r) for r in store.account_rows()],
              [tuple(m) for m in store.memberships()])
    store.close()
    summary = create_demo(data=tmp_path)
    store = Store(data=tmp_path)
    after = (store.count_history(), [tuple(r) for r in store.account_rows()],
             [tuple(m) for m in store.memberships()])
    assert after == before and summary.accounts.added == 0
    assert len(before[1]) == len(DEMO_ACCOUNTS) + len(DEMO_COHORT)
