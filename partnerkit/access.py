"""Who may read or write what: THE one permission check, below every form, view and door.

Every read and write of a record goes through :class:`GuardedStore`, the store a
workbook session, a batch render and the landing page are given. It asks
:func:`decide` before each call and writes the audit trail: every refusal, and every
read and write of a pupil's records. Nothing above this module opens a raw store for
people's answers, so a served page, a widget callback, a notebook cell in JupyterLab and
a batch render all obey the same rules.

The rules, by role in a workspace (one person may have a different role in each):

- **practitioner**: their own reflective log, quiz attempts and module answers (records
  whose key starts with their username); the pupils, maps, support plans and partner
  directory of the workspace; reads the partnership plan; rates the principles as the
  school if they are school staff, or as their own organisation if they are a partner;
- **school lead**: all of that and the partnership plan, attendance and real names;
  manages the workspace's members;
- **trainer**: reads every participant's progress and quiz results, never the text of a
  reflective log unless its writer shared it; lifts a quiz lock (with a reason); reads
  the workspace's practice pupils;
- **data-protection lead**: reads pupils' records for data-protection operations and
  records sharings in their sharing logs;
- **admin**: what a school lead may, and creates workspaces and accounts.

A refusal is an :class:`~partnerkit.errors.AccessDeniedError` whose message says what
may not be done and who can give access.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from partnerkit.errors import AccessDeniedError

if TYPE_CHECKING:
    from partnerkit.store import Change, Store, StoredRecord

PRACTITIONER, SCHOOL_LEAD, TRAINER, DP_LEAD, ADMIN = (
    "practitioner", "school_lead", "trainer", "dp_lead", "admin")
LOCAL = "local"
"""The role of the one person using a store that has no accounts yet, or a server started
with ``--no-sign-in`` on their own computer: they may do everything."""
ROLES: dict[str, str] = {
    PRACTITIONER: "practitioner", SCHOOL_LEAD: "school lead", TRAINER: "trainer",
    DP_LEAD: "data-protection lead", ADMIN: "admin"}
"""Every role an account can have in a workspace, and what people call it."""
SECOND_FACTOR_ROLES = frozenset({SCHOOL_LEAD, DP_LEAD, ADMIN})
"""Roles a workspace can ask to sign in with a second factor."""
LEADS = frozenset({SCHOOL_LEAD, ADMIN, LOCAL})

READ, WRITE = "read", "write"
READ_AGAIN = 600.0
"""Seconds within which the same account reading the same pupil record again, in the same
session, is not audited again (a page's parts read a record each time they redraw)."""

PERSONAL_KINDS = frozenset({"log_entry", "self_rating", "wheel_rating", "activity16_answer",
                            "quiz_attempt", "quiz_draft", "feedback_survey", "quiz_lock_lift",
                            "certificate", "activity_mark"})
"""A practitioner's own module work: the key starts with the owner's username."""
LOCK_LIFT = "quiz_lock_lift"
"""A trainer's lift of a quiz lock: filed under the participant, written by the trainer
(who alone sees the attempts it lifts)."""
PROGRESS_KINDS = PERSONAL_KINDS - {"log_entry", "quiz_draft"}
"""Personal kinds a trainer reads: progress and quiz results, not log text or drafts."""
PUPIL_KINDS = frozenset({"pupil_profile", "connection", "answer", "staged_support_plan",
                         "request_for_assistance", "parent_partnership", "postcard",
                         "pupil_name", "sharing_entry"})
"""A pupil's records (``pupil_name`` stands for the real name kept apart; a
``sharing_entry`` is what was shared about the pupil, with whom and why, or a decision
not to share: practitioners record it as they record requests for assistance)."""
SHARING_ENTRY = "sharing_entry"
"""A pupil's sharing log entry: the data-protection lead records sharings too."""
AUDITED_KINDS = PUPIL_KINDS | {"log_entry"}
"""Kinds whose every read and write is audited: a pupil's records and practitioners' logs."""
AUDIT_READERS = frozenset({DP_LEAD, ADMIN, LOCAL})
"""Who may read, export, verify and anchor a workspace's audit trail."""
REAL_NAME = "pupil_name"
"""A pupil's real name: the school lead's (and admin's) to see and change; the
data-protection lead reads it for data-protection operations; nobody else sees it."""
PLAN_KINDS = frozenset({"plan_settings", "checklist_progress", "plan_vision", "plan_voice",
                        "plan_resources", "plan_shared", "plan_delivery", "plan_impact"})
"""The school's partnership plan: every member reads it; leads change it."""
REFLECTION_QUESTIONS = "reflection."
"""The start of the ids of the partnership working reflection's questions (principles)."""
DIRECTORY_KINDS = frozenset({"directory_entry"})
RATING_KINDS = frozenset({"principle_rating"})
COHORT_SETTING_KINDS = frozenset({"cohort_settings"})
"""The trainer's choices for a cohort (quiz review options, certificate hours): every
member reads them; the trainer (or an admin) changes them."""
SIGN_OFF = "cpd_signoff"
"""A mentor's or line manager's sign-off of a participant's professional-learning record:
filed under the participant, who reads it; written by a school lead, trainer or admin."""
DP_KINDS: dict[str, frozenset[str]] = {
    "legal_hold": frozenset({"dp_lead"}),
    "pupil_left": frozenset({"dp_lead", "school_lead", "admin"}),
    "correction": frozenset({"dp_lead", "school_lead", "admin", "practitioner"}),
}
"""Data-protection records about a pupil and who writes them (school leads, admins and
the data-protection lead read them all): a legal hold, the date a pupil left, the
reason for a correction beside its before and after."""
SETTINGS_KINDS = frozenset({"attendance_settings"})
"""A workspace's attendance settings (how its export is read): the school lead's."""
KNOWN_KINDS = (PERSONAL_KINDS | PUPIL_KINDS | PLAN_KINDS | DIRECTORY_KINDS | RATING_KINDS
               | COHORT_SETTING_KINDS | {SIGN_OFF} | frozenset(DP_KINDS) | SETTINGS_KINDS)
"""Every kind the rules know; any other kind is refused to everyone but a local user."""

WORKBOOK_ROLES: dict[str, frozenset[str]] = {
    "principles": frozenset({PRACTITIONER, SCHOOL_LEAD, TRAINER, ADMIN}),
    "mapping_tool": frozenset({PRACTITIONER, SCHOOL_LEAD, TRAINER, ADMIN}),
    "six_steps": frozenset({PRACTITIONER, SCHOOL_LEAD, ADMIN}),
    "attendance": frozenset({SCHOOL_LEAD, ADMIN}),
    "staged_support": frozenset({PRACTITIONER, SCHOOL_LEAD, TRAINER, ADMIN}),
    "collaborative_working": frozenset({PRACTITIONER, SCHOOL_LEAD, TRAINER, ADMIN}),
    "reflective_log": frozenset({PRACTITIONER, SCHOOL_LEAD, TRAINER, ADMIN}),
    "cohort": frozenset({TRAINER, ADMIN}),
    "audit_trail": frozenset({DP_LEAD, ADMIN}),
    "data_protection": frozenset({DP_LEAD, ADMIN}),
}
"""Who may open each workbook in a workspace (the landing page lists only these)."""

ASK_LEAD = "ask your school lead or an admin to give you access"
SCHOOL_RATER = "school"


@dataclass(frozen=True)
class Membership:
    """An account's role in one workspace, and the organisation a partner speaks for."""

    workspace: str
    role: str
    organisation: str | None = None


@dataclass(frozen=True)
class Account:
    """A signed-in person: username, full name and a role in each of their workspaces."""

    username: str
    name: str
    memberships: tuple[Membership, ...] = ()
    local: bool = False
    """True for the one person of a store without accounts or of ``--no-sign-in``."""

    def membership(self, workspace: str) -> Membership | None:
        """The account's membership of ``workspace``, or None."""
        if self.local:
            return Membership(workspace, LOCAL)
        return next((m for m in self.memberships if m.workspace == workspace), None)

    def role_in(self, workspace: str) -> str | None:
        """The account's role in ``workspace``, or None when not a member."""
        found = self.membership(workspace)
        return found.role if found else None

    @property
    def workspaces(self) -> tuple[str, ...]:
        """The workspaces the account belongs to."""
        return tuple(m.workspace for m in self.memberships)

    @property
    def is_admin(self) -> bool:
        """True when the account is an admin of some workspace (or the local user)."""
        return self.local or any(m.role == ADMIN for m in self.memberships)

    def rater(self, workspace: str) -> str | None:
        """Whom this account rates the principles for: the school or its organisation."""
        found = self.membership(workspace)
        if found is None or found.role in {DP_LEAD}:
            return None
        return found.organisation or SCHOOL_RATER


def local_account(username: str, name: str | None = None) -> Account:
    """The one person of a store without accounts (or ``--no-sign-in``): may do everything."""
    return Account(username=username, name=name or username, local=True)


@dataclass(frozen=True)
class Decision:
    """What :func:`decide` answered: allowed or not, and if not, the plain reason."""

    allowed: bool
    reason: str = ""
    fix: str = ASK_LEAD

    def __bool__(self) -> bool:
        """True when allowed."""
        return self.allowed


ALLOWED = Decision(True)


def owner_of(key: str) -> str:
    """The username a personal record belongs to: its key up to the first ``/``."""
    return key.split("/", 1)[0]


def decide(account: Account, action: str, workspace: str, kind: str, key: str | None = None,
           data: dict[str, Any] | None = None) -> Decision:
    """Whether ``account`` may ``action`` (read or write) record ``key`` of ``kind``.

    ``data`` is the record (when known): a reflective-log entry its writer shared is
    readable by the trainer; a principles rating says whose rating it is.
    """
    role = account.role_in(workspace)
    if role is None:
        return Decision(False, f"you are not a member of workspace {workspace!r}",
                        f"ask its school lead or an admin to add you ({ASK_LEAD})")
    if role == LOCAL:
        return ALLOWED
    if kind in PERSONAL_KINDS:
        return _personal(account, role, action, kind, key, data)
    if kind == REAL_NAME:
        return _by_role(role, action, kind, readers={DP_LEAD}, writers={SCHOOL_LEAD, ADMIN},
                        what="pupils' real names")
    if kind == SHARING_ENTRY:
        return _by_role(role, action, kind, readers={TRAINER},
                        writers={PRACTITIONER, SCHOOL_LEAD, ADMIN, DP_LEAD},
                        what="pupils' sharing logs")
    if kind in PUPIL_KINDS:
        return _by_role(role, action, kind, readers={TRAINER, DP_LEAD},
                        writers={PRACTITIONER, SCHOOL_LEAD, ADMIN},
                        what=_pupil_records(kind, key))
    if kind in PLAN_KINDS:
        return _by_role(role, action, kind, readers={PRACTITIONER, TRAINER},
                        writers={SCHOOL_LEAD, ADMIN}, what="the partnership plan")
    if kind in DIRECTORY_KINDS:
        return _by_role(role, action, kind, readers={TRAINER, DP_LEAD},
                        writers={PRACTITIONER, SCHOOL_LEAD, ADMIN}, what="the partner directory")
    if kind in RATING_KINDS:
        return _rating(account, workspace, role, action, key, data)
    if kind in COHORT_SETTING_KINDS:
        return _by_role(role, action, kind, readers={PRACTITIONER, SCHOOL_LEAD, DP_LEAD},
                        writers={TRAINER, ADMIN}, what="the cohort's quiz and certificate "
                        "settings")
    if kind == SIGN_OFF:
        return _sign_off(account, role, action, key)
    if kind in DP_KINDS:
        return _by_role(role, action, kind, readers={SCHOOL_LEAD, ADMIN, DP_LEAD},
                        writers=set(DP_KINDS[kind]), what=f"{kind.replace('_', ' ')}s")
    if kind in SETTINGS_KINDS:
        return _by_role(role, action, kind, readers=set(), writers={SCHOOL_LEAD, ADMIN},
                        what="the attendance settings")
    return Decision(False, f"records of kind {kind!r} are not covered by the access rules",
                    "tell whoever runs partnerkit: this is a fault in the package")


def _by_role(role: str, action: str, kind: str, *, readers: set[str], writers: set[str],
             what: str) -> Decision:
    if role in writers or (action == READ and role in readers):
        return ALLOWED
    verb = "change" if action == WRITE and role in readers else "see"
    return Decision(False, f"as {ROLES.get(role, role)} you may not {verb} {what}")


def _pupil_records(kind: str, key: str | None) -> str:
    """What a refusal calls a record of the pupil kinds.

    The reflection on partnership working (the principles workbook's questions, ids
    starting ``reflection.``) is kept as an ``answer`` like a pupil's, under the same
    rule; a refusal names it for what it is, not as a pupil's record.
    """
    if kind == "answer" and key and key.partition("/")[2].startswith(REFLECTION_QUESTIONS):
        return "the reflection on partnership working"
    return "pupils' records"


def _personal(account: Account, role: str, action: str, kind: str, key: str | None,
              data: dict[str, Any] | None) -> Decision:
    owner = owner_of(key) if key is not None else None
    if kind == LOCK_LIFT and action == WRITE:
        if role == TRAINER:
            return ALLOWED
        return Decision(False, "only the cohort's trainer may lift a quiz lock",
                        "ask the cohort's trainer to lift it, with a reason")
    if owner == account.username:
        return ALLOWED
    if action == READ and role == TRAINER:
        if kind in PROGRESS_KINDS or (kind == "log_entry" and bool((data or {}).get("shared"))):
            return ALLOWED
        return Decision(False, "a trainer sees progress and quiz results, not the text of "
                               "a reflective log unless its writer shares it",
                        "ask the participant to share the entry")
    whose = f"{owner}'s" if owner else "another person's"
    return Decision(False, f"you may not {'see' if action == READ else 'change'} {whose} "
                           "own module work (reflective log, quiz, activities)",
                    "only its owner can; a trainer sees progress and quiz results")


def _sign_off(account: Account, role: str, action: str, key: str | None) -> Decision:
    """A sign-off: the participant reads their own; a lead, trainer or admin signs others'."""
    mine = key is not None and owner_of(key) == account.username
    if action == READ and (mine or role in {SCHOOL_LEAD, TRAINER, ADMIN}):
        return ALLOWED
    if action == WRITE and not mine and role in {SCHOOL_LEAD, TRAINER, ADMIN}:
        return ALLOWED
    return Decision(False, "a professional-learning record is signed off by a mentor or "
                           "line manager (the cohort's trainer or a school lead), not by "
                           "its writer" if mine else "you may not sign off this record",
                    "ask your mentor or line manager to sign it off")


def _rating(account: Account, workspace: str, role: str, action: str, key: str | None,
            data: dict[str, Any] | None) -> Decision:
    if action == READ:
        return ALLOWED if role != DP_LEAD else Decision(
            False, "as data-protection lead you may not see the principles ratings")
    rater = (data or {}).get("rater") or (owner_of(key) if key else "")
    mine = account.rater(workspace)
    if mine == SCHOOL_RATER and role not in {PRACTITIONER, SCHOOL_LEAD, ADMIN}:
        return Decision(False, f"as {ROLES.get(role, role)} you may see the principles "
                               "ratings but not rate them",
                        "school staff rate as the school and partners as their own "
                        f"organisation ({ASK_LEAD})")
    if mine is not None and _same_rater(rater, mine):
        if mine != SCHOOL_RATER or role in {PRACTITIONER, SCHOOL_LEAD, ADMIN}:
            return ALLOWED
    return Decision(False, f"you may rate the principles only as {mine or 'nobody here'}, "
                           f"not as {rater!r}",
                    "partners rate as their own organisation; school staff rate as the school")


def _same_rater(one: str, other: str) -> bool:
    """Rater names compare without case or extra spaces (as the ratings' keys do)."""
    return " ".join(one.lower().split()) == " ".join(other.lower().split())


def may_open(account: Account, workspace: str, workbook: str) -> bool:
    """True when ``account`` may open ``workbook`` in ``workspace`` (landing page, pages)."""
    role = account.role_in(workspace)
    return role == LOCAL or role in WORKBOOK_ROLES.get(workbook, frozenset())


def check_open(account: Account, workspace: str, workbook: str,
               title: str | None = None) -> None:
    """Refuse opening a workbook the account may not use in this workspace.

    The refusal names the workbook by ``title`` when given (what a page shows people),
    else by its name (what the command line takes).
    """
    if may_open(account, workspace, workbook):
        return
    role = account.role_in(workspace)
    where = f"workbook {title or workbook!r}"
    if role is None:
        raise AccessDeniedError(f"you are not a member of workspace {workspace!r}",
                                account=account.username, where=where,
                                fix="ask its school lead or an admin to add you")
    raise AccessDeniedError(f"as {ROLES.get(role, role)} you may not open this workbook",
                            account=account.username, where=where, fix=ASK_LEAD)


# ------------------------------------------------------- data-protection actions

EXPORT, ERASE, HOLD, RETENTION, CORRECT, LEFT = (
    "export", "erase", "hold", "retention", "correct", "left")
BACKUP, PAPERWORK = "backup", "paperwork"
DP_ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    EXPORT: (frozenset({DP_LEAD}), "export everything held about a pupil"),
    ERASE: (frozenset({DP_LEAD}), "erase a pupil's records"),
    HOLD: (frozenset({DP_LEAD}), "set or lift a legal hold"),
    RETENTION: (frozenset({DP_LEAD}), "apply the retention schedule"),
    CORRECT: (frozenset({DP_LEAD, SCHOOL_LEAD, ADMIN}), "correct a pupil's record"),
    LEFT: (frozenset({DP_LEAD, SCHOOL_LEAD, ADMIN}), "mark a pupil as left"),
    BACKUP: (frozenset({DP_LEAD, ADMIN}), "make or check a backup of the store"),
    PAPERWORK: (frozenset({DP_LEAD, ADMIN}), "make the data-protection paperwork"),
}
"""The data-protection operations on one pupil and who may do each (the local user may
do all): subject access exports, erasure, legal holds and retention are the
data-protection lead's; corrections and leaving dates are also the school lead's; backups
and the paperwork are also the admin's, who runs the server."""


