"""What a workbook starts with: parameters, author, workspace, and the page's live parts."""

from __future__ import annotations

import pytest

from partnerkit import page, session


def test_outside_a_server_a_store_without_accounts_is_the_login_users_own(tmp_path, clean_env):
    from partnerkit.accounts import login_name

    s = session.start(data_dir=str(tmp_path), workspace="school", pupil="P-1")
    assert (s.workspace, s.author, s["pupil"], s.served) == ("school", login_name(), "P-1", False)
    assert s.account.local and "school" in s.store.workspaces()


def _with_accounts(folder, *who):
    from partnerkit import accounts
    from partnerkit.store import open_store

    store = open_store(folder)
    store.ensure_workspace("school")
    store.ensure_workspace("cohort")
    for username, workspace, role in who:
        accounts.add_user(store, username, username.title(), role, workspace, by="test",
                          password="a long enough password")
    store.close()


def test_outside_a_server_the_account_comes_from_partnerkit_account(tmp_path, clean_env):
    _with_accounts(tmp_path, ("ann", "school", "practitioner"))
    clean_env.setenv("PARTNERKIT_ACCOUNT", "ann")
    s = session.start(data_dir=str(tmp_path), workspace="school", author="Ann")
    assert (s.author, s.account.role_in("school"), s.practitioner) == ("ann", "practitioner",
                                                                        "Ann")


def test_a_login_name_linked_to_no_account_is_refused_with_the_fix(tmp_path, clean_env):
    from partnerkit.errors import AccessDeniedError

    _with_accounts(tmp_path, ("ann", "school", "practitioner"))
    with pytest.raises(AccessDeniedError) as refused:
        session.start(data_dir=str(tmp_path), workspace="school")
    assert "PARTNERKIT_ACCOUNT" in str(refused.value)


def _hand_over(clean_env, tmp_path, identity, kernel="k-1"):
    import json

    folder = tmp_path / "identities"
    folder.mkdir(exist_ok=True)
    (folder / f"{kernel}.json").write_text(json.dumps(identity))
    clean_env.setenv("PARTNERKIT_IDENTITY_DIR", str(folder))
    clean_env.setenv("VOILA_KERNEL_ID", kernel)
    return folder / f"{kernel}.json"


def test_a_served_page_takes_who_from_the_server_and_never_from_the_address(tmp_path,
                                                                          clean_env):
    _with_accounts(tmp_path, ("bea", "cohort", "practitioner"), ("cal", "cohort", "trainer"))
    handed = _hand_over(clean_env, tmp_path, {"username": "bea"})
    clean_env.setenv("PARTNERKIT_SERVED", "1")
    clean_env.setenv("QUERY_STRING", "pupil=P-2&author=cal&evil=1&workspace=cohort")
    s = session.start(data_dir=str(tmp_path), workspace="school", author=None, pupil="P-1")
    assert (s["pupil"], s.author, s.practitioner, s.workspace) == ("P-2", "bea", "bea", "cohort")
    assert "evil" not in s.params and "author" not in s.params
    assert not handed.exists()


def test_a_served_page_without_a_handed_over_account_shows_nothing(tmp_path, clean_env):
    from partnerkit.errors import AccessDeniedError

    _with_accounts(tmp_path, ("bea", "cohort", "practitioner"))
    clean_env.setenv("PARTNERKIT_IDENTITY_DIR", str(tmp_path))
    clean_env.setenv("VOILA_KERNEL_ID", "nobody-handed-this-over")
    clean_env.setenv("PARTNERKIT_SERVED", "1")
    with pytest.raises(AccessDeniedError, match="not opened by a signed-in person"):
        session.start(data_dir=str(tmp_path), workspace="cohort")


def test_a_workspace_in_the_address_that_is_not_the_accounts_is_refused(tmp_path, clean_env):
    from partnerkit.errors import AccessDeniedError

    _with_accounts(tmp_path, ("bea", "cohort", "practitioner"))
    _hand_over(clean_env, tmp_path, {"username": "bea"})
    clean_env.setenv("PARTNERKIT_SERVED", "1")
    clean_env.setenv("QUERY_STRING", "workspace=school")
    with pytest.raises(AccessDeniedError, match="not a member of workspace 'school'"):
        session.start(data_dir=str(tmp_path), workspace="cohort")


def test_a_workbook_the_role_may_not_open_is_refused_at_start(tmp_path, clean_env):
    from partnerkit.errors import AccessDeniedError

    _with_accounts(tmp_path, ("bea", "school", "practitioner"))
    clean_env.setenv("PARTNERKIT_ACCOUNT", "bea")
    with pytest.raises(AccessDeniedError, match="may not open this workbook"):
        session.start(data_dir=str(tmp_path), workspace="school", workbook="attendance")


def test_a_live_part_redraws_when_its_topic_changes(tmp_path, clean_env):
    s = session.start(data_dir=str(tmp_path))
    drawn = []
    out = s.live("connections", lambda: drawn.append(len(drawn)) or len(drawn))
    s.changed("connections")
    s.changed("other")
    assert drawn == [0, 1]
    assert out is not None


