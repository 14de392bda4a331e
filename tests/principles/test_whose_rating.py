"""Whose rating a principles page is: the school, or the partner organisation signed in.

A partner can never rate as the school: the permission check refuses it and the page
never offers it. School staff rate as the school; a trainer sees the ratings but does
not rate. The comparison of school and partners uses whose rating each one was.
"""

from __future__ import annotations

import pytest

from partnerkit import access, principles
from partnerkit.access import Account, GuardedStore, Membership, local_account
from partnerkit.errors import AccessDeniedError, PartnerkitError
from partnerkit.principles import views
from partnerkit.session import Session
from partnerkit.store import Store
from tests.principles.helpers import P1

YOUTH = "Eastfield Youth Project"


def _account(username: str, role: str, organisation: str | None = None) -> Account:
    return Account(username, username.title(), (Membership("school", role, organisation),))


LEE = _account("lee", access.SCHOOL_LEAD)
ANN = _account("ann", access.PRACTITIONER)
YAZ = _account("yaz", access.PRACTITIONER, YOUTH)
TOM = _account("tom", access.TRAINER)


def _session(store: Store, account: Account, tmp_path) -> Session:
    return Session(store=GuardedStore(store, account), workspace="school",
                   author=account.username, data_dir=tmp_path, account=account)


@pytest.mark.parametrize(("account", "rater"), [(LEE, "school"), (ANN, "school"),
                                                (YAZ, YOUTH), (TOM, "school")])
def test_the_signed_in_account_says_whose_rating_it_is(store, tmp_path, account, rater):
    assert principles.whose_rating(_session(store, account, tmp_path), None) == rater


def test_a_partner_naming_itself_in_any_spelling_gets_its_own_name(store, tmp_path):
    assert principles.whose_rating(_session(store, YAZ, tmp_path), "eastfield  youth project") \
        == YOUTH


@pytest.mark.parametrize(("account", "asked", "says"), [
    (YAZ, "school", f"you may rate the principles only as {YOUTH}, not as 'school'"),
    (LEE, YOUTH, f"you may rate the principles only as school, not as '{YOUTH}'"),
    (TOM, YOUTH, "as trainer you may see the principles ratings but not rate them")])
def test_naming_a_rater_the_account_may_not_rate_as_is_refused_and_audited(
        store, tmp_path, account, asked, says):
    with pytest.raises(AccessDeniedError) as refused:
        principles.whose_rating(_session(store, account, tmp_path), asked)
    assert says in str(refused.value)
    entry = store.audit_entries(account=account.username)[0]  # newest first
    assert (entry.action, entry.allowed, entry.kind) == ("write-refused", False,
                                                         "principle_rating")


def test_without_an_account_or_for_the_local_user_the_parameter_stands(store, tmp_path,
                                                                      session_for):
    assert principles.whose_rating(session_for(), None) == "school"
    assert principles.whose_rating(session_for(), YOUTH) == YOUTH
    me = local_account("me")
    assert principles.whose_rating(_session(store, me, tmp_path), YOUTH) == YOUTH
    with pytest.raises(PartnerkitError, match='use rater="school"'):
        principles.whose_rating(session_for(), "  ")


def _raters_offered(forms) -> set[str]:
    return {form.fixed["rater"] for panel in forms.accordion.children
            for form in panel.children[1:] if hasattr(form, "fixed")}


def test_a_partners_page_offers_only_their_organisation(store, tmp_path):
    forms = views.rating_forms(_session(store, YAZ, tmp_path), YOUTH)
    assert forms.choice is None and _raters_offered(forms) == {YOUTH}
    assert f"You are rating as {YOUTH}" in forms.children[0].value
    forms.accordion.children[0].children[2].editors["rating"].input.value = 2
    saved = store.get("school", "principle_rating", f"eastfield youth project/{P1}")
    assert (saved.data["rater"], saved.author) == (YOUTH, "yaz")
    # asked for the school's forms (a forged call), the page still offers only its own
    assert _raters_offered(views.rating_forms(_session(store, YAZ, tmp_path), "school")) \
        == {YOUTH}


def test_school_staff_rate_as_the_school_and_a_trainer_is_told_they_do_not_rate(store,
                                                                               tmp_path):
    forms = views.rating_forms(_session(store, ANN, tmp_path), "school")
    assert _raters_offered(forms) == {"school"}
    assert "You are rating as the school." in forms.children[0].value
    told = views.rating_forms(_session(store, TOM, tmp_path), "school")
    assert "As trainer you can see the ratings below but not rate" in told.value
    assert not hasattr(told, "accordion")


def test_the_comparison_sets_each_accounts_rating_on_its_own_side(store, tmp_path):
    for account, rating in ((ANN, 4), (YAZ, 2)):
        session = _session(store, account, tmp_path)
        forms = views.rating_forms(session, principles.whose_rating(session, None))
        forms.accordion.children[0].children[2].editors["rating"].input.value = rating
    compared = principles.compare_ratings(GuardedStore(store, LEE), "school")
    row = compared.set_index("principle").loc[P1]
    assert (row["school"], row["partners"], row["partner_count"], row["gap"]) == (4, 2, 1, 2)
    assert principles.raters(store, "school") == ["school", YOUTH]
