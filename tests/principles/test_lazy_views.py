"""On a served page the principles' groups and the reflection build their forms when opened."""

from __future__ import annotations

from ipywidgets.widgets.widget import _instances

from partnerkit.forms import looks
from partnerkit.principles import rules, views
from partnerkit.records.base import load_record
from partnerkit.records.mapping import Answer
from partnerkit.records.plan import PrincipleRating
from partnerkit.store import Store
from tests.principles.helpers import P3, rate


def served(session_for, who: str | None = None):
    session = session_for(who)
    session.served = True
    return session


def panel_forms(forms: views.RatingForms, index: int) -> list:
    """The rating forms in group ``index``'s panel (built when it was opened)."""
    panel = forms.accordion.built[index]
    return [child for child in panel.children if hasattr(child, "editors")]


def test_a_served_page_builds_the_first_group_only(session_for, store: Store):
    looks.share_default_looks()
    views.rating_forms(served(session_for), "school")          # shared looks made once
    before = set(_instances)
    forms = views.rating_forms(served(session_for), "school")
    made = len(set(_instances) - before)
    assert list(forms.accordion.built) == [0] and forms.accordion.selected_index == 0
    assert len(panel_forms(forms, 0)) == 7
    assert all(box.children == () for box in forms.accordion.boxes[1:])
    assert len(forms.accordion.titles) == len(rules.groups()) == 6
    assert made < 150, f"{made} widget models: the 42 forms were 733"


def test_a_group_opened_later_builds_its_forms_and_saves_each_rating(session_for,
                                                                     store: Store):
    forms = views.rating_forms(served(session_for), "school")
    assert forms.accordion.get_title(2).startswith("3. Communication")
    assert forms.accordion.get_title(2).endswith("(0 of 6 rated)")
    forms.accordion.selected_index = 2                         # the browser opens group 3
    form = panel_forms(forms, 2)[0]
    assert form.fixed["principle"] == P3
    form.editors["rating"].input.value = 4
    form.editors["evidence"].input.value = "Joint visits since August"
    saved = load_record(store, "school", PrincipleRating, f"school/{P3}")
    assert (saved.rating, saved.evidence) == (4, "Joint visits since August")
    assert forms.accordion.get_title(2).endswith("(1 of 6 rated)")


def test_a_rating_saved_after_the_page_was_made_shows_when_its_group_opens(session_for,
                                                                          store: Store):
    forms = views.rating_forms(served(session_for), "school")
    rate(store, "school", P3, 2)                               # another tab, say
    forms.accordion.selected_index = 2
    assert panel_forms(forms, 2)[0].editors["rating"].input.value == 2


def test_the_reflection_is_a_section_whose_forms_save_when_opened(session_for,
                                                                  store: Store):
    view = views.reflection_view(served(session_for))
    assert view.titles == (views.REFLECTION_SECTION,) and view.built == {}
    view.selected_index = 0
    forms = [c for c in view.built[0].children if hasattr(c, "editors")]
    assert len(forms) == 4
    forms[2].editors["text"].input.value = "We meet each term"
    (answer,) = [a for a in [load_record(store, "school", Answer, f"team/{f.fixed['question']}")
                             for f in forms] if a is not None]
    assert answer.text == "We meet each term"


def test_outside_a_served_page_everything_is_built_at_once(session_for, store: Store):
    forms = views.rating_forms(session_for(), "school")
    assert sorted(forms.accordion.built) == list(range(6))
    view = views.reflection_view(session_for())
    assert len([c for c in view.children if hasattr(c, "editors")]) == 4


def test_a_served_page_draws_its_wheels_after_its_cells(session_for, store: Store):
    import asyncio

    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib.figure import Figure

    from partnerkit import page
    from tests.helpers.deferred_parts import until_drawn

    assert page.install_figures(InteractiveShell.instance())  # as in a served kernel
    rate(store, "school", P3, 4)
    session = served(session_for)

    async def draw_page() -> tuple[list, list]:
        wheels = (views.wheel_view(session),
                  views.wheel_view(session, rater="school", over_time=True))
        session.done()                     # the workbook's last cell
        waiting = [w.outputs[0]["data"]["text/html"] for w in wheels]
        await until_drawn(wheels)  # after that cell, one by one, from the event loop
        return waiting, [w.outputs[0]["data"]["text/html"] for w in wheels]

    waiting, drawn = asyncio.run(draw_page())
    assert waiting == [page.DRAWING_PLACEHOLDER] * 2
    assert all(html.startswith('<img class="pk-figure"') for html in drawn)
    assert 'alt="Chart: ' in drawn[0] and "Partnership principles over time" in drawn[1]
    assert isinstance(views.wheel_view(session_for()), Figure), "elsewhere: the figure itself"


def test_the_workbook_draws_its_wheels_last():
    import nbformat

    from partnerkit.paths import workbooks_dir

    nb = nbformat.read(workbooks_dir() / "principles.ipynb", as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert [c for c in code if "wheel_view" in c] == [
        "principles.wheel_view(s)", "principles.wheel_view(s, rater=rater, over_time=True)"]
    assert code[-1].startswith("s.done()")
