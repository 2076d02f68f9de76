"""The column identities of table 三, solved over the rows whose reading is
uncertain.

Each identity, in each column, is a linear equation over the rows (新收 +
上年结转 − 总计 − 结转下年度 = 0; 总计 − the outcome rows = 0). The certain rows
give constants; each uncertain row contributes the value of whichever of its
candidate readings is chosen. The solver returns every choice that satisfies
all equations, or nothing when there is none or the search is too large (the
rows then stay unresolved and are flagged, never guessed).
"""

from __future__ import annotations

from ..templates import Identity, Layout
from .solve import Candidate

# Steps of the search (and, divided by 100, solutions kept) beyond which the
# rows stay unresolved.
MAX_SEARCH = 20_000


def solve_columns(layout: Layout, chosen: dict[str, Candidate], uncertain: dict[str, list[Candidate]],
                  identities: list[tuple[Identity, dict[str, int]]]) -> list[tuple[Candidate, ...]]:
    """Every combination of the uncertain rows' candidates under which all
    evaluable column identities hold; empty when there is none, or when the
    search is too large to finish (the rows then stay unresolved).

    The candidates are first narrowed (a candidate whose value no choice of
    the other rows can complete to the equation's target is dropped, until
    nothing changes), then the rest is searched depth-first."""
    width = len(layout.rows[0].columns)
    rows_known = set(chosen) | set(uncertain)
    keys = list(uncertain)
    # equations: (constant from the certain rows, {uncertain row: coefficient})
    equations: list[tuple[float, dict[str, tuple[int, int]]]] = []
    for _, coef in identities:
        if not set(coef) <= rows_known:
            continue
        for c in range(width):
            const = sum(k * chosen[r][c].as_number for r, k in coef.items() if r in chosen)
            equations.append((const, {r: (k, c) for r, k in coef.items() if r in uncertain}))
    if not equations:
        return []
    alive = {key: list(range(len(uncertain[key]))) for key in keys}
    # Each equation: its constant and, per row, the value each candidate adds.
    system: list[tuple[float, dict[str, list[float]]]] = []
    for const, terms in equations:
        if not terms:
            if abs(const) > 1e-6:
                return []
            continue
        system.append((const, {r: [coef * cand[column].as_number for cand in uncertain[r]]
                               for r, (coef, column) in terms.items()}))

    if not _narrow(system, alive):
        return []

    order = sorted(keys, key=lambda key: len(alive[key]))
    return _search(order, keys, uncertain, alive, system)


def _search(order: list[str], keys: list[str], uncertain: dict[str, list[Candidate]], alive: dict[str, list[int]],
            system: list[tuple[float, dict[str, list[float]]]]) -> list[tuple[Candidate, ...]]:
    """Depth-first over the rows in `order`. Whole-number equations are
    checked at every step: the rows still to choose must be able to reach
    what is left of the equation's target (kept as bits of an integer);
    other equations are checked once their last row is chosen. Empty when
    the search outgrows MAX_SEARCH steps or solutions."""
    depth = len(order)
    exact: list[tuple[list[int | None], list[dict[int, int]], int]] = []  # (need by depth, w by row/cand, target)
    late: dict[int, list[tuple[float, dict[str, list[float]]]]] = {}
    position = {key: i for i, key in enumerate(order)}
    for const, terms in system:
        shifted = _whole(const, terms)
        if shifted is None:
            late.setdefault(max(position[r] for r in terms), []).append((const, terms))
            continue
        target, weights = shifted
        per_depth: list[dict[int, int]] = [{} for _ in range(depth)]
        for r, ws in weights.items():
            per_depth[position[r]] = {k: ws[k] for k in alive[r]}
        need: list[int | None] = [None] * depth + [1 << target]
        for j in range(depth - 1, -1, -1):
            if not per_depth[j]:
                need[j] = need[j + 1]
                continue
            reach = 0
            for w in set(per_depth[j].values()):
                reach |= need[j + 1] >> w  # type: ignore[operator]
            need[j] = reach
        if not need[0] & 1:  # type: ignore[operator]
            return []
        exact.append((need, per_depth, target))
    out: list[tuple[Candidate, ...]] = []
    picked: dict[str, int] = {}
    sums = [0] * len(exact)
    steps = [MAX_SEARCH]

    def search(j: int) -> bool:
        if j == depth:
            if len(out) >= MAX_SEARCH // 100:
                return False
            out.append(tuple(uncertain[key][picked[key]] for key in keys))
            return True
        key = order[j]
        for k in alive[key]:
            steps[0] -= 1
            if steps[0] < 0:
                return False
            moved = []
            ok = True
            for e, (need, per_depth, _) in enumerate(exact):
                w = per_depth[j].get(k)
                if w is None:
                    continue
                sums[e] += w
                moved.append((e, w))
                if not (need[j + 1] >> sums[e]) & 1:  # type: ignore[operator]
                    ok = False
                    break
            if ok:
                picked[key] = k
                ok = all(abs(const + sum(vals[picked[r]] for r, vals in terms.items())) < 1e-6
                         for const, terms in late.get(j, ()))
            if ok and not search(j + 1):
                for e, w in moved:
                    sums[e] -= w
                return False
            for e, w in moved:
                sums[e] -= w
        return True

    found = search(0)
    search = None  # type: ignore[assignment]  # (it holds itself: freed now, not by the cycle collector)
    return out if found else []


