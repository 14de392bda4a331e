"""What runs inside a render's kernel: set-up once, a reset between targets, the report.

The render sends small code cells (:data:`SETUP_CODE`, :data:`RESET_CODE`,
:data:`WRITE_CODE`) that call these functions; they are recorded in no notebook. This
module imports neither papermill nor the rest of the render, so a kernel stays light.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

SETUP_CODE = """\
from partnerkit.render.inkernel import setup as _pk_setup
_pk_setup(widget_state={widget_state!r})
del _pk_setup
"""
"""Run in a kernel once, when it has started (see :func:`setup`)."""

RESET_CODE = """\
from partnerkit.render.inkernel import reset as _pk_reset
_pk_reset({cwd!r})
del _pk_reset
get_ipython().run_line_magic("reset", "-f")
"""
"""Run in a kernel between two targets: a clean namespace, modules still imported."""

WRITE_CODE = """\
from partnerkit.render.inkernel import write_reports as _pk_write
_pk_write({request!r})
del _pk_write
"""
"""Run in a kernel after a target's notebook: build its report, write each format."""


def setup(*, widget_state: bool = False) -> None:
    """Prepare a batch kernel; runs inside it once, when it has started.

    Without ``widget_state``, widgets are made without a page to talk to: the ``comm``
    package's ``create_comm`` hook (which a kernel is meant to set; ipykernel sets it
    itself) makes comms that send nothing, since nobody can click a widget in a batch.
    That spares the kernel and the render hundreds of messages per target; the executed
    notebooks then keep each widget's text form rather than its live state.
    """
    if not widget_state:
        import comm

        comm.create_comm = _silent_comm


def _silent_comm(*args: Any, **kwargs: Any) -> Any:
    import comm

    return comm.DummyComm(*args, **kwargs)


def reset(cwd: str) -> None:
    """Forget what the last target left (runs inside a kernel, before ``%reset -f``).

    Figures are closed, the last target's widgets closed (through ipywidgets' own
    ``Widget.close_all``), and the working folder set back.
    """
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
    widgets = sys.modules.get("ipywidgets.widgets.widget")
    if widgets is not None:
        widgets.Widget.close_all()
    os.chdir(cwd)


def write_reports(request_json: str) -> None:
    """Build one target's report and write it owner-only in each format (inside a kernel).

    The report reads the store as the render's account (``account`` in the request), through
    the one permission check, as the target's notebook did.

    Args:
        request_json: the report (:class:`partnerkit.render.builders.Report`), the
            target's value and parameters, the store, the account and the files to
            write, as :func:`partnerkit.render.runner.report_request` makes them.
    """
    from partnerkit.access import GuardedStore
    from partnerkit.accounts import resolve_account
    from partnerkit.render.builders import Report, build
    from partnerkit.reports import convert_html, write_private
    from partnerkit.store import open_store

    request = json.loads(request_json)
    fields = dict(request["report"])
    fields["aliases"] = tuple(fields.get("aliases") or ())
    store = open_store(request["data_dir"], request["database_url"])
    try:
        view = GuardedStore(store, resolve_account(store, request.get("account")))
        page = build(Report(**fields), view, request["workspace"], request["value"],
                     names=bool(request["names"]), author=request["author"],
                     parameters=request["parameters"])
        for fmt, path in request["files"].items():
            write_private(Path(path), convert_html(page, fmt))  # folders made owner-only too
        if fields["target"] == "pupil":
            _log_export(view, request)
    finally:
        store.close()


def _log_export(view: Any, request: dict[str, Any]) -> None:
    """Log the pupil's report in their sharing log: what, which files, the render's account.

    A file is named from the render's output folder down (``reports/pdf/...``), never
    with the machine's path before it.
    """
    from partnerkit.records.sharing import record_export

    out = Path(request["out_dir"])
    names = ", ".join(str(Path(out.name) / Path(path).relative_to(out))
                      for path in request["files"].values())
    by = view.account.username
    record_export(view, request["workspace"], by, str(request["value"]),
                  f"{request['report']['title']} ({names})",
                  to=f"not known: written by partnerkit render as {by}")
