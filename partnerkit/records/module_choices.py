"""The choice lists of the module (section 6) records, declared here, labelled from content.

The values are the published items' ids or numbers in ``partnerkit/content/module6.yaml``
(written out so importing the records reads no YAML); their labels, the published
wording, are read from that file the first time a form or a report asks for one (see
:class:`partnerkit.records.choices.ContentChoices`). A test checks each list against
the content.
"""

from __future__ import annotations

from typing import Literal, get_args

from partnerkit.content import Item, load_content
from partnerkit.records.choices import ContentChoices

Level = Literal["universal", "targeted"]
LEVELS: tuple[str, ...] = get_args(Level)
"""The two levels of support the module describes (``module6.<level>``)."""

CardType = Literal["try_at_home", "tried_at_home"]
CARD_TYPES: tuple[str, ...] = get_args(CardType)
"""The two home/school postcards (``module6.postcard.<card>``)."""

LogTask = Literal[
    "module6.task_6_2",
    "module6.task_effective_collaboration.1", "module6.task_effective_collaboration.2",
    "module6.task_effective_collaboration.3", "module6.task_effective_collaboration.4",
    "module6.task_effective_collaboration.5",
    "module6.task_optional_effective_collaboration.1",
    "module6.task_optional_effective_collaboration.2",
    "module6.activity17.2", "module6.activity17.3"]
"""Every reflective-log prompt, by content id, in module order."""

LOG_TASK_SOURCES = ("module6.task_6_2", "module6.task_effective_collaboration",
                    "module6.task_optional_effective_collaboration", "module6.activity17")
"""The module's reflective tasks, whose prompts (or the task itself) are log entries."""

Statement = Literal["a", "b", "c", "d", "e", "f", "g", "h"]
"""Activity 16's statements by letter (``module6.activity16.<letter>``)."""

SupportExample = Literal[
    "module6.universal.physical_environment.1", "module6.universal.physical_environment.2",
    "module6.universal.physical_environment.3", "module6.universal.physical_environment.4",
    "module6.universal.physical_environment.5", "module6.universal.physical_environment.6",
    "module6.universal.curriculum.1", "module6.universal.curriculum.2",
    "module6.universal.curriculum.3", "module6.universal.curriculum.4",
    "module6.universal.curriculum.5", "module6.universal.curriculum.6",
    "module6.universal.planning.1",
    "module6.targeted.physical_environment.1", "module6.targeted.physical_environment.2",
    "module6.targeted.curriculum.1", "module6.targeted.curriculum.2",
    "module6.targeted.curriculum.3"]
"""Every universal and targeted support example, by content id, in module order."""

PartnerService = Literal[
    "assistive_technology", "camhs", "community_child_health", "local_specialist_education",
    "police", "psychological_services", "school_nursing", "social_work",
    "specialist_liaison_nurses", "therapy_services", "third_sector", "voluntary_service",
    "other"]
"""The partner services the module lists (``module6.service.<key>``), and ``other``."""

OTHER_SERVICE_LABEL = "Another service or agency (name it below)"

ParentBarrier = Literal["1", "2", "3", "4"]
"""Why parents/carers may not feel comfortable (``module6.parent_barriers.<n>``)."""

ParentStrategy = Literal["1", "2", "3", "4", "5", "6", "7"]
"""Strategies to involve parents/carers (``module6.strategies.<n>``)."""


def _item(item_id: str) -> Item:
    return load_content().item(item_id)


def _children(item_id: str, kind: str | None = None) -> list[Item]:
    return load_content().children(item_id, kind=kind)


def log_task_labels() -> dict[str, str]:
    """Every reflective-log prompt from the content: a task without prompts, or each prompt.

    A prompt that refers to the self-rating (Activity 17's first) is answered by the
    rating itself, so it has no text entry.
    """
    tasks: dict[str, str] = {}
    for task_id in LOG_TASK_SOURCES:
        task = _item(task_id)
        prompts = [c for c in task.children if c.kind == "prompt"]
        if not prompts:
            tasks[task.id] = task.title or task.text
        for prompt in prompts:
            if "module6.self_rating" in prompt.refs:
                continue
            tasks[prompt.id] = f"{task.title}: {prompt.number}"
    return tasks


