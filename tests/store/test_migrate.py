"""Schema versions with Alembic: head, the store made by 0.1.0, upgrades, newer stores refused."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from partnerkit.errors import StoreTooNewError
from partnerkit.store import Store, migrate
from partnerkit.store.tables import metadata

FIXTURE = Path(__file__).parent / "fixtures" / "demo-0.1.0.sqlite"
"""A store made by ``partnerkit demo`` of partnerkit 0.1.0 (commit 4e9e441), before Alembic."""

HEAD = migrate.HEAD_REVISION
HEAD_NUMBER = migrate.schema_number(HEAD)

TABLES = ("meta", "workspaces", "records", "history", "pupil_names")


def _rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every partnerkit table, read with plain sqlite3 (sorted)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in TABLES}


def _schema(path: Path) -> dict[str, str | None]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return {name: sql for name, sql in conn.execute("SELECT name, sql FROM sqlite_master")
                if "alembic_version" not in name}


def _old_store(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    path = folder / "partnerkit.sqlite"
    shutil.copyfile(FIXTURE, path)
    path.chmod(0o644)
    return path


def _owner_only(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


# ------------------------------------------------------------------ the revisions


def test_the_head_revision_is_the_last_of_the_numbered_revisions():
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_heads() == [migrate.HEAD_REVISION]
    ids = [s.revision for s in reversed(list(script.walk_revisions()))]
    assert ids == [f"{n:04d}" for n in range(1, len(ids) + 1)]
    for revision in script.walk_revisions():
        assert Path(revision.path).name.startswith(f"r{revision.revision}_")
    assert set(migrate.LEGACY_REVISIONS.values()) <= set(ids)


def test_a_new_store_is_at_head_and_its_tables_are_the_code_s_tables(any_store: Store):
    assert any_store.revision() == migrate.HEAD_REVISION
    assert any_store.schema_version() == migrate.schema_number(migrate.HEAD_REVISION)
    with any_store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_the_first_revision_makes_exactly_the_schema_of_0_1_0(tmp_path: Path):
    Store(data=tmp_path).close()
    made = _schema(tmp_path / "partnerkit.sqlite")
    old = _schema(FIXTURE)
    assert {name: made[name] for name in old} == old
    assert set(made) - set(old) >= {"accounts", "memberships", "audit"}


# ------------------------------------------------------- a store made by 0.1.0


def test_a_store_made_by_0_1_0_keeps_every_record_and_history_row(tmp_path: Path):
    path = _old_store(tmp_path)
    before = _rows(path)
    assert len(before["records"]) > 100 and len(before["history"]) > len(before["records"])

    st = Store(data=path.parent)

    assert st.revision() == HEAD and st.schema_version() == HEAD_NUMBER
    after = _rows(path)
    assert after.pop("meta") == [("schema_version", str(HEAD_NUMBER))]
    assert after == {name: rows for name, rows in before.items() if name != "meta"}
    for workspace, kind, key, _author, data, *_ in before["records"]:
        assert st.get(workspace, kind, key).data == json.loads(data)
    keys = {(w, k, key) for _id, w, k, key, *_ in before["history"]}
    assert sum(len(st.history(*address)) for address in keys) == len(before["history"])
    copy = path.with_name(f"partnerkit.sqlite.before-v{HEAD_NUMBER}")
    assert _rows(copy) == before and _schema(copy) == _schema(FIXTURE)
    assert _owner_only(path) and _owner_only(copy)
    st.close()


def test_a_store_made_by_0_1_0_is_copied_aside_once(tmp_path: Path):
    path = _old_store(tmp_path)
    Store(data=path.parent).close()
    copy = path.with_name(f"partnerkit.sqlite.before-v{HEAD_NUMBER}")
    copy.unlink()
    Store(data=path.parent).close()
    assert not copy.exists()


def _open(folder: str) -> None:
    Store(data=folder).close()


def test_several_processes_opening_an_old_store_at_once_upgrade_it_once(tmp_path: Path):
    path = _old_store(tmp_path)
    before = _rows(path)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_open, args=(str(path.parent),)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    after = _rows(path)
    assert after.pop("meta") == [("schema_version", str(HEAD_NUMBER))]
    assert after == {name: rows for name, rows in before.items() if name != "meta"}
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]


@pytest.mark.postgres
def test_a_postgres_store_made_by_0_1_0_is_stamped_and_kept(tmp_path: Path):
    from tests.helpers.backends import fresh_postgres_database

    old = _rows(FIXTURE)
    with fresh_postgres_database() as url:
        engine = sa.create_engine(url)
        with engine.begin() as conn:  # what 0.1.0 did: create_all, then schema_version 1
            metadata.create_all(conn, tables=[metadata.tables[name] for name in TABLES])
            for name in TABLES:
                table = metadata.tables[name]
                rows = [dict(zip(table.c.keys(), row, strict=True)) for row in old[name]]
                if rows:
                    conn.execute(table.insert(), rows)
        st = Store(url)
        assert st.revision() == HEAD and st.schema_version() == HEAD_NUMBER
        with engine.connect() as conn:
            for name in TABLES:
                got = conn.execute(sa.select(metadata.tables[name])).all()
                kept = old[name] if name != "meta" else [("schema_version", str(HEAD_NUMBER))]
                assert sorted(map(tuple, got), key=repr) == kept, name
        st.close()
        engine.dispose()


# ------------------------------------------------------------- newer stores


def test_a_store_stamped_with_an_unknown_revision_is_refused_and_left_alone(tmp_path: Path):
    Store(data=tmp_path).close()
    path = tmp_path / "partnerkit.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    before = path.read_bytes()
    with pytest.raises(StoreTooNewError) as info:
        Store(data=tmp_path)
    assert "0099" in str(info.value) and "upgrade partnerkit" in str(info.value)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.before-*"))


def test_a_newer_schema_number_is_refused_on_every_backend(store_url: str):
    Store(store_url).close()
    engine = sa.create_engine(store_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreTooNewError) as info:
        Store(store_url)
    assert "99" in str(info.value) and "upgrade partnerkit" in str(info.value)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT value FROM meta").scalar() == "99"
    engine.dispose()


# ---------------------------------------------------------------- an upgrade

REVISION_2 = '''
"""Add tags to records (a test revision)."""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("records", sa.Column("tags", sa.Text, nullable=True))


def downgrade():
    op.drop_column("records", "tags")
'''


def test_an_upgrade_keeps_every_record_and_copies_the_file_aside(store_url: str,
                                                                  tmp_path: Path,
                                                                  monkeypatch):
    st = Store(store_url)
    st.save("w", "note", "a", {"text": "kept"}, "Ann")
    st.close()
    location = tmp_path / "migrations"
    shutil.copytree(migrate.SCRIPT_LOCATION, location,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (location / "versions" / "r0004_tags.py").write_text(REVISION_2)
    monkeypatch.setattr(migrate, "SCRIPT_LOCATION", location)
    monkeypatch.setattr(migrate, "HEAD_REVISION", "0004")

    upgraded = Store(store_url)

    assert upgraded.revision() == "0004" and upgraded.schema_version() == 4
    assert upgraded.get("w", "note", "a").data == {"text": "kept"}
    with upgraded.engine.connect() as conn:
        assert "tags" in {c["name"] for c in sa.inspect(conn).get_columns("records")}
    if upgraded.path is not None:
        copy = upgraded.path.with_name("partnerkit.sqlite.before-v4")
        assert _owner_only(copy)
        with sqlite3.connect(copy) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
            assert conn.execute("SELECT data FROM records").fetchall() == [('{"text": "kept"}',)]
    upgraded.close()


def test_opening_a_store_at_head_does_not_import_alembic(tmp_path: Path):
    Store(data=tmp_path).close()
    script = textwrap.dedent(f"""
        import sys
        from partnerkit.store import Store
        Store(data={str(tmp_path)!r}).close()
        print("alembic" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, check=True)
    assert result.stdout.strip() == "False"
