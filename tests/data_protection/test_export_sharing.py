"""A pupil's report leaving partnerkit is logged in their sharing log, from every door.

A page's download (the pupil partnership pack of the mapping tool and staged support
workbooks) and ``partnerkit render`` for a pupil each record what was exported, by whom,
and to whom if known; the entry then shows in the subject access bundle and in the
pupil's pack.
"""

from __future__ import annotations

import dataclasses
import json

from partnerkit import catalog
from partnerkit.data_protection.holdings import gather
from partnerkit.mapping_tool.report import map_summary_html
from partnerkit.mapping_tool.views import summary_download
from partnerkit.records.sharing import sharing_log
from partnerkit.render import inkernel
from partnerkit.render.builders import report_of
from partnerkit.session import Session
from partnerkit.store import open_store
from tests.data_protection.conftest import PUPIL, WORKSPACE, as_account


def _exports(store, workspace, pupil):
    return [row for row in sharing_log(store, workspace, pupil) if row["source"] == "sharing log"
            and "not known" in row["with_whom"]]


def test_a_pack_downloaded_from_a_page_is_logged_and_shows_in_the_bundle_and_pack(school, data):
    teacher = Session(store=as_account(school, "teacher"), workspace=WORKSPACE,
                      author="teacher", data_dir=data, params={"pupil": PUPIL}, served=True)
    button, link = summary_download(teacher).children
    assert _exports(school, WORKSPACE, PUPIL) == []  # nothing leaves until it is made
    button.click()
    assert "download=" in link.value
    [row] = _exports(school, WORKSPACE, PUPIL)
    assert row["what"] == f"pupil partnership pack (map-summary-{PUPIL}.html)"
    assert row["with_whom"] == "not known: downloaded from the page by teacher"
    assert row["by"] == "teacher" and "report exported" in row["basis"]
    bundle = gather(as_account(school, "dpo"), WORKSPACE, PUPIL, data)
    assert any(r["with_whom"] == row["with_whom"] for r in bundle["sharing"])
    assert "downloaded from the page by teacher" in map_summary_html(
        as_account(school, "teacher"), WORKSPACE, PUPIL)


def test_a_notebook_in_jupyterlab_logs_nothing(school, data):
    """Not served: the summary is written into the data folder, not handed out."""
    lab = Session(store=as_account(school, "teacher"), workspace=WORKSPACE, author="teacher",
                  data_dir=data, params={"pupil": PUPIL}, served=False)
    summary_download(lab)
    assert _exports(school, WORKSPACE, PUPIL) == []


def test_a_render_for_a_pupil_logs_its_files_without_the_machine_path(demo_data, tmp_path):
    out = tmp_path / "machine-path-prefix" / "reports"
    files = {fmt: out / fmt / f"mapping_tool-P-1001.{fmt}" for fmt in ("html", "pdf")}
    request = {"report": dataclasses.asdict(report_of(catalog.get("mapping_tool"))),
               "workspace": "demo", "value": "P-1001", "names": False, "author": None,
               "parameters": {}, "data_dir": str(demo_data), "database_url": None,
               "account": "demo-teacher", "out_dir": str(out),
               "files": {fmt: str(path) for fmt, path in files.items()}}
    inkernel.write_reports(json.dumps(request))
    assert all(path.is_file() for path in files.values())
    store = open_store(demo_data)
    try:
        [row] = _exports(store, "demo", "P-1001")
        assert row["what"] == ("pupil partnership pack (reports/html/mapping_tool-P-1001.html, "
                               "reports/pdf/mapping_tool-P-1001.pdf)")
        assert row["with_whom"] == "not known: written by partnerkit render as demo-teacher"
        assert "machine-path-prefix" not in json.dumps(row, default=str)
        assert "written by partnerkit render as demo-teacher" in map_summary_html(
            as_account(store, "demo-teacher"), "demo", "P-1001")
        bundle = gather(as_account(store, "demo-dpo"), "demo", "P-1001", demo_data)
        assert any("partnerkit render" in r["with_whom"] for r in bundle["sharing"])
    finally:
        store.close()


def test_a_render_of_a_workspace_report_logs_no_pupil_sharing(demo_data, tmp_path):
    out = tmp_path / "reports"
    request = {"report": dataclasses.asdict(report_of(catalog.get("principles"))),
               "workspace": "demo", "value": "demo", "names": False, "author": None,
               "parameters": {}, "data_dir": str(demo_data), "database_url": None,
               "account": "demo-lead", "out_dir": str(out),
               "files": {"html": str(out / "html" / "principles-demo.html")}}
    inkernel.write_reports(json.dumps(request))
    store = open_store(demo_data)
    try:
        assert store.list("demo", "sharing_entry") == [] or all(
            "partnerkit render" not in s.data["with_whom"]
            for s in store.list("demo", "sharing_entry"))
    finally:
        store.close()
