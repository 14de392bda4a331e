"""A served kernel loads matplotlib only when it draws, and its figures still carry alt text.

Each check runs in a fresh Python process (matplotlib is imported by other tests of
this process), with ``MPLBACKEND`` set as ipykernel sets it in every kernel.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
KERNEL_BACKEND = "module://matplotlib_inline.backend_inline"

FIGURE_LATE = """
import json, sys
from IPython.core.interactiveshell import InteractiveShell
from partnerkit import page
shell = InteractiveShell.instance()
installed = page.install_figures(shell)
before = "matplotlib" in sys.modules
import matplotlib.pyplot as plt
figure = plt.figure()
figure.suptitle("Self-evaluation wheel")
data, _ = shell.display_formatter.format(figure)
print(json.dumps({"installed": installed, "before": before, "mimes": sorted(data),
                  "html": data.get("text/html", "")}))
"""

PAGES_IMPORT = """
import json, sys
from partnerkit import collaborative_working, mapping_tool, session, six_steps, staged_support
print(json.dumps([m for m in ("matplotlib", "matplotlib.pyplot") if m in sys.modules]))
"""


def run(code: str) -> object:
    env = {**os.environ, "PYTHONPATH": str(REPO), "MPLBACKEND": KERNEL_BACKEND}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_figures_are_set_up_without_matplotlib_and_still_show_with_alt_text():
    found = run(FIGURE_LATE)
    assert found["installed"] and found["before"] is False
    assert found["mimes"] == ["text/html", "text/plain"], "an image with alt text, no bare PNG"
    assert 'alt="Chart: Self-evaluation wheel"' in found["html"]


def test_the_pages_with_forms_import_no_matplotlib_before_they_draw():
    assert run(PAGES_IMPORT) == []
