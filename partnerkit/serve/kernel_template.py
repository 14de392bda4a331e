"""The kernel template: one process that has imported what every page needs, forked per kernel.

A page's kernel spends most of its start-up importing (ipykernel, pandas, matplotlib,
ipywidgets and partnerkit's wings: about a second of CPU each time). ``partnerkit serve``
starts this template once; it imports all of that, freezes its objects for the garbage
collector (so children share those memory pages instead of copying them), and then
waits on an owner-only Unix socket. For each kernel the server wants it receives the
kernel's command, environment and folder, forks, and answers with the child's process
id. The child becomes the kernel exactly as ``python -m ipykernel_launcher`` would
(:func:`become_kernel`): its own session, the environment it was given, its folder.

Nothing here reads pupil data or opens the store: the template holds only code. It ends
when the server that started it has gone (its parent changes) or on SIGTERM.

Run by the server only: ``python -m partnerkit.serve.kernel_template SOCKET``.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import socket
import sys
import threading
from pathlib import Path

import setproctitle

LAUNCHER = ("-m", "ipykernel_launcher")
CHARTS = ("partnerkit.mapping_tool.ecomap", "partnerkit.principles.wheel",
          "matplotlib.backends.backend_agg", "matplotlib.backends.backend_svg",
          "PIL.features", "pyarrow.pandas_compat", "pandas.core.methods.to_dict")
"""What a page imports as it draws its chart (the ecomap, the principles wheel) or its
tables, once its fields are usable: 0.035 s of every mapping page kernel's CPU when each
imported them itself (:func:`draw_a_chart` loads the rest)."""
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger",
           "IPython.core.completerlib", "pandas", "matplotlib", "matplotlib.figure",
           "ipywidgets", "sqlalchemy.dialects.sqlite", "websockets.asyncio.client",
           "partnerkit.session", *CHARTS)
"""Modules every page imports; the wings' views modules are added from the workbooks.

