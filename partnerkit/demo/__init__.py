"""``partnerkit demo``: a fictional school with pupils, partners, answers in progress and accounts.

Everything here is invented. Pupils are known only by pseudonymous references. Running
the demo twice changes nothing the second time: every demo record has a fixed key. The
demo has an account for each role and one for each practitioner of its training cohort,
all with one demo-only password (:mod:`partnerkit.demo.accounts`); this computer's login
name is linked to the demo admin, who also wrote the demo's school records.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from partnerkit import paths
from partnerkit.accounts import login_name
from partnerkit.demo import attendance as attendance_demo
from partnerkit.demo.accounts import (
    DEMO_ADMIN,
    DEMO_ONLY,
    DEMO_PASSWORD,
    DemoAccounts,
    add_demo_accounts,
)
from partnerkit.records import Answer, Connection, DirectoryEntry, PupilProfile, save_record
from partnerkit.store import Store, open_store

DEMO_WORKSPACE = "demo"
DEMO_SCHOOL = "Glenbrae High School (fictional)"
DEMO_AUTHOR = DEMO_ADMIN
"""Who wrote the demo's school records (pupils, maps, the plan): the demo admin's username."""

DEMO_PUPILS: tuple[PupilProfile, ...] = (
    PupilProfile(pupil="P-1001", stage="S2", gender="Girl", siblings="Two younger brothers",
                 language_at_home="English", caring_responsibilities="Helps care for her mum",
                 neighbourhood="Eastfield", simd_quintile=1,
                 current_challenges="Late most mornings; anxious about PE.",
                 needs=["poverty", "family_dynamics", "mental_health"]),
    PupilProfile(pupil="P-1002", stage="S1", gender="Boy", siblings="One older sister",
                 language_at_home="Polish and English", ethnicity="White Polish",
                 neighbourhood="Millbrae", simd_quintile=2,
                 current_challenges="Struggling since the move from primary.",
                 needs=["relationships", "equalities"]),
    PupilProfile(pupil="P-1003", stage="S3", gender="Non-binary", siblings="None",
                 language_at_home="English", neighbourhood="Eastfield", simd_quintile=1,
                 equalities_barriers="Has experienced homophobic bullying.",
                 needs=["equalities", "mental_health", "trauma"]),
    PupilProfile(pupil="P-1004", stage="P7", gender="Boy", siblings="Three",
                 language_at_home="English", neighbourhood="Hillview", simd_quintile=3,
                 current_challenges="Diagnosed with autism; finds busy corridors hard.",
                 needs=["neurodiversity"]),
    PupilProfile(pupil="P-1005", stage="S4", gender="Girl", siblings="One stepsister",
                 language_at_home="Arabic", ethnicity="Syrian", neighbourhood="Millbrae",
                 simd_quintile=1, needs=["poverty", "equalities"]),
)

DEMO_DIRECTORY: tuple[DirectoryEntry, ...] = (
    DirectoryEntry(organisation="Eastfield Youth Project", type="Youth work (third sector)",
                   offers="Drop-in evenings, 1:1 youth worker, summer programme",
                   cannot_offer="Clinical mental health support",
                   helps_with=["relationships", "mental_health", "equalities"],
                   area="Eastfield", contact="0141 000 0001", key_contact="Sam Reid"),
    DirectoryEntry(organisation="Glenbrae Family Learning Team", type="CLD (council)",
                   offers="Family learning sessions, parent cafes, adult literacy",
                   cannot_offer="Home visits at weekends",
                   helps_with=["poverty", "family_dynamics"], area="Glenbrae cluster",
                   contact="family.learning@example.org", key_contact="Aileen Moffat"),
    DirectoryEntry(organisation="Millbrae Food Larder", type="Community group",
                   offers="Food parcels, uniform swap", cannot_offer="Cash grants",
                   helps_with=["poverty"], area="Millbrae", contact="0141 000 0003"),
    DirectoryEntry(organisation="Calm Minds Counselling", type="Charity",
                   offers="Counselling for 12-18 year olds", cannot_offer="Crisis support",
                   helps_with=["mental_health", "trauma"], area="Whole authority",
                   contact="hello@calmminds.example.org", key_contact="Dr Priya Nair"),
    DirectoryEntry(organisation="Young Carers Network", type="Charity",
                   offers="Young carers group, respite trips",
                   helps_with=["family_dynamics", "poverty"], area="Whole authority",
                   contact="0141 000 0005"),
    DirectoryEntry(organisation="New Scots Welcome Hub", type="Third sector",
                   offers="Interpreting, ESOL for parents, family link worker",
                   helps_with=["equalities", "family_dynamics"], area="Millbrae and Eastfield",
                   contact="welcome@newscots.example.org"),
    DirectoryEntry(organisation="Neurodiversity Family Support", type="Charity",
                   offers="Parent workshops, sensory toolkit loans",
                   cannot_offer="Diagnosis", helps_with=["neurodiversity"],
                   area="Whole authority", contact="0141 000 0007"),
)

DEMO_CONNECTIONS: tuple[Connection, ...] = (
    Connection(pupil="P-1001", id="demo-c01", name="Mum", role="Parent",
               layer="families", quality="stressful", direction="both",
               offers="Wants to help but is unwell", works_with_family=True),
    Connection(pupil="P-1001", id="demo-c02", name="Gran (maternal)", role="Grandparent",
               layer="families", quality="strong", direction="to_pupil",
               offers="Walks her to school twice a week", helps_with=["family_dynamics"]),
    Connection(pupil="P-1001", id="demo-c03", name="Mr Khan", role="Pupil support teacher",
               layer="school_networks", quality="strong", direction="to_pupil",
               offers="Daily check-in", helps_with=["mental_health"], contacted=True),
    Connection(pupil="P-1001", id="demo-c04", name="Breakfast club",
               layer="school_networks", quality="tenuous", direction="to_pupil",
               offers="Breakfast from 8am", helps_with=["poverty"], contacted=True),
    Connection(pupil="P-1001", id="demo-c05", name="Young Carers Network",
               role="Young carers worker", layer="multi_agency", quality="tenuous",
               direction="to_pupil", offers="Young carers group",
               helps_with=["family_dynamics"], contacted=False),
    Connection(pupil="P-1002", id="demo-c06", name="Older sister", layer="families",
               quality="strong", direction="to_pupil"),
    Connection(pupil="P-1002", id="demo-c07", name="Peer mentor (S5)",
               layer="school_networks", quality="tenuous", direction="to_pupil",
               helps_with=["relationships"], contacted=True),
    Connection(pupil="P-1003", id="demo-c08", name="Eastfield Youth Project",
               role="LGBT youth group", layer="community_context", quality="strong",
               direction="to_pupil", helps_with=["equalities"], contacted=True,
               works_with_family=False),
)

DEMO_ANSWERS: tuple[Answer, ...] = (
    Answer(question="mapping_tool.question.1", subject="P-1001",
           text="The youth project could offer a Thursday group; the family learning team "
                "could support mum."),
    Answer(question="mapping_tool.question.3", subject="P-1001",
           text="We know about her caring role; her mum's health is not yet supported."),
)

Seeder = Callable[[Store, str, str], int]
SEEDERS: list[Seeder] = []
"""Feature modules add a function here to put their demo answers in the store."""


def demo_seeder(func: Seeder) -> Seeder:
    """Register a function that adds a feature's demo records; it returns how many."""
    SEEDERS.append(func)
    return func


