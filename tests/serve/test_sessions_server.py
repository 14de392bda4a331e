"""Sessions in a real server: the idle timeout, a restart, and ``--no-sign-in``."""

from __future__ import annotations

import getpass
import time

import pytest
import requests

from partnerkit.store import Store, open_store
from tests.serve.people import ANN, PASSWORD
from tests.serve.running import running_server, sign_in, start_server

IDLE_MINUTES = "0.05"
"""Three seconds: long enough to sign in and look, short enough to wait for."""


def wait_until_signed_out(client, server, timeout: float = 30) -> dict:
    """Ask whoami (which does not count as activity) until the session has ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        who = client.get(server.url + "/partnerkit/whoami").json()
        if not who["signed_in"]:
            return who
        time.sleep(0.25)
    raise AssertionError("the session did not end after the idle timeout")


@pytest.fixture(scope="module")
def idle_server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("idle"), "--pool", "0", "--idle-minutes",
                        IDLE_MINUTES) as running:
        yield running


def test_after_the_idle_timeout_every_tab_is_refused_and_told_why(idle_server):
    client, answer = sign_in(idle_server, ANN.username)
    assert answer.url == idle_server.url + "/"
    cookie = client.cookies["partnerkit_session"]
    who = wait_until_signed_out(client, idle_server)
    assert who["ended"] and "0.05 minutes without activity" in who["message"]
    assert "saved as you typed it" in who["message"]
    second_tab = requests.Session()
    second_tab.cookies.set("partnerkit_session", cookie)
    for tab in (client, second_tab):
        page = tab.get(idle_server.url + "/voila/tree")
        assert page.url.startswith(idle_server.url + "/signin")
        assert "Your session ended after 0.05 minutes without activity" in page.text
        assert tab.get(idle_server.url + "/voila/static/voila.js").status_code == 403
    ended = wait_for_audit(idle_server, ANN.username, "session-ended")
    assert ended[-1].detail == "idle"


def wait_for_audit(server, username: str, action: str, timeout: float = 30) -> list:
    """The account's audit entries of ``action``, once there is one.

    The server writes the entry off its event loop, just after the session ends.
    """
    deadline = time.monotonic() + timeout
    while True:
        store = open_store(server.data)
        try:
            found = [e for e in store.audit_entries(account=username) if e.action == action]
        finally:
            store.close()
        if found or time.monotonic() > deadline:
            assert found, f"no {action!r} entry for {username} within {timeout:.0f} s"
            return found
        time.sleep(0.2)


def test_a_restart_keeps_accounts_and_answers_and_ends_sessions(tmp_path):
    with running_server(tmp_path, "--pool", "0") as first:
        client, _ = sign_in(first, ANN.username)
        store = open_store(first.data)
        store.save("demo", "pupil_profile", "P-7777", {"pupil": "P-7777"}, ANN.username)
        store.close()
        data, port = first.data, first.port
    second = start_server(tmp_path, "--pool", "0", data=data, port=port)
    try:
        page = client.get(second.url + "/")
        assert page.url.startswith(second.url + "/signin")
        assert "Your session has ended. Your answers are saved. Sign in again" in page.text
        again, landing = sign_in(second, ANN.username, PASSWORD, client=client)
        assert landing.url == second.url + "/" and "P-7777" in landing.text
    finally:
        second.stop()


def _empty_store(data) -> None:
    Store(data=data).close()


@pytest.fixture(scope="module")
def local_server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("local"), "--pool", "0", "--no-sign-in",
                        prepare=_empty_store) as running:
        yield running


def test_without_sign_in_pages_say_whose_computer_it_is(local_server):
    landing = requests.get(local_server.url + "/")
    assert landing.status_code == 200
    assert f"Not signed in: working as <bdi>{getpass.getuser()}</bdi> on this computer." \
        in landing.text
    assert ">Sign out</button>" not in landing.text
    who = requests.get(local_server.url + "/partnerkit/whoami").json()
    assert who["local"] is True and who["username"] == getpass.getuser()
    assert requests.get(local_server.url + "/signin").url == local_server.url + "/"
    assert "without sign-in: working as" in local_server.log_text()


def _zero_byte_store(data) -> None:
    data.mkdir(mode=0o700)
    (data / "partnerkit.sqlite").write_bytes(b"")


def test_signing_in_to_a_store_that_cannot_be_read_says_why_plainly(tmp_path):
    with running_server(tmp_path, "--pool", "0", "--workspace", "demo",
                        prepare=_zero_byte_store) as server:
        assert requests.get(server.url + "/").url.startswith(server.url + "/signin")
        _, answer = sign_in(server, ANN.username)
        assert answer.status_code == 503
        assert "The workbooks cannot be opened just now" in answer.text
        assert "is empty (0 bytes)" in answer.text and "Traceback" not in answer.text
        assert (server.data / "partnerkit.sqlite").read_bytes() == b""
