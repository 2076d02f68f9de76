"""Speed work changes no output byte: every fixture report's JSON against the
digests recorded in tests/fixtures/outputs/digests.json (see tests/outputs.py;
a change meant to change outputs rewrites them and says so)."""

from __future__ import annotations

import json

from outputs import DIGESTS, current


def test_every_fixture_report_gives_the_recorded_output():
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    now = current()
    assert set(now) == set(recorded), "fixtures added or removed: run python tests/outputs.py --write"
    changed = sorted(name for name in now if now[name] != recorded[name])
    assert not changed, f"outputs changed ({len(changed)}): {changed[:10]}; if meant, python tests/outputs.py --write"
