from __future__ import annotations

import datetime as dt
import html

import pytest

from partnerkit.content import load_content
from partnerkit.demo.principles import seed as seed_demo_principles
from partnerkit.errors import StepError
from partnerkit.records.base import save_record
from partnerkit.records.plan import DeliveryTool
from partnerkit.reports.parts import render_part
from partnerkit.six_steps import plan_report_html
from partnerkit.store import Store
from tests.six_steps.helpers import ALL_ITEMS, plan, progress


def test_plan_report_shows_every_item_progress_tools_and_the_wheel(store: Store):
    plan(store)
    save_record(store, "school", progress("six_steps.2.2", "in_progress",
                                          dt.date(2026, 8, 20),
                                          "<script>alert(1)</script>"), "Ann")
    save_record(store, "school", progress("six_steps.1.1", "done"), "Ann")
    save_record(store, "school", DeliveryTool(roles=[{"who": "Ann & Bob"}]), "Ann")
    seed_demo_principles(store, "school", "Ann")
    page = plan_report_html(store, "school")
    for number in [i.removeprefix("six_steps.") for i in ALL_ITEMS]:
        assert f"<strong>{number}</strong>" in page
    assert "Whole plan: 1 of 26 items done (3%)" in page
    assert "⚠ Overdue" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "Ann &amp; Bob" in page
    assert "<svg" in page and "Conversation starters" in page
    assert "Test High" in page


def test_plan_report_without_ratings_says_none_yet(store: Store):
    page = plan_report_html(store, "school")
    assert "No principle has been rated yet." in page and "<svg" not in page


def test_the_plan_report_for_one_step_shows_only_that_step(demo_data):
    page = plan_report_html(Store(data=demo_data), "demo", step="3")
    content = load_content()

    def shown(item_id):
        return html.escape(content.item(item_id).text[:40], quote=False) in page

    assert "step 3" in page
    assert shown("six_steps.3.1") and shown("six_steps.3.3")
    assert not shown("six_steps.1.1") and not shown("six_steps.6.4")


def test_the_plan_report_refuses_a_bad_step(store: Store):
    with pytest.raises(StepError):
        plan_report_html(store, "school", step=0)


def test_a_part_is_autoescaped():
    shown = render_part("help_note", note="<b>bold</b> & more")
    assert shown == '<p class="pk-help">&lt;b&gt;bold&lt;/b&gt; &amp; more</p>'
