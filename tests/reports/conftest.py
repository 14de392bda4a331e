import pytest

from partnerkit.reports import html
from tests.reports.documents import TEMPLATE


@pytest.fixture
def template(tmp_path, monkeypatch):
    """A report template in tmp_path, found alongside the shipped ones."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "hostile.html.j2").write_text(TEMPLATE, encoding="utf-8")
    original = html.environment

    def environment():
        env = original()
        env.loader.searchpath.append(str(folder))
        return env

    monkeypatch.setattr(html, "environment", environment)
    return "hostile.html.j2"
