"""A fictional school's attendance files for the demo workspace (no real pupil data).

Glenbrae High School is made up: a secondary school of about 200 pupils with pseudonymous
references, one school year of per-opening marks (2024/25, 190 days, 380 half-day
openings), a pupils file with characteristics and a stretch-aim trajectory. The same seed
always writes the same files, byte for byte. ``partnerkit demo`` writes them into the demo
workspace's folder of the data folder, where the attendance workbook finds a workspace's
files (:mod:`partnerkit.attendance.files`). The demo knows the attendance wing; the wing
never knows the demo.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np

from partnerkit.attendance.files import FILES
from partnerkit.paths import private_dir, private_file

SCHOOL = "Glenbrae High School (fictional)"
DEMO_PUPILS = 200
_FIRST_DAY = dt.date(2024, 8, 20)
_DAYS = 190
_HOLIDAYS = (("2024-09-16", "2024-09-16"), ("2024-10-14", "2024-10-18"),
             ("2024-11-18", "2024-11-18"), ("2024-12-23", "2025-01-03"),
             ("2025-02-10", "2025-02-12"), ("2025-04-07", "2025-04-21"),
             ("2025-05-05", "2025-05-05"), ("2025-05-26", "2025-05-26"))
_ATTEND = (("10", 0.95), ("11", 0.04), ("12", 0.01))
_ABSENT = (("21", 0.46), ("26", 0.08), ("22", 0.04), ("23", 0.03), ("25", 0.04),
           ("31", 0.10), ("32", 0.06), ("33", 0.16), ("20", 0.02), ("30", 0.02))
_ETHNICITY = (("White - Scottish", 0.74), ("White - Other British", 0.07),
              ("White - Polish", 0.04), ("Asian - Pakistani", 0.04),
              ("African", 0.03), ("Mixed or multiple ethnic groups", 0.03),
              ("White - Other", 0.03), ("Not disclosed", 0.02))
_STAGES = (("S1", 40), ("S2", 38), ("S3", 38), ("S4", 36), ("S5", 28), ("S6", 20))


def school_days() -> list[dt.date]:
    """The demo school's 190 school days of 2024/25."""
    closed = set()
    for start, end in _HOLIDAYS:
        day, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        while day <= last:
            closed.add(day)
            day += dt.timedelta(days=1)
    days, day = [], _FIRST_DAY
    while len(days) < _DAYS:
        if day.weekday() < 5 and day not in closed:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def write_demo_files(folder: Path, pupil_refs: list[str], seed: int = 7) -> dict[str, Path]:
    """Write the fictional school's files into ``folder`` and return their paths.

    Keys: ``attendance`` (per-opening marks CSV: "Pupil Ref, Date, Session, Attendance
    Code", dates DD/MM/YYYY), ``pupils`` (characteristics CSV, SIMD as national deciles)
    and ``stretch_aims`` (trajectory CSV), each owner-only (0600) in an owner-only folder.
    Every reference in ``pupil_refs`` is a pupil; every other one of them (the first,
    third, …) attends below 90%, the rest above 95%. The rest of the ~200 pupils get
    references ``GH-1001``, ``GH-1002``, …
    """
    folder = private_dir(folder)
    rng = np.random.default_rng(seed)
    given = list(dict.fromkeys(str(r) for r in pupil_refs))
    others = [r for r in (f"GH-{1000 + i}" for i in range(1, DEMO_PUPILS + len(given) + 1))
              if r not in given][:max(DEMO_PUPILS - len(given), 0)]
    refs = given + others
    pupils = _pupils(refs, rng)
    targets = _targets(pupils, len(given), rng)
    paths = {key: folder / name for key, name in FILES.items()}
    _write_pupils(paths["pupils"], pupils)
    _write_marks(paths["attendance"], refs, targets, len(given), rng)
    _write_stretch_aims(paths["stretch_aims"])
    return paths


def _choice(rng: np.random.Generator, table, size: int) -> np.ndarray:
    names = np.array([n for n, _ in table], dtype=object)
    weights = np.array([w for _, w in table], dtype=float)
    return names[rng.choice(len(names), size=size, p=weights / weights.sum())]


