"""Tests for partnerkit.mapping_tool.views: the workbook's cells, forms and editors."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from partnerkit import session
from partnerkit.content import load_content
from partnerkit.errors import NotFoundError, PartnerkitError, PupilReferenceError
from partnerkit.mapping_tool import data, report, views
from partnerkit.records.base import load_record, load_records, record_history, save_record
from partnerkit.records.mapping import Answer, Connection, PupilProfile
from partnerkit.store import Store


def editor(store: Store, pupil: str = "P-1") -> views.ConnectionsEditor:
    return views.ConnectionsEditor(store, "school", "Ann", pupil)


def stored(store: Store, pupil: str = "P-1") -> list[Connection]:
    return data.pupil_connections(store, "school", pupil)


def test_about_the_tool_comes_from_the_content():
    page = views.about_tool().data
    content = load_content()
    assert content.item("mapping_tool.output").text in page
    for layer in ("pupil_characteristics", "families", "school_networks", "multi_agency",
                  "community_context"):
        assert content.item(f"mapping_tool.layer.{layer}").title in page


def test_the_profile_form_adds_a_new_pupil_when_something_is_typed(store: Store):
    form = views.ProfileForm(store, "school", "Ann", "P-2000")
    assert "new pupil reference" in form.children[0].value
    assert data.pupils(store, "school") == []
    form.form.editors["gender"].input.value = "Girl"
    form.form.editors["needs"].input.value = ["trauma", "poverty"]
    profile = data.require_pupil(store, "school", "P-2000")
    assert profile.gender == "Girl" and set(profile.needs) == {"trauma", "poverty"}


def test_the_real_name_is_kept_apart_and_shown_only_when_asked(pupil_store: Store):
    form = views.ProfileForm(pupil_store, "school", "Ann", "P-1")
    form.real_name.value = "Jane Smith"
    assert "✓ Saved" in form.real_name_status.value
    assert pupil_store.real_name("school", "P-1") == "Jane Smith"
    profile = pupil_store.get("school", "pupil_profile", "P-1")
    assert "Jane Smith" not in str(profile.data)
    save_record(pupil_store, "school", Connection(pupil="P-1", name="Mum", layer="families"),
                "Ann")
    assert "Jane Smith" not in report.map_summary_html(pupil_store, "school", "P-1")
    assert "Jane Smith" in report.map_summary_html(pupil_store, "school", "P-1", names=True)
    again = views.ProfileForm(pupil_store, "school", "Ann", "P-1")
    assert again.real_name.value == "Jane Smith"


def test_a_real_name_typed_first_adds_the_pupil(store: Store):
    form = views.ProfileForm(store, "school", "Ann", "P-3")
    form.real_name.value = "Sam Lee"
    assert data.pupils(store, "school") == ["P-3"]


def test_a_practitioner_is_offered_no_real_name_and_never_reads_one(pupil_store: Store):
    from partnerkit.access import PRACTITIONER, SCHOOL_LEAD, Account, GuardedStore, Membership

    pupil_store.set_real_name("school", "P-1", "Jane Smith", "Lee")
    ann = Account("ann", "Ann", (Membership("school", PRACTITIONER),))
    lee = Account("lee", "Lee", (Membership("school", SCHOOL_LEAD),))
    own = session.Session(store=GuardedStore(pupil_store, ann), workspace="school",
                          author="ann", data_dir=Path("."), params={"pupil": "P-1"}, account=ann)
    form = views.profile_form(own)
    assert not hasattr(form, "real_name")
    assert "kept apart by your school lead" in form.children[-1].value
    assert "Jane Smith" not in str([getattr(c, "value", "") for c in form.children])
    assert [e.action for e in pupil_store.audit_entries(account="ann")
            if e.kind == "pupil_name"] == []  # not even asked for, so no refusal either
    lead = session.Session(store=GuardedStore(pupil_store, lee), workspace="school",
                           author="lee", data_dir=Path("."), params={"pupil": "P-1"},
                           account=lee)
    assert views.profile_form(lead).real_name.value == "Jane Smith"


def test_a_connection_without_a_name_or_layer_is_refused_beside_the_field(pupil_store: Store):
    ed = editor(pupil_store)
    assert ed.add("", None) is None
    assert "Person or organisation: this is required" in ed.name_message.value
    assert "Layer: this is required" in ed.layer_message.value
    assert ed.add("Mum", None) is None
    assert ed.name_message.value == "" and "this is required" in ed.layer_message.value
    assert ed.add("  ", "families") is None
    assert "this is required" in ed.name_message.value and ed.layer_message.value == ""
    assert stored(pupil_store) == []


def test_the_buttons_add_through_the_same_checks(pupil_store: Store):
    ed = editor(pupil_store)
    ed.name_input.value = "Aunt Jo"
    ed.layer_input.value = "families"
    ed.add(ed.name_input.value, ed.layer_input.value)
    assert [c.name for c in stored(pupil_store)] == ["Aunt Jo"]
    assert ed.name_input.value == "" and ed.layer_input.value is None
    assert ed.form is not None and ed.form.editors["name"].input.value == "Aunt Jo"


def test_quick_picks_are_the_tools_examples_for_each_layer(pupil_store: Store):
    ed = editor(pupil_store)
    content = load_content()
    for layer, section in zip(("families", "school_networks", "multi_agency",
                               "community_context"), ed.children[1:5], strict=True):
        picks = section.children[2].children[0]
        assert [v for _label, v in picks.options] == ["", *list(
            content.item(f"mapping_tool.layer.{layer}").examples)]
    ed.quick_pick("school_networks", "breakfast club")
    (added,) = stored(pupil_store)
    assert (added.name, added.layer) == ("Breakfast club", "school_networks")
    assert "Breakfast club" in str([w.value for w in ed.lists["school_networks"].children[0]
                                    .children[0].children if hasattr(w, "value")])


def test_a_quick_pick_assumes_no_strength_and_resets_the_picker(pupil_store: Store):
    ed = editor(pupil_store)
    picks = ed.picks["families"]
    picks.value = "mum"
    ed.quick_pick("families", picks.value)
    (added,) = stored(pupil_store)
    assert (added.name, added.quality) == ("Mum", None)
    assert picks.value == "" and picks.label == "— choose someone —"
    assert ed.form is not None and ed.form.editors["quality"].input.value is None
    assert "relationship not said yet" in str(
        [w.value for w in ed.lists["families"].children[0].children[0].children
         if hasattr(w, "value")])
    assert ed.quick_pick("families", picks.value) is None
    assert len(stored(pupil_store)) == 1
    assert "choose someone in the quick pick" in ed.status.value


def test_editing_in_the_form_saves_every_field(pupil_store: Store):
    ed = editor(pupil_store)
    added = ed.add("Youth worker", "community_context")
    form = ed.form
    form.editors["role"].input.value = "CLD youth worker"
    form.editors["quality"].input.value = "tenuous"
    form.editors["direction"].input.value = "both"
    form.editors["helps_with"].input.value = ["relationships"]
    form.editors["works_with_family"].input.value = True
    form.editors["done_before"].input.value = "Summer programme"
    form.editors["key_contact"].input.value = "Sam"
    form.editors["contacted"].input.value = True
    form.editors["offers"].input.value = "Drop-in"
    form.editors["notes"].input.value = "Ask about Thursdays"
    form.editors["layer"].input.value = "multi_agency"
    (saved,) = stored(pupil_store)
    assert saved.id == added.id
    assert saved.model_dump(exclude={"id", "pupil"}) == {
        "name": "Youth worker", "layer": "multi_agency", "role": "CLD youth worker",
        "quality": "tenuous", "direction": "both", "offers": "Drop-in",
        "helps_with": ["relationships"], "works_with_family": True,
        "done_before": "Summer programme", "key_contact": "Sam", "contacted": True,
        "notes": "Ask about Thursdays"}
    assert len(ed.lists["multi_agency"].children) == 1


def test_clearing_the_name_in_the_form_is_refused_beside_it(pupil_store: Store):
    ed = editor(pupil_store)
    ed.add("Gran", "families")
    ed.form.editors["name"].input.value = ""
    assert "required" in ed.form.editors["name"].message.value
    assert [c.name for c in stored(pupil_store)] == ["Gran"]


def test_removing_takes_a_connection_off_the_map_and_keeps_its_history(pupil_store: Store):
    ed = editor(pupil_store)
    gran = ed.add("Gran", "families")
    ed.add("Mr Khan", "school_networks")
    assert ed.editing is not None
    row = ed.lists["families"].children[0]
    remove_button = row.children[0].children[2]
    remove_button.click()
    confirm = row.children[1]
    assert "Remove <bdi>Gran</bdi> from the map?" in confirm.children[0].value
    confirm.children[1].click()
    assert [c.name for c in stored(pupil_store)] == ["Mr Khan"]
    history = record_history(pupil_store, "school", gran)
    assert [h.op for h in history][-1] == "delete"
    assert ed.remove("no-such-id") is False


def test_edit_of_an_unknown_connection_is_a_clear_error(pupil_store: Store):
    with pytest.raises(NotFoundError, match="not one of this pupil's connections"):
        editor(pupil_store).edit("nope")


def test_a_connection_saved_in_the_form_is_there_after_a_kernel_restart(tmp_path: Path):
    data = tmp_path / "data"
    first = Store(data=data)
    first.ensure_workspace("school")
    save_record(first, "school", PupilProfile(pupil="P-1"), "Ann")
    ed = views.ConnectionsEditor(first, "school", "Ann", "P-1")
    added = ed.add("Campus police officer", "school_networks")
    ed.form.editors["quality"].input.value = "stressful"
    ed.form.editors["notes"].input.value = "Met at the gate"
    first.close()

    restarted = Store(data=data)  # a new kernel: new objects, the same data folder
    again = views.ConnectionsEditor(restarted, "school", "Ann", "P-1")
    (kept,) = again.connections()
    assert (kept.id, kept.name, kept.quality, kept.notes) == (
        added.id, "Campus police officer", "stressful", "Met at the gate")
    form = again.edit(kept.id)
    assert form.editors["notes"].input.value == "Met at the gate"
    assert form.editors["quality"].input.value == "stressful"
    restarted.close()


def test_the_editor_cell_refuses_an_unknown_pupil(demo_data: Path):
    s = session.start(data_dir=str(demo_data), workspace="demo", author="Ann", pupil="P-4242")
    with pytest.raises(NotFoundError, match="P-1001, P-1002, P-1003, P-1004, P-1005"):
        views.connections_editor(s)


def test_a_session_without_a_pupil_is_told_what_to_set(demo_data: Path):
    s = session.start(data_dir=str(demo_data), workspace="demo", author="Ann")
    with pytest.raises(PartnerkitError, match="set pupil"):
        views.ecomap_view(s)


def test_six_reflective_questions_each_save_an_answer(pupil_store: Store):
    questions = views.ReflectiveQuestions(pupil_store, "school", "Ann", "P-1")
    content = load_content()
    assert list(questions.forms) == [f"mapping_tool.question.{n}" for n in range(1, 7)]
    for question, form in questions.forms.items():
        assert content.item(question).text in form.children[1].value
        form.editors["text"].input.value = f"Answer to {question}"
    answers = load_records(pupil_store, "school", Answer, prefix="P-1/")
    assert len(answers) == 6 and all(a.subject == "P-1" for a in answers)
    again = views.ReflectiveQuestions(pupil_store, "school", "Ann", "P-1")
    form = again.forms["mapping_tool.question.3"]
    assert form.editors["text"].input.value == "Answer to mapping_tool.question.3"


def test_the_summary_cell_saves_and_offers_a_download(demo_data: Path):
    s = session.start(data_dir=str(demo_data), workspace="demo", author="Ann", pupil="P-1002",
                      names="false")
    cell = views.summary_download(s).data
    path = views.summary_path(s, "P-1002")
    assert path.exists() and str(path) in cell
    encoded = re.search(r'href="data:text/html;base64,([^"]+)"', cell).group(1)
    assert base64.b64decode(encoded).decode("utf-8") == path.read_text(encoding="utf-8")
    assert "pseudonymous" in cell


def test_the_workbook_profile_cell_accepts_a_new_reference(demo_data: Path):
    s = session.start(data_dir=str(demo_data), workspace="demo", author="Ann", pupil="P-4242")
    form = views.profile_form(s)
    form.form.editors["stage"].input.value = "S1"
    assert load_record(s.store, "demo", PupilProfile, "P-4242").stage == "S1"
    assert views.connections_editor(s).connections() == []


def test_a_served_summary_button_makes_a_fresh_summary(demo_data):
    from partnerkit.records import Connection, save_record
    from partnerkit.session import Session
    from partnerkit.store import Store as _Store

    store = _Store(data=demo_data)
    served = Session(store=store, workspace="demo", author="Ann", data_dir=demo_data,
                     params={"pupil": "P-1002"}, served=True)
    widget = views.summary_download(served)
    button, link = widget.children
    assert "base64," not in link.value, "a served page makes the summary only when asked"
    button.click()
    assert "Auntie Morag" not in _decoded(link.value)
    save_record(store, "demo", Connection(pupil="P-1002", name="Auntie Morag",
                                          layer="families"), "Ann")
    button.click()
    assert "Auntie Morag" in _decoded(link.value)
    assert button.description == "Make a fresh summary"


def _decoded(link_html: str) -> str:
    import base64
    import re

    return base64.b64decode(re.search(r"base64,([^\"]+)", link_html).group(1)).decode()


def test_the_view_reads_the_demo_pupil(demo_data: Path):
    s = session.start(data_dir=str(demo_data), workspace="demo", author="Ann", pupil="P-1001")
    page = views.gaps_view(s).data
    rows = [[re.sub("<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", page, re.S) if "<td" in row]
    assert {(kind, subject) for kind, subject, *_ in rows} == {
        ("No one on this layer", "Community context"), ("A stressful relationship", "Mum"),
        ("A partner not contacted yet", "Young Carers Network")}
    assert "empty_layer" not in page and "…" not in page


def test_an_unknown_pupil_is_a_friendly_error(demo_data: Path):
    s = session.start(data_dir=str(demo_data), workspace="demo", author="Ann", pupil="P-9999")
    with pytest.raises(NotFoundError, match="P-1001, P-1002"):
        views.gaps_view(s)


@pytest.mark.parametrize("cell", [views.profile_form, views.connections_editor,
                                  views.ecomap_view, views.ecomap_text, views.gaps_view,
                                  views.reflective_questions, views.summary_download])
def test_every_cell_refuses_a_name_as_the_pupil_reference(demo_data: Path, cell):
    s = session.start(data_dir=str(demo_data), workspace="demo", author="Ann",
                      pupil="Jane Smith")
    with pytest.raises(PupilReferenceError, match="not a pupil reference"):
        cell(s)


def test_what_was_typed_is_escaped_in_the_editor(pupil_store: Store):
    ed = editor(pupil_store)
    ed.add("<b>Gran</b>", "families")
    row = ed.lists["families"].children[0].children[0].children[0]
    assert "&lt;b&gt;Gran&lt;/b&gt;" in row.value and "<b>" not in row.value
    assert "&lt;b&gt;Gran&lt;/b&gt;" in ed.status.value


def test_a_served_summary_link_names_no_server_folder(pupil_store: Store, tmp_path):
    from partnerkit.mapping_tool.views import _summary_link
    from partnerkit.session import Session

    session = Session(store=pupil_store, workspace="school", author="Ann", data_dir=tmp_path,
                      params={"pupil": "P-1"}, served=True)
    shown = _summary_link(session).data
    assert "Download the map summary for P-1" in shown and str(tmp_path) not in shown