The kernel class and its debugger are imported by ipykernel only as a kernel starts
(debugpy's half of that was 0.09 s of a forked kernel's 0.15 s of start-up CPU), and
websockets only as a pool kernel asks for its page request."""
preloaded_modules: frozenset[str] = frozenset()
"""The modules in the template when it forks (a kernel's start-up imports the rest)."""
ACCEPT_SLICE_SECONDS = 1.0
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def wing_views() -> list[str]:
    """The views module of every wing a workbook imports (``partnerkit.<wing>.views``)."""
    found = []
    for folder in Path(__file__).resolve().parents[1].iterdir():
        if (folder / "views.py").is_file() or (folder / "views" / "__init__.py").is_file():
            found.append(f"partnerkit.{folder.name}.views")
    return sorted(found)


def preload() -> None:
    """Import what pages use, as a kernel would (the inline chart backend), warm, freeze."""
    import importlib

    global preloaded_modules
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    # debugpy checks for frozen modules as it is imported and warns; kernels never debug.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    for name in (*PRELOAD, *wing_views()):
        importlib.import_module(name)
    warm_caches()
    preloaded_modules = frozenset(sys.modules)
    gc.collect()
    gc.freeze()


def warm_caches() -> list[str]:
    """Read the framework content, draw a chart and compile the page partials, once.

    A page read its framework files and compiled the partials it draws with after its
    request had arrived: a tenth of its kernel's work (``benchmarks/page_profile.py``).
    These are the same for every page and hold no pupil data, so the template does them
    and each forked kernel starts with them done. The names of the partials compiled.
    """
    from partnerkit.content import load_content
    from partnerkit.paths import templates_dir
    from partnerkit.reports.parts import _environment

    load_content()
    draw_a_chart()
    environment = _environment()
    root = templates_dir()
    names = sorted(p.relative_to(root).as_posix() for p in (root / "parts").rglob("*.j2"))
    for name in names:
        environment.get_template(name)
    return names


def draw_a_chart() -> None:
    """Draw a small chart as PNG and SVG, as a page does with its own.

    The image plugins and font metrics that loads are then every kernel's from the start.
    """
    import io

    from matplotlib.figure import Figure

    figure = Figure(figsize=(1, 1))
    figure.add_subplot().plot([0, 1], [0, 1])
    for kind in ("png", "svg"):
        figure.savefig(io.BytesIO(), format=kind)


def is_kernel_command(argv: list[str]) -> bool:
    """Whether ``argv`` is this Python starting ipykernel (the only command forked)."""
    return (len(argv) >= 3 and os.path.realpath(argv[0]) == os.path.realpath(sys.executable)
            and tuple(argv[1:3]) == LAUNCHER)


def become_kernel(argv: list[str], env: dict[str, str], cwd: str) -> None:
    """In the forked child: turn into the kernel ``argv`` asks for, and never return."""
    code = 0
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        setproctitle.setproctitle(" ".join(argv))  # `ps` shows a kernel as a kernel
        os.environ.clear()  # after the title: setproctitle finds argv beside the environment
        os.environ.update(env)
        os.chdir(cwd)
        sys.argv = ["ipykernel_launcher", *argv[3:]]
        from ipykernel.kernelapp import IPKernelApp

        # The kernel watches its parent, the template, which ends when the server does:
        # a kernel never outlives its server (ipykernel's parent poller). Set here, as its
        # default was read from the template's environment when ipykernel was imported.
        app = IPKernelApp.instance(parent_handle=os.getppid())
        app.initialize(argv[3:])
        import ipywidgets

        ipywidgets.register_comm_target()  # imported before the kernel existed
        app.start()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 0
    except BaseException:  # noqa: BLE001 - the kernel's last words go to the server's log
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def fork_kernel(request: dict) -> int:
    """Fork a child that becomes the kernel; the child's process id, in the template."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        become_kernel(request["argv"], request["env"], request["cwd"])
    return pid


def answer(connection: socket.socket) -> None:
    """Read one request (a JSON line), fork its kernel and reply with the pid or the error."""
    with connection, connection.makefile("rwb") as stream:
        try:
            request = json.loads(stream.readline())
            if not is_kernel_command(request["argv"]):
                reply = {"error": "not an ipykernel command"}
            elif threading.active_count() > 1:
                reply = {"error": "the template has threads; forking it is not safe"}
            else:
                reply = {"pid": fork_kernel(request)}
        except (ValueError, KeyError, OSError) as problem:
            reply = {"error": f"{type(problem).__name__}: {problem}"}
        stream.write(json.dumps(reply).encode() + b"\n")
        stream.flush()


def serve(path: str, parent: int) -> None:
    """Answer requests on the socket at ``path`` until the server (``parent``) has gone."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_mask = os.umask(0o177)
    try:
        listener.bind(path)
    finally:
        os.umask(old_mask)
    listener.listen(64)
    listener.settimeout(ACCEPT_SLICE_SECONDS)
    print(f"partnerkit: kernel template ready ({os.getpid()})", file=sys.stderr, flush=True)
    while os.getppid() == parent:
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            continue
        connection.settimeout(None)
        answer(connection)
    listener.close()


def main(argv: list[str] | None = None) -> int:
    """Preload, then answer the server on the socket named in ``argv``."""
    path = (argv if argv is not None else sys.argv[1:])[0]
    parent = os.getppid()
    if sys.path and (sys.path[0] in ("", os.getcwd())):
        del sys.path[0]  # as ipykernel_launcher does: the server's folder is not on the path
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the server's to handle
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped as they end
    preload()
    serve(path, parent)
    return 0


if __name__ == "__main__":
    # Run as the package's module, not as __main__ (which a kernel replaces with its
    # own), so what preload() records is there for a forked kernel to read.
    from partnerkit.serve import kernel_template

    sys.exit(kernel_template.main())
