"""The paperwork schools are asked for: a DPIA starter and a privacy-notice draft.

Both are Word documents the school edits, generated from what this deployment actually
stores: every record kind the records registry knows (what it is, its fields, whose it
is, how many the store holds now), where the store is (SQLite file or PostgreSQL server,
encrypted at rest or not), who may read and change each kind (asked of
:func:`partnerkit.access.decide` for each role, so the table is the rule the code
enforces), the audit trail and backups, and how long each kind is kept
(:func:`retention_schedule`). Written through the reports' HTML-to-Word path
(:func:`partnerkit.reports.docx.html_to_docx`), owner-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from partnerkit import access, paths
from partnerkit.records import RECORD_TYPES
from partnerkit.records.retention import DEFAULT_YEARS, describe_years
from partnerkit.store import keyed
from partnerkit.store.tables import pupil_names_table, records_table

if TYPE_CHECKING:
    from partnerkit.store import Store

DOCUMENTS = {"dpia": ("paperwork/dpia.html.j2", "Data protection impact assessment (starter)"),
             "privacy-notice": ("paperwork/privacy_notice.html.j2",
                                "Privacy notice for pupils, parents and carers (draft)")}
"""Each document: its template and its title."""
ROLE_ORDER = (access.PRACTITIONER, access.SCHOOL_LEAD, access.TRAINER, access.DP_LEAD,
              access.ADMIN)
SPECIAL_FIELDS = {"pupil_profile": ("ethnicity", "equalities_barriers", "current_challenges"),
                  "request_for_assistance": ("child_protection", "reason")}
"""Fields that hold, or may hold, special category data (ethnicity, health) or child
protection information, which need an Article 9 condition and extra care."""
WHOSE = {**{k: "a pupil" for k in access.PUPIL_KINDS},
         **{k: "a practitioner (their own module work)" for k in access.PERSONAL_KINDS},
         **{k: "the school (its partnership plan)" for k in access.PLAN_KINDS},
         **{k: "partner organisations" for k in access.DIRECTORY_KINDS},
         **{k: "a rater (school or partner)" for k in access.RATING_KINDS}}


def retention_schedule() -> dict[str, str]:
    """How long each kind of record is kept, in words for the documents.

    A pupil's records follow the retention schedule partnerkit applies
    (:data:`partnerkit.records.retention.DEFAULT_YEARS`: Scottish defaults, which a
    workspace's ``retention.toml`` may change); the other kinds are not erased by the
    schedule, and the documents suggest a period for the school to set.
    """
    own = "until the end of the training cohort, then 1 year (set by the school)"
    plan = "5 years after the end of the plan's school year (set by the school)"
    schedule = {kind: describe_years(DEFAULT_YEARS[kind], kind)
                for kind in access.PUPIL_KINDS | frozenset(access.DP_KINDS)
                if kind in DEFAULT_YEARS}
    schedule.update({kind: own for kind in access.PERSONAL_KINDS})
    schedule.update({kind: plan for kind in access.PLAN_KINDS | access.RATING_KINDS})
    schedule.update({kind: "while the partner is active, then 1 year (set by the school)"
                     for kind in access.DIRECTORY_KINDS})
    return schedule


@dataclass(frozen=True)
class Kind:
    """One kind of record as the paperwork describes it."""

    kind: str
    title: str
    about: str
    fields: list[str]
    special: list[str]
    whose: str
    stored: int
    access: dict[str, str]
    retention: str


def who_may(kind: str) -> dict[str, str]:
    """For each role: what it may do with records of ``kind`` (asked of access.decide)."""
    shown = {}
    for role in ROLE_ORDER:
        person = access.Account("someone", "Someone", (access.Membership("w", role),))
        own, other = (f"someone/{kind}", f"another/{kind}") if kind in access.PERSONAL_KINDS \
            else ("P-1/x", "P-1/x")
        can = {(action, whose): bool(access.decide(person, action, "w", kind, key))
               for action in (access.READ, access.WRITE) for whose, key in
               (("own", own), ("any", other))}
        shown[role] = _describe(can, kind in access.PERSONAL_KINDS)
    return shown


def _describe(can: dict[tuple[str, str], bool], personal: bool) -> str:
    """'read and change', 'read', 'own only' or 'no access', from the decisions."""
    if can[(access.WRITE, "any")]:
        return "read and change"
    if can[(access.READ, "any")]:
        return "read" + (", change their own" if personal and can[(access.WRITE, "own")]
                         else "")
    if personal and can[(access.WRITE, "own")]:
        return "their own only"
    return "no access"


def kinds(store: Store) -> list[Kind]:
    """Every kind of record the registry knows, with how many the store holds now."""
    counts = stored_counts(store)
    schedule = retention_schedule()
    found = []
    for kind, model in sorted(RECORD_TYPES.items(), key=lambda item: (WHOSE.get(item[0], ""),
                                                                      item[0])):
        about = (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else ""
        special = [model.model_fields[name].title or name
                   for name in SPECIAL_FIELDS.get(kind, ()) if name in model.model_fields]
        found.append(Kind(kind, kind.replace("_", " "), about,
                          [f.title or name for name, f in model.model_fields.items()],
                          special, WHOSE.get(kind, "—"), counts.get(kind, 0), who_may(kind),
                          schedule.get(kind, "to be set by the school")))
    found.insert(0, Kind(access.REAL_NAME, "pupil's real name",
                         "A pupil's real name, kept apart from their records (which use "
                         "the reference only).", ["Pupil reference", "Real name"], [],
                         WHOSE[access.REAL_NAME], counts.get(access.REAL_NAME, 0),
                         who_may(access.REAL_NAME), schedule[access.REAL_NAME]))
    return found


def stored_counts(store: Store) -> dict[str, int]:
    """How many current records of each kind the store holds (all workspaces)."""
    query = (sa.select(records_table.c.kind, sa.func.count())
             .where(records_table.c.deleted.is_(False)).group_by(records_table.c.kind))
    with store.engine.connect() as conn:
        counts = {kind: count for kind, count in conn.execute(query)}
        counts[access.REAL_NAME] = conn.execute(
            sa.select(sa.func.count()).select_from(pupil_names_table)).scalar_one()
    return counts


def where_stored(store: Store) -> dict[str, Any]:
    """Where the store is and how it is protected, in words for the documents."""
    if store.path is not None:
        encrypted = keyed.store_key() is not None
        place = f"a SQLite database file on this computer: {store.path}"
    else:
        encrypted = False
        place = (f"a PostgreSQL database on {store.url.host or 'this computer'} "
                 f"(database {store.url.database})")
    backups = store.path.parent / "backups" if store.path is not None else None
    return {"place": place, "encrypted": encrypted, "sqlite": store.path is not None,
            "backups": sorted(backups.glob("*.pkbackup"))[-1:] if backups and
            backups.is_dir() else [], "workspaces": store.workspaces(),
            "accounts": len(store.account_rows()), "audit": store.verify_audit()}


def write(store: Store, document: str, out: str | None,
          render: Callable[[str], bytes] | None = None) -> Path:
    """Write the DPIA starter or the privacy notice as an owner-only Word document."""
    from partnerkit.reports import environment
    from partnerkit.reports.docx import html_to_docx

    template, title = DOCUMENTS[document]
    html = environment().get_template(template).render(
        title=title, generated=dt.date.today(), kinds=kinds(store), store=where_stored(store),
        roles={role: access.ROLES[role] for role in ROLE_ORDER})
    data = (render or html_to_docx)(html)
    target = Path(out) if out else _default_folder(store) / f"{document}.docx"
    paths.private_file(target)
    target.write_bytes(data)
    return target


def _default_folder(store: Store) -> Path:
    base = store.path.parent if store.path is not None else Path.cwd()
    return base / "paperwork"
