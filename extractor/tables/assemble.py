"""Rebuilding the three tables from row units, using what the template says
must be there.

1. The layout of each table (2021 or 2019) is decided from its structure:
   header words, rows only one layout has, and how many values rows carry.
2. Units whose label matched a row are anchors; units that lost their label
   fill the rows between two anchors, in order, when their count fits.
3. Each row's tokens are read into candidate cell lists (`solve.read_row`);
   the column identities choose among the candidates of uncertain rows.
   One surviving choice is used; several leave the cells that differ null,
   with a warning that lists them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import replace
from itertools import pairwise

from ..templates import Identity, Layout, Templates
from .columns import solve_columns
from .result import ReportWarning, TableResult
from .solve import Candidate, CellOut, RowReading, RowShape, read_row, split_budget
from .units import Evidence, Token, Unit
from .values import number_text, parse_cell

# Rows read with their own label that make a table (fewer: words in running text).
MIN_ROWS = 2


def rebuild_tables(units: list[Unit], evidence: Evidence, templates: Templates,
                   warnings: list[ReportWarning]) -> dict[str, TableResult]:
    with split_budget():  # the glued rows of one document share a bound on their work
        return _rebuild_tables(units, evidence, templates, warnings)


def _rebuild_tables(units: list[Unit], evidence: Evidence, templates: Templates,
                    warnings: list[ReportWarning]) -> dict[str, TableResult]:
    results = {}
    for table in ("proactive", "applications", "review_litigation"):
        table_units = [u for u in units if u.table == table]
        pages = sorted(evidence.pages.get(table, ()))
        if table == "review_litigation":
            result = _review(table_units, templates, warnings)
        else:
            notes: list[ReportWarning] = []
            layout = _choose_layout(table, table_units, evidence, templates, notes)
            result = _rebuild(table_units, layout, templates, notes, evidence) if layout else None
            if result is not None:
                warnings.extend(notes)
        if result is None:
            result = TableResult(table=table, layout=None, status="missing")
        result.pages = pages
        results[table] = result
    return results


# -- layout -----------------------------------------------------------------


def _choose_layout(table: str, units: list[Unit], evidence: Evidence, templates: Templates,
                   warnings: list[ReportWarning]) -> Layout | None:
    if not any(u.mark is not None for u in units):
        return None
    layouts = templates.layouts[table]
    scores = {name: 0.0 for name in layouts}
    headers = evidence.headers.get(table, set())
    for name, layout in layouts.items():
        own_columns = set(layout.column_labels)
        others = set().union(*(set(lay.column_labels) for n, lay in layouts.items() if n != name))
        scores[name] += 2 * len(headers & (own_columns - others))
    for unit in units:
        if unit.mark is None:
            continue
        if len(unit.mark.layouts) == 1 and (unit.tokens or table == "proactive"):
            (only,) = unit.mark.layouts
            if only in scores:
                scores[only] += 3
        if unit.tokens and not any(t.glued for t in unit.tokens):
            for name, layout in layouts.items():
                try:
                    width = len(layout.row(unit.mark.key).columns)
                except KeyError:
                    continue
                if width == len([t for t in unit.tokens if not t.blank]):
                    scores[name] += 1
    # A layout's own rows are evidence only if printed; and in 2021 the
    # （六）其他处理 heading is followed by its three sub-rows, so the heading
    # without any of them is the 2019 row.
    keys_seen = {u.mark.key for u in units if u.mark is not None}
    for name in layouts:
        own_rows, others_rows = _rows_apart(layouts, name)
        if own_rows & keys_seen and not others_rows & keys_seen and not any(
                u.tokens for u in units if u.mark is not None and u.mark.key in own_rows):
            scores[name] += 2
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best, best_score = ranked[0]
    if len(ranked) > 1 and ranked[1][1] == best_score:
        best = "2021"
        warnings.append(ReportWarning(
            "layout_undetermined",
            f"{table}: the table does not show whether it uses the 2021 or the 2019 layout; read as 2021",
            table))
    elif (mixed := _layout_mixed(table, units, layouts, best)) is not None:
        warnings.append(mixed)
    return layouts[best]


def _rows_apart(layouts: dict[str, Layout], name: str) -> tuple[set[str], set[str]]:
    """The keys of the rows only the layout `name` has, and of those only the other layouts have."""
    mine = {r.key for r in layouts[name].rows}
    theirs = set().union(*({r.key for r in lay.rows} for n, lay in layouts.items() if n != name))
    return mine - theirs, theirs - mine


def _layout_mixed(table: str, units: list[Unit], layouts: dict[str, Layout], best: str) -> ReportWarning | None:
    """A warning where the table prints values in rows of a layout not
    chosen, or prints one of the chosen layout's rows with values more than
    once where the other layout splits that row into sub-rows (2019's
    （六）其他处理, 2021's group of three): damaged labels read as the other
    layout's rows (the 2021 sub-rows of （六） with their wording lost, under
    the merged heading). The other layout's rows are then not given, and the
    chosen layout's own rows may hold its values. None where neither is seen."""
    others = [name for name in layouts if name != best]
    rows = [u.mark.key for u in units if u.mark is not None and u.mark.kind == "row" and u.tokens]
    foreign = sorted({u.mark.key for u in units if u.mark is not None and u.mark.kind == "row" and u.tokens
                      and u.mark.layouts and best not in u.mark.layouts})
    split = {r.group for name in others for r in layouts[name].rows if r.group}
    repeated = sorted(key for key, times in Counter(rows).items() if times > 1 and key in split)
    if not foreign and not repeated:
        return None
    other = "/".join(others)
    seen = ([f"{', '.join(foreign)} of the {other} layout"] if foreign else []) + (
        [f"{', '.join(repeated)} printed more than once, which the {other} layout splits into sub-rows"]
        if repeated else [])
    own_rows, others_rows = _rows_apart(layouts, best)
    lost = dict.fromkeys(r.key for name in others for r in layouts[name].rows if r.key in others_rows)
    own = [r.key for r in layouts[best].rows if r.key in own_rows]
    return ReportWarning(
        "layout_mixed",
        f"{table}: the table prints values in rows of both layouts ({'; '.join(seen)}); read as {best}, whose own "
        f"rows ({', '.join(own)}) may hold the other layout's values, and the other layout's rows "
        f"({', '.join(lost)}) are not given", table)


