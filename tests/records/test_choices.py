"""ContentChoices: values declared in code, labels read from the content on first use."""

from __future__ import annotations

import pytest

from partnerkit.errors import ContentError
from partnerkit.records.choices import ContentChoices


class Builder:
    """A label builder that counts its calls."""

    def __init__(self, labels: dict[str, str]) -> None:
        self.labels = labels
        self.calls = 0

    def __call__(self) -> dict[str, str]:
        self.calls += 1
        return dict(self.labels)


def test_membership_order_and_length_read_nothing():
    build = Builder({"a": "A", "b": "B"})
    choices = ContentChoices(("a", "b"), build, "test")
    assert "a" in choices and "z" not in choices
    assert list(choices) == ["a", "b"] and len(choices) == 2 and choices
    assert build.calls == 0


def test_labels_are_built_once_on_first_use():
    build = Builder({"a": "A", "b": "B"})
    choices = ContentChoices(("a", "b"), build, "test")
    assert choices["b"] == "B" and choices.get("a") == "A" and choices.get("z") is None
    assert dict(choices.items()) == {"a": "A", "b": "B"}
    assert build.calls == 1


@pytest.mark.parametrize(("content", "detail"), [
    ({"a": "A", "b": "B", "c": "C"}, "['c'] that the code does not declare"),
    ({"a": "A"}, "['b'] that the content does not have"),
    ({"b": "B", "a": "A"}, "another order"),
])
def test_content_that_differs_from_the_declared_values_is_a_content_error(content, detail):
    choices = ContentChoices(("a", "b"), Builder(content), "test list")
    with pytest.raises(ContentError) as caught:
        choices["a"]
    assert detail in str(caught.value) and "test list" in str(caught.value)
