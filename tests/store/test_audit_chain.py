"""The audit trail's hash chain: intact, edited, removed, reordered, anchored, concurrent."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from partnerkit.access import GuardedStore, local_account
from partnerkit.cli import main
from partnerkit.store import Store, audit_chain, migrate
from partnerkit.store.tables import audit_anchors_table, audit_table


def _fill(store: Store, n: int = 6) -> None:
    for i in range(n):
        store.audit("ann", "read", allowed=True, workspace="school", kind="pupil_profile",
                    key=f"P-100{i % 3}", detail=f"entry {i}")


def _sql(store: Store, statement: str, **params) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.text(statement), params)


def test_an_untouched_trail_is_intact_on_every_backend(any_store: Store):
    _fill(any_store)
    verdict = any_store.verify_audit()
    assert verdict.intact and verdict.entries == 6 and verdict.head_id == 6
    first, second = any_store.audit_entries(oldest_first=True, limit=2)
    assert first.prev_hash == audit_chain.GENESIS and second.prev_hash == first.hash
    assert second.hash == audit_chain.chain_hash(first.hash, second._asdict())


def test_an_edited_entry_is_named(any_store: Store):
    _fill(any_store)
    _sql(any_store, "UPDATE audit SET account = 'mallory' WHERE id = 3")
    verdict = any_store.verify_audit()
    assert not verdict.intact and verdict.bad_entry == 3
    assert "changed after it was written" in verdict.problem


def test_a_removed_entry_names_the_entry_after_it(any_store: Store):
    _fill(any_store)
    _sql(any_store, "DELETE FROM audit WHERE id = 4")
    verdict = any_store.verify_audit()
    assert verdict.bad_entry == 5 and "an entry was removed" in verdict.problem
    assert verdict.entries == 3


def test_reordered_entries_are_named(any_store: Store):
    _fill(any_store)
    _sql(any_store, "UPDATE audit SET id = 100 WHERE id = 2")
    _sql(any_store, "UPDATE audit SET id = 2 WHERE id = 3")
    _sql(any_store, "UPDATE audit SET id = 3 WHERE id = 100")
    verdict = any_store.verify_audit()
    assert verdict.bad_entry == 2 and "reordered" in verdict.problem


def test_entries_removed_from_the_end_are_caught_by_the_anchor(any_store: Store):
    _fill(any_store)
    any_store.anchor_audit("dpo")
    _sql(any_store, "DELETE FROM audit WHERE id >= 5")
    verdict = any_store.verify_audit()
    assert verdict.bad_entry == 6 and "removed from the end" in verdict.problem


def test_a_rewritten_chain_is_caught_by_an_exported_anchor(any_store: Store):
    _fill(any_store)
    exported = any_store.anchor_audit("dpo")
    with any_store.engine.begin() as conn:  # a forger who recomputes every hash
        conn.execute(sa.delete(audit_anchors_table))
        conn.execute(sa.text("UPDATE audit SET detail = 'nothing to see' WHERE id = 2"))
        prev = audit_chain.GENESIS
        for row in conn.execute(sa.select(audit_table).order_by(audit_table.c.id)).all():
            digest = audit_chain.chain_hash(prev, row._asdict())
            conn.execute(sa.text("UPDATE audit SET prev_hash = :p, hash = :h WHERE id = :i"),
                         {"p": f"tmp{row.id}", "h": f"tmp{row.id}", "i": row.id})
            conn.execute(sa.text("UPDATE audit SET prev_hash = :p, hash = :h WHERE id = :i"),
                         {"p": prev, "h": digest, "i": row.id})
            prev = digest
    assert any_store.verify_audit().intact  # the store alone cannot tell
    verdict = any_store.verify_audit([exported])
    assert verdict.bad_entry == 6 and "rewritten" in verdict.problem


def test_the_store_anchors_itself_as_the_trail_grows(store: Store, monkeypatch):
    monkeypatch.setattr(audit_chain, "ANCHOR_EVERY", 4)
    _fill(store, 9)
    anchored = [row.entry_id for row in store.audit_anchors()]
    assert anchored == [4, 8]
    assert store.verify_audit().anchors_checked == 2


def test_writers_at_the_same_moment_never_fork_the_chain(store_url: str):
    stores = [Store(store_url) for _ in range(2)]
    start = threading.Barrier(4)

    def write(store: Store, who: str) -> None:
        start.wait()
        for i in range(40):
            store.audit(who, "write", allowed=True, workspace="school", kind="connection",
                        key=f"P-1001/{i}")

    threads = [threading.Thread(target=write, args=(stores[i % 2], f"w{i}")) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    verdict = stores[0].verify_audit()
    assert verdict.intact and verdict.entries == 160
    for store in stores:
        store.close()


def test_the_upgrade_chains_the_entries_written_before_it(tmp_path: Path):
    Store(data=tmp_path).close()
    path = tmp_path / "partnerkit.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0002")
        for i in range(3):
            conn.execute(sa.text(
                "INSERT INTO audit (at, account, action, workspace, kind, key, allowed, detail)"
                " VALUES (:at, 'ann', 'read', 'school', 'pupil_profile', 'P-1001', 1, NULL)"),
                {"at": f"2026-11-0{i + 1}T09:00:00.000000+00:00"})
        conn.execute(sa.text("UPDATE meta SET value = '2' WHERE key = 'schema_version'"))
    engine.dispose()
    upgraded = Store(data=tmp_path)
    verdict = upgraded.verify_audit()
    assert verdict.intact and verdict.entries == 3 and verdict.anchors_checked == 1
    assert [row.door for row in upgraded.audit_entries()] == [None, None, None]
    upgraded.audit("ann", "read", allowed=True)
    assert upgraded.verify_audit().entries == 4
    upgraded.close()


def test_the_door_and_a_practitioners_log_are_audited(store: Store, monkeypatch):
    monkeypatch.setenv(audit_chain.DOOR_ENV, "lab")
    guarded = GuardedStore(store, local_account("ann"))
    guarded.save("school", "log_entry", "ann/1", {"text": "a reflection"})
    guarded.get("school", "pupil_profile", "P-1001")
    entries = store.audit_entries(oldest_first=True)
    assert [(e.action, e.kind, e.door) for e in entries] == [
        ("write", "log_entry", "lab"), ("read", "pupil_profile", "lab")]
    monkeypatch.delenv(audit_chain.DOOR_ENV)
    store.audit("ann", "read", allowed=True)
    assert store.audit_entries(limit=1)[0].door == "cli"


def test_a_write_and_its_audit_entry_are_kept_together_or_not_at_all(any_store: Store,
                                                                     monkeypatch):
    guarded = GuardedStore(any_store, local_account("ann"))
    guarded.save("school", "pupil_profile", "P-1001", {"stage": "S1"})
    assert [e.action for e in any_store.audit_entries()] == ["write"]

    def broken_chain(*_args, **_kwargs):
        raise sa.exc.OperationalError("INSERT INTO audit", {}, Exception("disk I/O error"))

    monkeypatch.setattr(audit_chain, "append", broken_chain)
    try:
        guarded.save("school", "pupil_profile", "P-1001", {"stage": "S2"})
    except Exception:  # noqa: BLE001 - the failure itself is not what is tested
        pass
    try:
        guarded.delete("school", "pupil_profile", "P-1001")
    except Exception:  # noqa: BLE001
        pass
    monkeypatch.undo()
    assert any_store.get("school", "pupil_profile", "P-1001").data == {"stage": "S1"}
    assert len(any_store.history("school", "pupil_profile", "P-1001")) == 1
    assert [e.action for e in any_store.audit_entries()] == ["write"]


def test_entries_filter_by_pupil_door_and_time(store: Store, clock):
    _fill(store)
    store.audit("bob", "write", allowed=True, key="P-1000/c1", door="page")
    assert len(store.audit_entries(pupil="P-1000")) == 3
    assert [e.account for e in store.audit_entries(door="page")] == ["bob"]
    assert store.audit_entries(since=clock() + __import__("datetime").timedelta(days=1)) == []


# ------------------------------------------------------------------ the CLI


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_verify_exits_0_when_intact_and_1_naming_the_first_bad_entry(store: Store, capsys):
    _fill(store)
    data = str(store.path.parent)
    status, out, _ = _cli(capsys, "audit", "verify", "--data", data)
    assert status == 0 and "intact: 6 entries" in out
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE audit SET detail = 'x' WHERE id = 2")
    status, out, _ = _cli(capsys, "audit", "verify", "--data", data)
    assert status == 1 and "broken at entry 2" in out and "changed" in out


def test_anchor_and_export_write_owner_only_files(store: Store, capsys, tmp_path: Path):
    _fill(store)
    data = str(store.path.parent)
    anchor = tmp_path / "keep" / "anchor.json"
    status, out, _ = _cli(capsys, "audit", "anchor", "--data", data, "--out", str(anchor))
    assert status == 0 and anchor.stat().st_mode & 0o077 == 0
    assert json.loads(anchor.read_text())["entries"] == 6
    status, out, _ = _cli(capsys, "audit", "verify", "--data", data, "--anchor", str(anchor))
    assert status == 0 and "2 anchors" in out
    out_file = tmp_path / "trail.csv"
    status, out, _ = _cli(capsys, "audit", "export", "--data", data, "--pupil", "P-1001",
                          "--out", str(out_file))
    lines = out_file.read_text().splitlines()
    assert status == 0 and "Wrote 2 audit entries" in out and len(lines) == 3
    assert lines[0].startswith("id,at,account,action") and out_file.stat().st_mode & 0o077 == 0


def test_bad_input_to_the_audit_commands_gets_one_clear_message(store: Store, capsys,
                                                                 tmp_path: Path):
    data = str(store.path.parent)
    bogus = tmp_path / "bogus.json"
    bogus.write_text("{}")
    status, _, err = _cli(capsys, "audit", "verify", "--data", data, "--anchor", str(bogus))
    assert status == 2 and "is not a partnerkit audit anchor" in err and "Traceback" not in err
    status, _, err = _cli(capsys, "audit", "export", "--data", data, "--since", "last week")
    assert status == 2 and "--since" in err and "2026-12-01" in err
    status, _, err = _cli(capsys, "audit", "export", "--data", data, "--format", "pdf")
    assert status == 2 and "csv or jsonl" in err
