"""The audit trail workbook: the data-protection lead views, filters and exports the trail."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from partnerkit import audit_trail
from partnerkit.access import GuardedStore, load_account
from partnerkit.errors import AccessDeniedError, AuditTrailError
from partnerkit.store import open_store

WS = "demo"


@pytest.fixture
def demo_store(demo_data: Path):
    store = open_store(demo_data)
    yield store
    store.close()


def _as(store, username: str) -> GuardedStore:
    return GuardedStore(store, load_account(store, username))


def test_only_the_data_protection_lead_and_admins_see_the_trail(demo_store):
    dpo = _as(demo_store, "demo-dpo")
    assert dpo.audit_entries(WS, pupil="P-1001") is not None
    last = demo_store.audit_entries(limit=1)[0]
    assert (last.action, last.account, last.key) == ("audit-read", "demo-dpo", "P-1001")
    teacher = _as(demo_store, "demo-teacher")
    with pytest.raises(AccessDeniedError, match="only the data-protection lead"):
        teacher.audit_entries(WS)
    refused = demo_store.audit_entries(limit=1)[0]
    assert (refused.action, refused.allowed) == ("audit-read-refused", False)
    with pytest.raises(AccessDeniedError):
        teacher.anchor_audit(WS)


def test_a_pupils_map_opened_is_in_the_trail_with_its_door(demo_store, monkeypatch):
    monkeypatch.setenv("PARTNERKIT_DOOR", "page")
    teacher = _as(demo_store, "demo-teacher")
    teacher.get(WS, "pupil_profile", "P-1003")
    teacher.list(WS, "connection", prefix="P-1003/")
    frame = audit_trail.trail_frame(_as(demo_store, "demo-dpo"), WS,
                                    audit_trail.Filters(pupil="P-1003", door="page"))
    assert list(frame.columns) == list(audit_trail.COLUMNS)
    seen = set(zip(frame["account"], frame["kind"], frame["key"], strict=True))
    assert {("demo-teacher", "pupil_profile", "P-1003"),
            ("demo-teacher", "connection", "P-1003/")} <= seen


def test_bad_filters_get_a_clear_message():
    with pytest.raises(AuditTrailError, match="is not a door; choose one of page"):
        audit_trail.Filters(door="window")
    with pytest.raises(AuditTrailError, match="is before the start"):
        audit_trail.Filters(since=dt.date(2026, 12, 2), until=dt.date(2026, 12, 1))


def _link(html: str) -> bytes:
    return base64.b64decode(re.search(r"base64,([^\"]+)\"", html).group(1))


def test_the_page_shows_filters_downloads_and_an_anchor(demo_store):
    view = audit_trail.TrailView(_as(demo_store, "demo-dpo"), WS)
    assert "The audit trail is intact" in view.verdict.value
    view.pupil.value = "P-1001"
    view.refresh()
    csv_text = _link(view.links.value).decode()
    assert csv_text.startswith("id,at,account") and "P-1001" in csv_text
    assert "P-1002" not in csv_text.split("audit-read")[0]
    made = view.make_anchor()
    anchor = json.loads(_link(view.links.value))
    assert anchor["entry_id"] == made["entry_id"] and anchor["format"].startswith("partnerkit")
    view.since.value, view.until.value = dt.date(2026, 12, 2), dt.date(2026, 12, 1)
    assert view.since.value == "02/12/2026", "dates are shown day/month/year"
    view.refresh()
    assert "is before the start" in view.message.value


def test_a_filter_date_that_is_not_one_is_named_with_the_fix(demo_store):
    view = audit_trail.TrailView(_as(demo_store, "demo-dpo"), WS)
    view.since.value = "31/02/2026"
    view.refresh()
    assert "31/02/2026" in view.message.value and "From" in view.message.value
    assert "day/month/year" in view.message.value


def test_a_broken_trail_shows_on_the_page(demo_store):
    with demo_store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit SET account = 'someone' WHERE id = 2")
    view = audit_trail.TrailView(_as(demo_store, "demo-dpo"), WS)
    assert "broken at entry 2" in view.verdict.value


def test_the_render_builder_writes_the_trail(demo_store):
    html = audit_trail.trail_html(_as(demo_store, "demo-dpo"), WS)
    assert "<h1>" in html and "The audit trail is intact" in html and "demo-dpo" in html


@pytest.mark.parametrize("kernel_account", ["demo-dpo"])
def test_the_workbook_runs_for_the_data_protection_lead(demo_data, run_workbook):
    executed = run_workbook("audit_trail", workspace=WS, pupil="P-1001")
    text = json.dumps([cell.get("outputs") for cell in executed.cells])
    assert "Traceback" not in text and "application/vnd.jupyter.widget-view+json" in text
    store = open_store(demo_data)
    read = store.audit_entries(action="audit-read", limit=1)[0]
    store.close()
    assert (read.account, read.key, read.door) == ("demo-dpo", "P-1001", "notebook")
