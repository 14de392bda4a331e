"""The attendance column mapping: the headings each field is known by, and the mapping file.

The mapping (the workbook's ``columns`` setting) may be a CSV file with the headings
``field,heading``; :func:`write_column_map` writes one and :func:`read_column_map` reads
it back unchanged, whatever the headings hold.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerkit.attendance import fields
from partnerkit.errors import InputFileError
from partnerkit.tables import normalise_heading

PIECES = ["=", "+", "-", "@", "\uff1d", "\uff20", "'", "'=", "\t", "\r", "\n", "\r\n", '"',
          ",", ";", " ", "\ufeff", "مرحبا", "שלום", "中文", "日本語", "한국어", "😀", "NA",
          "field", "heading", "pupil"]
HEADING = st.lists(st.one_of(st.sampled_from(PIECES),
                             st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")),
                                     max_size=6)), min_size=1, max_size=10) \
    .map(lambda parts: "".join(parts).strip()).filter(bool)
LONG = st.builds(lambda part, n: (part * n).strip(), st.sampled_from(["ab, ", "中文"]),
                 st.integers(200, 2000))
MAPPINGS = st.dictionaries(st.sampled_from(list(fields.FIELD_LABELS)),
                           st.lists(st.one_of(HEADING, LONG), min_size=1, max_size=3),
                           min_size=1, max_size=6)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mapping=MAPPINGS)
def test_a_written_column_mapping_reads_back_unchanged(tmp_path: Path, mapping):
    path = fields.write_column_map(mapping, tmp_path / "columns.csv")
    assert fields.read_column_map(path) == mapping


def test_the_mapping_file_is_owner_only_with_the_headings_field_heading(tmp_path: Path):
    path = fields.write_column_map({"pupil": ["=Ref", "Learner"], "code": "Mark"},
                                   tmp_path / "columns.csv")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes() == ("\ufefffield,heading\r\npupil,'=Ref\r\npupil,Learner\r\n"
                                 "code,Mark\r\n").encode()


def test_a_mapping_that_names_no_field_is_not_written(tmp_path: Path):
    with pytest.raises(InputFileError) as info:
        fields.write_column_map({"nonsense": "Other"}, tmp_path / "columns.csv")
    assert info.value.value == "nonsense" and "use one of: pupil" in info.value.fix
    assert not (tmp_path / "columns.csv").exists()


def test_every_known_heading_is_written_as_words_and_matches_however_it_is_typed():
    for name, headings in fields._SYNONYMS.items():
        for heading in headings:
            assert normalise_heading(heading) in fields.MATCHER.names(name)
            typed = heading.upper().replace(" ", "_")
            (match,) = fields.MATCHER.match([typed], [name], [name], {})
            assert match.index == 0 and match.how in ("same name", "recognised heading")
