"""Gap analysis: what a pupil's map is missing, with partners from the local directory.

Four rules, applied in this order:

``empty_layer``
    one of the four outer layers has no connection;
``unmet_need``
    a need ticked in the pupil's profile is not helped by any connection;
``stressful_relationship``
    a connection is marked stressful;
``not_contacted``
    a partner (a connection outside the family layer) is named but not yet contacted.

Suggestions come from the workspace's partner directory, matched by need and layer:
an empty layer takes organisations that sit on it (an entry without a layer counts as
an outside organisation: multi-agency support or community context); an unmet need
takes organisations that help with it; a stressful relationship takes those helping
with relationships (and family dynamics on the family layer); a partner not yet
contacted takes its own directory entry, for the contact details. Organisations
already on the map are not suggested for a layer or a need; local ones (whose area
names the pupil's neighbourhood) come first, then authority-wide ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from partnerkit.content import Content, load_content
from partnerkit.records.base import load_records
from partnerkit.records.mapping import LAYERS, Connection, DirectoryEntry, PupilProfile
from partnerkit.session import Session
from partnerkit.store import Store

GAP_TYPES: tuple[str, ...] = ("empty_layer", "unmet_need", "stressful_relationship",
                              "not_contacted")
"""The gap rules, in the order the table lists them."""

GAP_COLUMNS: tuple[str, ...] = ("gap_type", "subject", "detail", "suggestions")
"""The columns of the gap table.

``gap_type``: one of :data:`GAP_TYPES`; ``subject``: the layer, need or connection the
gap is about; ``detail``: a sentence saying what is missing; ``suggestions``: the
directory organisations suggested, separated by "; " (empty when none match).
"""

MAX_SUGGESTIONS = 5
"""At most this many directory organisations are suggested for one gap."""

OUTSIDE_LAYERS = ("multi_agency", "community_context")
"""The layers a directory entry without a layer is matched to."""

STRESS_NEEDS = {"families": ("family_dynamics", "relationships")}
"""Needs whose helpers are suggested for a stressful relationship, by layer."""
DEFAULT_STRESS_NEEDS = ("relationships",)


@dataclass(frozen=True)
class Gap:
    """One gap in a pupil's map and the directory entries suggested for it."""

    gap_type: str
    subject: str
    detail: str
    suggestions: tuple[DirectoryEntry, ...] = ()
    layer: str | None = None
    need: str | None = None
    connection: str | None = None
    """The id of the connection the gap is about, if any."""


def _same(name: str) -> str:
    return " ".join(str(name).lower().split())


def _need_label(need: str, content: Content) -> str:
    item_id = f"principles.barrier.{need}"
    return content.item(item_id).text if item_id in content else need.replace("_", " ")


def _layer_title(layer: str, content: Content) -> str:
    item = content.item(f"mapping_tool.layer.{layer}")
    return item.title or item.text


def _locality(entry: DirectoryEntry, profile: PupilProfile) -> int:
    area = entry.area.lower()
    if profile.neighbourhood and profile.neighbourhood.lower() in area:
        return 2
    if "whole" in area or "all areas" in area:
        return 1
    return 0


def _rank(entries: Sequence[DirectoryEntry], profile: PupilProfile,
          on_map: set[str], bonus_needs: Sequence[str] = ()) -> tuple[DirectoryEntry, ...]:
    """Entries not already on the map, most relevant first, at most MAX_SUGGESTIONS."""
    wanted = set(bonus_needs)

    def score(entry: DirectoryEntry) -> tuple[int, int, str]:
        helps = len(wanted.intersection(entry.helps_with))
        return (-helps, -_locality(entry, profile), entry.organisation.lower())

    fresh = [e for e in entries if _same(e.organisation) not in on_map]
    return tuple(sorted(fresh, key=score)[:MAX_SUGGESTIONS])


def entry_layers(entry: DirectoryEntry) -> tuple[str, ...]:
    """The layers a directory entry can fill: its own, or the two outside layers."""
    return (entry.layer,) if entry.layer else OUTSIDE_LAYERS


