"""Root pytest set-up: the shipped workbooks run against a demo data folder the suite makes."""

import os
import tempfile


def pytest_configure(config):
    """Give nbval's kernels a demo data folder through PARTNERKIT_DATA."""
    if os.environ.get("PARTNERKIT_TEST_KEEP_DATA"):
        return
    folder = tempfile.mkdtemp(prefix="partnerkit-demo-")
    from partnerkit.demo import create_demo

    create_demo(data=folder)
    os.environ["PARTNERKIT_DATA"] = folder
    os.environ.setdefault("PARTNERKIT_AUTHOR", "Test Practitioner")
    os.environ.pop("PARTNERKIT_DATABASE_URL", None)
    config._partnerkit_demo = folder