# -- rows ---------------------------------------------------------------------


# Layout and templates -> every row's shape: the same for every report, worked
# out once per layout (kept with the objects they were made from, so that an
# id is never taken for a later object's).
_SHAPES: dict[tuple[int, int], tuple[Layout, Templates, dict[str, RowShape]]] = {}
_MAX_SHAPES = 64


def _shapes(layout: Layout, templates: Templates) -> dict[str, RowShape]:
    key = (id(layout), id(templates))
    cached = _SHAPES.get(key)
    if cached is None or cached[0] is not layout or cached[1] is not templates:
        if len(_SHAPES) >= _MAX_SHAPES:
            _SHAPES.clear()
        cached = _SHAPES[key] = (layout, templates, {row.key: _shape(layout, row.key, templates)
                                                     for row in layout.rows})
    return cached[2]


def _shape(layout: Layout, row_key: str, templates: Templates) -> RowShape:
    spec = layout.row(row_key)
    columns = spec.columns
    sums = []
    for identity in templates.identities:
        if identity.table == layout.table and identity.each == "row" and isinstance(identity.right, tuple):
            members = (*identity.left, *identity.right)
            if all(m in columns for m in members) and len(identity.left) == 1:
                sums.append((columns.index(identity.left[0]), tuple(columns.index(m) for m in identity.right)))
    return RowShape(
        n=len(columns),
        sums=tuple(sums),
        signed=frozenset(columns.index(c) for c in spec.signed),
        money=frozenset(columns.index(c) for c in spec.money),  # the money column indices
    )


def _anchor(unit: Unit, layout: Layout, index: dict[str, int]) -> int | None:
    if unit.extra or unit.mark is None or unit.mark.key not in index or layout.name not in unit.mark.layouts:
        return None
    return index[unit.mark.key]


