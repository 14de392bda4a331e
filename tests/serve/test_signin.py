"""The sign-in pages' rules: where to go after, what ended sessions say, new passwords."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from partnerkit.serve.lockdown import message_type
from partnerkit.serve.pages import qr_svg, render_page
from partnerkit.serve.signin import ending_notice, password_problem, safe_next
from partnerkit.serve.state import is_https
from partnerkit.serve.web_sessions import IDLE, SIGNED_OUT, TOO_MANY_CODES


@pytest.mark.parametrize(("asked", "goes"), [
    ("/voila/render/mapping_tool.ipynb?workspace=demo&pupil=P-1",
     "/voila/render/mapping_tool.ipynb?workspace=demo&pupil=P-1"),
    ("/", "/"), ("", "/"), (None, "/"),
    ("https://evil.example/", "/"), ("//evil.example/x", "/"), ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"), ("/signin", "/"), ("/signout", "/"),
    ("/signin/code", "/")])
def test_after_signing_in_the_person_goes_back_to_a_page_of_this_server_only(asked, goes):
    assert safe_next(asked, "/") == goes


def test_an_ended_session_is_explained_in_plain_words():
    idle = ending_notice(IDLE, 30.0)
    assert "30 minutes without activity" in idle and "saved" in idle and "Sign in again" in idle
    assert ending_notice(SIGNED_OUT, 30) == "You have signed out."
    assert "too many times" in ending_notice(TOO_MANY_CODES, 30)
    assert "Sign in again" in ending_notice("unknown", 30)
    assert ending_notice(None, 30) is None


@pytest.mark.parametrize(("new", "again", "field", "says"), [
    ("", "", "new_password", "Enter a new password"),
    ("short", "short", "new_password", "The new password is too short (at least 10"),
    ("long enough words", "long enough wordz", "confirm_password", "not the same"),
])
def test_a_new_password_must_be_long_and_typed_twice_the_same(new, again, field, says):
    found_field, message = password_problem(new, again)
    assert found_field == field and says in message


def test_a_good_new_password_will_do():
    assert password_problem("three unrelated words", "three unrelated words") is None


def request(protocol="http", remote="127.0.0.1", **headers):
    return SimpleNamespace(protocol=protocol, remote_ip=remote, headers=headers)


def test_https_is_believed_from_the_connection_or_a_proxy_on_this_computer_only():
    assert is_https(request("https", "203.0.113.9"))
    assert is_https(request(remote="127.0.0.1", **{"X-Forwarded-Proto": "https"}))
    assert not is_https(request(remote="203.0.113.9", **{"X-Forwarded-Proto": "https"}))
    assert not is_https(request())


def test_a_kernel_messages_type_is_read_from_text_or_binary_frames():
    text = json.dumps({"header": {"msg_type": "comm_msg"}, "content": {}})
    assert message_type(text) == "comm_msg"
    header = json.dumps({"msg_type": "kernel_info_request"}).encode()
    parts = [b"shell", header, b"{}", b"{}", b"{}"]
    offsets, at = [], 8 * (len(parts) + 1)
    for part in parts:
        offsets.append(at)
        at += len(part)
    binary = (len(parts).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
              + b"".join(parts))
    assert message_type(binary) == "kernel_info_request"
    assert message_type("not json") is None and message_type(b"\x01") is None


def test_the_sign_in_page_needs_no_other_file_and_escapes_what_it_shows():
    page = render_page("signin.html.j2", step="sign-in", xsrf="t", base_url="/",
                       username="<script>x</script>", notice="Your <b>session</b> ended",
                       errors=[("password", "The <i>username</i> or password is not right.")])
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "&lt;b&gt;session&lt;/b&gt;" in page and "&lt;i&gt;username" in page
    for outside in ('<link', '<script', 'src="/', "src='/", "@import", "url("):
        assert outside not in page
    assert '<label for="username">Username</label>' in page
    assert '<a href="#password">' in page and 'aria-invalid="true"' in page
    assert ">Sign in</button>" in page


def test_the_authenticator_qr_code_is_inline_svg_with_a_title():
    svg = str(qr_svg("otpauth://totp/partnerkit:ann?secret=ABC&issuer=partnerkit"))
    assert svg.startswith("<svg") and "<title>QR code for your authenticator app</title>" in svg
