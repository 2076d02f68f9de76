"""inputs.outside: the inputs not in the dataset folder, as Path.resolve().is_relative_to says."""

from __future__ import annotations

import os
from pathlib import Path

from extractor.batch.inputs import outside


def test_outside_agrees_with_resolve_and_is_relative_to(tmp_path):
    out, src = tmp_path / "out", tmp_path / "src"
    (out / "sub").mkdir(parents=True)
    src.mkdir()
    (out / "sub" / "a.txt").write_text("x")
    (src / "b.txt").write_text("x")
    os.symlink(out / "sub" / "a.txt", src / "link.txt")  # a file linked from inside the output
    os.symlink(out, tmp_path / "linkdir")  # the output under another name
    os.symlink(src, tmp_path / "srclink")
    paths = [str(p) for p in (src / "b.txt", src / "link.txt", tmp_path / "linkdir" / "sub" / "a.txt",
                              tmp_path / "srclink" / "b.txt", tmp_path / "srclink" / "link.txt", out, out / "sub",
                              tmp_path / "outx" / "a", tmp_path / "missing" / "z")] + ["/"]
    for folder in (out.resolve(), Path("/"), src.resolve()):
        assert outside(paths, folder) == [p for p in paths if not Path(p).resolve().is_relative_to(folder)]
    assert outside(paths, out.resolve()) == [str(src / "b.txt"), str(tmp_path / "srclink" / "b.txt"),
                                             str(tmp_path / "outx" / "a"), str(tmp_path / "missing" / "z"), "/"]
