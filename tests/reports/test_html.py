import datetime as dt

import pytest
from lxml import html as lxml_html

from partnerkit import reports
from tests.reports.documents import HOSTILE, render


def test_user_text_is_escaped_and_shown_as_typed(tmp_path):
    (tmp_path / "t.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block body %}<p>{{ text }}</p>{% endblock %}')
    env = reports.environment()
    env.loader.searchpath.append(str(tmp_path))
    hostile = "<script>alert(1)</script> {{ 7*7 }} {% if %}"
    html = env.get_template("t.html.j2").render(
        title="T", workspace="<ws>", generated=None, sources=[], text=hostile)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% if %}" in html
    assert "&lt;ws&gt;" in html


def test_dates_read_as_the_one_date_formatter_writes_them():
    env = reports.environment()
    day = dt.date(2026, 9, 2)
    assert env.from_string("{{ d | date }}").render(d=day) == "2 September 2026"
    assert env.from_string("{{ d | date }}").render(d=None) == ""


def test_reports_carry_their_sources():
    sources = reports.sources(["six_steps"])
    assert sources[0]["file"] == "001_66c1b0ef11c68d39.txt"


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_shown_as_typed_in_html(template, name):
    value = HOSTILE[name]
    page = render(template, value)
    tree = lxml_html.document_fromstring(page)
    assert tree.findall(".//script") == []
    assert tree.xpath("//b") == []
    shown = reports.visible_text(value)
    assert tree.findtext(".//h2") == shown
    assert tree.find('.//p[@class="user-text"]').text_content() == shown
    assert [li.text_content() for li in tree.findall(".//main//ul/li")] == [shown, "plain"]
    assert tree.findtext(".//title") == reports.visible_text(value[:300])
    assert [td.text_content() for td in tree.findall(".//td")] == ["a", shown, shown, "b"]


def test_html_format_is_the_page_itself_with_control_characters_named(template):
    page = render(template, HOSTILE["controls"])
    assert reports.convert_html(page, "html") == page.encode()
    assert "bell[U+0007]" in page and "\x07" not in page
