"""The set-up files agree with each other and with the README."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import tomllib
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
CONDA_NAMES = {"torch": "pytorch"}  # PyPI name -> conda-forge name, where they differ
CONDA_ONLY = {"python", "pip", "nbgitpuller"}  # the hub's notebook puller rides along in the conda environment


def pins() -> dict[str, str]:
    pinned = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pinned[name.lower()] = version
    return pinned


def conda_packages() -> dict[str, str]:
    packages = {}
    text = (ROOT / "environment.yml").read_text()
    for line in text[text.index("dependencies:") :].splitlines():
        match = re.fullmatch(r"  - ([A-Za-z0-9_.-]+)(?:=(\S+))?", line)
        if match:
            packages[match.group(1).lower()] = match.group(2) or ""
    return packages


def test_every_requirement_is_pinned_exactly():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        assert not line or re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", line), line
    assert pins()["torch"] == "2.13.0"


def test_environment_yml_names_the_same_packages_and_versions():
    conda = conda_packages()
    expected = {CONDA_NAMES.get(name, name): version for name, version in pins().items()}
    assert {name: conda[name] for name in expected if name in conda} == expected
    assert set(conda) - set(expected) == CONDA_ONLY
    assert conda["python"] == "3.11"
    assert "--editable ." in (ROOT / "environment.yml").read_text()


def test_pyproject_bounds_admit_the_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.10,<3.14"
    declared = {re.split(r"[<>=!]", spec)[0].lower() for spec in project["dependencies"]}
    declared |= {re.split(r"[<>=!]", spec)[0].lower() for spec in project["optional-dependencies"]["test"]}
    assert declared == set(pins()) - {"setuptools"}
    assert "torch>=2.2" in project["dependencies"]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))]
    assert commands == ["make test"]
    assert "make test" in (ROOT / "README.md").read_text()


def test_readme_lists_every_chapter():
    readme = (ROOT / "README.md").read_text()
    for source in sorted((ROOT / "notebooks" / "src").glob("*.py")):  # the primer and every chapter
        assert f"notebooks/{source.stem}.ipynb" in readme, f"README does not list {source.stem}"


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_codespell_is_clean():
    codespell = Path(sys.executable).parent / "codespell"
    result = subprocess.run([str(codespell)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_metadata_builds_without_setuptools_warnings(tmp_path: Path):
    # the install step builds this metadata; a deprecated `license` table printed some 40 lines of warnings
    script = (
        "import sys; from setuptools import build_meta; print(build_meta.prepare_metadata_for_build_wheel(sys.argv[1]))"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", script, str(tmp_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in (result.stdout + result.stderr).lower(), result.stderr
    metadata = next(tmp_path.glob("*.dist-info")).joinpath("METADATA").read_text()
    assert "License-Expression: MIT" in metadata and "License-File: LICENSE" in metadata


def test_every_make_command_the_readme_gives_is_a_makefile_target():
    readme = (ROOT / "README.md").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), flags=re.MULTILINE))
    commands = set(re.findall(r"`make ([a-z][a-z-]*)", readme))
    assert {"lab", "test", "diff", "reset", "handout"} <= commands
    assert commands <= targets, f"README names make targets the Makefile lacks: {commands - targets}"


def test_the_readme_s_colab_cell_clones_and_installs_the_course(tmp_path: Path):
    """The README's first cell for Colab, run on a local clone (about 10 s): the clone holds the data and the
    notebooks, its `%cd` line in a running kernel makes `course_utils` importable at once, and
    `pip install --editable .` installs it. Offline and without touching the course's environment, pip gets
    `--no-deps --no-build-isolation --prefix` (Colab installs the dependencies from PyPI); the editable install
    is then read from that prefix."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cell = readme.split("<!-- colab-cell", 1)[1].split("```python\n", 1)[1].split("```", 1)[0].splitlines()
    assert [line.split()[0] for line in cell] == ["!git", "%cd", "!pip"]
    clone_line, cd_line, pip_line = cell
    url, folder = clone_line.split()[-2:]
    assert url.endswith(".git") and cd_line == f"%cd {folder}" and pip_line.endswith("install --quiet --editable .")

    clone = tmp_path / Path(folder).name
    command = clone_line[1:].replace(url, ROOT.as_uri()).replace(folder, str(clone)).split()
    subprocess.run(command, check=True, capture_output=True)
    assert (clone / "data").is_dir() and (clone / "notebooks" / "00_tour.ipynb").is_file()
    # after the README's own `%cd` line, a kernel that was started elsewhere (Colab's starts in /content) finds the
    # package in its new working folder (IPython puts that on the path; the editable install needs a new kernel)
    probe = "import course_utils, course_utils.data as d\nprint(course_utils.__file__)\nprint(d.data_dir())"
    cd_here = cd_line.replace(folder, str(clone))
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"{cd_here}\n{probe}")])
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "COURSE_DATA_DIR")}
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute(cwd=str(tmp_path), env=env)
    printed = "".join(o.get("text", "") for o in notebook.cells[0].outputs if o.output_type == "stream").split()
    assert printed[-2:] == [str(clone / "course_utils" / "__init__.py"), str(clone / "data")], printed
    prefix = tmp_path / "prefix"
    pip = [sys.executable, "-m", *pip_line[1:].split()[:-2], "--no-deps", "--no-build-isolation"]
    # --ignore-installed: with --prefix alone pip would first uninstall this environment's course_utils
    command = [*pip, "--prefix", str(prefix), "--ignore-installed", "--editable", "."]
    where_before = _where_course_utils_installed(tmp_path)
    subprocess.run(command, cwd=clone, check=True, capture_output=True)
    assert _where_course_utils_installed(tmp_path) == where_before, "the test's install touched this environment's"
    # the finder the editable install wrote maps the package to the clone (this environment has its own, found first)
    (finder,) = prefix.glob("lib/python*/site-packages/__editable___course_utils_*_finder.py")
    spec = importlib.util.spec_from_file_location("colab_probe_finder", finder)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.MAPPING == {"course_utils": str(clone / "course_utils")}


def _where_course_utils_installed(folder: Path) -> str:
    """Where this environment imports course_utils from, seen from ``folder`` (not the project root)."""
    probe = "import importlib.util; spec = importlib.util.find_spec('course_utils'); print(spec and spec.origin)"
    return subprocess.run([sys.executable, "-c", probe], cwd=folder, capture_output=True, text=True).stdout.strip()
