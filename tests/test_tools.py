"""The learner's working copies and the class handout."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tools import handout, workspace


def test_sync_copies_new_chapters_and_never_overwrites(tmp_path: Path):
    copied = workspace.sync(tmp_path)
    assert copied and {path.name for path in copied} == {nb.name for nb in workspace.learner_notebooks()}
    mine = copied[0]
    mine.write_text("my work")
    assert workspace.sync(tmp_path) == []
    assert mine.read_text() == "my work"


def test_reset_keeps_the_old_copy(tmp_path: Path):
    workspace.sync(tmp_path)
    chapter = workspace.learner_notebooks()[0]
    (tmp_path / chapter.name).write_text("my work")
    fresh = workspace.reset(tmp_path, chapter.name[:2])
    assert fresh.read_bytes() == chapter.read_bytes()
    backups = list(tmp_path.glob(f"{chapter.stem}.backup-*.ipynb"))
    assert [backup.read_text() for backup in backups] == ["my work"]
    with pytest.raises(SystemExit, match="No chapter '99'"):
        workspace.reset(tmp_path, "99")


def test_handout_leaves_out_solutions(tmp_path: Path):
    tracked = subprocess.run(["git", "ls-files"], cwd=handout.ROOT, capture_output=True, text=True).stdout
    if "notebooks/solutions/" not in tracked:
        pytest.fail("the solution notebooks are not committed")
    target = tmp_path / "class"
    assert handout.handout(target) > 0
    assert not (target / "notebooks" / "solutions").exists()
    assert not (target / "notebooks" / "src").exists()
    assert list((target / "notebooks").glob("*.ipynb"))
    assert (target / "course_utils" / "checks" / "core.py").is_file()
    with pytest.raises(SystemExit, match="not empty"):
        handout.handout(target)
