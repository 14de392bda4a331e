"""The retention schedule: Scottish defaults, a workspace's own file checked, what is due, apply."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerkit.data_protection import due
from partnerkit.data_protection.holds import set_hold
from partnerkit.data_protection.leaving import mark_left
from partnerkit.errors import RecordValidationError, RetentionScheduleError
from partnerkit.records.retention import (
    CHILD_PROTECTION_YEARS,
    DEFAULT_YEARS,
    load_schedule,
    parse_schedule,
)
from tests.data_protection.conftest import OTHER, PUPIL, REAL_NAME, WORKSPACE, as_account


def _schedule(data, text):
    (data / WORKSPACE / "retention.toml").write_text(text)


def test_the_defaults_keep_a_pupil_record_5_years_and_child_protection_much_longer(data):
    schedule = load_schedule(data, "nowhere")
    assert schedule.years_for("pupil_profile") == 5 and schedule.source == "Scottish defaults"
    assert schedule.years_for("child_protection") == CHILD_PROTECTION_YEARS > 5


def test_a_workspace_file_changes_the_periods_it_names(school, data):
    _schedule(data, "[years]\npostcard = 1\nchild_protection = 40\n")
    schedule = load_schedule(data, WORKSPACE)
    assert schedule.years_for("postcard") == 1 and schedule.years_for("child_protection") == 40
    assert schedule.years_for("connection") == DEFAULT_YEARS["connection"]
    assert "changed by" in schedule.source


@pytest.mark.parametrize(("text", "message"), [
    ("[years]\nhomework = 3\n", "'homework' is not a kind of pupil record; "
                                "use one of: pupil_profile, connection"),
    ("[years]\npostcard = -2\n", "kind 'postcard': -2 is a negative period; give 0 or more"),
    ("[years]\npostcard = 2.5\n", "kind 'postcard': 2.5 is not a whole number of years"),
    ("[years]\npostcard = \"five\"\n", "'five' is not a whole number of years"),
    ("[years\n", "is not a TOML file"),
])
def test_a_bad_schedule_gets_a_clear_message_naming_the_file(school, data, text, message):
    _schedule(data, text)
    with pytest.raises(RetentionScheduleError) as caught:
        load_schedule(data, WORKSPACE)
    assert message in str(caught.value)
    assert str(data / WORKSPACE / "retention.toml") in str(caught.value)


def test_nothing_is_due_for_pupils_who_have_not_left(dpo, data):
    assert "Nothing is due for erasure." in due.report(dpo, WORKSPACE, data)


def test_a_pupil_who_left_6_years_ago_is_due_except_child_protection(dpo, data):
    mark_left(as_account(dpo.store, "lead"), WORKSPACE, PUPIL, "2020-06-26")
    _, items, whole = due.due(dpo, WORKSPACE, data)
    kinds = {i.schedule_kind for i in items}
    assert "child_protection" not in kinds and {"pupil_profile", "pupil_name"} <= kinds
    assert whole == set()
    text = due.report(dpo, WORKSPACE, data)
    assert ("P-1001: pupil profile P-1001: due; pupil profile is kept 5 years after leaving, "
            "left 2020-06-26, due 2025-06-26") in text


def test_apply_is_a_dry_run_unless_asked_then_erases_what_is_due_and_audits(dpo, data):
    mark_left(dpo, WORKSPACE, PUPIL, dt.date(2020, 6, 26))
    dry = due.apply(dpo, WORKSPACE, data)
    assert dry.endswith("Dry run: nothing was erased. Run again with --apply to erase it.")
    assert dpo.store.get(WORKSPACE, "pupil_profile", PUPIL) is not None
    done = due.apply(dpo, WORKSPACE, data, really=True)
    assert "Erased 6 records of pupil P-1001" in done
    assert dpo.store.get(WORKSPACE, "pupil_profile", PUPIL) is None
    assert dpo.store.real_name(WORKSPACE, PUPIL) is None
    kept = dpo.store.get(WORKSPACE, "request_for_assistance", f"{PUPIL}/r1")
    assert kept is not None and kept.data["child_protection"]  # 25 years
    [entry] = dpo.store.audit_entries(workspace=WORKSPACE, action="retention")
    assert entry.key == PUPIL and "pupil_profile kept 5 years after leaving" in entry.detail


def test_when_everything_is_due_the_whole_pupil_goes_with_files(dpo, data):
    _schedule(data, "[years]\nchild_protection = 5\n")
    mark_left(dpo, WORKSPACE, PUPIL, "2020-06-26")
    done = due.apply(dpo, WORKSPACE, data, really=True)
    assert "Erased pupil P-1001:" in done and "1 report files, 6 attendance rows" in done
    assert not (data / "reports" / f"map-summary-{PUPIL}.html").exists()
    assert REAL_NAME.encode() not in dpo.store.path.read_bytes()
    assert dpo.store.get(WORKSPACE, "pupil_profile", OTHER) is not None


def test_a_held_pupil_is_listed_as_held_and_kept(dpo, data):
    mark_left(dpo, WORKSPACE, PUPIL, "2020-06-26")
    set_hold(dpo, WORKSPACE, PUPIL, "insurance claim")
    assert "HELD (legal hold): kept" in due.report(dpo, WORKSPACE, data)
    due.apply(dpo, WORKSPACE, data, really=True)
    assert dpo.store.get(WORKSPACE, "pupil_profile", PUPIL) is not None


def test_a_bad_leaving_date_gets_a_clear_message(dpo):
    with pytest.raises(RecordValidationError, match="'2020-13-01' is not a date"):
        mark_left(dpo, WORKSPACE, PUPIL, "2020-13-01")


def test_the_cli_reports_and_applies(school, data, capsys):
    from partnerkit.cli import main

    school.close()
    common = ["--workspace", WORKSPACE, "--data", str(data), "--as", "dpo"]
    assert main(["pupil", "left", PUPIL, *common, "--date", "2019-06-28"]) == 0
    assert main(["retention", "report", *common]) == 0
    assert "due 2024-06-28" in capsys.readouterr().out
    assert main(["retention", "apply", *common, "--apply"]) == 0
    assert "Erased 6 records of pupil P-1001" in capsys.readouterr().out
    _schedule(data, "[years]\npupil_profile = -1\n")
    assert main(["retention", "report", *common]) == 2
    assert "-1 is a negative period" in capsys.readouterr().err


KINDS = st.sampled_from(sorted(DEFAULT_YEARS))


@given(st.dictionaries(KINDS, st.integers(min_value=0, max_value=200)))
def test_any_known_kinds_with_whole_non_negative_years_are_read_as_written(years):
    text = "[years]\n" + "".join(f"{kind} = {n}\n" for kind, n in years.items())
    assert parse_schedule(text, "test.toml") == years


@given(KINDS, st.integers(max_value=-1))
def test_every_negative_period_is_refused_naming_the_kind(kind, years):
    with pytest.raises(RetentionScheduleError, match=f"kind '{kind}': {years} is a negative"):
        parse_schedule(f"[years]\n{kind} = {years}\n", "test.toml")
