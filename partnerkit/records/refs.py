"""The one check of a pupil reference, for every door: page, form, render, CLI.

A pupil is known by a pseudonymous reference (such as ``P-0412``), never by a name:
2 to 40 letters, digits, ``-`` or ``_``, starting with a letter or digit.
"""

from __future__ import annotations

import re
from typing import Any

from partnerkit.errors import PupilReferenceError

PUPIL_REF_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$")
PUPIL_REF_RULE = ("use 2-40 letters, digits, '-' or '_' (a pseudonymous code such as P-0412, "
                  "not a name)")


def check_pupil_ref(value: str) -> str:
    """Return a valid reference or raise ValueError saying the rule (for record fields)."""
    value = (value or "").strip()
    if not PUPIL_REF_PATTERN.match(value):
        raise ValueError(f"{value!r} is not a pupil reference: {PUPIL_REF_RULE}")
    return value


def pupil_ref(value: Any, *, where: str = "pupil") -> str:
    """Return a valid reference from any door, or raise :class:`PupilReferenceError`.

    ``where`` names the place the value came from (``pupil``, ``--pupil`` ...).
    """
    text = "" if value is None else str(value)
    try:
        return check_pupil_ref(text)
    except ValueError:
        raise PupilReferenceError("is not a pupil reference", value=text, where=where,
                                  fix=PUPIL_REF_RULE,
                                  field_errors={"pupil": PUPIL_REF_RULE}) from None
