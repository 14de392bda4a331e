"""The widget scripts a page loads are kept by the browser when their name holds a hash."""

from __future__ import annotations

import json
import re

import pytest
import requests

from partnerkit.serve.static_cache import KEPT
from tests.serve.people import ANN
from tests.serve.running import running_server, sign_in

MANAGER = "/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("static"), "--pool", "0") as running:
        yield running


def a_page_scripts(client, server) -> list[str]:
    """The widget manager's scripts a page loads first, as the page's config names them."""
    page = client.get(server.url + "/voila/render/reflective_log.ipynb?workspace=demo")
    config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">'
                                  r"(.*?)</script>", page.text, re.S).group(1))
    names = [extension["load"].removeprefix("static/")
             for extension in config["federated_extensions"]
             if extension["name"] == "@jupyter-widgets/jupyterlab-manager"]
    assert names, "the page loads the widget manager"
    return names


def test_a_hashed_widget_script_is_kept_and_others_are_asked_for_again(server):
    client, _ = sign_in(server, ANN.username)
    hashed = client.get(server.url + MANAGER + a_page_scripts(client, server)[0])
    assert hashed.status_code == 200 and hashed.headers["Cache-Control"] == KEPT
    plain = client.get(server.url + MANAGER + "style.js")
    assert plain.status_code == 200 and plain.headers["Cache-Control"] == "no-cache"


def test_a_stranger_still_gets_no_script(server):
    client, _ = sign_in(server, ANN.username)
    name = a_page_scripts(client, server)[0]
    stranger = requests.get(server.url + MANAGER + name)
    assert stranger.status_code == 403
    assert "immutable" not in stranger.headers.get("Cache-Control", "")
