"""Every page of every PDF report is fit for a school file.

Each report ``partnerkit render`` writes (:data:`~tests.reports.test_libreoffice.REPORTS`,
built from the demo data, whose workspace is given its own sensitivity marking here) is
printed to PDF once, and each page is drawn to an image by poppler's ``pdftoppm`` and
read by ``pdftotext``, as a person would see it:

- no page is blank, nor holds only a heading: between the margins each page has at
  least :data:`MIN_WORDS` words and some ink on its image;
- no page but the last is nearly empty (a few lines pushed onto a page of their own
  before a page break): its printing reaches at least :data:`MIN_FILL` of the way
  down its body;
- every page's margins carry the pupil reference (or, for a report about the whole
  workspace, the school's name), the workspace's marking, the date it was produced and
  "Page X of Y" with the right X and Y;
- dates are written one way ("2 October 2026"), never as 2026-10-02 or 02/10/2026;
- the PDF is tagged (PDF/UA-1: a structure tree, marked content) with its title,
  author (the school) and language.

Without poppler-utils the test fails: ``scripts/test.sh`` installs it.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader

from partnerkit import reports
from partnerkit.demo import DEMO_SCHOOL, DEMO_WORKSPACE, create_demo
from partnerkit.reports.marks import read_marks
from partnerkit.reports.pdf import MARGINS_MM
from partnerkit.reports.text import format_date
from partnerkit.store import open_store
from tests.reports.test_libreoffice import REPORTS

MARKING = "OFFICIAL-SENSITIVE PERSONAL"
PUPIL_REPORTS = {"mapping_tool": "P-1001", "staged_support": "P-1002"}
MIN_WORDS = 8
"""Fewer words than this between the margins is a blank page (or a lone heading)."""
DPI = 36
INK = 220  # grey level below which a pixel is ink (anti-aliased small text is light)
MIN_INK = 0.001  # share of a page's body that must be ink
MIN_FILL = 0.4
"""How far down its body every page but the last must be printed (a share of the body)."""
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")


def poppler(program: str) -> str:
    found = shutil.which(program)
    if not found:
        pytest.fail(f"{program} is not installed (Debian: poppler-utils; scripts/test.sh "
                    "installs it)")
    return found


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Each report: its HTML and its PDF file, from the demo with its own marking."""
    data = tmp_path_factory.mktemp("demo")
    create_demo(data=data)
    store = open_store(data)
    out = tmp_path_factory.mktemp("pdf")
    try:
        store.set_sensitivity(DEMO_WORKSPACE, MARKING)
        result = {}
        for name, build in REPORTS:
            page = build(store, data)
            (out / f"{name}.pdf").write_bytes(reports.html_to_pdf(page))
            result[name] = (page, out / f"{name}.pdf")
        return result
    finally:
        store.close()


def page_count(pdf) -> int:
    return len(PdfReader(pdf).pages)


