"""Rendering on a Dask cluster: the same files as a local render, failures retried once,
a worker killed mid-render losing no target, and clear messages for bad schedulers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
from distributed import Client, LocalCluster

from partnerkit import render
from partnerkit.cli import main
from partnerkit.errors import RenderInputError
from partnerkit.render.cluster import parse_scheduler, worker_problems
from tests.render.conftest import DEMO_PUPILS, by_name, mode


def _reports(folder):
    """Each report's text by file name."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((folder / "html").iterdir())}


def test_a_local_cluster_writes_the_same_reports_as_a_local_render(demo_data, tmp_path,
                                                                    fixtures):
    notebook = fixtures["fails_for_one_pupil"]
    local = render.render(notebook, DEMO_PUPILS, "html", tmp_path / "local", jobs=1,
                          data_dir=demo_data, progress=False)
    cluster = render.render(notebook, DEMO_PUPILS, "html", tmp_path / "cluster",
                            data_dir=demo_data, progress=False, scheduler="local:2")
    assert {n: r.status for n, r in by_name(cluster).items()} == {
        n: r.status for n, r in by_name(local).items()}
    assert _reports(tmp_path / "cluster") == _reports(tmp_path / "local")
    assert len(_reports(tmp_path / "cluster")) == 4
    failure = by_name(cluster)["P-1003"].error
    assert failure.startswith("cell 7 ('if pupil == \"P-1003\":')")
    assert "ValueError: no map can be drawn for P-1003" in failure
    assert failure.endswith("(it failed again when run once more)")
    assert mode(tmp_path / "cluster" / "html" / "fails_for_one_pupil-P-1001.html") == 0o600
    assert cluster.exit_status == 1


def test_a_worker_killed_mid_render_loses_no_target(demo_data, tmp_path, fixtures):
    out = tmp_path / "r"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        pids = list(client.run(os.getpid).values())
        finished: dict = {}
        run = threading.Thread(target=lambda: finished.update(summary=render.render(
            fixtures["clean_namespace"], DEMO_PUPILS, "html", out, data_dir=demo_data,
            progress=False, scheduler=cluster.scheduler_address)))
        run.start()
        deadline = time.monotonic() + 300
        while not (out / "html").exists() or not any((out / "html").iterdir()):
            assert time.monotonic() < deadline and run.is_alive(), "no report was written"
            time.sleep(0.2)
        written_before = len(list((out / "html").iterdir()))
        os.kill(pids[0], signal.SIGKILL)
        run.join(timeout=300)
    summary = finished["summary"]
    assert written_before < len(DEMO_PUPILS)
    assert {n: r.status for n, r in by_name(summary).items()} == dict.fromkeys(
        DEMO_PUPILS, "written")
    assert sorted(_reports(out)) == [f"clean_namespace-{p}.html" for p in DEMO_PUPILS]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_scheduler_that_does_not_answer_gets_a_clear_message(demo_data, tmp_path, capsys):
    address = f"tcp://127.0.0.1:{_free_port()}"
    status = main(["render", "mapping_tool", "--data", str(demo_data), "--pupil", "P-1001",
                   "--out", str(tmp_path / "r"), "--scheduler", address])
    err = capsys.readouterr().err
    assert status == 2
    assert address in err and "--scheduler" in err and "did not answer within 10 s" in err
    assert "local:N" in err and "Traceback" not in err


@pytest.mark.parametrize("value", ["local:0", "local:two", "local:", "cluster"])
def test_a_bad_scheduler_value_is_refused_before_anything_runs(value):
    with pytest.raises(RenderInputError) as caught:
        parse_scheduler(value)
    message = str(caught.value)
    assert value in message and "--scheduler" in message
    assert "local:" in message


def test_a_worker_without_partnerkit_or_the_out_folder_is_named(tmp_path):
    from partnerkit import __version__

    versions = {"tcp://a:1": ModuleNotFoundError("partnerkit"), "tcp://b:1": "0.0.1",
                "tcp://c:1": __version__, "tcp://d:1": __version__}
    sees = {"tcp://c:1": False, "tcp://d:1": True}
    problems = worker_problems(versions, sees, tmp_path)
    assert problems == [
        f"tcp://a:1 does not have partnerkit installed: install partnerkit {__version__} on "
        "every worker",
        f"tcp://b:1 has partnerkit 0.0.1, this render is {__version__}: install the same "
        "version on every worker",
        f"tcp://c:1 cannot see the output folder {tmp_path}: put it on storage every worker "
        "shares"]


WORKER_WITHOUT_PARTNERKIT = (
    "import sys; sys.modules['partnerkit'] = None; "
    "from distributed.cli.dask_worker import main; main()")
"""A real Dask worker in which ``import partnerkit`` fails (as on a machine without it)."""


def _worker_without_partnerkit(scheduler: str, folder) -> subprocess.Popen:
    """Start that worker on ``scheduler`` (one thread, no nanny, loopback)."""
    with open(folder / "worker.log", "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-c", WORKER_WITHOUT_PARTNERKIT, scheduler, "--nthreads", "1",
             "--no-nanny", "--host", "127.0.0.1", "--no-dashboard"],
            stdout=log, stderr=subprocess.STDOUT, cwd=folder)


def test_a_real_worker_without_partnerkit_is_named_before_anything_runs(demo_data, tmp_path,
                                                                         capsys):
    from partnerkit import __version__

    out = tmp_path / "r"
    out.mkdir()
    with LocalCluster(n_workers=0, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        worker = _worker_without_partnerkit(cluster.scheduler_address, tmp_path)
        try:
            client.wait_for_workers(1, timeout=120)
            (address,) = client.scheduler_info()["workers"]
            status = main(["render", "mapping_tool", "--data", str(demo_data), "--pupil",
                           "P-1001", "--out", str(out), "--scheduler",
                           cluster.scheduler_address])
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    err = capsys.readouterr().err
    assert status == 2, err
    assert f"{address} does not have partnerkit installed" in err
    assert f"install partnerkit {__version__} on every worker" in err
    assert "--scheduler" in err and "Traceback" not in err
    assert not any(out.rglob("*.html")) and not any(out.rglob("*.ipynb"))
