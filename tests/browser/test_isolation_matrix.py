"""The cross-user isolation matrix in a real browser (issue 13, "Tests").

For each demo account of ``partnerkit demo`` (one per role) × each workbook × read and
write: what the role may do works, and what it may not is refused with the plain
message. Each account signs in once, in a browser context of its own, and opens the
workbooks one after another in one tab: the read cell opens the page, the write cell
types into the same page. What a write saved, or did not, is read back from the store
directly.

:data:`EXPECTED` is written by hand from the issue's "Who may do what" and the
docstring of :mod:`partnerkit.access` (never computed from the code under test). Then
the hostile attempts the serve tests do not make in a browser: ``pupil=`` of another
school's pupil in the address, a forged widget message, and three failed quiz attempts
that lock the account whatever the address, the browser or the kernel.

With ``$PARTNERKIT_MATRIX_RESULTS`` set, what each cell saw is written there as JSON
(``scripts/isolation_matrix.py`` prints it as the table the issue note quotes);
screenshots of a refused page and a refused write go to ``$PARTNERKIT_SCREENSHOTS`` (else
the test's own folder).
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from partnerkit import catalog
from partnerkit.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from partnerkit.demo.principles import DEMO_PARTNER
from tests.helpers.isolation import (
    OTHER_PUPIL,
    OTHER_PUPIL_SIBLINGS,
    OTHER_WORKSPACE,
    QUIZ_TAKER,
    REAL_NAME,
    audit_of,
    forge_click,
    forge_update,
    pinned,
    prepare_matrix_data,
    records_holding,
    refusals,
    versions,
    wait_for_widgets,
)
from tests.helpers.served_pages import (
    PARAMS,
    assert_no_traceback,
    form_of,
    form_with,
    kernel_id,
    open_section,
    open_workbook,
    status_of,
    wait_for_page,
    workbook_url,
)
from tests.serve.running import running_server, sign_in

pytestmark = pytest.mark.browser

DEMO = "demo"
RESULTS_ENV = "PARTNERKIT_MATRIX_RESULTS"

# ---------------------------------------------------------------- the expected matrix

ROLES = ("demo-admin", "demo-lead", "demo-teacher", "demo-partner", "demo-trainer",
         "demo-dpo")
WORKBOOKS = ("principles", "mapping_tool", "six_steps", "attendance", "staged_support",
             "collaborative_working", "reflective_log")

EXPECTED_TABLE = """
                       admin  lead   teacher  partner  trainer  dpo
principles             R W    R W    R W      R W      R x      - -
mapping_tool           R W    R W    R W      R W      R x      - -
six_steps              R W    R W    R x      R x      - -      - -
attendance             R .    R .    - -      - -      - -      - -
staged_support         R W    R W    R W      R W      R x      - -
collaborative_working  R W    R W    R W      R W      R W      - -
reflective_log         R .    R .    R .      R .      R .      - -
"""
"""What each role may do with each workbook in the demo school: read, then write.

Read: ``R`` the page opens and shows the workbook's content; ``-`` the page is refused
(status 403, the plain message, nothing of the workbook shown, no kernel).
Write: ``W`` what the role types is saved, with the account as its author; ``x`` the
field is shown read only with the reason, and a value forced into it over the websocket
anyway is refused in the form ("Not saved: ..."), the store is unchanged and the audit
trail has the refusal; ``.`` the page has nothing to change (it reads and exports);
``-`` there is no page to write in.

From the issue ("Who may do what"):

- practitioner (demo-teacher; demo-partner speaks for a partner organisation): their
  own module work (collaborative working, reflective log); "the pupils, maps and plans
  of the workspaces they belong to" (mapping tool, staged support plan: W). The issue
  gives the partnership plan and attendance to the school lead ("including the
  partnership plan and attendance"), so a practitioner reads the six steps plan (the
  docstring of partnerkit.access: "reads the partnership plan") but may not change it
  (x), and may not open attendance. "Partners rate the principles as their own
  organisation, never as the school": both rate, each as their own (W).
