"""The landing page shows who is signed in and only what they may open, escaped; a store
that cannot be read gives the plain message page, never an error."""

from __future__ import annotations

import html
import re
import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest

from partnerkit import catalog
from partnerkit.access import WORKBOOK_ROLES, load_account, local_account
from partnerkit.demo import create_demo
from partnerkit.errors import StoreCorruptError
from partnerkit.serve import landing
from partnerkit.serve.landing import (
    Visitor,
    choose,
    landing_context,
    landing_page,
    render_landing,
    store_problem,
)
from partnerkit.store import Store, open_store
from tests.serve.people import ANN, COHORT, DEE, EVE, EVERYONE, LEE, TIA, add_people


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """A demo store with the test people, shared by this module's tests (they only read)."""
    folder = tmp_path_factory.mktemp("landing") / "data"
    create_demo(data=folder)
    add_people(folder)
    return folder


def account(data, person):
    store = open_store(data)
    try:
        return load_account(store, person.username)
    finally:
        store.close()


def context(data, person, wanted=None):
    store = open_store(data)
    try:
        return landing_context(store, account(data, person), wanted)
    finally:
        store.close()


def test_a_practitioner_sees_their_workspace_its_pupils_and_their_workbooks(data):
    seen = context(data, ANN)
    assert seen["workspaces"] == {"demo": "Glenbrae High School (fictional)"}
    assert seen["workspace"] == "demo"
    assert seen["pupils"] == ["P-1001", "P-1002", "P-1003", "P-1004", "P-1005"]
    names = [w.name for w in seen["workbooks"]]
    assert names == [w.name for w in catalog.available()
                     if "practitioner" in WORKBOOK_ROLES[w.name]]
    assert "attendance" not in names
    assert [number for number, _ in seen["steps"]] == [1, 2, 3, 4, 5, 6]


def test_a_trainer_sees_only_the_cohort_and_no_school_pupils_or_plans(data):
    seen = context(data, TIA)
    assert list(seen["workspaces"]) == [COHORT]
    assert "six_steps" not in [w.name for w in seen["workbooks"]]
    assert seen["steps"] == []


def test_a_data_protection_lead_opens_the_audit_trail_and_subject_access(data):
    seen = context(data, DEE)
    assert [w.name for w in seen["workbooks"]] == ["audit_trail", "data_protection"]
    page = render_landing(data, Visitor(account(data, DEE)))
    assert 'id="no-workbooks"' not in page and page.count('class="pk-link"') == 2
    assert "audit_trail.ipynb" in page and "Subject access and erasure" in page


def test_a_person_in_two_workspaces_chooses_and_sees_only_what_each_allows(data):
    school = context(data, LEE)
    assert list(school["workspaces"]) == [COHORT, "demo"] and school["workspace"] == COHORT
    chosen = context(data, LEE, wanted="demo")
    assert chosen["workspace"] == "demo"
    assert "attendance" in [w.name for w in chosen["workbooks"]]
    assert "attendance" not in [w.name for w in school["workbooks"]]
    page = render_landing(data, Visitor(account(data, LEE)), "demo")
    assert '<select id="workspace" name="workspace">' in page
    assert re.search(r'<option value="demo" selected>', page)


def test_a_workspace_of_someone_else_in_the_address_is_not_shown(data):
    seen = context(data, ANN, wanted=COHORT)
    assert seen["workspace"] == "demo"
    assert COHORT not in seen["workspaces"]


def test_links_carry_the_workspace_and_never_who_is_working(data):
    page = render_landing(data, Visitor(account(data, LEE)), "demo")
    links = [html.unescape(link) for link in re.findall(r'href="(voila/render/[^"]+)"', page)]
    assert len(links) == 12  # every workbook a school lead may open, six of them steps
    for link in links:
        query = parse_qs(urlsplit(link).query)
        assert query["workspace"] == ["demo"] and set(query) <= {"workspace", "step"}
    assert "author=" not in page and "localStorage" not in page


def test_the_page_says_who_is_signed_in_and_offers_to_sign_out(data):
    page = render_landing(data, Visitor(account(data, ANN), xsrf="tok-1"))
    assert "Signed in as <strong><bdi>Ann Teacher</bdi></strong> (<bdi>ann.teacher</bdi>)" in page
    assert re.search(r'<form method="post" action="/signout">\s*<input type="hidden" '
                     r'name="_xsrf" value="tok-1">', page)
    assert ">Sign out</button>" in page