def decide_dp(account: Account, action: str, workspace: str) -> Decision:
    """Whether ``account`` may do the data-protection ``action`` in ``workspace``."""
    role = account.role_in(workspace)
    if role is None:
        return Decision(False, f"you are not a member of workspace {workspace!r}",
                        f"ask its school lead or an admin to add you ({ASK_LEAD})")
    roles, what = DP_ACTIONS[action]
    if role == LOCAL or role in roles:
        return ALLOWED
    return Decision(False, f"as {ROLES.get(role, role)} you may not {what}",
                    "ask the workspace's data-protection lead")


def check_dp(guarded: GuardedStore, action: str, workspace: str, key: str | None = None) -> None:
    """Refuse (and audit the refusal) unless the guarded store's account may do ``action``.

    Raises :class:`~partnerkit.errors.AccessDeniedError` with the reason and the fix of
    :func:`decide_dp`; every data-protection door (command line, page) asks this.
    """
    decision = decide_dp(guarded.account, action, workspace)
    if decision:
        return
    guarded.store.audit(guarded.account.username, f"{action}-refused", allowed=False,
                        workspace=workspace, kind="pupil", key=key, detail=decision.reason)
    raise AccessDeniedError(decision.reason, account=guarded.account.username,
                            where=f"{action} in workspace {workspace!r}", fix=decision.fix)


