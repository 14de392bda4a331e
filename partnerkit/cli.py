"""The ``partnerkit`` command: each subcommand turns its arguments into one package call."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from partnerkit import __version__
from partnerkit.arguments import add_as as _add_as
from partnerkit.arguments import add_data as _add_data
from partnerkit.data_protection.commands import add_commands as add_data_protection
from partnerkit.errors import PartnerkitError
from partnerkit.safekeeping import commands as safekeeping
from partnerkit.verify import add_verify

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line naming the bad value and the fix."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}; see '{self.prog} --help'\n")


def build_parser() -> argparse.ArgumentParser:
    """The full command line: ``partnerkit --help`` shows it."""
    parser = _Parser(prog="partnerkit",
                     description="Guided workbooks for schools and partners working together "
                                 "on attendance.")
    parser.add_argument("--version", action="version", version=f"partnerkit {__version__}")
    parser.add_argument("--debug", action="store_true", help="show full error details")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser("demo", help="create a demo workspace with fictional pupils "
                                            "and partners")
    _add_data(demo)
    demo.set_defaults(run=_run_demo)

    serve = commands.add_parser(
        "serve", help="serve the workbooks as web forms (Voilà); everyone signs in",
        description="Serve the workbooks as web forms. Everyone signs in with an account "
                    "(partnerkit demo makes demo accounts; partnerkit users add adds one). "
                    "Sessions end after --idle-minutes without activity.")
    serve.add_argument("--data", metavar="DIR",
                       help="data folder (default: $PARTNERKIT_DATA or a per-user folder)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this computer only)")
    serve.add_argument("--port", type=int, default=8866, help="port (default 8866)")
    serve.add_argument("--pool", action="append", metavar="N|WORKBOOK=N",
                       help="preheated kernels per workbook (default 1); repeat as "
                            "WORKBOOK=N for one workbook, e.g. --pool mapping_tool=30")
    serve.add_argument("--workspace", help="workspace shown first on the landing page "
                                           "(default: the person's first)")
    serve.add_argument("--idle-minutes", type=float, default=30.0, metavar="N",
                       help="end a session after N minutes without activity (default 30)")
    serve.add_argument("--no-sign-in", action="store_true",
                       help="one person on their own computer only: no sign-in, work as "
                            "this computer's login name (refused with any --host but "
                            "127.0.0.1)")
    serve.add_argument("--certfile", metavar="PEM",
                       help="serve HTTPS with this certificate (with --keyfile)")
    serve.add_argument("--keyfile", metavar="PEM", help="the certificate's private key")
    serve.add_argument("--hub", action="store_true",
                       help="a JupyterHub user's own server (the hub starts it through "
                            "jupyter-standaloneproxy and signs people in; the account is "
                            "$JUPYTERHUB_USER): see deploy/jupyterhub/")
    _add_room_arguments(serve)
    serve.set_defaults(run=_run_serve)

    add_verify(commands)
    lab = commands.add_parser("lab", help="open JupyterLab on your own copy of the workbooks")
    lab.add_argument("--data", metavar="DIR",
                     help="data folder (default: $PARTNERKIT_DATA or a per-user folder)")
    _add_as(lab, "the account the notebooks' kernels act as")
    lab.set_defaults(run=_run_lab)
    _add_render(commands)
    _add_users(commands)
    _add_workspaces(commands)
    safekeeping.add_audit(commands)
    safekeeping.add_backup(commands)
    safekeeping.add_restore(commands)
    safekeeping.add_paperwork(commands)
    add_data_protection(commands)
    return parser


def _group(commands: argparse._SubParsersAction, name: str, help_text: str
           ) -> argparse._SubParsersAction:
    """A command with subcommands of its own; alone it prints its help (status 2)."""
    group = commands.add_parser(name, help=help_text, description=help_text)
    group.set_defaults(run=lambda args: _print_help(group))
    return group.add_subparsers(dest=f"{name}_command", metavar="SUBCOMMAND",
                                parser_class=_Parser)


def _print_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_USAGE


def _leaf(group: argparse._SubParsersAction, name: str, help_text: str, run: Any
          ) -> argparse.ArgumentParser:
    leaf = group.add_parser(name, help=help_text, description=help_text)
    _add_data(leaf)
    leaf.set_defaults(run=run)
    return leaf


def _add_users(commands: argparse._SubParsersAction) -> None:
    users = _group(commands, "users", "manage accounts: add, list, remove, reset a password, "
                                      "import a class list (no sign-in: you own the data "
                                      "folder; every change is audited as cli:LOGIN)")
    add = _leaf(users, "add", "add an account, or give a person a role in another workspace",
                lambda a: _admin("users_add", a.username, name=a.name, role=a.role,
                                 workspace=a.workspace, email=a.email,
                                 organisation=a.organisation, password_stdin=a.password_stdin,
                                 data=a.data, url=a.database_url))
    add.add_argument("username", metavar="USERNAME", help="e.g. a.morgan")
    add.add_argument("--name", required=True, help='the full name, e.g. "Alex Morgan"')
    add.add_argument("--role", required=True, metavar="ROLE",
                     help="practitioner, school-lead, trainer, dp-lead (data-protection "
                          "lead) or admin")
    add.add_argument("--workspace", required=True, help="the workspace (school or cohort)")
    add.add_argument("--email", help="their email address")
    add.add_argument("--organisation", metavar="ORG",
                     help="the partner organisation they speak for (partners only)")
    _add_password_stdin(add)
    _leaf(users, "list", "list the accounts: workspaces and roles, locks, second factor",
          lambda a: _admin("users_list", data=a.data, url=a.database_url))
    remove = _leaf(users, "remove", "remove an account (refused for a workspace's last admin)",
                   lambda a: _admin("users_remove", a.username, data=a.data,
                                    url=a.database_url))
    remove.add_argument("username", metavar="USERNAME")
    reset = _leaf(users, "reset-password", "give an account a new password and lift its lock",
                  lambda a: _admin("users_reset_password", a.username,
                                   password_stdin=a.password_stdin, data=a.data,
                                   url=a.database_url))
    reset.add_argument("username", metavar="USERNAME")
    _add_password_stdin(reset)
    _add_users_more(users)


def _add_users_more(users: argparse._SubParsersAction) -> None:
    imported = _leaf(users, "import", "add the accounts of a class list (CSV or XLSX: username, "
                                      "name, email, role, workspace; optional organisation); "
                                      "the whole file is refused if any row is bad",
                     lambda a: _admin("users_import", a.file, codes=a.codes,
                                      show_codes=a.show_codes, data=a.data,
                                      url=a.database_url))
    imported.add_argument("file", metavar="FILE.csv")
    imported.add_argument("--codes", metavar="FILE",
                          help="where to write the one-time sign-in codes (default: "
                               "DATA/sign-in-codes/<file>-codes-<time>.csv, owner-only)")
    imported.add_argument("--show-codes", action="store_true",
                          help="also print the one-time codes here (default: only in the file)")
    link = _leaf(users, "link", "let a computer login name act as an account in "
                                "partnerkit lab and partnerkit render",
                 lambda a: _admin("users_link", a.login, a.username, data=a.data,
                                  url=a.database_url))
    link.add_argument("login", metavar="LOGIN", help="the login name (see: whoami)")
    link.add_argument("username", metavar="USERNAME")
    factor = _leaf(users, "second-factor", "make a new authenticator secret and show it as "
                                           "a QR code to scan",
                   lambda a: _admin("users_second_factor", a.username, data=a.data,
                                    url=a.database_url))
    factor.add_argument("username", metavar="USERNAME")


def _add_password_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input "
                             "(default: ask twice at the terminal)")


def _add_workspaces(commands: argparse._SubParsersAction) -> None:
    spaces = _group(commands, "workspaces", "manage workspaces (a school or a training "
                                            "cohort): add, list, members, second factor, "
                                            "sensitivity marking")
    add = _leaf(spaces, "add", "add a workspace",
                lambda a: _admin("workspaces_add", a.name, title=a.title, data=a.data,
                                 url=a.database_url))
    add.add_argument("name", metavar="NAME",
                     help="lower-case letters, digits, '-' or '_', e.g. oakfield-primary")
    add.add_argument("--title", required=True, help='what people call it, e.g. "Oakfield '
                                                    'Primary School"')
    _leaf(spaces, "list", "list the workspaces",
          lambda a: _admin("workspaces_list", data=a.data, url=a.database_url))
    members = _leaf(spaces, "members", "list a workspace's members and their roles",
                    lambda a: _admin("workspaces_members", a.name, data=a.data,
                                     url=a.database_url))
    members.add_argument("name", metavar="NAME")
    factor = _leaf(spaces, "second-factor", "ask (on) or stop asking (off) the workspace's "
                                            "school leads, data-protection leads and admins "
                                            "for an authenticator code",
                   lambda a: _admin("workspaces_second_factor", a.name, a.setting,
                                    data=a.data, url=a.database_url))
    factor.add_argument("name", metavar="NAME")
    factor.add_argument("setting", choices=["on", "off"], metavar="on|off")
    _add_sensitivity(spaces)


def _add_sensitivity(spaces: argparse._SubParsersAction) -> None:
    """``partnerkit workspaces sensitivity NAME [MARKING] [--default]``."""
    marking = _leaf(spaces, "sensitivity", "show or set the sensitivity marking on every page "
                                           "of the workspace's reports (default "
                                           "OFFICIAL-SENSITIVE)",
                    lambda a: _admin("workspaces_sensitivity", a.name, a.marking,
                                     default=a.default, data=a.data, url=a.database_url))
    marking.add_argument("name", metavar="NAME", help="the workspace, e.g. oakfield-primary")
    marking.add_argument("marking", metavar="MARKING", nargs="?",
                         help='the marking to print, e.g. "OFFICIAL-SENSITIVE" (at most 60 '
                              "characters); leave it out to see the marking now")
    marking.add_argument("--default", action="store_true",
                         help="go back to the default marking, OFFICIAL-SENSITIVE")


def _admin(command: str, *args: Any, **kwargs: Any) -> int:
    """Run one ``partnerkit.admin.commands`` function and print what it says."""
    from partnerkit.admin import commands

    print(getattr(commands, command)(*args, **kwargs))
    return 0


def _add_render(commands: argparse._SubParsersAction) -> None:
    render = commands.add_parser(
        "render", help="run a workbook for many pupils, steps or practitioners and write "
                       "their reports (HTML, Word, PDF)",
        description="Run a workbook once per target (pupil, step or practitioner) with "
                    "papermill parameters and write its report in each format asked for. "
                    "Reports go to OUT/<format>/<workbook>-<target>.<ext> (for example "
                    "reports/pdf/mapping_tool-P-1001.pdf), the executed notebooks to "
                    "OUT/notebooks/, and a manifest of what was rendered to "
                    "OUT/render-manifest.json. Every file is readable by you only. "
                    "It reads as one account (--as) and renders only what that account may "
                    "read. Exit status: 0 all written, 1 some target failed or was refused, "
                    "2 bad input or not allowed.")
    render.add_argument("workbook", metavar="WORKBOOK",
                        help="the workbook to run, e.g. mapping_tool or six_steps")
    _add_data(render)
    render.add_argument("--workspace", default="demo", help="workspace (default: demo)")
    pupils = render.add_mutually_exclusive_group()
    pupils.add_argument("--pupil", nargs="+", action="extend", metavar="REF",
                        help="one or more pupil references")
    pupils.add_argument("--all-pupils", action="store_true",
                        help="every pupil in the workspace")
    steps = render.add_mutually_exclusive_group()
    steps.add_argument("--step", nargs="+", action="extend", metavar="N",
                       help="one or more of the six steps (1-6)")
    steps.add_argument("--all-steps", action="store_true", help="steps 1 to 6")
    render.add_argument("--author", metavar="NAME",
                        help="the practitioner (whose log, for a per-practitioner workbook)")
    render.add_argument("--names", action="store_true",
                        help="show pupils' real names where recorded (default: pseudonymous "
                             "references only; file names always use references)")
    render.add_argument("--format", action="append", metavar="html,docx,pdf",
                        help="report formats, comma-separated (default: html)")
    render.add_argument("--out", metavar="DIR", default="reports",
                        help="output folder (default: ./reports)")
    render.add_argument("--jobs", type=int, metavar="N",
                        help="kernels running at once (default: one per CPU core)")
    render.add_argument("--changed-only", action="store_true",
                        help="skip targets whose workbook, parameters and saved answers have "
                             "not changed since their last render into OUT")
    render.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on a Dask cluster: local:N starts N workers here, or give "
                             "a scheduler address such as tcp://10.0.0.5:8786 (needs "
                             "partnerkit[cluster]; workers share the --out folder)")
    _add_as(render, "the account the render reads as (its kernels act as it too)")
    render.set_defaults(run=_run_render)


def _run_render(args: argparse.Namespace) -> int:
    # From the module itself: the package's lazy names would import papermill under
    # hasattr(), which made the import several times slower.
    from partnerkit.render.command import run_command

    summary = run_command(
        args.workbook, data=args.data, database_url=args.database_url,
        workspace=args.workspace, pupils=args.pupil, all_pupils=args.all_pupils,
        steps=args.step, all_steps=args.all_steps, author=args.author, names=args.names,
        formats=args.format, out=args.out, jobs=args.jobs, changed_only=args.changed_only,
        as_=args.as_, scheduler=args.scheduler)
    print(summary.describe())
    return summary.exit_status


def _run_lab(args: argparse.Namespace) -> int:
    from partnerkit.lab import launch_lab

    return launch_lab(args.data, as_=args.as_)


def _add_room_arguments(serve: argparse.ArgumentParser) -> None:
    """``serve``'s room options (partnerkit.serve.room; not imported here: it is slow)."""
    serve.add_argument("--room", type=int, default=0, metavar="N",
                       help="size the preheated kernels for a room of N people (each "
                            "workbook gets N/3, rounded up); refused when the machine's "
                            "memory cannot hold the room")
    serve.add_argument("--cull-minutes", type=float, default=20.0, metavar="N",
                       help="end a page's kernel after N minutes without use (default 20); "
                            "the page says so")
    serve.add_argument("--max-pages-per-person", type=int, default=6, metavar="N",
                       help="pages one person may have open at once (default 6)")
    serve.add_argument("--max-pages", type=int, default=0, metavar="N",
                       help="pages open at once in all (default: what the memory holds)")


