"""The learner's working copies and the class handout."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from jupyter_server.services.contents.filemanager import FileContentsManager

from tests.in_handout import needs_solutions, needs_sources
from tools import handout, workspace
from tools.build_notebooks import STUB_HINT


def test_sync_copies_new_chapters_and_never_overwrites(tmp_path: Path):
    copied = workspace.sync(tmp_path)
    assert copied and {path.name for path in copied} == {nb.name for nb in workspace.learner_notebooks()}
    assert copied[0].name == "primer_python.ipynb"  # the primer is copied first, then the chapters
    assert [path.name[:2] for path in copied[1:]] == sorted(path.name[:2] for path in copied[1:])
    mine = copied[0]
    mine.write_text("my work")
    assert workspace.sync(tmp_path) == []
    assert mine.read_text() == "my work"


@needs_solutions
def test_sync_links_the_solutions_and_course_utils_beside_the_learner_s_notebooks(tmp_path: Path):
    work = tmp_path / "my-notebooks"
    workspace.sync(work)
    assert (work / "solutions").resolve() == workspace.ROOT / "notebooks" / "solutions"
    assert (work / "course_utils").resolve() == workspace.ROOT / "course_utils"
    assert (work / "solutions" / "00_tour.ipynb").is_file()  # one double-click to the folder, one to a solution
    assert (work / "course_utils" / "checks" / "core.py").is_file()
    assert workspace.link_course_folders(work) == []  # made once; a second sync leaves them be
    (work / "solutions").unlink()
    (work / "solutions").mkdir()  # a folder of the learner's own with that name is never replaced
    assert workspace.link_course_folders(work) == [] and not (work / "solutions").is_symlink()


def test_reset_keeps_the_old_copy(tmp_path: Path):
    workspace.sync(tmp_path)
    chapter = workspace.course_notebook("01")
    (tmp_path / chapter.name).write_text("my work")
    fresh = workspace.reset(tmp_path, "01")
    assert fresh.read_bytes() == chapter.read_bytes()
    backups = list(tmp_path.glob(f"{chapter.stem}.backup-*.ipynb"))
    assert [backup.read_text() for backup in backups] == ["my work"]
    with pytest.raises(SystemExit, match="No chapter '99'.*primer, 00"):
        workspace.reset(tmp_path, "99")
    assert workspace.reset(tmp_path, "primer").name == "primer_python.ipynb"


def test_diff_shows_the_course_s_changes_and_the_learner_s_answers(tmp_path: Path):
    workspace.sync(tmp_path)
    chapter = workspace.course_notebook("01")
    assert workspace.diff(tmp_path, "1") == ""  # a fresh copy: nothing differs
    mine = tmp_path / chapter.name
    notebook = json.loads(mine.read_text())
    stub = next(cell for cell in notebook["cells"] if STUB_HINT in "".join(cell["source"]))
    stub["source"] = "".join(stub["source"]).replace(STUB_HINT, "return weight * sizes + bias  # my answer")
    first_markdown = next(cell for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    first_markdown["source"] = "".join(first_markdown["source"]).replace("Linear regression", "Linear Regression")
    stub.setdefault("outputs", []).append({"output_type": "stream", "name": "stdout", "text": "an output\n"})
    mine.write_text(json.dumps(notebook))
    text = workspace.diff(tmp_path, "01")
    assert "(your copy)" in text and "(the course now)" in text
    assert "-    return weight * sizes + bias  # my answer" in text and f"+    {STUB_HINT}" in text
    assert "-# 01 Linear Regression" in text and "+# 01 Linear regression" in text  # the course's fix, as + lines
    assert "an output" not in text  # outputs are left out
    with pytest.raises(SystemExit, match="no copy of 02"):
        workspace.diff(tmp_path / "empty", "02")


def test_the_workspace_command_line_diffs_and_resets(tmp_path: Path):
    script = [sys.executable, str(workspace.ROOT / "tools" / "workspace.py")]
    subprocess.run([*script, "sync", str(tmp_path)], check=True, capture_output=True)
    same = subprocess.run([*script, "diff", str(tmp_path), "00"], check=True, capture_output=True, text=True)
    assert "the same as the course's" in same.stdout
    missing = subprocess.run([*script, "diff", str(tmp_path)], capture_output=True, text=True)
    assert missing.returncode != 0 and "Say which chapter" in missing.stderr


@needs_solutions
def test_lab_serves_the_course_root_and_opens_the_learner_s_first_chapter(tmp_path: Path):
    work = workspace.ROOT / "my-notebooks"
    command = workspace.lab_command(work, ["--no-browser"])
    assert command[1:4] == ["-m", "jupyter", "lab"] and command[-1] == "--no-browser"
    root = Path(next(arg for arg in command if arg.startswith("--ServerApp.root_dir=")).partition("=")[2])
    url = next(arg for arg in command if arg.startswith("--LabApp.default_url=")).partition("=")[2]
    assert root == workspace.ROOT
    assert url == "/lab/tree/my-notebooks/00_tour.ipynb"
    # what JupyterLab's file browser lists is what the server's contents manager gives for the root it serves:
    # the solutions and course_utils, reached from the learner's folder through its links
    # (a learner's folder of its own inside the course, so that the test leaves my-notebooks/ alone)
    work_in_root = Path(tempfile.mkdtemp(prefix="lab-test-", dir=workspace.ROOT))
    try:
        workspace.sync(work_in_root)
        contents = FileContentsManager(root_dir=str(root))
        mine = {entry["name"] for entry in contents.get(work_in_root.name, content=True)["content"]}
        assert {"00_tour.ipynb", "primer_python.ipynb", "solutions", "course_utils"} <= mine
        assert contents.get(f"{work_in_root.name}/solutions/00_tour.ipynb", content=False)["type"] == "notebook"
        assert contents.get(f"{work_in_root.name}/course_utils/checks/core.py", content=False)["type"] == "file"
    finally:
        shutil.rmtree(work_in_root)
    contents = FileContentsManager(root_dir=str(root))
    top = {entry["name"] for entry in contents.get("", content=True)["content"]}
    assert {"notebooks", "course_utils", "README.md"} <= top
    solutions = {entry["name"] for entry in contents.get("notebooks/solutions", content=True)["content"]}
    assert {nb.name for nb in workspace.learner_notebooks()} <= solutions
    assert contents.get("course_utils/checks/core.py", content=False)["type"] == "file"
    with pytest.raises(SystemExit, match="inside the course"):
        workspace.lab_command(tmp_path)


@needs_sources
@needs_solutions
def test_handout_leaves_out_solutions(tmp_path: Path):
    tracked = subprocess.run(["git", "ls-files"], cwd=handout.ROOT, capture_output=True, text=True).stdout
    if "notebooks/solutions/" not in tracked:
        pytest.fail("the solution notebooks are not committed")
    target = tmp_path / "class"
    assert handout.handout(target) > 0
    assert not (target / "notebooks" / "solutions").exists()
    assert not (target / "notebooks" / "src").exists()
    assert list((target / "notebooks").glob("*.ipynb"))
    assert (target / "notebooks" / "primer_python.ipynb").is_file()
    assert (target / "course_utils" / "checks" / "core.py").is_file()
    with pytest.raises(SystemExit, match="not empty"):
        handout.handout(target)


# what a test mentions when it needs the chapter sources or the solution notebooks, reads their order, or clones
# the course
_NEEDS_WHAT_A_HANDOUT_LEAVES_OUT = re.compile(
    r"notebooks/src|notebooks/solutions|\"src\"|\"solutions\"|NOTEBOOK_SOURCES|in_handout|_in_notebook_order|"
    r"colab"
)


@needs_sources
@needs_solutions
def test_a_handout_is_a_working_course_whose_own_tests_pass(tmp_path: Path):
    """Build a handout, commit it to a repository of its own as an instructor would, clone that, and run the
    clone's own test suite there: the test files that touch what a handout leaves out or clone the course (found
    by the words above, so a new test that needs the sources is picked up; the README's Colab commands among
    them), and one learner notebook through
    nbval (about 40 s on a quiet 2-core machine).

    The handout's learner notebooks are asserted byte for byte equal to the course's, which the course's own
    suite runs every one of; its other test files run the same code on the same files as the course's suite.
    """
    made = tmp_path / "class"
    handout.handout(made)
    git = ["git", "-c", "user.name=Instructor", "-c", "user.email=instructor@example.org"]
    for command in (["init", "--quiet"], ["add", "--all"], ["commit", "--quiet", "--message", "the class's course"]):
        subprocess.run([*git, *command], cwd=made, check=True, capture_output=True)
    target = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", made.as_uri(), str(target)], check=True, capture_output=True)
    for notebook in sorted((handout.ROOT / "notebooks").glob("*.ipynb")):
        assert (target / "notebooks" / notebook.name).read_bytes() == notebook.read_bytes(), notebook.name
    assert (target / "HANDOUT.md").is_file() and not (target / "notebooks" / "solutions").exists()
    selected = sorted(
        path.relative_to(target).as_posix()
        for path in (target / "tests").glob("test_*.py")
        if _NEEDS_WHAT_A_HANDOUT_LEAVES_OUT.search(path.read_text(encoding="utf-8"))
    )
    assert {"tests/test_notebooks_built.py", "tests/test_tools.py", "tests/test_setup_files.py"} <= set(selected)
    env = {**os.environ, "PYTHONPATH": str(target), "COURSE_FAST": "1"}
    env.pop("PYTEST_XDIST_WORKER", None)
    command = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider"]
    command += [*selected, "--nbval", "--nbval-current-env", "notebooks/primer_python.ipynb"]
    run = subprocess.run(command, cwd=target, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "a class handout has no chapter sources" in run.stdout  # the skips say why
    assert "a class handout has no solution notebooks" in run.stdout
    assert " failed" not in run.stdout.splitlines()[-1]


def test_a_handout_says_when_it_was_made_from_changes_not_committed(tmp_path: Path, monkeypatch):
    """The files are copied from the working folder: HANDOUT.md names the commit, and says when the copy holds
    changes that commit does not have (a small repository of its own stands in for the course)."""
    course = tmp_path / "course"
    (course / "notebooks" / "solutions").mkdir(parents=True)
    (course / "notebooks" / "01_x.ipynb").write_text("{}")
    (course / "notebooks" / "solutions" / "01_x.ipynb").write_text("{}")
    git = ["git", "-c", "user.name=A", "-c", "user.email=a@example.org"]
    for command in (["init", "--quiet"], ["add", "--all"], ["commit", "--quiet", "--message", "one"]):
        subprocess.run([*git, *command], cwd=course, check=True, capture_output=True)
    monkeypatch.setattr(handout, "ROOT", course)
    assert handout.handout(tmp_path / "clean") == 2  # the learner notebook and HANDOUT.md
    clean = (tmp_path / "clean" / "HANDOUT.md").read_text(encoding="utf-8")
    assert "of the course. It has" in clean and "not committed" not in clean
    (course / "notebooks" / "01_x.ipynb").write_text('{"changed": 1}')
    handout.handout(tmp_path / "dirty")
    dirty = (tmp_path / "dirty" / "HANDOUT.md").read_text(encoding="utf-8")
    assert "with changes not committed yet" in dirty
    assert (tmp_path / "dirty" / "notebooks" / "01_x.ipynb").read_text() == '{"changed": 1}'
