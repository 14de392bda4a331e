"""Print the cross-user isolation matrix (issue 13) as tables the issue note can quote.

Runs ``tests/browser/test_isolation_matrix.py`` (a real browser against a real
``partnerkit serve``) and prints, in Markdown:

1. the matrix at a glance: a row per workbook, a column per demo role, each cell the
   expected read and write (``R``/``-`` and ``W``/``x``/``.``/``-``) with ✓ when the
   browser saw exactly that, ✗ when it did not;
2. every cell with what the browser saw (the page that opened, who a save was
   recorded as, the refusal's words);
3. the hostile attempts and whether each was refused.

Usage (from the repository's root)::

    python scripts/isolation_matrix.py                  # run the tests, then print
    python scripts/isolation_matrix.py --expected       # the expected matrix only
    python scripts/isolation_matrix.py --results DIR    # print a run kept in DIR

``--keep DIR`` keeps the run's results (``cells.json``, ``junit.xml``) and screenshots in
DIR. The exit status is pytest's (0 when every cell and attempt is as expected).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST_FILE = "tests/browser/test_isolation_matrix.py"
MATRIX_TEST = "test_each_role_reads_and_writes_each_workbook_as_the_issue_says"
LEGEND = ("Read: R opens and shows the workbook; - refused (403, plain message, nothing "
          "shown, no kernel). Write: W saved with the account as author; x the field is "
          "read only with the reason, and a value forced over the websocket anyway is "
          "refused in the form (\"Not saved: …\"), store unchanged, refusal audited; . "
          "nothing to change on that page; - no page to write in. ✓ as expected in the "
          "browser, ✗ not.")


def matrix_definition():
    """The expected matrix, roles and workbooks, as the test file writes them by hand."""
    sys.path.insert(0, str(ROOT))
    from tests.browser import test_isolation_matrix as matrix

    return matrix


def run_tests(folder: Path) -> int:
    """Run the test file with its results and screenshots going to ``folder``.

    pytest's own output goes to standard error, so standard output is the tables only.
    """
    env = {**os.environ, "PARTNERKIT_MATRIX_RESULTS": str(folder / "cells.json"),
           "PARTNERKIT_SCREENSHOTS": str(folder / "screenshots")}
    command = [sys.executable, "-m", "pytest", TEST_FILE, "-q", "-p", "no:cacheprovider",
               f"--junitxml={folder / 'junit.xml'}"]
    return subprocess.run(command, cwd=ROOT, env=env, check=False,
                          stdout=sys.stderr).returncode


def test_outcomes(junit: Path) -> dict[str, bool]:
    """Each test's name (with its parameters) and whether it passed."""
    if not junit.exists():
        return {}
    outcomes = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        failed = any(child.tag in ("failure", "error", "skipped") for child in case)
        outcomes[case.get("name", "")] = not failed
    return outcomes


def cell_id(username: str, workbook: str, action: str) -> str:
    """The pytest id of one matrix cell."""
    return f"{MATRIX_TEST}[{username.removeprefix('demo-')}-{workbook}-{action}]"


def mark(outcomes: dict[str, bool] | None, test: str) -> str:
    """✓ or ✗ for a test that ran; nothing when only the expectation is printed."""
    if outcomes is None:
        return ""
    return "✓" if outcomes.get(test) else "✗"


def glance(matrix, outcomes: dict[str, bool] | None) -> list[str]:
    """The matrix at a glance: workbooks down, roles across."""
    head = "| workbook | " + " | ".join(
        f"{matrix.ROLE_WORDS[u]} ({u})" for u in matrix.ROLES) + " |"
    lines = [head, "|---" * (len(matrix.ROLES) + 1) + "|"]
    for workbook in matrix.WORKBOOKS:
        cells = []
        for username in matrix.ROLES:
            read, write = matrix.EXPECTED[username, workbook]
            cells.append(f"{read}{mark(outcomes, cell_id(username, workbook, 'read'))} "
                         f"{write}{mark(outcomes, cell_id(username, workbook, 'write'))}")
        lines.append(f"| {workbook} | " + " | ".join(cells) + " |")
    return lines


def details(matrix, outcomes: dict[str, bool], seen: dict[str, str]) -> list[str]:
    """Every cell with what the browser saw."""
    lines = ["| role | workbook | read | write |", "|---|---|---|---|"]
    for username in matrix.ROLES:
        for workbook in matrix.WORKBOOKS:
            shown = []
            for action in ("read", "write"):
                test = cell_id(username, workbook, action)
                text = seen.get(f"{username}|{workbook}|{action}", "no result")
                shown.append(f"{mark(outcomes, test)} {text}".replace("|", "\\|"))
            lines.append(f"| {matrix.ROLE_WORDS[username]} ({username}) | {workbook} | "
                         f"{shown[0]} | {shown[1]} |")
    return lines


def hostile(outcomes: dict[str, bool]) -> list[str]:
    """The other tests of the file (hostile attempts, the landing page) and their results."""
    return [f"- {'✓' if ok else '✗'} {name.replace('_', ' ')}"
            for name, ok in outcomes.items() if not name.startswith(MATRIX_TEST)]


def report(matrix, folder: Path | None) -> list[str]:
    """The whole printout: the glance, and with a run's results the details and attempts."""
    if folder is None:
        return ["## Expected isolation matrix", "", LEGEND, "", *glance(matrix, None)]
    outcomes = test_outcomes(folder / "junit.xml")
    cells = folder / "cells.json"
    seen = json.loads(cells.read_text(encoding="utf-8")) if cells.exists() else {}
    return ["## Isolation matrix (demo accounts, real browser)", "", LEGEND, "",
            *glance(matrix, outcomes), "", "### What the browser saw", "",
            *details(matrix, outcomes, seen), "", "### Landing pages and hostile attempts",
            "", *hostile(outcomes)]


def main(argv: list[str] | None = None) -> int:
    """Run the matrix (or read a kept run, or only the expectation) and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expected", action="store_true",
                        help="print the expected matrix only; run nothing")
    parser.add_argument("--results", type=Path, help="print the results kept in this folder")
    parser.add_argument("--keep", type=Path, help="keep this run's results in this folder")
    options = parser.parse_args(argv)
    matrix = matrix_definition()
    status = 0
    if options.expected:
        folder = None
    elif options.results:
        folder = options.results
    else:
        folder = options.keep or Path(tempfile.mkdtemp(prefix="isolation-matrix-"))
        folder.mkdir(parents=True, exist_ok=True)
        status = run_tests(folder)
    print("\n".join(report(matrix, folder)))
    return status


if __name__ == "__main__":
    sys.exit(main())