- school lead: "everything in their school's workspace".
- admin: the docstring: "what a school lead may, and creates workspaces and accounts".
- trainer: "sees each participant's progress and quiz results, not the text of their
  reflective log unless the participant shares it" (collaborative working: the cohort
  part; reflective log: the shared entries; their own module work is theirs, W); the
  docstring: "reads the workspace's practice pupils" (mapping tool, staged support: R x).
  The issue and the docstring are silent on the principles and the six steps for a
  trainer. We expect the principles to open (the module starts there) without a rating
  or the team's reflection from the trainer, who is neither the school nor a partner
  organisation (x); and the six steps, the school's own plan, not to open.
- data-protection lead: "the data-protection operations of a workspace": none of these
  workbooks opens for them; their own pages are in :data:`OWN_PAGES`.
"""

NAMES = {account.username: account.name for account in DEMO_ACCOUNTS}
ROLE_WORDS = {"demo-admin": "admin", "demo-lead": "school lead",
              "demo-teacher": "practitioner", "demo-partner": "practitioner",
              "demo-trainer": "trainer", "demo-dpo": "data-protection lead"}
"""How a refusal names each account's role."""
ASK = "ask your school lead or an admin to give you access"


def parse_expected(table: str) -> dict[tuple[str, str], tuple[str, str]]:
    """The table as ``{(username, workbook): (read, write)}``."""
    header, *rows = [line.split() for line in table.strip().splitlines()]
    users = [f"demo-{short}" for short in header]
    cells = {}
    for workbook, *marks in rows:
        for number, username in enumerate(users):
            cells[username, workbook] = (marks[2 * number], marks[2 * number + 1])
    return cells


EXPECTED = parse_expected(EXPECTED_TABLE)


OWN_PAGES = {"cohort": {"demo-admin", "demo-trainer"},
             "audit_trail": {"demo-admin", "demo-dpo"},
             "data_protection": {"demo-admin", "demo-dpo"}}
"""Workbooks for one role's work, outside the read/write matrix (their own browser tests
drive them): the trainer's cohort board, the data-protection lead's audit trail and
subject access page. The admin opens the data-protection page too: they run the server
and its backups (exports, erasure, holds and retention stay the data-protection lead's)."""


def may_open(username: str) -> set[str]:
    """The workbooks the matrix (and :data:`OWN_PAGES`) says this account may open."""
    return ({w for w in WORKBOOKS if EXPECTED[username, w][0] == "R"}
            | {w for w, who in OWN_PAGES.items() if username in who})


# ------------------------------------------------------ what each page shows and takes

SHOWS = {
    "principles": ("Partnership principles for improving attendance",
                   "Where school and partners see it differently"),
    "mapping_tool": ("Community partnership mapping", "Pupil characteristics: P-1001"),
    "six_steps": ("Six steps to an effective partnership to support attendance",
                  "Whole plan:"),
    "attendance": ("Attendance data: who needs support?", "1. Your file, as the workbook read it"),
    "staged_support": ("Staged support for one pupil", "Staged support for P-1002"),
    "collaborative_working": ("Collaborative partnership working", "Before you start"),
    "reflective_log": ("Your reflective log", "The whole log"),
}
"""Text each workbook's page shows: its heading, then a part drawn from the store."""

DEMO_DATA = ("P-1001", "P-1002", "Glenbrae", "Eastfield", "Two younger brothers")
"""Demo school data that no refused page may show."""
UNSHARED_LOG_TEXT = "We could send a short summary after each review"
"""A reflective-log entry of the demo cohort that nobody shared with the trainer."""
COHORT_MEMBER = "Aisha Rahman"
"""A participant of the demo cohort: only the trainer sees their progress by name; those
who may sign off a participant's professional-learning record (trainer, school lead,
admin) see the participants' names to choose whose record they sign."""
SIGNS_OFF = {"demo-trainer", "demo-lead", "demo-admin"}
SEES_REAL_NAMES = {"demo-admin", "demo-lead"}
"""The docstring of partnerkit.access: the school lead has "real names" beyond what a
practitioner has (the admin: "what a school lead may"); the issue is silent. The
mapping tool offers them P-1001's real name; every other page of every role shows none."""


@dataclass(frozen=True)
class Field:
    """The field a write cell types into, and the kind of record it saves."""

    label: str
    kind: str
    open_first: bool = False
    """The field is in a closed part of the page (a stage of the plan): open the first."""
    section: str = ""
    """The title of the section the field is built in when it is opened, if any."""


