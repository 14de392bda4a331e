"""Helpers for driving served workbook pages in the browser tests."""

from __future__ import annotations

import json
import os
import re
import signal
from pathlib import Path
from urllib.parse import urlencode

TRACEBACK_SIGNS = ("Traceback (most recent call last)", "There was an error when executing",
                   "Error:</span>", "ipython-input", "An exception occurred at the server",
                   'File "/')

# What shows that each workbook's page is there and usable: its main form (or, for the
# pages without a form, its main content).
MAIN_PART = {
    "principles": ".pk-form select",
    "mapping_tool": ".pk-form input",
    "six_steps": ".pk-form input",
    "attendance": "img.pk-figure",
    "staged_support": ".jupyter-widget-Collapse-header",
    "collaborative_working": ".pk-form input",
    "reflective_log": "h2#The-whole-log",
    "cohort": "table.pk-data-table",
    "audit_trail": ".pk-audit-ok",
    "data_protection": "button:has-text('Make the subject access bundle')",
}

OPENED_BY_ROLE = {"data_protection": "dp_lead"}
"""Workbooks checked as another role than the admin, and that role's test person
(``tests.serve.people``: Dee, the demo school's data-protection lead, who sees the whole
data-protection page; the admin opens it too, for backups, but not the subject access
parts)."""

PARAMS = {
    "mapping_tool": {"pupil": "P-1001"},
    "data_protection": {"pupil": "P-1001"},
    "staged_support": {"pupil": "P-1002"},
    "six_steps": {"step": "2"},
}


WIDGET_SCRIPTS = re.compile(r"/partnerkit/page/page\.js(\?|$)")
"""The page's script (it draws the widgets): held back in a test, the page stays loading
with its cells all in. The page asks for it with ``defer``, so the page's
DOMContentLoaded waits for it too: wait for :data:`CELLS_IN` instead."""
CELLS_IN = "() => window.cellLoaded === true"
"""True once the page's last cell has arrived (Voilà's page notes it, and shows the cells
once its script is in)."""


def workbook_url(server, name: str, **params: str) -> str:
    """The page address of a workbook, as the landing page links to it."""
    query = {"workspace": "demo", **params}
    return f"{server.url}/voila/render/{name}.ipynb?{urlencode(query)}"


def wait_for_page(page, timeout: float = 150_000) -> None:
    """Wait until Voilà has run the notebook and shown the page's widgets."""
    page.wait_for_function(
        "() => !document.querySelector('#loading') && "
        "document.querySelector('#rendered_cells') && "
        "document.querySelector('#rendered_cells').style.display !== 'none'",
        timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('script[type=\"application/vnd.jupyter.widget-view+json\"]')"
        " || document.querySelector('.jupyter-widgets')", timeout=timeout)


def open_workbook(page, server, name: str, **params: str):
    """Open a workbook page and wait until it is ready; return the HTTP response."""
    response = page.goto(workbook_url(server, name, **params), timeout=180_000)
    wait_for_page(page)
    return response


def assert_no_traceback(page) -> None:
    """No trace of a Python traceback or Voilà's error text anywhere in the page."""
    text = page.content()
    for sign in TRACEBACK_SIGNS:
        assert sign not in text, f"the page shows {sign!r}"


def kernel_id(page) -> str:
    """The id of the kernel that serves this page (from Voilà's page config)."""
    config = json.loads(page.locator("#jupyter-config-data").text_content())
    return config["kernelId"]


def kernel_pid(kernel: str) -> int:
    """The process id of a kernel, found by its connection file name."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if f"kernel-{kernel}.json" in cmdline:
            return int(entry.name)
    raise LookupError(f"no process for kernel {kernel}")


def kill_kernel(kernel: str) -> None:
    """Kill a kernel process outright, as a crash would."""
    os.kill(kernel_pid(kernel), signal.SIGKILL)


def form_of(page, field):
    """The innermost form that holds ``field`` (a located input, found by its id)."""
    field_id = field.get_attribute("id")
    return page.locator(".pk-form").filter(has=page.locator(f"[id='{field_id}']")).last


def form_with(page, label: str):
    """The innermost form that holds the one field labelled ``label``."""
    return form_of(page, page.get_by_label(label, exact=True))


def status_of(form):
    """A form's own status line ("✓ Saved at ...", "Not saved ..."): its last one."""
    return form.locator(".pk-status-ok, .pk-status-bad, [role=status]").last


def field_with(page, label: str):
    """The field box (input, help, message) of the field labelled ``label``."""
    return page.locator(".pk-field").filter(has=page.get_by_label(label, exact=True)).last


def section_header(page, title: str):
    """The heading of the section titled ``title`` (a part built when it is opened)."""
    return page.locator(".jupyter-widget-Collapse-header").filter(has_text=title).first


def open_section(page, title: str):
    """Open the section titled ``title`` unless it is open; the box its body is built in."""
    from playwright.sync_api import expect

    header = section_header(page, title)
    collapse = header.locator("xpath=..")
    header.wait_for()
    if "jupyter-widget-Collapse-open" not in (collapse.get_attribute("class") or ""):
        header.click()
    expect(collapse).to_have_class(re.compile(r"\bjupyter-widget-Collapse-open\b"))
    return collapse.locator(".jupyter-widget-Collapse-contents")
