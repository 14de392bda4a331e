"""Tests for partnerkit.mapping_tool.rules: each gap rule by hand-made cases, labels, words."""

from __future__ import annotations

import pytest

from partnerkit.content import load_content
from partnerkit.errors import PartnerkitError
from partnerkit.mapping_tool import rules
from partnerkit.records.mapping import LAYERS, Connection, DirectoryEntry, PupilProfile
from tests.mapping_tool.maps import make

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
    assert rules.find_gaps(PROFILE, FULL, DIRECTORY) == []


def test_an_empty_layer_is_a_gap_with_the_tools_examples_and_partners_for_it():
    found = rules.find_gaps(PROFILE, FULL[1:], DIRECTORY)
    (gap,) = of(found, "empty_layer")
    assert gap.layer == "families" and gap.subject == "Pupils and their families"
    assert "No one is recorded on this layer yet" in gap.detail
    assert "step-dad" in gap.detail and "trusted neighbour" in gap.detail
    assert names(gap) == ["Befrienders"]  # only entries that sit on the family layer


def test_an_empty_outside_layer_takes_entries_without_a_layer_not_school_ones():
    found = rules.find_gaps(PROFILE, [c for c in FULL if c.layer != "community_context"],
                           DIRECTORY)
    (gap,) = of(found, "empty_layer")
    assert gap.layer == "community_context"
    assert "Homework Club" not in names(gap) and "Befrienders" not in names(gap)
    assert "Food Larder" not in names(gap), "already on the map"
    # helping with the pupil's needs first, then local before authority-wide
    assert names(gap) == ["Eastfield Pantry", "Calm Minds", "Far Pantry", "Family Link"]


def test_every_layer_empty_gives_four_gaps_in_the_tools_order():
    found = rules.find_gaps(PupilProfile(pupil="P-1"), [], [])
    assert [g.layer for g in found] == list(LAYERS)
    assert all(g.suggestions == () for g in found)


def test_a_ticked_need_no_connection_helps_with_is_a_gap():
    connections = [c.model_copy(update={"helps_with": []}) if c.name == "Mr Khan" else c
                   for c in FULL]
    (gap,) = rules.find_gaps(PROFILE, connections, DIRECTORY)
    assert gap.gap_type == "unmet_need" and gap.need == "poverty"
    assert gap.subject == "poverty"
    assert "The profile lists poverty as a need" in gap.detail
    # matched by need; the one on the map left out; local first, then the rest by name
    assert names(gap) == ["Eastfield Pantry", "Far Pantry"]


def test_a_need_not_ticked_is_not_a_gap():
    profile = PROFILE.model_copy(update={"needs": []})
    connections = [c.model_copy(update={"helps_with": []}) for c in FULL]
    assert rules.find_gaps(profile, connections, DIRECTORY) == []


def test_a_stressful_relationship_is_a_gap_with_relationship_partners():
    connections = [*FULL, conn("Step-dad", "families", quality="stressful", role="Carer")]
    (gap,) = rules.find_gaps(PROFILE, connections, DIRECTORY)
    assert gap.gap_type == "stressful_relationship" and gap.subject == "Step-dad"
    assert gap.connection == "step-dad"
    assert gap.detail == ("The relationship with Step-dad (Carer, Pupils and their families) "
                          "is marked stressful.")
    assert names(gap) == ["Befrienders", "Family Link"]


def test_a_stressful_school_relationship_takes_relationship_help_only():
    connections = [*FULL, conn("PE teacher", "school_networks", quality="stressful",
                               contacted=True)]
    (gap,) = rules.find_gaps(PROFILE, connections, DIRECTORY)
    assert names(gap) == ["Befrienders"]


def test_a_tenuous_relationship_is_not_a_gap():
    connections = [*FULL, conn("Uncle", "families", quality="tenuous")]
    assert rules.find_gaps(PROFILE, connections, DIRECTORY) == []


