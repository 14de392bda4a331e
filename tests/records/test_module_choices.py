"""The module's choice lists: declared in code, equal to the content; import reads no YAML."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import typing

import pytest

from partnerkit.content import load_content
from partnerkit.records import module_choices as mc
from partnerkit.records.module import (
    LOG_TASKS,
    PARTNER_SERVICES,
    SUPPORT_EXAMPLES,
    Activity16Answer,
    ParentPartnership,
    Postcard,
)


@pytest.mark.parametrize("choices", mc.CONTENT_CHOICES, ids=repr)
def test_every_declared_list_is_what_the_content_gives(choices):
    labels = choices.labels()
    assert list(labels) == list(choices) and all(labels.values())


def test_log_tasks_are_the_prompts_of_the_module_s_tasks():
    assert list(LOG_TASKS) == list(mc.log_task_labels())
    assert "module6.activity17.1" not in LOG_TASKS  # answered by the self-rating
    assert LOG_TASKS["module6.activity17.2"].endswith(": 2")


def test_support_examples_and_services_carry_the_published_wording():
    content = load_content()
    example = "module6.targeted.curriculum.3"
    assert SUPPORT_EXAMPLES[example].endswith(content.item(example).text)
    assert PARTNER_SERVICES["camhs"] == content.item("module6.service.camhs").text
    assert PARTNER_SERVICES["other"] == mc.OTHER_SERVICE_LABEL


def test_parent_barriers_and_strategies_are_numbered_as_in_the_content():
    content = load_content()
    for literal, parent in ((mc.ParentBarrier, "module6.parent_barriers"),
                            (mc.ParentStrategy, "module6.strategies")):
        assert typing.get_args(literal) == tuple(c.number for c in content.children(parent))


def test_record_fields_show_the_labels_from_the_content():
    content = load_content()
    card = Postcard.model_fields["card_type"].json_schema_extra["choices"]
    assert card["try_at_home"] == content.item("module6.postcard.try_at_home").text
    chosen = Activity16Answer.model_fields["chosen"].json_schema_extra["choices"]
    assert chosen["a"] == f"a. {content.item('module6.activity16.a').text}"
    barriers = ParentPartnership.model_fields["barriers"].annotation
    assert typing.get_args(typing.get_args(barriers)[0]) == ("1", "2", "3", "4")


def test_importing_the_records_reads_no_yaml():
    script = textwrap.dedent("""
        import yaml
        def refuse(*args, **kwargs):
            raise AssertionError("YAML read while importing the records")
        yaml.safe_load = yaml.load = refuse
        import partnerkit.records, partnerkit.records.module, partnerkit.records.plan
        from partnerkit import content
        assert content._packaged_content.cache_info().currsize == 0
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.strip() == "ok", result.stderr
