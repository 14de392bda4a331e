"""The mapping page as a served kernel runs it: few widget models, and no matplotlib yet.

The workbook runs in a real kernel (nbclient) with the environment of a served page:
``PARTNERKIT_SERVED`` and the page's query string. A served page's kernel tells nobody of
its widgets until the page connects (``partnerkit.page_comms``), so a last cell lists the
widgets the page would then be sent: every live widget, as ipywidgets answers the page.
Before sections were built when opened, this page made 257 widget models (each made by
the kernel and built by the browser) and imported matplotlib before anyone looked at the
map.
"""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient

from partnerkit.paths import workbooks_dir

MODEL_BOUND = 150
"""At most this many widget models on the page for demo pupil P-1001 (it was 257)."""

SEEN = ("import sys, json\n"
        "from ipywidgets.widgets.widget import _instances\n"
        "print(json.dumps({'models': [w._model_name for w in _instances.values()],\n"
        "                  'loaded': [m for m in ('matplotlib', 'matplotlib.pyplot')"
        " if m in sys.modules]}))")
"""The widget models the page would be sent, and whether matplotlib is imported."""


@pytest.fixture
def served_page(demo_data, kernel_env, monkeypatch, tmp_path):
    """Run the mapping workbook as a served page for P-1001; the executed notebook."""
    monkeypatch.setenv("PARTNERKIT_SERVED", "1")
    monkeypatch.setenv("QUERY_STRING", "workspace=demo&pupil=P-1001")
    nb = nbformat.read(workbooks_dir() / "mapping_tool.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(SEEN))
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return nb


def test_the_served_mapping_page_makes_few_widget_models_and_no_chart_yet(served_page):
    for cell in served_page.cells:
        assert not [o for o in cell.get("outputs", []) if o.output_type == "error"]
    seen = json.loads(served_page.cells[-1].outputs[0]["text"])
    kinds = seen["models"]
    assert len(kinds) <= MODEL_BOUND, f"{len(kinds)} widget models (it was 257)"
    assert kinds.count("AccordionModel") >= 3, "layers, map and questions are sections"
    assert seen["loaded"] == [], "matplotlib waits until the map's section is opened"
