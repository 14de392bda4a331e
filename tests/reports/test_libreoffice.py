"""Every report's Word file opens in LibreOffice and holds the report's text.

The reports are built from the demo data by the builders in :data:`REPORTS` (one per
workbook ``partnerkit render`` writes), written to Word, and converted to PDF by
LibreOffice in one ``soffice`` call with a private profile (so parallel runs never share
one). The PDF's text must hold every heading, table heading and caption of the report's
HTML whole, every word of its text, the page header and footer (the marking, the pupil
reference or school, the date, the page number), and a picture where the report has a
drawing.

Without ``soffice`` the test is skipped, unless ``PARTNERKIT_REQUIRE_BROWSER=1`` (set by
``scripts/test.sh``): then it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from partnerkit import reports
from partnerkit.attendance import summary_html
from partnerkit.demo import DEMO_AUTHOR, DEMO_SCHOOL, DEMO_WORKSPACE, create_demo
from partnerkit.mapping_tool import map_summary_html
from partnerkit.reflective_log import log_html
from partnerkit.reports.marks import read_marks
from partnerkit.six_steps import plan_report_html
from partnerkit.store import open_store
from tests.reports.documents import squeeze

WS = DEMO_WORKSPACE
REPORTS = (  # (workbook, builder(store, data folder) -> report HTML)
    ("mapping_tool", lambda store, data: map_summary_html(store, WS, "P-1001")),
    ("staged_support", lambda store, data: map_summary_html(store, WS, "P-1002")),
    ("six_steps", lambda store, data: plan_report_html(store, WS, step=3)),
    ("principles", lambda store, data: plan_report_html(store, WS)),
    ("reflective_log", lambda store, data: log_html(store, WS, DEMO_AUTHOR)),
    ("collaborative_working",
     lambda store, data: log_html(store, WS, DEMO_AUTHOR, show_history=True)),
    ("attendance", lambda store, data: summary_html(WS, data_dir=data, store=store)),
)
KEY_TAGS = ("h1", "h2", "h3", "h4", "th", "caption")


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    message = "LibreOffice (soffice) is not installed (Debian: libreoffice-writer-nogui)"
    if os.environ.get("PARTNERKIT_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def key_texts(page: str) -> tuple[list[str], set[str]]:
    """The report's headings, table headings and captions, and every word of its text.

    A heading is never split over two pages; a long list item or table cell may be, with
    the page's footer, header and repeated table headings in between, so those are
    checked word by word.
    """
    tree = lxml_html.document_fromstring(page)
    for unseen in tree.xpath("//style | //script | //title | //svg"):
        unseen.drop_tree()
    texts = [" ".join(e.text_content().split()) for tag in KEY_TAGS for e in tree.iter(tag)]
    words = {word for text in tree.find("body").itertext() for word in text.split()}
    return [t for t in texts if t], words


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Each report: its HTML and the text and pictures of LibreOffice's PDF of its Word file."""
    program = soffice()
    data = tmp_path_factory.mktemp("demo")
    create_demo(data=data)
    store = open_store(data)
    words = tmp_path_factory.mktemp("word")
    pages = {}
    for name, build in REPORTS:
        pages[name] = build(store, data)
        (words / f"{name}.docx").write_bytes(reports.html_to_docx(pages[name]))
    profile = tmp_path_factory.mktemp("soffice-profile")
    out = tmp_path_factory.mktemp("pdf")
    done = subprocess.run(
        [program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out),
         *(str(words / f"{name}.docx") for name, _ in REPORTS)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = {}
    for name, page in pages.items():
        pdf = out / f"{name}.pdf"
        assert pdf.exists(), f"LibreOffice did not convert {name}.docx: {done.stdout}"
        reader = PdfReader(pdf)
        text = "\n".join(p.extract_text() for p in reader.pages)
        result[name] = (page, text, sum(len(p.images) for p in reader.pages))
    return result


@pytest.mark.parametrize("name", [name for name, _ in REPORTS])
def test_every_reports_word_file_opens_in_libreoffice_with_its_text(converted, name):
    page, text, pictures = converted[name]
    squeezed = squeeze(text)
    keys, words = key_texts(page)
    assert keys and words, f"the {name} report has no headings"
    assert [k for k in keys if squeeze(k) not in squeezed] == []
    assert sorted(w for w in words if squeeze(w) not in squeezed) == []
    assert "Page1of" in squeezed  # the page footer
    marks = read_marks(page)  # and the header: the marking and whom it is about
    for mark in (marks.marking, marks.reference, f"Produced {marks.produced}"):
        assert squeeze(mark) in squeezed, f"LibreOffice's {name} pages lack {mark!r}"
    assert marks.author == DEMO_SCHOOL
    if "<svg" in page or "<img" in page:
        assert pictures >= 1