def _run_serve(args: argparse.Namespace) -> int:
    from pathlib import Path

    from partnerkit.paths import data_dir
    from partnerkit.serve import DEFAULT_POOL, ServeOptions, parse_pools, serve
    from partnerkit.serve.options import hub_options
    from partnerkit.serve.room import room_limits

    default_pool, pools = parse_pools(args.pool)
    hub_user, base_url = hub_options(dict(os.environ)) if args.hub else (None, "/")
    options = ServeOptions(
        data=args.data or data_dir(create=False), host=args.host, port=args.port, pools=pools,
        pool=DEFAULT_POOL if default_pool is None else default_pool, workspace=args.workspace,
        no_sign_in=args.no_sign_in, idle_minutes=args.idle_minutes,
        certfile=Path(args.certfile) if args.certfile else None,
        keyfile=Path(args.keyfile) if args.keyfile else None, hub_user=hub_user,
        base_url=base_url, limits=room_limits(args))
    serve(options)
    return 0


def _run_demo(args: argparse.Namespace) -> int:
    from partnerkit.demo import create_demo

    summary = create_demo(data=args.data, url=args.database_url)
    print(summary.describe())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input, 1 failure)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.run(args) or 0)
    except PartnerkitError as exc:
        if args.debug:
            raise
        print(f"partnerkit: error: {exc}", file=sys.stderr)
        for problem in getattr(exc, "problems", None) or ():
            print(f"  - {problem}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("partnerkit: stopped", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - never a traceback for a user; --debug shows it
        if args.debug:
            raise
        print(f"partnerkit: unexpected error: {type(exc).__name__}: {exc} "
              "(run again with --debug for the details)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
