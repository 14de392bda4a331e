"""Tests for partnerkit.content and the five framework data files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerkit.content import (
    CONTENT_DIR,
    Content,
    Framework,
    Item,
    Source,
    load_content,
    parse_framework,
)
from partnerkit.errors import ContentError, NotFoundError, PartnerkitError

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"

SEED_FILES = {
    "mapping_tool": "000_b79cd4385c067c02.txt",
    "six_steps": "001_66c1b0ef11c68d39.txt",
    "principles": "002_ca3748a061d4928a.txt",
    "reflection": "003_5489900ba0952fa6.txt",
    "module6": "004_ef8e3afc0a91e7e7.txt",
}

# The only departures from the published wording: obvious typos and one layout slip.
TYPO_FIXES = {
    "mapping_tool": [("locaI", "local"), ("nationaI", "national"), ("anti-racim", "anti-racism")],
    "six_steps": [
        ("partners. what", "partners what"),
        ("engagement What", "engagement. What"),
        ("Standard and Quality Report", "Standards and Quality Report"),
    ],
    "principles": [],
    "reflection": [],
    "module6": [
        ("epilepsy liaison nurse therapy and physiotherapy", "epilepsy liaison nurse"),
        ("speech and language therapy, occupational",
         "speech and language therapy, occupational therapy and physiotherapy"),
    ],
}


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


def ids(items: list[Item]) -> list[str]:
    return [item.id for item in items]


def norm(text: str) -> str:
    return " ".join(text.split())


def seed_text(framework_id: str) -> str:
    """The seed document with typo fixes applied (skips the test if seeds are absent)."""
    path = SEEDS / SEED_FILES[framework_id]
    if not path.is_file():
        pytest.skip(f"seed documents not found at {SEEDS} (they live outside the package)")
    text = path.read_text(encoding="utf-8")
    for wrong, right in TYPO_FIXES[framework_id]:
        assert wrong in text, f"typo {wrong!r} no longer in {path.name}; drop the fix"
        text = text.replace(wrong, right)
    return text


# ---------------------------------------------------------------------------------------
# The packaged content loads and has the shape other modules depend on
# ---------------------------------------------------------------------------------------

def test_five_frameworks_load_with_their_sources(content: Content) -> None:
    assert set(content.frameworks) == set(SEED_FILES)
    publishers = {
        "mapping_tool": "Education Scotland",
        "six_steps": "Education Scotland",
        "principles": "Education Scotland",
        "reflection": "HM Inspectorate of Education (HMIE)",
        "module6": "The Open University",
    }
    for fid, framework in content.frameworks.items():
        assert isinstance(framework, Framework)
        assert isinstance(framework.source, Source)
        assert framework.source.file == SEED_FILES[fid]
        assert framework.source.publisher == publishers[fid]
        assert framework.source.title.strip()
        assert len(framework.summary.split()) >= 25, f"{fid} summary is not a paragraph"


def test_packaged_files_are_one_per_seed() -> None:
    names = sorted(p.name for p in CONTENT_DIR.glob("*.yaml"))
    assert names == sorted(f"{fid}.yaml" for fid in SEED_FILES)


def test_every_item_is_indexed_and_knows_its_framework(content: Content) -> None:
    for fid, framework in content.frameworks.items():
        for item in framework.walk():
            assert item.id.startswith(fid + ".")
            assert content.item(item.id) is item
            assert content.framework_of(item.id).id == fid
            assert item.text.strip()


def test_unknown_item_raises_not_found_naming_the_id(content: Content) -> None:
    with pytest.raises(NotFoundError) as info:
        content.item("six_steps.9.9")
    assert "six_steps.9.9" in str(info.value)
    assert info.value.value == "six_steps.9.9"
    assert "six_steps.9.9" not in content


def test_citation_names_title_section_and_publisher(content: Content) -> None:
    text = content.citation("six_steps.3.2")
    assert "Six steps" in text and "section 3" in text and "Education Scotland" in text


# --- mapping tool -----------------------------------------------------------------------

LAYERS = [
    "mapping_tool.layer.pupil_characteristics",
    "mapping_tool.layer.families",
    "mapping_tool.layer.school_networks",
    "mapping_tool.layer.multi_agency",
    "mapping_tool.layer.community_context",
]


def test_mapping_tool_purpose(content: Content) -> None:
    assert content.item("mapping_tool.output").kind == "purpose"
    assert content.item("mapping_tool.outcome").kind == "purpose"


def test_mapping_tool_has_five_layers_in_order(content: Content) -> None:
    layers = content.items("mapping_tool", kind="layer")
    assert ids(layers) == LAYERS
    assert all(layer.title and layer.summary for layer in layers)
    assert content.item("mapping_tool.layer.families").title == "Pupils and their families"
    for layer in layers[1:]:
        assert layer.examples, f"{layer.id} has no examples"


def test_mapping_tool_layer_examples_are_separate_strings(content: Content) -> None:
    families = content.item("mapping_tool.layer.families").examples
    assert families[0] == "mum"
    assert "step-dad" in families
    assert families[-1] == "geographical and online communities"
    assert len(families) == 11
    assert len(content.item("mapping_tool.layer.school_networks").examples) == 9
    assert "local charities" in content.item("mapping_tool.layer.multi_agency").examples
    for layer in content.items("mapping_tool", kind="layer"):
        for example in layer.examples:
            assert "," not in example or "e.g." in example, example


def test_mapping_tool_characteristics(content: Content) -> None:
    children = content.children("mapping_tool.layer.pupil_characteristics", "characteristic")
    expected = [f"mapping_tool.characteristic.{name}" for name in (
        "gender", "siblings", "language_at_home", "caring_responsibilities", "ethnicity",
        "neighbourhood", "current_challenges", "equalities_barriers")]
    assert ids(children) == expected
    assert content.item("mapping_tool.characteristic.language_at_home").text == (
        "language spoken at home")


def test_mapping_tool_policies(content: Content) -> None:
    policies = content.children("mapping_tool.layer.community_context", "policy")
    assert [p.text for p in policies] == [
        "attendance policies", "GIRFEC procedures", "National Improvement Framework",
        "Local authority stretch aims", "CLD plan", "Local Outcome Improvement Plans",
        "SIMD information", "local health data", "community safety data"]
    for policy in policies:
        assert re.fullmatch(r"mapping_tool\.policy\.[a-z_]+", policy.id)


def test_mapping_tool_six_reflective_questions(content: Content) -> None:
    questions = content.items("mapping_tool", kind="reflective_question")
    assert ids(questions) == [f"mapping_tool.question.{n}" for n in range(1, 7)]
    assert [q.number for q in questions] == [str(n) for n in range(1, 7)]


# --- six steps --------------------------------------------------------------------------

STEP_COUNTS = {1: 6, 2: 4, 3: 3, 4: 4, 5: 5, 6: 4}
CHECKLIST_IDS = [f"{s}.{i}" for s, n in STEP_COUNTS.items() for i in range(1, n + 1)]


def test_six_steps_in_order(content: Content) -> None:
    steps = content.items("six_steps", kind="step")
    assert ids(steps) == [f"six_steps.{n}" for n in range(1, 7)]
    assert [s.number for s in steps] == [str(n) for n in range(1, 7)]
    assert steps[1].text == ("Talk to children, young people and families, and seek to "
                             "involve partners in these discussions.")
    assert steps[0].text == "Triangulate attendance data with local intelligence and explore vision"


def test_twenty_six_checklist_items(content: Content) -> None:
    items = content.items("six_steps", kind="checklist_item")
    assert len(items) == 26
    assert [i.number for i in items] == CHECKLIST_IDS
    assert ids(items) == [f"six_steps.{n}" for n in CHECKLIST_IDS]
    for step, count in STEP_COUNTS.items():
        assert len(content.children(f"six_steps.{step}", "checklist_item")) == count


def test_step_resources(content: Content) -> None:
    assert "Lost in Translation resources" in content.item("six_steps.1").resources
    assert "YouthLink Scotland Youth Work Outcomes & Skills Framework" in content.item(
        "six_steps.3").resources
    assert len(content.item("six_steps.4").resources) == 2
    assert content.item("six_steps.2").resources == ()


CHECKLIST_RESOURCES = {
    "1.1": (), "1.2": ("Community Partnership Mapping Tool",), "1.3": (),
    "1.4": ("local authority attendance policy",),
    "1.5": ("Forth Valley and West Lothian self-evaluation toolkit",), "1.6": (),
    "2.1": ("UNCRC", "The Lundy Model of Participation"),
    "2.2": ("Forth Valley & West Lothian school refusal assessment scale",),
    "2.3": (), "2.4": (),
    "3.1": ("Pupil Equity Funding", "SAC resources", "School Improvement Plan"),
    "3.2": ("local authority procurement procedures", "service level agreements"),
    "3.3": (),
    "4.1": ("Community Partnership Mapping Tool",), "4.2": (), "4.3": (), "4.4": (),
    "5.1": (), "5.2": (), "5.3": (), "5.4": (), "5.5": (),
    "6.1": (),
    "6.2": ("local authority stretch aims", "Standards and Quality Report", "SAC evaluations"),
    "6.3": ("Attainment Advisor",), "6.4": (),
}


@pytest.mark.parametrize(("number", "resources"), CHECKLIST_RESOURCES.items())
def test_checklist_item_resources(content: Content, number: str, resources: tuple) -> None:
    assert content.item(f"six_steps.{number}").resources == resources


def test_six_steps_refs(content: Content) -> None:
    assert content.item("six_steps.1.2").refs == ("mapping_tool",)
    assert content.item("six_steps.4.1").refs == ("mapping_tool",)
    intro = content.item("six_steps.intro")
    assert intro.kind == "purpose"
    assert set(intro.refs) == {"mapping_tool", "principles"}
    others = [i for i in content.items("six_steps", kind="checklist_item")
              if i.number not in ("1.2", "4.1")]
    assert all(i.refs == () for i in others)


# --- principles -------------------------------------------------------------------------

GROUPS = {
    "principles.understanding_barriers": ("Understanding barriers", 7),
    "principles.practitioner_qualities": ("Practitioner qualities", 7),
    "principles.communication": ("Communication", 6),
    "principles.approaches": ("Approaches that work", 9),
    "principles.what_does_not_work": ("What does not work", 6),
    "principles.partnership_parity": ("Partnership parity", 7),
}


def test_principle_groups(content: Content) -> None:
    groups = content.items("principles", kind="principle_group")
    assert ids(groups) == list(GROUPS)
    for group in groups:
        title, count = GROUPS[group.id]
        assert group.title == title
        children = content.children(group.id, "principle")
        assert ids(children) == [f"{group.id}.{n}" for n in range(1, count + 1)]
    assert len(content.items("principles", kind="principle")) == 42


def test_principles_have_no_list_punctuation(content: Content) -> None:
    for principle in content.items("principles", kind="principle"):
        assert not principle.text.endswith((";", " and")), principle.id


def test_barriers(content: Content) -> None:
    barrier_list = content.item("principles.barriers")
    assert barrier_list.kind == "barrier_list"
    assert barrier_list.text.startswith("Consider specifically")
    barriers = content.children("principles.barriers", "barrier")
    names = ["poverty", "family_dynamics", "mental_health", "equalities", "relationships",
             "trauma", "neurodiversity"]
    assert ids(barriers) == [f"principles.barrier.{n}" for n in names]
    assert [b.text for b in barriers] == [n.replace("_", " ") for n in names]


def test_principles_order(content: Content) -> None:
    order = content.item("principles.order")
    assert order.kind == "purpose"
    assert order.refs == ("mapping_tool", "six_steps")


# --- reflection -------------------------------------------------------------------------

SUB_QUESTION_COUNTS = {1: 3, 2: 2, 3: 4, 4: 4}


def test_reflection_questions(content: Content) -> None:
    assert content.item("reflection.context").kind == "purpose"
    questions = content.items("reflection", kind="question")
    assert ids(questions) == [f"reflection.{n}" for n in range(1, 5)]
    assert [q.number for q in questions] == ["1", "2", "3", "4"]
    for n, count in SUB_QUESTION_COUNTS.items():
        subs = content.children(f"reflection.{n}", "sub_question")
        assert ids(subs) == [f"reflection.{n}.{chr(97 + i)}" for i in range(count)]
        assert all(s.text.endswith("?") and s.text.count("?") == 1 for s in subs)
    assert content.item("reflection.2.a").text == (
        "Which transitions are strongest, and where do weaknesses lie?")


def test_reflection_video_resources(content: Content) -> None:
    resources = content.items("reflection", kind="resource")
    assert ids(resources) == [f"reflection.resource.{n}" for n in range(1, 9)]
    assert all(r.resources and r.resources[0].startswith("http") for r in resources)


# --- module 6 ---------------------------------------------------------------------------

def test_module6_sections(content: Content) -> None:
    sections = content.items("module6", kind="section")
    assert [(s.id, s.number, s.title) for s in sections] == [
        ("module6.6_1", "6.1", "Effective communication"),
        ("module6.6_2", "6.2", "Partnership with parents"),
        ("module6.6_3", "6.3", "Partner services and agencies"),
        ("module6.6_4", "6.4", "Effective collaboration"),
    ]
    assert all(s.summary for s in sections)
    assert content.parent_of("module6.aspire").id == "module6.6_1"
    assert content.parent_of("module6.strategies").id == "module6.6_2"
    assert content.parent_of("module6.services").id == "module6.6_3"
    assert content.parent_of("module6.activity16").id == "module6.6_4"


def test_aspire_stages(content: Content) -> None:
    stages = content.children("module6.aspire", "aspire_stage")
    assert [s.number for s in stages] == list("ASPIRE")
    assert ids(stages) == [f"module6.aspire.{n}" for n in (
        "assessment", "support", "planning", "implementation", "review", "evaluation")]
    assert stages[0].text == "Assessment/identification of needs"
    assert stages[1].text == "Support required (to support barriers)"


@pytest.mark.parametrize(("area", "count"), [
    ("module6.universal.physical_environment", 6),
    ("module6.universal.curriculum", 6),
    ("module6.universal.planning", 1),
    ("module6.targeted.physical_environment", 2),
    ("module6.targeted.curriculum", 3),
])
def test_support_examples(content: Content, area: str, count: int) -> None:
    assert content.item(area).kind == "support_area"
    assert len(content.children(area, "support_example")) == count


def test_support_levels(content: Content) -> None:
    for level in ("module6.universal", "module6.targeted"):
        assert content.item(level).kind == "support_level"
        assert content.item(level).summary


def test_parents(content: Content) -> None:
    assert len(content.children("module6.parent_barriers", "parent_barrier")) == 4
    assert len(content.children("module6.parent_contributions", "parent_contribution")) == 3
    assert len(content.children("module6.strategies", "parent_strategy")) == 7
    task = content.item("module6.task_6_2")
    assert task.kind == "reflective_task"
    assert task.title == "Reflective Task 6.2: Collaborative partnerships"
    assert task.text == "What, in your experience, helps communication with parents?"
    postcards = content.children("module6.postcards", "postcard")
    assert [(p.id, p.text) for p in postcards] == [
        ("module6.postcard.try_at_home", "Something to try at home"),
        ("module6.postcard.tried_at_home", "Something we tried at home"),
    ]
    assert content.item("module6.postcards").summary


def test_partner_services(content: Content) -> None:
    services = content.children("module6.services", "partner_service")
    assert len(services) == 12
    assert [s.title for s in services].count("Specialist") == 4
    assert all(s.title is None for s in services[:8])


def test_request_for_assistance(content: Content) -> None:
    procedure = content.item("module6.request_for_assistance")
    assert procedure.kind == "procedure"
    steps = content.children(procedure.id, "request_step")
    assert len(steps) == 6
    assert steps[3].id == "module6.request_for_assistance.agreement"
    assert "unless it is a child protection concern" in steps[3].text
    assert [s.number for s in steps] == [str(n) for n in range(1, 7)]


def test_activity16(content: Content) -> None:
    activity = content.item("module6.activity16")
    assert activity.kind == "multiple_select"
    assert activity.title == "Activity 16: Effective collaboration"
    statements = content.children(activity.id, "statement")
    assert ids(statements) == [f"module6.activity16.{c}" for c in "abcdefgh"]
    assert [s.number for s in statements] == list("abcdefgh")
    assert {s.number for s in statements if s.correct is True} == set("abcdf")
    assert {s.number for s in statements if s.correct is False} == set("egh")


def test_reflective_tasks(content: Content) -> None:
    task = content.item("module6.task_effective_collaboration")
    assert task.kind == "reflective_task"
    assert task.text.startswith("In your Reflective Log consider 2-3 of the questions below")
    assert len(content.children(task.id, "prompt")) == 5
    optional = content.item("module6.task_optional_effective_collaboration")
    assert optional.kind == "reflective_task"
    assert len(content.children(optional.id, "prompt")) == 2
    activity17 = content.item("module6.activity17")
    assert activity17.kind == "reflective_task"
    assert activity17.title == (
        "Activity 17: Your knowledge and understanding of inclusion within the classroom")
    assert len(content.children(activity17.id, "prompt")) == 3


def test_self_rating(content: Content) -> None:
    scale = content.item("module6.self_rating")
    assert scale.kind == "rating_scale"
    assert scale.text == "Rate your knowledge and understanding of inclusion within the classroom"
    points = content.children(scale.id, "rating_point")
    assert ids(points) == [f"module6.self_rating.{n}" for n in range(1, 6)]
    assert [p.value for p in points] == [1, 2, 3, 4, 5]
    assert points[0].text == "1 – poor"
    assert points[-1].text == "5 – very knowledgeable"


def test_quiz_rules(content: Content) -> None:
    assert content.item("module6.quiz_rules").kind == "quiz_rules"
    values = {r.id: r.value for r in content.children("module6.quiz_rules", "rule")}
    assert values == {
        "module6.quiz_rules.pass_mark": 0.8,
        "module6.quiz_rules.max_failed_attempts": 3,
        "module6.quiz_rules.lockout_hours": 24,
    }
    assert content.item("module6.feedback_survey").kind == "survey"


# ---------------------------------------------------------------------------------------
# Fidelity: published wording is kept, narrative is not copied
# ---------------------------------------------------------------------------------------

def test_every_checklist_item_is_verbatim(content: Content) -> None:
    seed = seed_text("six_steps")
    published = {m[1]: norm(m[2]) for m in re.finditer(r"^(\d\.\d) (.+)$", seed, re.M)}
    assert list(published) == CHECKLIST_IDS
    for item in content.items("six_steps", kind="checklist_item"):
        assert item.text == published[item.number], item.id


def test_every_step_title_is_published(content: Content) -> None:
    seed = norm(seed_text("six_steps"))
    for step in content.items("six_steps", kind="step"):
        assert step.text in seed, step.id


def published_bullets(seed: str) -> list[str]:
    bullets = [line[2:].strip() for line in seed.splitlines() if line.startswith("- ")]
    return [re.sub(r";( and)?$", "", b) for b in bullets]


def test_every_principle_is_verbatim_and_in_order(content: Content) -> None:
    bullets = published_bullets(seed_text("principles"))
    assert [p.text for p in content.items("principles", kind="principle")] == bullets


def test_barrier_line_and_barriers_are_published(content: Content) -> None:
    seed = seed_text("principles")
    line = content.item("principles.barriers").text
    assert line in published_bullets(seed)
    for barrier in content.children("principles.barriers"):
        assert barrier.text in line


def test_every_mapping_tool_question_is_verbatim(content: Content) -> None:
    bullets = published_bullets(seed_text("mapping_tool"))
    questions = content.items("mapping_tool", kind="reflective_question")
    assert [q.text for q in questions] == bullets


def test_mapping_tool_lists_are_published(content: Content) -> None:
    seed = norm(seed_text("mapping_tool"))
    for kind in ("characteristic", "policy"):
        for item in content.items("mapping_tool", kind=kind):
            assert item.text in seed, item.id
    for layer in content.items("mapping_tool", kind="layer"):
        assert layer.title in seed
        for example in layer.examples:
            assert example in seed, (layer.id, example)


def test_every_reflection_question_is_verbatim(content: Content) -> None:
    seed = seed_text("reflection")
    published = {m[1]: [norm(q) for q in re.findall(r"[^?]+\?", m[2])]
                 for m in re.finditer(r"^(\d)\. (.+)$", seed, re.M)}
    assert list(published) == ["1", "2", "3", "4"]
    for question in content.items("reflection", kind="question"):
        lead, *subs = published[question.number]
        assert question.text == lead
        assert [s.text for s in question.children] == subs


def test_reflection_resources_are_published(content: Content) -> None:
    seed = seed_text("reflection")
    for resource in content.items("reflection", kind="resource"):
        assert resource.text in seed
        assert all(url in seed for url in resource.resources)


VERBATIM_KINDS = ("aspire_stage", "support_example", "parent_barrier", "parent_contribution",
                  "reflective_task", "parent_strategy", "postcard", "partner_service",
                  "statement", "prompt", "request_step")


def test_module6_lists_and_statements_are_verbatim(content: Content) -> None:
    seed = norm(seed_text("module6"))
    checked = 0
    for kind in VERBATIM_KINDS:
        for item in content.items("module6", kind=kind):
            if item.id == "module6.activity17":
                continue  # its lead-in is paraphrased; its prompts are checked
            assert norm(item.text) in seed, item.id
            checked += 1
    assert checked >= 70


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def ngrams(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


PARAPHRASED_TEXT = {"six_steps.intro", "principles.order", "reflection.context",
                    "module6.quiz_rules", "module6.feedback_survey", "module6.activity14",
                    "module6.activity15", "module6.activity17"}


@pytest.mark.parametrize("framework_id", list(SEED_FILES))
def test_narrative_is_paraphrased_not_copied(content: Content, framework_id: str) -> None:
    seed_grams = ngrams(words(seed_text(framework_id)), 8)
    framework = content.frameworks[framework_id]
    paraphrases = {f"{framework_id} (framework)": framework.summary}
    for item in framework.walk():
        if item.summary:
            paraphrases[f"{item.id} summary"] = item.summary
        if item.id in PARAPHRASED_TEXT:
            paraphrases[f"{item.id} text"] = item.text
    for where, text in paraphrases.items():
        copied = ngrams(words(text), 8) & seed_grams
        assert not copied, f"{where} copies the seed: {' '.join(sorted(copied)[0])!r}"


# ---------------------------------------------------------------------------------------
# Loader validation
# ---------------------------------------------------------------------------------------

def minimal(framework_id: str = "demo") -> dict:
    return {
        "id": framework_id,
        "title": "Demo framework",
        "summary": "A framework used only in tests.",
        "source": {"file": "demo.txt", "title": "Demo", "publisher": "Nobody"},
        "items": [
            {"id": f"{framework_id}.1", "kind": "step", "text": "First",
             "children": [{"id": f"{framework_id}.1.1", "kind": "checklist_item",
                           "text": "Do a thing"}]},
            {"id": f"{framework_id}.2", "kind": "step", "text": "Second"},
        ],
    }


def write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False),
                    encoding="utf-8")
    return path


def test_minimal_folder_loads(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", minimal())
    loaded = load_content(tmp_path)
    assert [c.id for c in loaded.children("demo.1")] == ["demo.1.1"]
    assert loaded.parent_of("demo.1.1").id == "demo.1"
    assert loaded.parent_of("demo.1") is None


def test_duplicate_item_id(tmp_path: Path) -> None:
    data = minimal()
    data["items"][1]["id"] = "demo.1.1"
    write(tmp_path, "demo.yaml", data)
    with pytest.raises(ContentError, match=r"duplicate item id 'demo\.1\.1'") as info:
        load_content(tmp_path)
    assert info.value.value == "demo.1.1"


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", minimal("demo"))
    other = minimal("other")
    other["items"][0]["children"][0]["id"] = "other.1.1"
    write(tmp_path, "b.yaml", other)
    load_content(tmp_path)  # distinct ids load
    write(tmp_path, "c.yaml", minimal("demo"))
    with pytest.raises(ContentError, match="'demo'"):
        load_content(tmp_path)


@pytest.mark.parametrize("blank", ["", "   ", "\n"])
def test_empty_text(tmp_path: Path, blank: str) -> None:
    data = minimal()
    data["items"][0]["children"][0]["text"] = blank
    path = write(tmp_path, "demo.yaml", data)
    with pytest.raises(ContentError) as info:
        load_content(tmp_path)
    message = str(info.value)
    assert "demo.1.1" in message and "text" in message and repr(blank) in message
    assert str(path) in message
    assert info.value.value == blank


def test_empty_framework_title(tmp_path: Path) -> None:
    data = minimal()
    data["title"] = " "
    write(tmp_path, "demo.yaml", data)
    with pytest.raises(ContentError, match="title"):
        load_content(tmp_path)


def test_bad_ref(tmp_path: Path) -> None:
    data = minimal()
    data["items"][1]["refs"] = ["demo.9"]
    write(tmp_path, "demo.yaml", data)
    with pytest.raises(ContentError, match=r"'demo\.9'") as info:
        load_content(tmp_path)
    assert info.value.value == "demo.9"
    assert "demo.2" in str(info.value)


def test_ref_to_framework_id_is_allowed(tmp_path: Path) -> None:
    data = minimal()
    data["items"][1]["refs"] = ["demo", "demo.1.1"]
    write(tmp_path, "demo.yaml", data)
    assert load_content(tmp_path).item("demo.2").refs == ("demo", "demo.1.1")


def test_id_without_framework_prefix(tmp_path: Path) -> None:
    data = minimal()
    data["items"][1]["id"] = "step2"
    write(tmp_path, "demo.yaml", data)
    with pytest.raises(ContentError, match=r"'step2'.*'demo\.'") as info:
        load_content(tmp_path)
    assert info.value.value == "step2"


def test_invalid_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", "id: demo\nitems: [unclosed\n")
    with pytest.raises(ContentError, match="not valid YAML") as info:
        load_content(tmp_path)
    assert str(path) in str(info.value)
    assert "line" in str(info.value)


def test_non_mapping_file(tmp_path: Path) -> None:
    path = write(tmp_path, "list.yaml", "- just\n- a list\n")
    with pytest.raises(ContentError, match="holds a list, not a mapping") as info:
        load_content(tmp_path)
    assert str(path) in str(info.value)
    assert info.value.value == "list"


def test_unknown_field(tmp_path: Path) -> None:
    data = minimal()
    data["items"][0]["colour"] = "blue"
    write(tmp_path, "demo.yaml", data)
    with pytest.raises(ContentError, match="colour") as info:
        load_content(tmp_path)
    assert "'blue'" in str(info.value)


def test_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a framework", encoding="utf-8")
    with pytest.raises(ContentError, match="no framework files") as info:
        load_content(tmp_path)
    assert str(tmp_path) in str(info.value)
    assert info.value.value == str(tmp_path)


def test_content_error_is_a_partnerkit_error() -> None:
    assert issubclass(ContentError, PartnerkitError)


# ---------------------------------------------------------------------------------------
# Hypothesis: parse_framework never lets another exception escape
# ---------------------------------------------------------------------------------------

json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)

def mostly(good: st.SearchStrategy, bad: st.SearchStrategy) -> st.SearchStrategy:
    """Usually a well-formed value, sometimes a broken one, so both outcomes are explored."""
    return st.sampled_from([True] * 9 + [False]).flatmap(lambda ok: good if ok else bad)


id_text = mostly(st.sampled_from(["f.1", "f.2", "f.3", "f.1.1", "f.2.1"]),
                 st.sampled_from(["f", "g.1", "", " ", "f."]) | st.text(max_size=6))
kind_text = mostly(st.sampled_from(["step", "principle", "question"]),
                   st.sampled_from(["", "  "]) | json_like)
body_text = mostly(st.sampled_from(["Text", "A published sentence.", "Why?"]),
                   st.sampled_from(["", " ", "\n"]) | json_like)

item_fields = {
    "number": mostly(st.sampled_from(["1", "1.1", "a"]), json_like),
    "title": mostly(st.just("Title"), json_like),
    "refs": mostly(st.lists(id_text, max_size=2), json_like),
    "resources": mostly(st.lists(st.sampled_from(["UNCRC", "SIMD"]), max_size=2),
                        st.lists(st.text(max_size=3), max_size=2) | json_like),
    "correct": mostly(st.booleans(), json_like),
    "value": mostly(st.floats(allow_nan=False) | st.integers(), json_like),
}

item_like = st.recursive(
    st.fixed_dictionaries({"id": id_text, "kind": kind_text, "text": body_text},
                          optional=item_fields),
    lambda inner: st.fixed_dictionaries(
        {"id": id_text, "kind": kind_text, "text": body_text},
        optional={"children": mostly(st.lists(inner, max_size=3), json_like),
                  "unknown_field": json_like},
    ),
    max_leaves=8,
)

framework_like = st.fixed_dictionaries(
    {"id": mostly(st.just("f"), st.sampled_from(["", "g"]) | json_like),
     "title": mostly(st.just("Title"), st.sampled_from(["", " "]) | json_like),
     "summary": mostly(st.just("Summary"), json_like),
     "source": mostly(st.fixed_dictionaries({"file": st.just("s.txt"), "title": st.just("S"),
                                             "publisher": st.just("P")}), json_like),
     "items": mostly(st.lists(item_like, min_size=1, max_size=4), json_like)},
    optional={"extra": json_like},
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(json_like, framework_like))
def test_parse_framework_returns_framework_or_raises_content_error(data: object) -> None:
    try:
        framework = parse_framework(data, "generated.yaml")
    except ContentError as exc:
        assert str(exc).startswith("generated.yaml")
        return
    assert isinstance(framework, Framework)
    try:
        Content([framework])
    except ContentError as exc:
        assert exc.value is not None and repr(exc.value) in str(exc)


def test_deeply_nested_data_raises_content_error() -> None:
    item: dict = {"id": "f.0", "kind": "k", "text": "t"}
    data = minimal("f")
    data["items"] = [item]
    for depth in range(1, 3000):
        child = {"id": f"f.{depth}", "kind": "k", "text": "t"}
        item["children"] = [child]
        item = child
    with pytest.raises(ContentError, match="deep.yaml"):
        parse_framework(data, "deep.yaml")
