"""Tests for partnerkit.mapping_tool.mapping and the mapping_tool workbook."""

from __future__ import annotations

import base64
import re
import stat
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from partnerkit import session
from partnerkit.content import load_content
from partnerkit.errors import NotFoundError, PartnerkitError
from partnerkit.mapping_tool import mapping
from partnerkit.paths import workbooks_dir
from partnerkit.records.base import load_record, load_records, record_history, save_record
from partnerkit.records.mapping import Answer, Connection, PupilProfile
from partnerkit.store import Store

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def pupil_store(store: Store) -> Store:
    save_record(store, "school", PupilProfile(pupil="P-1", needs=["poverty"],
                                              neighbourhood="Eastfield"), "Ann")
    return store


def editor(store: Store, pupil: str = "P-1") -> mapping.ConnectionsEditor:
    return mapping.ConnectionsEditor(store, "school", "Ann", pupil)


def stored(store: Store, pupil: str = "P-1") -> list[Connection]:
    return mapping.pupil_connections(store, "school", pupil)


# ------------------------------------------------------------------ pupils


def test_a_known_pupil_is_returned(pupil_store: Store):
    assert mapping.require_pupil(pupil_store, "school", "P-1").needs == ["poverty"]


def test_an_unknown_pupil_lists_the_pupils_and_how_to_add_one(pupil_store: Store):
    save_record(pupil_store, "school", PupilProfile(pupil="P-0"), "Ann")
    with pytest.raises(NotFoundError) as caught:
        mapping.require_pupil(pupil_store, "school", "P-77")
    text = str(caught.value)
    assert "there is no pupil 'P-77' in workspace 'school'" in text
    assert "the pupils in this workspace are P-0, P-1" in text
    assert "pupil characteristics form" in text and "partnerkit demo" in text
    assert caught.value.value == "P-77"


def test_an_empty_workspace_says_so(store: Store):
    with pytest.raises(NotFoundError, match="this workspace has no pupils yet"):
        mapping.require_pupil(store, "school", "P-1")


@pytest.mark.parametrize("bad", ["Jane Smith", "", None, "x", "P/1"])
def test_a_name_or_junk_is_not_a_pupil_reference(store: Store, bad):
    with pytest.raises(NotFoundError, match="not a pupil reference"):
        mapping.require_pupil(store, "school", bad)


@pytest.mark.parametrize(("value", "expected"), [(True, True), (False, False), (None, False),
                                                 ("true", True), ("Yes", True), ("0", False),
                                                 ("no", False)])
def test_the_names_parameter_reads_yes_and_no(value, expected):
    assert mapping.flag(value) is expected


def test_a_names_parameter_that_is_not_yes_or_no_is_refused():
    with pytest.raises(PartnerkitError, match="'perhaps'.*set names = True"):
        mapping.flag("perhaps")


def test_about_the_tool_comes_from_the_content():
    page = mapping.about_tool().data
    content = load_content()
    assert content.item("mapping_tool.output").text in page
    for layer in ("pupil_characteristics", "families", "school_networks", "multi_agency",
                  "community_context"):
        assert content.item(f"mapping_tool.layer.{layer}").title in page


# ------------------------------------------------------------------ profile


def test_the_profile_form_adds_a_new_pupil_when_something_is_typed(store: Store):
    form = mapping.ProfileForm(store, "school", "Ann", "P-2000")
    assert "new pupil reference" in form.children[0].value
    assert mapping.pupils(store, "school") == []
    form.form.editors["gender"].input.value = "Girl"
    form.form.editors["needs"].input.value = ["trauma", "poverty"]
    profile = mapping.require_pupil(store, "school", "P-2000")
    assert profile.gender == "Girl" and set(profile.needs) == {"trauma", "poverty"}


def test_the_real_name_is_kept_apart_and_shown_only_when_asked(pupil_store: Store):
    form = mapping.ProfileForm(pupil_store, "school", "Ann", "P-1")
    form.real_name.value = "Jane Smith"
    assert "✓ Saved" in form.real_name_status.value
    assert pupil_store.real_name("school", "P-1") == "Jane Smith"
    profile = pupil_store.get("school", "pupil_profile", "P-1")
    assert "Jane Smith" not in str(profile.data)
    save_record(pupil_store, "school", Connection(pupil="P-1", name="Mum", layer="families"),
                "Ann")
    assert "Jane Smith" not in mapping.map_summary_html(pupil_store, "school", "P-1")
    assert "Jane Smith" in mapping.map_summary_html(pupil_store, "school", "P-1", names=True)
    again = mapping.ProfileForm(pupil_store, "school", "Ann", "P-1")
    assert again.real_name.value == "Jane Smith"


