"""Tables in and out: CSV and XLSX files read with one heading matcher, written formula-safe.

In: :func:`open_source` opens a CSV or XLSX file (a path or an upload's bytes), finds its
heading row and sheet, and matches headings to fields with a :class:`HeadingMatcher`
(synonyms; case, spaces and punctuation ignored; every problem an
:class:`~partnerkit.errors.InputFileError` naming file, row, column, value and fix).
:func:`read_text` reads a small table whole; :meth:`Source.chunks` reads a large one fast,
in pieces. Tables are written by :mod:`partnerkit.reports` (``csv_text``, ``write_csv``,
``write_xlsx``), which never lets a spreadsheet run a cell as a formula; :func:`unquote`
undoes that guard when such a CSV file is read back (XLSX cells hold the value itself), so
every table partnerkit writes reads back unchanged. A CSV file is read as standard CSV
(comma, double quotes) first; another separator is tried only when that reading does not
find the headings, and the quote character is never guessed.

Modules: :mod:`.headings` (the matcher), :mod:`.source` (an opened file), :mod:`.read`
(opening), :mod:`.csvread` and :mod:`.xlsxread` (records), :mod:`.encode` (fast distinct
values), :mod:`.out` (the formula guard, both ways).
"""

from partnerkit.tables.headings import (
    ColumnMatch,
    HeadingMatcher,
    normalise_heading,
    raise_problems,
    unused_headings,
)
from partnerkit.tables.out import neutralise, unquote
from partnerkit.tables.read import open_source, read_text
from partnerkit.tables.source import Chunk, Source, Wanted

__all__ = [
    "Chunk", "ColumnMatch", "HeadingMatcher", "Source", "Wanted", "neutralise",
    "normalise_heading", "open_source", "raise_problems", "read_text", "unquote",
    "unused_headings",
]
