"""``partnerkit serve`` refuses unsafe or impossible options with one plain line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from partnerkit.serve import ServeError, ServeOptions, check_options, parse_pools


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


def test_another_address_without_a_token_refuses_to_start(tmp_path, free_port):
    result = serve("--data", str(tmp_path), "--host", "0.0.0.0", "--port", str(free_port),
                   data=tmp_path)
    assert_one_line_error(result, "'0.0.0.0'", "--host", "--token")


def test_a_port_in_use_is_one_line_naming_the_port(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = serve("--data", str(tmp_path), "--port", str(port), data=tmp_path)
    assert_one_line_error(result, str(port), "already in use", "--port")


def test_a_missing_data_folder_is_one_line_naming_it(tmp_path, free_port):
    missing = tmp_path / "no-such-folder"
    result = serve("--data", str(missing), "--port", str(free_port), data=tmp_path)
    assert_one_line_error(result, str(missing), "does not exist")
    assert not missing.exists()


@pytest.mark.parametrize("value", ["abc", "mapping_tool=lots", "-1", "mapping_tool=500"])
def test_a_bad_pool_size_says_how_to_give_one(value):
    with pytest.raises(ServeError) as caught:
        parse_pools([value])
    assert "--pool" in str(caught.value) and value in str(caught.value)


def test_an_unknown_workbook_in_a_pool_size_names_the_workbooks():
    with pytest.raises(Exception) as caught:
        parse_pools(["no_such_workbook=3"])
    assert "mapping_tool" in str(caught.value)


def test_a_token_allows_another_address(tmp_path, free_port):
    options = check_options(ServeOptions(data=tmp_path, host="0.0.0.0", port=free_port,
                                         token="s3cret-token"))
    assert options.protected
