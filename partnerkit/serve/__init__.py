"""``partnerkit serve``: the workbooks as Voilà web forms over the store in the data folder.

One module per concern:

- :mod:`~partnerkit.serve.options`: what was asked for, and the checks that refuse
  unsafe or impossible options (safe by default: bound to 127.0.0.1; any other address
  needs a token or a password);
- :mod:`~partnerkit.serve.app`: the Voilà application and its configuration (no
  tracebacks on a page, no code from the browser, only the workbooks folder served);
- :mod:`~partnerkit.serve.landing`: the landing page, listing the workbooks of
  :mod:`partnerkit.catalog`;
- :mod:`~partnerkit.serve.kernels`: steady kernel clients and the gentle kernel pool.

How a page's kernel behaves once it runs a workbook is :mod:`partnerkit.page`.
"""

from __future__ import annotations

from partnerkit.errors import ServeError
from partnerkit.serve.app import make_app, serve, voila_config
from partnerkit.serve.landing import render_landing
from partnerkit.serve.options import (
    DEFAULT_POOL,
    DEFAULT_PORT,
    ServeOptions,
    ask_password,
    check_options,
    parse_pools,
)

__all__ = ["DEFAULT_POOL", "DEFAULT_PORT", "ServeError", "ServeOptions", "ask_password",
           "check_options", "make_app", "parse_pools", "render_landing", "serve",
           "voila_config"]