@demo_seeder
def _seed_mapping(store: Store, workspace: str, author: str) -> int:
    records = [*DEMO_PUPILS, *DEMO_DIRECTORY, *DEMO_CONNECTIONS, *DEMO_ANSWERS]
    for record in records:
        if store.get(workspace, record.kind, record.record_key()) is None:
            save_record(store, workspace, record, author)
    return len(records)


@dataclass
class DemoSummary:
    """What ``partnerkit demo`` made, to print for the user."""

    data_dir: Path
    store: str
    workspace: str
    pupils: list[str]
    records: int
    files: dict[str, Path] = field(default_factory=dict)
    accounts: DemoAccounts | None = None
    data_given: bool = False

    def describe(self) -> str:
        """A few plain lines: where the demo is, its accounts and what to do next.

        The closing lines are the commands to run next, as the README gives them (with
        ``--data`` when the demo was made in a folder given by ``--data``).
        """
        lines = [f"Demo workspace {self.workspace} ({DEMO_SCHOOL}) is ready.",
                 f"  data folder: {self.data_dir}",
                 f"  store:       {self.store}",
                 f"  pupils:      {', '.join(self.pupils)} (pseudonymous references)",
                 f"  records:     {self.records}"]
        lines += [f"  {name + ':':<12} {path}" for name, path in self.files.items()]
        if self.accounts is not None:
            lines += describe_accounts(self.accounts)
        return "\n".join([*lines, *self.next_steps()])

    def next_steps(self) -> list[str]:
        """What to run next: serve the workbooks, sign in, and the tests (as the README)."""
        data = f" --data {shlex.quote(str(self.data_dir))}" if self.data_given else ""
        return ["Next:",
                f"  partnerkit serve{data}",
                "  then open http://127.0.0.1:8866/ in a browser and sign in as demo-lead "
                "(or any demo account above) with the demo password; stop it with Ctrl+C.",
                "  To run the tests, in the source folder: bash scripts/test.sh"]