def test_a_real_name_typed_first_adds_the_pupil(store: Store):
    form = mapping.ProfileForm(store, "school", "Ann", "P-3")
    form.real_name.value = "Sam Lee"
    assert mapping.pupils(store, "school") == ["P-3"]


# ------------------------------------------------------------------ connections


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
        assert [v for _label, v in picks.options] == list(
            content.item(f"mapping_tool.layer.{layer}").examples)
    ed.quick_pick("school_networks", "breakfast club")
    (added,) = stored(pupil_store)
    assert (added.name, added.layer) == ("Breakfast club", "school_networks")
    assert "Breakfast club" in str([w.value for w in ed.lists["school_networks"].children[0]
                                    .children[0].children if hasattr(w, "value")])


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
    assert "Remove Gran from the map?" in confirm.children[0].value
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
    ed = mapping.ConnectionsEditor(first, "school", "Ann", "P-1")
    added = ed.add("Campus police officer", "school_networks")
    ed.form.editors["quality"].input.value = "stressful"
    ed.form.editors["notes"].input.value = "Met at the gate"
    first.close()

    restarted = Store(data=data)  # a new kernel: new objects, the same data folder
    again = mapping.ConnectionsEditor(restarted, "school", "Ann", "P-1")
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
        mapping.connections_editor(s)


def test_a_session_without_a_pupil_is_told_what_to_set(demo_data: Path):
    s = session.start(data_dir=str(demo_data), workspace="demo", author="Ann")
    with pytest.raises(PartnerkitError, match="set pupil"):
        mapping.ecomap_view(s)


# ------------------------------------------------------------------ questions


def test_six_reflective_questions_each_save_an_answer(pupil_store: Store):
    questions = mapping.ReflectiveQuestions(pupil_store, "school", "Ann", "P-1")
    content = load_content()
    assert list(questions.forms) == [f"mapping_tool.question.{n}" for n in range(1, 7)]
    for question, form in questions.forms.items():
        assert content.item(question).text in form.children[1].value
        form.editors["text"].input.value = f"Answer to {question}"
    answers = load_records(pupil_store, "school", Answer, prefix="P-1/")
    assert len(answers) == 6 and all(a.subject == "P-1" for a in answers)
    again = mapping.ReflectiveQuestions(pupil_store, "school", "Ann", "P-1")
    form = again.forms["mapping_tool.question.3"]
    assert form.editors["text"].input.value == "Answer to mapping_tool.question.3"


# ------------------------------------------------------------------ summary


def test_the_summary_holds_every_part_and_escapes_what_was_typed(pupil_store: Store):
    save_record(pupil_store, "school", Connection(
        pupil="P-1", id="x1", name="<script>alert(1)</script>", layer="families",
        quality="stressful", offers="Lifts & <b>meals</b>"), "Ann")
    save_record(pupil_store, "school", Answer(question="mapping_tool.question.2",
                                              subject="P-1", text="We need <i>more</i>"),
                "Ann")
    page = mapping.map_summary_html(pupil_store, "school", "P-1")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Lifts &amp; &lt;b&gt;meals&lt;/b&gt;" in page
    assert "We need &lt;i&gt;more&lt;/i&gt;" in page
    assert page.count("<svg") == 1 and 'id="connection-x1"' in page
    assert "Ecomap for P-1: 1 connection" in page
    for heading in ("Pupil characteristics", "Connections by layer", "Gaps and suggestions",
                    "Reflective questions", "School networks", "Community context"):
        assert heading in page
    assert "stressful relationship" in page.lower()
    assert "Not answered yet." in page
    assert load_content().item("mapping_tool.question.6").text in page
    assert "Eastfield" in page and "poverty" in page


def test_the_summary_file_is_owner_only(pupil_store: Store, tmp_path: Path):
    path = mapping.save_map_summary(pupil_store, "school", "P-1", tmp_path / "s.html")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_pupil_ecomap_files_are_written(pupil_store: Store, tmp_path: Path):
    save_record(pupil_store, "school", Connection(pupil="P-1", name="Mum", layer="families"),
                "Ann")
    png = mapping.save_pupil_ecomap(pupil_store, "school", "P-1", tmp_path / "m.png")
    svg = mapping.save_pupil_ecomap(pupil_store, "school", "P-1", tmp_path / "m.svg")
    assert png.read_bytes()[:4] == b"\x89PNG" and svg.read_text().count('id="connection-') == 1


def test_the_summary_cell_saves_and_offers_a_download(demo_data: Path):
    s = session.start(data_dir=str(demo_data), workspace="demo", author="Ann", pupil="P-1002",
                      names="false")
    cell = mapping.summary_download(s).data
    path = mapping.summary_path(s, "P-1002")
    assert path.exists() and str(path) in cell
    encoded = re.search(r'href="data:text/html;base64,([^"]+)"', cell).group(1)
    assert base64.b64decode(encoded).decode("utf-8") == path.read_text(encoding="utf-8")
    assert "pseudonymous" in cell


