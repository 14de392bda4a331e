from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from papermill.exceptions import PapermillExecutionError

from partnerkit.errors import PartnerkitError, RecordValidationError
from partnerkit.principles import principles
from partnerkit.records.base import load_record, save_record, validate_record
from partnerkit.records.mapping import Answer
from partnerkit.records.plan import PrincipleRating
from partnerkit.session import Session
from partnerkit.six_steps import checklist
from partnerkit.store import Store, open_store

REPO = Path(__file__).resolve().parents[1]
UB = "principles.understanding_barriers"
P1, P2, P3 = f"{UB}.1", f"{UB}.2", "principles.communication.1"


def rate(store: Store, rater: str, principle: str, rating, author: str = "Ann") -> None:
    save_record(store, "school", PrincipleRating(principle=principle, rater=rater,
                                                 rating=rating), author)


def session(store: Store, author: str = "Ann") -> Session:
    return Session(store=store, workspace="school", author=author, data_dir=Path("."))


# ------------------------------------------------------------------ ratings


@pytest.mark.parametrize("bad", [0, 6, -1, 10, "abc", "7", 2.5, True])
def test_a_rating_outside_one_to_five_is_refused(bad):
    with pytest.raises(RecordValidationError) as caught:
        validate_record(PrincipleRating, {"principle": P1, "rater": "school", "rating": bad})
    message = caught.value.field_errors["rating"]
    assert f"rating {bad!r} is outside 1-5" in message
    assert "1 – not yet embedded" in message and "5 – fully embedded" in message


@pytest.mark.parametrize("good, expected", [(1, 1), (5, 5), ("3", 3), (4.0, 4), (None, None)])
def test_ratings_one_to_five_or_not_yet_rated_are_accepted(good, expected):
    rating = validate_record(PrincipleRating, {"principle": P1, "rater": "school",
                                               "rating": good})
    assert rating.rating == expected


def test_an_unknown_principle_is_refused():
    with pytest.raises(RecordValidationError) as caught:
        validate_record(PrincipleRating, {"principle": "principles.nope.1", "rater": "school"})
    assert "principles.nope.1" in caught.value.field_errors["principle"]


@pytest.mark.parametrize("bad", ["", "   ", None, 5, "x" * 201])
def test_check_rater_refuses_an_empty_rater(bad):
    with pytest.raises(PartnerkitError) as caught:
        principles.check_rater(bad)
    assert 'rater="school"' in str(caught.value)


def test_check_rater_names_the_school_one_way():
    assert principles.check_rater(" School ") == "school"
    assert principles.check_rater("Eastfield  Youth Project") == "Eastfield Youth Project"


def test_rating_form_offers_the_labelled_scale_and_saves(store: Store):
    forms = principles.rating_forms(session(store), "school")
    assert len(forms.children) == len(principles.groups()) == 6
    assert forms.get_title(0) == "1. Understanding barriers (0 of 7 rated)"
    form = forms.children[0].children[2]          # the first principle's form
    options = form.editors["rating"].input.options
    assert options[1] == ("1 – not yet embedded", 1) and options[-1] == ("5 – fully embedded", 5)
    assert options[0][1] is None                  # "not set" until someone rates
    form.editors["rating"].input.value = 3
    form.editors["evidence"].input.value = "Staff training in October"
    saved = load_record(store, "school", PrincipleRating, f"school/{P1}")
    assert (saved.rating, saved.evidence, saved.rater) == (3, "Staff training in October",
                                                           "school")
    assert forms.get_title(0) == "1. Understanding barriers (1 of 7 rated)"


def test_a_partner_rates_for_itself(store: Store):
    forms = principles.rating_forms(session(store, "Sam"), "Eastfield Youth Project")
    forms.children[0].children[2].editors["rating"].input.value = 2
    assert principles.raters(store, "school") == ["Eastfield Youth Project"]
    stored = store.get("school", "principle_rating", f"eastfield youth project/{P1}")
    assert stored.data["rating"] == 2 and stored.author == "Sam"


# ------------------------------------------------------------------ comparisons


def test_school_against_partners_worked_by_hand(store: Store):
    rate(store, "school", P1, 4)
    rate(store, "school", P2, 2)
    rate(store, "school", P3, 5)
    rate(store, "Youth Project", P1, 2)
    rate(store, "Youth Project", P2, 3)
    rate(store, "Family Team", P1, 3)
    rate(store, "Family Team", P2, None)          # not rated: left out of the average
    frame = principles.compare_ratings(store, "school")
    assert list(frame.columns) == list(principles.RATERS_COLUMNS)
    top = frame.head(2).to_dict("records")
    assert top[0]["principle"] == P1
    assert (top[0]["school"], top[0]["partners"], top[0]["partner_count"]) == (4, 2.5, 2)
    assert (top[0]["difference"], top[0]["gap"]) == (-1.5, 1.5)
    assert top[1]["principle"] == P2
    assert (top[1]["school"], top[1]["partners"], top[1]["gap"]) == (2, 3, 1)
    unrated = frame[frame["principle"] == P3].iloc[0]
    assert math.isnan(unrated["partners"]) and math.isnan(unrated["gap"])
    assert frame["gap"].iloc[2:].isna().all()     # rows with one side missing come last
    assert len(frame) == len(principles.load_content().items("principles", kind="principle"))


