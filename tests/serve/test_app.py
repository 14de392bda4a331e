"""The Voilà application ``partnerkit serve`` configures: pools, kernels, page safety."""

from __future__ import annotations

import os

import pytest

from partnerkit import kernel_clients, page
from partnerkit.serve import ServeOptions, parse_pools, voila_config
from partnerkit.serve.app import kernel_environment, server_state
from partnerkit.serve.identity import PartnerkitIdentity


def test_the_served_kernels_use_the_steady_client():
    from pathlib import Path

    from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

    from partnerkit.serve import ServeOptions, voila_config

    manager = ServerKernelManager(config=voila_config(ServeOptions(data=Path("."))))
    assert manager.client_factory is kernel_clients.SteadyKernelClient
    client = manager.client()
    assert client.shell_channel_class is kernel_clients.SteadyChannel
    assert client.iopub_channel_class is kernel_clients.SteadyChannel


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


KERNEL_ENV = ("PARTNERKIT_DATA", page.SERVED_ENV, page.READY_DIR_ENV, page.IDENTITY_DIR_ENV,
              page.QUERY_SECRET_ENV, "VOILA_WS_PROTOCOL", "VOILA_APP_IP")


@pytest.fixture
def kernel_env(monkeypatch):
    """What ``kernel_environment`` sets, put back as it was after the test."""
    for name in KERNEL_ENV:
        monkeypatch.setenv(name, "")


def test_every_kernel_knows_the_data_folder_and_how_to_get_its_page(tmp_path, kernel_env):
    options = ServeOptions(data=tmp_path)
    state = server_state(options)
    kernel_environment(options, state)
    assert os.environ["PARTNERKIT_DATA"] == str(tmp_path)
    assert page.is_served()
    assert os.path.isdir(os.environ[page.READY_DIR_ENV])
    assert os.environ[page.IDENTITY_DIR_ENV] == str(state.handover.folder)
    assert os.environ[page.QUERY_SECRET_ENV] == state.query_secret
    assert len(state.query_secret) >= 40
    assert os.environ["VOILA_WS_PROTOCOL"] == "" and os.environ["VOILA_APP_IP"] == "127.0.0.1"


def test_over_https_a_kernel_asks_for_its_page_over_wss(tmp_path, kernel_env):
    options = ServeOptions(data=tmp_path, host="0.0.0.0", certfile=tmp_path / "c.pem",
                           keyfile=tmp_path / "k.pem")
    kernel_environment(options, server_state(options))
    assert os.environ["VOILA_WS_PROTOCOL"] == "wss"
    assert os.environ["VOILA_APP_IP"] == ""  # every address: the kernel uses 127.0.0.1


def test_the_identity_provider_is_partnerkits_and_there_is_no_token(tmp_path):
    config = voila_config(ServeOptions(data=tmp_path))
    assert config.Voila.identity_provider_class is PartnerkitIdentity
    assert "token" not in config.Voila
    assert "PasswordIdentityProvider" not in config


def test_with_no_sign_in_every_request_is_the_login_name_and_never_times_out(tmp_path):
    from partnerkit.accounts import login_name

    state = server_state(ServeOptions(data=tmp_path, no_sign_in=True))
    assert state.local is not None and state.local.local
    assert state.local.identity() == {"username": login_name(), "name": login_name(),
                                      "local": True}
    assert state.session_for(object()) is state.local
