"""The activity watcher reads headers only, and means what Jupyter Server's does.

Each case feeds the same signed messages to Jupyter Server's own watcher and to
partnerkit's, on two kernels that start alike, and compares what they recorded: the
kernel's ``execution_state`` and whether its idle clock was reset.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from jupyter_client.session import Session
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

from partnerkit.serve.kernel_activity import message_parts, record_activity
from partnerkit.serve.kernels import GentleKernelManager

LONG_AGO = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


class Stream:
    def __init__(self) -> None:
        self.callback = None

    def on_recv(self, callback) -> None:
        self.callback = callback


def watched(manager_class: type, watch, session: Session, state: str) -> tuple:
    """A manager with one stand-in kernel in ``state``, watched by ``watch``."""
    manager = manager_class()
    stream = Stream()
    kernel = SimpleNamespace(session=session, execution_state=state, last_activity=None,
                             connect_iopub=lambda: stream)
    manager._kernels["k"] = kernel
    watch(manager, "k")
    kernel.last_activity = LONG_AGO
    return manager, kernel, stream


def wire(session: Session, msg_type: str, parent_type: str, content: dict) -> list[bytes]:
    parent = session.msg(parent_type, {}) if parent_type else {}
    message = session.msg(msg_type, content, parent=parent)
    return session.serialize(message, ident=[b"kernel.k.iopub"])


CASES = [
    ("busy for a page's cell", "starting", "status", "execute_request",
     {"execution_state": "busy"}),
    ("idle after a page's cell", "busy", "status", "execute_request",
     {"execution_state": "idle"}),
    ("first idle after starting", "starting", "status", "kernel_info_request",
     {"execution_state": "idle"}),
    ("busy for kernel info only", "idle", "status", "kernel_info_request",
     {"execution_state": "busy"}),
    ("a widget message", "idle", "comm_msg", "comm_msg", {"comm_id": "c", "data": {}}),
    ("output while idle", "idle", "stream", "execute_request",
     {"name": "stdout", "text": "x"}),
    ("output while busy", "busy", "display_data", "kernel_info_request", {"data": {}}),
    ("an untracked message while idle", "idle", "stream", "kernel_info_request",
     {"name": "stdout", "text": "x"}),
    ("a message with no parent", "idle", "comm_open", "", {"comm_id": "c", "data": {}}),
]


@pytest.mark.parametrize(("state", "msg_type", "parent_type", "content"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_partnerkit_records_what_jupyter_server_records(state, msg_type, parent_type, content):
    session = Session(key=b"secret")
    theirs = watched(AsyncMappingKernelManager,
                     AsyncMappingKernelManager.start_watching_activity, session, state)
    ours = watched(GentleKernelManager, GentleKernelManager.start_watching_activity,
                   session, state)
    for _manager, _kernel, stream in (theirs, ours):
        stream.callback(wire(session, msg_type, parent_type, content))
    (_, their_kernel, _), (_, our_kernel, _) = theirs, ours
    assert our_kernel.execution_state == their_kernel.execution_state
    assert (our_kernel.last_activity > LONG_AGO) == (their_kernel.last_activity > LONG_AGO)


def test_a_busy_status_resets_the_idle_clock_and_marks_the_kernel_busy():
    session = Session(key=b"secret")
    manager, kernel, stream = watched(GentleKernelManager,
                                      GentleKernelManager.start_watching_activity,
                                      session, "idle")
    stream.callback(wire(session, "status", "execute_request", {"execution_state": "busy"}))
    assert kernel.execution_state == "busy"
    assert kernel.last_activity > LONG_AGO
    assert manager.last_kernel_activity == kernel.last_activity


def test_a_malformed_message_changes_nothing():
    manager = GentleKernelManager()
    kernel = SimpleNamespace(execution_state="idle", last_activity=LONG_AGO)
    for frames in ([b"no delimiter"], [b"<IDS|MSG>", b"sig", b"{not json"], [b"<IDS|MSG>"]):
        record_activity(manager, kernel, frames)
    assert (kernel.execution_state, kernel.last_activity) == ("idle", LONG_AGO)


def test_message_parts_reads_the_headers_past_the_identities():
    session = Session(key=b"secret")
    header, parent, content = message_parts(
        wire(session, "status", "execute_request", {"execution_state": "idle"}))
    assert (header["msg_type"], parent["msg_type"]) == ("status", "execute_request")
    assert b"idle" in content
