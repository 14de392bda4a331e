"""Rules of the six steps framework that need no store and no widgets."""

from __future__ import annotations

from typing import Any

from partnerkit.errors import StepError

STEPS: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
"""The step numbers of the six steps to an effective partnership."""


def check_step(step: Any, *, where: str = "step") -> int:
    """Return the step number 1-6 from ``step`` (an int or a string such as "3").

    The one step check for every door (page address, notebook parameter, render, CLI);
    ``where`` names the place the value came from.

    Raises:
        StepError: ``step`` is not a whole number from 1 to 6, with the fix.
    """
    number: int | None = None
    if isinstance(step, int) and not isinstance(step, bool):
        number = step
    elif isinstance(step, str) and step.strip().lstrip("+").isdigit():
        number = int(step.strip())
    if number not in STEPS:
        raise StepError("is not one of the six steps", value=step, where=where,
                        fix="give a step number from 1 to 6, for example step=2 "
                            "(or ?step=2 in the page address)")
    return number  # type: ignore[return-value]
