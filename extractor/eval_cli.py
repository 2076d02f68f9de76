"""The `extract eval` command.

    extract eval LABELS... [--json] [--verbose]

Scores extraction against label files: a `cells` map of table.row.column ->
value (or null) plus optional agency / year / published / fee_yuan, as in
the corpus `labels/*.json`, the seed's `.expected.json` and the synthetic
`.truth.json`. A folder means every label file below it. Exit status: 0 no
cell is silently wrong, 1 at least one is, 2 no label could be scored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .evaluate import COUNTS, Evaluation, Score, evaluate_label, label_files

EXIT_OK, EXIT_SILENT, EXIT_NOTHING_SCORED = 0, 1, 2
LISTED = 20  # silent cells listed per report in the table; --json lists all

app = typer.Typer(add_completion=False, rich_markup_mode=None,
                  help=__doc__.split("\n\n", 2)[2] if __doc__ else None)


def run(paths: list[Path]) -> list[tuple[Evaluation, str]]:
    """Every evaluation with its label's display name (relative to the folder given)."""
    results: list[tuple[Evaluation, str]] = []
    for path in paths:
        found = label_files([path])
        if path.is_dir() and not found:
            results.append((Evaluation(path, None, Score(), "no label files in this folder", "label"), str(path)))
        for label in found:
            shown = str(label.relative_to(path)) if path.is_dir() else str(label)
            results += [(e, shown) for e in evaluate_label(label)]
    return results


def totals(results: list[tuple[Evaluation, str]]) -> dict:
    total = Score()
    for e, _ in results:
        total.add(e.score)
    out = {name: getattr(total, name) for name in COUNTS}
    out["labels"] = len({e.label for e, _ in results})
    out["reports"] = sum(1 for e, _ in results if e.report is not None)
    out["errors"] = sum(1 for e, _ in results if e.error)
    return out


def as_json(results: list[tuple[Evaluation, str]]) -> dict:
    files = []
    for e, _ in results:
        s = e.score
        files.append({"label": str(e.label), "report": str(e.report) if e.report else None,
                      **{name: getattr(s, name) for name in COUNTS},
                      "error": e.error, "error_code": e.error_code, "silent_cells": s.silent_cells,
                      "flagged_cells": [c for c in s.wrong_cells if c not in s.silent_cells],
                      "meta_wrong": s.meta_wrong})
    return {"total": totals(results), "files": files}


def total_line(t: dict) -> str:
    pct = 100.0 * t["right"] / t["cells"] if t["cells"] else 0.0
    return (f"TOTAL labels={t['labels']} reports={t['reports']} cells={t['cells']} right={t['right']} "
            f"({pct:.2f}%) flagged={t['flagged']} silent={t['silent']} failed={t['failed']} "
            f"meta={t['meta_right']}/{t['meta']} errors={t['errors']}")


def as_table(results: list[tuple[Evaluation, str]], verbose: bool) -> str:
    width = max([len(shown) for _, shown in results] + [5])
    lines = [f"{'label':{width}} {'cells':>5} {'right':>5} {'flagged':>7} {'silent':>6} {'failed':>6} "
             f"{'meta':>5}  report"]
    for e, shown in results:
        s = e.score
        report = e.report.name if e.report else "-"
        if e.error:
            report += f"  FAILED: {e.error}"
        lines.append(f"{shown:{width}} {s.cells:5} {s.right:5} {s.flagged:7} {s.silent:6} {s.failed:6} "
                     f"{s.meta_right:>2}/{s.meta:<2}  {report}")
        lines += [f"    SILENT  {c}" for c in s.silent_cells[:LISTED]]
        if len(s.silent_cells) > LISTED:
            lines.append(f"    ... {len(s.silent_cells) - LISTED} more silent cells (--json lists all)")
        if verbose:
            lines += [f"    flagged {c}" for c in s.wrong_cells if c not in s.silent_cells]
        if not e.error:
            lines += [f"    meta    {m}" for m in s.meta_wrong]
    lines.append(total_line(totals(results)))
    return "\n".join(lines) + "\n"


@app.command()
def eval_command(
    labels: Annotated[list[Path], typer.Argument(
        help="Label files, or folders holding them (labels/*.json, *.expected.json, *.truth.json)")],
    as_json_: Annotated[bool, typer.Option("--json", help="One JSON object: totals and every file")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list the flagged cells")] = False,
) -> None:
    """Score extraction against labelled reports: per file and in total, cells right, wrong but
    flagged, wrong and silent, failed (no output), and metadata right."""
    results = run(labels)
    if as_json_:
        typer.echo(json.dumps(as_json(results), ensure_ascii=False, indent=1))
    else:
        typer.echo(as_table(results, verbose), nl=False)
    t = totals(results)
    if t["silent"]:
        raise typer.Exit(EXIT_SILENT)
    if not any(e.report is not None and not e.error for e, _ in results):
        typer.echo("extract eval: no label could be scored", err=True)
        raise typer.Exit(EXIT_NOTHING_SCORED)
