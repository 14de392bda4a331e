"""A real ``partnerkit serve`` over HTTP: sign-in, sign-out, cookies, and every door locked.

Each server is a subprocess on a loopback port over the demo school and the test
people (``tests/serve/people.py``); the client is ``requests`` with a cookie jar, as a
browser without scripts would be. The browser tests drive the same server in Chromium.
"""

from __future__ import annotations

import base64
import os
import re
import socket
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from partnerkit import catalog
from partnerkit.store import open_store
from tests.serve.people import ANN, BEN, LEE, PASSWORD, add_people
from tests.serve.running import XSRF, running_server, sign_in, sign_out

SIGN_IN_FAILED = ("The username or password is not right. Check them and try again; after "
                  "several failures the account is locked for a while.")

PAGES = ["/", "/index.html", "/voila/tree",
         *[f"/voila/render/{w.filename}?workspace=demo&pupil=P-1001" for w in catalog.available()]]
FILES = ["/partnerkit/page/page.js", "/voila/static/voila.js",
         "/voila/templates/lab/static/index.css",
         "/voila/labextensions/@jupyter-widgets/jupyterlab-manager/package.json",
         "/voila/files/picture.png", "/voila/api/contents",
         "/voila/api/contents/mapping_tool.ipynb",
         "/voila/api/themes/@jupyterlab/theme-light-extension/index.css",
         f"/api/kernels/{uuid.uuid4()}"]
