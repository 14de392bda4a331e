"""The page's backup, backup check and paperwork sections, as the data-protection lead uses them.

The passphrase is typed twice and never kept (the fields are emptied, whatever
happens); the backup is owner-only and offered for download only to an account that
may take the whole store away; a backup is checked without being restored.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from partnerkit.access import GuardedStore, load_account
from partnerkit.safekeeping import crypto, views
from partnerkit.session import Session
from partnerkit.store import Store

WORKSPACE = "school"
PHRASE = "four plain words here"
SECRET = "Quarrington-lives-by-the-harbour"


@pytest.fixture
def store(tmp_path: Path):
    """A school with a data-protection lead, an admin and a teacher, and a pupil's secret."""
    made = Store(data=tmp_path / "data")
    made.ensure_workspace(WORKSPACE)
    for username, role in (("dpo", "dp_lead"), ("admin", "admin"), ("teacher", "practitioner")):
        made.add_account(username, username.title(), created_by="test")
        made.set_membership(username, WORKSPACE, role, added_by="test")
    made.save(WORKSPACE, "pupil_profile", "P-1001", {"pupil": "P-1001", "notes": SECRET},
              "teacher")
    yield made
    made.close()


def _session(store: Store, username: str = "dpo") -> Session:
    return Session(store=GuardedStore(store, load_account(store, username)),
                   workspace=WORKSPACE, author=username, data_dir=store.path.parent,
                   params={})


def _backup(session, first=PHRASE, second=PHRASE):
    form = views.backup_form(session)
    _hint, one, two, button, out, link = form.children
    one.value, two.value = first, second
    button.click()
    assert one.value == two.value == ""  # never kept in the page
    return out.value, link.value


@pytest.mark.parametrize(("first", "second", "said"), [
    (PHRASE, PHRASE + "x", "the two passphrases typed differ"),
    ("short", "short", "is too short (5 characters; at least 10)"),
    ("", "", "is empty"),
])
def test_a_bad_passphrase_gets_its_message_and_makes_no_backup(store, first, second, said):
    out, link = _backup(_session(store), first, second)
    assert said in out and "pk-status-bad" in out and link == ""
    assert not (store.path.parent / "backups").exists()


def test_the_dp_lead_makes_an_owner_only_backup_and_downloads_it(store):
    out, link = _backup(_session(store))
    assert "Made the encrypted backup partnerkit-backup-" in out and PHRASE not in out
    [made] = (store.path.parent / "backups").glob("*.pkbackup")
    assert made.stat().st_mode & 0o777 == 0o600
    assert f'download="{made.name}"' in link and "data:application/octet-stream;base64," in link
    assert SECRET.encode() not in made.read_bytes()
    assert SECRET.encode() in crypto.unseal(made.read_bytes(), PHRASE, "test").payload
    assert store.audit_entries(account="dpo", action="backup")


def test_a_backup_holding_other_workspaces_stays_on_the_server(store):
    store.ensure_workspace("kirkton")
    out, link = _backup(_session(store))
    assert "Made the encrypted backup" in out
    assert "Not offered for download" in link and "1 workspace you are not" in link
    assert "base64" not in link
    assert list((store.path.parent / "backups").glob("*.pkbackup"))


def test_a_teacher_may_not_make_a_backup(store):
    out, _link = _backup(_session(store, "teacher"))
    assert "may not make or check a backup of the store" in out
    assert not (store.path.parent / "backups").exists()
    assert store.audit_entries(account="teacher", action="backup-refused")


def test_a_backup_is_checked_without_restoring_and_a_bad_one_is_named(store):
    session = _session(store, "admin")
    section = views.backups_section(session)
    _made, backup_box, _restore, checker = section.children
    assert "stop partnerkit serve" in checker.children[0].value
    assert checker.chosen.options == ()
    checker.check()
    assert "no backup is chosen" in checker.out.value
    one, two, button = backup_box.children[1:4]
    one.value = two.value = PHRASE
    button.click()
    assert len(checker.chosen.options) == 1  # the list follows the backup just made
    checker.phrase.value = "not the passphrase"
    checker.check()
    assert "passphrase" in checker.out.value and "pk-status-bad" in checker.out.value
    assert checker.phrase.value == ""
    checker.phrase.value = PHRASE
    checker.check()
    assert "is whole (its checksum matches) and the passphrase opens it" in checker.out.value
    assert "Nothing was restored" in checker.out.value
    made = Path(checker.chosen.value)
    made.write_bytes(made.read_bytes()[:-10])
    checker.phrase.value = PHRASE
    checker.check()
    assert "pk-status-bad" in checker.out.value and made.name in checker.out.value


def test_the_paperwork_buttons_make_word_documents_to_download(store):
    form = views.paperwork_form(_session(store))
    buttons, out, link = form.children
    buttons.children[0].click()
    assert "Made Data protection impact assessment (starter)" in out.value
    made = store.path.parent / "paperwork" / "dpia.docx"
    assert made.stat().st_mode & 0o777 == 0o600 and 'download="dpia.docx"' in link.value
    text = "\n".join(p.text for p in Document(str(made)).paragraphs)
    assert "impact assessment" in text.lower()
    assert store.audit_entries(account="dpo", action="paperwork")
