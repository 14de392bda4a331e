"""The community partnership mapping workbook: one pupil's world, its gaps, local partners."""
from partnerkit.mapping_tool.mapping import map_summary_html  # noqa: F401  (temporary, render helper)
