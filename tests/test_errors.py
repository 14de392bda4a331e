"""partnerkit.errors: every message names where, the value and the fix; every class pickles."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import pickle
from pathlib import Path
from typing import Any

import pytest

import partnerkit
from partnerkit import errors
from partnerkit.errors import InputFileError, PartnerkitError, RecordValidationError

ERROR_CLASSES = sorted(
    (cls for _, cls in inspect.getmembers(errors, inspect.isclass)
     if issubclass(cls, BaseException) and cls.__module__ == errors.__name__),
    key=lambda cls: cls.__name__)
"""Every error class partnerkit.errors defines, found by introspection."""

SAMPLES: dict[str, Any] = {
    "value": {"bad": ["nested", 3]},
    "where": "column 'Possible'",
    "fix": "type a whole number",
    "field_errors": {"pupil": "use a pseudonymous code"},
    "until": dt.datetime(2026, 9, 1, 9, 30, tzinfo=dt.UTC),
    "file": "attendance.csv",
    "row": 4,
    "column": "Possible",
    "problems": [InputFileError("is empty", file="attendance.csv", row=5, column="Present")],
    "account": "a.morgan",
}
"""A value for each keyword an error class may take (by parameter name)."""


def _make(cls: type[PartnerkitError]) -> PartnerkitError:
    """An instance of ``cls`` with every keyword it accepts given a sample value.

    The keywords are those of its ``__init__``, and of its parents' while each passes
    ``**kwargs`` on.
    """
    names: set[str] = set()
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        params = inspect.signature(init).parameters.values()
        names |= {p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY}
        if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
            break
    missing = names - set(SAMPLES)
    assert not missing, f"{cls.__name__} takes {missing}: add a sample value to SAMPLES"
    return cls("is not right", **{name: SAMPLES[name] for name in names})


def _state(error: BaseException) -> Any:
    """What an error holds, comparable across a pickle round trip (nested errors too)."""
    def plain(value: Any) -> Any:
        if isinstance(value, BaseException):
            return _state(value)
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value
    return (type(error), str(error), error.args,
            {key: plain(value) for key, value in vars(error).items()})


def test_every_error_class_is_found_and_is_a_partnerkit_error():
    names = {cls.__name__ for cls in ERROR_CLASSES}
    assert {"PartnerkitError", "QuizLockedError", "InputFileError", "StoreTooNewError",
            "PupilReferenceError", "RecordValidationError"} <= names
    assert all(issubclass(cls, PartnerkitError) for cls in ERROR_CLASSES)


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda cls: cls.__name__)
def test_every_error_survives_pickling_with_all_it_holds(cls: type[PartnerkitError]):
    error = _make(cls)
    again = pickle.loads(pickle.dumps(error))
    assert _state(again) == _state(error)
    assert (again.message, again.value, again.where, again.fix) == (
        "is not right", error.value, error.where, error.fix)
    for name in ("field_errors", "until", "file", "row", "column"):
        if hasattr(error, name):
            assert getattr(again, name) == getattr(error, name), name
    with pytest.raises(cls):
        raise again


def test_no_error_class_is_defined_outside_errors_py():
    package = Path(partnerkit.__file__).parent
    strays = []
    for path in package.rglob("*.py"):
        if path.name == "errors.py" and path.parent == package:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    getattr(base, "id", getattr(base, "attr", "")).endswith(("Error", "Exception"))
                    for base in node.bases):
                strays.append(f"{path.relative_to(package)}:{node.lineno} {node.name}")
    assert strays == []


def test_a_message_names_where_the_value_and_the_fix():
    err = PartnerkitError("is not a number", value="abc", where="column 'Possible'",
                          fix="type a whole number")
    assert str(err) == "column 'Possible' 'abc': is not a number; type a whole number"
    assert err.value == "abc"


def test_a_value_already_quoted_in_the_message_is_not_repeated():
    err = PartnerkitError("'abc' is not a number", value="abc", where="step")
    assert str(err) == "step: 'abc' is not a number"


def test_input_file_errors_name_file_row_and_column():
    err = InputFileError("is not a number", file="attendance.csv", row=4, column="Possible",
                         value="abc", fix="type a whole number")
    assert str(err) == ("attendance.csv, row 4, column 'Possible' 'abc': is not a number; "
                        "type a whole number")
    assert (err.file, err.row, err.column) == ("attendance.csv", 4, "Possible")


def test_every_partnerkit_error_is_one_base_error():
    assert issubclass(InputFileError, PartnerkitError)
    assert issubclass(RecordValidationError, PartnerkitError)
    assert RecordValidationError("bad", field_errors={"a": "b"}).field_errors == {"a": "b"}
