"""Fast distinct values: every value comes back."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerkit.tables.encode import factorize


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.binary(max_size=20), min_size=1, max_size=200),
       fixed=st.booleans())
def test_factorize_gives_back_every_value(values, fixed):
    if fixed:
        width = max(len(v) for v in values)
        values = [v.ljust(width, b"0") for v in values]
    encoded = factorize(pa.array(values, type=pa.binary()))
    assert encoded.values() == values
    assert len(set(encoded.uniques)) == len(encoded.uniques)


