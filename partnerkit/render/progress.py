"""The render's progress bar on stderr, and the one-line failure notes printed under it."""

from __future__ import annotations

import sys
import threading

from partnerkit.render.outputs import TargetResult


class Progress:
    """A bar of targets done; safe to update from several worker threads."""

    def __init__(self, workbook: str, total: int, *, show: bool = True) -> None:
        from tqdm import tqdm

        self.workbook = workbook
        self._lock = threading.Lock()
        self._bar = tqdm(total=total, desc=f"Rendering {workbook}", unit="target",
                         file=sys.stderr, disable=not show, leave=True)

    def done(self, result: TargetResult) -> None:
        """Count one target; a failed one is noted on its own line, with why."""
        with self._lock:
            self._bar.update(1)
            if result.status == "failed":
                self._bar.write(f"partnerkit: {self.workbook} {result.target.name} failed: "
                                f"{result.error}", file=sys.stderr)

    def close(self) -> None:
        """Finish the bar."""
        self._bar.close()