FIELDS = {
    "principles": Field("Evidence", "principle_rating"),
    "mapping_tool": Field("Siblings", "pupil_profile"),
    "six_steps": Field("Owner", "checklist_progress", section="Record progress on item 2.1"),
    "staged_support": Field("Who implements this", "staged_support_plan", open_first=True),
    "collaborative_working": Field("Your reflection", "log_entry",
                                   section="Reflective Task 6.2"),
}
TEAM_REFLECTION = Field("Answer", "answer", section="Write the answers to the four questions")
"""The trainer is offered no rating form: the principles page's other field is the
team's reflection."""
NOT_RATING = "As trainer you can see the ratings below but not rate the principles here"

REFUSED_WRITE_SAYS = {
    ("demo-trainer", "principles"):
        "as trainer you may not change the reflection on partnership working",
    ("demo-trainer", "mapping_tool"): "as trainer you may not change pupils' records",
    ("demo-trainer", "staged_support"): "as trainer you may not change pupils' records",
    ("demo-teacher", "six_steps"): "as practitioner you may not change the partnership plan",
    ("demo-partner", "six_steps"): "as practitioner you may not change the partnership plan",
}
"""What the form says to each refused write (the ``x`` cells), after "Not saved"."""


def field_of(username: str, workbook: str) -> Field:
    """The field a write cell uses."""
    if (username, workbook) == ("demo-trainer", "principles"):
        return TEAM_REFLECTION
    return FIELDS[workbook]


# ------------------------------------------------------------------- the fixtures


@pytest.fixture(scope="module")
def matrix_server(tmp_path_factory, chromium_path):
    """One server for the module (a preheated kernel per workbook): the demo, another
    school with a pupil, and a practitioner who has not taken the quiz."""
    with running_server(tmp_path_factory.mktemp("matrix"), "--pool", "1",
                        prepare=prepare_matrix_data) as running:
        yield running


def signed_in_tab(browser, server, username: str):
    """A tab in a new browser context, signed in as ``username`` (demo password)."""
    client, _ = sign_in(server, username, DEMO_PASSWORD)
    context = browser.new_context()
    context.add_cookies([{"name": "partnerkit_session", "url": server.url,
                          "value": client.cookies["partnerkit_session"]}])
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    return tab


@dataclass
class Opened:
    """The one tab of an account, the workbook it shows and the status it was served with."""

    tab: object
    workbook: str = ""
    status: int = 0


class Tabs:
    """One signed-in tab per account; opening a workbook moves that tab to it.

    The read cell of a workbook opens it; the write cell that follows uses the same page
    (moving on ends the page's kernel, as a person's browser does).
    """

    def __init__(self, browser, server) -> None:
        self.browser, self.server = browser, server
        self.opened: dict[str, Opened] = {}

    def open(self, username: str, workbook: str) -> Opened:
        """The account's tab showing ``workbook`` (opened now unless it shows it already)."""
        opened = self.opened.get(username)
        if opened is None:
            opened = self.opened[username] = Opened(signed_in_tab(self.browser, self.server,
                                                                  username))
        if opened.workbook != workbook:
            url = workbook_url(self.server, workbook, **PARAMS.get(workbook, {}))
            response = opened.tab.goto(url, timeout=180_000)
            opened.workbook, opened.status = workbook, response.status
            if response.status == 200:
                wait_for_page(opened.tab)
                wait_for_widgets(opened.tab)
        return opened

    def close(self) -> None:
        for opened in self.opened.values():
            opened.tab.context.close()


@pytest.fixture(scope="module")
def tabs(browser, matrix_server):
    every = Tabs(browser, matrix_server)
    yield every
    every.close()


