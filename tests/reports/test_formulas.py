import pytest

from partnerkit import reports


@pytest.mark.parametrize("value,expected", [
    ("=SUM(A1)", "'=SUM(A1)"),
    ("+44 141 000 0000", "'+44 141 000 0000"),
    ("-2+3", "'-2+3"),
    ("@cmd", "'@cmd"),
    ("\tindented", "'\tindented"),
    ("\r=1", "'\r=1"),
    ("＝1+1", "'＝1+1"),
    ("plain text", "plain text"),
    ("a=b", "a=b"),
    ("", ""),
    (42, 42),
    (-3.5, -3.5),
    (None, None),
])
def test_formulas_are_neutralised(value, expected):
    assert reports.neutralise_formula(value) == expected


def test_every_prefix_is_neutralised():
    for prefix in reports.FORMULA_PREFIXES:
        assert reports.neutralise_formula(prefix + "1") == "'" + prefix + "1"
