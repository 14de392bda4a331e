"""What every page of a report carries: whom it is about, the date and the sensitivity marking.

Every page of a PDF or Word report names the pupil it is about (by reference, never by
name) or, for a report about the whole workspace, the workspace's title (the school or
cohort), the day it was produced, "Page X of Y" and a sensitivity marking. The marking
is :data:`DEFAULT_MARKING` unless the workspace has its own (``partnerkit workspaces
sensitivity NAME "…"``).

The report template writes these as ``<meta>`` elements in the page's head
(:data:`META_NAMES`; ``author`` is the workspace's title), where the PDF and Word
writers read them back (:func:`read_marks`): the writers take report HTML only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import html as lxml_html

from partnerkit.errors import PartnerkitError

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
"""The marking of a workspace that has not chosen its own (the Government Security
Classifications' handling caveat for personal information about pupils)."""
MARKING_MAX = 60
"""The longest marking that fits in a page's header beside the reference."""
META_NAMES = {"reference": "pk-reference", "marking": "pk-marking",
              "produced": "pk-produced", "author": "author"}
"""The ``<meta name=…>`` each page mark is written under in the report's head."""


@dataclass(frozen=True)
class PageMarks:
    """What each page of one report carries.

    Attributes:
        reference: the pupil reference, or the workspace's title for a workspace report.
        marking: the sensitivity marking, e.g. ``OFFICIAL-SENSITIVE``.
        produced: the day the report was made, as reports write dates ("2 October 2026").
        author: the school or cohort (the workspace's title): the document's author.
    """

    reference: str
    marking: str
    produced: str
    author: str


def workspace_title(store: Any, workspace: str) -> str:
    """The workspace's title ("Glenbrae Academy"), or its name when the store has none."""
    if store is None:
        return workspace
    return store.workspaces().get(workspace) or workspace


def workspace_marking(store: Any, workspace: str) -> str:
    """The workspace's own sensitivity marking, else :data:`DEFAULT_MARKING`."""
    own = store.sensitivity(workspace) if store is not None else None
    return own or DEFAULT_MARKING


def page_marks(store: Any, workspace: str, *, reference: str | None = None,
               produced: str = "") -> PageMarks:
    """The marks of a report about ``reference`` (a pupil), or about the whole workspace."""
    title = workspace_title(store, workspace)
    return PageMarks(reference=reference or title, marking=workspace_marking(store, workspace),
                     produced=produced, author=title)


def check_marking(text: str | None) -> str:
    """A marking as it will print: one line, spaces tidied, 1 to 60 characters.

    Raises:
        PartnerkitError: the marking is empty or longer than :data:`MARKING_MAX`.
    """
    marking = " ".join((text or "").split())
    if not marking:
        raise PartnerkitError("is empty", value=text or "", where="sensitivity marking",
                              fix=f'give the marking to print, e.g. "{DEFAULT_MARKING}", or '
                                  "use --default to go back to the default")
    if len(marking) > MARKING_MAX:
        raise PartnerkitError(f"is {len(marking)} characters long", value=marking,
                              where="sensitivity marking",
                              fix=f"use at most {MARKING_MAX} characters, e.g. "
                                  f'"{DEFAULT_MARKING}"')
    return marking


def read_marks(html: str) -> PageMarks | None:
    """The page marks a report's head holds, or None for HTML without them (a fragment)."""
    if "pk-marking" not in html:
        return None
    head = lxml_html.document_fromstring(html).find("head")
    if head is None:
        return None
    found = {m.get("name"): m.get("content") or "" for m in head.iter("meta")}
    if META_NAMES["marking"] not in found:
        return None
    return PageMarks(**{field: found.get(name, "") for field, name in META_NAMES.items()})