def test_conversation_starters_list_the_widest_gaps(store: Store):
    rate(store, "school", P1, 4)
    rate(store, "school", P2, 2)
    rate(store, "school", P3, 3)
    rate(store, "Youth Project", P1, 2)
    rate(store, "Youth Project", P2, 3)
    rate(store, "Youth Project", P3, 3)
    starters = principles.conversation_starters(principles.compare_ratings(store, "school"))
    assert len(starters) == 2                     # P3 agrees: nothing to start with
    assert starters[0].startswith("Principle 1.1 (Understanding barriers)")
    assert "the school rated it 4 and your partner 2, 2 points apart" in starters[0]
    assert "1 point apart" in starters[1]
    view = principles.starters_view(store, "school")
    assert "Conversation starters" in view.value and "1.1" in view.value


def test_no_starters_when_only_the_school_has_rated(store: Store):
    rate(store, "school", P1, 1)
    assert principles.conversation_starters(principles.compare_ratings(store, "school")) == []
    assert "No principle" in principles.starters_view(store, "school").value


def test_comparison_between_two_dates_worked_by_hand(store: Store, clock):
    rate(store, "school", P1, 2)
    rate(store, "school", P2, 3)
    first_day = clock().date()
    clock.advance(days=10)
    rate(store, "school", P1, 4)
    rate(store, "Youth Project", P1, 3)
    frame = principles.compare_ratings(store, "school", date_a=first_day)
    assert list(frame.columns) == list(principles.DATES_COLUMNS)
    rows = {(r["principle"], r["rater"]): r for r in frame.to_dict("records")}
    assert (rows[(P1, "school")]["before"], rows[(P1, "school")]["after"],
            rows[(P1, "school")]["change"]) == (2, 4, 2)
    assert rows[(P2, "school")]["change"] == 0
    partner = rows[(P1, "Youth Project")]
    assert math.isnan(partner["before"]) and partner["after"] == 3
    only_school = principles.compare_ratings(store, "school", date_a=first_day.isoformat(),
                                             rater="School")
    assert set(only_school["rater"]) == {"school"}


def test_over_time_compares_the_first_day_of_rating_with_now(store: Store, clock):
    rate(store, "school", P1, 1)
    assert principles.rating_dates(store, "school") is None
    assert principles.compare_ratings(store, "school", over_time=True).empty
    clock.advance(days=40)
    rate(store, "school", P1, 3)
    first, now = principles.rating_dates(store, "school")
    assert first.date() == dt.date(2026, 9, 1) and now == clock()
    frame = principles.compare_ratings(store, "school", over_time=True, rater="school")
    assert frame.iloc[0][["before", "after", "change"]].tolist() == [1, 3, 2]


def test_ratings_as_they_were_on_a_date(store: Store, clock):
    rate(store, "school", P1, 2)
    clock.advance(days=5)
    rate(store, "school", P1, 5)
    rate(store, "Youth Project", P2, 4)
    then = principles.load_ratings(store, "school", as_of=dt.date(2026, 9, 1))
    assert [(r.rater, r.rating) for r in then] == [("school", 2)]


def test_a_comparison_date_that_is_not_a_date_says_so(store: Store):
    with pytest.raises(PartnerkitError) as caught:
        principles.compare_ratings(store, "school", date_a="last spring")
    assert "give a date as YYYY-MM-DD" in str(caught.value)


def test_group_scores_worked_by_hand():
    ratings = [PrincipleRating(principle=P1, rater="school", rating=4),
               PrincipleRating(principle=P2, rater="school", rating=2),
               PrincipleRating(principle=P1, rater="A", rating=5),
               PrincipleRating(principle=P2, rater="B", rating=2),
               PrincipleRating(principle=P3, rater="B", rating=None)]
    scores = principles.group_scores(ratings)
    assert list(scores.index) == [g.title for g in principles.groups()]
    assert scores.loc["Understanding barriers"].tolist() == [3.0, 3.5]
    assert scores.loc["Communication"].isna().all()


# ------------------------------------------------------------------ the wheel


def _lines(fig: Figure) -> dict[str, list[float]]:
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    return {label: list(line.get_ydata()) for label, line in zip(labels, ax.get_lines(),
                                                                  strict=True)}