@pytest.fixture(scope="module")
def seen():
    """What each cell saw; written to ``$PARTNERKIT_MATRIX_RESULTS`` at the end."""
    found: dict[str, str] = {}
    yield found
    target = os.environ.get(RESULTS_ENV)
    if target:
        Path(target).write_text(json.dumps(found, indent=1, ensure_ascii=False),
                                encoding="utf-8")


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("PARTNERKIT_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("matrix-shots")
    path.mkdir(parents=True, exist_ok=True)
    return path


# ------------------------------------------------------------------- the checks


def all_text(page) -> str:
    """The page's markup and that of every frame in it (a log is shown in a frame)."""
    return "\n".join(frame.content() for frame in page.frames)


def assert_nothing_private(page, username: str) -> None:
    """Nothing of another school, nobody's unshared log, no cohort names but the trainer's."""
    text = all_text(page)
    assert OTHER_PUPIL_SIBLINGS not in text and OTHER_PUPIL not in text
    assert UNSHARED_LOG_TEXT not in text
    if username not in SIGNS_OFF:
        assert COHORT_MEMBER not in text
    if username not in SEES_REAL_NAMES:
        assert REAL_NAME not in text


def check_shows(page, opened: Opened, username: str, workbook: str) -> str:
    """The workbook's page, for this account, with its content and nobody else's."""
    assert opened.status == 200
    expect(page.locator("#pk-who-text")).to_have_text(
        f"Signed in as {NAMES[username]} ({username})")
    heading, part = SHOWS[workbook]
    expect(page.get_by_role("heading", name=heading).first).to_be_visible()
    expect(page.get_by_text(part).filter(visible=True).first).to_be_visible()
    assert page.locator(".pk-page-error").count() == 0
    assert_no_traceback(page)
    assert_nothing_private(page, username)
    if (username, workbook) == ("demo-trainer", "reflective_log"):
        check_only_shared_entries(page)
    if workbook == "mapping_tool":
        return f"opens: {heading}; {check_real_name(page, username)}"
    return f"opens: {heading}"


def check_real_name(page, username: str) -> str:
    """The pupil's real name in its field for a lead; for anyone else, a note instead."""
    if username in SEES_REAL_NAMES:
        expect(page.get_by_label("Real name (optional)")).to_have_value(REAL_NAME)
        return "the pupil's real name shown"
    expect(page.get_by_text("Real names are kept apart by your school lead")).to_be_visible()
    expect(page.get_by_label("Real name (optional)")).to_have_count(0)
    return "no real name (kept by the school lead)"


SHARED_BY_GORDON = "Weekly pupil support meetings where the youth worker joins by video."


def check_only_shared_entries(page) -> None:
    """The trainer reads the entry a participant shared, not the one beside it they did not."""
    shared = page.locator("select").filter(has=page.locator("option", has_text="(1 shared)"))
    shared.select_option(label="Gordon Bell (1 shared)")
    shown = page.frame_locator("iframe").last
    expect(shown.get_by_text(SHARED_BY_GORDON)).to_be_visible()
    text = all_text(page)
    assert SHARED_BY_GORDON in text  # the frame's text is read, so the next line means it
    assert UNSHARED_LOG_TEXT not in text


def check_refused_page(page, opened: Opened, username: str, workbook: str) -> str:
    """Status 403, the plain message naming the workbook by its title, and nothing of the
    workbook or its data."""
    assert opened.status == 403
    expect(page.get_by_role("heading", name="You cannot open this workbook")).to_be_visible()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(f"'{catalog.find(workbook).title}': as {ROLE_WORDS[username]} "
                                  "you may not open this workbook")
    expect(alert).to_contain_text(ASK)
    expect(page.get_by_text("Nothing was shown or saved.")).to_be_visible()
    assert page.locator("#jupyter-config-data").count() == 0, "a kernel page was served"
    text = page.content()
    for marker in (*DEMO_DATA, *(part for _, part in SHOWS.values())):
        assert marker not in text, f"the refusal shows {marker!r}"
    assert_no_traceback(page)
    return f"refused (403): {alert.inner_text().strip()}"


def the_field(page, field: Field):
    """The first field with the label (its closed part opened first if need be), pinned."""
    if field.open_first:
        page.locator(".jupyter-widget-Collapse-header").first.click()
    if field.section:
        open_section(page, field.section)
    return pinned(page, page.get_by_label(field.label, exact=True).first)


def check_saved(page, server, username: str, workbook: str) -> str:
    """What the account types is saved, as the account (and, in the principles, as
    the rater the account speaks for; in the module, under the account's name)."""
    field = FIELDS[workbook]
    text = f"Typed by {username} {uuid.uuid4().hex[:8]}"
    box = the_field(page, field)
    box.fill(text)
    expect(status_of(form_of(page, box))).to_contain_text("Saved at")
    [found] = records_holding(server.data, DEMO, field.kind, text)
    assert found.updated_by == username and found.last_author == username
    if workbook == "principles":
        assert found.data["rater"] == (DEMO_PARTNER if username == "demo-partner" else "school")
    if workbook == "collaborative_working":
        assert found.key.startswith(f"{username}/")
    said = f"saved as {username}: {field.kind.replace('_', ' ')} {found.key!r}"
    return said + (f", rated as {found.data['rater']}" if workbook == "principles" else "")


def check_refused_write(page, server, username: str, workbook: str, shots: Path) -> str:
    """The field is shown read only with the reason; a value forced into it over the
    websocket anyway is not saved, the form says why, and the refusal is audited."""
    field = field_of(username, workbook)
    if workbook == "principles":
        expect(page.get_by_text(NOT_RATING)).to_be_visible()
        assert page.get_by_label("How far is this embedded?", exact=True).count() == 0
    before = versions(server.data, DEMO, field.kind)
    refused_before = len(refusals(server.data, username, field.kind))
    text = f"Typed by {username} {uuid.uuid4().hex[:8]}"
    box = the_field(page, field)
    expect(box).to_be_disabled()
    status = status_of(form_of(page, box))
    expect(status).to_contain_text("Read only:")
    expect(status).to_contain_text(REFUSED_WRITE_SAYS[username, workbook])
    model = "TextareaModel" if box.evaluate("e => e.tagName") == "TEXTAREA" else "TextModel"
    forge_update(page, field.label, text, model)
    expect(status).to_contain_text("Not saved")
    expect(status).to_contain_text(REFUSED_WRITE_SAYS[username, workbook])
    expect(status).to_contain_text(ASK)
    assert_no_traceback(page)
    assert versions(server.data, DEMO, field.kind) == before
    assert records_holding(server.data, DEMO, field.kind, text) == []
    assert len(refusals(server.data, username, field.kind)) == refused_before + 1
    if (username, workbook) == ("demo-trainer", "mapping_tool"):
        status.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "refused-write.png"))
    said = status.inner_text().strip().removeprefix("✗ ")
    if workbook == "principles":
        return f"no rating form ({NOT_RATING}); the reflection: {said}"
    return said


