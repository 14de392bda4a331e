"""Helpers for the cross-user isolation matrix (``tests/browser/test_isolation_matrix.py``).

The matrix signs in as the demo accounts of ``partnerkit demo``. Beside the demo school
its server has a second workspace with a pupil of its own (for ``pupil=`` of another
workspace in an address) and a practitioner who has not taken the quiz yet (for the quiz
lock). What the tests check in the store they read with a plain
:class:`~partnerkit.store.Store`, as an admin at the server's console would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnerkit import accounts
from partnerkit.demo import DEMO_WORKSPACE, create_demo
from partnerkit.demo.accounts import DEMO_PASSWORD
from partnerkit.records import PupilProfile, save_record
from partnerkit.store import open_store

OTHER_WORKSPACE = "kirkton"
OTHER_SCHOOL = "Kirkton Academy (fictional)"
OTHER_PUPIL = "P-2001"
OTHER_PUPIL_SIBLINGS = "A twin sister in S3 at Kirkton"
"""What only the other school's staff may read: none of the demo accounts belongs there."""
OTHER_LEAD = "kirkton.lead"
REAL_NAME_PUPIL = "P-1001"
REAL_NAME = "Jamie Realname-Example"
"""A demo pupil's real name, kept apart: only the school lead and the admin see it."""
QUIZ_TAKER = "quiz.taker"
QUIZ_TAKER_NAME = "Quinn Taylor"


def prepare_matrix_data(data: Path) -> None:
    """The demo school and its accounts (a pupil's real name kept apart), another school
    with a pupil, and a practitioner who has not taken the quiz."""
    create_demo(data=data)
    store = open_store(data)
    try:
        accounts.add_workspace(store, OTHER_WORKSPACE, OTHER_SCHOOL, by="tests")
        accounts.add_user(store, OTHER_LEAD, "Kim Kirkton", "school_lead", OTHER_WORKSPACE,
                          by="tests", password=DEMO_PASSWORD)
        pupil = PupilProfile(pupil=OTHER_PUPIL, stage="S3", siblings=OTHER_PUPIL_SIBLINGS,
                             neighbourhood="Kirkton")
        save_record(store, OTHER_WORKSPACE, pupil, OTHER_LEAD)
        accounts.add_user(store, QUIZ_TAKER, QUIZ_TAKER_NAME, "practitioner", DEMO_WORKSPACE,
                          by="tests", password=DEMO_PASSWORD)
        store.set_real_name(DEMO_WORKSPACE, REAL_NAME_PUPIL, REAL_NAME, "demo-admin")
    finally:
        store.close()


# ------------------------------------------------------------------ the store


@dataclass(frozen=True)
class Found:
    """A stored record that holds a value typed in the browser, and who saved it last."""

    key: str
    data: dict[str, Any]
    updated_by: str
    last_author: str


def records_holding(data: Path, workspace: str, kind: str, text: str) -> list[Found]:
    """Every record of ``kind`` in ``workspace`` whose data holds ``text`` anywhere."""
    store = open_store(data)
    try:
        found = []
        for record in store.list(workspace, kind):
            if text in json.dumps(record.data, ensure_ascii=False):
                history = store.history(workspace, kind, record.key)
                found.append(Found(record.key, record.data, record.updated_by,
                                   history[-1].author if history else ""))
        return found
    finally:
        store.close()


def refusals(data: Path, username: str, kind: str) -> list[Any]:
    """The audit trail's refused writes of ``kind`` by ``username``, newest first."""
    store = open_store(data)
    try:
        return [e for e in store.audit_entries(account=username, action="write-refused")
                if e.kind == kind]
    finally:
        store.close()


def audit_of(data: Path, username: str, workspace: str) -> list[Any]:
    """Every audit entry of ``username`` about ``workspace``, newest first."""
    store = open_store(data)
    try:
        return store.audit_entries(account=username, workspace=workspace)
    finally:
        store.close()


def versions(data: Path, workspace: str, kind: str) -> dict[str, int]:
    """The version of every record of ``kind`` in ``workspace``, by key."""
    store = open_store(data)
    try:
        return {record.key: record.version for record in store.list(workspace, kind)}
    finally:
        store.close()


# ------------------------------------------------------------------ the page

WIDGETS_DRAWN = """() => {
    const outputs = Array.from(document.querySelectorAll('.jp-OutputArea-output'));
    return outputs.length > 0 && outputs.every((output) => output.children.length > 0);
}"""
"""True once every output of the page's cells is drawn: a widget's output is an empty
box until its view is rendered, which may be after Voilà has removed its spinner."""


def wait_for_widgets(page: Any, timeout: float = 120_000) -> None:
    """Wait until every cell output of a served page (widgets included) is drawn."""
    page.wait_for_function(WIDGETS_DRAWN, timeout=timeout)


def pinned(page: Any, field: Any) -> Any:
    """The same element as ``field`` from now on (found by its id, not by its position)."""
    return page.locator(f"[id='{field.get_attribute('id')}']")


# ------------------------------------------------------------ forged messages

FIND_MODEL = """
([description, modelName]) => {
    const manager = window.partnerkitPage && window.partnerkitPage.widgetManager;
    if (!manager) { return null; }
    for (const [id, model] of manager._modelsSync) {
        if (model.get('description') === description
                && model.get('_model_name') === modelName) { return id; }
    }
    return null;
}
"""
"""The id of the first widget model with this description (the label a field is built
with), found in the page's widget manager (``window.partnerkitPage.widgetManager``)."""

SEND_ON_COMM = """
([modelId, data]) => {
    const model = window.partnerkitPage.widgetManager._modelsSync.get(modelId);
    model.comm.send(data, model.callbacks(), {}, []);
    return model.comm.comm_id;
}
"""
"""Send ``data`` on a widget model's comm over the page's kernel websocket, as a browser
that does not go through the widget's view (or a hand-made script) would."""


def forge_update(page: Any, description: str, value: Any,
                 model_name: str = "TextModel") -> str:
    """Send a widget update (``value``) to the field labelled ``description``; its model id."""
    model_id = page.evaluate(FIND_MODEL, [description, model_name])
    assert model_id, f"no {model_name} labelled {description!r} in the page's widget manager"
    page.evaluate(SEND_ON_COMM, [model_id, {"method": "update", "state": {"value": value},
                                            "buffer_paths": []}])
    return model_id


def forge_click(page: Any, description: str) -> str:
    """Send a button's click over the websocket, though the page does not show the button."""
    model_id = page.evaluate(FIND_MODEL, [description, "ButtonModel"])
    assert model_id, f"no button {description!r} in the page's widget manager"
    page.evaluate(SEND_ON_COMM, [model_id, {"method": "custom",
                                            "content": {"event": "click"}}])
    return model_id