def test_wheel_draws_school_and_partner_by_group(store: Store):
    rate(store, "school", P1, 4)
    rate(store, "school", P2, 2)
    rate(store, "Youth Project", P1, 1)
    fig = principles.wheel_figure(store, "school")
    assert isinstance(fig, Figure) and fig.axes[0].name == "polar"
    lines = _lines(fig)
    assert set(lines) == {"School (centre = not rated yet)",
                          "Youth Project (centre = not rated yet)"}
    school = lines["School (centre = not rated yet)"]
    assert school[0] == 3.0 and school[-1] == school[0]      # closed, barriers averaged
    assert school[1:6] == [0, 0, 0, 0, 0]                     # unrated groups at the centre
    assert lines["Youth Project (centre = not rated yet)"][0] == 1.0
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()][0] == "Understanding\nbarriers"


def test_wheel_over_time_uses_the_history(store: Store, clock):
    rate(store, "school", P1, 2)
    clock.advance(days=30)
    rate(store, "school", P1, 4)
    lines = _lines(principles.wheel_figure(store, "school", over_time=True))
    first, now = lines.values()
    assert first[0] == 2.0 and now[0] == 4.0
    assert list(lines)[0].startswith("School: 1 Sep 2026")
    assert list(lines)[1].startswith("School: now")


def test_wheel_svg_is_inline_markup(store: Store):
    rate(store, "school", P1, 3)
    svg = principles.figure_svg(principles.wheel_figure(store, "school"))
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")


# ------------------------------------------------------------------ reflection


def test_reflection_questions_are_answered_and_saved(store: Store):
    view = principles.reflection_view(session(store))
    forms = [c for c in view.children if hasattr(c, "editors")]
    assert len(forms) == 4
    assert "Which partners should be involved but aren’t?" in view.children[1].value
    forms[2].editors["text"].input.value = "Protocols are agreed but not revisited."
    saved = load_record(store, "school", Answer, "team/reflection.3")
    assert saved.text == "Protocols are agreed but not revisited."
    again = principles.reflection_view(session(store, "Bob"))
    again_forms = [c for c in again.children if hasattr(c, "editors")]
    assert again_forms[2].editors["text"].input.value == saved.text


def test_a_personal_reflection_is_kept_apart(store: Store):
    view = principles.reflection_view(session(store), subject="Ann")
    [c for c in view.children if hasattr(c, "editors")][0].editors["text"].input.value = "Mine"
    assert load_record(store, "school", Answer, "Ann/reflection.1").text == "Mine"
    assert load_record(store, "school", Answer, "team/reflection.1") is None
    with pytest.raises(PartnerkitError):
        principles.reflection_view(session(store), subject=" ")


# ------------------------------------------------------------------ demo


def test_demo_has_two_rounds_of_school_ratings_and_a_partner(store: Store):
    count = principles.seed_demo_principles(store, "school", "Demo")
    changes = store.count_history("school")
    assert principles.seed_demo_principles(store, "school", "Demo") == count
    assert store.count_history("school") == changes
    assert principles.raters(store, "school") == ["school", principles.DEMO_PARTNER]
    assert principles.rating_dates(store, "school") is not None
    moved = principles.compare_ratings(store, "school", over_time=True, rater="school")
    assert (moved["change"] > 0).any()
    assert principles.conversation_starters(principles.compare_ratings(store, "school"))
    assert load_record(store, "school", Answer, "team/reflection.1").text


# ------------------------------------------------------------------ the workbook




def _outputs(notebook) -> list[dict]:
    return [o for c in notebook.cells for o in c.get("outputs", [])]


def test_principles_workbook_runs_on_the_demo(demo_data, run_workbook, kernel_env):
    store = open_store(demo_data)
    try:
        whole = checklist.plan_progress(store, "demo")
        starter = principles.conversation_starters(principles.compare_ratings(store, "demo"))[0]
    finally:
        store.close()
    notebook = run_workbook("principles")
    outputs = _outputs(notebook)
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 2      # two wheels
    text = "\n".join(str(v) for o in outputs for v in o.get("data", {}).values())
    text += json.dumps(notebook.metadata.get("widgets", {}), ensure_ascii=False)
    assert "principles.partnership_parity.2" in text                         # comparison
    assert starter.split(":")[0] in text                                     # starters
    assert "Which partners should be involved but aren" in text              # reflection
    summary = [o["data"]["text/html"] for o in outputs
               if "text/html" in o.get("data", {}) and "Whole plan" in o["data"]["text/html"]]
    assert summary and f"<td>{whole.percent}</td>" in summary[-1]            # real progress


def test_principles_workbook_for_a_partner(demo_data, run_workbook, kernel_env):
    notebook = run_workbook("principles", rater="Eastfield Youth Project")
    text = json.dumps(notebook.metadata.get("widgets", {}), ensure_ascii=False)
    assert "We are invited, but decisions are mostly made before we arrive." in text


def test_principles_workbook_says_what_to_do_with_an_empty_rater(demo_data, run_workbook,
                                                                kernel_env):
    with pytest.raises(PapermillExecutionError) as caught:
        run_workbook("principles", rater=" ")
    assert 'use rater="school"' in str(caught.value)
