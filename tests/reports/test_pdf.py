import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from partnerkit import reports
from tests.reports.documents import HOSTILE, pdf_text, render, sample_html, squeeze


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_shown_as_typed_in_pdf(template, name):
    value = HOSTILE[name]
    text = pdf_text(reports.html_to_pdf(render(template, value)))
    assert squeeze(reports.visible_text(value)) in squeeze(text)


def test_emoji_sequences_print_when_an_emoji_font_is_installed():
    if not shutil.which("fc-list") or not subprocess.run(
            ["fc-list", ":charset=1f44d"], capture_output=True, text=True).stdout.strip():
        pytest.skip("no emoji font (Debian: fonts-noto-color-emoji)")
    value = "👍🏽 👩‍👩‍👧 🇬🇧"
    page = f"<html><body><p>{value}</p></body></html>"
    assert squeeze(value) in squeeze(pdf_text(reports.html_to_pdf(page)))


def test_pdf_has_the_content_and_fetches_nothing_outside(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    page = sample_html().replace(
        "</body>", f'<img src="{secret.as_uri()}"><iframe src="{secret.as_uri()}"></iframe>'
                   '<link rel="stylesheet" href="https://example.org/x.css"></body>')
    data = reports.html_to_pdf(page)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for expected in ("Heading one", "Hello bold and italic", "nested", "wide", "An ecomap"):
        assert expected in text
    assert "secret" not in text and "TOP SECRET" not in text
    assert PdfReader(io.BytesIO(data)).metadata.title == "Pack & plan"
    assert "Page 1 of 1" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_long_runs_get_break_points_in_text_only():
    run = "x" * 30
    page = (f'<title>{run}</title><p title="{run}">{run} &amp;{"y" * 13} {"z" * 15}</p>'
            f'<style>{run}</style><img src="data:image/png;base64,{"A" * 60}">')
    out = reports.breakable(page)
    assert f"<title>{run}</title>" in out and f"<style>{run}</style>" in out
    assert f"<p title=\"{run}\">" in out and "A" * 60 in out
    assert "x" * 12 + "\u200b" + "x" * 12 + "\u200b" + "x" * 6 + " " in out
    assert " &amp;\u200b" + "y" * 12 + "\u200by " in out  # a reference is one character
    assert " " + "z" * 15 + "<" in out  # shorter than 16: left alone
    assert out.replace("\u200b", "") == page


def test_addresses_and_links_break_after_their_punctuation():
    out = reports.breakable("<td>firstname.lastname@example.org https://www.example.org/a?b=1&amp;c=2</td>")
    assert out == ("<td>firstname.\u200blastname@\u200bexample.\u200borg https://\u200bwww.\u200b"
                   "example.\u200borg/\u200ba?\u200bb=\u200b1&amp;\u200bc=\u200b2</td>")
