"""``partnerkit serve`` refuses unsafe or impossible options with one plain line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from partnerkit.serve import ServeError, ServeOptions, check_options, parse_pools
from partnerkit.serve.options import plain_warning
from partnerkit.store import Store
from tests.serve.people import ANN, add_people


def serve(*args: str, data) -> subprocess.CompletedProcess:
    env = {**os.environ, "PARTNERKIT_DATA": str(data)}
    return subprocess.run([sys.executable, "-m", "partnerkit", "serve", *args],
                          capture_output=True, text=True, timeout=120, env=env)


def assert_one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def with_accounts(tmp_path):
    """A data folder whose store has a workspace and one account."""
    data = tmp_path / "data"
    store = Store(data=data)
    store.ensure_workspace("demo", "Demo school")
    store.close()
    add_people(data, (ANN,))
    return data


def test_no_sign_in_on_another_address_refuses_to_start(tmp_path, free_port):
    result = serve("--data", str(tmp_path), "--host", "0.0.0.0", "--port", str(free_port),
                   "--no-sign-in", data=tmp_path)
    assert_one_line_error(result, "'0.0.0.0'", "--no-sign-in", "127.0.0.1")


def test_a_store_without_accounts_refuses_to_start_and_says_what_to_do(tmp_path, free_port):
    Store(data=tmp_path).close()
    result = serve("--data", str(tmp_path), "--port", str(free_port), data=tmp_path)
    assert_one_line_error(result, str(tmp_path), "has no accounts yet", "partnerkit demo",
                          "partnerkit users add", "--no-sign-in")


def test_a_port_in_use_is_one_line_naming_the_port(with_accounts):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = serve("--data", str(with_accounts), "--port", str(port), data=with_accounts)
    assert_one_line_error(result, str(port), "already in use", "--port")


def test_a_missing_data_folder_is_one_line_naming_it(tmp_path, free_port):
    missing = tmp_path / "no-such-folder"
    result = serve("--data", str(missing), "--port", str(free_port), data=tmp_path)
    assert_one_line_error(result, str(missing), "does not exist")
    assert not missing.exists()


def test_the_old_token_and_password_options_are_gone(tmp_path, free_port):
    for option in (["--token", "abc"], ["--password"]):
        result = serve("--data", str(tmp_path), "--port", str(free_port), *option,
                       data=tmp_path)
        assert result.returncode == 2 and "unrecognized arguments" in result.stderr


@pytest.mark.parametrize("value", ["abc", "mapping_tool=lots", "-1", "mapping_tool=500"])
def test_a_bad_pool_size_says_how_to_give_one(value):
    with pytest.raises(ServeError) as caught:
        parse_pools([value])
    assert "--pool" in str(caught.value) and value in str(caught.value)


def test_an_unknown_workbook_in_a_pool_size_names_the_workbooks():
    with pytest.raises(Exception) as caught:
        parse_pools(["no_such_workbook=3"])
    assert "mapping_tool" in str(caught.value)


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1])
def test_an_idle_timeout_out_of_range_is_refused(with_accounts, free_port, minutes):
    with pytest.raises(ServeError) as caught:
        check_options(ServeOptions(data=with_accounts, port=free_port, idle_minutes=minutes))
    assert "--idle-minutes" in str(caught.value)


def test_a_certificate_needs_its_key_and_both_must_be_files(with_accounts, free_port, tmp_path):
    cert = tmp_path / "cert.pem"
    cert.write_text("not checked here")
    with pytest.raises(ServeError, match="--certfile.*without --keyfile"):
        check_options(ServeOptions(data=with_accounts, port=free_port, certfile=cert))
    with pytest.raises(ServeError, match="--keyfile.*is not a file"):
        check_options(ServeOptions(data=with_accounts, port=free_port, certfile=cert,
                                   keyfile=tmp_path / "missing.pem"))


def test_another_address_with_accounts_starts_but_warns_of_plain_http(with_accounts, free_port):
    options = check_options(ServeOptions(data=with_accounts, host="0.0.0.0", port=free_port))
    warning = plain_warning(options)
    assert "0.0.0.0" in warning and "in clear" in warning and "--certfile" in warning
    assert "reverse proxy" in warning


def test_no_warning_on_loopback_or_over_https(with_accounts, tmp_path):
    assert plain_warning(ServeOptions(data=with_accounts)) is None
    pem = tmp_path / "x.pem"
    assert plain_warning(ServeOptions(data=with_accounts, host="0.0.0.0", certfile=pem,
                                      keyfile=pem)) is None


def test_no_sign_in_on_loopback_needs_no_accounts(tmp_path, free_port):
    Store(data=tmp_path).close()
    options = check_options(ServeOptions(data=tmp_path, port=free_port, no_sign_in=True))
    assert options.data == tmp_path.resolve()


def test_a_relative_data_folder_is_made_absolute_for_the_kernels(with_accounts, free_port,
                                                                  monkeypatch):
    monkeypatch.chdir(with_accounts.parent)
    options = check_options(ServeOptions(data=with_accounts.name, port=free_port))
    assert options.data == with_accounts.resolve()
