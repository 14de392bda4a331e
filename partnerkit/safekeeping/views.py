"""The data-protection page's backup and paperwork sections (for the dp lead and the admin).

* Backup: a passphrase typed twice (never shown, never kept: both fields are emptied
  whatever happens) makes an encrypted, owner-only backup in the data folder's
  ``backups/``, as ``partnerkit backup`` does, with a download link when the account
  may take the whole store away (:func:`partnerkit.access.may_take_store_copy`).
* Restore is not done from a page while the server runs: the page says so, and what to
  do instead. "Check a backup" checks one of the folder's backups (checksum, version,
  passphrase) without restoring it.
* Paperwork: the DPIA starter and the privacy-notice draft (Word), to download.

Every button asks the one permission check first (:func:`partnerkit.access.check_dp`);
bad input or a refusal is one clear message beside the button.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from partnerkit.access import BACKUP, PAPERWORK, check_dp, may_take_store_copy
from partnerkit.errors import BackupError, PartnerkitError
from partnerkit.forms.sections import LazySections
from partnerkit.reports.parts import render_part
from partnerkit.safekeeping import backup, paperwork
from partnerkit.safekeeping.passphrase import MIN_LENGTH, check_new

WIDE = {"description_width": "initial"}
def auto() -> widgets.Layout:
    """A new layout auto wide (each widget its own: a shared one is closed with any page)."""
    return widgets.Layout(width="auto")
DOWNLOAD_LIMIT = 64 * 1024 * 1024
"""The largest backup a page offers as a download link (a bigger one is copied by hand)."""
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RESTORE_NOTE = (
    "A backup is not restored from this page: the server is using the store. To restore, "
    "stop partnerkit serve, then on the server run: partnerkit restore FILE --replace (it "
    "asks for the passphrase and copies the store it replaces aside first), then start the "
    "server again. You can check a backup here first.")


def _status(text: str, ok: bool) -> str:
    return render_part("status_message", text=text, ok=ok)


def _answer(out: widgets.HTML, call: Callable[[], str]) -> None:
    try:
        out.value = _status(call(), True)
    except PartnerkitError as exc:
        out.value = _status(str(exc), False)


def _link(path: Path, label: str, mime: str) -> str:
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    return render_part("file_download", filename=path.name, encoded=encoded, text=label,
                       mime=mime)


def backup_folder(session: Any) -> Path:
    """Where the page's backups go: ``backups/`` in the data folder."""
    return Path(session.data_dir) / "backups"


def make_backup(session: Any, first: str, second: str) -> tuple[Path, str]:
    """Check the passphrase, then back up the store now; (the file, the link or a note)."""
    guarded = session.store
    check_dp(guarded, BACKUP, session.workspace)
    phrase = check_new(first, second)
    made = backup.make_backup(guarded.store, phrase, backup_folder(session),
                              guarded.account.username)
    allowed = may_take_store_copy(guarded.account, guarded.store.workspaces())
    size = made.stat().st_size
    if not allowed:
        note = _status(f"Not offered for download: {allowed.reason}; {allowed.fix}.", False)
    elif size > DOWNLOAD_LIMIT:
        note = _status(f"It is too large to download from a page ({size:,} bytes): copy it "
                       f"from the server's data folder, backups/{made.name}.", False)
    else:
        note = _link(made, f"Download the backup {made.name} ({size:,} bytes)",
                     "application/octet-stream")
    return made, note


def backup_form(session: Any, on_made: Callable[[], None] | None = None) -> widgets.VBox:
    """Make an encrypted backup now: the passphrase twice, then the file to download."""
    first = widgets.Password(description="Passphrase", style=WIDE,
                             placeholder=f"at least {MIN_LENGTH} characters")
    second = widgets.Password(description="The same passphrase again", style=WIDE)
    button = widgets.Button(description="Make an encrypted backup now",
                            button_style="primary", layout=auto())
    out, link = widgets.HTML(), widgets.HTML()

    def call(typed: tuple[str, str]) -> str:
        made, link.value = make_backup(session, *typed)
        if on_made is not None:
            on_made()
        return (f"Made the encrypted backup {made.name}, readable only by the server's "
                "account. Keep the passphrase apart from it: without it the backup "
                "cannot be restored.")

    def click(_: Any) -> None:
        typed = (first.value, second.value)
        first.value = second.value = ""  # never kept in the page, whatever happens
        link.value = ""
        _answer(out, lambda: call(typed))

    button.on_click(click)
    hint = render_part("help_note", note="Choose a passphrase of four or more words and "
                                         "keep it apart from the backup (a password manager, "
                                         "or sealed on paper). It is not stored anywhere.")
    return widgets.VBox([widgets.HTML(hint), first, second, button, out, link])


