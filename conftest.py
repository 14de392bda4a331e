"""Root pytest set-up: the shipped workbooks run against a demo data folder the suite makes."""

import os
import tempfile


def _running_nbval(config) -> bool:
    return any(config.getoption(name, default=False) for name in ("nbval", "nbval_lax"))


def pytest_configure(config):
    """Give nbval's kernels a demo data folder through PARTNERKIT_DATA."""
    if not _running_nbval(config):
        return
    folder = tempfile.mkdtemp(prefix="partnerkit-demo-")
    from partnerkit.demo import create_demo

    create_demo(data=folder)
    os.environ["PARTNERKIT_DATA"] = folder
    os.environ.setdefault("PARTNERKIT_AUTHOR", "Test Practitioner")
    os.environ.pop("PARTNERKIT_DATABASE_URL", None)
