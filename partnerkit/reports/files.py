"""Report files are written owner-only: nobody else on the machine can read a pupil's pack."""

from __future__ import annotations

import os
from pathlib import Path


def write_private(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write a report file readable by its owner only (0600), replacing any old one.

    Text is written as UTF-8; missing folders are made.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, payload)
    finally:
        os.close(fd)
    os.chmod(target, 0o600)
    return target
