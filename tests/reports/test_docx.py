import datetime as dt
import importlib.util
import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from partnerkit import reports
from partnerkit.reports.docx import REFERENCE
from tests.reports.documents import HOSTILE, docx_text, render, sample_html

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_reference_docx.py"


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_shown_as_typed_in_word(template, name):
    value = HOSTILE[name]
    text = docx_text(reports.html_to_docx(render(template, value)))
    shown = reports.visible_text(value)
    assert shown in text
    assert text.count(shown) >= 8  # heading, paragraph, 2 list items, caption, 3 cells
    if name == "html":
        assert "<script>" in text  # as typed, never as markup
    if name == "lines":
        assert "first line\nsecond   line, spaced" in text


def test_emoji_sequences_are_kept_in_word():
    value = "👍🏽 👩‍👩‍👧 🇬🇧"
    assert value in docx_text(reports.html_to_docx(f"<html><body><p>{value}</p></body></html>"))


@pytest.fixture(scope="module")
def sample():
    return docx.Document(io.BytesIO(reports.html_to_docx(sample_html())))


def numbering(paragraph):
    """(level, numId) of a list paragraph, or None."""
    props = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    if props is None:
        return None
    return int(props.ilvl.val), int(props.numId.val)


def test_word_keeps_headings_and_text_as_typed(sample):
    paragraphs = [(p.style.name, p.text) for p in sample.paragraphs if p.text]
    assert ("Heading 1", "Heading one") in paragraphs  # inside <main>: pandoc reads it all
    assert ("Heading 3", "Heading three") in paragraphs
    assert any(text == "Hello bold and italic,\nnew line." for _, text in paragraphs)
    assert any(text == "kept\n  as typed" for _, text in paragraphs)
    bold = [r.text for p in sample.paragraphs for r in p.runs if r.bold]
    assert "bold" in bold
    texts = "\n".join(t for _, t in paragraphs)
    assert "secret" not in texts and "var x" not in texts and "color: red" not in texts


def test_word_keeps_nested_and_numbered_lists(sample):
    items = {p.text: numbering(p) for p in sample.paragraphs if numbering(p) is not None}
    assert set(items) == {"one", "two", "nested", "third", "fourth"}
    assert items["one"][0] == items["two"][0] == 0 and items["nested"][0] == 1
    assert items["third"][1] == items["fourth"][1] != items["one"][1]
    numbering_xml = sample.part.numbering_part.element.xml
    number = items["third"][1]
    assert f'w:numId="{number}"' in numbering_xml
    starts = [int(s.get(qn("w:val"))) for s in sample.part.numbering_part.element.iter(
        qn("w:start"))]
    assert 3 in starts  # <ol start="3">


def test_word_keeps_tables_with_merged_cells_and_links(sample):
    table = sample.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["A", "B", "C"]
    assert [c.text for c in table.rows[1].cells] == ["wide", "wide", "tall"]  # merged across
    assert [c.text for c in table.rows[2].cells] == ["x", "y site", "tall"]  # merged down
    xml = table._tbl.xml
    assert 'w:gridSpan w:val="2"' in xml and "w:vMerge" in xml
    assert "w:tblHeader" in xml  # the heading row repeats on every page
    assert "https://example.org" in [r.target_ref for r in sample.part.rels.values()]


def test_table_rows_stay_on_one_page_in_compact_text(sample):
    rows = sample.tables[0]._tbl.tr_lst
    assert all(row.trPr is not None and row.trPr.find(qn("w:cantSplit")) is not None
               for row in rows)
    sizes = {run.font.size.pt for row in sample.tables[0].rows for cell in row.cells
             for paragraph in cell.paragraphs for run in paragraph.runs}
    assert sizes == {9}


def test_word_keeps_pictures_and_their_text(sample):
    assert len(sample.inline_shapes) == 2  # the PNG and the SVG drawn to PNG
    media = [p.content_type for p in sample.part.package.parts if "/media/" in p.partname]
    assert media == ["image/png", "image/png"]
    described = [s._inline.docPr.get("descr") for s in sample.inline_shapes]
    assert "a chart" in described
    assert all(len(d or "") < 200 for d in described)  # no copy of the data URI
    caption = [p.text for p in sample.paragraphs if p.text == "An ecomap"]
    assert caption


