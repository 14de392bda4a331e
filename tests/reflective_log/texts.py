"""Helpers for the reflective log tests: long entries, and text compared without layout."""

from __future__ import annotations

import random
import re

from partnerkit.records.base import save_record
from partnerkit.records.module import LogEntry
from partnerkit.store import Store

WHO = "Pat Practitioner"
"""The practitioner whose log the tests read."""
WORDS = ("partnership parents learner support review agency collaboration trust plan "
         "communication inclusion attendance wellbeing").split()
PAGE_NUMBER = re.compile(r"(?:^|\n)[^\n]*OFFICIAL-SENSITIVE\nProduced \d{1,2} [A-Za-z]+ \d{4} "
                         r"Page \d+ of \d+\s*$|Page \d+ of \d+")
"""The page furniture a PDF page adds (the reference or school and the marking in the
header, the date and page number in the footer: pypdf reads them after the page's body);
removed so an entry running over pages reads whole."""


def long_text(length: int = 50_000, seed: int = 7) -> str:
    """Prose of exactly ``length`` characters, with paragraphs, starting and ending marked."""
    rng = random.Random(seed)
    words = ["START-OF-LONG-ENTRY"]
    while sum(len(w) + 1 for w in words) < length:
        words.append(rng.choice(WORDS) + ("." if rng.random() < 0.08 else ""))
    text = " ".join(words)
    text = re.sub(r"\. ", lambda m: ".\n" if rng.random() < 0.2 else ". ", text)
    return text[: length - len(" END-OF-LONG-ENTRY")] + " END-OF-LONG-ENTRY"


def squash(text: str) -> str:
    """Text with every run of whitespace made one space."""
    return re.sub(r"\s+", " ", text).strip()


def no_space(text: str) -> str:
    """Text without any whitespace: a PDF's lines break inside words such as home-school."""
    return "".join(text.split())


def write(store: Store, task: str, text: str, who: str = WHO) -> None:
    """Save a log entry in workspace 'school'."""
    save_record(store, "school", LogEntry(practitioner=who, task=task, text=text), who)