def _longest_increasing(items: list[tuple[int, int]]) -> set[int]:
    """Positions (into items) of a longest strictly increasing run of anchors:
    the run ending first, each of its anchors preceded by the earliest one that
    can precede it in a run that long (the run a quadratic search used to pick).
    Patience sorting, O(n log n): a page printing its tables a thousand times
    stays fast."""
    ends: list[list[int]] = []  # ends[l]: positions whose longest run has l + 1 anchors, in order
    negated: list[list[int]] = []  # -anchor of each of them: non-decreasing, for bisect
    tails: list[int] = []  # anchor of the last position in ends[l]: strictly increasing
    previous: list[int | None] = []
    best: int | None = None
    for pos, (_, anchor) in enumerate(items):
        length = bisect_left(tails, anchor)
        if length:
            # The earliest run one shorter whose end is below this anchor.
            before = ends[length - 1]
            previous.append(before[bisect_right(negated[length - 1], -anchor)])
        else:
            previous.append(None)
        if length == len(ends):
            ends.append([])
            negated.append([])
            tails.append(anchor)
            best = pos
        ends[length].append(pos)
        negated[length].append(-anchor)
        tails[length] = anchor
    out: set[int] = set()
    while best is not None:
        out.add(best)
        best = previous[best]
    return out


def _rebuild(units: list[Unit], layout: Layout, templates: Templates, warnings: list[ReportWarning],
             evidence: Evidence) -> TableResult | None:
    table = layout.table
    index = {row.key: i for i, row in enumerate(layout.rows)}
    keys = [row.key for row in layout.rows]
    shapes = _shapes(layout, templates)

    def reading_of(unit: Unit, key: str) -> RowReading:
        return read_row(_keyed_tokens(unit, layout, key, evidence), shapes[key], unit.exact)

    # Anchors: units whose label matched a row. A strong anchor's values read
    # cleanly as that row; a weak one printed its label alone, or values that
    # only fit with most cells missing (a stray number beside a wrapped label).
    strong: list[tuple[int, int]] = []  # (unit position, row index)
    weak: dict[str, Unit] = {}
    own: dict[int, RowReading] = {}
    # Where the table is printed as rows of cells, values on a line of their
    # own beside a label are strays, not the row's cells with blanks lost.
    printed_as_rows = any(u.exact for u in units)
    for pos, unit in enumerate(units):
        a = _anchor(unit, layout, index)
        if a is None:
            continue
        if unit.tokens:
            own[pos] = reading_of(unit, keys[a])
            reading = own[pos]
            if unit.exact or (reading.candidates and not (reading.how == "vanished" and printed_as_rows)):
                strong.append((pos, a))
                continue
        weak.setdefault(keys[a], unit)

    if len(strong) < MIN_ROWS:
        labelled = [(pos, a) for pos, u in enumerate(units) if (a := _anchor(u, layout, index)) is not None]
        in_order = len(_longest_increasing(labelled)) >= 0.75 * len(keys)
        if not strong and in_order:
            # The labels are all there, in order, but no value is: the
            # numbers were lost (an image, a stripped table), not printed blank.
            warnings.append(ReportWarning(
                "values_missing",
                f"{table}: the table's row labels are printed but none of its values; no cell was read",
                table))
            return TableResult(table=table, layout=None, status="missing")
        # One or two label-value pairs do not make a table: running text
        # (a pre-2019 report) mentions the same words. Under the table's
        # header, with its row labels all there in order, one row of
        # values is the table, its other rows printed blank.
        if not (strong and in_order and evidence.headers.get(table)):
            return None
    placed: dict[str, Unit] = {}
    readings: dict[str, RowReading] = {}
    if table == "applications":
        keep = _longest_increasing(strong)
        for k, (pos, row) in enumerate(strong):
            if k not in keep:
                warnings.append(ReportWarning(
                    "row_out_of_order",
                    f"{table}.{keys[row]}: the label '{units[pos].label}' appears out of the template's "
                    "order; its values are not used",
                    f"{table}.{keys[row]}"))
        strong = [a for k, a in enumerate(strong) if k in keep]
    for pos, row in strong:
        if keys[row] not in placed:
            placed[keys[row]] = units[pos]
            readings[keys[row]] = own[pos]
    if table == "applications":
        for key, unit in _fill(units, strong, layout, index, set(weak), warnings).items():
            placed[key] = unit
            readings[key] = reading_of(unit, key)
    # A label printed alone is a row whose cells are all blank only once the
    # table has begun; before it, it is a word in the running text.
    first_row = min((row for _, row in strong), default=len(keys))
    for key, unit in weak.items():
        if index[key] < first_row and key not in placed:
            continue
        if key in placed:
            if unit.tokens:
                warnings.append(ReportWarning(
                    "stray_values",
                    f"{table}.{key}: '{' '.join(t.text for t in unit.tokens)}' printed beside the row's label "
                    "is not used; the row's values were found in a row of their own",
                    f"{table}.{key}"))
            continue
        placed[key] = unit
        readings[key] = reading_of(unit, key)

    result = _choose(table, layout, readings, placed, templates, warnings)
    for key in keys:
        if key in placed and placed[key].glued_to:
            warnings.append(_glued_to_text_warning(f"{table}.{key}", placed[key]))
    _money_units(result, layout, warnings)
    _negative_counts(result, layout, warnings)
    for unit in units:
        if unit.extra and unit.tokens:
            raw = " ".join(t.text or "(blank)" for t in unit.tokens)
            result.extra_rows.append((unit.label, [t.text for t in unit.tokens]))
            warnings.append(ReportWarning(
                "row_not_in_template",
                f"{table}: the row '{unit.label}' ({raw}) is not in the national template; it is kept in "
                "extra_rows, out of the canonical rows",
                table))
    read = [k for k in keys if k in result.rows]
    missing = [k for k in keys if k not in result.rows]
    if missing:
        result.status = "partial" if read else "missing"
        if read:
            warnings.append(ReportWarning(
                "rows_missing",
                f"{table}: {len(missing)} of {len(keys)} rows were not found "
                f"({', '.join(missing[:6])}{', …' if len(missing) > 6 else ''}); the table is partial",
                f"{table}.{missing[0]}"))
    return result


