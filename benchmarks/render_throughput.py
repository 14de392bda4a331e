"""Benchmark: 50 pupil packs by `partnerkit render` versus a loop of the `papermill` command.

Makes a temporary data folder with `partnerkit demo` plus 45 more fictional pupils (50 in
all, each with a profile and a few connections), then times, in one run:

1. `partnerkit render mapping_tool --all-pupils --format html` (one subprocess, kernels
   kept alive across pupils);
2. the same command for the first 10 pupils only, to get the marginal cost of one more
   pack: (time for 50 - time for 10) / 40;
3. a sequential loop of `papermill workbooks/mapping_tool.ipynb OUT -p pupil P ...` over
   the same 50 pupils with the same parameters (one subprocess per pupil, as a user
   would script it).

It prints both times, the ratio and the marginal cost. Goal: at least 3x faster than
the loop and under 0.5 s per extra pack on a 2-core machine. Not a timed test.

With ``--scheduler local:2`` (or a Dask scheduler address) it also times the same 50
packs rendered on that Dask cluster (`partnerkit render --scheduler`), beside the local
engine, in the same run.

    python benchmarks/render_throughput.py [--pupils 50] [--jobs N] [--workbook mapping_tool]
                                           [--skip-papermill] [--scheduler local:2]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from partnerkit.demo import DEMO_AUTHOR, DEMO_WORKSPACE, create_demo  # noqa: E402
from partnerkit.paths import workbooks_dir  # noqa: E402
from partnerkit.records import NEEDS, Connection, PupilProfile, save_record  # noqa: E402
from partnerkit.store import open_store  # noqa: E402

STAGES = ("P6", "P7", "S1", "S2", "S3", "S4")
PEOPLE = (("Mum", "families"), ("Dad", "families"), ("Gran", "families"),
          ("Guidance teacher", "school_networks"), ("Football club", "community_context"),
          ("Youth worker", "multi_agency"), ("School nurse", "multi_agency"),
          ("Breakfast club", "school_networks"), ("Library homework club", "community_context"))


def make_data(folder: Path, pupils: int) -> list[str]:
    """The demo workspace plus fictional pupils up to ``pupils`` in all; their references."""
    summary = create_demo(data=folder)
    store = open_store(folder)
    rng = random.Random(2026)
    try:
        refs = list(summary.pupils)
        number = 2001
        while len(refs) < pupils:
            ref = f"P-{number}"
            number += 1
            save_record(store, DEMO_WORKSPACE, PupilProfile(
                pupil=ref, stage=rng.choice(STAGES), simd_quintile=rng.randint(1, 5),
                current_challenges="Fictional pupil made for the render benchmark.",
                needs=rng.sample(NEEDS, rng.randint(1, 3))), DEMO_AUTHOR)
            for index, (name, layer) in enumerate(rng.sample(PEOPLE, rng.randint(2, 5))):
                save_record(store, DEMO_WORKSPACE, Connection(
                    pupil=ref, id=f"bench-{ref}-{index}", name=name, layer=layer,
                    quality=rng.choice(("strong", "tenuous", "stressful")),
                    direction=rng.choice(("to_pupil", "from_pupil", "both")),
                    helps_with=rng.sample(NEEDS, 1)), DEMO_AUTHOR)
            refs.append(ref)
    finally:
        store.close()
    return refs[:pupils]


def environment() -> dict[str, str]:
    """The same environment for both tools: this checkout importable in every kernel."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def cpu_seconds() -> float:
    """CPU time (user + system) of every finished child process so far, kernels included."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    """The machine's 1-minute load average: other work on a shared machine slows both."""
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a command, fail loudly if it fails; its wall-clock and CPU seconds."""
    begun, cpu = time.perf_counter(), cpu_seconds()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - begun
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stdout[-2000:]}"
                 f"\n{result.stderr[-2000:]}")
    return seconds, cpu_seconds() - cpu


def render_command(workbook: str, data: Path, out: Path, pupils: list[str] | None,
                   jobs: int | None, scheduler: str | None = None) -> list[str]:
    command = [sys.executable, "-m", "partnerkit", "render", workbook, "--data", str(data),
               "--format", "html", "--out", str(out)]
    command += ["--all-pupils"] if pupils is None else ["--pupil", *pupils]
    if jobs:
        command += ["--jobs", str(jobs)]
    if scheduler:
        command += ["--scheduler", scheduler]
    return command


def cluster_render(args: argparse.Namespace, data: Path, out: Path, pupils: list[str],
                   env: dict[str, str], local_seconds: float) -> None:
    """The same packs on a Dask cluster, printed beside the local engine's time."""
    seconds, cpu = timed(render_command(args.workbook, data, out, None, None,
                                        args.scheduler), env)
    packs = len(list((out / "html").glob("*.html")))
    assert packs == len(pupils), f"{packs} packs written on the cluster for {len(pupils)}"
    print(f"partnerkit render --scheduler {args.scheduler}, {len(pupils)} packs: "
          f"{seconds:7.1f} s ({seconds / len(pupils):.2f} s per pack; CPU {cpu:.1f} s in "
          f"this process's children; local engine {local_seconds:.1f} s; load {load()})")