def test_a_wide_tall_drawing_in_a_figure_fits_the_page_whole():
    """A captioned drawing wider than the text (the ecomap) is not cut off at the right."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 11))   # wider and taller than an A4 page's text
    figure.add_subplot().plot([1, 2])
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    svg = buffer.getvalue()[buffer.getvalue().index("<svg"):]
    page = (f"<html><body><h2>Ecomap</h2><figure><div role='img'>{svg}</div><figcaption>"
            "<h3>The ecomap in words</h3><div>Ring 1: two connections.</div></figcaption>"
            "</figure></body></html>")   # as the map summary has it: pandoc makes a table
    document = docx.Document(io.BytesIO(reports.html_to_docx(page)))
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    text_height = section.page_height - section.top_margin - section.bottom_margin
    (shape,) = document.inline_shapes
    assert shape.width <= text_width - docx.shared.Mm(4)
    assert shape.height <= text_height * 0.7
    assert abs(shape.width / shape.height - 9 / 11) < 0.01  # its shape kept
    columns = [int(c.get(qn("w:w"))) for c in document.element.body.iter(qn("w:gridCol"))]
    assert columns == [int(text_width / 635)]  # the figure's table is as wide as the text


def test_word_has_the_title_a4_pages_and_a_header_and_footer(sample):
    assert sample.core_properties.title == "Pack & plan"
    section = sample.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 20 and round(section.top_margin.mm) == 20
    assert section.header.paragraphs[0].text == "Pack & plan"
    footer = section.footer._element.xml
    assert "Page " in section.footer.paragraphs[0].text
    assert " PAGE " in footer and " NUMPAGES " in footer
    assert sample.styles["Heading 1"].font.name == "Arial"


def test_word_falls_back_to_the_text_of_a_picture_it_cannot_have(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    page = ('<p><img src="https://example.org/x.png" alt="remote chart">'
            f'<img src="{secret.as_uri()}" alt="local file"></p>'
            f'<iframe src="{secret.as_uri()}"></iframe>'
            '<svg aria-label="broken drawing"><path d="M 0 0 L</svg>')
    text = docx_text(reports.html_to_docx(page))
    assert "[Figure: remote chart]" in text and "[Figure: local file]" in text
    assert "[Figure: broken drawing]" in text
    assert "TOP SECRET" not in text


def test_gauges_stand_as_their_labels():
    page = ('<p><progress value="3" max="5" aria-label="3 of 5 items done"></progress></p>'
            '<p><meter value="2" max="4"></meter></p>')
    text = docx_text(reports.html_to_docx(page))
    assert "3 of 5 items done" in text and "2 of 4" in text


def test_an_empty_page_is_an_empty_document():
    document = docx.Document(io.BytesIO(reports.html_to_docx("")))
    assert [p.text for p in document.paragraphs if p.text] == []


def test_the_reference_document_is_what_the_script_builds():
    """The committed reference.docx is what scripts/make_reference_docx.py builds now."""
    spec = importlib.util.spec_from_file_location("make_reference_docx", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    built, committed = zipfile.ZipFile(io.BytesIO(script.build())), zipfile.ZipFile(REFERENCE)
    assert sorted(built.namelist()) == sorted(committed.namelist())
    assert [n for n in built.namelist() if built.read(n) != committed.read(n)] == []
    reference = docx.Document(str(REFERENCE))
    section = reference.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 20
    assert reference.styles["Table"].element.find(qn("w:tblPr")).find(
        qn("w:tblBorders")) is not None
    assert [p.text for p in reference.paragraphs if p.text] == []
    assert "Figure Table" in [style.name for style in reference.styles]  # no grid round a figure
    assert " NUMPAGES " in reference.sections[0].footer._element.xml


def test_a_reports_word_pages_carry_its_marks_and_the_school_as_author(titled_page):
    document = docx.Document(io.BytesIO(reports.html_to_docx(titled_page)))
    assert document.core_properties.author == "Oakfield Primary"
    assert document.core_properties.last_modified_by == "Oakfield Primary"
    for section in document.sections:
        header = section.header.paragraphs[0]
        assert header.text == "OFFICIAL-SENSITIVE · P-1001 · Pack for P-1001"
        assert header.runs[0].bold and header.runs[0].text == "OFFICIAL-SENSITIVE"
        footer = section.footer.paragraphs[0]
        assert footer.text.startswith(f"Produced {reports.format_date(dt.date.today())} · Page ")
        fields = [f.text.strip() for f in footer._p.iter(qn("w:instrText"))]
        assert fields == ["PAGE", "NUMPAGES"]


@pytest.fixture
def titled_page(tmp_path):
    """A report page about pupil P-1001 of workspace 'school', titled "Oakfield Primary"."""
    from partnerkit.store import Store

    store = Store(data=tmp_path / "data")
    store.ensure_workspace("school", "Oakfield Primary", "test")
    try:
        return reports.render_html("attendance_summary.html.j2", workspace="school",
                                   frameworks=[], title="Pack for P-1001", store=store,
                                   reference="P-1001", threshold=0.9, tables={})
    finally:
        store.close()


def test_a_fragment_has_no_author_but_never_python_docx():
    document = docx.Document(io.BytesIO(reports.html_to_docx("<p>Hello</p>")))
    assert document.core_properties.author == ""
    assert "python-docx" not in (document.core_properties.last_modified_by or "")
