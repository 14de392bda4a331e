"""The local partner directory: the organisations a school or local authority can call on.

A school keeps it as a CSV or XLSX (organisation, type, what it offers, what it cannot
offer, needs it helps with, area served, contact, key contact; optionally the layer of
the map and whether it takes referrals from schools). The directory lives in three
modules, all re-exported here:

* :mod:`.directory_import` — :func:`read_directory` checks the whole file (read by
  :mod:`partnerkit.tables` with the one heading matcher) before anything is stored and
  raises one :class:`~partnerkit.errors.InputFileError` listing every problem by file,
  row, column and value; :func:`import_directory` then saves the entries for the
  workspace, so every practitioner in it shares one directory.
* :mod:`.directory_export` — :func:`export_directory_csv` and
  :func:`export_directory_xlsx` write it back out with spreadsheet formulas neutralised;
  importing either file gives the same directory.
* :mod:`.directory_views` — the :func:`directory_editor` widget shows the table, edits
  entries through the form engine and imports an uploaded file.
"""

from partnerkit.mapping_tool.directory_export import (
    FORMULA_STARTS,
    directory_csv,
    export_directory_csv,
    export_directory_xlsx,
    neutralise,
)
from partnerkit.mapping_tool.directory_import import (
    COLUMNS,
    HEADINGS,
    LABELS,
    MATCHER,
    MAX_PROBLEMS,
    NO,
    OPTIONAL_COLUMNS,
    YES,
    DirectoryFile,
    ImportResult,
    directory_entries,
    import_directory,
    read_directory,
)
from partnerkit.mapping_tool.directory_views import DirectoryEditor, directory_editor
from partnerkit.tables.read import OLE_MAGIC, XLSX_MAGIC

__all__ = [
    "COLUMNS", "FORMULA_STARTS", "HEADINGS", "LABELS", "MATCHER", "MAX_PROBLEMS", "NO",
    "OLE_MAGIC", "OPTIONAL_COLUMNS", "XLSX_MAGIC", "YES", "DirectoryEditor", "DirectoryFile",
    "ImportResult", "directory_csv", "directory_editor", "directory_entries",
    "export_directory_csv", "export_directory_xlsx", "import_directory", "neutralise",
    "read_directory",
]
