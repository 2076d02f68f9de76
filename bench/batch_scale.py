"""Scale benchmark of `extract batch`: N inputs made from the corpus, the run
timed and its memory sampled.

    .venv/bin/python bench/batch_scale.py --inputs 10000 --jobs 1 2

The inputs are copies of the corpus files that `extract batch` would pick up
(every report-format file; PDFs and Word files fail at once while there is
no reader for them, and are counted as failed files), each with a different
run of trailing whitespace so that every copy has its own hash. They are
made once in bench/_work/inputs-N/ and reused.

Memory is read from /proc every 0.2 s: the batch process alone (it holds the
plan and the build; the figure that must stay flat as N grows) and the whole
process tree (with the workers); the CPU time (cpu_seconds) is that of the
whole tree. Results go to stdout as a Markdown table and to
bench/_work/results-N.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.batch.inputs import collect  # noqa: E402

WORK = ROOT / "bench" / "_work"
PAGE = os.sysconf("SC_PAGE_SIZE")


def make_inputs(sources: list[str], n: int) -> Path:
    folder = WORK / f"inputs-{n}"
    done = folder / ".complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    files = collect(sources).files
    blobs = [(Path(f).name, Path(f).read_bytes()) for f in files]
    for i in range(n):
        name, data = blobs[i % len(blobs)]
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        # i in binary as spaces and tabs after a newline: bytes differ, the text does not.
        tail = b"\n" + format(i, "b").replace("0", " ").replace("1", "\t").encode() + b"\n"
        (sub / f"{i:05d}_{name}").write_bytes(data + tail)
    done.write_text(json.dumps({"sources": sources, "files": len(files)}), encoding="utf-8")
    return folder


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except OSError:
        return 0


def _tree(pid: int) -> list[int]:
    """The process and its descendants (the batch's worker processes)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, todo = [pid], [pid]
    while todo:
        parent = todo.pop()
        children = [p for p, pp in parents.items() if pp == parent]
        tree += children
        todo += children
    return tree


def _load() -> float:
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def run(inputs: Path, jobs: int, n: int) -> dict:
    out = WORK / f"dataset-{n}-j{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    # This interpreter and the extractor it imports (a worktree without a .venv of its own runs too).
    command = [sys.executable, "-m", "extractor", "batch", str(inputs), "-o", str(out), "-j", str(jobs), "-q"]
    start = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(command)
    main_peak = tree_peak = extraction_tree_peak = 0
    samples = []  # (seconds, inputs done, main RSS)
    loads = []
    while proc.poll() is None:
        main = _rss(proc.pid)
        tree = sum(_rss(p) for p in _tree(proc.pid))
        main_peak, tree_peak = max(main_peak, main), max(tree_peak, tree)
        done = sum(1 for _ in os.scandir(out / "reports")) + sum(1 for _ in os.scandir(out / "failed")) \
            if (out / "failed").is_dir() else 0
        if not (out / "summary.json").exists() and done < n:
            extraction_tree_peak = max(extraction_tree_peak, tree)
        samples.append((round(time.monotonic() - start, 1), done, main))
        loads.append(_load())
        time.sleep(0.2)
    wall = time.monotonic() - start
    # The batch process and its workers (each reaped by its parent): less disturbed by other
    # sessions on the machine than the wall time.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"extract batch exited {proc.returncode}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    extracted_at = next((t for t, d, _ in samples if d >= summary["extracted_now"]), wall)

    def main_rss_at(fraction: float) -> int:
        target = summary["extracted_now"] * fraction
        return next((m for _, d, m in samples if d >= target), 0)

    return {
        "inputs": n, "jobs": jobs, "wall_seconds": round(wall, 1), "cpu_seconds": round(cpu, 1),
        "files_per_second": round(n / wall, 1),
        "extraction_seconds": round(extracted_at, 1),
        "extraction_files_per_second": round(summary["extracted_now"] / max(extracted_at, 1e-9), 1),
        "build_seconds": round(wall - extracted_at, 1),
        "peak_rss_main_mb": round(main_peak / 2**20), "peak_rss_tree_mb": round(tree_peak / 2**20),
        "peak_rss_tree_during_extraction_mb": round(extraction_tree_peak / 2**20),
        "main_rss_mb_at_10_50_90_percent": [round(main_rss_at(f) / 2**20) for f in (0.1, 0.5, 0.9)],
        "reports": summary["reports"], "failed": summary["failed_files"], "failed_by_reason": summary[
            "failed_by_reason"], "cells": summary["cells"],
        # Other processes on the machine compete for its cores: the load says how much.
        "load_average_mean": round(sum(loads) / max(len(loads), 1), 2),
        "dataset_mb": round(sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--corpus", nargs="+", default=[str(ROOT.parent / "shared" / "corpus"),
                                                         str(ROOT.parent / "shared" / "seed")])
    parser.add_argument("--keep", action="store_true", help="keep the datasets in bench/_work/")
    args = parser.parse_args()
    inputs = make_inputs(args.corpus, args.inputs)
    results = []
    for jobs in args.jobs:
        result = run(inputs, jobs, args.inputs)
        results.append(result)
        print(json.dumps(result), flush=True)
        if not args.keep:
            shutil.rmtree(WORK / f"dataset-{args.inputs}-j{jobs}", ignore_errors=True)
    (WORK / f"results-{args.inputs}.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print("\n| -j | inputs | wall (s) | files/s | extraction files/s | build (s) | peak RSS, whole run (MB) "
          "| peak RSS while extracting, with workers (MB) | batch process RSS at 10/50/90 % (MB) | load average |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        quartiles = " / ".join(map(str, r["main_rss_mb_at_10_50_90_percent"]))
        print(f"| {r['jobs']} | {r['inputs']} | {r['wall_seconds']} | {r['files_per_second']} | "
              f"{r['extraction_files_per_second']} | {r['build_seconds']} | {r['peak_rss_tree_mb']} | "
              f"{r['peak_rss_tree_during_extraction_mb']} | {quartiles} | "
              f"{r['load_average_mean']} |")


if __name__ == "__main__":
    main()
