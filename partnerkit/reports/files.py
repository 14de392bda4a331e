"""Report files are written owner-only: nobody else on the machine can read a pupil's pack."""

from __future__ import annotations

import os
from pathlib import Path

from partnerkit.paths import private_dir


def write_private(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write a report file readable by its owner only (0600), replacing any old one.

    Text is written as UTF-8; missing folders are made owner-only (0700).
    """
    target = Path(path)
    private_dir(target.parent)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:  # writes it all (one os.write may stop short)
        handle.write(payload)
    os.chmod(target, 0o600)
    return target