# ------------------------------------------------------------------ workbook




def outputs_of(nb, call: str):
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and call in c.source]
    return cell.outputs


def test_the_workbook_is_committed_thin_and_stripped():
    nb = nbformat.read(workbooks_dir() / "mapping_tool.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for name in ("data_dir = None", 'workspace = "demo"', "author = None", 'pupil = "P-1001"',
                 "names = False"):
        assert name in params[0].source
    assert nb.cells[0].cell_type == "markdown"


@pytest.mark.parametrize("pupil", ["P-1001", "P-1002", "P-1003", "P-1004", "P-1005"])
def test_the_workbook_draws_every_stored_connection_for_each_demo_pupil(
        demo_data: Path, run_workbook, kernel_env, pupil: str):
    nb = run_workbook("mapping_tool", pupil=pupil)
    store = Store(data=demo_data)
    count = len(mapping.pupil_connections(store, "demo", pupil))
    store.close()
    (drawing,) = outputs_of(nb, "mapping.ecomap_view(s)")
    assert drawing.data["image/png"]
    plural = "connection" if count == 1 else "connections"
    assert drawing.data["text/plain"] == f"<Ecomap of {pupil}: {count} {plural} drawn>"
    (words,) = outputs_of(nb, "mapping.ecomap_text(s)")
    assert f"Ecomap for {pupil}: {count} {plural}" in words.data["text/html"]
    (table,) = outputs_of(nb, "gaps.gaps_view(s)")
    assert "gap_type" in table.data["text/html"]
    (summary,) = outputs_of(nb, "mapping.summary_download(s)")
    encoded = re.search(r"base64,([^\"]+)\"", summary.data["text/html"]).group(1)
    page = base64.b64decode(encoded).decode("utf-8")
    assert page.count('id="connection-') == count
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error"
            assert output.get("name") != "stderr" or "Warning" not in output.get("text", "")


def test_the_workbook_with_names_shows_the_real_name_only_then(demo_data: Path, run_workbook,
                                                               kernel_env):
    store = Store(data=demo_data)
    store.set_real_name("demo", "P-1001", "Jamie Example", "Ann")
    store.close()
    plain = run_workbook("mapping_tool")
    named = run_workbook("mapping_tool", names=True)

    def page(nb):
        (out,) = outputs_of(nb, "mapping.summary_download(s)")
        encoded = re.search(r"base64,([^\"]+)\"", out.data["text/html"]).group(1)
        return base64.b64decode(encoded).decode("utf-8")

    assert "Jamie Example" not in page(plain)
    assert "Jamie Example" in page(named)
    (drawing,) = outputs_of(plain, "mapping.ecomap_view(s)")
    assert "Jamie" not in drawing.data["text/plain"]


def test_the_workbook_gives_a_friendly_error_for_an_unknown_pupil(demo_data: Path,
                                                                  run_workbook, kernel_env):
    with pytest.raises(pm.PapermillExecutionError) as caught:
        run_workbook("mapping_tool", pupil="P-4242")
    error = caught.value
    assert error.ename == "NotFoundError"
    assert "there is no pupil 'P-4242'" in error.evalue
    assert "P-1001, P-1002, P-1003, P-1004, P-1005" in error.evalue
    assert "partnerkit demo" in error.evalue
    store = Store(data=demo_data)
    assert "P-4242" not in mapping.pupils(store, "demo"), "opening the form adds nothing"
    store.close()


def test_the_workbook_profile_cell_accepts_a_new_reference(demo_data: Path):
    s = session.start(data_dir=str(demo_data), workspace="demo", author="Ann", pupil="P-4242")
    form = mapping.profile_form(s)
    form.form.editors["stage"].input.value = "S1"
    assert load_record(s.store, "demo", PupilProfile, "P-4242").stage == "S1"
    assert mapping.connections_editor(s).connections() == []


def test_the_pupil_pack_carries_the_staged_support_plan(demo_data):
    from partnerkit.store import Store as _Store

    page = mapping.map_summary_html(_Store(data=demo_data), "demo", "P-1001")
    section = page[page.index('id="staged-support"'):]
    assert "Assessment/identification of needs" in section
    assert "Visual timetables" in section
    assert "Requests for assistance" in section


def test_a_served_summary_button_makes_a_fresh_summary(demo_data):
    from partnerkit.records import Connection, save_record
    from partnerkit.session import Session
    from partnerkit.store import Store as _Store

    store = _Store(data=demo_data)
    served = Session(store=store, workspace="demo", author="Ann", data_dir=demo_data,
                     params={"pupil": "P-1002"}, served=True)
    widget = mapping.summary_download(served)
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
