"""Voilà's page templates compiled once per server, not once per page.

Voilà makes a new exporter for every page, and each exporter a new Jinja environment, so
the page templates (``index.html.j2`` and everything it extends and includes) were read,
parsed and compiled to Python again for every page (67 ms of CPU per page, against 29 ms
compiled once: ``benchmarks/page_templates.py``). :func:`share_compiled_templates`
gives every Voilà exporter's environment one in-memory bytecode cache: a template is
compiled the first time, and later pages load the compiled code (Jinja checks the
template's source against it, so an edited template is compiled again).
"""

from __future__ import annotations

from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class CompiledTemplates(BytecodeCache):
    """Compiled Jinja templates kept in memory, by template (Jinja's own cache key)."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` with the template's compiled code, if it was compiled before."""
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the code Jinja has just compiled for a template."""
        self._compiled[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        """Forget every compiled template."""
        self._compiled.clear()

    def __len__(self) -> int:
        return len(self._compiled)


COMPILED = CompiledTemplates()
"""The one cache every Voilà exporter's environment shares (all are made alike: async,
with the same extensions, so their compiled code is the same)."""


def share_compiled_templates() -> None:
    """Make every Voilà exporter's Jinja environment use :data:`COMPILED` (once)."""
    from voila.exporter import VoilaExporter

    if getattr(VoilaExporter, "_partnerkit_compiled_once", False):
        return
    create = VoilaExporter._create_environment

    def _create_environment(self: Any) -> Any:
        environment = create(self)
        environment.bytecode_cache = COMPILED
        return environment

    VoilaExporter._create_environment = _create_environment
    VoilaExporter._partnerkit_compiled_once = True
