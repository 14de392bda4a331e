"""A real browser (Playwright driving Debian's Chromium) against ``partnerkit serve``."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from partnerkit.demo import create_demo
from tests.helpers.served_pages import TOKEN

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"partnerkit serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError:
            return  # it answers (a token-protected server refuses, as it should)
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"partnerkit serve did not answer at {url}")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("PARTNERKIT_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing; scripts/test.sh installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed")
    return CHROMIUM


@pytest.fixture(scope="session", autouse=True)
def patient_expectations():
    """Give Playwright's expect() the patience of a busy 2-core machine (default: 5 s)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)


@pytest.fixture(scope="module")
def browser(chromium_path):
    """Chromium for one test module; closed after it, so Playwright's event loop does not
    outlive the browser tests (later tests call asyncio.run)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Server:
    def __init__(self, url: str, data: Path, log: Path, process: subprocess.Popen) -> None:
        self.url = url
        self.data = data
        self.log = log
        self.process = process

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def running_server(root: Path, *options: str, prepare=None):
    """``partnerkit serve`` on a free loopback port over a fresh demo data folder.

    ``prepare(data)`` makes the data folder instead of the demo (a damaged store ...).
    """
    data = root / "data"
    (prepare or (lambda folder: create_demo(data=folder)))(data)
    port = free_port()
    log = root / "server.log"
    env = {**os.environ, "PARTNERKIT_DATA": str(data)}
    env.pop("PARTNERKIT_DATABASE_URL", None)
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "partnerkit", "serve", "--data", str(data), "--port", str(port),
             *options], stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/", process)
        yield Server(url, data, log, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(root / "ignored", ignore_errors=True)


@pytest.fixture(scope="session")
def server(tmp_path_factory, chromium_path) -> Server:
    """The server most tests share: one preheated kernel per workbook."""
    with running_server(tmp_path_factory.mktemp("serve"), "--pool", "1") as running:
        yield running


@pytest.fixture(scope="session")
def token_server(tmp_path_factory, chromium_path) -> Server:
    """A token-protected server with no preheated kernels (an empty pool)."""
    with running_server(tmp_path_factory.mktemp("serve-token"), "--pool", "0",
                        "--token", TOKEN) as running:
        yield running


@pytest.fixture
def page(browser):
    context = browser.new_context()
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()
