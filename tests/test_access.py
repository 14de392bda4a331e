"""The one permission check: who may read or write what, through the guarded store."""

from __future__ import annotations

import pytest

from partnerkit import access
from partnerkit.access import READ, WRITE, Account, GuardedStore, Membership, decide
from partnerkit.errors import AccessDeniedError
from partnerkit.records import RECORD_TYPES
from partnerkit.store import Store


def _account(username: str, role: str, workspace: str = "school",
             organisation: str | None = None) -> Account:
    return Account(username, username.title(), (Membership(workspace, role, organisation),))


ANN = _account("ann", access.PRACTITIONER)
LEE = _account("lee", access.SCHOOL_LEAD)
TOM = _account("tom", access.TRAINER)
DEE = _account("dee", access.DP_LEAD)
ADA = _account("ada", access.ADMIN)
YOUTH = _account("yaz", access.PRACTITIONER, organisation="Northside Youth Work")


def test_every_record_kind_is_covered_by_the_rules():
    shipped = {kind for kind, cls in RECORD_TYPES.items()
               if cls.__module__.startswith("partnerkit.")}
    assert shipped and shipped <= access.KNOWN_KINDS


def test_an_unknown_kind_is_refused_to_everyone_but_the_local_user():
    assert not decide(LEE, READ, "school", "secret_kind", "x")
    assert decide(access.local_account("me"), READ, "school", "secret_kind", "x")


@pytest.mark.parametrize("account", [ANN, LEE, TOM, DEE, ADA])
def test_nobody_reads_a_workspace_they_do_not_belong_to(account):
    decision = decide(account, READ, "other-school", "pupil_profile", "P-1")
    assert not decision and "not a member of workspace 'other-school'" in decision.reason


@pytest.mark.parametrize(("account", "reads", "writes"), [
    (ANN, True, True), (LEE, True, True), (ADA, True, True),
    (TOM, True, False), (DEE, True, False)])
def test_pupil_records_by_role(account, reads, writes):
    assert bool(decide(account, READ, "school", "connection", "P-1/abc")) is reads
    assert bool(decide(account, WRITE, "school", "connection", "P-1/abc")) is writes


@pytest.mark.parametrize(("account", "reads", "writes"), [
    (ANN, True, False), (LEE, True, True), (ADA, True, True), (TOM, True, False),
    (DEE, False, False)])
def test_the_partnership_plan_by_role(account, reads, writes):
    assert bool(decide(account, READ, "school", "plan_vision", "plan")) is reads
    assert bool(decide(account, WRITE, "school", "plan_vision", "plan")) is writes


def test_a_refusal_names_the_partnership_reflection_for_what_it_is_not_a_pupils_record():
    reflection = decide(TOM, WRITE, "school", "answer", "team/reflection.1")
    about_a_pupil = decide(TOM, WRITE, "school", "answer", "P-1001/mapping_tool.question.1")
    assert not reflection and not about_a_pupil
    assert reflection.reason == ("as trainer you may not change the reflection on "
                                 "partnership working")
    assert about_a_pupil.reason == "as trainer you may not change pupils' records"
    assert decide(ANN, WRITE, "school", "answer", "team/reflection.1")


@pytest.mark.parametrize(("account", "reads", "writes"), [
    (ANN, False, False), (YOUTH, False, False), (TOM, False, False), (DEE, True, False),
    (LEE, True, True), (ADA, True, True)])
def test_a_pupils_real_name_is_the_school_leads(account, reads, writes):
    assert bool(decide(account, READ, "school", access.REAL_NAME, "P-1")) is reads
    assert bool(decide(account, WRITE, "school", access.REAL_NAME, "P-1")) is writes
    if not reads:
        assert decide(account, READ, "school", access.REAL_NAME, "P-1").reason.endswith(
            "you may not see pupils' real names")


def test_own_module_work_is_the_owners_alone():
    assert decide(ANN, WRITE, "school", "log_entry", "ann/module6.task_6_2")
    for other in (LEE, ADA, DEE, _account("bob", access.PRACTITIONER)):
        assert not decide(other, READ, "school", "log_entry", "ann/module6.task_6_2")
        assert not decide(other, WRITE, "school", "quiz_attempt", "ann/0001")


def test_a_trainer_sees_progress_and_quiz_results_not_log_text_unless_shared():
    assert decide(TOM, READ, "school", "quiz_attempt", "ann/0001")
    assert decide(TOM, READ, "school", "self_rating", "ann/start")
    assert not decide(TOM, WRITE, "school", "quiz_attempt", "ann/0001")
    hidden = decide(TOM, READ, "school", "log_entry", "ann/t", {"text": "x", "shared": False})
    assert not hidden and "unless its writer shares it" in hidden.reason
    assert decide(TOM, READ, "school", "log_entry", "ann/t", {"text": "x", "shared": True})
    assert not decide(TOM, READ, "school", "quiz_draft", "ann")


def test_only_a_trainer_may_lift_a_quiz_lock():
    assert decide(TOM, WRITE, "school", "quiz_lock_lift", "ann/1")
    assert not decide(ADA, WRITE, "school", "quiz_lock_lift", "ann/1")
    assert not decide(ANN, WRITE, "school", "quiz_lock_lift", "ann/1")
    assert not decide(_account("bob", access.PRACTITIONER), WRITE, "school",
                      "quiz_lock_lift", "ann/1")


