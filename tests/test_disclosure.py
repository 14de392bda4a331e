"""The one small-numbers rule: 1 to 4 hidden, zero shown, no hidden count recoverable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from partnerkit import disclosure
from partnerkit.disclosure import HIDDEN, SMALL, hidden_positions, hidden_rates, is_small, suppress

COUNTS = st.lists(st.integers(0, 40), min_size=1, max_size=8)


def test_the_rule_by_hand():
    assert suppress([0, 3, 12, 40]) == [0, SMALL, HIDDEN, 40]   # 12 protects the 3
    assert suppress([0, 0, 7]) == [0, 0, 7]
    assert suppress([2, 3, 9]) == [SMALL, SMALL, 9]              # two hidden: nothing more
    assert suppress([4, 30], partition=False) == [SMALL, 30]
    assert hidden_rates([0.5, 0.9, 0.8], [3, 12, 40]) == [HIDDEN, HIDDEN, 0.8]
    assert [is_small(c) for c in (0, 1, 4, 5, None)] == [False, True, True, False, False]
    assert (disclosure.MIN_COUNT, SMALL, HIDDEN) == (5, "<5", "c")


def test_a_row_hidden_already_counts_as_hidden():
    assert hidden_positions([9, 30, 40], already=[True, False, False]) == [True, True, False]
    assert hidden_positions([9, 30, 40], already=[True, True, False]) == [True, True, False]


@given(COUNTS)
def test_zero_is_always_shown(counts):
    shown = suppress(counts)
    assert all(s == 0 for c, s in zip(counts, shown, strict=True) if c == 0)


@given(COUNTS)
def test_one_to_four_is_never_shown(counts):
    shown = suppress(counts)
    assert all(s == SMALL for c, s in zip(counts, shown, strict=True) if 1 <= c <= 4)
    assert all(s == c for c, s in zip(counts, shown, strict=True) if c == 0 or c >= 5
               and s != HIDDEN)


@given(COUNTS)
def test_no_hidden_count_can_be_worked_out_from_the_total(counts):
    total = sum(counts)                      # shown beside the table, or known
    hidden = hidden_positions(counts)
    shown_sum = sum(c for c, h in zip(counts, hidden, strict=True) if not h)
    if sum(1 for c in counts if is_small(c)) == 1 and any(
            c > 0 for c, h in zip(counts, hidden, strict=True) if not is_small(c)):
        # exactly one small count, and something to hide with it: never alone
        assert sum(hidden) >= 2
    if sum(hidden) == 1:
        # a lone hidden count is total minus the rest: only when the rest are all zero
        assert shown_sum == 0 and total == sum(c for c, h in zip(counts, hidden,
                                                                  strict=True) if h)


@given(st.lists(st.integers(0, 40), min_size=1, max_size=8))
def test_rates_are_hidden_with_their_counts(counts):
    rates = [c / 100 for c in counts]
    hidden = hidden_positions(counts)
    assert [r == HIDDEN for r in hidden_rates(rates, counts)] == hidden
