"""The Voilà application ``partnerkit serve`` configures: pools, kernels, page safety."""

from __future__ import annotations

import os

import pytest

from partnerkit import page
from partnerkit.serve import ServeOptions, kernels, parse_pools, voila_config
from partnerkit.serve.app import kernel_environment


def test_the_served_kernels_use_the_steady_client():
    from pathlib import Path

    from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

    from partnerkit.serve import ServeOptions, voila_config

    manager = ServerKernelManager(config=voila_config(ServeOptions(data=Path("."))))
    assert manager.client_factory is kernels.SteadyKernelClient
    client = manager.client()
    assert client.shell_channel_class is kernels.SteadyChannel
    assert client.iopub_channel_class is kernels.SteadyChannel


def test_the_server_uses_the_gentle_kernel_manager(tmp_path):
    from partnerkit.serve import ServeOptions, voila_config

    config = voila_config(ServeOptions(data=tmp_path))
    assert config.VoilaConfiguration.multi_kernel_manager_class.endswith("GentleKernelManager")
    assert config.VoilaExecutor.iopub_timeout >= 60


def test_pool_sizes_per_workbook_reach_voila(tmp_path):
    default, pools = parse_pools(["2", "mapping_tool=30"])
    config = voila_config(ServeOptions(data=tmp_path, pool=default, pools=pools))
    assert config.VoilaConfiguration.preheat_kernel is True
    assert config.VoilaKernelManager.kernel_pools_config == {
        "default": {"pool_size": 2}, "mapping_tool.ipynb": {"pool_size": 30}}


def test_pages_load_only_the_widget_extensions_and_nothing_from_other_sites(tmp_path):
    config = voila_config(ServeOptions(data=tmp_path))
    assert config.VoilaConfiguration.extension_allowlist == [
        "@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8"]
    policy = config.Voila.tornado_settings["headers"]["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "http" not in policy


@pytest.mark.parametrize(("pool", "pools", "delay"), [
    (1, {}, 2.0), (0, {"mapping_tool.ipynb": 12}, 12.0), (1, {"mapping_tool.ipynb": 90}, 30.0)])
def test_a_bigger_pool_waits_longer_before_refilling(tmp_path, pool, pools, delay):
    config = voila_config(ServeOptions(data=tmp_path, pool=pool, pools=pools))
    assert config.VoilaKernelManager.fill_delay == delay


def test_every_kernel_knows_the_data_folder_and_where_to_say_it_is_ready(tmp_path, monkeypatch):
    for name in ("PARTNERKIT_DATA", page.SERVED_ENV, "PARTNERKIT_WORKSPACE", page.READY_DIR_ENV):
        monkeypatch.setenv(name, "")  # put back as it was after the test
    kernel_environment(ServeOptions(data=tmp_path), "school")
    assert os.environ["PARTNERKIT_DATA"] == str(tmp_path)
    assert os.environ["PARTNERKIT_WORKSPACE"] == "school"
    assert page.is_served()
    assert os.path.isdir(os.environ[page.READY_DIR_ENV])
