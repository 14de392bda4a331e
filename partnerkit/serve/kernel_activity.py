"""Watching a kernel's activity for culling, reading only the two small headers of each message.

Jupyter Server notes when each kernel was last active (culling ends a kernel idle for
``--cull-minutes``) by listening to every message the kernel publishes. Its watcher
checks each message's signature and unpacks its headers and metadata, turning every
date in them into a ``datetime`` with dateutil: a sixth of the server's own work for a
page, whose widgets are a few hundred messages (``py-spy`` of ``partnerkit serve``
while a page loads). The page's kernel client and its browser connection check and
unpack the same messages again anyway.

:func:`watch_activity` keeps the watcher's meaning exactly (which messages count as
activity, the kernel's ``execution_state``) and reads only the message type of the
message and of its parent, with ``json``, and the content of ``status`` messages (one
small dictionary). It does not check the signature: it acts on nothing but the idle
clock and the state shown in the kernel list, and the kernel's publishing socket is
a file only the server's user can open (``KernelManager.transport = "ipc"``).
"""

from __future__ import annotations

import json
from typing import Any

from jupyter_server._tz import utcnow

DELIMITER = b"<IDS|MSG>"


def message_parts(msg_list: list[Any]) -> tuple[dict, dict, bytes] | None:
    """The header, the parent header and the raw content of a message, or None if malformed.

    A message on the wire is ``[identities..., DELIMITER, signature, header,
    parent_header, metadata, content, buffers...]``.
    """
    frames = [bytes(frame) for frame in msg_list[:16]]
    try:
        start = frames.index(DELIMITER) + 2
        header, parent = json.loads(frames[start]), json.loads(frames[start + 1])
        return header, parent, frames[start + 3]
    except (ValueError, IndexError):
        return None


def record_activity(manager: Any, kernel: Any, msg_list: list[Any]) -> None:
    """Jupyter Server's ``record_activity`` for one message, from its headers alone."""
    parts = message_parts(msg_list)
    if parts is None:
        return
    header, parent, content = parts
    msg_type, parent_type = header.get("msg_type"), parent.get("msg_type")
    if (manager.track_message_type(msg_type) or manager.track_message_type(parent_type)
            or kernel.execution_state == "busy"):
        manager.last_kernel_activity = kernel.last_activity = utcnow()
    if msg_type != "status":
        return
    try:
        state = json.loads(content).get("execution_state")
    except ValueError:
        return
    if manager.track_message_type(parent_type):
        kernel.execution_state = state
    elif kernel.execution_state == "starting" and state != "starting":
        kernel.execution_state = "idle"


def still_starting(kernel: Any) -> bool:
    """True for a kernel whose activity is not watched yet (it has not finished starting).

    Jupyter Server's culler reads ``last_activity`` of every kernel, and one still
    starting has none: the culler logged an error with a traceback for it.
    """
    has_value = getattr(kernel, "trait_has_value", None)
    return has_value is not None and not has_value("last_activity")


def watch_activity(manager: Any, kernel_id: str) -> None:
    """Start watching a kernel's published messages (``start_watching_activity``)."""
    kernel = manager._kernels[kernel_id]
    kernel.reason = ""
    kernel.last_activity = utcnow()
    kernel._activity_stream = kernel.connect_iopub()
    kernel._activity_stream.on_recv(lambda msg_list: record_activity(manager, kernel, msg_list))