def test_markup_and_sql_in_a_name_are_shown_as_text(data):
    page = render_landing(data, Visitor(account(data, EVE)))
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; O&#39;Brien; DROP TABLE accounts;--" in page
    store = open_store(data)
    try:
        usernames = {row.username for row in store.account_rows()}
        assert {p.username for p in EVERYONE} <= usernames  # the SQL in the name did nothing
    finally:
        store.close()


def test_the_landing_pages_read_of_pupils_is_audited(data):
    render_landing(data, Visitor(account(data, ANN)))
    store = open_store(data)
    try:
        entries = store.audit_entries(account=ANN.username)
    finally:
        store.close()
    assert any(e.kind == "pupil_profile" and e.action == "read" for e in entries)


def test_without_sign_in_the_page_says_so_and_offers_every_workspace(data):
    page = render_landing(data, Visitor(local_account("kim")))
    assert "Not signed in: working as <bdi>kim</bdi> on this computer." in page
    assert ">Sign out</button>" not in page
    assert 'value="cohort"' in page and 'value="demo"' in page


def test_without_sign_in_an_empty_store_still_offers_a_workspace(tmp_path):
    Store(data=tmp_path).close()
    page = render_landing(tmp_path, Visitor(local_account("kim")))
    assert 'class="pk-link"' in page and "workspace=school" in page


def test_someone_with_no_workspace_is_told_whom_to_ask(tmp_path):
    from partnerkit.access import Account

    Store(data=tmp_path).close()
    page = render_landing(tmp_path, Visitor(Account("new.person", "New Person")))
    assert 'id="no-workspace"' in page and "school lead or an admin" in page


def test_the_workspace_shown_is_the_one_asked_for_else_the_default_else_the_first():
    spaces = {"a": "A", "b": "B", "c": "C"}
    assert choose(spaces, "b", "c") == "b"
    assert choose(spaces, "zzz", "c") == "c"
    assert choose(spaces, None, None) == "a"
    assert choose({}, "a", None) is None


# ------------------------------------------------------------- a damaged store

DAMAGED = {
    "empty": b"",
    "png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "zeroed": b"\x00" * 8192,
}


@pytest.mark.parametrize("kind", list(DAMAGED))
def test_a_damaged_store_gives_the_plain_message_page_not_an_error(tmp_path, kind):
    path = tmp_path / "partnerkit.sqlite"
    path.write_bytes(DAMAGED[kind])
    status, page = landing_page(tmp_path, Visitor(local_account("kim")))
    assert status == 503
    text = html.unescape(page)
    assert "The workbooks cannot be opened just now" in text
    assert f"store file {path}" in text and "restore it from a backup" in text
    assert "Traceback" not in text and "StoreCorruptError" not in text
    assert 'class="pk-link"' not in page and "<script>" not in page
    assert path.read_bytes() == DAMAGED[kind]


def test_a_newer_store_gives_the_plain_message_page(tmp_path):
    Store(data=tmp_path).close()
    path = tmp_path / "partnerkit.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    status, page = landing_page(tmp_path, Visitor(local_account("kim")))
    assert status == 503 and "upgrade partnerkit" in page and str(path) in page


def test_the_message_page_escapes_what_the_message_holds(tmp_path):
    folder = tmp_path / "<img src=x onerror=alert(1)>"
    folder.mkdir()
    (folder / "partnerkit.sqlite").write_bytes(b"")
    status, page = landing_page(folder, Visitor(local_account("kim")))
    assert status == 503 and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img" not in page


def test_an_unexpected_error_is_a_plain_500_page_without_its_internals(data, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internals /srv/keys")

    monkeypatch.setattr(landing, "landing_context", broken)
    status, page = landing_page(data, Visitor(account(data, ANN)))
    assert status == 500 and "Something went wrong on the server" in page
    assert "secret internals" not in page


def test_a_good_store_is_a_200_page_and_no_problem(data):
    status, page = landing_page(data, Visitor(account(data, ANN)))
    assert status == 200 and 'class="pk-link"' in page and "cannot be opened" not in page
    assert store_problem(data) is None


def test_the_store_problem_is_the_error_the_store_raises(tmp_path):
    (tmp_path / "partnerkit.sqlite").write_bytes(b"")
    problem = store_problem(tmp_path)
    assert isinstance(problem, StoreCorruptError) and "is empty (0 bytes)" in str(problem)
