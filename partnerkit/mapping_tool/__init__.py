"""The community partnership mapping workbook: one pupil's world, its gaps, local partners."""
