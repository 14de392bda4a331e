"""Load the frameworks (read-only content) from the YAML files in ``partnerkit/content/``.

Each seed document is one file. A file holds one :class:`Framework`: its source and a
tree of :class:`Item` objects. Every item has a stable id (``six_steps.3.2``), a kind
(``step``, ``checklist_item``, ``principle``, ``question`` ...), its text and, through
its framework, its source document and section. Loading validates the whole set: ids
are unique, no text is empty and every reference (``refs``) names an item that exists.

Use :func:`load_content` once and ask the returned :class:`Content` for items::

    content = load_content()
    content.item("six_steps.3.2").text
    content.children("six_steps.3")
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from partnerkit.errors import ContentError, NotFoundError

CONTENT_DIR = Path(__file__).parent


class Source(BaseModel):
    """Where a framework comes from: the seed file, its published title and publisher."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str
    title: str
    publisher: str


class Item(BaseModel):
    """One piece of framework content with a stable id; items nest through ``children``.

    ``text`` keeps the published wording for checklist items, principles and questions;
    ``summary`` holds a paraphrase of longer narrative. ``resources`` are what an item
    names (toolkits, models, funds); ``examples`` are the people or supports it lists;
    ``refs`` are ids of other items it points at. ``correct`` marks a right answer in
    a published activity; ``value`` carries a number (a rating point, a pass mark).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    kind: str
    text: str
    number: str | None = None
    title: str | None = None
    summary: str | None = None
    resources: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    correct: bool | None = None
    value: float | None = None
    children: tuple[Item, ...] = ()

    @field_validator("id", "kind", "text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value or not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @field_validator("resources", "examples")
    @classmethod
    def _no_blank_entries(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        if any(not v or not str(v).strip() for v in values):
            raise ValueError("has an empty entry")
        return tuple(str(v).strip() for v in values)

    def walk(self) -> Iterator[Item]:
        """Yield this item, then every descendant, depth first in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


class Framework(BaseModel):
    """One seed document as data: its id, title, source and top-level items."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    summary: str
    source: Source
    items: tuple[Item, ...] = Field(min_length=1)

    @field_validator("id", "title", "summary")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value or not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    def walk(self) -> Iterator[Item]:
        """Yield every item of the framework in document order."""
        for item in self.items:
            yield from item.walk()


class Content:
    """All frameworks, indexed by item id; built by :func:`load_content`."""

    def __init__(self, frameworks: list[Framework]) -> None:
        self.frameworks: dict[str, Framework] = {f.id: f for f in frameworks}
        self._items: dict[str, Item] = {}
        self._framework_of: dict[str, str] = {}
        self._parent_of: dict[str, str] = {}
        for framework in frameworks:
            self._index(framework)
        self._check_refs()

    def _index(self, framework: Framework) -> None:
        for item in framework.walk():
            if item.id in self._items or item.id in self.frameworks and item.id != framework.id:
                raise ContentError(f"duplicate item id {item.id!r}", value=item.id,
                                   where=f"content {framework.id}",
                                   fix="give every item its own id")
            if not item.id.startswith(framework.id + "."):
                raise ContentError(f"item id {item.id!r} does not start with "
                                   f"{framework.id + '.'!r}",
                                   value=item.id, where=f"content {framework.id}",
                                   fix="prefix item ids with their framework id")
            self._items[item.id] = item
            self._framework_of[item.id] = framework.id
            for child in item.children:
                self._parent_of[child.id] = item.id

    def _check_refs(self) -> None:
        for item_id, item in self._items.items():
            for ref in item.refs:
                if ref not in self._items and ref not in self.frameworks:
                    raise ContentError(f"reference to an id that does not exist: {ref!r}",
                                       value=ref,
                                       where=f"item {item_id}",
                                       fix="use the id of an existing item or framework")

    def item(self, item_id: str) -> Item:
        """Return the item with this id, or raise :class:`NotFoundError`."""
        try:
            return self._items[item_id]
        except KeyError:
            raise NotFoundError(f"no framework item has the id {item_id!r}", value=item_id,
                                fix="check the id against partnerkit.content") from None

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._items

    def framework_of(self, item_id: str) -> Framework:
        """Return the framework an item belongs to (its source document)."""
        self.item(item_id)
        return self.frameworks[self._framework_of[item_id]]

    def parent_of(self, item_id: str) -> Item | None:
        """Return the item an item sits in (its section), or None at the top."""
        parent = self._parent_of.get(item_id)
        return self._items[parent] if parent else None

    def children(self, item_id: str, kind: str | None = None) -> list[Item]:
        """Return an item's children, optionally only those of one kind."""
        return [c for c in self.item(item_id).children if kind is None or c.kind == kind]

    def items(self, framework_id: str | None = None, kind: str | None = None) -> list[Item]:
        """Return every item, optionally of one framework and/or of one kind."""
        return [
            item for item_id, item in self._items.items()
            if (framework_id is None or self._framework_of[item_id] == framework_id)
            and (kind is None or item.kind == kind)
        ]

    def citation(self, item_id: str) -> str:
        """Say where an item comes from: framework title, section and source file."""
        framework = self.framework_of(item_id)
        section = self.parent_of(item_id)
        where = f", section {section.number or section.title or section.text}" if section else ""
        return f"{framework.source.title}{where} ({framework.source.publisher})"


