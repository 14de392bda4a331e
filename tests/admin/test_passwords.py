"""A new password: from standard input for scripts, else asked twice at the terminal."""

from __future__ import annotations

import io

import pytest

from partnerkit.admin.passwords import read_new_password
from partnerkit.errors import AccountError


def test_the_first_line_of_stdin_is_the_password_without_its_line_break():
    stdin = io.StringIO("a long enough password\r\nsecond line\n")
    assert read_new_password("jo", from_stdin=True, stdin=stdin) == "a long enough password"


@pytest.mark.parametrize(("text", "message"), [("", "standard input is empty"),
                                               ("short\n", "too short")])
def test_empty_or_short_stdin_is_refused(text, message):
    with pytest.raises(AccountError, match=message):
        read_new_password("jo", from_stdin=True, stdin=io.StringIO(text))


def test_at_the_terminal_it_is_asked_twice_and_must_match():
    answers = iter(["a long enough password", "a long enough password"])
    asked = []
    got = read_new_password("jo", from_stdin=False,
                            ask=lambda prompt: asked.append(prompt) or next(answers))
    assert got == "a long enough password" and len(asked) == 2 and "jo" in asked[0]


def test_two_different_passwords_are_refused():
    answers = iter(["a long enough password", "another long password"])
    with pytest.raises(AccountError, match="the two passwords typed differ"):
        read_new_password("jo", from_stdin=False, ask=lambda prompt: next(answers))


def test_a_short_password_is_refused_before_it_is_asked_again():
    asked = []
    with pytest.raises(AccountError, match="too short"):
        read_new_password("jo", from_stdin=False, ask=lambda p: asked.append(p) or "short")
    assert len(asked) == 1