def _fill(units: list[Unit], strong: list[tuple[int, int]], layout: Layout, index: dict[str, int],
          weak: set[str], warnings: list[ReportWarning]) -> dict[str, Unit]:
    """Rows that lost their label: the label-less units between two anchors
    fill the rows between them, in order, when their count fits."""
    table = layout.table
    keys = [row.key for row in layout.rows]
    placed: dict[str, Unit] = {}
    bounds = [(-1, -1), *sorted(strong), (len(units), len(keys))]
    for (start, row_from), (stop, row_to) in pairwise(bounds):
        loose = [u for u in units[start + 1:stop] if _anchor(u, layout, index) is None and u.tokens and not u.extra]
        free = [keys[r] for r in range(row_from + 1, row_to)]
        if not loose or not free:
            continue
        if len(loose) > len(free):
            loose = [u for u in loose if u.has_number]
        # Rows whose label stood alone take part only when the count says so.
        unlabelled = [k for k in free if k not in weak]
        targets = free if len(loose) == len(free) else unlabelled if len(loose) == len(unlabelled) else None
        if targets is None:
            if loose:
                warnings.append(ReportWarning(
                    "rows_unplaced",
                    f"{table}: {len(loose)} rows of values without a label cannot be matched to the "
                    f"{len(free)} rows {', '.join(free)}; their values are not used",
                    f"{table}.{free[0]}"))
            continue
        for key, unit in zip(targets, loose, strict=True):
            placed[key] = unit
            if key not in weak:
                warnings.append(ReportWarning(
                    "row_label_lost",
                    f"{table}.{key}: the row's label was not found; its values were placed by their "
                    "position between the rows that were found",
                    f"{table}.{key}"))
    return placed


_YUAN_PER = {"元": 1, "万元": 10_000}


def _money_units(result: TableResult, layout: Layout, warnings: list[ReportWarning]) -> None:
    """Money in the unit its column is kept in. A cell naming 元 or 万元 is
    converted (its raw text keeps what was printed); a yuan column printed
    with no unit is kept as printed, with a warning (docs/keys.md: 2019 政府集中采购)."""
    for spec in layout.rows:
        for column, unit in spec.money.items():
            cell = result.rows.get(spec.key, {}).get(column)
            if cell is None or cell.value is None:
                continue
            printed = parse_cell(cell.raw).unit if cell.raw else None
            where = f"{layout.table}.{spec.key}.{column}"
            if printed in _YUAN_PER and printed != unit:
                value = cell.value * _YUAN_PER[printed] / _YUAN_PER[unit]
                result.rows[spec.key][column] = replace(cell, value=round(value, 6))
                warnings.append(ReportWarning(
                    "unit_converted",
                    f"{where}: '{cell.raw}' read as {number_text(value)} {unit}, the column's unit", where))
            elif printed is None and unit == "元" and cell.raw:
                warnings.append(ReportWarning(
                    "unit_unknown", f"{where}: '{cell.raw}' names no unit; kept as printed (元 assumed)", where))