def check_nothing_to_change(page, opened: Opened) -> str:
    """A page that reads and exports: no form to type into."""
    assert opened.status == 200
    assert page.locator(".pk-form").count() == 0
    return "nothing to change on this page"


# ------------------------------------------------------------------- the matrix

CELLS = [pytest.param(username, workbook, action,
                      id=f"{username.removeprefix('demo-')}-{workbook}-{action}")
         for username in ROLES for workbook in WORKBOOKS for action in ("read", "write")]


@pytest.mark.parametrize(("username", "workbook", "action"), CELLS)
def test_each_role_reads_and_writes_each_workbook_as_the_issue_says(
        tabs, matrix_server, seen, shots, username, workbook, action):
    read, write = EXPECTED[username, workbook]
    opened = tabs.open(username, workbook)
    page = opened.tab
    if action == "read" and read == "R":
        outcome = check_shows(page, opened, username, workbook)
    elif action == "read":
        outcome = check_refused_page(page, opened, username, workbook)
        if (username, workbook) == ("demo-teacher", "attendance"):
            page.screenshot(path=str(shots / "refused-page.png"))
    elif write == "W":
        outcome = check_saved(page, matrix_server, username, workbook)
    elif write == "x":
        outcome = check_refused_write(page, matrix_server, username, workbook, shots)
    elif write == ".":
        outcome = check_nothing_to_change(page, opened)
    else:
        assert opened.status == 403
        outcome = "no page to write in (refused with the page)"
    seen[f"{username}|{workbook}|{action}"] = outcome


@pytest.mark.parametrize("username", ROLES)
def test_the_landing_page_lists_exactly_the_workbooks_the_role_may_open(
        browser, matrix_server, username):
    tab = signed_in_tab(browser, matrix_server, username)
    try:
        tab.goto(matrix_server.url + "/")
        expect(tab.locator("#who-status")).to_contain_text(f"({username})")
        links = tab.locator("a.pk-link[href*='voila/render/']")
        listed = {href.split("/")[-1].split(".ipynb")[0]
                  for href in (links.nth(i).get_attribute("href") for i in range(links.count()))}
        assert listed == may_open(username)
        text = tab.content()
        assert OTHER_PUPIL not in text and OTHER_WORKSPACE not in text
    finally:
        tab.context.close()


