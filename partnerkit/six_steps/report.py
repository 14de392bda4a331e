"""The school partnership plan report: all steps (or one), progress, step tools, the wheel.

Rendered through Jinja (``templates/partnership_plan.html.j2``, autoescaped); the
principles wheel and scores come from the principles wing's report, the one place the
six steps wing uses another wing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from partnerkit.principles.report import report_context as principles_context
from partnerkit.records.plan import STEP_TOOLS
from partnerkit.reports import render_html
from partnerkit.six_steps.data import (
    directory_partners,
    load_progress,
    load_settings,
    load_tool,
    progress_table,
    today,
)
from partnerkit.six_steps.rules import (
    STEPS,
    check_step,
    item_ids,
    marker_text,
    progress_of,
    step_item,
    tool_sections,
    with_directory_contacts,
)
from partnerkit.store import Store

FRAMEWORKS = ["six_steps", "principles", "reflection"]
"""The frameworks the plan report cites in its footer."""


def _step_context(store: Store, workspace: str, step: int, table: Any,
                  records: dict[str, Any], on: dt.date) -> dict[str, Any]:
    """One step of the report: its title, progress, items with markers and its tools."""
    head = step_item(step)
    tool = load_tool(store, workspace, step)
    if step == 1:
        tool = with_directory_contacts(tool, directory_partners(store, workspace))
    rows = table[table["step"] == step].to_dict("records")
    return {
        "number": step, "title": head.title or head.text,
        "progress": progress_of(records.values(), item_ids(step), on),
        "items": [{**row, "due": records[row["item"]].due if row["item"] in records else None,
                   "marker": marker_text(records.get(row["item"]), on)} for row in rows],
        "tools": tool_sections(tool, STEP_TOOLS[step])}


def plan_report_context(store: Store, workspace: str,
                        on: dt.date | None = None) -> dict[str, Any]:
    """Everything the school partnership plan report shows, as plain data."""
    on = on or today(store)
    table = progress_table(store, workspace, on=on)
    records = load_progress(store, workspace)
    return {
        "settings": load_settings(store, workspace),
        "on": on,
        "plan": progress_of(records.values(), item_ids(), on),
        "steps": [_step_context(store, workspace, s, table, records, on) for s in STEPS],
        "principles": principles_context(store, workspace),
    }


def plan_report_html(store: Store, workspace: str, on: dt.date | None = None,
                     step: Any = None) -> str:
    """The school partnership plan as an HTML page: all steps, progress, tools, wheel.

    With ``step`` (1-6) only that step's items and tools are shown, with the whole
    plan's progress. User text is escaped (the template autoescapes); the wheel is an
    embedded SVG.
    """
    number = None if step is None else check_step(step)
    context = plan_report_context(store, workspace, on)
    title = "School partnership plan"
    if number is not None:
        context["steps"] = [s for s in context["steps"] if s["number"] == number]
        title = f"School partnership plan: step {number}"
    return render_html("partnership_plan.html.j2", workspace=workspace, store=store,
                       frameworks=FRAMEWORKS, title=title, **context)