def check_backup(session: Any, chosen: str | None, phrase: str) -> str:
    """Check one of the folder's backups without restoring it (audited)."""
    check_dp(session.store, BACKUP, session.workspace)
    if not chosen:
        raise BackupError("no backup is chosen", where="backup",
                          fix="make a backup first, or choose one in the list")
    said = backup.check_backup(Path(chosen), phrase)
    session.store.store.audit(session.store.account.username, "backup-checked",
                              allowed=True, workspace=session.workspace,
                              detail=Path(chosen).name)
    return said


class CheckForm(widgets.VBox):
    """Restore is done on the server (said plainly); a backup can be checked here."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.chosen = widgets.Dropdown(description="Backup", style=WIDE, layout=auto())
        self.phrase = widgets.Password(description="Its passphrase", style=WIDE)
        button = widgets.Button(description="Check this backup", layout=auto())
        self.out = widgets.HTML()
        button.on_click(lambda _b: self.check())
        self.refresh()
        super().__init__([widgets.HTML(render_part("help_note", note=RESTORE_NOTE)),
                          self.chosen, self.phrase, button, self.out])

    def refresh(self) -> None:
        """List the backups in the folder, newest first (the newest chosen)."""
        choices = [(p.name, str(p)) for p in backup.backups_in(backup_folder(self.session))]
        self.chosen.options = choices
        self.chosen.value = choices[0][1] if choices else None

    def check(self) -> None:
        """Check the chosen backup with the passphrase typed (then forgotten)."""
        typed, self.phrase.value = self.phrase.value, ""
        _answer(self.out, lambda: check_backup(self.session, self.chosen.value, typed))


def backups_section(session: Any) -> widgets.VBox:
    """Make a backup now; restoring, and checking a backup."""
    checker = CheckForm(session)
    return widgets.VBox([_heading("Make a backup now"),
                         backup_form(session, on_made=checker.refresh),
                         _heading("Restore, and check a backup"), checker])


def _heading(text: str) -> widgets.HTML:
    return widgets.HTML(render_part("subheading", text=text))


def make_paperwork(session: Any, document: str) -> Path:
    """Write the DPIA starter or the privacy-notice draft into the data folder (audited)."""
    guarded = session.store
    check_dp(guarded, PAPERWORK, session.workspace)
    target = Path(session.data_dir) / "paperwork" / f"{document}.docx"
    made = paperwork.write(guarded.store, document, str(target))
    guarded.store.audit(guarded.account.username, "paperwork", allowed=True,
                        workspace=session.workspace, detail=made.name)
    return made


def paperwork_form(session: Any) -> widgets.VBox:
    """Buttons that make the DPIA starter and the privacy-notice draft, to download (Word)."""
    out, link = widgets.HTML(), widgets.HTML()
    buttons = []
    for document, label in (("dpia", "Make the DPIA starter (Word)"),
                            ("privacy-notice", "Make the privacy-notice draft (Word)")):
        button = widgets.Button(description=label, layout=auto())

        def click(_: Any, document: str = document) -> None:
            def call() -> str:
                made = make_paperwork(session, document)
                link.value = _link(made, f"Download {made.name}", DOCX)
                return (f"Made {paperwork.DOCUMENTS[document][1]} from what this "
                        "installation stores: a draft for the school to complete with its "
                        "data protection officer.")
            link.value = ""
            _answer(out, call)

        button.on_click(click)
        buttons.append(button)
    return widgets.VBox([widgets.HBox(buttons), out, link])


def safekeeping_sections(session: Any) -> LazySections:
    """The page's backup and paperwork sections, each built when opened."""
    return LazySections([("Backups: make one now, restore, check one",
                          lambda: backups_section(session)),
                         ("Paperwork: DPIA starter and privacy notice",
                          lambda: paperwork_form(session))], lazy=session.served)
