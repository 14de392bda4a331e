"""Who signed in, handed from the server to a page's kernel before the workbook runs.

The browser never says who is working: the server writes the session's identity
(``{"username": ...}``, or ``{"username": LOGIN, "local": true}`` with ``--no-sign-in``)
to ``$PARTNERKIT_IDENTITY_DIR/<kernel_id>.json``, a folder only the server's user can
open (0700, files 0600), and the kernel reads it once and removes it
(:func:`partnerkit.page.handed_over_identity`).

It is written the moment a page gets its kernel, before that kernel runs the workbook:
:class:`KernelHandover` stands in for the kernel manager a Voilà page handler uses, and
writes the identity as soon as ``get_rendered_notebook`` (a preheated kernel, which
then waits for its request) or ``start_kernel`` (a fresh one, whose cells run after)
returns the kernel's id.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from partnerkit.page import identity_file

FOLDER_MODE = 0o700
FILE_MODE = 0o600


class IdentityHandover:
    """The owner-only folder where the server leaves each page kernel's identity."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="partnerkit-who-"))
        self.folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        os.chmod(self.folder, FOLDER_MODE)

    def write(self, kernel_id: str, identity: dict[str, Any]) -> Path:
        """Leave ``identity`` for kernel ``kernel_id`` (owner-only, replaced atomically)."""
        path = identity_file(self.folder, kernel_id)
        if path.parent != self.folder:
            raise ValueError(f"not a kernel id: {kernel_id!r}")
        part = path.with_suffix(".part")
        descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump(identity, out)
        os.replace(part, path)
        return path

    def remove(self, kernel_id: str) -> None:
        """Remove a kernel's identity if it was never read (the kernel ended first)."""
        identity_file(self.folder, kernel_id).unlink(missing_ok=True)

    def close(self) -> None:
        """Remove the folder and whatever is left in it."""
        shutil.rmtree(self.folder, ignore_errors=True)


class KernelHandover:
    """A kernel manager that calls ``hand_over(kernel_id)`` as soon as a page gets a kernel.

    Every other attribute is the real manager's. ``hand_over`` runs before the page
    handler goes on: for a preheated kernel before the request reaches it
    (``RequestInfoSocketHandler.send_updates``), for a fresh one before its cells run.
    """

    def __init__(self, manager: Any, hand_over: Callable[[str], None]) -> None:
        self._manager = manager
        self._hand_over = hand_over

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)

    async def get_rendered_notebook(self, *args: Any, **kwargs: Any) -> Any:
        """A preheated kernel's rendering, handed to the session before the request."""
        render_task, rendered, kernel_id = await self._manager.get_rendered_notebook(
            *args, **kwargs)
        await self._give(kernel_id)
        return render_task, rendered, kernel_id

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        """A fresh kernel, handed to the session before its cells run."""
        from jupyter_core.utils import ensure_async

        kernel_id = await ensure_async(self._manager.start_kernel(*args, **kwargs))
        await self._give(kernel_id)
        return kernel_id

    async def _give(self, kernel_id: str) -> None:
        """Hand the kernel over; a kernel that cannot be handed over is shut down."""
        from jupyter_core.utils import ensure_async

        try:
            self._hand_over(kernel_id)
        except BaseException:
            await ensure_async(self._manager.shutdown_kernel(kernel_id))
            raise
