"""The files a render writes, where they go, and the summary of what happened to each target.

Reports go to ``OUT/<format>/<workbook>-<target>.<ext>``, executed notebooks to
``OUT/notebooks/``; folders are made owner-only (0700), files written owner-only (0600).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from partnerkit import paths
from partnerkit.errors import RenderInputError
from partnerkit.render.targets import Target

NOTEBOOKS = "notebooks"


@dataclass
class TargetResult:
    """What happened to one target: written, failed or refused (with why), or unchanged.

    ``refused``: the render's account may not read it (another person's reflective log);
    nothing was run for it.
    """

    target: Target
    status: str
    files: dict[str, Path] = field(default_factory=dict)
    notebook: Path | None = None
    error: str | None = None
    seconds: float = 0.0


@dataclass
class RenderSummary:
    """Every target's result, the folder they went to and how long it took."""

    workbook: str
    out_dir: Path
    formats: list[str]
    results: list[TargetResult] = field(default_factory=list)
    seconds: float = 0.0

    def _with(self, status: str) -> list[TargetResult]:
        return [r for r in self.results if r.status == status]

    @property
    def written(self) -> list[TargetResult]:
        """Targets whose reports were written."""
        return self._with("written")

    @property
    def failed(self) -> list[TargetResult]:
        """Targets that failed, each with its reason."""
        return self._with("failed")

    @property
    def refused(self) -> list[TargetResult]:
        """Targets the render's account may not read, each with the reason."""
        return self._with("refused")

    @property
    def unchanged(self) -> list[TargetResult]:
        """Targets skipped by ``changed_only`` because nothing they show had changed."""
        return self._with("unchanged")

    @property
    def exit_status(self) -> int:
        """0 when every target was written or unchanged, 1 when any failed or was refused."""
        return 1 if self.failed or self.refused else 0

    def describe(self) -> str:
        """A few plain lines: what was written where, and what failed and why."""
        refused = f"{len(self.refused)} refused, " if self.refused else ""
        lines = [f"{self.workbook}: {len(self.written)} written, {len(self.failed)} failed, "
                 f"{refused}{len(self.unchanged)} unchanged, of {len(self.results)} "
                 f"(formats {','.join(self.formats)}; {self.seconds:.1f} s)."]
        for result in self.written:
            files = ", ".join(str(p) for p in result.files.values())
            lines.append(f"  written    {result.target.name}: {files}")
        for result in self.unchanged:
            lines.append(f"  unchanged  {result.target.name}")
        for result in self.failed:
            lines.append(f"  FAILED     {result.target.name}: {result.error}")
        for result in self.refused:
            lines.append(f"  REFUSED    {result.target.name}: {result.error}")
        if self.results:
            lines.append(f"Executed notebooks are in {self.out_dir / NOTEBOOKS}.")
        return "\n".join(lines)


def prepare_out_dir(out_dir: str | os.PathLike[str]) -> Path:
    """Make the output folder (owner-only) and check it can be written.

    Raises:
        RenderInputError: the folder cannot be made or written.
    """
    folder = Path(out_dir).expanduser()
    try:
        paths.private_dir(folder)
        probe = folder / f".partnerkit-write-check-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise RenderInputError(f"cannot be written ({reason})", value=str(folder),
                               where="output folder",
                               fix="pass --out with a folder you can write to") from None
    return folder.resolve()


def private_dir(folder: Path) -> Path:
    """A folder of the output, made owner-only (0700) if new (with any missing parent)."""
    return paths.private_dir(folder)


def notebook_path(out_dir: Path, workbook: str, target: Target) -> Path:
    """Where the executed notebook of a target is kept."""
    return out_dir / NOTEBOOKS / f"{workbook}-{target.name}.ipynb"


def report_files(out_dir: Path, workbook: str, target: Target,
                 formats: list[str]) -> dict[str, Path]:
    """Where a target's report goes in each format."""
    return {fmt: out_dir / fmt / f"{workbook}-{target.name}.{fmt}" for fmt in formats}
