"""A real ``partnerkit serve`` on a loopback port, and a signed-in HTTP client for it."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from partnerkit.demo import create_demo
from tests.serve.people import PASSWORD, add_people


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    import ssl

    context = ssl._create_unverified_context()  # a test server's own certificate
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"partnerkit serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5, context=context):
                return
        except urllib.error.HTTPError:
            return  # it answers (a refusal is an answer)
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"partnerkit serve did not answer at {url}")


def demo_with_people(data: Path) -> None:
    """The demo school and the test people (the default data folder of a test server)."""
    create_demo(data=data)
    add_people(data)


class Server:
    def __init__(self, url: str, data: Path, log: Path, process: subprocess.Popen,
                 port: int) -> None:
        self.url = url
        self.data = data
        self.log = log
        self.process = process
        self.port = port

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)


def start_server(root: Path, *options: str, data: Path, port: int | None = None,
                 scheme: str = "http", debug: bool = False,
                 env: dict[str, str] | None = None) -> Server:
    """Start ``partnerkit serve`` on ``data`` and wait until it answers.

    ``debug`` starts it as ``partnerkit --debug serve``: its log then holds Voilà's own
    notices too (which kernel a page was given). ``env`` adds environment variables
    (``PARTNERKIT_DATABASE_URL`` for a PostgreSQL store; otherwise it is unset).
    """
    port = port or free_port()
    log = root / f"server-{port}-{time.monotonic_ns()}.log"
    env = {**_without_store_url(os.environ), "PARTNERKIT_DATA": str(data), **(env or {})}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "partnerkit", *(["--debug"] if debug else []), "serve",
             "--data", str(data), "--port", str(port), *options],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root)
    url = f"{scheme}://127.0.0.1:{port}"
    server = Server(url, data, log, process, port)
    try:
        wait_until_up(url + "/signin", process)
    except BaseException:
        server.stop()
        raise
    return server


def _without_store_url(environ) -> dict[str, str]:
    """The environment without ``PARTNERKIT_DATABASE_URL`` (a test names its own store)."""
    return {k: v for k, v in environ.items() if k != "PARTNERKIT_DATABASE_URL"}


@contextmanager
def running_server(root: Path, *options: str, prepare=None, scheme: str = "http",
                   debug: bool = False, env: dict[str, str] | None = None):
    """``partnerkit serve`` on a free loopback port over a fresh data folder.

    The folder is the demo school with the test people, unless ``prepare(data)`` makes
    it (a damaged store, no accounts ...). ``env``: as for :func:`start_server`.
    """
    data = root / "data"
    (prepare or demo_with_people)(data)
    server = start_server(root, *options, data=data, scheme=scheme, debug=debug, env=env)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root / "ignored", ignore_errors=True)


XSRF = re.compile(r'name="_xsrf" value="([^"]+)"')


def sign_in_form(client, server) -> str:
    """Open the sign-in page; its form token."""
    page = client.get(server.url + "/signin")
    return XSRF.search(page.text).group(1)


def sign_in(server, username: str, password: str = PASSWORD, client=None, **form: str):
    """Sign in over HTTP; (the client, holding the session cookie, and the last answer)."""
    import requests

    client = client or requests.Session()
    client.verify = False
    token = sign_in_form(client, server)
    answer = client.post(server.url + "/signin", data={
        "_xsrf": token, "username": username, "password": password, "next": "/", **form})
    return client, answer


def sign_out(client, server):
    """Press the landing page's Sign out button."""
    landing = client.get(server.url + "/")
    return client.post(server.url + "/signout", data={"_xsrf": XSRF.search(landing.text).group(1)})
