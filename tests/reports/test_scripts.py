"""Every script prints: Polish, Arabic, Urdu, Hebrew, Chinese, Japanese and Korean text in
PDFs and charts, right-to-left values isolated in every template, line breaks kept.

The fonts are Debian's fonts-noto-core and fonts-noto-cjk (scripts/test.sh installs them).
Without them the font tests are skipped, unless ``PARTNERKIT_REQUIRE_FONTS=1`` (set by
scripts/test.sh), when they fail.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import warnings

import cairosvg
import lxml.html
import matplotlib
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from PIL import Image
from pypdf import PdfReader

from partnerkit import reports
from partnerkit.collaborative_working.report import postcard_html
from partnerkit.mapping_tool.ecomap import ecomap_figure
from partnerkit.mapping_tool.report import map_summary_html
from partnerkit.principles.wheel import radar_figure
from partnerkit.records.base import save_record
from partnerkit.records.mapping import Connection, PupilProfile
from partnerkit.records.module import LogEntry
from partnerkit.records.plan import ChecklistProgress, PlanSettings
from partnerkit.records.support import Postcard
from partnerkit.reflective_log.report import log_html
from partnerkit.reports import fonts
from partnerkit.reports.parts import render_part
from partnerkit.six_steps import item_ids, plan_report_html

WORDS = {
    "Polish": "Zażółć gęślą jaźń", "Polish name": "Łucja Wąsowska",
    "Arabic": "مرحبا بالعالم", "Arabic name": "فاطمة الزهراء",
    "Urdu": "خوش آمدید", "Urdu name": "عائشہ خان",
    "Hebrew": "שלום עולם", "Hebrew name": "נועה כהן",
    "Chinese": "你好世界", "Chinese name": "王小明",
    "Japanese": "こんにちは世界", "Japanese name": "佐藤花子",
    "Korean": "안녕하세요", "Korean name": "김민준",
}
RTL_VALUE = "عائشہ خان"
"""An Urdu name: right to left, ending in a letter DejaVu Sans lacks."""


@pytest.fixture(scope="module")
def script_fonts() -> None:
    """Skip (or fail, when required) unless the Noto fonts are installed."""
    missing = list(fonts.missing_chart_families())
    if missing:
        message = (f"fonts {missing} are not installed (Debian: apt-get install "
                   "fonts-noto-core fonts-noto-cjk)")
        if os.environ.get("PARTNERKIT_REQUIRE_FONTS") == "1":
            pytest.fail(message)
        pytest.skip(message)


def pdf_words(data: bytes) -> str:
    """The PDF's text as laid out (right-to-left words come out in the order they are seen)."""
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)


