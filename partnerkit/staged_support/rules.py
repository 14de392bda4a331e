"""The staged support rules (pure): ASPIRE stages, how supports read, advice on levels."""

from __future__ import annotations

from partnerkit.content import Item, load_content
from partnerkit.errors import NotFoundError
from partnerkit.records.module import ASPIRE_STAGES, SUPPORT_EXAMPLES, StagedSupportPlan


def check_stage(stage: str) -> str:
    """Return ``stage`` if it is one of the ASPIRE stages.

    Raises:
        NotFoundError: it is not.
    """
    if stage not in ASPIRE_STAGES:
        raise NotFoundError("is not an ASPIRE stage", value=stage, where="staged support",
                            fix=f"use one of {', '.join(ASPIRE_STAGES)}")
    return stage


def stage_item(stage: str) -> Item:
    """The content item of an ASPIRE stage (its letter and name)."""
    return load_content().item(f"module6.aspire.{stage}")


def support_label(support_id: str) -> str:
    """A support as people read it: a module example's wording, or the text written in."""
    return load_content().item(support_id).text if support_id in SUPPORT_EXAMPLES else support_id


def stage_warnings(entry: StagedSupportPlan) -> dict[str, str]:
    """Advice that does not block saving: targeted examples chosen at the universal level."""
    targeted = [s for s in entry.supports if s.startswith("module6.targeted.")]
    if entry.level == "universal" and targeted:
        return {"supports": "targeted support examples are chosen but the level is "
                            "universal; set the level to targeted if specialist support "
                            "is involved"}
    return {}
