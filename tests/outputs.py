"""The fixture reports' outputs as the oracle of speed work: a digest of each
report's JSON document (its path and the build's version left out), kept in
tests/fixtures/outputs/digests.json. A change that means to change outputs
rewrites them: `python tests/outputs.py --write`, and says so in its commit."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
DIGESTS = FIXTURES / "outputs" / "digests.json"
_SUFFIXES = (".txt", ".md", ".html", ".pdf", ".docx")


def reports() -> list[Path]:
    """Every report of the fixtures the oracle covers (the labelled corpus and the seed)."""
    found = [p for p in sorted((FIXTURES / "corpus").rglob("*")) if p.suffix in _SUFFIXES and p.name != "INDEX.md"
             and "labels" not in p.parts and p.name != "README.md"]
    return [*sorted((FIXTURES / "seed").glob("*.txt")), *found]


def digest(path: Path) -> str:
    from extractor.errors import ExtractError
    from extractor.pipeline import extract_file

    try:
        doc = extract_file(path)
    except ExtractError as exc:
        return f"refused:{exc.code}"
    doc = {**doc, "source": {**doc["source"], "path": path.name}}
    doc.pop("extractor", None)
    return hashlib.sha256(json.dumps(doc, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def current() -> dict[str, str]:
    return {str(p.relative_to(FIXTURES)): digest(p) for p in reports()}


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/outputs.py --write")
    DIGESTS.write_text(json.dumps(current(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{DIGESTS}: {len(current())} reports")
