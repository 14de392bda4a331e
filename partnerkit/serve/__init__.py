"""``partnerkit serve``: the workbooks as Voilà web forms over the store, for signed-in people.

One module per concern:

- :mod:`~partnerkit.serve.options`: what was asked for, and the checks that refuse
  unsafe or impossible options (bound to 127.0.0.1 by default; ``--no-sign-in`` only
  there; a store without accounts refused; HTTPS with a certificate and key);
- :mod:`~partnerkit.serve.app`: the Voilà application and its configuration (no
  tracebacks on a page, no code from the browser, only the workbooks folder served);
- :mod:`~partnerkit.serve.identity`: Jupyter Server's identity provider, from the
  session cookie only;
- :mod:`~partnerkit.serve.signin` (with :mod:`~partnerkit.serve.signin_steps`): the
  sign-in pages, a new password after a one-time code, the second factor, sign-out;
- :mod:`~partnerkit.serve.web_sessions`: sessions in server memory and the idle timeout;
- :mod:`~partnerkit.serve.state`: what the running server keeps (sessions, secrets);
- :mod:`~partnerkit.serve.lockdown`: every handler refuses a request without a session;
  a kernel serves only the session it was handed to;
- :mod:`~partnerkit.serve.handover`: the signed-in account, handed to a page's kernel;
- :mod:`~partnerkit.serve.workbook_pages`: a workbook page, refused before any kernel
  when the account may not open it;
- :mod:`~partnerkit.serve.landing`: the landing page, listing what the person may open;
- :mod:`~partnerkit.serve.pages`: the server's own pages from Jinja templates;
- :mod:`~partnerkit.serve.kernels`: steady kernel clients and the gentle kernel pool;
- :mod:`~partnerkit.serve.kernel_life`: a page's kernel ends with its page (the leaving
  beacon, a page gone without a word, idle culling told to the page); a dead pool
  kernel is replaced before a page gets it;
- :mod:`~partnerkit.serve.room`: ``--room N`` pool sizing, the memory check at start, the
  limits on pages per person and in all, the culling time;
- :mod:`~partnerkit.serve.console`: the console line of pages ready, kernels and memory.

How a page's kernel behaves once it runs a workbook is :mod:`partnerkit.page`.
"""

from __future__ import annotations

from partnerkit.errors import ServeError
from partnerkit.serve.app import make_app, serve, voila_config
from partnerkit.serve.options import (
    DEFAULT_IDLE_MINUTES,
    DEFAULT_POOL,
    DEFAULT_PORT,
    ServeOptions,
    check_options,
    parse_pools,
)

__all__ = ["DEFAULT_IDLE_MINUTES", "DEFAULT_POOL", "DEFAULT_PORT", "ServeError",
           "ServeOptions", "check_options", "make_app", "parse_pools", "serve",
           "voila_config"]
