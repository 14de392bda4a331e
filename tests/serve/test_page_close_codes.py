"""The served page reads the server's websocket close codes by number: the numbers in its
templates are the server's (a culled page, an ended session)."""

from __future__ import annotations

import re
from pathlib import Path

from partnerkit.serve.kernel_life import CULLED_CLOSE_CODE
from partnerkit.serve.state import SESSION_ENDED_CLOSE_CODE

VOILA_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "voila"


def code_in(template: str, name: str) -> int:
    found = re.search(rf"var {name} = (\d+);", (VOILA_TEMPLATES / template).read_text())
    assert found, f"{template} has no {name}"
    return int(found.group(1))


def test_the_page_knows_the_close_code_of_an_ended_session():
    assert code_in("index.html.j2", "SESSION_ENDED") == SESSION_ENDED_CLOSE_CODE


def test_the_page_knows_the_close_code_of_a_culled_page():
    assert code_in("kernel_life.js.j2", "CULLED") == CULLED_CLOSE_CODE
