"""A served page's widget messages wait in its kernel until the page's browser connects.

Each test runs a real ipykernel (jupyter_client) and reads everything the kernel sends on
its IOPub channel, as Voilà's server does while the page's cells run; then connects as
the page's browser does (ipywidgets' control comm, ``request_states``).
"""

from __future__ import annotations

import queue
import uuid
from collections.abc import Iterator

import pytest
from jupyter_client.manager import start_new_kernel

HOLD = "from partnerkit.page_comms import hold_widget_messages\nassert hold_widget_messages()\n"
WIDGETS = """\
import ipywidgets as w
field = w.Text(value="first")
box = w.VBox([field])
out = w.Output()
field.value = "typed in the cell"
with out:
    print("shown in an output")
"""


@pytest.fixture
def kernel() -> Iterator:
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def run(client, code: str) -> list[dict]:
    """Run ``code`` and return every IOPub message it caused, up to the kernel going idle."""
    msg_id = client.execute(code)
    reply = client.get_shell_msg(timeout=30)
    assert reply["content"]["status"] == "ok", reply["content"]
    return messages_until_idle(client, msg_id)


def messages_until_idle(client, msg_id: str) -> list[dict]:
    seen = []
    while True:
        msg = client.get_iopub_msg(timeout=30)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return seen
        seen.append(msg)


def widget_messages(messages: list[dict]) -> list[dict]:
    return [m for m in messages if m["msg_type"].startswith("comm_")]


def opened_models(messages: list[dict]) -> list[str]:
    return [m["content"]["data"]["state"]["_model_name"] for m in messages
            if m["msg_type"] == "comm_open"]


def connect_as_the_page(client) -> dict:
    """Open the control comm and ask for every widget's state, as the page's script does."""
    comm_id = uuid.uuid4().hex
    opening = client.session.msg("comm_open", {
        "comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
        metadata={"version": "1.0.0"})
    client.shell_channel.send(opening)
    asking = client.session.msg("comm_msg", {
        "comm_id": comm_id, "data": {"method": "request_states"}})
    client.shell_channel.send(asking)
    for msg in iter_iopub(client):
        if (msg["msg_type"] == "comm_msg" and msg["content"]["comm_id"] == comm_id):
            return msg["content"]["data"]
    raise AssertionError("the kernel never answered the page's request for its widgets")


def iter_iopub(client) -> Iterator[dict]:
    while True:
        try:
            yield client.get_iopub_msg(timeout=30)
        except queue.Empty:
            return


def test_without_holding_every_widget_is_announced_to_the_server(kernel):
    sent = widget_messages(run(kernel, WIDGETS))
    assert {"TextModel", "VBoxModel", "OutputModel"} <= set(opened_models(sent))
    assert any(m["msg_type"] == "comm_msg" for m in sent)


def test_held_widgets_send_nothing_but_the_output_widget_the_server_fills(kernel):
    run(kernel, HOLD)
    sent = widget_messages(run(kernel, WIDGETS))
    assert opened_models(sent) == ["OutputModel"]
    output_id = next(m["content"]["comm_id"] for m in sent if m["msg_type"] == "comm_open")
    assert {m["content"]["comm_id"] for m in sent} == {output_id}


def test_the_page_gets_every_widget_as_it_is_now_when_it_connects(kernel):
    run(kernel, HOLD)
    run(kernel, WIDGETS)
    answer = connect_as_the_page(kernel)
    assert answer["method"] == "update_states"
    fields = [s["state"] for s in answer["states"].values() if s["model_name"] == "TextModel"]
    assert [f["value"] for f in fields] == ["typed in the cell"]
    assert {"VBoxModel", "OutputModel"} <= {s["model_name"] for s in answer["states"].values()}


def test_once_the_page_has_connected_every_change_and_new_widget_reaches_it(kernel):
    run(kernel, HOLD)
    run(kernel, WIDGETS)
    connect_as_the_page(kernel)
    sent = widget_messages(run(kernel, 'field.value = "typed on the page"\nw.Button()'))
    updates = [m["content"]["data"] for m in sent if m["msg_type"] == "comm_msg"]
    assert {"method": "update", "state": {"value": "typed on the page"},
            "buffer_paths": []} in updates
    assert "ButtonModel" in opened_models(sent)


def test_holding_outside_a_kernel_does_nothing():
    from partnerkit.page_comms import hold_widget_messages

    assert hold_widget_messages() is False