def activity16_statements() -> dict[str, Item]:
    """Activity 16's statements from the content, by letter."""
    return {c.number: c for c in _children("module6.activity16", kind="statement")}


def support_example_labels() -> dict[str, str]:
    """Every support example from the content → ``Level · Area: example``."""
    return {example.id: f"{level.title} · {area.title}: {example.text}"
            for level in (_item(f"module6.{lv}") for lv in LEVELS)
            for area in level.children
            for example in area.children}


def partner_service_labels() -> dict[str, str]:
    """The partner services from the content by key, then ``other``."""
    services = {c.id.rsplit(".", 1)[1]: c.text
                for c in _children("module6.services", "partner_service")}
    return {**services, "other": OTHER_SERVICE_LABEL}


def activity16_labels() -> dict[str, str]:
    """Activity 16's statements from the content → ``<letter>. <statement>``."""
    return {letter: f"{letter}. {item.text}" for letter, item in activity16_statements().items()}


def card_labels() -> dict[str, str]:
    """Each postcard's published title from the content."""
    return {card: _item(f"module6.postcard.{card}").text for card in CARD_TYPES}


def parent_barrier_labels() -> dict[str, str]:
    """Why parents/carers may not feel comfortable, from the content, by number."""
    return {c.number: c.text for c in _children("module6.parent_barriers")}


def parent_strategy_labels() -> dict[str, str]:
    """Strategies to involve parents/carers, from the content, by number."""
    return {c.number: c.text for c in _children("module6.strategies")}


LOG_TASKS: ContentChoices[str] = ContentChoices(
    get_args(LogTask), log_task_labels, "reflective log tasks (module6.yaml)")
"""Content id of every reflective-log prompt → a short label, in module order."""

ACTIVITY16_STATEMENTS: ContentChoices[Item] = ContentChoices(
    get_args(Statement), activity16_statements, "Activity 16 statements (module6.yaml)")
"""Activity 16's statements by letter (``module6.activity16.<letter>``) → the item."""

ACTIVITY16_CHOICES: ContentChoices[str] = ContentChoices(
    get_args(Statement), activity16_labels, "Activity 16 statements (module6.yaml)")
"""Activity 16's statements by letter → ``<letter>. <statement>``."""

SUPPORT_EXAMPLES: ContentChoices[str] = ContentChoices(
    get_args(SupportExample), support_example_labels, "support examples (module6.yaml)")
"""Content id of every universal and targeted support example → its label."""

PARTNER_SERVICES: ContentChoices[str] = ContentChoices(
    get_args(PartnerService), partner_service_labels, "partner services (module6.yaml)")
"""The partner services the module lists (``module6.service.<key>``), and ``other``."""

CARD_LABELS: ContentChoices[str] = ContentChoices(
    CARD_TYPES, card_labels, "postcards (module6.yaml)")
"""Each postcard's published title."""

PARENT_BARRIERS: ContentChoices[str] = ContentChoices(
    get_args(ParentBarrier), parent_barrier_labels, "parent barriers (module6.yaml)")
"""Why parents/carers may not feel comfortable, by number → the published wording."""

PARENT_STRATEGIES: ContentChoices[str] = ContentChoices(
    get_args(ParentStrategy), parent_strategy_labels, "parent strategies (module6.yaml)")
"""Strategies to involve parents/carers, by number → the published wording."""

CONTENT_CHOICES: tuple[ContentChoices, ...] = (
    LOG_TASKS, ACTIVITY16_STATEMENTS, ACTIVITY16_CHOICES, SUPPORT_EXAMPLES, PARTNER_SERVICES,
    CARD_LABELS, PARENT_BARRIERS, PARENT_STRATEGIES)
"""Every choice list here (a test builds each, checking it against the content)."""