def find_gaps(profile: PupilProfile, connections: Sequence[Connection],
              directory: Sequence[DirectoryEntry],
              content: Content | None = None) -> list[Gap]:
    """Apply the four gap rules to one pupil's map (pure: no store).

    Args:
        profile: the pupil's characteristics (its ``needs`` are checked).
        connections: the pupil's connections.
        directory: the workspace's partner directory.
        content: framework content for layer titles, examples and need names.

    Returns:
        The gaps in :data:`GAP_TYPES` order, each with its suggestions.
    """
    content = content or load_content()
    on_map = {_same(c.name) for c in connections}
    gaps: list[Gap] = []
    for layer in LAYERS:
        if any(c.layer == layer for c in connections):
            continue
        item = content.item(f"mapping_tool.layer.{layer}")
        examples = ", ".join(item.examples)
        detail = "No one is recorded on this layer yet."
        if examples:
            detail += f" The tool suggests looking at: {examples}."
        fits = [e for e in directory if layer in entry_layers(e)]
        gaps.append(Gap("empty_layer", _layer_title(layer, content), detail,
                        _rank(fits, profile, on_map, profile.needs), layer=layer))
    for need in profile.needs:
        if any(need in c.helps_with for c in connections):
            continue
        label = _need_label(need, content)
        fits = [e for e in directory if need in e.helps_with]
        gaps.append(Gap("unmet_need", label,
                        f"The profile lists {label} as a need, but no connection on the "
                        "map helps with it yet.", _rank(fits, profile, on_map),
                        need=need))
    for c in connections:
        if c.quality != "stressful":
            continue
        needs = STRESS_NEEDS.get(c.layer, DEFAULT_STRESS_NEEDS)
        fits = [e for e in directory if set(needs).intersection(e.helps_with)]
        role = f"{c.role}, " if c.role else ""
        gaps.append(Gap("stressful_relationship", c.name,
                        f"The relationship with {c.name} ({role}"
                        f"{_layer_title(c.layer, content)}) is marked stressful.",
                        _rank(fits, profile, on_map, needs), layer=c.layer,
                        connection=c.id))
    for c in connections:
        if c.contacted or c.layer == "families":
            continue
        own = tuple(e for e in directory if _same(e.organisation) == _same(c.name))
        who = f" Key contact: {c.key_contact}." if c.key_contact else ""
        if own and own[0].contact and not who:
            who = f" Directory contact: {own[0].contact}."
        gaps.append(Gap("not_contacted", c.name,
                        f"{c.name} ({_layer_title(c.layer, content)}) is on the map but has "
                        f"not been contacted yet.{who}", own, layer=c.layer,
                        connection=c.id))
    return gaps


def gaps_frame(gaps: Sequence[Gap]) -> pd.DataFrame:
    """The gap table with the columns of :data:`GAP_COLUMNS` (one row per gap)."""
    rows = [{"gap_type": g.gap_type, "subject": g.subject, "detail": g.detail,
             "suggestions": "; ".join(e.organisation for e in g.suggestions)} for g in gaps]
    return pd.DataFrame(rows, columns=list(GAP_COLUMNS))


def pupil_gaps(store: Store, workspace: str, pupil: str,
               content: Content | None = None) -> list[Gap]:
    """The gaps in a stored pupil's map, with suggestions from the workspace directory."""
    from partnerkit.mapping_tool.mapping import pupil_connections, require_pupil

    profile = require_pupil(store, workspace, pupil)
    return find_gaps(profile, pupil_connections(store, workspace, pupil),
                     load_records(store, workspace, DirectoryEntry), content)


def gaps_view(session: Session) -> Any:
    """The workbook's gap cell: the table of gaps and suggestions for the session's pupil.

    In a served page the table redraws when the pupil's connections change.
    """
    def build() -> pd.DataFrame:
        return gaps_frame(pupil_gaps(session.store, session.workspace, session["pupil"]))

    return session.live("connections", build) if session.served else build()
