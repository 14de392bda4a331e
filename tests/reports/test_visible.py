from partnerkit import reports
from tests.reports.documents import HOSTILE, docx_text, pdf_text, render, squeeze


def test_control_characters_are_named_alike_in_every_format(template):
    value = HOSTILE["controls"]
    page = render(template, value)
    for shown in ("bell[U+0007]", "escape[U+001B]", "delete[U+007F]", "c1[U+0085]"):
        assert shown in page
        assert shown in docx_text(reports.html_to_docx(page))
        assert shown in squeeze(pdf_text(reports.html_to_pdf(page)))
    assert "\x07" not in page


def test_lone_surrogates_and_nul_do_not_break_a_report():
    shown = reports.visible_text("a\ud800b\x00c\ufffe")
    assert shown == "a[U+D800]b[U+0000]c[U+FFFE]"
    shown.encode("utf-8")


def test_tab_and_line_breaks_stay_as_they_are():
    assert reports.visible_text("a\tb\nc\r\nd") == "a\tb\nc\r\nd"
