"""A workbook page the account may not open is refused by the server before any kernel."""

from __future__ import annotations

import pytest

from partnerkit.access import Account, Membership, local_account
from partnerkit.serve.workbook_pages import page_refusal

ANN = Account("ann", "Ann", (Membership("demo", "practitioner"),))
LEE = Account("lee", "Lee", (Membership("cohort", "practitioner"),
                             Membership("demo", "school_lead")))
DEE = Account("dee", "Dee", (Membership("demo", "dp_lead"),))


def test_a_workbook_the_account_may_open_is_served():
    assert page_refusal(ANN, "mapping_tool.ipynb", "demo") is None
    assert page_refusal(LEE, "attendance.ipynb", "demo") is None


def test_a_workbook_the_role_may_not_open_is_403_saying_what_and_whom_to_ask():
    refusal = page_refusal(ANN, "attendance.ipynb", "demo")
    assert refusal.status == 403
    assert "as practitioner you may not open this workbook" in refusal.message
    assert "school lead or an admin" in refusal.message


def test_another_workspace_in_the_address_is_403():
    refusal = page_refusal(ANN, "mapping_tool.ipynb", "cohort")
    assert refusal.status == 403 and "not a member of workspace 'cohort'" in refusal.message


def test_without_a_workspace_the_account_must_open_it_in_one_of_its_own():
    assert page_refusal(LEE, "attendance.ipynb", None) is None
    assert page_refusal(ANN, "attendance.ipynb", None).status == 403
    assert page_refusal(DEE, "mapping_tool.ipynb", None).status == 403


@pytest.mark.parametrize("path", ["no_such_workbook.ipynb", "../mapping_tool.ipynb",
                                  "sub/mapping_tool.ipynb", "mapping_tool", ""])
def test_an_address_that_is_no_catalog_workbook_is_404(path):
    refusal = page_refusal(ANN, path, "demo")
    assert refusal.status == 404 and "no workbook at this address" in refusal.message


def test_without_sign_in_the_one_person_opens_everything():
    assert page_refusal(local_account("kim"), "attendance.ipynb", "anything") is None


def test_the_refusal_page_renders_with_and_without_a_limit_title():
    from partnerkit.serve.pages import render_page

    refused = render_page("signin_refused.html.j2", message="ask your school lead",
                          status=403, base_url="/")
    assert "You cannot open this workbook" in refused and "pk-reload" not in refused
    full = render_page("signin_refused.html.j2", message="close a tab", status=429,
                       base_url="/", title="This page cannot open just now")
    assert "This page cannot open just now" in full and "pk-reload" in full