def may_take_store_copy(account: Account, workspaces: Iterable[str]) -> Decision:
    """Whether ``account`` may take a copy of the whole store away (a backup's download).

    A backup holds every workspace of the store, and every account's sign-in secrets
    (password hashes, second-factor keys), whatever passphrase seals it. Only the local
    user, or an account that is admin or data-protection lead of every workspace in the
    store, may download one; anyone else's backup stays in the server's data folder.
    """
    others = sorted(w for w in workspaces if account.role_in(w) not in {ADMIN, DP_LEAD, LOCAL})
    if not others:
        return ALLOWED
    return Decision(False, f"the store also holds {len(others)} workspace"
                           f"{'s' if len(others) != 1 else ''} you are not the admin or "
                           "data-protection lead of, and a backup holds them all",
                    "the backup is kept on the server, readable only by the account that "
                    "runs it; ask whoever runs the server to copy it where backups are kept")


def may_manage(account: Account, workspace: str) -> bool:
    """True when the account may manage the members of ``workspace`` (leads and admins)."""
    return account.role_in(workspace) in LEADS


def refuse(account: Account, decision: Decision, action: str, workspace: str, kind: str,
           key: str | None) -> AccessDeniedError:
    """The error a refusal raises: what may not be done and who can give access."""
    where = f"{kind.replace('_', ' ')} {key!r}" if key else kind.replace("_", " ")
    return AccessDeniedError(decision.reason, account=account.username,
                             where=f"{action} {where} in {workspace!r}", fix=decision.fix)


