"""Choices whose values are declared in code and whose labels come from the content.

A record type's choices must exist when the type is defined (a ``Literal`` of the
values, from which the form engine builds its dropdowns and checkboxes), but reading
the framework files then would read YAML on import. So the values are written in code
and their labels are read from the content the first time a label is asked for; at
that moment the values the content gives are checked against the declared ones, and a
difference is a :class:`ContentError` naming it (a test makes the same check).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Generic, TypeVar

from partnerkit.errors import ContentError

V = TypeVar("V")


class ContentChoices(Mapping[str, V], Generic[V]):
    """A mapping of declared values to labels built from the content on first use.

    Membership, iteration and length use the declared values only and read nothing;
    a label (``choices[value]``, ``.items()``, ``.get()``) builds every label once.
    """

    def __init__(self, values: tuple[str, ...], build: Callable[[], dict[str, V]],
                 where: str) -> None:
        self._values = tuple(values)
        self._known = frozenset(self._values)
        self._build = build
        self._where = where
        self._labels: dict[str, V] | None = None

    def __getitem__(self, value: str) -> V:
        return self.labels()[value]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, value: object) -> bool:
        return value in self._known

    def __repr__(self) -> str:
        return f"ContentChoices({self._where}: {', '.join(self._values)})"

    def labels(self) -> dict[str, V]:
        """Every value's label, in the declared order; checks them against the content."""
        if self._labels is None:
            built = self._build()
            if list(built) != list(self._values):
                raise _mismatch(self._values, tuple(built), self._where)
            self._labels = built
        return self._labels


def _mismatch(declared: tuple[str, ...], found: tuple[str, ...], where: str) -> ContentError:
    missing = [v for v in found if v not in declared]
    extra = [v for v in declared if v not in found]
    detail = (f"the content has {missing} that the code does not declare" if missing
              else f"the code declares {extra} that the content does not have" if extra
              else "the content gives them in another order")
    return ContentError(f"the choices declared in code differ from the content: {detail}",
                        value=list(found), where=where,
                        fix="declare the same values, in the content's order, in "
                            "partnerkit/records (and check the framework data file)")