FORGED = {"Authorization": f"token {uuid.uuid4().hex}", "X-Forwarded-User": LEE.username,
          "X-Partnerkit-Account": LEE.username, "X-Remote-User": LEE.username,
          "Remote-User": LEE.username, "X-Forwarded-Proto": "https"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The server of this module: one preheated kernel, for the reflective log only."""
    with running_server(tmp_path_factory.mktemp("signin"), "--pool", "0",
                        "--pool", "reflective_log=1") as running:
        yield running


def ready_pool_kernel(server, timeout: float = 180) -> str:
    """The id of a pool kernel waiting for its page (it says so in the server's log)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.findall(r"preheated kernel (\S+) is ready for a page", server.log_text())
        if found:
            return found[-1]
        time.sleep(0.2)
    raise AssertionError("no pool kernel became ready")


def landing_of(client, server) -> requests.Response:
    return client.get(server.url + "/", allow_redirects=False)


def error_messages(page: str) -> list[str]:
    return re.findall(r'<li><a href="#[a-z_]+">(.*?)</a></li>', page)


def assert_refused(answer: requests.Response, page: bool) -> None:
    """Refused: a page goes to sign-in (and back after), anything else is 403; nothing shown."""
    if page:
        assert answer.status_code == 302, answer.status_code
        location = urlsplit(answer.headers["Location"])
        assert location.path == "/signin"
        assert parse_qs(location.query)["next"] == [answer.request.path_url]
    else:
        assert answer.status_code == 403, answer.status_code
    for sign in ("pk-link", "P-1001", "Glenbrae", "rendered_cells", "define(", "\"cells\""):
        assert sign not in answer.text


# ------------------------------------------------------------------- signing in

def test_the_first_page_is_the_sign_in_page(server):
    answer = requests.get(server.url + "/")
    assert answer.url == server.url + "/signin?next=%2F"
    assert "<h1>Sign in</h1>" in answer.text
    assert answer.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_the_right_password_signs_in_and_the_landing_page_says_who(server):
    client, answer = sign_in(server, ANN.username)
    assert answer.url == server.url + "/"
    assert "Signed in as <strong><bdi>Ann Teacher</bdi></strong> (<bdi>ann.teacher</bdi>)" \
        in answer.text
    store = open_store(server.data)
    entries = store.audit_entries(account=ANN.username)
    store.close()
    assert any(e.action == "sign-in" and e.allowed for e in entries)


def test_an_unknown_user_and_a_wrong_password_get_the_same_message(server):
    _, unknown = sign_in(server, "nobody.here", "whatever password")
    _, wrong = sign_in(server, BEN.username, "not the password")
    for answer in (unknown, wrong):
        assert answer.status_code == 403
        assert error_messages(answer.text) == [SIGN_IN_FAILED]
        assert "partnerkit_session" not in answer.cookies
    assert 'value="nobody.here"' in unknown.text  # the username is kept, the password not
    assert "whatever password" not in unknown.text


def test_blank_fields_say_what_to_enter(server):
    _, answer = sign_in(server, "", "")
    assert answer.status_code == 400
    assert error_messages(answer.text) == ["Enter your username", "Enter your password"]


def test_the_form_without_its_token_is_refused(server):
    answer = requests.post(server.url + "/signin", data={"username": ANN.username,
                                                         "password": PASSWORD})
    assert answer.status_code == 403 and "partnerkit_session" not in answer.cookies


def test_the_session_cookie_is_http_only_same_site_and_not_secure_over_http(server):
    client = requests.Session()
    token = XSRF.search(client.get(server.url + "/signin").text).group(1)
    answer = client.post(server.url + "/signin", allow_redirects=False, data={
        "_xsrf": token, "username": ANN.username, "password": PASSWORD, "next": "/"})
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith("partnerkit_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie and "expires" not in cookie.lower()
    assert len(answer.cookies["partnerkit_session"]) >= 43


def test_a_sign_in_goes_back_to_the_page_asked_for_and_never_to_another_site(server):
    wanted = "/voila/tree"
    client, answer = sign_in(server, ANN.username, next=wanted)
    assert urlsplit(answer.url).path == wanted
    _, elsewhere = sign_in(server, ANN.username, next="https://evil.example/")
    assert elsewhere.url == server.url + "/"


def test_repeated_wrong_passwords_lock_the_account_and_it_says_so(server):
    add_people(server.data, ())
    from partnerkit import accounts

    store = open_store(server.data)
    accounts.add_user(store, "lock.me", "Lock Me", "practitioner", "demo", by="tests",
                      password=PASSWORD)
    store.close()
    started = time.monotonic()
    for _ in range(5):
        _, answer = sign_in(server, "lock.me", "wrong password")
        assert error_messages(answer.text) == [SIGN_IN_FAILED]
    assert time.monotonic() - started >= 5 * 1.0  # each failure answered after a pause
    _, answer = sign_in(server, "lock.me", PASSWORD)
    assert answer.status_code == 403
    [message] = error_messages(answer.text)
    assert message.startswith("This account is locked after 5 failed sign-ins, until ")
    assert "ask an admin to reset the password" in message
    store = open_store(server.data)
    actions = [e.action for e in store.audit_entries(account="lock.me")]
    store.close()
    assert "account-locked" in actions


# ------------------------------------------------------------------ signing out

def test_sign_out_ends_the_session_and_its_cookie_opens_nothing_after(server):
    client, _ = sign_in(server, BEN.username)
    cookie = client.cookies["partnerkit_session"]
    answer = sign_out(client, server)
    assert answer.url == server.url + "/signin?signed_out=1"
    assert "You have signed out." in answer.text
    thief = requests.Session()
    thief.cookies.set("partnerkit_session", cookie)
    assert_refused(landing_of(thief, server), page=True)
    assert thief.get(server.url + "/partnerkit/whoami").json()["signed_in"] is False
    store = open_store(server.data)
    actions = [e.action for e in store.audit_entries(account=BEN.username)]
    store.close()
    assert "sign-in" in actions and "sign-out" in actions


def test_sign_out_needs_the_button_not_just_an_address(server):
    client, _ = sign_in(server, BEN.username)
    client.get(server.url + "/signout")
    assert landing_of(client, server).status_code == 200
    assert requests.post(server.url + "/signout",
                         cookies={"partnerkit_session": client.cookies["partnerkit_session"]}
                         ).status_code == 403  # no form token: another site cannot sign you out
    assert landing_of(client, server).status_code == 200


# --------------------------------------------------------- every door is locked

@pytest.mark.parametrize("path", PAGES)
def test_no_page_without_sign_in(server, path):
    assert_refused(requests.get(server.url + path, allow_redirects=False), page=True)


@pytest.mark.parametrize("path", FILES)
def test_no_file_or_api_without_sign_in(server, path):
    assert_refused(requests.get(server.url + path, allow_redirects=False), page=False)


def test_the_same_files_are_there_for_someone_signed_in(server):
    client, _ = sign_in(server, ANN.username)
    found = {path: client.get(server.url + path, allow_redirects=False).status_code
             for path in FILES}
    assert found == {**dict.fromkeys(FILES, 200), "/voila/files/picture.png": 404,
                     FILES[-1]: 403}  # no such picture; a kernel that is not Ann's


@pytest.mark.parametrize("path", [*PAGES[:3], *FILES[:3]])
def test_a_forged_header_changes_nothing(server, path):
    answer = requests.get(server.url + path, headers=FORGED, allow_redirects=False)
    assert_refused(answer, page=path in PAGES)
    token = requests.get(f"{server.url}{path}?token={uuid.uuid4().hex}", allow_redirects=False)
    assert token.status_code in (302, 403)


def test_shutting_down_a_kernel_needs_a_session(server):
    answer = requests.post(f"{server.url}/voila/api/shutdown/{uuid.uuid4()}")
    assert answer.status_code == 403


def test_whoami_says_nothing_without_a_session(server):
    answer = requests.get(server.url + "/partnerkit/whoami").json()
    assert answer["signed_in"] is False and "username" not in answer


def websocket_status(url: str, **headers: str) -> int:
    """The HTTP status a websocket connection gets (101 when it opens)."""
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    try:
        with connect(url, additional_headers=headers, open_timeout=30, proxy=None):
            return 101
    except InvalidStatus as exc:
        return exc.response.status_code


def test_the_request_socket_serves_only_the_servers_own_kernels(server):
    ws = server.url.replace("http", "ws") + f"/voila/query/{ready_pool_kernel(server)}"
    client, _ = sign_in(server, LEE.username)
    cookie = f"partnerkit_session={client.cookies['partnerkit_session']}"
    logged_before = len(server.log_text())
    assert websocket_status(ws) == 403
    assert websocket_status(ws, Cookie=cookie) == 403
    assert websocket_status(ws, **{"X-Partnerkit-Kernel-Secret": "guess"}) == 403
    said = server.log_text()[logged_before:]
    assert "Traceback" not in said and "ERROR" not in said, said


def test_a_kernel_websocket_needs_a_session(server):
    ws = server.url.replace("http", "ws") + f"/api/kernels/{uuid.uuid4()}/channels"
    logged_before = len(server.log_text())
    assert websocket_status(ws) == 403
    assert websocket_status(ws, **FORGED) == 403
    said = server.log_text()[logged_before:]
    assert "sign in first" in said  # the refusal is logged as a refusal
    assert "Traceback" not in said and "ERROR" not in said, said


def open_page(client, server, workbook: str) -> str:
    """Ask for a workbook page; the id of the kernel it got (read from the page's start)."""
    with client.get(f"{server.url}/voila/render/{workbook}.ipynb?workspace=demo",
                    stream=True, timeout=180) as answer:
        assert answer.status_code == 200
        seen = ""
        for chunk in answer.iter_content(chunk_size=None, decode_unicode=True):
            seen += chunk
            found = re.search(r'"kernelId": "([0-9a-f-]{36})"', seen)
            if found:
                return found.group(1)
    raise AssertionError("the page named no kernel")


def kernel_running(kernel: str) -> bool:
    from tests.helpers.served_pages import kernel_pid

    try:
        kernel_pid(kernel)
    except LookupError:
        return False
    return True


def test_a_pages_kernel_serves_only_its_account_and_ends_with_its_session(server):
    ready_pool_kernel(server)
    ann, _ = sign_in(server, ANN.username)
    ben, _ = sign_in(server, BEN.username)
    kernel = open_page(ann, server, "reflective_log")
    channels = server.url.replace("http", "ws") + f"/api/kernels/{kernel}/channels"
    cookie = {name: f"partnerkit_session={client.cookies['partnerkit_session']}"
              for name, client in (("ann", ann), ("ben", ben))}
    assert ann.get(f"{server.url}/api/kernels/{kernel}").status_code == 200
    assert ben.get(f"{server.url}/api/kernels/{kernel}").status_code == 403
    assert websocket_status(channels, Cookie=cookie["ben"]) == 403
    assert websocket_status(channels, Cookie=cookie["ann"]) == 101
    assert ben.post(f"{server.url}/voila/api/shutdown/{kernel}",
                    headers={"X-XSRFToken": ben.cookies.get("_xsrf", "")}).status_code == 403
    assert kernel_running(kernel)
    sign_out(ann, server)
    deadline = time.monotonic() + 60
    while kernel_running(kernel) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not kernel_running(kernel), "signing out did not shut down the page's kernel"
    again, _ = sign_in(server, ANN.username)
    assert again.get(f"{server.url}/api/kernels/{kernel}").status_code == 403


def hang_up_while_connecting(url: str, cookie: str, after: float) -> None:
    """Ask for a websocket as a page does, and hang up ``after`` seconds later, unanswered
    (a tab closed just as its page connects)."""
    parts = urlsplit(url)
    key = base64.b64encode(os.urandom(16)).decode()
    ask = (f"GET {parts.path}?session_id={uuid.uuid4()} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
           f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
           "Sec-WebSocket-Version: 13\r\n"
           "Sec-WebSocket-Protocol: v1.kernel.websocket.jupyter.org\r\n"
           f"Cookie: {cookie}\r\n\r\n")
    with socket.create_connection((parts.hostname, parts.port)) as raw:
        raw.sendall(ask.encode())
        time.sleep(after)


def test_a_page_gone_while_its_socket_is_set_up_leaves_no_error_and_no_miscount(server):
    # Jupyter Server went on to answer the closed connection: "'NoneType' object has no
    # attribute 'kernel_ws_protocol'", a 500 and a traceback on the console, and the
    # kernel's connections counted -1.
    ann, _ = sign_in(server, ANN.username)
    page = ann.get(f"{server.url}/voila/render/reflective_log.ipynb?workspace=demo",
                   timeout=180)  # the whole page, every cell run
    kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', page.text).group(1)
    channels = server.url.replace("http", "ws") + f"/api/kernels/{kernel}/channels"
    cookie = f"partnerkit_session={ann.cookies['partnerkit_session']}"
    logged_before = len(server.log_text())
    for after in (0, 0.001, 0.005, 0, 0.001, 0.005):
        hang_up_while_connecting(channels, cookie, after)
    time.sleep(1)
    said = server.log_text()[logged_before:]
    for sign in ("/channels: 500", "Uncaught exception", "kernel_ws_protocol",
                 "never retrieved"):
        assert sign not in said, said
    assert ann.get(f"{server.url}/api/kernels/{kernel}").json()["connections"] == 0
    assert websocket_status(channels, Cookie=cookie) == 101  # the page itself still connects
    assert ann.get(f"{server.url}/api/kernels/{kernel}").json()["connections"] == 0


# --------------------------------------------- one-time code, then a new password

def add_account(server, username: str, role: str, workspace: str = "demo", **kwargs) -> None:
    from partnerkit import accounts

    store = open_store(server.data)
    try:
        accounts.add_user(store, username, username.title(), role, workspace, by="tests",
                          **kwargs)
    finally:
        store.close()


def form_token(page: str) -> str:
    return XSRF.search(page).group(1)


def test_after_a_one_time_code_the_person_chooses_a_password_before_going_on(server):
    code = "ABCD-EFGH-JKLM"
    add_account(server, "new.starter", "practitioner", password=code, must_change=True)
    client, answer = sign_in(server, "new.starter", code)
    assert answer.url == server.url + "/signin"
    assert "<h1>Choose your own password</h1>" in answer.text
    assert_refused(landing_of(client, server), page=True)  # not in yet
    step = server.url + "/signin/password"
    token = form_token(answer.text)
    short = client.post(step, data={"_xsrf": token, "new_password": "short",
                                    "confirm_password": "short"})
    assert short.status_code == 400 and "too short" in error_messages(short.text)[0]
    differ = client.post(step, data={"_xsrf": token, "new_password": "my own long words",
                                     "confirm_password": "my own long wordz"})
    assert error_messages(differ.text) == [
        "The two passwords are not the same. Type the new password again"]
    done = client.post(step, data={"_xsrf": token, "new_password": "my own long words",
                                   "confirm_password": "my own long words"})
    assert done.url == server.url + "/" and "Signed in as" in done.text
    _, old = sign_in(server, "new.starter", code)
    assert error_messages(old.text) == [SIGN_IN_FAILED]
    _, new = sign_in(server, "new.starter", "my own long words")
    assert new.url == server.url + "/"


# ------------------------------------------------------------- the second factor

def totp_now(secret: str) -> str:
    import pyotp

    return pyotp.TOTP(secret).now()


def wrong_code(secret: str) -> str:
    import pyotp

    totp = pyotp.TOTP(secret)
    near = {totp.at(time.time() + step * 30) for step in (-1, 0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(1000000)) if c not in near)


@pytest.fixture(scope="module")
def second_factor_workspace(server):
    """A workspace that asks its leads for a second factor."""
    from partnerkit import accounts

    store = open_store(server.data)
    try:
        accounts.add_workspace(store, "strict", "Strict Academy", by="tests")
        store.set_second_factor("strict", True)
    finally:
        store.close()
    return "strict"


def test_a_lead_without_an_authenticator_sets_one_up_then_gives_its_code(
        server, second_factor_workspace):
    add_account(server, "sam.lead", "school_lead", second_factor_workspace, password=PASSWORD)
    client, answer = sign_in(server, "sam.lead")
    assert "<h1>Set up your authenticator app</h1>" in answer.text
    assert "<svg" in answer.text and "<title>QR code for your authenticator app</title>" \
        in answer.text
    secret = re.search(r'id="setup-key">([A-Z2-7 ]+)<', answer.text).group(1).replace(" ", "")
    assert_refused(landing_of(client, server), page=True)
    step, token = server.url + "/signin/code", form_token(answer.text)
    wrong = client.post(step, data={"_xsrf": token, "code": wrong_code(secret)})
    assert wrong.status_code == 403
    assert error_messages(wrong.text)[0].startswith("The code is not right")
    right = client.post(step, data={"_xsrf": token, "code": totp_now(secret)})
    assert right.url == server.url + "/" and "Sam.Lead" in right.text
    store = open_store(server.data)
    assert store.account_row("sam.lead").totp_secret == secret
    store.close()
    # The next time: the code only, no QR code.
    client, answer = sign_in(server, "sam.lead")
    assert "<h1>Enter your authenticator code</h1>" in answer.text and "<svg" not in answer.text
    done = client.post(step, data={"_xsrf": form_token(answer.text), "code": totp_now(secret)})
    assert done.url == server.url + "/"


def test_too_many_wrong_codes_end_the_attempt(server, second_factor_workspace):
    from partnerkit import accounts

    add_account(server, "pat.lead", "school_lead", second_factor_workspace, password=PASSWORD)
    store = open_store(server.data)
    secret = accounts.new_totp_secret(store, "pat.lead", by="tests")
    store.close()
    client, answer = sign_in(server, "pat.lead")
    step, token = server.url + "/signin/code", form_token(answer.text)
    for _ in range(2):
        assert client.post(step, data={"_xsrf": token, "code": wrong_code(secret)}
                           ).status_code == 403
    last = client.post(step, data={"_xsrf": token, "code": wrong_code(secret)})
    assert last.url == server.url + "/signin" and "<h1>Sign in</h1>" in last.text
    assert "not right too many times" in last.text
    late = client.post(step, data={"_xsrf": token, "code": totp_now(secret)})
    assert "<h1>Sign in</h1>" in late.text  # the right code is too late now
    assert_refused(landing_of(client, server), page=True)