class AuditTrailAccess:
    """The audit trail as :class:`GuardedStore` offers it: the data-protection lead's.

    Only :data:`AUDIT_READERS` may read, verify or anchor it; each read is itself
    audited (``audit-read``), and a refusal is audited like any other.
    """

    store: Store
    account: Account

    def _check_audit(self, workspace: str, action: str) -> None:
        if self.account.role_in(workspace) in AUDIT_READERS:
            return
        reason = "only the data-protection lead (or an admin) may see the audit trail"
        self.store.audit(self.account.username, f"audit-{action}-refused", allowed=False,
                         workspace=workspace, kind="audit", detail=reason)
        raise AccessDeniedError(reason, account=self.account.username,
                                where=f"audit trail of {workspace!r}",
                                fix="ask your data-protection lead")

    def audit_entries(self, workspace: str, **filters: Any) -> list[Any]:
        """The workspace's audit entries, filtered (see ``Store.audit_entries``); audited."""
        self._check_audit(workspace, "read")
        shown = ", ".join(f"{k}={v}" for k, v in sorted(filters.items()) if v is not None)
        self.store.audit(self.account.username, "audit-read", allowed=True,
                         workspace=workspace, kind="audit", key=filters.get("pupil"),
                         detail=shown or None)
        return self.store.audit_entries(workspace=workspace, **filters)

    def verify_audit(self, workspace: str, anchors: list[dict[str, Any]] | None = None) -> Any:
        """Check the whole chain (see ``Store.verify_audit``)."""
        self._check_audit(workspace, "verify")
        return self.store.verify_audit(anchors)

    def anchor_audit(self, workspace: str) -> dict[str, Any]:
        """Anchor the chain now, as this account."""
        self._check_audit(workspace, "anchor")
        return self.store.anchor_audit(self.account.username)


