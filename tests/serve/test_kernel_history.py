"""A page's kernel keeps no record of its cells outside the store.

IPython writes every cell a kernel runs to ``history.sqlite`` in its folder
(``$IPYTHONDIR``, by default in the home folder of whoever runs the server): a page's
parameters cell names its pupil. The server here has its own ``IPYTHONDIR``; after a
page has run, nothing in it names the pupil.
"""

from __future__ import annotations

import requests

from tests.helpers.left_on_disk import files_naming
from tests.serve.running import running_server

PUPIL = "P-1001"


def test_a_served_page_leaves_no_history_of_its_cells_on_disk(tmp_path):
    ipython = tmp_path / "ipython"
    with running_server(tmp_path, "--no-sign-in", "--pool", "0",
                        env={"IPYTHONDIR": str(ipython)}) as server:
        page = requests.get(f"{server.url}/voila/render/mapping_tool.ipynb"
                            f"?workspace=demo&pupil={PUPIL}", timeout=180)
        assert page.status_code == 200 and "pk-form" in page.text  # its cells ran
    assert files_naming(ipython, PUPIL) == []