def papermill_loop(workbook: str, data: Path, out: Path, pupils: list[str],
                   env: dict[str, str]) -> tuple[float, float]:
    """One `papermill` command per pupil, one after another: wall and CPU seconds."""
    papermill = shutil.which("papermill")
    base = [papermill] if papermill else [sys.executable, "-m", "papermill"]
    source = workbooks_dir() / f"{workbook}.ipynb"
    out.mkdir(parents=True, exist_ok=True)
    begun, cpu = time.perf_counter(), cpu_seconds()
    for pupil in pupils:
        timed([*base, str(source), str(out / f"{workbook}-{pupil}.ipynb"),
               "-p", "data_dir", str(data), "-p", "workspace", DEMO_WORKSPACE,
               "-p", "pupil", pupil, "-k", "python3", "--no-progress-bar"], env)
    return time.perf_counter() - begun, cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pupils", type=int, default=50)
    parser.add_argument("--small", type=int, default=10,
                        help="pupils in the smaller render used for the marginal cost")
    parser.add_argument("--jobs", type=int, help="kernels for partnerkit render")
    parser.add_argument("--workbook", default="mapping_tool")
    parser.add_argument("--skip-papermill", action="store_true")
    parser.add_argument("--scheduler", help="also render on this Dask cluster (local:N or "
                                            "an address)")
    args = parser.parse_args()

    env = environment()
    with tempfile.TemporaryDirectory(prefix="pk-bench-") as tmp:
        folder = Path(tmp)
        data = folder / "data"
        pupils = make_data(data, args.pupils)
        print(f"{len(pupils)} pupils in {data}; {os.cpu_count()} CPU cores; "
              f"workbook {args.workbook}; load average {load()}")

        small, small_cpu = timed(render_command(args.workbook, data, folder / "small",
                                                pupils[:args.small], args.jobs), env)
        full, full_cpu = timed(render_command(args.workbook, data, folder / "full", None,
                                              args.jobs), env)
        packs = len(list((folder / "full" / "html").glob("*.html")))
        assert packs == len(pupils), f"{packs} packs written for {len(pupils)} pupils"
        extra = len(pupils) - args.small
        marginal, marginal_cpu = (full - small) / extra, (full_cpu - small_cpu) / extra
        print(f"partnerkit render, {len(pupils)} packs:   {full:7.1f} s "
              f"({full / len(pupils):.2f} s per pack; CPU {full_cpu:.1f} s)")
        print(f"partnerkit render, {args.small} packs:   {small:7.1f} s (CPU {small_cpu:.1f} s)")
        print(f"marginal cost per pack:        {marginal:7.2f} s   (goal < 0.5 s; "
              f"CPU {marginal_cpu:.2f} s per pack over {os.cpu_count()} cores; load {load()})")
        if args.scheduler:
            cluster_render(args, data, folder / "cluster", pupils, env, full)
        if args.skip_papermill:
            return
        loop, loop_cpu = papermill_loop(args.workbook, data, folder / "papermill", pupils,
                                        env)
        print(f"papermill loop, {len(pupils)} notebooks: {loop:7.1f} s "
              f"({loop / len(pupils):.2f} s per notebook; CPU {loop_cpu:.1f} s)")
        print(f"speed-up: {loop / full:.1f}x   (goal >= 3x; load average now {load()})")


if __name__ == "__main__":
    main()
