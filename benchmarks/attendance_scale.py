"""Authority-scale attendance: partnerkit against DuckDB on the same per-opening marks file.

Generates a CSV export of per-opening marks as a management information system would write
it (one row per pupil, date and AM/PM session, with its attendance code; dates DD/MM/YYYY)
plus a pupils file with SIMD deciles, then computes per-pupil attendance rates and the
SIMD quintile breakdown twice, each in a fresh process:

* partnerkit: ``load_attendance`` (every row checked: codes, dates, weekends, sessions,
  duplicates, pupils missing from the pupils file), ``pupil_rates``, ``quintile_breakdown``;
* DuckDB: one SQL query over the same files (no checks).

It prints wall time and peak memory (peak resident set size of each process) side by
side, with the ratio, and checks that both give the same numbers.

    python benchmarks/attendance_scale.py                  # 50,000 pupils x 380 openings
    python benchmarks/attendance_scale.py --pupils 2000    # a quick run
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
ATTEND = (("10", 0.955), ("11", 0.035), ("12", 0.01))
ABSENT = (("21", 0.45), ("26", 0.08), ("22", 0.04), ("23", 0.03), ("25", 0.04), ("31", 0.10),
          ("32", 0.06), ("33", 0.15), ("20", 0.02), ("30", 0.02), ("40", 0.01),
          ("02", 0.05))
CHUNK_PUPILS = 2_000


# -- generating the files ------------------------------------------------------------------

def school_days(openings: int) -> list[dt.date]:
    days, day = [], dt.date(2024, 8, 20)
    while len(days) < openings // 2:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def pupil_ref(i: int, variable: bool) -> str:
    """A pseudonymous reference: fixed width (PK0000042) or not (PK42)."""
    return f"PK{i}" if variable else f"PK{i:07d}"


def generate(folder: Path, pupils: int, openings: int, seed: int = 2024,
             variable: bool = False) -> dict[str, Path]:
    """Write marks.csv and pupils.csv into ``folder`` (rows built with numpy).

    With ``variable`` the pupil references have different lengths, so lines differ in
    length and partnerkit parses the file as general CSV instead of reading it as a
    fixed-width export.
    """
    rng = np.random.default_rng(seed)
    days = school_days(openings)
    tail = np.frombuffer(b"".join(f",{d:%d/%m/%Y},{s},".encode() for d in days
                                  for s in ("AM", "PM")), dtype=np.uint8)
    tail = tail.reshape(openings, -1)
    attend = _codes(ATTEND)
    absent = _codes(ABSENT)
    deciles = rng.integers(1, 11, size=pupils)
    marks = folder / "marks.csv"
    with marks.open("wb") as handle:
        handle.write(b"Pupil Ref,Date,Session,Attendance Code\n")
        for start, stop in _blocks(pupils, variable):
            n = stop - start
            width = len(pupil_ref(start, variable))
            refs = np.array([pupil_ref(i, variable).encode() for i in range(start, stop)],
                            dtype=f"S{width}").view(np.uint8).reshape(n, width)
            risk = rng.beta(1.6, 16, size=n) * (1.35 - 0.07 * deciles[start:stop])
            is_absent = rng.random((n, openings)) < risk[:, None]
            pick_a = rng.choice(len(attend[0]), size=(n, openings), p=attend[1])
            pick_b = rng.choice(len(absent[0]), size=(n, openings), p=absent[1])
            code = np.where(is_absent[..., None], absent[0][pick_b], attend[0][pick_a])
            rows = np.empty((n, openings, width + tail.shape[1] + 3), dtype=np.uint8)
            rows[:, :, :width] = refs[:, None, :]
            rows[:, :, width:width + tail.shape[1]] = tail[None]
            rows[:, :, -3:-1] = code
            rows[:, :, -1] = ord("\n")
            handle.write(rows.tobytes())
    people = folder / "pupils.csv"
    with people.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["Pupil Ref", "SIMD Decile"])
        writer.writerows((pupil_ref(i, variable), int(d)) for i, d in enumerate(deciles))
    return {"marks": marks, "pupils": people}


def _blocks(pupils: int, variable: bool):
    """Ranges of at most CHUNK_PUPILS pupils whose references have one length."""
    edges = sorted({0, pupils, *(10 ** k for k in range(1, 10) if variable and 10 ** k < pupils)})
    for low, high in zip(edges, edges[1:], strict=False):
        for start in range(low, high, CHUNK_PUPILS):
            yield start, min(start + CHUNK_PUPILS, high)


def _codes(table) -> tuple[np.ndarray, np.ndarray]:
    codes = np.array([c.encode() for c, _ in table], dtype="S2").view(np.uint8).reshape(-1, 2)
    weights = np.array([w for _, w in table])
    return codes, weights / weights.sum()


# -- the two tools (each run in its own process) ---------------------------------------------

def run_partnerkit(folder: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from partnerkit.attendance import load_attendance, pupil_rates, quintile_breakdown

    start, cpu = time.perf_counter(), _cpu()
    data = load_attendance(folder / "marks.csv", folder / "pupils.csv")
    rates = pupil_rates(data)
    quintiles = quintile_breakdown(rates)
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    _save(folder, "partnerkit", rates[["pupil", "possible", "attended", "rate"]],
          quintiles[["group", "pupils", "possible", "attended", "rate"]], seconds, cpu)


def run_duckdb(folder: Path) -> None:
    import duckdb

    sys.path.insert(0, str(ROOT))
    from partnerkit.attendance import load_codes

    table = load_codes().table
    values = ", ".join(f"('{c}', '{k}')" for c, k in zip(table["code"], table["category"],
                                                         strict=True))
    start, cpu = time.perf_counter(), _cpu()
    con = duckdb.connect()
    per_pupil = con.sql(f"""
        WITH codes(code, category) AS (VALUES {values}),
        marks AS (SELECT * FROM read_csv('{folder / "marks.csv"}', header = true,
                  columns = {{'pupil': 'VARCHAR', 'date': 'VARCHAR', 'session': 'VARCHAR',
                              'code': 'VARCHAR'}}))
        SELECT m.pupil,
               count(*) FILTER (WHERE c.category <> 'not_counted')::DOUBLE AS possible,
               count(*) FILTER (WHERE c.category = 'attendance')::DOUBLE AS attended,
               CASE WHEN possible > 0 THEN attended / possible END AS rate
        FROM marks m JOIN codes c USING (code)
        GROUP BY m.pupil ORDER BY m.pupil""").df()
    quintiles = con.sql(f"""
        WITH pupils AS (SELECT "Pupil Ref" AS pupil, ceil("SIMD Decile" / 2)::INTEGER AS q
                        FROM read_csv('{folder / "pupils.csv"}', header = true))
        SELECT 'Q' || q AS "group", count(*) AS pupils, sum(possible) AS possible,
               sum(attended) AS attended, sum(attended) / sum(possible) AS rate
        FROM per_pupil JOIN pupils USING (pupil) GROUP BY q ORDER BY q""").df()
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    _save(folder, "duckdb", per_pupil, quintiles, seconds, cpu)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _save(folder: Path, tool: str, per_pupil, quintiles, seconds: float, cpu: float) -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_pupil.to_parquet(folder / f"{tool}_pupils.parquet")
    quintiles.to_parquet(folder / f"{tool}_quintiles.parquet")
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak}))


# -- driving -----------------------------------------------------------------------------

def measure(tool: str, folder: Path) -> dict[str, float]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(HERE), "--run", tool, str(folder)],
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"{tool} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = wall
    return result


def compare(folder: Path) -> list[str]:
    import pandas as pd

    problems = []
    pk = pd.read_parquet(folder / "partnerkit_pupils.parquet").set_index("pupil")
    db = pd.read_parquet(folder / "duckdb_pupils.parquet").set_index("pupil")
    db = db.reindex(pk.index)
    for column in ("possible", "attended"):
        if not np.array_equal(pk[column].to_numpy(), db[column].to_numpy()):
            problems.append(f"per-pupil {column} differ")
    if not np.allclose(pk["rate"], db["rate"], rtol=0, atol=1e-12, equal_nan=True):
        problems.append("per-pupil rates differ")
    pq = pd.read_parquet(folder / "partnerkit_quintiles.parquet")
    pq = pq[pq["group"].str.startswith("Q")].reset_index(drop=True)
    dq = pd.read_parquet(folder / "duckdb_quintiles.parquet")
    for column in ("pupils", "possible", "attended"):
        if not np.array_equal(pq[column].to_numpy(dtype=float), dq[column].to_numpy(dtype=float)):
            problems.append(f"quintile {column} differ")
    if not np.allclose(pq["rate"], dq["rate"], rtol=0, atol=1e-12):
        problems.append("quintile rates differ")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=50_000)
    parser.add_argument("--openings", type=int, default=380)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--variable-width", action="store_true",
                        help="pupil references of different lengths (general CSV parsing)")
    parser.add_argument("--run", nargs=2, metavar=("TOOL", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        tool, folder = args.run
        (run_partnerkit if tool == "partnerkit" else run_duckdb)(Path(folder))
        return
    with tempfile.TemporaryDirectory(prefix="partnerkit-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        files = generate(folder, args.pupils, args.openings, variable=args.variable_width)
        size = files["marks"].stat().st_size / 1e6
        marks = args.pupils * args.openings
        shape = "pupil references of different lengths" if args.variable_width else \
            "fixed-width lines"
        print(f"generated {marks:,} marks ({args.pupils:,} pupils x {args.openings} openings), "
              f"{size:,.0f} MB CSV with {shape}, in {time.perf_counter() - start:.1f} s")
        results = {tool: measure(tool, folder) for tool in ("partnerkit", "duckdb")}
        pk, db = results["partnerkit"], results["duckdb"]
        print(f"\n{'':24}{'partnerkit':>12}{'DuckDB':>12}{'ratio':>9}")
        print(f"{'time (s)':24}{pk['seconds']:12.2f}{db['seconds']:12.2f}"
              f"{pk['seconds'] / db['seconds']:9.2f}")
        print(f"{'CPU time (s)':24}{pk['cpu_seconds']:12.2f}{db['cpu_seconds']:12.2f}"
              f"{pk['cpu_seconds'] / db['cpu_seconds']:9.2f}")
        print(f"{'process time (s)':24}{pk['process_seconds']:12.2f}"
              f"{db['process_seconds']:12.2f}"
              f"{pk['process_seconds'] / db['process_seconds']:9.2f}")
        print(f"{'peak memory (MB)':24}{pk['peak_mb']:12.0f}{db['peak_mb']:12.0f}"
              f"{pk['peak_mb'] / db['peak_mb']:9.2f}")
        goal_time = pk["seconds"] <= 1.2 * db["seconds"]
        goal_memory = pk["peak_mb"] < 1024
        print(f"\ngoal: within 1.2x DuckDB's time: {'met' if goal_time else 'missed'}; "
              f"under 1 GB peak memory: {'met' if goal_memory else 'missed'}")
        differences = compare(folder)
        print("same numbers from both tools: " + ("yes" if not differences else
                                                   "NO - " + "; ".join(differences)))
        load = os.getloadavg()[0]
        print(f"(cores: {os.cpu_count()}, load average {load:.1f} at the end; time = load + "
              "rates + quintile breakdown inside the process, CPU time = its user + system "
              "time on all threads; process time adds interpreter start and imports)")


if __name__ == "__main__":
    main()
