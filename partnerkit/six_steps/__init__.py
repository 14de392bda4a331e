"""The six steps to an effective partnership workbook: a school's partnership plan, step by step."""
