"""The six steps to an effective partnership workbook: a school's partnership plan, step by step.

``rules`` (pure: the step check, progress, overdue, due dates), ``data`` (the store as
DataFrames with fixed columns), ``views`` (the widgets) and ``report`` (the school
partnership plan through Jinja). The workbook calls the names below.
"""

from partnerkit.six_steps.data import (
    HISTORY_COLUMNS,
    PROGRESS_COLUMNS,
    SUMMARY_COLUMNS,
    directory_partners,
    item_history,
    load_progress,
    load_settings,
    load_tool,
    plan_progress,
    progress_summary,
    progress_table,
    today,
)
from partnerkit.six_steps.report import plan_report_context, plan_report_html
from partnerkit.six_steps.rules import (
    STEPS,
    Progress,
    check_step,
    is_overdue,
    item_ids,
    marker_text,
    progress_of,
    step_item,
    step_items,
    tool_sections,
    with_directory_contacts,
)
from partnerkit.six_steps.views import (
    ProgressBar,
    StepView,
    glance_html,
    plan_progress_view,
    plan_settings_form,
    step_glance,
    step_tools,
    step_view,
    summary_table,
)

__all__ = [
    "HISTORY_COLUMNS", "PROGRESS_COLUMNS", "STEPS", "SUMMARY_COLUMNS", "Progress",
    "ProgressBar", "StepView", "check_step", "directory_partners", "glance_html", "is_overdue",
    "item_history", "item_ids", "load_progress", "load_settings", "load_tool",
    "marker_text", "plan_progress", "plan_progress_view", "plan_report_context",
    "plan_report_html", "plan_settings_form", "progress_of", "progress_summary",
    "progress_table", "step_glance", "step_item", "step_items", "step_tools", "step_view",
    "summary_table", "today", "tool_sections", "with_directory_contacts",
]
