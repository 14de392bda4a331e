"""The mapping tool's rules (pure: no store, no widgets): gaps, labels, the map in words.

Four gap rules, applied in this order:

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

from partnerkit.content import Content, load_content
from partnerkit.errors import PartnerkitError
from partnerkit.records.mapping import LAYERS, Connection, DirectoryEntry, PupilProfile

FRAMEWORK = "mapping_tool"
"""The framework id of the tool in the content."""

QUESTION_IDS: tuple[str, ...] = tuple(f"mapping_tool.question.{n}" for n in range(1, 7))
"""The tool's six reflective questions, in order."""

GAP_TYPES: tuple[str, ...] = ("empty_layer", "unmet_need", "stressful_relationship",
                              "not_contacted")
"""The gap rules, in the order the table lists them."""

MAX_SUGGESTIONS = 5
"""At most this many directory organisations are suggested for one gap."""

OUTSIDE_LAYERS = ("multi_agency", "community_context")
"""The layers a directory entry without a layer is matched to."""

STRESS_NEEDS = {"families": ("family_dynamics", "relationships")}
"""Needs whose helpers are suggested for a stressful relationship, by layer."""
DEFAULT_STRESS_NEEDS = ("relationships",)

QUALITY_WORDS = {
    "strong": "strong relationship (drawn as a solid thick line)",
    "tenuous": "tenuous relationship (drawn as a dashed line)",
    "stressful": "stressful relationship (drawn as a zigzag line)",
    None: "relationship not said yet (drawn as a dotted line)",
}
"""How the words of the ecomap name each relationship and its line."""
GAP_LABELS = {"empty_layer": "No one on this layer",
              "unmet_need": "A need nobody is helping with",
              "stressful_relationship": "A stressful relationship",
              "not_contacted": "A partner not contacted yet"}
"""What each kind of gap (:data:`GAP_TYPES`) is called on the page and in the summary."""
DIRECTION_WORDS = {
    "to_pupil": "support flows to the pupil (arrow towards the pupil)",
    "from_pupil": "support flows from the pupil (arrow away from the pupil)",
    "both": "support flows both ways (arrows at both ends)",
}
"""How the words of the ecomap name each direction of support and its arrows."""


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


# ------------------------------------------------------------------ labels


def flag(value: Any, name: str = "names") -> bool:
    """Read a yes/no parameter (True/False, or "true"/"yes"/"1"/"false"/"no"/"0")."""
    if isinstance(value, bool) or value is None:
        return bool(value)
    text = str(value).strip().lower()
    if text in {"true", "yes", "1", "on"}:
        return True
    if text in {"false", "no", "0", "off", ""}:
        return False
    raise PartnerkitError("is not yes or no", value=value, where=f"parameter {name!r}",
                          fix=f"set {name} = True or {name} = False")


def layer_titles(content: Content | None = None) -> dict[str, str]:
    """Each outer layer's title from the framework content, in the tool's order."""
    content = content or load_content()
    return {layer: content.item(f"mapping_tool.layer.{layer}").title or layer
            for layer in LAYERS}


def need_label(need: str, content: Content) -> str:
    """A need's name: the partnership principles' barrier it is, else the value in words."""
    item_id = f"principles.barrier.{need}"
    if item_id not in content:
        return need.replace("_", " ")
    item = content.item(item_id)
    return item.title or item.text


def direction_labels() -> dict[str, str]:
    """Each direction of support's label, as the connection record declares it."""
    extra = Connection.model_fields["direction"].json_schema_extra
    return dict(extra["choices"]) if isinstance(extra, dict) else {}


def centre_label(pupil: str, real_name: str | None) -> str:
    """The text that names a pupil on a map: the reference, with the real name if given."""
    return f"{real_name} ({pupil})" if real_name else pupil


# ------------------------------------------------------------------ gaps


def _same(name: str) -> str:
    return " ".join(str(name).lower().split())


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
    return [*_empty_layers(profile, connections, directory, content, on_map),
            *_unmet_needs(profile, connections, directory, content, on_map),
            *_stressful(profile, connections, directory, content, on_map),
            *_not_contacted(connections, directory, content)]


def _empty_layers(profile: PupilProfile, connections: Sequence[Connection],
                  directory: Sequence[DirectoryEntry], content: Content,
                  on_map: set[str]) -> list[Gap]:
    gaps = []
    for layer in LAYERS:
        if any(c.layer == layer for c in connections):
            continue
        examples = ", ".join(content.item(f"mapping_tool.layer.{layer}").examples)
        detail = "No one is recorded on this layer yet."
        if examples:
            detail += f" The tool suggests looking at: {examples}."
        fits = [e for e in directory if layer in entry_layers(e)]
        gaps.append(Gap("empty_layer", _layer_title(layer, content), detail,
                        _rank(fits, profile, on_map, profile.needs), layer=layer))
    return gaps


def _unmet_needs(profile: PupilProfile, connections: Sequence[Connection],
                 directory: Sequence[DirectoryEntry], content: Content,
                 on_map: set[str]) -> list[Gap]:
    gaps = []
    for need in profile.needs:
        if any(need in c.helps_with for c in connections):
            continue
        label = need_label(need, content)
        fits = [e for e in directory if need in e.helps_with]
        gaps.append(Gap("unmet_need", label,
                        f"The profile lists {label} as a need, but no connection on the "
                        "map helps with it yet.", _rank(fits, profile, on_map),
                        need=need))
    return gaps


def _stressful(profile: PupilProfile, connections: Sequence[Connection],
               directory: Sequence[DirectoryEntry], content: Content,
               on_map: set[str]) -> list[Gap]:
    gaps = []
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
    return gaps


def _not_contacted(connections: Sequence[Connection], directory: Sequence[DirectoryEntry],
                   content: Content) -> list[Gap]:
    gaps = []
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


# ------------------------------------------------------------------ the map in words


def describe_ecomap(connections: Sequence[Any], *, pupil_label: str = "the pupil",
                    content: Content | None = None) -> str:
    """The drawing in words, layer by layer, for screen readers and for the report."""
    titles = layer_titles(content)
    count = len(connections)
    noun = "connection" if count == 1 else "connections"
    lines = [f"Ecomap for {pupil_label}: {count} {noun}, drawn on {len(LAYERS)} rings "
             f"around {pupil_label} at the centre, from the innermost ring outwards."]
    for ring, layer in enumerate(LAYERS, start=1):
        members = [c for c in connections if c.layer == layer]
        if not members:
            lines.append(f"Ring {ring}, {titles[layer]}: no connections yet.")
            continue
        word = "connection" if len(members) == 1 else "connections"
        lines.append(f"Ring {ring}, {titles[layer]}: {len(members)} {word}.")
        for connection in members:
            role = f" ({connection.role})" if getattr(connection, "role", "") else ""
            lines.append(f"- {connection.name}{role}: {QUALITY_WORDS[connection.quality]}; "
                         f"{DIRECTION_WORDS[connection.direction]}.")
    return "\n".join(lines)


__all__ = [
    "DIRECTION_WORDS", "FRAMEWORK", "GAP_LABELS", "GAP_TYPES", "MAX_SUGGESTIONS",
    "OUTSIDE_LAYERS",
    "QUALITY_WORDS", "QUESTION_IDS", "Gap", "describe_ecomap", "direction_labels",
    "entry_layers", "find_gaps", "flag", "layer_titles", "need_label", "centre_label",
]
