"""Tests for partnerkit.reflective_log.views: the log on screen and the export links."""

from __future__ import annotations

from pathlib import Path

from partnerkit import reflective_log
from partnerkit.store import Store


def test_the_log_is_shown_whole_in_a_frame_with_user_text_escaped(log_store: Store,
                                                                 session_for):
    view = reflective_log.log_view(session_for())
    assert "srcdoc=" in view.value and "Second thoughts" in view.value
    assert "&lt;parents&gt;" not in view.value  # escaped twice: once in the page, once as srcdoc
    assert "&amp;lt;parents&amp;gt;" in view.value


def test_export_widget_defaults_to_the_data_folders_reports(log_store: Store, tmp_path: Path,
                                                            session_for):
    shown = reflective_log.export(session_for())
    assert (tmp_path / "reports" / "reflective-log-pat-practitioner.pdf").exists()
    assert "download" in shown.value and "DOCX" in shown.value


def test_a_served_page_writes_the_exports_only_when_asked(log_store: Store, tmp_path: Path,
                                                          session_for):
    session = session_for()
    session.served = True
    shown = reflective_log.export(session)
    assert not (tmp_path / "reports").exists(), "nothing written as the page is drawn"
    assert shown.button.description == "Make my log (Word, PDF and web page)"
    shown.button.click()
    for suffix in ("pdf", "docx", "html"):
        assert (tmp_path / "reports" / f"reflective-log-pat-practitioner.{suffix}").exists()
    assert not shown.button.disabled


def test_a_served_page_links_the_exports_without_the_servers_folders(log_store: Store,
                                                                    tmp_path: Path,
                                                                    session_for):
    session = session_for()
    session.served = True
    shown = reflective_log.export(session)
    shown.make()
    assert "download <bdi>reflective-log-pat-practitioner.pdf</bdi>" in shown.result.value
    assert str(tmp_path) not in shown.result.value and "<code>" not in shown.result.value
    session.served = False
    assert str(tmp_path) in reflective_log.export(session).value   # JupyterLab: where it is


def test_a_served_export_that_cannot_be_made_says_why(tmp_path: Path, session_for,
                                                      monkeypatch):
    from partnerkit.errors import PartnerkitError
    from partnerkit.reflective_log import views

    def refuse(*_args, **_kwargs):
        raise PartnerkitError("the reports folder 'x' is not writable; choose another")

    monkeypatch.setattr(views, "export_log", refuse)
    session = session_for()
    session.served = True
    shown = reflective_log.export(session)
    shown.make()
    assert "Not made: the reports folder &#39;x&#39; is not writable" in shown.result.value
    assert not shown.button.disabled