def _negative_counts(result: TableResult, layout: Layout, warnings: list[ReportWarning]) -> None:
    """Counts are never negative except in 2019's 本年增/减: a minus sign
    elsewhere is kept as printed and said."""
    for spec in layout.rows:
        for column, cell in result.rows.get(spec.key, {}).items():
            if cell is not None and cell.value is not None and cell.value < 0 and column not in spec.signed:
                where = f"{layout.table}.{spec.key}.{column}"
                warnings.append(ReportWarning(
                    "negative_count", f"{where}: '{cell.raw}' is negative, which this column cannot be; kept as "
                    "printed", where))


def _keyed_tokens(unit: Unit, layout: Layout, row_key: str, evidence: Evidence) -> list[Token]:
    """For a grid row of table 三 whose header names the columns, take the
    cells by column name rather than by position."""
    tokens = unit.tokens
    if layout.table != "applications" or unit.grid is None:
        return tokens
    column_map = evidence.column_maps.get(unit.grid) or {}
    columns = layout.row(row_key).columns
    by_key = {column_map.get(t.column): t for t in tokens if t.column is not None}
    if all(c in by_key for c in columns) and len(set(column_map.values())) >= len(columns):
        return [by_key[c] for c in columns]
    return tokens


# -- choosing among candidates -------------------------------------------------


def _column_identities(table: str, layout: Layout, templates: Templates) -> list[tuple[Identity, dict[str, int]]]:
    """Each column identity as coefficients per row key (left +1, right -1)."""
    out = []
    for identity in templates.identities:
        if identity.table != table or identity.each != "column":
            continue
        right = ([r.key for r in layout.rows if r.outcome] if identity.right == "@outcome"
                 else list(identity.right))
        coefficients: dict[str, int] = {}
        for key in identity.left:
            coefficients[key] = coefficients.get(key, 0) + 1
        for key in right:
            coefficients[key] = coefficients.get(key, 0) - 1
        out.append((identity, coefficients))
    return out


def _choose(table: str, layout: Layout, readings: dict[str, RowReading], placed: dict[str, Unit],
            templates: Templates, warnings: list[ReportWarning]) -> TableResult:
    result = TableResult(table=table, layout=layout.name, status="complete", sources=dict(placed))
    columns_of = {spec.key: spec.columns for spec in layout.rows}
    chosen: dict[str, Candidate] = {}
    uncertain: dict[str, list[Candidate]] = {}
    for key, reading in readings.items():
        if len(reading.candidates) == 1:
            chosen[key] = reading.candidates[0]
        elif reading.candidates:
            uncertain[key] = reading.candidates

    glued = [key for key, reading in readings.items() if reading.how == "glued" and reading.candidates]
    if glued:
        warnings.append(_glued_warning(table, glued))
    identities = _column_identities(table, layout, templates)
    # The identities see numbers, not print: readings that differ only in
    # where a 0 and a blank stand are one class for the search.
    classes = {key: {tuple(c.as_number for c in cand): cand for cand in cands} for key, cands in uncertain.items()}
    survivors: list[tuple[Candidate, ...]] = []
    if uncertain and identities:
        survivors = solve_columns(layout, chosen, {k: list(v.values()) for k, v in classes.items()}, identities)

    for key, reading in readings.items():
        spec_columns = columns_of[key]
        raw = " ".join(t.text for t in placed[key].tokens) if key in placed else ""
        if key in placed and reading.candidates \
                and (lines := _lines_of_several(placed[key].tokens, laid_out=placed[key].laid_out)):
            warnings.append(_over_lines_warning(f"{table}.{key}", lines))
        if key in chosen:
            result.rows[key] = dict(zip(spec_columns, chosen[key], strict=True))
            _note_reading(table, key, reading, chosen[key], spec_columns, warnings)
            continue
        if not reading.candidates:
            result.rows[key] = {c: None for c in spec_columns}
            for c in spec_columns:
                result.unresolved_raw[(key, c)] = raw
            why = reading.note or "its values do not fit the row"
            warnings.append(ReportWarning(
                "row_unreadable",
                f"{table}.{key}: the printed values '{raw}' cannot be read as this row ({why}); cells left null",
                f"{table}.{key}"))
            continue
        position = list(uncertain).index(key)
        if survivors:
            kept = {tuple(c.as_number for c in combo[position]) for combo in survivors}
            pool = [cand for cand in reading.candidates if tuple(c.as_number for c in cand) in kept]
        else:
            pool = list(dict.fromkeys(reading.candidates))
        if len(pool) == 1:
            result.rows[key] = dict(zip(spec_columns, pool[0], strict=True))
            others = [c for c in reading.candidates if c != pool[0]]
            warnings.append(ReportWarning(
                "split_by_identities",
                f"{table}.{key}: '{raw}' reads as {_fmt(pool[0])}; the other reading(s) "
                f"{'; '.join(_fmt(c) for c in others[:5])} break the table's column identities",
                f"{table}.{key}"))
            continue
        _keep_agreed(result, key, spec_columns, pool, raw)
        unsure = [c for c, v in result.rows[key].items() if v is None]
        shown = "; ".join(_fmt(c) for c in pool[:12]) + ("; …" if len(pool) > 12 else "")
        warnings.append(ReportWarning(
            "ambiguous_cells",
            f"{table}.{key}: '{raw}' can be read {len(pool)} ways ({shown}); "
            f"{', '.join(unsure)} left null",
            f"{table}.{key}"))
    return result


