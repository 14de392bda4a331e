"""What a participant sees after a quiz attempt, as the trainer chose (pure).

As Moodle's review options: the trainer chooses whether the marks (which questions
were right or wrong) and each question's feedback are shown, and when the right
answers are: never, once the participant has passed (the default), or after every
attempt. The right answers are never shown before a pass unless the trainer chose
"after every attempt".
"""

from __future__ import annotations

from dataclasses import dataclass

from partnerkit.records.training import CohortSettings


@dataclass(frozen=True)
class Review:
    """What to show after one attempt."""

    marks: bool
    feedback: bool
    correct_answers: bool

    @property
    def sentence(self) -> str:
        """What is shown, in a sentence for the participant."""
        shown = [w for w, on in (("which questions were right or wrong", self.marks),
                                 ("each question's feedback", self.feedback),
                                 ("the right answers", self.correct_answers)) if on]
        if not shown:
            return "Your trainer chose to show only your score after an attempt."
        return "After an attempt you see your score, " + ", ".join(shown) + "."


def review_for(settings: CohortSettings | None, passed: bool) -> Review:
    """What to show after an attempt, given the trainer's settings and whether passed."""
    chosen = settings or CohortSettings()
    correct = (chosen.correct_answers == "after_each_attempt"
               or (chosen.correct_answers == "after_passing" and passed))
    return Review(chosen.show_marks, chosen.show_feedback, correct)