def test_partners_rate_as_their_own_organisation_never_as_the_school():
    own = {"rater": "Northside Youth Work", "principle": "p1"}
    school = {"rater": "school", "principle": "p1"}
    assert decide(YOUTH, WRITE, "school", "principle_rating", "northside youth work/p1", own)
    refused = decide(YOUTH, WRITE, "school", "principle_rating", "school/p1", school)
    assert not refused and "only as Northside Youth Work" in refused.reason
    assert decide(ANN, WRITE, "school", "principle_rating", "school/p1", school)
    assert not decide(ANN, WRITE, "school", "principle_rating", "northside youth work/p1", own)
    assert YOUTH.rater("school") == "Northside Youth Work" and LEE.rater("school") == "school"


def test_workbooks_open_by_role():
    assert access.may_open(LEE, "school", "attendance")
    assert not access.may_open(ANN, "school", "attendance")
    assert not access.may_open(DEE, "school", "mapping_tool")
    assert not access.may_open(ANN, "other", "mapping_tool")
    with pytest.raises(AccessDeniedError, match="as practitioner you may not open"):
        access.check_open(ANN, "school", "attendance")


def test_a_refusal_to_open_names_the_workbook_by_its_title_when_given():
    with pytest.raises(AccessDeniedError, match="^workbook 'Attendance data': as practitioner"):
        access.check_open(ANN, "school", "attendance", "Attendance data")
    with pytest.raises(AccessDeniedError, match="^workbook 'attendance': as practitioner"):
        access.check_open(ANN, "school", "attendance")


@pytest.fixture
def guarded_pair(tmp_path):
    store = Store(data=tmp_path)
    store.ensure_workspace("school")
    store.ensure_workspace("other")
    yield store, (lambda account: GuardedStore(store, account))
    store.close()


def test_a_refusal_saves_nothing_and_is_audited(guarded_pair):
    store, guard = guarded_pair
    with pytest.raises(AccessDeniedError) as refused:
        guard(ANN).save("other", "pupil_profile", "P-1", {"pupil": "P-1"}, "ann")
    assert "not a member of workspace 'other'" in str(refused.value)
    assert "ask its school lead or an admin" in str(refused.value)
    assert store.get("other", "pupil_profile", "P-1") is None
    entry = store.audit_entries(account="ann")[0]
    assert (entry.action, entry.allowed, entry.workspace) == ("write-refused", False, "other")


def test_the_author_of_a_guarded_save_is_the_account_whatever_is_passed(guarded_pair):
    store, guard = guarded_pair
    guard(ANN).save("school", "pupil_profile", "P-1", {"pupil": "P-1"}, author="lee")
    assert [c.author for c in store.history("school", "pupil_profile", "P-1")] == ["ann"]


def test_pupil_reads_and_writes_are_audited(guarded_pair):
    store, guard = guarded_pair
    guard(ANN).save("school", "connection", "P-1/a", {"x": 1})
    guard(LEE).list("school", "connection", prefix="P-1/")
    guard(LEE).real_name("school", "P-1")
    actions = [(e.account, e.action, e.kind) for e in store.audit_entries(workspace="school")]
    assert ("ann", "write", "connection") in actions
    assert ("lee", "read", "connection") in actions and ("lee", "read", "pupil_name") in actions


def test_a_list_leaves_out_other_peoples_module_work(guarded_pair):
    store, guard = guarded_pair
    store.save("school", "log_entry", "ann/t1", {"text": "mine", "shared": False}, "ann")
    store.save("school", "log_entry", "bob/t1", {"text": "his", "shared": False}, "bob")
    store.save("school", "log_entry", "bob/t2", {"text": "shared", "shared": True}, "bob")
    assert [r.key for r in guard(ANN).list("school", "log_entry")] == ["ann/t1"]
    assert [r.key for r in guard(TOM).list("school", "log_entry")] == ["bob/t2"]
    with pytest.raises(AccessDeniedError):
        guard(TOM).get("school", "log_entry", "bob/t1")


def test_a_practitioner_cannot_overwrite_a_record_filed_under_someone_else(guarded_pair):
    store, guard = guarded_pair
    store.save("school", "quiz_attempt", "bob/0001", {"score": 0.2}, "bob")
    with pytest.raises(AccessDeniedError):
        guard(ANN).save("school", "quiz_attempt", "bob/0001", {"score": 1.0})
    assert store.get("school", "quiz_attempt", "bob/0001").data == {"score": 0.2}


def test_only_an_admin_creates_a_workspace(guarded_pair):
    store, guard = guarded_pair
    with pytest.raises(AccessDeniedError, match="only an admin may create one"):
        guard(LEE).ensure_workspace("new-school")
    guard(ADA).ensure_workspace("new-school")
    assert "new-school" in store.workspaces()
    assert set(guard(ANN).workspaces()) == {"school"}


def test_a_page_reading_a_pupil_record_again_is_audited_once_its_writes_every_time(
        guarded_pair):
    store, guard = guarded_pair
    lee = guard(LEE)
    for _ in range(3):
        lee.get("school", "pupil_profile", "P-1")
        lee.save("school", "pupil_profile", "P-1", {"pupil": "P-1"})
    other = guard(LEE)  # another page (kernel) of the same person is audited afresh
    other.get("school", "pupil_profile", "P-1")
    actions = [e.action for e in store.audit_entries(account="lee", workspace="school")]
    assert actions.count("read") == 2 and actions.count("write") == 3