def _whole(const: float, terms: dict[str, list[float]]) -> tuple[int, dict[str, list[int]]] | None:
    """The equation const + sum(row values) = 0 as non-negative whole-number
    weights summing to a target; None when it holds fractions or is too wide
    to keep as bits. A row that counts negatively (-y) is written as
    (y - lowest) with the lowest value moved into the target."""
    if abs(const - round(const)) > 1e-9 or any(not float(v).is_integer() for vs in terms.values() for v in vs):
        return None
    target = -round(const)
    weights = {}
    for r, vs in terms.items():
        low = min(int(v) for v in vs)
        shift = min(low, 0)
        weights[r] = [int(v) - shift for v in vs]
        target -= shift
    if not 0 <= target <= 1_000_000:
        return None
    return target, weights


def _narrow(system: list[tuple[float, dict[str, list[float]]]], alive: dict[str, list[int]]) -> bool:
    """Drop every candidate that no choice of the other rows can complete to
    a solution of some equation, until nothing changes. False when a row has
    no candidate left (the identities cannot all hold)."""
    changed = True
    while changed:
        changed = False
        for const, terms in system:
            supported = _supported(const, {r: [(k, vals[k]) for k in alive[r]] for r, vals in terms.items()})
            for r, keep in supported.items():
                if not keep:
                    return False
                if len(keep) < len(alive[r]):
                    alive[r] = keep
                    changed = True
    return True


def _supported(const: float, terms: dict[str, list[tuple[int, float]]]) -> dict[str, list[int]]:
    """For one equation const + sum of one value per row = 0: the candidates
    of each row that some choice of the other rows completes. Whole numbers
    are solved exactly with sums held as bits of Python integers; anything
    else falls back to bounds."""
    rows = list(terms)
    whole = _whole(const, {r: [v for _, v in pairs] for r, pairs in terms.items()})
    if whole is None:
        return _bounded(const, terms)
    target, weights = whole
    shifted = {r: [(k, w) for (k, _), w in zip(terms[r], weights[r], strict=True)] for r in rows}
    mask = (1 << (target + 1)) - 1
    forward = [1]  # forward[i]: sums reachable with the rows before i
    for r in rows:
        reach = 0
        for w in {v for _, v in shifted[r]}:
            reach |= forward[-1] << w
        forward.append(reach & mask)
    need = [0] * len(rows) + [1 << target]  # need[i]: what rows from i on must still add
    for i in range(len(rows) - 1, -1, -1):
        reach = 0
        for w in {v for _, v in shifted[rows[i]]}:
            reach |= need[i + 1] >> w
        need[i] = reach
    return {r: [k for k, w in shifted[r] if (forward[i] << w) & need[i + 1]] for i, r in enumerate(rows)}


def _bounded(const: float, terms: dict[str, list[tuple[int, float]]]) -> dict[str, list[int]]:
    """The candidates whose value the other rows' bounds can balance."""
    lows = {r: min(v for _, v in pairs) for r, pairs in terms.items()}
    highs = {r: max(v for _, v in pairs) for r, pairs in terms.items()}
    low, high = const + sum(lows.values()), const + sum(highs.values())
    out = {}
    for r, pairs in terms.items():
        need_low, need_high = -(high - highs[r]) - 1e-6, -(low - lows[r]) + 1e-6
        out[r] = [k for k, v in pairs if need_low <= v <= need_high]
    return out
