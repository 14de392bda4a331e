"""A served page's widgets are told to the browser when it connects, not first to the server.

Every widget a page's cells make opens a comm, and each opening (with the widget's whole
state) and each change to it is a message the kernel sends out on its IOPub channel. While
the cells run, no browser is connected yet: the only listener is Voilà's server, whose
executor reads every message and keeps nothing of a widget but an Output widget's (which it
fills with what is displayed inside it). The browser, once connected, asks the kernel for
every widget's state in one message (ipywidgets' control comm, ``request_states``) and
never sees the earlier messages.

So, in a served page's kernel, :func:`hold_widget_messages` keeps a widget's messages in
the kernel until a browser opens the control comm: the opening, changes and closing of any
widget that is not an Output widget. From then on every message goes out as before; the
browser's request is answered from the widgets as they are then (ipywidgets reads their
live state), so nothing is lost. Held messages are dropped, not queued: the state the
browser asks for already holds them.

A mapping page makes about 110 widgets: that is about 110 messages the kernel no longer
encodes and signs and the server no longer receives and decodes for each page.
"""

from __future__ import annotations

import threading
from typing import Any

WIDGET_TARGET = "jupyter.widget"
CONTROL_TARGET = "jupyter.widget.control"
SERVER_FOLLOWED_MODULE = "@jupyter-widgets/output"
"""The one widget module Voilà's executor follows (it fills Output widgets)."""


class HeldMessages:
    """Which widget comms are held, and whether messages are held at all (until connected)."""

    def __init__(self) -> None:
        self.holding = True
        self.held: set[str] = set()
        self.lock = threading.Lock()

    def holds(self, comm_id: str, msg_type: str, data: dict | None, target: str | None) -> bool:
        """Whether this message stays in the kernel (and the comm is then held)."""
        with self.lock:
            if not self.holding:
                return False
            if msg_type == "comm_open":
                if target != WIDGET_TARGET or _module(data) == SERVER_FOLLOWED_MODULE:
                    return False
                self.held.add(comm_id)
                return True
            return comm_id in self.held

    def release(self) -> None:
        """A browser has connected: every message goes out from now on."""
        with self.lock:
            self.holding = False
            self.held.clear()


def _module(data: dict | None) -> str | None:
    state = (data or {}).get("state") or {}
    return state.get("_model_module")


HELD = HeldMessages()


def hold_widget_messages() -> bool:
    """Hold this kernel's widget messages until a browser connects; False outside a kernel.

    Installs the ``comm`` package's ``create_comm`` hook (which a kernel is meant to set;
    ipykernel sets it itself) with ipykernel's comm that asks :data:`HELD` first, and
    the control comm's target with one that releases the messages before answering.
    """
    import comm
    from ipykernel.comm.comm import BaseComm
    from ipykernel.kernelbase import Kernel

    if not Kernel.initialized():
        return False

    class PageComm(BaseComm):
        """ipykernel's comm, whose widget messages wait for the page (:data:`HELD`).

        Its kernel is set at once (ipykernel sets it as a comm first sends, and
        ipywidgets sends a widget's changes only through a comm with a kernel).
        """

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.kernel = Kernel.instance()
            super().__init__(*args, **kwargs)

        def publish_msg(self, msg_type: str, data: Any = None, metadata: Any = None,
                        buffers: Any = None, **keys: Any) -> None:
            target = keys.get("target_name", self.target_name)
            if HELD.holds(self.comm_id, msg_type, data, target):
                return
            super().publish_msg(msg_type, data=data, metadata=metadata, buffers=buffers,
                                **keys)

    comm.create_comm = PageComm
    _release_on_connect(comm.get_comm_manager())
    return True


def _release_on_connect(manager: Any) -> None:
    from ipywidgets import Widget

    def page_connected(control: Any, msg: dict) -> None:
        HELD.release()
        Widget.handle_control_comm_opened(control, msg)

    manager.register_target(CONTROL_TARGET, page_connected)


__all__ = ["HELD", "HeldMessages", "hold_widget_messages"]
