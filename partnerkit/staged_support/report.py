"""The staged support pages' HTML, through Jinja partials (autoescaped).

The pupil's partnership pack, which prints this plan, is the mapping tool's report
(:func:`partnerkit.mapping_tool.map_summary_html`); it reads the plan through
:func:`partnerkit.staged_support.plan_frame` and :func:`~partnerkit.staged_support.requests_frame`.
"""

from __future__ import annotations

from partnerkit.content import load_content
from partnerkit.reports.parts import render_part


def planner_intro_html(pupil: str) -> str:
    """What staged support is, above one pupil's plan: ASPIRE and the two levels."""
    content = load_content()
    return render_part("staged_support_intro", pupil=pupil,
                       aspire=content.item("module6.aspire"),
                       levels=[content.item("module6.universal"),
                               content.item("module6.targeted")])


def request_procedure_html() -> str:
    """How a request for assistance is made, step by step, from the module."""
    return render_part("request_procedure",
                       procedure=load_content().item("module6.request_for_assistance"),
                       level=2)
