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


DP_WORKBOOK = "data_protection.ipynb"
"""The one workbook only the data-protection lead may open: its cells run as demo-dpo."""


def pytest_runtest_setup(item):
    """Run the data-protection workbook's kernel as the demo data-protection lead.

    nbval starts a notebook's kernel with its first cell, from this process's
    environment: ``PARTNERKIT_ACCOUNT`` is set for that notebook's cells only.
    """
    if not _running_nbval(item.config):
        return
    if item.path.name == DP_WORKBOOK:
        os.environ["PARTNERKIT_ACCOUNT"] = "demo-dpo"
    elif os.environ.get("PARTNERKIT_ACCOUNT") == "demo-dpo":
        os.environ.pop("PARTNERKIT_ACCOUNT")
