"""The landing page lists the catalog's workbooks, the six steps and the pupils, escaped;
a store that cannot be read gives the plain message page, never an error."""

from __future__ import annotations

import html
import re
import sqlite3

import pytest

from partnerkit import catalog
from partnerkit.errors import StoreCorruptError
from partnerkit.serve import landing
from partnerkit.serve.landing import (
    choose_workspace,
    landing_context,
    landing_page,
    render_landing,
    store_problem,
)
from partnerkit.store import Store


def test_the_landing_page_lists_the_catalog_workbooks_in_order(demo_data):
    context = landing_context(demo_data, "demo")
    assert context["workbooks"] == catalog.available()
    assert context["pupils"] == ["P-1001", "P-1002", "P-1003", "P-1004", "P-1005"]
    assert [number for number, _ in context["steps"]] == [1, 2, 3, 4, 5, 6]


def test_every_workbook_links_to_its_page(demo_data):
    page = render_landing(demo_data, "demo")
    for workbook in catalog.available():
        assert f'href="voila/render/{workbook.filename}' in page
    assert len(re.findall(r'data-target="step"', page)) == 6


def test_the_landing_page_escapes_the_school_and_the_user(tmp_path):
    store = Store(data=tmp_path)
    store.ensure_workspace("x", "<b>Bad & Co</b>")
    store.close()
    page = render_landing(tmp_path, "x", hub_user="<script>alert(1)</script>")
    assert "&lt;b&gt;Bad &amp; Co&lt;/b&gt;" in page and "<b>Bad" not in page
    assert "<script>alert(1)" not in page


def test_the_workspace_offered_is_the_one_asked_for_else_the_first(demo_data, tmp_path):
    assert choose_workspace(demo_data, "cohort") == "cohort"
    assert choose_workspace(demo_data) == "demo"
    assert choose_workspace(tmp_path) == "school"


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
    status, page = landing_page(tmp_path, "demo")
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
    status, page = landing_page(tmp_path, "demo")
    assert status == 503 and "upgrade partnerkit" in page and str(path) in page


def test_the_message_page_escapes_what_the_message_holds(tmp_path):
    folder = tmp_path / "<img src=x onerror=alert(1)>"
    folder.mkdir()
    (folder / "partnerkit.sqlite").write_bytes(b"")
    status, page = landing_page(folder, "demo")
    assert status == 503 and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img" not in page


def test_an_unexpected_error_is_a_plain_500_page_without_its_internals(demo_data, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internals /srv/keys")

    monkeypatch.setattr(landing, "landing_context", broken)
    status, page = landing_page(demo_data, "demo")
    assert status == 500 and "Something went wrong on the server" in page
    assert "secret internals" not in page


def test_a_good_store_is_a_200_page_and_no_problem(demo_data):
    status, page = landing_page(demo_data, "demo")
    assert status == 200 and 'class="pk-link"' in page and "cannot be opened" not in page
    assert store_problem(demo_data) is None


def test_the_store_problem_is_the_error_the_store_raises(tmp_path):
    (tmp_path / "partnerkit.sqlite").write_bytes(b"")
    problem = store_problem(tmp_path)
    assert isinstance(problem, StoreCorruptError) and "is empty (0 bytes)" in str(problem)