def parse_framework(data: Any, origin: str) -> Framework:
    """Validate one framework mapping read from ``origin``; raise ContentError if invalid."""
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise ContentError(f"holds a {kind}, not a mapping of framework fields", value=kind,
                           where=origin, fix="start the file with id:, title:, source:")
    try:
        return Framework.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        location = ".".join(str(p) for p in loc)
        if len(location) > 100:
            location = "..." + location[-97:]
        item_id = _item_id_at(data, loc)
        at = f"at {location}" + (f" (item {item_id!r})" if item_id is not None else "")
        bad = first.get("input")
        shown = _short_repr(bad)
        # Keep a small scalar as it is; carry a large or nested input as its short repr,
        # so the message (and anything that prints ``value``) stays readable.
        scalar = bad is None or isinstance(bad, str | int | float | bool)
        value = bad if scalar and len(repr(bad)) <= _REPR_LIMIT else shown
        raise ContentError(f"{at}: {first['msg']} (got {shown})", value=value,
                           where=origin, fix="correct the framework data file") from None


def _item_id_at(data: Any, loc: tuple[Any, ...]) -> str | None:
    """Return the id of the innermost item on the path ``loc`` into ``data``, if it has one."""
    found = None
    node = data
    for step in loc:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list | tuple) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str) and "kind" in node:
            found = node["id"]
    return found


_REPR_LIMIT = 80


def _short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except RecursionError:
        return f"a deeply nested {type(value).__name__}"
    return text if len(text) <= _REPR_LIMIT else text[: _REPR_LIMIT - 3] + "..."


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""PyYAML's safe loader, in C (libyaml) when PyYAML has it: ten times faster, and a
served page reads every framework file when it builds its first form."""


def _content_files(folder: Path) -> list[tuple[str, str]]:
    return [(str(p), p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yaml"))]


def load_content(folder: str | Path | None = None) -> Content:
    """Load and validate every framework file (the packaged ones unless ``folder`` is given)."""
    if folder is None:
        return _packaged_content()
    return _load(Path(folder))


@lru_cache(maxsize=1)
def _packaged_content() -> Content:
    return _load(CONTENT_DIR)


def _load(folder: Path) -> Content:
    frameworks = []
    for origin, text in _content_files(folder):
        try:
            data = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
        except yaml.YAMLError as exc:
            raise ContentError(f"is not valid YAML ({exc})", value=origin, where=origin,
                               fix="correct the framework data file") from None
        frameworks.append(parse_framework(data, origin))
    if not frameworks:
        raise ContentError("no framework files (*.yaml) found",
                           value=str(folder), where=str(folder),
                           fix="reinstall partnerkit, or pass a folder of framework .yaml files")
    ids = [f.id for f in frameworks]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ContentError(f"two framework files share the id {duplicates[0]!r}",
                           value=duplicates[0],
                           fix="give every framework its own id")
    return Content(frameworks)
