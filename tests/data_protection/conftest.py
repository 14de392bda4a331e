"""A school with a data-protection lead, a school lead, a teacher and one pupil with a full record.

Pupil P-1001 has a profile, map connections, an answer, a staged support plan, a child
protection request for assistance, a real name, several saves of history, a report file
in the data folder and rows in the workspace's attendance file; P-1002 has a profile
and attendance rows (nothing of theirs may be touched by P-1001's erasure). Every piece of
P-1001's text is listed in :data:`SECRETS`, for the byte scans.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from partnerkit.access import GuardedStore, load_account
from partnerkit.store import Store

WORKSPACE = "school"
PUPIL, OTHER = "P-1001", "P-1002"
REAL_NAME = "Ishbel Quarrington"
SECRETS = ("Ishbel Quarrington", "Grandmother Wyndham-Ferrier", "Zebedee Lighthouse Club",
           "afraid of the school bus Q7", "Procedure Tiree-Hebrides-CP", "Kestrel class notes")
"""Text only P-1001's records hold: none of it may survive their erasure."""
OTHER_TEXT = "Marram Dunes Youth Project"


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def _accounts(store: Store) -> None:
    for username, role in (("dpo", "dp_lead"), ("lead", "school_lead"),
                           ("teacher", "practitioner")):
        store.add_account(username, username.title(), created_by="test")
        store.set_membership(username, WORKSPACE, role, added_by="test")


def _pupil(store: Store) -> None:
    save = store.save
    save(WORKSPACE, "pupil_profile", PUPIL, {"pupil": PUPIL, "stage": "S1",
                                             "current_challenges": "first draft"}, "teacher")
    save(WORKSPACE, "pupil_profile", PUPIL, {"pupil": PUPIL, "stage": "S2",
                                             "current_challenges": SECRETS[3]}, "teacher")
    save(WORKSPACE, "connection", f"{PUPIL}/c1", {
        "pupil": PUPIL, "id": "c1", "name": SECRETS[1], "layer": "families"}, "teacher")
    save(WORKSPACE, "connection", f"{PUPIL}/c2", {
        "pupil": PUPIL, "id": "c2", "name": SECRETS[2], "layer": "community_context"},
        "teacher")
    save(WORKSPACE, "answer", f"{PUPIL}/mapping_tool.question.1", {
        "question": "mapping_tool.question.1", "subject": PUPIL, "text": SECRETS[5]}, "teacher")
    save(WORKSPACE, "staged_support_plan", f"{PUPIL}/assessment", {
        "pupil": PUPIL, "stage": "assessment", "notes": "reads well"}, "teacher")
    save(WORKSPACE, "request_for_assistance", f"{PUPIL}/r1", {
        "pupil": PUPIL, "id": "r1", "status": "requested", "partner_service": "social_work",
        "reason": "concern raised", "child_protection": True,
        "local_procedure": SECRETS[4], "requested_on": "2026-08-20"}, "teacher")
    store.set_real_name(WORKSPACE, PUPIL, REAL_NAME, "lead")
    save(WORKSPACE, "pupil_profile", OTHER, {"pupil": OTHER, "stage": "S3"}, "teacher")
    save(WORKSPACE, "connection", f"{OTHER}/c9", {
        "pupil": OTHER, "id": "c9", "name": OTHER_TEXT, "layer": "community_context"}, "teacher")


def _files(data: Path) -> None:
    reports = data / "reports"
    reports.mkdir(mode=0o700)
    (reports / f"map-summary-{PUPIL}.html").write_text(f"<p>{REAL_NAME} {SECRETS[1]}</p>")
    (reports / f"map-summary-{OTHER}.html").write_text(f"<p>{OTHER_TEXT}</p>")
    folder = data / WORKSPACE
    folder.mkdir(mode=0o700)
    rows = ["Pupil Ref,Date,Session,Attendance Code"]
    rows += [f"{ref},2025-0{m}-1{d},AM,10" for ref in (PUPIL, OTHER) for m in (1, 2)
             for d in range(3)]
    (folder / "attendance_marks.csv").write_text("\r\n".join(rows) + "\r\n")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    return folder


@pytest.fixture
def school(data: Path) -> Store:
    """The store of the school, filled; closed after the test."""
    store = Store(data=data, clock=Clock())
    store.ensure_workspace(WORKSPACE)
    _accounts(store)
    _pupil(store)
    _files(data)
    yield store
    store.close()


def as_account(store: Store, username: str) -> GuardedStore:
    """The store as one of the school's accounts uses it."""
    return GuardedStore(store, load_account(store, username))


@pytest.fixture
def dpo(school: Store) -> GuardedStore:
    return as_account(school, "dpo")


@pytest.fixture
def page(school, data):
    """A session on the school's store for an account (the dp lead), about P-1001.

    Its live parts are drawn at once, as the page draws them.
    """
    from partnerkit.session import Session

    def make(username="dpo", pupil=PUPIL):
        session = Session(store=as_account(school, username), workspace=WORKSPACE,
                          author=username, data_dir=data, params={"pupil": pupil})
        session.live = lambda topic, build, later=False: build()  # the part as drawn
        return session
    return make
