"""What every workbook starts with: its parameters, the store and who is answering.

A workbook imports the package first, then has a ``parameters`` cell, then calls
:func:`start`. In a batch render the parameters come from papermill; served by Voilà
with preheated kernels, :func:`start` waits for the page request and takes the page's
values (pupil, step, workspace ...) from the query string; in JupyterLab the defaults
apply. How a served page behaves (the request hand-over, deferred parts, friendly
errors) is :mod:`partnerkit.page`.

Who is working never comes from the page: served, it is the account the server handed
to this kernel (:func:`partnerkit.page.handed_over_identity`); in JupyterLab or a
batch render it is :func:`partnerkit.accounts.resolve_account`. The session's store is
a :class:`~partnerkit.access.GuardedStore` for that account, so every read and write of
the workbook passes the one permission check.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnerkit import page, paths
from partnerkit.access import Account, GuardedStore, check_open, local_account
from partnerkit.accounts import resolve_account
from partnerkit.forms.looks import share_default_looks
from partnerkit.store import Store, open_store

log = logging.getLogger(__name__)


@dataclass
class Session:
    """The store, workspace and author a workbook works with, and its other parameters.

    ``author`` is the username of the account working (every save is theirs);
    ``account`` is that account with its roles (None in tests that build a session on a
    raw store).
    """

    store: Store | GuardedStore
    workspace: str
    author: str
    data_dir: Path
    params: dict[str, Any] = field(default_factory=dict)
    account: Account | None = None
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
        out, draw = self._output(build, later=later)
        self.on_change(topic, draw)
        return out

    def drawn_later(self, build: Callable[[], Any]) -> Any:
        """A slow part that is drawn once: after the page's cells on a served page.

        On a served page it shows a placeholder and is drawn when the workbook's last cell
        calls :meth:`done`, so the forms above it are usable sooner. Elsewhere (JupyterLab,
        papermill) it is ``build()`` itself, shown as the cell's output as before.
        """
        if not self.served:
            return build()
        return self._output(build, later=True)[0]

    def _output(self, build: Callable[[], Any], *, later: bool) -> tuple[Any, Callable[[], None]]:
        """An Output widget showing ``build()``, and the function that redraws it.

        It is drawn now or, ``later`` on a served page, once the page's cells have run
        (see :meth:`done`).
        """
        out, draw = page.live_output(build)
        if later and self.served:
            self.deferred.add(out, build)
        else:
            draw()
        return out, draw

    def done(self) -> None:
        """Say the page's cells have all run: draw the parts that waited (``live(later=)``).

        They are drawn just after the current cell ends, from the kernel's event loop,
        so the page's last output reaches the browser first. The last code cell of a
        workbook with deferred parts calls this.
        """
        self.deferred.done()

    @property
    def practitioner(self) -> str:
        """Whose module work the page shows: the ``author`` parameter, else the account.

        A batch render or JupyterLab may name another practitioner (the permission check
        decides whether their work may be read); a served page never takes it from the
        address, so there it is always the signed-in account.
        """
        return self.params.get("author") or self.author

    def __getitem__(self, name: str) -> Any:
        return self.params[name]

    def get(self, name: str, default: Any = None) -> Any:
        """A parameter's value, or ``default``."""
        return self.params.get(name, default)


def who_is_working(store: Store, served: bool) -> Account:
    """The account this kernel works for: from the server when served, else resolved.

    A served page's account is the one the server handed to this kernel; with
    ``--no-sign-in`` it is the computer's login name, as a local account.
    """
    if served and page.identity_expected():
        identity = page.handed_over_identity()
        if identity.get("local"):
            return local_account(identity["username"], identity.get("name"))
        from partnerkit.access import load_account

        return load_account(store, identity["username"])
    return resolve_account(store)


def _workspace_for(account: Account, wanted: str, served: bool, from_page: bool) -> str:
    """The workspace asked for; on a page whose address named none, the account's first.

    Outside a server the workspace is always the one asked for (a non-member is refused
    with the plain message, never moved to another workspace without being told).
    """
    if not served or from_page or account.role_in(wanted) is not None or not account.workspaces:
        return wanted
    return account.workspaces[0]


def start(*, data_dir: str | None = None, workspace: str = "demo", author: str | None = None,
          workbook: str | None = None, **params: Any) -> Session:
    """Open the session a workbook works in; the one call after its parameters cell.

    Query-string values (in a served page) override the keyword defaults only for the
    names the workbook declares, never ``author``: who is working comes from the server
    (or, outside a server, :func:`~partnerkit.accounts.resolve_account`). ``author``
    outside a server names whose module work to show (checked like every read).
    ``workbook`` names the workbook, so an account that may not open it is refused at
    once. In JupyterLab or papermill a partnerkit error (from here on, this cell
    included) shows as its one clear message; served, every error does.
    """
    served = page.is_served()
    share_default_looks()
    if served:
        page.install()
    else:
        page.install_clear_errors()
    request = page.request_parameters()
    overrides = {k: v for k, v in request.items() if k in {"workspace", *params}}
    from_page = "workspace" in overrides
    params.update({k: v for k, v in overrides.items() if k != "workspace"})
    if author and not served:
        params["author"] = author
    folder = paths.data_dir(data_dir)
    raw = open_store(folder)
    account = who_is_working(raw, served)
    workspace = _workspace_for(account, overrides.get("workspace", workspace), served,
                               from_page)
    store = GuardedStore(raw, account)
    store.ensure_workspace(workspace)
    if workbook:
        check_open(account, workspace, workbook)
    working = author if account.local and author and not served else account.username
    return Session(store=store, workspace=workspace, author=working,
                   data_dir=folder, params=params, served=served, account=account)
