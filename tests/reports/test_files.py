import stat

from partnerkit import reports


def test_report_files_are_owner_only(tmp_path):
    path = reports.write_private(tmp_path / "out" / "r.html", "<p>x</p>")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == "<p>x</p>"


def test_an_old_file_is_replaced_and_made_owner_only(tmp_path):
    old = tmp_path / "r.docx"
    old.write_bytes(b"old and longer")
    old.chmod(0o644)
    path = reports.write_private(old, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
