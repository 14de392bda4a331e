"""The end-of-module quiz bank and the published quiz rules (pure: files in, values out).

The bank is ``quiz_bank.yaml`` beside this module: multiple-choice and multiple-select
questions, each with feedback and the content id it tests. The pass mark, the number of
failed attempts before a lockout and the lockout's length come from the content
(``module6.quiz_rules.*``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from partnerkit.content import load_content
from partnerkit.errors import ContentError, PartnerkitError

BANK_FILE = Path(__file__).parent / "quiz_bank.yaml"
"""The packaged question bank."""
WHERE = "end-of-module quiz"
"""Where quiz errors say they happened."""


class Option(BaseModel):
    """One answer option of a question."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    correct: bool = False


class Question(BaseModel):
    """A quiz question: its type, text, options, feedback and the content id it tests.

    A multiple-choice question has exactly one right option; a multiple-select question
    has at least one. Option ids are unique within a question.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    type: Literal["multiple_choice", "multiple_select"]
    cites: str = Field(min_length=1)
    text: str = Field(min_length=1)
    options: tuple[Option, ...] = Field(min_length=2)
    feedback: str = Field(min_length=1)

    @model_validator(mode="after")
    def _check_answers(self) -> Question:
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question {self.id!r} has two options with the same id")
        right = sum(o.correct for o in self.options)
        if self.type == "multiple_choice" and right != 1:
            raise ValueError(f"multiple-choice question {self.id!r} has {right} right "
                             "options; mark exactly one with correct: true")
        if self.type == "multiple_select" and right < 1:
            raise ValueError(f"multiple-select question {self.id!r} has no right option")
        return self

    @property
    def correct_ids(self) -> frozenset[str]:
        """The ids of the right options."""
        return frozenset(o.id for o in self.options if o.correct)

    @property
    def option_ids(self) -> tuple[str, ...]:
        """Every option id, in order."""
        return tuple(o.id for o in self.options)


class QuizBank(BaseModel):
    """The question bank and how many questions an attempt draws (never more than it has)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    draw: int = Field(ge=1)
    questions: tuple[Question, ...] = Field(min_length=1)
    activity16_feedback: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_bank(self) -> QuizBank:
        ids = [q.id for q in self.questions]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"two questions share the id {duplicates[0]!r}")
        if self.draw > len(self.questions):
            raise ValueError(f"draw is {self.draw} but the bank has only "
                             f"{len(self.questions)} questions")
        return self

    def question(self, question_id: str) -> Question:
        """The question with this id.

        Raises:
            PartnerkitError: the bank has no question with this id.
        """
        for question in self.questions:
            if question.id == question_id:
                return question
        raise PartnerkitError("is not a question in the quiz bank", value=question_id,
                              where=WHERE, fix="use an id from quiz_bank.yaml")


def load_bank(path: str | Path | None = None) -> QuizBank:
    """Load and check the question bank (the packaged one unless ``path`` is given).

    Raises:
        ContentError: the file is not valid YAML, a question is malformed, or a question
            cites a content id that does not exist.
    """
    if path is None:
        return _packaged_bank()
    return _load_bank(Path(path))


@lru_cache(maxsize=1)
def _packaged_bank() -> QuizBank:
    return _load_bank(BANK_FILE)


def _load_bank(path: Path) -> QuizBank:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        bank = QuizBank.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"cannot be read ({exc})", value=str(path), where="quiz bank",
                           fix="check the quiz bank file") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        at = ".".join(str(p) for p in first["loc"])
        raise ContentError(f"at {at}: {first['msg']}", value=str(path), where="quiz bank",
                           fix="correct the quiz bank file") from None
    content = load_content()
    for question in bank.questions:
        if question.cites not in content:
            raise ContentError(f"question {question.id!r} cites {question.cites!r}, which is "
                               "not a content id", value=question.cites, where="quiz bank",
                               fix="cite an id from partnerkit/content/*.yaml")
    return bank


@dataclass(frozen=True)
class QuizRules:
    """Pass mark (0–1), failed attempts before a lockout, and the lockout's length."""

    pass_mark: float
    max_failed_attempts: int
    lockout: dt.timedelta
    text: str


def quiz_rules() -> QuizRules:
    """The quiz rules as the module publishes them (``module6.quiz_rules.*``).

    Raises:
        ContentError: a rule has no value in the content.
    """
    content = load_content()

    def value(name: str) -> float:
        item = content.item(f"module6.quiz_rules.{name}")
        if item.value is None:
            raise ContentError("has no value", value=item.id, where="content",
                               fix="give the rule a value in module6.yaml")
        return float(item.value)

    return QuizRules(pass_mark=value("pass_mark"),
                     max_failed_attempts=int(value("max_failed_attempts")),
                     lockout=dt.timedelta(hours=value("lockout_hours")),
                     text=content.item("module6.quiz_rules").text)
