"""The one small-numbers rule for every count of people that leaves a workspace.

Applied to attendance tables, the training cohort summary and any later count:

1. **Small counts are hidden.** A count from 1 to 4 people is shown as ``"<5"``.
2. **Zero is shown as 0.** A zero names nobody, and hiding it would hide a real
   absence (no pupil in a band, nobody yet finished an activity) that readers need to
   act on; a zero can only disclose something together with another count, and rule 3
   deals with that.
3. **Secondary suppression.** Where counts split one group (their total is known or
   shown), one hidden count could be worked out by subtracting the others from the
   total; so when exactly one count of such a group is hidden, the smallest other
   non-zero count is hidden too, shown as ``"c"`` (confidential).

A rate worked out from a hidden count is hidden with it (:func:`hidden_rates`).
"""

from __future__ import annotations

from collections.abc import Sequence

MIN_COUNT = 5
"""Counts of people below this (and above zero) are never shown."""
SMALL = f"<{MIN_COUNT}"
"""How a hidden small count reads."""
HIDDEN = "c"
"""How a count hidden only to protect a small one reads (secondary suppression)."""


def is_small(count: float | int | None) -> bool:
    """True for a count of 1 to 4 people (rule 1)."""
    return count is not None and 0 < count < MIN_COUNT


def hidden_positions(counts: Sequence[float | int], *, partition: bool = True,
                     already: Sequence[bool] | None = None) -> list[bool]:
    """Which of ``counts`` must not be shown: small ones, and with ``partition`` rule 3.

    ``partition`` says the counts split one group whose total is known, so a single
    hidden count could be worked out from the others. ``already`` marks counts hidden
    for another reason (their whole row is hidden); they count as hidden for rule 3.
    """
    hidden = [is_small(c) or (already is not None and bool(already[i]))
              for i, c in enumerate(counts)]
    if partition and sum(hidden) == 1:
        others = [(c, i) for i, c in enumerate(counts) if not hidden[i] and c and c > 0]
        if others:
            hidden[min(others)[1]] = True
    return hidden


def suppress(counts: Sequence[int], *, partition: bool = True) -> list[int | str]:
    """``counts`` ready to share: small ones ``"<5"``, secondary ones ``"c"``, zero as 0."""
    hidden = hidden_positions(counts, partition=partition)
    return [(SMALL if is_small(c) else HIDDEN) if h else c
            for c, h in zip(counts, hidden, strict=True)]


def hidden_rates(rates: Sequence[float | None], counts: Sequence[int],
                 *, partition: bool = True) -> list[float | str | None]:
    """Rates with the same cells hidden as the counts they were worked out from."""
    hidden = hidden_positions(counts, partition=partition)
    return [HIDDEN if h else r for r, h in zip(rates, hidden, strict=True)]