def describe_accounts(made: DemoAccounts) -> list[str]:
    """The demo accounts, their one password (marked demo only) and the linked login."""
    from partnerkit.access import ROLES

    width = max(len(a.username) for a in made.roles)
    lines = [f"Demo accounts ({DEMO_ONLY}):"]
    lines += [f"  {a.username:<{width}}  {ROLES[a.role]}"
              + (f" for {a.organisation}" if a.organisation else "") for a in made.roles]
    cohort = [a.username for a in made.cohort]
    lines.append(f"  and the training cohort's {len(cohort)} practitioners: "
                 f"{', '.join(cohort[:3])} ... {cohort[-1]}")
    lines.append(f"  password of every demo account: {DEMO_PASSWORD}  (demo only)")
    lines.append(f"  this computer's login {made.login} acts as {made.linked_to} in "
                 "partnerkit lab and partnerkit render (or pass --as USERNAME)")
    return lines


def _load_feature_seeders() -> None:
    """Register the demo seeders of the workbooks: the demo knows the features, not the reverse.

    Each module ``partnerkit.demo.<workbook>`` with a ``seed(store, workspace, author)``
    function adds that workbook's demo records; ``ORDER`` (default 50) says when.
    """
    import pkgutil
    from importlib import import_module

    found = []
    for info in pkgutil.iter_modules(__path__):
        module = import_module(f"{__name__}.{info.name}")
        if callable(getattr(module, "seed", None)):
            found.append((getattr(module, "ORDER", 50), info.name, module.seed))
    for _, _, seed in sorted(found):
        if seed not in SEEDERS:
            SEEDERS.append(seed)


def _write_demo_files(folder: Path, pupils: list[str]) -> dict[str, Path]:
    """Write the fictional school's attendance files into the demo workspace's folder."""
    paths.private_dir(folder)
    return attendance_demo.write_demo_files(folder, pupils)


def create_demo(data: str | os.PathLike[str] | None = None, url: str | None = None,
                workspace: str = DEMO_WORKSPACE) -> DemoSummary:
    """Fill the data folder's store with the demo workspace; safe to run again."""
    folder = paths.data_dir(data)
    store = open_store(folder, url)
    try:
        store.ensure_workspace(workspace, DEMO_SCHOOL, DEMO_AUTHOR)
        made = add_demo_accounts(store, workspace, by=f"cli:{login_name()}")
        _load_feature_seeders()
        count = sum(seed(store, workspace, DEMO_AUTHOR) for seed in SEEDERS)
        pupils = [p.pupil for p in DEMO_PUPILS]
        files = _write_demo_files(folder / workspace, pupils)
        where = f"{store.path} (SQLite)" if store.path else store.url.render_as_string(
            hide_password=True)
        return DemoSummary(folder, where, workspace, pupils, count, files, made,
                           data_given=data is not None)
    finally:
        store.close()
