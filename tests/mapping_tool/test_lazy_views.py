"""On a served page the mapping tool's layers, drawing and questions are built when opened."""

from __future__ import annotations

import asyncio
from pathlib import Path

from partnerkit import page
from partnerkit.mapping_tool import data, views
from partnerkit.records.base import load_record, save_record
from partnerkit.records.mapping import LAYERS, Answer, Connection
from partnerkit.session import Session
from partnerkit.store import Store


def served(store: Store, tmp_path: Path) -> Session:
    return Session(store=store, workspace="school", author="Ann", data_dir=tmp_path,
                   params={"pupil": "P-1"}, served=True)


def test_the_layers_are_headings_with_counts_and_nothing_else_until_opened(
        pupil_store: Store, tmp_path: Path):
    save_record(pupil_store, "school", Connection(pupil="P-1", name="Gran", layer="families"),
                "Ann")
    editor = views.connections_editor(served(pupil_store, tmp_path))
    titles = editor.sections.titles
    assert len(titles) == len(LAYERS) == 4
    assert titles[0].endswith(": 1 person") and titles[1].endswith(": no one yet")
    assert editor.sections.built == {}
    assert all(editor.lists[layer].children == () for layer in LAYERS)
    editor.sections.selected_index = 0                 # the browser opens "families"
    (row,) = editor.lists["families"].children
    assert "Gran" in row.children[0].children[0].value
    assert editor.lists["school_networks"].children == ()


def test_adding_someone_saves_them_opens_their_layer_and_counts_them(pupil_store: Store,
                                                                     tmp_path: Path):
    editor = views.connections_editor(served(pupil_store, tmp_path))
    editor.name_input.value = "Breakfast club"
    editor.layer_input.value = "school_networks"
    editor.add(editor.name_input.value, editor.layer_input.value)
    assert [c.name for c in data.pupil_connections(pupil_store, "school", "P-1")] == [
        "Breakfast club"]
    index = LAYERS.index("school_networks")
    assert editor.sections.selected_index == index and index in editor.sections.built
    assert editor.sections.get_title(index).endswith(": 1 person")
    assert "Breakfast club" in str([w.value for w in editor.lists["school_networks"]
                                    .children[0].children[0].children if hasattr(w, "value")])
    editor.form.editors["role"].input.value = "Runs the club"
    saved = load_record(pupil_store, "school", Connection,
                        f"P-1/{editor.editing}")
    assert saved.role == "Runs the club"


def test_each_question_builds_its_form_when_opened_and_saves_the_answer(pupil_store: Store,
                                                                        tmp_path: Path):
    questions = views.reflective_questions(served(pupil_store, tmp_path))
    assert len(questions.sections.titles) == 6 and questions.forms == {}
    assert questions.sections.get_title(2).startswith("3. ")
    questions.sections.selected_index = 2
    form = questions.forms["mapping_tool.question.3"]
    form.editors["text"].input.value = "Ask the youth worker to join the next review"
    saved = load_record(pupil_store, "school", Answer, "P-1/mapping_tool.question.3")
    assert saved.text == "Ask the youth worker to join the next review"
    assert list(questions.forms) == ["mapping_tool.question.3"]


def test_the_map_is_drawn_only_when_its_section_opens(pupil_store: Store, tmp_path: Path):
    session = served(pupil_store, tmp_path)
    section = views.ecomap_view(session)
    assert section.titles == (views.MAP_SECTION,) and section.built == {}
    assert session.listeners.get("connections") is None, "nothing to redraw yet"

    async def open_it() -> tuple[str, dict]:
        section.selected_index = 0                     # a browser's click, in the loop
        out = section.built[0]
        placeholder = out.outputs[0]["data"]["text/html"]
        await asyncio.sleep(0)                         # the drawing runs just after
        return placeholder, out.outputs[0]["data"]

    placeholder, drawn = asyncio.run(open_it())
    assert placeholder == page.DRAWING_PLACEHOLDER
    assert "image/png" in drawn or "pk-figure" in drawn.get("text/html", "")
    assert len(session.listeners["connections"]) == 1, "it redraws when the map changes"


def test_outside_a_served_page_the_layers_and_questions_are_all_there(pupil_store: Store):
    editor = views.ConnectionsEditor(pupil_store, "school", "Ann", "P-1")
    questions = views.ReflectiveQuestions(pupil_store, "school", "Ann", "P-1")
    assert editor.sections is None and questions.sections is None
    assert all(editor.lists[layer].children for layer in LAYERS)
    assert len(questions.forms) == 6