def pdf_fonts(data: bytes) -> set[str]:
    """The names of the fonts embedded in the PDF, without their subset prefix."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def missing_words(text: str, words: dict[str, str]) -> dict[str, str]:
    """The words not in ``text`` as typed, nor (right to left) in the order they are seen."""
    flat = " ".join(text.split())
    return {k: w for k, w in words.items() if w not in flat and w[::-1] not in flat}


def assert_printed(data: bytes, words: dict[str, str]) -> None:
    assert missing_words(pdf_words(data), words) == {}
    embedded = " ".join(sorted(pdf_fonts(data)))
    assert "Noto-Sans-CJK" in embedded, embedded
    assert "Noto-Sans-Arabic" in embedded, embedded
    assert "Noto-Sans-Hebrew" in embedded or "DejaVu" in embedded, embedded


# ------------------------------------------------------------------ PDFs


def test_postcard_prints_every_script_and_keeps_the_date_apart(script_fonts):
    card = Postcard(pupil="P-1", card_type="try_at_home", to=WORDS["Polish name"],
                    strategy=" ".join(WORDS[k] for k in ("Polish", "Arabic", "Chinese")),
                    details="\n".join(WORDS[k] for k in ("Urdu", "Hebrew", "Japanese",
                                                         "Korean")),
                    sender=RTL_VALUE, date_sent=dt.date(2026, 9, 3))
    html = postcard_html(card, "school")
    assert f'<bdi class="user-text">{RTL_VALUE}</bdi> · <bdi>3 September 2026</bdi>' in html
    data = reports.html_to_pdf(html)
    words = {k: w for k, w in WORDS.items() if "name" not in k}
    assert_printed(data, {**words, "sender": RTL_VALUE, "to": WORDS["Polish name"]})
    text = " ".join(pdf_words(data).split())
    assert "3 September 2026" in text, "the date is kept whole beside right-to-left text"


def test_pupil_pack_prints_every_script(store, script_fonts):
    save_record(store, "school", PupilProfile(
        pupil="P-1", language_at_home=WORDS["Urdu"], siblings=WORDS["Korean name"],
        current_challenges=f"{WORDS['Polish']}\n{WORDS['Hebrew']}"), "Ann")
    for i, key in enumerate(k for k in WORDS if "name" in k):
        save_record(store, "school", Connection(
            pupil="P-1", id=f"c{i}", name=WORDS[key], layer="families",
            role=WORDS[key.replace(" name", "")], notes=WORDS[key]), "Ann")
    store.set_real_name("school", "P-1", WORDS["Chinese name"], "Ann")
    html = map_summary_html(store, "school", "P-1", names=True)
    assert_printed(reports.html_to_pdf(html), WORDS)


def test_a_glyph_no_font_has_is_not_taken_for_printed(script_fonts):
    """The check above can fail: a private-use character is in no font, and is not found."""
    page = "<html><body><p>\ue000\ue001</p></body></html>"
    assert missing_words(pdf_words(reports.html_to_pdf(page)), {"pua": "\ue000\ue001"})


# ------------------------------------------------------------------ charts


def _glyphs(family: str) -> set[int]:
    path = font_manager.findfont(font_manager.FontProperties(family=family),
                                 fallback_to_default=False)
    return set(FT2Font(path).get_charmap())


def test_chart_fonts_have_a_glyph_for_every_letter(script_fonts):
    fonts.use_chart_fonts()
    assert list(matplotlib.rcParams["font.family"]) == list(fonts.CHART_FAMILIES)
    covered = set().union(*(_glyphs(f) for f in fonts.chart_families()))
    letters = {ch for word in WORDS.values() for ch in fonts.chart_text(word) + word
               if not ch.isspace()}
    assert sorted(ch for ch in letters if ord(ch) not in covered) == []


def _glyph_warnings(draw) -> list[str]:
    """The "Glyph ... missing" warnings matplotlib gives while drawing and saving."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw().savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_ecomap_and_wheel_draw_every_script(script_fonts):
    connections = [Connection(pupil="P-1", id=f"c{i}", name=word, layer="families")
                   for i, word in enumerate(WORDS.values())]
    assert _glyph_warnings(lambda: ecomap_figure(
        connections, pupil_label=WORDS["Hebrew name"])) == []
    assert _glyph_warnings(lambda: radar_figure(
        {WORDS["Arabic name"]: {}, WORDS["Chinese name"]: {}}, WORDS["Korean"])) == []


def test_a_missing_glyph_is_caught_in_a_chart(script_fonts):
    """The check above can fail: a private-use character has no glyph in any chart font."""
    assert _glyph_warnings(lambda: radar_figure({"\ue000": {}}, "title"))


def _ink(text: str, fmt: str = "png") -> np.ndarray:
    """Where a chart draws ``text`` (True = ink), through PNG or SVG (text as paths)."""
    fonts.use_chart_fonts()
    figure = Figure(figsize=(4, 1.2))
    figure.text(0.05, 0.3, fonts.chart_text(text), fontsize=48, parse_math=False)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "path"}):
        figure.savefig(buffer, format=fmt, dpi=100)
    if fmt == "svg":
        buffer = io.BytesIO(cairosvg.svg2png(bytestring=buffer.getvalue()))
    return np.asarray(Image.open(buffer).convert("L")) < 128


