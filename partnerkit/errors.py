"""One base error for partnerkit and the domain errors that carry the offending value.

Every message quotes the bad value, says where it was and says how to fix it, so a
CLI, a form or a notebook can show ``str(error)`` to a person as it is.
"""

from __future__ import annotations

from typing import Any


class PartnerkitError(Exception):
    """Base error: ``value`` is what was wrong, ``where`` where it was, ``fix`` what to do."""

    def __init__(self, message: str, *, value: Any = None, where: str | None = None,
                 fix: str | None = None) -> None:
        self.value = value
        self.where = where
        self.fix = fix
        self.message = message
        super().__init__(self._compose())

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle with every attribute kept (the value, where, fix and any extras)."""
        return (_restore, (type(self), self.args, self.__dict__.copy()))

    def _compose(self) -> str:
        text = self.message
        shown = _short(self.value) if self.value is not None else None
        quoted = shown is not None and (shown == "" or shown not in self.message) and not (
            self.where and str(self.value) in self.where)  # a where that names it in full
        head = " ".join(p for p in (self.where, repr_short(self.value) if quoted else None) if p)
        if head:
            text = f"{head}: {text}"
        if self.fix:
            text = f"{text}; {self.fix}"
        return text


def _restore(cls: type[PartnerkitError], args: tuple[Any, ...],
             state: dict[str, Any]) -> PartnerkitError:
    """Rebuild an error from :meth:`PartnerkitError.__reduce__` without calling ``__init__``."""
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


def _short(value: Any, limit: int = 80) -> str:
    try:
        text = str(value)
    except Exception:  # noqa: BLE001 - a value that cannot print itself
        text = object.__repr__(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def repr_short(value: Any, limit: int = 80) -> str:
    """Quote a bad value for a message, shortened so a huge or nested value stays readable."""
    if isinstance(value, str):
        return repr(_short(value, limit))
    return _short(value, limit)


class ContentError(PartnerkitError):
    """A framework data file is missing, malformed or inconsistent."""


class RecordValidationError(PartnerkitError):
    """A value a practitioner entered does not fit its field.

    ``field_errors`` maps a field name to its message so a form can show each message
    beside its own field.
    """

    def __init__(self, message: str, *, field_errors: dict[str, str] | None = None,
                 **kwargs: Any) -> None:
        self.field_errors = dict(field_errors or {})
        super().__init__(message, **kwargs)


class PupilReferenceError(RecordValidationError):
    """A pupil reference is not a pseudonymous code (from a page, a form, a render or the CLI)."""


class StepError(PartnerkitError):
    """A step number is not one of the six steps (from a page, a render or the CLI)."""


class StoreError(PartnerkitError):
    """The store cannot be opened, read or written."""


class DataFolderError(StoreError):
    """The data folder does not exist and cannot be made, or cannot be written."""


class StoreCorruptError(StoreError):
    """The store file is not a readable database; it is left untouched."""


class StoreTooNewError(StoreError):
    """The store was written by a newer partnerkit whose schema this one does not know."""


class RecordExistsError(StoreError):
    """A record that may be written only once (a submitted quiz attempt) already exists."""


class NotFoundError(PartnerkitError):
    """A workspace, pupil, record or workbook that was asked for does not exist."""


class InputFileError(PartnerkitError):
    """A file a user gave (CSV, XLSX) has a problem at a file, row, column and value."""

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None, value: Any = None, fix: str | None = None,
                 problems: list[InputFileError] | None = None) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.problems = list(problems or [])
        parts = [p for p in (file, f"row {row}" if row is not None else None,
                             f"column {column!r}" if column else None) if p]
        super().__init__(message, value=value, where=", ".join(parts) or None, fix=fix)


class QuizLockedError(PartnerkitError):
    """A practitioner tried the quiz while locked out; ``until`` says when the lock lifts."""

    def __init__(self, message: str, *, until: Any, **kwargs: Any) -> None:
        self.until = until
        super().__init__(message, **kwargs)


class AttemptSubmittedError(PartnerkitError):
    """An attempt that was already submitted was submitted again; the first one stands."""


class RenderInputError(PartnerkitError):
    """A render was asked for something that does not exist or cannot be done."""


class ReportUnavailableError(PartnerkitError):
    """The function that builds a workbook's report is missing or cannot take a target."""


class KernelDiedError(PartnerkitError):
    """A kernel stopped before it answered (a batch render goes on with a fresh one)."""


class ServeError(PartnerkitError):
    """The server cannot start with the options given."""


class AccessDeniedError(PartnerkitError):
    """The signed-in account may not do this; the message says what and who can give access."""

    def __init__(self, message: str, *, account: str | None = None, **kwargs: Any) -> None:
        self.account = account
        super().__init__(message, **kwargs)


class SignInError(PartnerkitError):
    """A sign-in failed: unknown account or wrong password (one message), or a locked account."""


class AccountError(PartnerkitError):
    """An account or workspace cannot be added, changed or removed as asked."""


class CertificateError(PartnerkitError):
    """A certificate cannot be issued yet, or a verification code is malformed or unread.

    A certificate asked for too early says what is left to do.
    """


class CpdRecordError(PartnerkitError):
    """A professional-learning record cannot be made (an empty log, an unknown framework)."""


class AuditTrailError(PartnerkitError):
    """The audit trail cannot be exported or checked as asked (a bad filter or anchor)."""


class BackupError(StoreError):
    """A backup cannot be made or restored (wrong passphrase, damaged, or too new)."""


class StoreKeyError(StoreError):
    """An encrypted store was opened without its key (or a wrong one); it is untouched."""


class LegalHoldError(PartnerkitError):
    """A pupil's records are under a legal hold, so they may not be erased yet."""


class RetentionScheduleError(PartnerkitError):
    """A workspace's retention schedule names an unknown kind or a period that cannot be."""


class DateError(PartnerkitError, ValueError):
    """A typed date that cannot be read (an unfinished year, a day its month has not)."""
