"""The partnership principles workbook: how far each principle is embedded, and reflection."""
