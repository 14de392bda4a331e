"""On a served page the attendance charts and pupil tables are drawn after the page's cells."""

from __future__ import annotations

import asyncio

from partnerkit import page
from partnerkit.attendance.views import attendance_page
from partnerkit.demo.attendance import write_demo_files
from partnerkit.session import Session
from tests.helpers.deferred_parts import shown_text, until_drawn

LATER = ("bands", "quintiles", "quintiles_shareable", "groups", "monthly", "termly",
         "stretch_chart", "stretch_table", "flagged")
AT_ONCE = ("columns", "overview")


def served_page(tmp_path, session_store, session_author):
    write_demo_files(tmp_path / "school", ["P-1001", "P-1002"])
    session = Session(store=session_store, workspace="school", author=session_author,
                      data_dir=tmp_path, served=True)
    return session, attendance_page(session)


def test_the_charts_and_pupil_tables_wait_for_the_last_cell(tmp_path, session_store,
                                                            session_author):
    session, attendance = served_page(tmp_path, session_store, session_author)

    async def draw_page() -> tuple[dict, dict, dict]:
        parts = {name: getattr(attendance, name)() for name in (*AT_ONCE, *LATER)}
        before = {name: shown_text(out) for name, out in parts.items()}
        session.done()                      # the workbook's last cell
        await until_drawn(parts.values())  # after that cell, one by one, from the event loop
        return parts, before, {name: shown_text(out) for name, out in parts.items()}

    _parts, before, after = asyncio.run(draw_page())
    for name in AT_ONCE:  # drawn in their cell (captured there in a kernel)
        assert page.DRAWING_PLACEHOLDER not in before[name], name
    for name in LATER:
        assert before[name] == page.DRAWING_PLACEHOLDER, name
        assert after[name] and after[name] != page.DRAWING_PLACEHOLDER, name
    assert "mapping_tool.ipynb?pupil=P-1001" in after["flagged"]


def test_the_workbook_draws_its_charts_last():
    import nbformat

    from partnerkit.paths import workbooks_dir

    nb = nbformat.read(workbooks_dir() / "attendance.ipynb", as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code[-1].startswith("s.done()")
