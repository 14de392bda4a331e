"""The landing page lists the catalog's workbooks, the six steps and the pupils, escaped."""

from __future__ import annotations

import re

from partnerkit import catalog
from partnerkit.serve.landing import choose_workspace, landing_context, render_landing
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