@pytest.mark.parametrize("username", ROLES,
                         ids=[f"data_protection-{u.removeprefix('demo-')}" for u in ROLES])
def test_the_data_protection_page_opens_for_the_dp_lead_and_the_admin_only(tabs, username):
    """The dp lead sees what is held; the admin is told that is the dp lead's; others: 403."""
    opened = tabs.open(username, "data_protection")
    page = opened.tab
    if username not in OWN_PAGES["data_protection"]:
        check_refused_page(page, opened, username, "data_protection")
        return
    assert opened.status == 200
    expect(page.get_by_role("heading", name="Subject access and erasure").first).to_be_visible()
    expect(page.get_by_role("button", name="Make the subject access bundle")).to_be_visible()
    if username == "demo-admin":
        expect(page.get_by_text("as admin you may not export everything held about a "
                                "pupil").first).to_be_visible()
        assert page.get_by_text("Held about pupil P-1001").count() == 0
    else:
        expect(page.get_by_text("Held about pupil P-1001")).to_be_visible()
    assert_no_traceback(page)


# ------------------------------------------------------------- hostile attempts


@pytest.mark.parametrize("workbook", ["mapping_tool", "staged_support"])
def test_another_schools_pupil_in_the_address_shows_and_saves_nothing(
        browser, matrix_server, workbook):
    tab = signed_in_tab(browser, matrix_server, "demo-teacher")
    before = versions(matrix_server.data, OTHER_WORKSPACE, "pupil_profile")
    try:
        open_workbook(tab, matrix_server, workbook, pupil=OTHER_PUPIL)
        wait_for_widgets(tab)
        expect(tab.locator("#pk-who-text")).to_contain_text("(demo-teacher)")
        assert_no_traceback(tab)
        if workbook == "mapping_tool":  # a reference new to this school: an empty profile
            expect(tab.get_by_label("Siblings", exact=True)).to_have_value("")
        else:
            expect(tab.locator(".pk-page-error")).to_contain_text(f"'{OTHER_PUPIL}'")
        assert OTHER_PUPIL_SIBLINGS not in all_text(tab)
    finally:
        tab.context.close()
    assert versions(matrix_server.data, OTHER_WORKSPACE, "pupil_profile") == before
    assert OTHER_PUPIL not in versions(matrix_server.data, DEMO, "pupil_profile")
    assert audit_of(matrix_server.data, "demo-teacher", OTHER_WORKSPACE) == []


@pytest.mark.parametrize("username", ["demo-teacher", "demo-admin"])
def test_another_schools_workspace_and_pupil_in_the_address_are_refused(
        browser, matrix_server, username):
    tab = signed_in_tab(browser, matrix_server, username)
    try:
        response = tab.goto(workbook_url(matrix_server, "mapping_tool", workspace=OTHER_WORKSPACE,
                                         pupil=OTHER_PUPIL))
        assert response.status == 403
        expect(tab.get_by_role("alert")).to_contain_text(
            f"you are not a member of workspace '{OTHER_WORKSPACE}'")
        assert OTHER_PUPIL_SIBLINGS not in tab.content()
        assert tab.locator("#jupyter-config-data").count() == 0
    finally:
        tab.context.close()


FORGED = [
    pytest.param("demo-trainer", "mapping_tool", {"pupil": "P-1003"}, "Current challenges",
                 "TextareaModel", "pupil_profile",
                 "as trainer you may not change pupils' records", id="trainer-pupil"),
    pytest.param("demo-teacher", "six_steps", {"step": "1"}, "Local authority", "TextModel",
                 "plan_settings", "as practitioner you may not change the partnership plan",
                 id="practitioner-plan"),
]


@pytest.mark.parametrize(("username", "workbook", "params", "label", "model", "kind", "says"),
                         FORGED)
