"""The six steps to an effective partnership workbook: a school's partnership plan, step by step."""
from partnerkit.six_steps.checklist import plan_report_html  # noqa: F401  (temporary, render helper)