@dataclass
class GuardedStore(AuditTrailAccess):
    """The store as one account may use it: every call checked, pupil records audited.

    It offers the calls the workbooks, renders and pages make of a
    :class:`~partnerkit.store.Store` and nothing else; the author of every save is the
    account, whatever the caller passes.
    """

    store: Store
    account: Account
    audit_reads: bool = True
    _reads_seen: dict[tuple[str, str, str | None], float] = field(default_factory=dict,
                                                                repr=False)

    # -------------------------------------------------------------- plumbing

    @property
    def clock(self) -> Any:
        """The store's clock (tests and the demo set it)."""
        return self.store.clock

    @clock.setter
    def clock(self, value: Any) -> None:
        self.store.clock = value

    @property
    def url(self) -> Any:
        """The store's database URL."""
        return self.store.url

    @property
    def path(self) -> Any:
        """The store's SQLite file, or None."""
        return self.store.path

    def close(self) -> None:
        """Release the database connections."""
        self.store.close()

    def may(self, action: str, workspace: str, kind: str, key: str | None = None,
            data: dict[str, Any] | None = None) -> Decision:
        """Whether the account may do this, without doing it or auditing (for showing)."""
        return decide(self.account, action, workspace, kind, key, data)

    def check(self, action: str, workspace: str, kind: str, key: str | None = None,
              data: dict[str, Any] | None = None) -> None:
        """Raise (and audit) a refusal unless the account may do this."""
        decision = decide(self.account, action, workspace, kind, key, data)
        if not decision:
            self._audit(f"{action}-refused", workspace, kind, key, allowed=False,
                        detail=decision.reason)
            raise refuse(self.account, decision, action, workspace, kind, key)

    def check_participant(self, workspace: str, participant: str, action: str) -> None:
        """Refuse (and audit) a trainer's ``action`` on someone outside the cohort.

        The participant must be a member of ``workspace``; a local user may act on anyone.
        """
        if self.account.local or participant in self.members(workspace):
            return
        detail = f"{participant!r} is not a member of this cohort"
        self._audit(f"{action}-refused", workspace, LOCK_LIFT, participant, allowed=False,
                    detail=detail)
        raise AccessDeniedError(f"{detail}, so you may not act on their work",
                                account=self.account.username,
                                where=f"{action} in {workspace!r}",
                                fix="choose a participant of your own cohort")

    def _author(self, passed: str) -> str:
        """Who a save is by: the account (a local user may name someone, as before)."""
        return passed if self.account.local and passed else self.account.username

    def _audit(self, action: str, workspace: str | None, kind: str | None, key: str | None,
               *, allowed: bool = True, detail: str | None = None) -> None:
        self.store.audit(self.account.username, action, allowed=allowed, workspace=workspace,
                         kind=kind, key=key, detail=detail)

    def _audit_pupil(self, action: str, workspace: str, kind: str, key: str | None) -> None:
        """Audit a pupil record's write always, and its read once per :data:`READ_AGAIN`.

        A page reads the same records again as its parts redraw; the trail needs who
        looked at what and when, not every redraw (one entry per record and page within
        the window keeps a page's saves fast).
        """
        if kind not in AUDITED_KINDS or (action == READ and not self.audit_reads):
            return
        if action == READ:
            now, seen = time.monotonic(), (workspace, kind, key)
            if now - self._reads_seen.get(seen, -READ_AGAIN) < READ_AGAIN:
                return
            self._reads_seen[seen] = now
        self._audit(action, workspace, kind, key)

    # --------------------------------------------------------------- records

    def save(self, workspace: str, kind: str, key: str, data: dict[str, Any], author: str = "",
             *, coalesce: timedelta | None = None, only_if_new: bool = False) -> StoredRecord:
        """Save a record as the account (``author`` counts only for a local user)."""
        self.check(WRITE, workspace, kind, key, data)
        current = self.store.get(workspace, kind, key)
        if current is not None and kind in PERSONAL_KINDS:
            self.check(WRITE, workspace, kind, key, current.data)
        return self.store.save(workspace, kind, key, data, self._author(author),
                               coalesce=coalesce, only_if_new=only_if_new,
                               audit=self._write_entry(workspace, kind, key))

    def delete(self, workspace: str, kind: str, key: str, author: str = "") -> bool:
        """Delete a record as the account (its history is kept)."""
        self.check(WRITE, workspace, kind, key)
        return self.store.delete(workspace, kind, key, self._author(author),
                                 audit=self._write_entry(workspace, kind, key))

    def _write_entry(self, workspace: str, kind: str, key: str) -> dict[str, Any] | None:
        """The audit entry a write of a pupil's record or a log is saved with (else None)."""
        if kind not in AUDITED_KINDS:
            return None
        return self.store.audit_entry(self.account.username, WRITE, workspace=workspace,
                                      kind=kind, key=key)

    def get(self, workspace: str, kind: str, key: str, as_of: Any = None) -> StoredRecord | None:
        """One record, if the account may read it.

        Personal module work is checked against the record itself (a trainer reads a
        reflective-log entry its writer shared), so it is read first, then checked.
        """
        if kind in PERSONAL_KINDS:
            self._member(workspace)
            found = self.store.get(workspace, kind, key, as_of=as_of)
            self.check(READ, workspace, kind, key, found.data if found is not None else None)
            return found
        self.check(READ, workspace, kind, key)
        found = self.store.get(workspace, kind, key, as_of=as_of)
        self._audit_pupil(READ, workspace, kind, key)
        return found

    def list(self, workspace: str, kind: str, *, prefix: str | None = None,
             author: str | None = None) -> list[StoredRecord]:
        """The records of a kind the account may read (others are left out, not refused)."""
        if kind in PERSONAL_KINDS:
            self._member(workspace)
            found = self.store.list(workspace, kind, prefix=prefix, author=author)
            return [r for r in found if decide(self.account, READ, workspace, kind, r.key,
                                               r.data)]
        self.check(READ, workspace, kind, prefix)
        found = self.store.list(workspace, kind, prefix=prefix, author=author)
        self._audit_pupil(READ, workspace, kind, prefix)
        return found

    def history(self, workspace: str, kind: str, key: str) -> list[Change]:
        """Every change to one record the account may read.

        Of personal module work, only the versions the account may read are given (a
        trainer sees the versions of a log entry written while it was shared).
        """
        self.get(workspace, kind, key)
        changes = self.store.history(workspace, kind, key)
        if kind not in PERSONAL_KINDS:
            return changes
        return [c for c in changes if decide(self.account, READ, workspace, kind, key,
                                             c.after if c.after is not None else c.before)]

    def set_real_name(self, workspace: str, pupil: str, real_name: str | None,
                      author: str = "") -> None:
        """Keep a pupil's real name apart, as the account."""
        self.check(WRITE, workspace, "pupil_name", pupil)
        self.store.set_real_name(workspace, pupil, real_name, self._author(author))
        self._audit_pupil(WRITE, workspace, "pupil_name", pupil)

    def real_name(self, workspace: str, pupil: str) -> str | None:
        """A pupil's real name, if the account may read it (audited)."""
        self.check(READ, workspace, "pupil_name", pupil)
        self._audit("read", workspace, "pupil_name", pupil)
        return self.store.real_name(workspace, pupil)

    # ------------------------------------------------------------ workspaces

    def _member(self, workspace: str) -> None:
        if self.account.role_in(workspace) is None:
            decision = decide(self.account, READ, workspace, "")
            self._audit("read-refused", workspace, None, None, allowed=False,
                        detail=decision.reason)
            raise refuse(self.account, decision, READ, workspace, "workspace", None)

    def workspaces(self) -> dict[str, str]:
        """The workspaces the account belongs to, by id, with their names."""
        every = self.store.workspaces()
        return {w: name for w, name in every.items() if self.account.role_in(w) is not None}

    def sensitivity(self, workspace: str) -> str | None:
        """The marking the workspace's reports carry, None for the default (members only)."""
        self._member(workspace)
        return self.store.sensitivity(workspace)

    def ensure_workspace(self, workspace: str, name: str | None = None,
                         author: str = "") -> None:
        """Create a workspace (admins only); a member's existing workspace is left as it is."""
        if workspace in self.store.workspaces():
            self._member(workspace)
            return
        if not self.account.is_admin:
            raise AccessDeniedError(f"there is no workspace {workspace!r}, and only an "
                                    "admin may create one", account=self.account.username,
                                    where="workspace", fix="check the workspace name, or ask "
                                    "an admin to create it (partnerkit workspaces add)")
        self.store.ensure_workspace(workspace, name, self._author(author))

    def change_counts(self, workspace: str, *, names: bool = False
                      ) -> list[tuple[str, str, int]]:
        """Change counts of a workspace the account belongs to (for report caches)."""
        self._member(workspace)
        return self.store.change_counts(workspace, names=names)

    def state(self, workspace: str) -> str:
        """A marker that changes whenever the workspace changes (members only)."""
        self._member(workspace)
        return self.store.state(workspace)

    def count_history(self, workspace: str | None = None) -> int:
        """How many changes a workspace's history holds (members only)."""
        if workspace is None:
            raise AccessDeniedError("only a workspace's own history can be counted",
                                    account=self.account.username, where="history",
                                    fix="name the workspace")
        self._member(workspace)
        return self.store.count_history(workspace)

    def member_roles(self, workspace: str) -> dict[str, str]:
        """Each member's role in the workspace, by username (members only may ask)."""
        self._member(workspace)
        return {m.username: m.role for m in self.store.memberships(workspace=workspace)}

    def members(self, workspace: str) -> dict[str, str]:
        """The workspace's members (username to full name), for showing names, not keys."""
        self._member(workspace)
        names = {row.username: row.name for row in self.store.account_rows()}
        return {m.username: names.get(m.username, m.username)
                for m in self.store.memberships(workspace=workspace)}


def account_from_rows(account_row: Any, memberships: Iterable[Any]) -> Account:
    """Build an :class:`Account` from its stored row and membership rows."""
    return Account(username=account_row.username, name=account_row.name,
                   memberships=tuple(Membership(m.workspace, m.role, m.organisation)
                                     for m in memberships))


def load_account(store: Store, username: str) -> Account:
    """The account and its memberships as stored now; AccessDeniedError if there is none."""
    row = store.account_row(username)
    if row is None:
        raise AccessDeniedError("there is no such account", value=username, where="account",
                                fix="sign in again, or ask an admin to add the account")
    return account_from_rows(row, store.memberships(username=username))
