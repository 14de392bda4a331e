"""What every workbook starts with: its parameters, the store and who is answering.

A workbook imports the package first, then has a ``parameters`` cell, then calls
:func:`start`. In a batch render the parameters come from papermill; served by Voilà
with preheated kernels, :func:`start` waits for the page request and takes the
per-user values (pupil, step, author ...) from the query string; in JupyterLab the
defaults apply. How a served page behaves (the request hand-over, deferred parts,
friendly errors) is :mod:`partnerkit.page`.
"""

from __future__ import annotations

import getpass
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnerkit import page, paths
from partnerkit.forms.looks import share_default_looks
from partnerkit.store import Store, open_store

log = logging.getLogger(__name__)

AUTHOR_ENV = "PARTNERKIT_AUTHOR"
HUB_USER_ENV = "JUPYTERHUB_USER"


@dataclass
class Session:
    """The store, workspace and author a workbook works with, and its other parameters."""

    store: Store
    workspace: str
    author: str
    data_dir: Path
    params: dict[str, Any] = field(default_factory=dict)
    served: bool = False
    listeners: dict[str, list[Callable[[], None]]] = field(default_factory=dict, repr=False)
    deferred: page.DeferredParts = field(default_factory=page.DeferredParts, repr=False)

    def on_change(self, topic: str, callback: Callable[[], None]) -> None:
        """Call ``callback`` whenever a part of the page says ``topic`` changed."""
        self.listeners.setdefault(topic, []).append(callback)

    def changed(self, topic: str) -> None:
        """Say that ``topic`` changed, so the parts of the page that show it redraw."""
        for callback in self.listeners.get(topic, []):
            try:
                callback()
            except Exception:  # noqa: BLE001 - a redraw must never break the form that saved
                log.exception("redraw after %s changed failed", topic)

    def live(self, topic: str, build: Callable[[], Any], *, later: bool = False) -> Any:
        """A page part that shows ``build()`` and redraws it each time ``topic`` changes.

        With ``later``, on a served page a slow part (a drawing) is drawn once the page's
        cells have all run (the workbook's last cell calls :meth:`done`), while the
        browser is still loading the page's scripts, so the forms are ready sooner.
        Elsewhere (JupyterLab, papermill) it is drawn at once.
        """
        out, draw = page.live_output(build)
        if later and self.served:
            self.deferred.add(out, build)
        else:
            draw()
        self.on_change(topic, draw)
        return out

    def done(self) -> None:
        """Say the page's cells have all run: draw the parts that waited (``live(later=)``).

        They are drawn just after the current cell ends, from the kernel's event loop,
        so the page's last output reaches the browser first. The last code cell of a
        workbook with deferred parts calls this.
        """
        self.deferred.done()

    def __getitem__(self, name: str) -> Any:
        return self.params[name]

    def get(self, name: str, default: Any = None) -> Any:
        """A parameter's value, or ``default``."""
        return self.params.get(name, default)


def default_author() -> str:
    """Who is answering when nobody said: the hub user, $PARTNERKIT_AUTHOR, the login name."""
    for name in (HUB_USER_ENV, AUTHOR_ENV):
        if os.environ.get(name):
            return os.environ[name]
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "practitioner"


def start(*, data_dir: str | None = None, workspace: str = "demo", author: str | None = None,
          **params: Any) -> Session:
    """Open the session a workbook works in; the one call after its parameters cell.

    Query-string values (in a served page) override the keyword defaults only for the
    names the workbook declares; a hub user, when known, is always the author. In
    JupyterLab or papermill a partnerkit error (from here on, this cell included) shows
    as its one clear message; served, every error does (:mod:`partnerkit.page`).
    """
    served = page.is_served()
    share_default_looks()
    if served:
        page.install()
    else:
        page.install_clear_errors()
    request = page.request_parameters()
    declared = {"workspace", "author", *params}
    overrides = {k: v for k, v in request.items() if k in declared}
    workspace = overrides.pop("workspace", workspace)
    author = os.environ.get(HUB_USER_ENV) or overrides.pop("author", None) or author
    params.update(overrides)
    folder = paths.data_dir(data_dir)
    store = open_store(folder)
    store.ensure_workspace(workspace)
    return Session(store=store, workspace=workspace, author=author or default_author(),
                   data_dir=folder, params=params, served=served)