def _keep_agreed(result: TableResult, key: str, columns: tuple[str, ...], pool: list[Candidate], raw: str,
                 offset: int = 0) -> None:
    """A row's cells from several possible readings: a cell every reading
    agrees on is kept; the others are null, with the printed text kept."""
    cells: dict[str, CellOut | None] = {}
    for i, column in enumerate(columns):
        values = {cand[offset + i] for cand in pool}
        if len(values) == 1:
            cells[column] = next(iter(values))
        else:
            cells[column] = None
            result.unresolved_raw[(key, column)] = raw
    result.rows[key] = cells


def _note_reading(table: str, key: str, reading: RowReading, cells: Candidate, columns: tuple[str, ...],
                  warnings: list[ReportWarning]) -> None:
    if reading.how == "joined":
        warnings.append(_rejoined_warning(f"{table}.{key}", cells))
    if reading.how == "vanished" and any(c.lost for c in cells):
        lost = [col for col, c in zip(columns, cells, strict=True) if c.lost]
        inferred = [f"{col}={c.value}" for col, c in zip(columns, cells, strict=True) if c.inferred]
        msg = f"{table}.{key}: {len(lost)} cells left no text ({', '.join(lost)}); placed by the row's identities"
        if inferred:
            msg += f"; recovered from the identities: {', '.join(inferred)}"
        warnings.append(ReportWarning("cells_vanished", msg, f"{table}.{key}"))


def _glued_warning(table: str, rows: list[str]) -> ReportWarning:
    """Cells printed with no separator were split where the identities allow;
    a blank cell that left no digit behind could not be seen there."""
    return ReportWarning(
        "glued_cells_split",
        f"{table}: cells printed without separators were split by position and the table's identities "
        f"(rows {', '.join(rows)}); if a blank cell left no digit, such a split cannot be trusted",
        table)


def _lines_of_several(tokens: list[Token], block: int | None = None, laid_out: bool = False) -> int:
    """The lines of flattened text a row's values stand on, where it is two
    or more lines holding two values or more each (or, in a text laid out
    as its page was, two lines or more one of which holds several), and,
    where the row is in `block`s (table 四's three), not each a whole number
    of blocks (0 otherwise). A text laid out
    as its page sets a cell's number a line above or below its neighbours'
    where its unit or note takes a line ("0" over "件"), or a total at the
    top of a tall cell: the cells' order across such lines is lost, and
    reading them line after line may put a value in its neighbour's column
    with every sum holding."""
    printed = [t.span.block for t in tokens if not t.blank and t.span is not None and t.glued]
    if len(printed) < 2 or printed[0] == printed[-1]:
        return 0  # (most rows: one line)
    counts = Counter(printed)
    several = [n for n in counts.values() if n >= 2]
    if laid_out and several and len(counts) >= 2:
        lines = list(counts.values())
    elif len(several) >= 2:
        lines = several
    else:
        return 0
    return 0 if block and all(n % block == 0 for n in lines) else len(lines)