def _tallest_column(ink: np.ndarray) -> int:
    tops = [np.argmax(ink[:, c]) if ink[:, c].any() else ink.shape[0]
            for c in range(ink.shape[1])]
    return int(np.argmin(tops))


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_charts_draw_right_to_left_words_as_they_are_read(script_fonts, fmt):
    """Alef then beh ("اب"): read right to left, so the tall alef is drawn on the right."""
    ink = _ink("\u0627\u0628", fmt)
    columns = np.flatnonzero(ink.any(axis=0))
    middle = (columns[0] + columns[-1]) / 2
    assert _tallest_column(ink) > middle, "alef drawn on the right"
    latin = _ink("lo", fmt)
    assert _tallest_column(latin) < (np.flatnonzero(latin.any(axis=0))[[0, -1]].mean())


def test_an_isolated_name_keeps_its_place_in_a_label(script_fonts):
    name = RTL_VALUE
    alone = _ink(fonts.isolate(name))
    width = np.flatnonzero(alone.any(axis=0))[-1] + 1
    isolated = _ink(f"{fonts.isolate(name)}: 1 Sep 2026")
    assert (isolated[:, :width] == alone[:, :width]).all(), "the name first, then the date"
    assert not (_ink(f"{name}: 1 Sep 2026")[:, :width] == alone[:, :width]).all(), \
        "without isolation the date would come first"


def test_chart_text_without_a_text_layout_matplotlib_joins_and_orders(monkeypatch):
    pytest.importorskip("arabic_reshaper")
    pytest.importorskip("bidi")
    monkeypatch.setattr(fonts, "lays_out_text", lambda: False)
    fonts.chart_text.cache_clear()
    try:
        shaped = fonts.chart_text(RTL_VALUE)
        assert not any("\u0600" <= ch <= "\u06ff" for ch in shaped), "joined forms"
        assert shaped.split(" ")[0] == fonts.chart_text("خان"), "the last word seen first"
        labelled = fonts.chart_text(f"{fonts.isolate(RTL_VALUE)}: 1 Sep 2026")
        assert labelled == f"{shaped}: 1 Sep 2026", "the date stays after the name"
        assert fonts.chart_text(fonts.isolate("Łucja 王小明")) == "Łucja 王小明"
        assert fonts.chart_text("שלום\nעולם") == "םולש\nםלוע"
    finally:
        fonts.chart_text.cache_clear()


def test_chart_text_leaves_text_to_a_matplotlib_that_lays_it_out(monkeypatch):
    monkeypatch.setattr(fonts, "lays_out_text", lambda: True)
    fonts.chart_text.cache_clear()
    try:
        assert fonts.chart_text(fonts.isolate(RTL_VALUE)) == f"\u2068{RTL_VALUE}\u2069"
        assert fonts.isolate("School") == "School", "no marks where none are needed"
    finally:
        fonts.chart_text.cache_clear()


# ------------------------------------------------------------------ bidi in templates

BLOCKS = {"p", "div", "td", "th", "li", "dd", "dt", "h1", "h2", "h3", "h4", "caption",
          "pre", "section", "body", "option"}


def unisolated(html: str, value: str = RTL_VALUE) -> list[str]:
    """Where ``value`` appears without ``dir="auto"`` or ``<bdi>`` between it and its block."""
    tree = lxml.html.fromstring(html)
    found, bad = 0, []
    for element in tree.iter():
        own = element.text if isinstance(element.tag, str) else None  # not a comment's
        for text, owner in ((own, element), (element.tail, element.getparent())):
            if not text or value not in text or owner is None:
                continue
            found += 1
            chain = [owner, *owner.iterancestors()]
            if any(e.tag == "head" for e in chain):
                continue  # the window's title: not on the page
            block = next(i for i, e in enumerate(chain) if e.tag in BLOCKS)
            if not any(e.tag == "bdi" or e.get("dir") == "auto" for e in chain[:block + 1]):
                bad.append(f"<{owner.tag}> in <{chain[block].tag}>: {text.strip()[:60]!r}")
    assert found, "the value is on the page"
    return bad


