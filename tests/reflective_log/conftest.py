"""Fixtures for the reflective log tests: a log with history, and a session factory."""

from __future__ import annotations

import pytest

from partnerkit.records.base import save_record
from partnerkit.records.module import SelfRating
from partnerkit.store import Store
from tests.reflective_log.texts import WHO, long_text, write


@pytest.fixture
def log_store(store: Store, clock) -> Store:
    """A practitioner with a short entry edited twice, a long one, and self-ratings."""
    write(store, "module6.task_6_2", "First thoughts about <parents> & carers.")
    clock.advance(hours=2)
    write(store, "module6.task_6_2", "Second thoughts: welcome, agenda, seat parents first.")
    clock.advance(days=1)
    write(store, "module6.task_effective_collaboration.2", long_text())
    write(store, "module6.activity17.2", "I share strategies with families now.")
    save_record(store, "school", SelfRating(practitioner=WHO, moment="start", rating=2), WHO)
    save_record(store, "school", SelfRating(practitioner=WHO, moment="end", rating=4), WHO)
    write(store, "module6.task_6_2", "Someone else's entry", who="Other Person")
    return store


@pytest.fixture
def session_author() -> str:
    """The practitioner these tests answer as."""
    return WHO
