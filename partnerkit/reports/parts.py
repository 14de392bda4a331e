"""HTML fragments from the Jinja partials in ``templates/parts/``, one file per fragment.

Pages and reports build their smaller pieces of HTML (a heading and its text, a message,
a table) here instead of in f-strings: the partials render with the reports'
autoescaping environment (:func:`partnerkit.reports.environment`), so user text is
always shown as typed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2

from partnerkit.reports import environment


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return environment()


def render_part(name: str, /, **context: Any) -> str:
    """Render ``templates/parts/<name>.html.j2`` (autoescaped) with ``context``."""
    return _environment().get_template(f"parts/{name}.html.j2").render(**context)