def _pupils(refs: list[str], rng: np.random.Generator) -> list[dict[str, str]]:
    n = len(refs)
    stages = np.repeat([s for s, _ in _STAGES], [c for _, c in _STAGES])
    stages = np.resize(stages, n)
    rng.shuffle(stages)
    deciles = rng.choice(np.arange(1, 11), size=n,
                         p=np.array([14, 13, 12, 11, 10, 9, 9, 8, 7, 7]) / 100)
    out = []
    for i, ref in enumerate(refs):
        decile = int(deciles[i])
        deprived = decile <= 4
        out.append({
            "Pupil Ref": ref, "Stage": str(stages[i]),
            "Class": f"{str(stages[i])[1]}{'ABC'[int(rng.integers(3))]}",
            "Sex": "F" if rng.random() < 0.5 else "M",
            "SIMD Decile": str(decile),
            "FSM": "Yes" if rng.random() < (0.45 if deprived else 0.08) else "No",
            "ASN": "Yes" if rng.random() < 0.33 else "No",
            "Care Experienced": "Yes" if rng.random() < (0.05 if deprived else 0.01) else "No",
            "EAL": "Yes" if rng.random() < 0.09 else "No",
            "Ethnicity": str(_choice(rng, _ETHNICITY, 1)[0]),
        })
    return out


def _targets(pupils: list[dict[str, str]], given: int, rng: np.random.Generator) -> np.ndarray:
    """Each pupil's attendance rate: lower in more deprived areas, a few very low."""
    targets = np.empty(len(pupils))
    for i, pupil in enumerate(pupils):
        decile = int(pupil["SIMD Decile"])
        if i < given:
            targets[i] = 0.74 + 0.03 * (i % 5) if i % 2 == 0 else 0.955 + 0.005 * (i % 4)
            continue
        absence = rng.beta(1.6, 16) * (1.35 - 0.07 * decile)
        if rng.random() < 0.04:
            absence += 0.25
        targets[i] = min(0.995, max(0.35, 1 - absence))
    return targets


def _write_pupils(path: Path, pupils: list[dict[str, str]]) -> None:
    with private_file(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(pupils[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(pupils)


def _write_marks(path: Path, refs: list[str], targets: np.ndarray, given: int,
                 rng: np.random.Generator) -> None:
    days = school_days()
    openings = 2 * len(days)
    months = np.repeat([d.month for d in days], 2)
    winter = np.isin(months, (11, 12, 1, 2)).astype(float)
    with private_file(path).open("w", newline="", encoding="utf-8") as handle:
        handle.write("Pupil Ref,Date,Session,Attendance Code\n")
        for i, ref in enumerate(refs):
            codes = _pupil_codes(i, given, targets[i], openings, winter, rng)
            lines = [f"{ref},{day:%d/%m/%Y},{session},{codes[2 * k + s]}\n"
                     for k, day in enumerate(days) for s, session in enumerate(("AM", "PM"))
                     if codes[2 * k + s]]
            handle.writelines(lines)


def _pupil_codes(index: int, given: int, target: float, openings: int, winter: np.ndarray,
                 rng: np.random.Generator) -> np.ndarray:
    codes = _choice(rng, _ATTEND, openings).astype(object)
    special = index - given
    if special == 3:           # on extended leave all year: no possible openings
        codes[:] = "02"
        return codes
    start = 0
    if special == 5:           # joined the school in January
        start = openings // 2
        codes[:start] = ""
    if special == 7:           # four weeks' extended leave in the spring
        codes[240:280] = "02"
    possible = np.flatnonzero(codes[start:] != "02") + start
    absent = int(round((1 - target) * possible.size))
    weights = 1 + 0.5 * winter[possible]
    chosen = rng.choice(possible, size=absent, replace=False, p=weights / weights.sum())
    codes[chosen] = _choice(rng, _ABSENT, absent)
    if special in (11, 12) and absent >= 6:   # a short exclusion
        codes[np.sort(chosen)[:6]] = "40"
    return codes


def _write_stretch_aims(path: Path) -> None:
    private_file(path).write_text(
        "# Stretch aims for attendance (fictional): targets and past results in percent;\n"
        "# gap = quintile 5 minus quintile 1, in percentage points\n"
        "year,overall,q1,q5,gap,overall_actual,q1_actual,q5_actual,gap_actual\n"
        "2022/23,91.0,87.0,94.0,7.0,90.4,86.1,94.2,8.1\n"
        "2023/24,91.5,88.0,94.2,6.2,91.0,87.2,94.4,7.2\n"
        "2024/25,92.0,89.0,94.5,5.5,,,,\n"
        "2025/26,92.5,90.0,94.8,4.8,,,,\n"
        "2026/27,93.0,91.0,95.0,4.0,,,,\n", encoding="utf-8")
