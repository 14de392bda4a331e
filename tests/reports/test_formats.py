import stat

import pytest

from partnerkit import reports
from partnerkit.errors import PartnerkitError
from partnerkit.reports import formats


def test_convert_html_knows_the_three_formats():
    page = "<html><body><p>x</p></body></html>"
    assert reports.FORMATS == ("html", "docx", "pdf")
    assert reports.convert_html(page, "html") == page.encode()
    assert reports.convert_html(page, "docx")[:2] == b"PK"
    assert reports.convert_html(page, "pdf")[:4] == b"%PDF"
    with pytest.raises(PartnerkitError, match="odt") as caught:
        reports.convert_html(page, "odt")
    assert caught.value.value == "odt" and "docx" in caught.value.fix


def test_a_registered_writer_is_used_by_its_name(monkeypatch):
    monkeypatch.setitem(formats.WRITERS, "txt", lambda html: b"plain:" + html.encode())
    assert reports.convert_html("<p>x</p>", "txt") == b"plain:<p>x</p>"


@pytest.mark.parametrize("fmt", reports.FORMATS)
def test_report_files_of_every_format_are_owner_only(tmp_path, fmt):
    data = reports.convert_html("<html><body><h1>x</h1></body></html>", fmt)
    path = reports.write_private(tmp_path / fmt / f"r.{fmt}", data)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
