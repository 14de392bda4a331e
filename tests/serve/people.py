"""The accounts the serve and browser tests sign in with, made with ``partnerkit.accounts``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from partnerkit import accounts
from partnerkit.store import open_store

PASSWORD = "correct horse battery"
"""Every test account's password (long enough for ``accounts.check_password``)."""
COHORT = "cohort"
"""A training cohort's workspace, beside the demo school."""


@dataclass(frozen=True)
class Person:
    """A test account: username, full name, and a role in each workspace."""

    username: str
    name: str
    roles: tuple[tuple[str, str], ...]


ANN = Person("ann.teacher", "Ann Teacher", (("demo", "practitioner"),))
BEN = Person("ben.partner", "Ben Partner", (("demo", "practitioner"),))
LEE = Person("lee.lead", "Lee Lead", (("demo", "school_lead"), (COHORT, "practitioner")))
TIA = Person("tia.trainer", "Tia Trainer", ((COHORT, "trainer"),))
DEE = Person("dee.dp", "Dee Protection", (("demo", "dp_lead"),))
ADA = Person("ada.admin", "Ada Admin", (("demo", "admin"),))
EVE = Person("eve.markup", "<img src=x onerror=alert(1)> O'Brien; DROP TABLE accounts;--",
             (("demo", "practitioner"),))
EVERYONE = (ANN, BEN, LEE, TIA, DEE, ADA, EVE)


def add_people(data: Path, people: tuple[Person, ...] = EVERYONE) -> None:
    """Add the cohort workspace and the people to the store in ``data``."""
    store = open_store(data)
    try:
        if COHORT not in store.workspaces():
            accounts.add_workspace(store, COHORT, "Spring training cohort", by="tests")
        for person in people:
            for workspace, role in person.roles:
                accounts.add_user(store, person.username, person.name, role, workspace,
                                  by="tests", password=PASSWORD)
    finally:
        store.close()
