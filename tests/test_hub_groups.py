"""Hub groups as partnerkit roles: parsed, synced into the store at sign-in, audited."""

from __future__ import annotations

import pytest

from partnerkit.accounts import add_workspace
from partnerkit.errors import ServeError
from partnerkit.hub.groups import group_name, roles_from_groups, sync_account
from partnerkit.hub.spawn import pages_mode, server_command
from partnerkit.serve.options import hub_options


def test_groups_name_a_role_per_workspace_and_the_rest_are_ignored():
    groups = ["partnerkit:glenbrae:school-lead", "partnerkit:eastfield:practitioner",
              "staff-all", "partnerkit:glenbrae", "partnerkit:Bad Name:admin",
              "partnerkit:oakfield:head-teacher"]
    assert roles_from_groups(groups) == {"glenbrae": "school_lead",
                                         "eastfield": "practitioner"}
    assert group_name("glenbrae", "dp_lead") == "partnerkit:glenbrae:dp-lead"


def test_sync_adds_the_account_and_makes_its_roles_what_the_groups_say(store):
    add_workspace(store, "glenbrae", "Glenbrae High School", by="test")
    add_workspace(store, "eastfield", "Eastfield Primary", by="test")
    roles = sync_account(store, "a.morgan", ["partnerkit:glenbrae:school-lead",
                                             "partnerkit:eastfield:practitioner",
                                             "partnerkit:nowhere:admin"], name="Ann Morgan")
    assert roles == {"glenbrae": "school_lead", "eastfield": "practitioner"}
    assert store.account_row("a.morgan").name == "Ann Morgan"
    assert store.account_row("a.morgan").password_hash is None
    assert {(m.workspace, m.role) for m in store.memberships(username="a.morgan")} == {
        ("glenbrae", "school_lead"), ("eastfield", "practitioner")}

    sync_account(store, "a.morgan", ["partnerkit:glenbrae:practitioner"])
    assert {(m.workspace, m.role) for m in store.memberships(username="a.morgan")} == {
        ("glenbrae", "practitioner")}
    actions = [(e.action, e.workspace) for e in store.audit_entries()
               if e.account == "hub"]
    assert ("account-added", None) in actions
    assert ("membership-removed", "eastfield") in actions
    assert actions.count(("membership-set", "glenbrae")) == 2


def test_a_bad_hub_user_name_is_refused(store):
    with pytest.raises(Exception, match="hub user name"):
        sync_account(store, "Not A Username!", [])


def test_trainers_get_jupyterlab_and_everyone_else_the_pages():
    assert server_command({"demo": "trainer"}) == (["jupyterhub-singleuser"], "/lab")
    command, first = server_command({"demo": "practitioner", "other": "school_lead"})
    assert first == "/" and command[0] == "jupyter-standaloneproxy"
    assert command[command.index("serve"):command.index("serve") + 2] == ["serve", "--hub"]


def test_the_pages_mode_is_standalone_unless_the_extension_is_asked_for():
    assert pages_mode({}) == "standalone"
    assert pages_mode({"PARTNERKIT_HUB_PAGES": "extension"}) == "extension"
    command, first = server_command({"demo": "practitioner"}, mode="extension")
    assert command[0] == "jupyterhub-singleuser" and first == "/voila/tree"
    assert "--MappingKernelManager.allowed_message_types=comm_msg" in command
    assert not [c for c in command if c.endswith("=execute_request")]
    assert ("--AsyncKernelManager.client_class="
            "partnerkit.kernel_clients.SteadyKernelClient") in command
    assert server_command({"demo": "trainer"}, mode="extension")[1] == "/lab"
    with pytest.raises(ServeError) as caught:
        pages_mode({"PARTNERKIT_HUB_PAGES": "voila"})
    message = str(caught.value)
    assert "'voila'" in message and "$PARTNERKIT_HUB_PAGES" in message
    assert "standalone (the default) or extension" in message


def test_serve_hub_needs_the_hub_user_and_takes_its_prefix():
    assert hub_options({"JUPYTERHUB_USER": "a.morgan",
                        "JUPYTERHUB_SERVICE_PREFIX": "/user/a.morgan"}) == (
        "a.morgan", "/user/a.morgan/")
    with pytest.raises(ServeError) as caught:
        hub_options({})
    assert "JUPYTERHUB_USER" in str(caught.value) and "leave out --hub" in str(caught.value)


def test_serve_hub_refuses_another_address(tmp_path, capsys, monkeypatch):
    from partnerkit.cli import main

    monkeypatch.setenv("JUPYTERHUB_USER", "a.morgan")
    status = main(["serve", "--hub", "--host", "0.0.0.0", "--data", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 2
    assert "0.0.0.0" in err and "--hub with --host" in err and "127.0.0.1" in err
