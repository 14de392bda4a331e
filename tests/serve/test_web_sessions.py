"""Sessions live in server memory, end after the idle timeout, and say why they ended."""

from __future__ import annotations

import pytest

from partnerkit.serve.web_sessions import (
    CHOOSE_PASSWORD,
    IDLE,
    SIGNED_IN,
    SIGNED_OUT,
    SessionBook,
    counts_as_activity,
    sweep_interval_seconds,
)


class Clock:
    """A test clock: seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ended() -> list[tuple[str, str]]:
    return []


@pytest.fixture
def book(clock, ended) -> SessionBook:
    return SessionBook(idle_seconds=60, clock=clock,
                       on_end=lambda session, reason: ended.append((session.username, reason)))


def test_a_session_has_a_long_random_id_of_its_own(book):
    ids = {book.start("ann", "Ann").id for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) >= 43 for i in ids)  # 32 random bytes, URL-safe


def test_a_session_is_found_by_its_id_only(book):
    session = book.start("ann", "Ann")
    assert book.find(session.id) is session
    assert book.find("ann") is None
    assert book.find("") is None and book.find(None) is None


def test_a_session_idle_longer_than_the_timeout_ends_when_next_asked_for(book, clock, ended):
    session = book.start("ann", "Ann")
    clock.now += 60
    assert book.find(session.id) is session  # exactly the timeout: still alive
    clock.now += 1
    assert book.find(session.id) is None
    assert book.ended_reason(session.id) == IDLE
    assert ended == [("ann", IDLE)]


def test_activity_keeps_a_session_alive(book, clock):
    session = book.start("ann", "Ann")
    for _ in range(5):
        clock.now += 50
        book.touch(session)
    assert book.alive(session)


def test_a_sweep_ends_every_idle_session_once(book, clock, ended):
    old = book.start("ann", "Ann")
    clock.now += 45
    fresh = book.start("ben", "Ben")
    clock.now += 30
    assert book.sweep() == [old]
    assert book.sweep() == []
    assert book.live() == [fresh]
    assert ended == [("ann", IDLE)]


def test_a_signed_out_session_is_gone_and_says_so(book, ended):
    session = book.start("ann", "Ann")
    book.end(session, SIGNED_OUT)
    book.end(session, SIGNED_OUT)
    assert book.find(session.id) is None
    assert book.ended_reason(session.id) == SIGNED_OUT
    assert ended == [("ann", SIGNED_OUT)]


def test_a_kernel_belongs_to_the_session_it_was_handed_to_while_it_lives(book, clock):
    ann, ben = book.start("ann", "Ann"), book.start("ben", "Ben")
    book.claim_kernel(ann, "k-1")
    assert book.kernel_owner("k-1") is ann
    assert book.kernel_owner("k-2") is None  # a pool kernel not handed to anyone
    clock.now += 61
    book.touch(ben)
    assert book.kernel_owner("k-1") is None
    assert ann.kernels == {"k-1"}  # what on_end shuts down


def test_a_session_on_its_way_in_is_not_signed_in(book):
    session = book.start("ann", "Ann", CHOOSE_PASSWORD)
    assert not session.signed_in
    session.stage = SIGNED_IN
    assert session.signed_in


def test_the_identity_handed_to_a_kernel_names_the_account_only():
    book = SessionBook(60)
    assert book.start("ann", "Ann").identity() == {"username": "ann"}


@pytest.mark.parametrize(("msg_type", "counts"), [
    ("comm_msg", True), ("comm_open", True), ("comm_close", True),
    ("kernel_info_request", False), ("comm_info_request", False), (None, False),
    ("execute_request", False)])
def test_only_widget_messages_count_as_activity(msg_type, counts):
    assert counts_as_activity(msg_type) is counts


def test_idle_sessions_are_looked_for_often_enough_for_the_timeout():
    assert sweep_interval_seconds(30 * 60) == 60
    assert sweep_interval_seconds(6) == 2
    assert sweep_interval_seconds(0.3) == 0.5