def test_a_partner_not_yet_contacted_is_a_gap_with_its_directory_contact():
    connections = [*FULL[:2], FULL[2].model_copy(update={"contacted": False}), FULL[3]]
    (gap,) = rules.find_gaps(PROFILE, connections, DIRECTORY)
    assert gap.gap_type == "not_contacted" and gap.subject == "Food Larder"
    assert "has not been contacted yet" in gap.detail
    assert "Directory contact: 0141 1." in gap.detail
    assert names(gap) == ["Food Larder"]


def test_a_named_key_contact_is_given_and_family_members_are_not_partners():
    connections = [*FULL, conn("Social worker", "multi_agency", key_contact="J. Bell"),
                   conn("Aunt", "families")]
    (gap,) = rules.find_gaps(PROFILE, connections, DIRECTORY)
    assert gap.subject == "Social worker" and "Key contact: J. Bell." in gap.detail
    assert gap.suggestions == ()


def test_suggestions_are_capped():
    directory = [DirectoryEntry(organisation=f"Pantry {i}", helps_with=["poverty"])
                 for i in range(9)]
    (gap,) = rules.find_gaps(PupilProfile(pupil="P-1", needs=["poverty"]), FULL[2:3],
                            directory)[-1:]
    assert gap.gap_type == "unmet_need" and len(gap.suggestions) == rules.MAX_SUGGESTIONS


def test_rules_come_in_their_documented_order():
    connections = [conn("Mum", "families", quality="stressful"),
                   conn("Charity", "multi_agency")]
    found = rules.find_gaps(PROFILE, connections, DIRECTORY)
    assert [g.gap_type for g in found] == ["empty_layer", "empty_layer", "unmet_need",
                                           "unmet_need", "stressful_relationship",
                                           "not_contacted"]
    order = [rules.GAP_TYPES.index(g.gap_type) for g in found]
    assert order == sorted(order)


# ------------------------------------------------------------------ labels


@pytest.mark.parametrize(("value", "expected"), [(True, True), (False, False), (None, False),
                                                 ("true", True), ("Yes", True), ("0", False),
                                                 ("no", False)])
def test_the_names_parameter_reads_yes_and_no(value, expected):
    assert rules.flag(value) is expected


def test_a_names_parameter_that_is_not_yes_or_no_is_refused():
    with pytest.raises(PartnerkitError, match="'perhaps'.*set names = True"):
        rules.flag("perhaps")


def test_labels_come_from_the_content_and_the_record():
    content = load_content()
    assert rules.need_label("family_dynamics", content) == "family dynamics"
    assert rules.need_label("not_a_need", content) == "not a need"
    assert rules.direction_labels() == {"to_pupil": "Support to the pupil",
                                        "from_pupil": "Support from the pupil",
                                        "both": "Both ways"}
    assert rules.centre_label("P-1", None) == "P-1"
    assert rules.centre_label("P-1", "Jane Smith") == "Jane Smith (P-1)"


# ------------------------------------------------------------------ words


def test_the_description_mentions_every_connection_layer_by_layer():
    connections = make(40)
    text = rules.describe_ecomap(connections, pupil_label="P-1001")
    assert text.startswith("Ecomap for P-1001: 40 connections")
    for c in connections:
        assert f"- {c.name}" in text
    titles = rules.layer_titles()
    positions = [text.index(titles[layer]) for layer in LAYERS]
    assert positions == sorted(positions)
    assert "zigzag" in text and "dashed" in text and "solid thick" in text
    assert "both ways" in text and "to the pupil" in text and "from the pupil" in text


def test_the_description_says_which_layers_are_empty():
    mum = Connection(pupil="P-1", name="Mum", layer="families", role="Parent",
                     quality="strong")
    text = rules.describe_ecomap([mum], pupil_label="P-9")
    assert "P-9: 1 connection," in text
    assert "- Mum (Parent): strong relationship" in text
    assert "Ring 2, School networks: no connections yet." in text