def _over_lines_warning(where: str, lines: int) -> ReportWarning:
    return ReportWarning(
        "row_over_lines", f"{where}: the row's values are printed over {lines} lines (a text laid out as its "
        "page: a cell's unit or note, or a total at the top of its cell, set a line apart from the others); "
        "their order across the lines is not certain, and a value may stand in its neighbour's column", where)


def _rejoined_warning(where: str, cells: Candidate) -> ReportWarning:
    """Pieces of a number on two lines (a narrow cell's) were joined where the row's sums hold."""
    return ReportWarning(
        "number_broken", f"{where}: more values printed than cells, a number broken over two lines; read as "
        f"{_fmt(cells)}, the pieces joined where the row's sums hold", where)


def _glued_to_text_warning(where: str, unit: Unit) -> ReportWarning:
    return ReportWarning(
        "values_glued_to_text",
        f"{where}: the row's digits are printed glued to the text after them ('{unit.glued_to}…'); "
        "they were read up to where that text begins", where)


def _fmt(cells: Candidate) -> str:
    return "/".join("" if c.value is None else number_text(c.value) for c in cells)


# -- table 四 -----------------------------------------------------------------


def _review(units: list[Unit], templates: Templates, warnings: list[ReportWarning]) -> TableResult | None:
    """Table 四 is one printed row of 15 cells (three blocks of five), read by
    position: its tokens are every value printed after its header."""
    layout = templates.layout("review_litigation", "2021")
    if any(not t.blank for u in units for t in u.tokens):
        # A row of blank cells beside the printed values is not a second row.
        units = [u for u in units if any(not t.blank for t in u.tokens)]
    tokens = [t for u in units for t in u.tokens]
    if not tokens:
        return None
    n = sum(len(r.columns) for r in layout.rows)
    width = len(layout.rows[0].columns)
    total = layout.rows[0].columns.index("total")
    addends = tuple(i for i in range(width) if i != total)
    shape = RowShape(n=n, sums=tuple((b * width + total, tuple(b * width + a for a in addends))
                                     for b in range(len(layout.rows))))
    exact = all(u.exact for u in units)
    reading = read_row(tokens, shape, exact)
    if len(tokens) < n and not reading.candidates and exact:
        reading = read_row(tokens, shape, exact=False)
    result = TableResult(table="review_litigation", layout=None, status="complete", tokens=tokens)
    raw = " ".join(t.text for t in tokens)
    blocks = [spec.key for spec in layout.rows]
    if reading.how == "glued" and reading.candidates:
        warnings.append(_glued_warning("review_litigation", blocks))
    if reading.how == "joined" and len(reading.candidates) == 1:
        warnings.append(_rejoined_warning(f"review_litigation ({', '.join(blocks)})", reading.candidates[0]))
    if reading.candidates and (lines := _lines_of_several(tokens, block=width,
                                                          laid_out=any(u.laid_out for u in units))):
        warnings.append(_over_lines_warning(f"review_litigation ({', '.join(blocks)})", lines))
    for unit in units:
        if unit.glued_to:
            warnings.append(_glued_to_text_warning(f"review_litigation ({', '.join(blocks)})", unit))
    if len(reading.candidates) == 1:
        cells = reading.candidates[0]
        for b, spec in enumerate(layout.rows):
            result.rows[spec.key] = dict(zip(spec.columns, cells[b * width:(b + 1) * width], strict=True))
        if reading.how == "vanished":
            # A lost cell shifts every later value: the placement concerns all blocks.
            warnings.append(ReportWarning(
                "cells_vanished", f"review_litigation ({', '.join(blocks)}): '{raw}' read as {_fmt(cells)} "
                f"({reading.note})", "review_litigation"))
        return result
    pool = reading.candidates
    for b, spec in enumerate(layout.rows):
        _keep_agreed(result, spec.key, spec.columns, pool, raw, offset=b * width)
    unsure = ", ".join(f"{row}.{column}" for row, column in result.unresolved)
    if pool:
        shown = "; ".join(_fmt(c) for c in pool[:8])
        message = (f"review_litigation: '{raw}' can be read {len(pool)} ways ({shown}); "
                   f"left null: {unsure}")
        code = "ambiguous_cells"
    else:
        message = (f"review_litigation: the {len(tokens)} values printed ('{raw}') cannot be read as the "
                   f"table's {n} cells ({reading.note or 'they do not add up'}); left null: {unsure}")
        code = "row_unreadable"
    warnings.append(ReportWarning(code, message, "review_litigation"))
    return result
