import stat

from partnerkit import reports


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


def test_reports_carry_their_sources():
    sources = reports.sources(["six_steps"])
    assert sources[0]["file"] == "001_66c1b0ef11c68d39.txt"


def test_report_files_are_owner_only(tmp_path):
    path = reports.write_private(tmp_path / "out" / "r.html", "<p>x</p>")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == "<p>x</p>"
