"""A papermill engine that runs a notebook on a kernel that is already running.

papermill's own ``nbclient`` engine starts a kernel per notebook; this one takes a warm
kernel's manager and client (``km=``, ``kc=``, passed through papermill's engine
keywords) and leaves the kernel running afterwards. Everything else is papermill's:
the cells run through :class:`papermill.clientwrap.PapermillNotebookClient`, which keeps
each cell's timing and status, stops at the first failing cell and marks it.

The engine is registered with papermill under :data:`ENGINE_NAME` when this module is
imported.
"""

from __future__ import annotations

from typing import Any

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.utils import merge_kwargs, remove_args

ENGINE_NAME = "partnerkit-warm"


class WarmKernelEngine(NBClientEngine):
    """papermill's nbclient engine, on the kernel ``km``/``kc`` it is given (kept running)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False,
                                 stdout_file: Any = None, stderr_file: Any = None,
                                 start_timeout: int = 60, execution_timeout: Any = None,
                                 kc: Any = None, **kwargs: Any) -> Any:
        """Run the notebook's cells on the given kernel, as papermill's nbclient engine does.

        With ``km`` (in ``kwargs``) and ``kc`` the kernel and its client are reused and
        left running; without them a kernel is started and stopped as papermill does.
        """
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        final = merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                             kernel_name=kernel_name, log_output=log_output,
                             stdout_file=stdout_file, stderr_file=stderr_file)
        client = PapermillNotebookClient(nb_man, **final)
        if kc is not None:
            client.kc = kc
        return client.execute()


papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
