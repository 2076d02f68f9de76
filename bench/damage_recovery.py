"""How much of a damaged table the reconstructor recovers, per flattening
style and damage kind (synthetic tables from tests/damage.py).

    python bench/damage_recovery.py [--cases 40] [--seed 1]

Prints, for each style x damage, the share of cells recovered exactly, the
share flagged and the number silently wrong (must be 0), and the median time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from damage import DAMAGE, random_table
from synth import STYLES

from extractor.evaluate import score
from extractor.pipeline import extract_file


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=40, help="random tables per style and damage")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--blanks", type=float, default=0.3, help="share of zero cells printed blank")
    args = ap.parse_args()
    print("| style | damage | cells | right | flagged | silent | median ms |")
    print("|---|---|---|---|---|---|---|")
    total_silent = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.txt"
        for style in sorted(STYLES):
            for damage in sorted(DAMAGE):
                rng = random.Random(f"{args.seed}-{style}-{damage}")
                cells = right = flagged = silent = 0
                times = []
                for _ in range(args.cases):
                    truth = random_table(rng, blank_share=args.blanks, big=rng.random() < 0.5)
                    path.write_text(DAMAGE[damage](STYLES[style](truth), rng), encoding="utf-8")
                    start = time.perf_counter()
                    doc = extract_file(path)
                    times.append(time.perf_counter() - start)
                    result = score(doc, {"cells": truth})
                    cells += result.cells
                    right += result.right
                    flagged += result.flagged
                    silent += result.silent
                total_silent += silent
                print(f"| {style} | {damage} | {cells} | {100 * right / cells:.1f}% | {100 * flagged / cells:.1f}% "
                      f"| {silent} | {1000 * statistics.median(times):.1f} |", flush=True)
    print(f"\nsilent cells in total: {total_silent}")


if __name__ == "__main__":
    main()
