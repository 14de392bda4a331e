"""One function per ``users`` and ``workspaces`` subcommand: open the store, act, say what happened.

Each takes the command line's values (``data`` and ``url`` choose the store, as every
command does), makes its change as :func:`partnerkit.admin.operator` and returns the
text to print. Commands that only read refuse a data folder that does not exist instead
of making an empty one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from partnerkit import paths
from partnerkit.admin import operator, users, workspaces
from partnerkit.admin.passwords import read_new_password

if TYPE_CHECKING:
    from partnerkit.admin.classlist import ImportResult
    from partnerkit.store import Store

PathLike = str | os.PathLike[str] | None


@contextmanager
def opened(data: PathLike, url: str | None, *, create: bool = True) -> Iterator[Store]:
    """The store of a data folder (or URL), closed afterwards."""
    from partnerkit.store import open_store

    store = open_store(paths.data_dir(data, create=create), url)
    try:
        yield store
    finally:
        store.close()


def users_add(username: str, *, name: str, role: str, workspace: str, email: str | None = None,
              organisation: str | None = None, password_stdin: bool = False,
              data: PathLike = None, url: str | None = None) -> str:
    """``partnerkit users add``."""
    with opened(data, url) as store:
        return users.add_account(
            store, username, name, role, workspace, by=operator(), email=email,
            organisation=organisation,
            new_password=lambda: read_new_password(username, from_stdin=password_stdin))


def users_list(*, data: PathLike = None, url: str | None = None) -> str:
    """``partnerkit users list``."""
    with opened(data, url, create=False) as store:
        return users.users_table(store)


def users_remove(username: str, *, data: PathLike = None, url: str | None = None) -> str:
    """``partnerkit users remove``."""
    with opened(data, url, create=False) as store:
        return users.remove_account(store, username, by=operator())


def users_reset_password(username: str, *, password_stdin: bool = False, data: PathLike = None,
                         url: str | None = None) -> str:
    """``partnerkit users reset-password``."""
    with opened(data, url, create=False) as store:
        return users.reset_password(
            store, username, by=operator(),
            new_password=lambda: read_new_password(username, from_stdin=password_stdin))


def users_link(login: str, username: str, *, data: PathLike = None,
               url: str | None = None) -> str:
    """``partnerkit users link``."""
    with opened(data, url, create=False) as store:
        return users.link_login(store, login, username, by=operator())


def users_second_factor(username: str, *, data: PathLike = None, url: str | None = None) -> str:
    """``partnerkit users second-factor``."""
    with opened(data, url, create=False) as store:
        return users.second_factor(store, username, by=operator())


def users_import(file: str, *, codes: str | None = None, show_codes: bool = False,
                 data: PathLike = None, url: str | None = None) -> str:
    """``partnerkit users import``: the whole file or nothing; codes to an owner-only file."""
    from partnerkit.admin.classlist import import_class_list
    from partnerkit.admin.codes import default_codes_path

    folder = paths.data_dir(data, create=False)
    with opened(folder, url, create=False) as store:
        target = Path(codes) if codes else default_codes_path(folder, file, store.clock())
        result = import_class_list(store, file, by=operator(), codes_file=target)
    return describe_import(result, show_codes)


def describe_import(result: ImportResult, show_codes: bool) -> str:
    """What an import did, in plain lines; the codes themselves only when asked for."""
    lines = [f"Imported {result.file}: {len(result.added)} new accounts, "
             f"{len(result.joined)} given a role in another workspace, "
             f"{len(result.unchanged)} already there."]
    if result.codes_file is not None:
        lines.append(f"One-time sign-in codes (readable by you only): {result.codes_file}")
        lines.append("Hand each person their code; they choose their own password at "
                     "their first sign-in.")
    if show_codes and result.added:
        from partnerkit.admin.listing import plain_table

        lines.append(plain_table(["username", "name", "one-time code"],
                                 [[p.username, p.name, result.codes[p.username]]
                                  for p in result.added]))
    if result.ignored_columns:
        lines.append("Columns not used: " + ", ".join(repr(c) for c in result.ignored_columns))
    return "\n".join(lines)


def workspaces_add(name: str, *, title: str, data: PathLike = None,
                   url: str | None = None) -> str:
    """``partnerkit workspaces add``."""
    with opened(data, url) as store:
        return workspaces.add_workspace(store, name, title, by=operator())


def workspaces_list(*, data: PathLike = None, url: str | None = None) -> str:
    """``partnerkit workspaces list``."""
    with opened(data, url, create=False) as store:
        return workspaces.workspaces_table(store)


def workspaces_members(name: str, *, data: PathLike = None, url: str | None = None) -> str:
    """``partnerkit workspaces members``."""
    with opened(data, url, create=False) as store:
        return workspaces.members_table(store, name)


def workspaces_second_factor(name: str, setting: str, *, data: PathLike = None,
                             url: str | None = None) -> str:
    """``partnerkit workspaces second-factor``."""
    with opened(data, url, create=False) as store:
        return workspaces.set_second_factor(store, name, setting, by=operator())


def workspaces_sensitivity(name: str, marking: str | None = None, *, default: bool = False,
                           data: PathLike = None, url: str | None = None) -> str:
    """``partnerkit workspaces sensitivity``: show the marking, or set it (or the default)."""
    from partnerkit.admin import sensitivity

    with opened(data, url, create=False) as store:
        if default or marking is not None:
            return sensitivity.set_marking(store, name, marking, by=operator(), default=default)
        return sensitivity.describe_marking(store, name)
