"""Every workbook's page shows plain tables people read, never a raw DataFrame.

Each workbook runs through papermill on the demo data (as the demo admin, and the
module's two workbooks also as the demo trainer and as a participant with a reflective
log), and everything its page would show is read: the cells' HTML and text outputs and
the widgets' saved state (HTML, labels, button and option texts). None of it may hold a
value a DataFrame prints raw (``NaN``, ``None``, ``NaT``, ``<NA>``, ``True``/``False``,
``Empty DataFrame``), a row-number column (``<th></th>``), an internal id
(``six_steps.1.1``, ``principles.partnership_parity.1``, ``module6.self_rating``,
``gap_type``, ``empty_layer``), an ISO date (``2026-10-02``) or a table cell cut with
"…"; dates read "2 October 2026".
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import pytest

from partnerkit.demo.accounts import DEMO_ADMIN

WORKBOOKS = ("attendance", "collaborative_working", "mapping_tool", "principles",
             "reflective_log", "six_steps", "staged_support")
PARTICIPANT = "aisha.rahman"
"""A demo cohort participant with reflective log entries and quiz attempts."""

RUNS = [(name, DEMO_ADMIN) for name in WORKBOOKS] + [
    ("collaborative_working", "demo-trainer"), ("reflective_log", "demo-trainer"),
    ("reflective_log", PARTICIPANT)]

RAW = re.compile(r"\bNaN\b|\bnan\b|\bNone\b|\bNaT\b|<NA>|\bTrue\b|\bFalse\b|Empty DataFrame")
IDS = re.compile(r"six_steps\.\d|principles\.[a-z_]+\.\d|module6\.[a-z]|\bgap_type\b"
                 r"|\bempty_layer\b|\bunmet_need\b|\btask_id\b|\bstage_name\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
DATE_IN_WORDS = re.compile(r"\b\d{1,2} (January|February|March|April|May|June|July|August|"
                           r"September|October|November|December) \d{4}\b")
SHOWS_DATES = {("six_steps", DEMO_ADMIN), ("staged_support", DEMO_ADMIN),
               ("reflective_log", PARTICIPANT)}
"""Runs whose page shows dates in a table (so the date style can be checked)."""
WIDGET_TEXT = ("value", "description", "placeholder", "tooltip", "_options_labels", "titles",
               "_titles")


def _outputs(nb) -> Iterator[tuple[str, str]]:
    """(kind, text) of every output a page shows; a widget's repr is not shown."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                yield "html", data["text/html"]
            elif "text/plain" in data and not any("widget" in k or "image" in k for k in data):
                yield "text", data["text/plain"]
            if output.get("output_type") == "stream":
                yield "text", output["text"]
            if output.get("output_type") == "error":
                pytest.fail(f"the workbook stopped: {output['ename']}: {output['evalue']}")


def _widget_texts(nb) -> Iterator[tuple[str, str]]:
    state = nb.metadata.get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for model in state.values():
        for key in WIDGET_TEXT:
            value = model.get("state", {}).get(key)
            if isinstance(value, str):
                yield ("html" if key == "value" else "text"), value
            elif isinstance(value, list | dict):
                yield "text", json.dumps(value, ensure_ascii=False)


def visible(markup: str) -> str:
    """The text a reader sees: no styles, scripts, tags, attributes or embedded files."""
    markup = re.sub(r"<(style|script)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    markup = re.sub(r"srcdoc=\"[^\"]*\"", " ", markup)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def _page(nb) -> tuple[str, str]:
    """The page's markup (for structure checks) and the text a reader sees."""
    parts = [*_outputs(nb), *_widget_texts(nb)]
    markup = "\n".join(text for kind, text in parts if kind == "html")
    seen = "\n".join(visible(text) if kind == "html" else text for kind, text in parts)
    return markup, re.sub(r"data:[\w/.+-]+;base64,[A-Za-z0-9+/=]+", "", seen)


def _shown(pattern: re.Pattern[str], text: str) -> list[str]:
    return [text[max(0, m.start() - 60):m.end() + 20] for m in pattern.finditer(text)]


@pytest.fixture
def page(request, demo_data, run_workbook, kernel_env) -> tuple[str, str]:
    """The page of the workbook the test names, as the kernel's account sees it."""
    return _page(run_workbook(request.param))


@pytest.mark.parametrize(("page", "kernel_account"), RUNS, indirect=["page"],
                         ids=[f"{w}-{a}" for w, a in RUNS])
def test_every_table_on_the_page_is_plain(page, kernel_account, request):
    markup, seen = page
    workbook = request.node.callspec.params["page"]
    assert "<th></th>" not in markup, "no row-number column"
    assert 'class="dataframe"' not in markup or "pk-data-table" in markup
    assert not re.search(r'<table id="T_', markup), "no pandas Styler table"
    assert not _shown(RAW, seen), "no raw DataFrame values"
    assert not _shown(IDS, seen), "no internal ids"
    assert not _shown(ISO_DATE, seen), "dates in words, not ISO"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", markup, flags=re.S)
    assert not [c for c in cells if c.rstrip().endswith(("…", "..."))], "no cut cell"
    if (workbook, kernel_account) in SHOWS_DATES:
        assert DATE_IN_WORDS.search(seen), "dates read like 2 October 2026"


def test_the_log_of_someone_who_wrote_nothing_says_what_to_do(demo_data, run_workbook,
                                                            kernel_env):
    _, seen = _page(run_workbook("reflective_log"))          # the demo admin wrote nothing
    assert ("No entries yet: write your first reflection in the collaborative working "
            "module.") in seen
    assert "task_id" not in seen and "Empty DataFrame" not in seen


def test_the_raw_checks_catch_what_a_dataframe_prints():
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"task_id": ["six_steps.1.1"], "due": [None], "rate": [np.nan],
                          "ok": pd.array([pd.NA], dtype="boolean"), "at": [pd.NaT]})
    seen = visible(frame.to_html())
    assert "<th></th>" in frame.to_html()
    assert {m.group() for m in RAW.finditer(seen)} >= {"None", "NaN", "<NA>", "NaT"}
    assert IDS.search(seen) and IDS.search("principles.partnership_parity.1")
    assert ISO_DATE.search(str(pd.Timestamp("2026-10-02")))
    assert RAW.search(visible(pd.DataFrame(columns=["task_id"]).__repr__()))
