"""The guides: one per role, rendered from Markdown as text (never markup), linked from the
landing page, and served by ``partnerkit serve`` to signed-in people only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

from partnerkit import paths
from partnerkit.serve import guides
from partnerkit.serve.guides import GUIDES, find_guide, image_path, render_guide
from tests.serve.running import running_server, sign_in

ROLES = {"practitioner", "school-lead", "trainer", "data-protection-lead", "running-the-server"}
IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(images/([^)\s]+)\)")


def test_there_is_one_guide_per_role_each_a_file_shipped_in_docs():
    assert {g.name for g in GUIDES} == ROLES
    for guide in GUIDES:
        assert guide.path.parent == paths.docs_dir()
        assert guide.path.is_file(), guide.path


@pytest.mark.parametrize("guide", GUIDES, ids=lambda g: g.name)
def test_each_guide_renders_with_its_title_as_the_heading(guide):
    page = render_guide(guide)
    assert re.search(rf"<h1>{re.escape(guide.title)}</h1>", page)
    assert f"<title>{guide.title} – Partnership workbooks</title>" in page


def test_every_screenshot_a_guide_shows_is_in_docs_images():
    shown = {name for g in GUIDES for name in IMAGE_LINK.findall(g.path.read_text())}
    assert shown, "the guides show no screenshot"
    for name in shown:
        assert image_path(name) is not None, f"docs/images/{name} is missing"


def test_markup_in_a_guide_is_shown_as_text_and_a_script_link_is_dropped(tmp_path, monkeypatch):
    (tmp_path / "practitioner.md").write_text(
        "# Guide\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
        "[click](javascript:alert(3)) and [fine](https://example.org/a)\n", encoding="utf-8")
    monkeypatch.setattr(paths, "docs_dir", lambda: tmp_path)
    page = render_guide(find_guide("practitioner"))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "href=\"javascript" not in page
    assert '<a href="https://example.org/a">fine</a>' in page


@pytest.mark.parametrize("name", ["../practitioner.md", "..%2Fx.png", "x.svg", ".png",
                                  "images/x.png", "missing.png", "X.PNG"])
def test_only_a_plain_png_name_in_docs_images_is_an_image(name):
    assert image_path(name) is None


def test_an_unknown_guide_name_is_no_guide():
    assert find_guide("nobody") is None
    assert find_guide("practitioner").title == "Guide for practitioners"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("guides"), "--pool", "0") as running:
        yield running


@pytest.fixture(scope="module")
def client(server):
    signed_in, _ = sign_in(server, "ann.teacher")
    return signed_in


def test_the_landing_page_links_the_guide_for_each_role(server, client):
    page = client.get(server.url + "/").text
    for guide in GUIDES:
        assert f'<a href="/guides/{guide.name}">{guide.title}</a>' in page


def test_a_signed_in_person_reads_a_guide_with_its_screenshots(server, client):
    answer = client.get(server.url + "/guides/practitioner")
    assert answer.status_code == 200
    assert "<h1>Guide for practitioners</h1>" in answer.text
    assert "script-src 'none'" in answer.headers["Content-Security-Policy"]
    (first, *_) = re.findall(r'<img src="(images/[^"]+)"', answer.text)
    picture = client.get(server.url + "/guides/" + first)
    assert picture.status_code == 200
    assert picture.headers["Content-Type"] == "image/png"
    assert picture.content.startswith(b"\x89PNG")


def test_the_list_of_guides_names_every_guide(server, client):
    page = client.get(server.url + "/guides").text
    assert all(f'href="/guides/{g.name}"' in page for g in GUIDES)


def test_an_unknown_guide_is_a_plain_404_with_the_list(server, client):
    answer = client.get(server.url + "/guides/nobody")
    assert answer.status_code == 404
    assert "There is no guide called “nobody”: pick one from this list." in answer.text
    assert "Traceback" not in answer.text
    missing = client.get(server.url + "/guides/images/missing.png")
    assert missing.status_code == 404


def test_someone_not_signed_in_is_sent_to_sign_in_and_gets_no_screenshot(server):
    stranger = requests.Session()
    page = stranger.get(server.url + "/guides/practitioner", allow_redirects=False)
    assert page.status_code == 302
    assert "/signin?next=" in page.headers["Location"]
    picture = stranger.get(server.url + "/guides/images/landing.png", allow_redirects=False)
    assert picture.status_code == 403


def test_the_guides_are_found_beside_the_package_in_a_checkout():
    assert paths.docs_dir() == Path(guides.__file__).resolve().parents[2] / "docs"