def test_a_failing_redraw_does_not_break_the_caller(tmp_path, clean_env):
    s = session.start(data_dir=str(tmp_path))
    ran = []
    s.on_change("x", lambda: 1 / 0)
    s.on_change("x", lambda: ran.append(True))
    s.changed("x")
    assert ran == [True]


def test_a_preheated_kernel_starts_with_the_request_the_server_hands_over(tmp_path, clean_env):
    import voila.utils

    clean_env.delenv("SCRIPT_NAME", raising=False)
    clean_env.setenv("VOILA_PREHEAT", "True")

    def wait_for_request(url=None):
        clean_env.setenv("SCRIPT_NAME", "/voila/render/mapping_tool.ipynb")
        clean_env.setenv("QUERY_STRING", "pupil=P-7&author=Cal")

    clean_env.setattr(voila.utils, "wait_for_request", wait_for_request)
    s = session.start(data_dir=str(tmp_path), author=None, pupil="P-1001")
    assert (s["pupil"], s.author == s.account.username, s.served) == ("P-7", True, True)


def _served(s):
    s.served = True
    return s


def test_a_slow_live_part_shows_a_placeholder_until_the_cells_are_done(tmp_path, clean_env):
    import asyncio

    from IPython.display import HTML

    s = _served(session.start(data_dir=str(tmp_path)))

    async def draw_page() -> tuple[str, str, str]:
        out = s.live("connections", lambda: HTML("<b>the map</b>"), later=True)
        first = out.outputs[0]["data"]["text/html"]
        await asyncio.sleep(0)
        before_done = out.outputs[0]["data"]["text/html"]
        s.done()
        await asyncio.sleep(0)  # one turn of the loop: the drawing runs after the cell
        return first, before_done, out.outputs[0]["data"]["text/html"]

    first, before_done, drawn = asyncio.run(draw_page())
    assert first == before_done == page.DRAWING_PLACEHOLDER
    assert drawn == "<b>the map</b>"


def test_a_slow_live_part_is_drawn_after_the_cell_that_says_done(tmp_path, clean_env):
    import asyncio

    s = _served(session.start(data_dir=str(tmp_path)))
    drawn = []

    async def page() -> list:
        s.live("connections", lambda: drawn.append(1) or "map", later=True)
        s.done()
        during_cell = list(drawn)
        await asyncio.sleep(0)
        return during_cell

    assert asyncio.run(page()) == [] and drawn == [1]


def test_a_slow_live_part_that_fails_shows_a_plain_message(tmp_path, clean_env):
    import asyncio

    s = _served(session.start(data_dir=str(tmp_path)))

    async def page() -> str:
        out = s.live("connections", lambda: 1 / 0, later=True)
        s.done()
        await asyncio.sleep(0)
        return out.outputs[0]["data"]["text/html"]

    text = asyncio.run(page())
    assert "Reload" in text and "ZeroDivisionError" not in text and "Traceback" not in text


def test_a_slow_live_part_outside_a_served_page_is_drawn_at_once(tmp_path, clean_env):
    s = session.start(data_dir=str(tmp_path))
    drawn = []
    s.live("connections", lambda: drawn.append(1) or "map", later=True)
    assert drawn == [1]


@pytest.fixture
def shell():
    from tests.helpers.ipython_shell import recording_shell

    with recording_shell() as (ipython, shown):
        yield ipython, shown


def test_in_jupyterlab_an_error_in_start_shows_as_its_one_clear_message(tmp_path, clean_env,
                                                                       shell):
    ipython, shown = shell
    (tmp_path / "not-a-folder").write_text("")
    ipython.user_ns["folder"] = str(tmp_path / "not-a-folder")
    result = ipython.run_cell("from partnerkit import session\n"
                              "s = session.start(data_dir=folder)\n")
    assert not result.success
    ((_, error, lines),) = shown
    assert lines == [f"DataFolderError: {error}", page.TRACEBACK_HINT]
    assert "is a file, not a folder" in lines[0]


def test_in_jupyterlab_other_errors_keep_their_traceback(tmp_path, clean_env, shell):
    ipython, shown = shell
    session.start(data_dir=str(tmp_path))
    ipython.run_cell("{}['missing']")
    ((etype, _, lines),) = shown
    assert etype is KeyError and page.TRACEBACK_HINT not in lines and len(lines) > 1


def test_a_served_page_still_shows_every_error_as_a_plain_page_message(tmp_path, clean_env,
                                                                      shell):
    ipython, _ = shell
    clean_env.setenv("PARTNERKIT_SERVED", "1")
    session.start(data_dir=str(tmp_path))
    assert ipython.custom_exceptions == (Exception,)


def test_papermill_stores_a_bad_pupil_as_its_message_and_still_fails(run_workbook, tmp_path,
                                                                     monkeypatch):
    import nbformat

    monkeypatch.setenv("PARTNERKIT_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("PARTNERKIT_DATABASE_URL", raising=False)
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as caught:
        run_workbook("mapping_tool", pupil="P-4242")
    assert caught.value.ename == "NotFoundError"
    (executed,) = tmp_path.glob("mapping_tool-*.ipynb")
    notebook = nbformat.read(executed, as_version=4)
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert [e.traceback for e in errors] == [
        [f"NotFoundError: {caught.value.evalue}", page.TRACEBACK_HINT]]
    assert "there is no pupil 'P-4242'" in errors[0].traceback[0]
