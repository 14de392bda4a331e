"""Tests for partnerkit.mapping_tool.gaps: each gap rule by hand-made cases, and the suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnerkit import session
from partnerkit.errors import NotFoundError
from partnerkit.mapping_tool import gaps
from partnerkit.records.mapping import LAYERS, Connection, DirectoryEntry, PupilProfile

PROFILE = PupilProfile(pupil="P-1", neighbourhood="Eastfield", needs=["poverty", "trauma"])


def conn(name, layer, **kw) -> Connection:
    return Connection(pupil="P-1", id=name.lower().replace(" ", "-"), name=name, layer=layer,
                      **kw)


FULL = [conn("Gran", "families", helps_with=["trauma"]),
        conn("Mr Khan", "school_networks", contacted=True, helps_with=["poverty"]),
        conn("Food Larder", "multi_agency", contacted=True),
        conn("Youth Project", "community_context", contacted=True)]

DIRECTORY = [
    DirectoryEntry(organisation="Food Larder", helps_with=["poverty"], area="Millbrae",
                   contact="0141 1"),
    DirectoryEntry(organisation="Calm Minds", helps_with=["trauma", "mental_health"],
                   area="Whole authority"),
    DirectoryEntry(organisation="Eastfield Pantry", helps_with=["poverty"], area="Eastfield"),
    DirectoryEntry(organisation="Far Pantry", helps_with=["poverty"], area="Hillview"),
    DirectoryEntry(organisation="Befrienders", helps_with=["relationships"], layer="families",
                   area="Eastfield"),
    DirectoryEntry(organisation="Family Link", helps_with=["family_dynamics"],
                   area="Whole authority", contact="0141 7"),
    DirectoryEntry(organisation="Homework Club", layer="school_networks"),
]


def names(gap) -> list[str]:
    return [e.organisation for e in gap.suggestions]


def of(found, gap_type):
    return [g for g in found if g.gap_type == gap_type]


def test_a_complete_map_has_no_gaps():
    assert gaps.find_gaps(PROFILE, FULL, DIRECTORY) == []


def test_an_empty_layer_is_a_gap_with_the_tools_examples_and_partners_for_it():
    found = gaps.find_gaps(PROFILE, FULL[1:], DIRECTORY)
    (gap,) = of(found, "empty_layer")
    assert gap.layer == "families" and gap.subject == "Pupils and their families"
    assert "No one is recorded on this layer yet" in gap.detail
    assert "step-dad" in gap.detail and "trusted neighbour" in gap.detail
    assert names(gap) == ["Befrienders"]  # only entries that sit on the family layer


def test_an_empty_outside_layer_takes_entries_without_a_layer_not_school_ones():
    found = gaps.find_gaps(PROFILE, [c for c in FULL if c.layer != "community_context"],
                           DIRECTORY)
    (gap,) = of(found, "empty_layer")
    assert gap.layer == "community_context"
    assert "Homework Club" not in names(gap) and "Befrienders" not in names(gap)
    assert "Food Larder" not in names(gap), "already on the map"
    # helping with the pupil's needs first, then local before authority-wide
    assert names(gap) == ["Eastfield Pantry", "Calm Minds", "Far Pantry", "Family Link"]


def test_every_layer_empty_gives_four_gaps_in_the_tools_order():
    found = gaps.find_gaps(PupilProfile(pupil="P-1"), [], [])
    assert [g.layer for g in found] == list(LAYERS)
    assert all(g.suggestions == () for g in found)


def test_a_ticked_need_no_connection_helps_with_is_a_gap():
    connections = [c.model_copy(update={"helps_with": []}) if c.name == "Mr Khan" else c
                   for c in FULL]
    (gap,) = gaps.find_gaps(PROFILE, connections, DIRECTORY)
    assert gap.gap_type == "unmet_need" and gap.need == "poverty"
    assert gap.subject == "poverty"
    assert "The profile lists poverty as a need" in gap.detail
    # matched by need; the one on the map left out; local first, then the rest by name
    assert names(gap) == ["Eastfield Pantry", "Far Pantry"]


def test_a_need_not_ticked_is_not_a_gap():
    profile = PROFILE.model_copy(update={"needs": []})
    connections = [c.model_copy(update={"helps_with": []}) for c in FULL]
    assert gaps.find_gaps(profile, connections, DIRECTORY) == []


def test_a_stressful_relationship_is_a_gap_with_relationship_partners():
    connections = [*FULL, conn("Step-dad", "families", quality="stressful", role="Carer")]
    (gap,) = gaps.find_gaps(PROFILE, connections, DIRECTORY)
    assert gap.gap_type == "stressful_relationship" and gap.subject == "Step-dad"
    assert gap.connection == "step-dad"
    assert gap.detail == ("The relationship with Step-dad (Carer, Pupils and their families) "
                          "is marked stressful.")
    assert names(gap) == ["Befrienders", "Family Link"]


def test_a_stressful_school_relationship_takes_relationship_help_only():
    connections = [*FULL, conn("PE teacher", "school_networks", quality="stressful",
                               contacted=True)]
    (gap,) = gaps.find_gaps(PROFILE, connections, DIRECTORY)
    assert names(gap) == ["Befrienders"]


def test_a_tenuous_relationship_is_not_a_gap():
    connections = [*FULL, conn("Uncle", "families", quality="tenuous")]
    assert gaps.find_gaps(PROFILE, connections, DIRECTORY) == []


def test_a_partner_not_yet_contacted_is_a_gap_with_its_directory_contact():
    connections = [*FULL[:2], FULL[2].model_copy(update={"contacted": False}), FULL[3]]
    (gap,) = gaps.find_gaps(PROFILE, connections, DIRECTORY)
    assert gap.gap_type == "not_contacted" and gap.subject == "Food Larder"
    assert "has not been contacted yet" in gap.detail
    assert "Directory contact: 0141 1." in gap.detail
    assert names(gap) == ["Food Larder"]


def test_a_named_key_contact_is_given_and_family_members_are_not_partners():
    connections = [*FULL, conn("Social worker", "multi_agency", key_contact="J. Bell"),
                   conn("Aunt", "families")]
    (gap,) = gaps.find_gaps(PROFILE, connections, DIRECTORY)
    assert gap.subject == "Social worker" and "Key contact: J. Bell." in gap.detail
    assert gap.suggestions == ()


def test_suggestions_are_capped():
    directory = [DirectoryEntry(organisation=f"Pantry {i}", helps_with=["poverty"])
                 for i in range(9)]
    (gap,) = gaps.find_gaps(PupilProfile(pupil="P-1", needs=["poverty"]), FULL[2:3],
                            directory)[-1:]
    assert gap.gap_type == "unmet_need" and len(gap.suggestions) == gaps.MAX_SUGGESTIONS


def test_rules_come_in_their_documented_order():
    connections = [conn("Mum", "families", quality="stressful"),
                   conn("Charity", "multi_agency")]
    found = gaps.find_gaps(PROFILE, connections, DIRECTORY)
    assert [g.gap_type for g in found] == ["empty_layer", "empty_layer", "unmet_need",
                                           "unmet_need", "stressful_relationship",
                                           "not_contacted"]
    order = [gaps.GAP_TYPES.index(g.gap_type) for g in found]
    assert order == sorted(order)


def test_the_table_has_its_fixed_columns_even_when_empty():
    empty = gaps.gaps_frame([])
    assert list(empty.columns) == list(gaps.GAP_COLUMNS) and empty.empty
    frame = gaps.gaps_frame(gaps.find_gaps(PROFILE, FULL[1:], DIRECTORY))
    assert list(frame.columns) == ["gap_type", "subject", "detail", "suggestions"]
    assert frame.loc[0, "suggestions"] == "Befrienders"
    assert set(frame["gap_type"]) <= set(gaps.GAP_TYPES)


def test_the_view_reads_the_demo_pupil(demo_data: Path):
    s = session.start(data_dir=str(demo_data), workspace="demo", author="Ann", pupil="P-1001")
    frame = gaps.gaps_view(s)
    rows = {(r.gap_type, r.subject) for r in frame.itertuples()}
    assert rows == {("empty_layer", "Community context"), ("stressful_relationship", "Mum"),
                    ("not_contacted", "Young Carers Network")}


def test_an_unknown_pupil_is_a_friendly_error(demo_data: Path):
    s = session.start(data_dir=str(demo_data), workspace="demo", author="Ann", pupil="P-9999")
    with pytest.raises(NotFoundError, match="P-1001, P-1002"):
        gaps.gaps_view(s)
