"""The page's script: served behind sign-in, kept by the browser when asked by its version."""

from __future__ import annotations

import re

import pytest
import requests

from partnerkit.serve import page_script
from tests.serve.people import ANN
from tests.serve.running import running_server, sign_in

SCRIPT = "/partnerkit/page/page.js"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("script"), "--pool", "0") as running:
        yield running


def asked_for(client, server) -> list[str]:
    """The addresses of the script and stylesheet a workbook page asks for."""
    page = client.get(server.url + "/voila/render/reflective_log.ipynb?workspace=demo")
    return re.findall(r'(?:src|href)="(/partnerkit/page/[^"]+)"', page.text)


def test_a_page_asks_for_its_script_and_styles_by_version_and_for_no_voila_script(server):
    client, _ = sign_in(server, ANN.username)
    page = client.get(server.url + "/voila/render/reflective_log.ipynb?workspace=demo")
    version = page_script.version()
    assert f'<script defer src="/partnerkit/page/page.js?v={version}"></script>' in page.text
    assert f'href="/partnerkit/page/page.css?v={version}"' in page.text
    assert "/voila/static/voila.js" not in page.text
    assert "voila-style.js" not in page.text


def test_the_versioned_script_is_kept_and_an_unversioned_one_is_asked_for_again(server):
    client, _ = sign_in(server, ANN.username)
    for address in asked_for(client, server):
        kept = client.get(server.url + address)
        assert kept.status_code == 200 and kept.headers["Cache-Control"] == page_script.KEPT
    plain = client.get(server.url + SCRIPT)
    assert plain.status_code == 200
    assert "immutable" not in plain.headers.get("Cache-Control", "")
    stale = client.get(server.url + SCRIPT + "?v=0000000000000000")
    assert "immutable" not in stale.headers.get("Cache-Control", "")


def test_a_stranger_gets_no_script(server):
    client, _ = sign_in(server, ANN.username)
    address = asked_for(client, server)[0]
    stranger = requests.get(server.url + address)
    assert stranger.status_code == 403
    assert "immutable" not in stranger.headers.get("Cache-Control", "")


def test_nothing_but_the_two_built_files_is_served(server):
    client, _ = sign_in(server, ANN.username)
    for other in ("package.json", "src/page.js", "../__init__.py", "page.js.LEGAL.txt"):
        assert client.get(server.url + "/partnerkit/page/" + other).status_code == 404


def test_an_unbuilt_script_is_a_clear_message_naming_the_fix(tmp_path, monkeypatch):
    monkeypatch.setattr(page_script, "BUILD", tmp_path)
    page_script.version.cache_clear()
    try:
        with pytest.raises(page_script.ServeError) as raised:
            page_script.version()
    finally:
        page_script.version.cache_clear()
    message = str(raised.value)
    assert str(tmp_path) in message
    assert "pip install" in message and "apt-get install nodejs npm" in message