X = RTL_VALUE
PARTS = {  # pupil references are not here: they are letters A-Z, digits, - and _ only
    "report_header": {"title": X, "workspace": X, "generated": dt.date(2026, 9, 3)},
    "cohort_summary": {"workspace": X, "note": "n", "tables": []},
    "data_table": {"columns": ["a"], "rows": [[X]]},
    "directory_table": {"headings": ["Organisation"], "rows": [[X]]},
    "export_links": {"intro": "i", "files": [{"format": "PDF", "path": X, "name": "a.pdf",
                                              "href": "data:,"}]},
    "item_history": {"rows": [{"when": "w", "author": X, "status": "Done", "owner": X,
                               "due": "", "evidence": X}]},
    "principles_summary": {"principles": {"rated": 2, "raters": [X, "School"],
                                          "wheel_svg": "", "group_scores": [],
                                          "starters": [X]}},
    "plan_glance": {"caption": "c", "rows": [{"number": "1.1", "text": "t", "status": "Done",
                                              "overdue": False, "owner": X, "partners": X,
                                              "due": "", "evidence": X, "notes": X}]},
    "mapping_tool/connection_row": {"name": X, "role": X, "quality": "strong"},
    "mapping_tool/remove_question": {"name": X},
    "mapping_tool/summary_link": {"filename": "f", "encoded": "", "pupil": "P-1", "kind": "k",
                                  "path": X},
    "mapping_tool/ecomap_text": {"text": X},
}


@pytest.mark.parametrize("name", sorted(PARTS))
def test_each_partial_isolates_what_people_typed(name):
    assert unisolated(f"<div>{render_part(name, **PARTS[name])}</div>") == []


def test_the_check_finds_a_value_left_in_the_open():
    assert unisolated("<div><p>From " + X + " · 3 September 2026</p></div>")


def test_postcard_and_reflective_log_isolate_what_people_typed(store):
    card = Postcard(pupil="P-1", card_type="tried_at_home", to=X, strategy=X,
                    details=f"{X}\n{X}", sender=X, date_sent=dt.date(2026, 9, 3))
    assert unisolated(postcard_html(card, X)) == []
    save_record(store, "school", LogEntry(practitioner=X, task="module6.task_6_2", text=X), X)
    save_record(store, "school", LogEntry(practitioner=X, task="module6.task_6_2",
                                          text=f"{X}\n2"), X)
    assert unisolated(log_html(store, "school", X, show_history=True)) == []


def test_map_summary_and_plan_isolate_what_people_typed(store):
    save_record(store, "school", PupilProfile(pupil="P-1", siblings=X, needs=["poverty"]),
                "Ann")
    save_record(store, "school", Connection(pupil="P-1", id="c1", name=X, layer="families",
                                            role=X, offers=X, done_before=X, key_contact=X,
                                            notes=X), "Ann")
    assert unisolated(map_summary_html(store, "school", "P-1")) == []
    save_record(store, "school", PlanSettings(school=X, local_authority=X), "Ann")
    save_record(store, "school", ChecklistProgress(item=item_ids(1)[0], status="in_progress",
                                                   owner=X, evidence=X, notes=X), "Ann")
    assert unisolated(plan_report_html(store, "school")) == []


def test_every_page_names_the_one_font_stack():
    """Reports, the landing page and the workbook pages (their stylesheet) name one stack."""
    from partnerkit import paths

    for name in ("base.html.j2", "landing.html.j2", "voila/partnerkit.css"):
        text = (paths.templates_dir() / name).read_text(encoding="utf-8")
        assert fonts.CSS_FONT_STACK in text, name
