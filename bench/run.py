"""Speed (and accuracy) of `extract` on the bundled reports, beside the tools a
user would otherwise reach for. One command:

    .venv/bin/python bench/run.py [--runs 5] [--baseline REV] [--out bench/RESULTS.md] [PATH ...]

PATHs default to samples/ and tests/fixtures/ (named without that prefix in the
tables); every report under them is timed once (copies are skipped). Prints the tables and writes them to RESULTS.md.
camelot is optional: `pip install -e '.[bench]'`; without it that column says so.
--baseline (default: f2d8017, the build measured on 2026-11-28 before the speed
work) times that commit's extractor beside today's, in the same run, so that
"faster than before" and "no report slower" are read off one table.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import platform
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from contenders import ALL, Contender, baseline, page_count, values_read
from render import Measured, accuracy_table, figures
from timing import measure

from extractor.eval_cli import run as evaluate
from extractor.eval_cli import totals
from extractor.pipeline import extract_file
from extractor.readers import sniff

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = (ROOT / "samples", ROOT / "tests" / "fixtures")
DEFAULT_BASELINE = "f2d8017"
REPORT_SUFFIXES = {".html", ".htm", ".txt", ".md", ".pdf", ".docx", ".doc"}
NOT_REPORTS = {"README.md", "INDEX.md"}
PACKAGES = ("lxml", "pandas", "pdfplumber", "camelot-py", "opencv-python-headless")


def shown(path: Path) -> str:
    """A short, still unique name: the fixtures' prefix dropped, long names cut in the middle."""
    name = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    name = name.removeprefix("tests/fixtures/")
    return name if len(name) <= 60 else name[:28] + "…" + name[-31:]


def reports(paths: list[Path]) -> list[Path]:
    """Every report file under the paths, each content once (the samples are fixture copies)."""
    seen: set[str] = set()
    out = []
    for root in paths:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if not path.is_file() or path.suffix.lower() not in REPORT_SUFFIXES or path.name in NOT_REPORTS:
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest not in seen:
                seen.add(digest)
                out.append(path.resolve())
    return out


def read_once(path: Path) -> tuple[set[str], int | None]:
    """The codes of extract's warnings on the file and the cells it read a value in."""
    try:
        doc = extract_file(path)
    except Exception:  # not a report: its time is still measured, its failure shown there
        return set(), None
    return {w["code"] for w in doc["warnings"]}, values_read(doc)


def measure_all(paths: list[Path], runs: int, contenders: list[Contender]) -> list[Measured]:
    measured = []
    for path in reports(paths):
        data = path.read_bytes()
        fmt = sniff(path, data[:4096])
        warnings, values = read_once(path)
        m = Measured(path, shown(path), fmt, len(data), page_count(path) if fmt == "pdf" else None, warnings, values)
        m.timings = measure(path, [c for c in contenders if fmt in c.formats], runs)
        print(f"  {m.shown}: " + ", ".join(f"{k} {v.seconds * 1000:.1f} ms" if v.seconds is not None else
                                            f"{k} {v.note}" for k, v in m.timings.items()), file=sys.stderr)
        measured.append(m)
    return measured


def accuracy(paths: list[Path]) -> dict[str, dict]:
    """`extract eval` over the labels under the paths, totalled by input format."""
    groups: dict[str, list] = defaultdict(list)
    for result in evaluate([p for p in paths if p.is_dir()]):
        report = result[0].report
        if report is not None:
            groups[sniff(report, report.read_bytes()[:4096])].append(result)
    return {fmt: totals(results) for fmt, results in groups.items()}


def git(*args: str) -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=10).stdout
    except OSError:
        return ""


def environment(runs: int, load: float) -> list[str]:
    commit = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    # The results file itself does not make the measured code differ from the commit.
    if git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)bench/RESULTS.md").strip():
        commit += " with local changes"
    versions = []
    for name in ("extractor", *PACKAGES):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} not installed")
    cpu = next((line.split(":", 1)[1].strip() for line in _cpuinfo() if line.startswith("model name")),
               platform.processor() or "unknown CPU")
    return [f"- Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit `{commit}`; "
            f"timed runs per tool and file: {runs}.",
            f"- Machine: {cpu}, {os.cpu_count()} cores, load average {load:.2f} when the run started, "
            f"{platform.system()} {platform.release()}; Python {platform.python_version()}.",
            f"- Versions: {', '.join(versions)}."]


def _cpuinfo() -> list[str]:
    try:
        return Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", type=Path, default=list(DEFAULT_PATHS),
                    help="report files or folders (default: samples/ and tests/fixtures/)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool and file (default 5)")
    ap.add_argument("--baseline", default=DEFAULT_BASELINE, metavar="REV",
                    help=f"also time the extractor of this git commit (default {DEFAULT_BASELINE}; 'none': skip)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md", help="where to write the results")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")

    # pdfminer and camelot log every odd font they meet; the figures are what matters here.
    for name in ("pdfminer", "camelot", "playa"):
        logging.getLogger(name).setLevel(logging.ERROR)
    load = os.getloadavg()[0]  # other work on the machine shows up in the figures; say how much there was
    contenders = list(ALL)
    if args.baseline != "none":
        try:
            contenders.append(baseline(args.baseline, ROOT, ROOT / "bench" / "_work"))
        except (OSError, subprocess.CalledProcessError) as exc:
            ap.error(f"cannot take the extractor of {args.baseline} out of git: {exc}")
    print(f"timing {args.runs} runs per tool on every report ...", file=sys.stderr)
    measured = measure_all(args.paths, args.runs, contenders)
    if not measured:
        ap.error("no report files under " + ", ".join(map(str, args.paths)))
    body = figures(measured, args.runs, None if args.baseline == "none" else args.baseline)
    scores = accuracy(args.paths)
    body += ["### Accuracy on the same reports (`extract eval`)", ""]
    body += [*accuracy_table(scores), "",
             "Cells right, wrong but flagged by the output, wrong and silent, and failed (the report could not be "
             "read by this build); `extract eval tests/fixtures` lists them report by report.", ""] if scores else \
        ["No label files under the given folders.", ""]
    print("\n".join(body))
    heading = ["# Accuracy and speed", "", "Written by `python bench/run.py`; run it again to measure your machine.",
               "", *environment(args.runs, load), ""]
    args.out.write_text("\n".join(heading + body), encoding="utf-8")
    print(f"written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