def test_a_forged_widget_message_to_a_form_the_account_may_not_edit_saves_nothing(
        browser, matrix_server, username, workbook, params, label, model, kind, says):
    tab = signed_in_tab(browser, matrix_server, username)
    text = f"Forged by {username} {uuid.uuid4().hex[:8]}"
    before = versions(matrix_server.data, DEMO, kind)
    refused_before = len(refusals(matrix_server.data, username, kind))
    try:
        open_workbook(tab, matrix_server, workbook, **params)
        wait_for_widgets(tab)
        expect(tab.get_by_label(label, exact=True)).to_be_visible()
        forge_update(tab, label, text, model)
        status = status_of(form_with(tab, label))
        expect(status).to_contain_text("Not saved")
        expect(status).to_contain_text(says)
        assert_no_traceback(tab)
    finally:
        tab.context.close()
    assert versions(matrix_server.data, DEMO, kind) == before
    assert records_holding(matrix_server.data, DEMO, kind, text) == []
    assert len(refusals(matrix_server.data, username, kind)) == refused_before + 1


def quiz_of(tab):
    """The quiz: the innermost box that holds its submit button."""
    return tab.locator(".widget-vbox").filter(
        has=tab.get_by_role("button", name="Submit my answers")).last


def fail_an_attempt(tab, attempt: int, started: bool = False) -> None:
    """Start the next attempt (unless started), answer one question only (a fail), submit."""
    if not started:
        tab.get_by_role("button", name=f"Start attempt {attempt}").click()
    quiz = quiz_of(tab)
    quiz.locator("input[type=radio]").first.check()
    quiz.get_by_role("button", name="Submit my answers").click()


LOCKED = "After 3 failed attempts the quiz is locked for 24 hours"


def write_reflection(tab, text: str) -> None:
    box = the_field(tab, FIELDS["collaborative_working"])
    box.fill(text)
    expect(status_of(form_of(tab, box))).to_contain_text("Saved at")


def expect_locked(tab) -> None:
    expect(tab.get_by_text(LOCKED)).to_be_visible()
    expect(tab.get_by_role("button", name="Start attempt 4")).to_have_count(0)
    expect(tab.get_by_role("button", name="Submit my answers")).to_be_hidden()


def test_three_failed_quiz_attempts_lock_the_account_whatever_the_address_browser_or_kernel(
        browser, matrix_server):
    first = signed_in_tab(browser, matrix_server, QUIZ_TAKER)
    second = None
    try:
        open_workbook(first, matrix_server, "collaborative_working")
        wait_for_widgets(first)
        # The control: a click sent over the websocket reaches the kernel (attempt 1 starts).
        expect(first.get_by_role("button", name="Start attempt 1")).to_be_visible()
        forge_click(first, "Start attempt 1")
        expect(quiz_of(first).locator("input[type=radio]").first).to_be_visible()
        fail_an_attempt(first, 1, started=True)
        expect(first.get_by_text("Attempt 1 submitted: not passed")).to_be_visible()
        fail_an_attempt(first, 2)
        expect(first.get_by_text("Attempt 2 submitted: not passed")).to_be_visible()
        fail_an_attempt(first, 3)
        expect_locked(first)
        # The address: another person's name and the page again.
        open_workbook(first, matrix_server, "collaborative_working", author="demo-teacher")
        wait_for_widgets(first)
        expect_locked(first)
        # Another browser, signed in again: a new session and a new kernel.
        second = signed_in_tab(browser, matrix_server, QUIZ_TAKER)
        open_workbook(second, matrix_server, "collaborative_working")
        wait_for_widgets(second)
        assert kernel_id(second) != kernel_id(first)
        expect_locked(second)
        # The kernel itself, asked over the websocket to start the hidden button's attempt;
        # then a saved answer, which the kernel handles after the click (one socket, in turn).
        forge_click(second, "Start the quiz")
        write_reflection(second, f"After the forged click {uuid.uuid4().hex[:6]}")
        expect(second.get_by_text(LOCKED)).to_be_visible()
        expect(quiz_of(second).locator("input[type=radio]")).to_have_count(0)
    finally:
        first.context.close()
        if second is not None:
            second.context.close()
    attempts = versions(matrix_server.data, DEMO, "quiz_attempt")
    assert sorted(k for k in attempts if k.startswith(f"{QUIZ_TAKER}/")) == [
        f"{QUIZ_TAKER}/0001", f"{QUIZ_TAKER}/0002", f"{QUIZ_TAKER}/0003"]
    assert not [k for k in versions(matrix_server.data, DEMO, "quiz_draft")
                if k.startswith(QUIZ_TAKER)]