def band_text(pdf, number: int, band: str) -> str:
    """What ``pdftotext`` reads in one band of a page: ``top`` margin, ``body`` or ``bottom``."""
    box = PdfReader(pdf).pages[number - 1].mediabox
    width, height = float(box.width), float(box.height)
    top, _, bottom, _ = (mm / 25.4 * 72 for mm in MARGINS_MM)
    y, h = {"top": (0, top), "body": (top, height - top - bottom),
            "bottom": (height - bottom, bottom)}[band]
    return subprocess.run(
        [poppler("pdftotext"), "-f", str(number), "-l", str(number), "-r", "72",
         "-x", "0", "-y", str(round(y)), "-W", str(round(width)), "-H", str(round(h)),
         str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def body_words(pdf, number: int) -> list[str]:
    """The words printed on one page between its top and bottom margins."""
    return band_text(pdf, number, "body").split()


def margin_text(pdf, number: int) -> str:
    """What one page prints in its top and bottom margins: its header and footer."""
    return " ".join((band_text(pdf, number, "top") + band_text(pdf, number, "bottom")).split())


def page_body(pdf, number: int, folder):
    """One page's body (between its margins) as a grey image drawn by pdftoppm."""
    stem = folder / f"page-{number}"
    subprocess.run([poppler("pdftoppm"), "-f", str(number), "-l", str(number), "-r",
                    str(DPI), "-gray", "-png", "-singlefile", str(pdf), str(stem)],
                   check=True, capture_output=True)
    image = Image.open(f"{stem}.png")
    top, _, bottom, _ = (round(mm / 25.4 * DPI) for mm in MARGINS_MM)
    return image.crop((0, top, image.width, image.height - bottom))


def ink(pdf, number: int, folder) -> float:
    """The share of one page's body that is ink."""
    body = page_body(pdf, number, folder)
    dark = sum(count for level, count in enumerate(body.histogram()) if level < INK)
    return dark / (body.width * body.height)


@pytest.mark.parametrize("name", [name for name, _ in REPORTS])
def test_no_page_of_a_report_is_blank(printed, name, tmp_path):
    _, pdf = printed[name]
    pages = page_count(pdf)
    thin = {n: " ".join(body_words(pdf, n)) for n in range(1, pages + 1)
            if len(body_words(pdf, n)) < MIN_WORDS}
    assert thin == {}, f"pages of the {name} PDF with next to no text"
    pale = [n for n in range(1, pages + 1) if ink(pdf, n, tmp_path) < MIN_INK]
    assert pale == [], f"pages of the {name} PDF with next to no ink"


def filled(pdf, number: int, folder) -> float:
    """How far down one page's body the printing reaches, as a share of it."""
    body = page_body(pdf, number, folder)
    printed = body.point(lambda level: 255 if level < INK else 0).getbbox()
    return 0.0 if printed is None else printed[3] / body.height


@pytest.mark.parametrize("name", [name for name, _ in REPORTS])
def test_no_page_but_the_last_is_nearly_empty(printed, name, tmp_path):
    _, pdf = printed[name]
    short = {n: round(filled(pdf, n, tmp_path), 2) for n in range(1, page_count(pdf))}
    short = {n: share for n, share in short.items() if share < MIN_FILL}
    assert short == {}, f"pages of the {name} PDF printed only this far down their body"


def test_the_fill_check_finds_a_few_lines_pushed_onto_a_page(tmp_path):
    """The check itself: a page of a few lines before a page break is found; a full one is not."""
    lines = "<br>".join(f"Line {n} of a description that runs on." for n in range(50))
    page = ("<!DOCTYPE html><html lang='en-GB'><head><title>t</title></head><body><p>"
            + lines + "</p><p style='break-before: page'>The next part.</p></body></html>")
    pdf = tmp_path / "tail.pdf"
    pdf.write_bytes(reports.html_to_pdf(page))
    assert page_count(pdf) == 3
    assert filled(pdf, 1, tmp_path) > 0.9 and filled(pdf, 2, tmp_path) < MIN_FILL


@pytest.mark.parametrize("name", [name for name, _ in REPORTS])
def test_every_page_carries_the_reference_marking_date_and_page_number(printed, name):
    _, pdf = printed[name]
    pages = page_count(pdf)
    reference = PUPIL_REPORTS.get(name, DEMO_SCHOOL)
    produced = f"Produced {format_date(dt.date.today())}"
    for number in range(1, pages + 1):
        margins = margin_text(pdf, number)
        for mark in (reference, MARKING, produced, f"Page {number} of {pages}"):
            assert mark in margins, f"page {number} of the {name} PDF lacks {mark!r}"


@pytest.mark.parametrize("name", [name for name, _ in REPORTS])
def test_dates_are_written_one_way(printed, name):
    _, pdf = printed[name]
    text = subprocess.run([poppler("pdftotext"), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert ISO_DATE.findall(text) == []


@pytest.mark.parametrize("name", [name for name, _ in REPORTS])
def test_the_pdf_is_tagged_with_its_title_author_and_language(printed, name):
    page, pdf = printed[name]
    reader = PdfReader(pdf)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert reader.metadata.title == " ".join(title.split()).replace("&amp;", "&")
    assert reader.metadata.author == DEMO_SCHOOL
    assert read_marks(page).marking == MARKING


def test_the_page_check_finds_a_page_with_only_a_heading(tmp_path):
    """The check itself: a heading pushed onto a page of its own is found."""
    page = ("<!DOCTYPE html><html lang='en-GB'><head><title>t</title></head><body>"
            + "<p>Some words that fill the first page well enough.</p>"
            + "<h2 style='break-before: page'>Lonely</h2>"
            + "<p style='break-before: page'>More words on the third page, plenty of them.</p>"
            + "</body></html>")
    pdf = tmp_path / "lonely.pdf"
    pdf.write_bytes(reports.html_to_pdf(page))
    assert [len(body_words(pdf, n)) < MIN_WORDS for n in (1, 2, 3)] == [False, True, False]


def test_the_ink_check_finds_an_empty_page(tmp_path):
    """The check itself: a page with nothing printed on it has no ink; a page of text has."""
    page = ("<!DOCTYPE html><html lang='en-GB'><head><title>t</title></head><body>"
            + "<p>Words. </p>" * 10 + "<div style='break-before: page; height: 10mm'></div>"
            + "<p style='break-before: page'>End.</p></body></html>")
    pdf = tmp_path / "empty.pdf"
    pdf.write_bytes(reports.html_to_pdf(page))
    assert ink(pdf, 1, tmp_path) >= MIN_INK and ink(pdf, 2, tmp_path) < MIN_INK
