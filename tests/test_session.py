"""What a workbook starts with: parameters, author, workspace, and the page's live parts."""

from __future__ import annotations

import pytest

from partnerkit import page, session


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("VOILA_KERNEL_ID", "VOILA_REQUEST_URL", "VOILA_PREHEAT", "QUERY_STRING",
                 "PARTNERKIT_SERVED", "JUPYTERHUB_USER", "PARTNERKIT_AUTHOR", "SCRIPT_NAME"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_outside_a_server_the_defaults_apply(tmp_path, clean_env):
    s = session.start(data_dir=str(tmp_path), workspace="school", author="Ann", pupil="P-1")
    assert (s.workspace, s.author, s["pupil"], s.served) == ("school", "Ann", "P-1", False)
    assert "school" in s.store.workspaces()


def test_a_served_page_takes_declared_values_from_the_query_string(tmp_path, clean_env):
    clean_env.setenv("PARTNERKIT_SERVED", "1")
    clean_env.setenv("QUERY_STRING", "pupil=P-2&author=Bea&evil=1&workspace=cohort")
    s = session.start(data_dir=str(tmp_path), workspace="school", author=None, pupil="P-1")
    assert (s["pupil"], s.author, s.workspace) == ("P-2", "Bea", "cohort")
    assert "evil" not in s.params


def test_a_hub_user_is_always_the_author(tmp_path, clean_env):
    clean_env.setenv("PARTNERKIT_SERVED", "1")
    clean_env.setenv("JUPYTERHUB_USER", "hub-ann")
    clean_env.setenv("QUERY_STRING", "author=Someone%20Else")
    s = session.start(data_dir=str(tmp_path), author=None)
    assert s.author == "hub-ann"


def test_the_author_defaults_to_the_environment(tmp_path, clean_env):
    clean_env.setenv("PARTNERKIT_AUTHOR", "Env Author")
    assert session.start(data_dir=str(tmp_path)).author == "Env Author"


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
    assert (s["pupil"], s.author, s.served) == ("P-7", "Cal", True)


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
