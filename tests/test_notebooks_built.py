"""The committed notebooks are exactly what the build writes from their sources, and carry no outputs."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from tests.in_handout import needs_sources
from tools.build_notebooks import (
    ROOT,
    STUB_HINT,
    build,
    learner_stub,
    parse_source,
    render,
    sources,
    targets,
)

pytestmark = needs_sources  # every test here compares the notebooks with their sources

SOURCES = sources()
COMMITTED = sorted(
    path for path in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in path.parts
)  # JupyterLab's autosaves are not the course's notebooks


def test_there_are_chapters():
    assert SOURCES, "no chapter sources in notebooks/src"


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_committed_notebooks_equal_the_build(source):
    for path, solutions in targets(source):
        assert path.is_file(), f"{path.relative_to(ROOT)} is missing: run `make notebooks`"
        assert path.read_text(encoding="utf-8") == render(build(source, solutions)), (
            f"{path.relative_to(ROOT)} differs from what its source builds: run `make notebooks` and commit"
        )


def test_every_committed_notebook_has_a_source():
    expected = {path for source in SOURCES for path, _ in targets(source)}
    orphans = [str(path.relative_to(ROOT)) for path in COMMITTED if path not in expected]
    assert not orphans, f"notebooks without a source in notebooks/src: {orphans}"


@pytest.mark.parametrize("path", COMMITTED, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_outputs_or_execution_counts(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name}: a cell has outputs: clear them (the build writes none)"
            assert cell["execution_count"] is None, f"{path.name}: a cell has an execution count"


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_cell_ids_are_unique_and_stable(source):
    first, second = build(source, solutions=False), build(source, solutions=False)
    ids = [cell.id for cell in first.cells]
    assert len(set(ids)) == len(ids)
    assert ids == [cell.id for cell in second.cells]


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_learner_notebook_holds_stubs_and_solution_the_references(source):
    learner, solution = build(source, solutions=False), build(source, solutions=True)
    exercises = [cell.exercise_id for cell in parse_source(source.read_text()) if cell.kind == "exercise"]
    stubs = [cell.source for cell in learner.cells if STUB_HINT in cell.source]
    assert len(stubs) == len(exercises)
    assert not any(STUB_HINT in cell.source for cell in solution.cells)
    for exercise_id in exercises:
        assert sum(f'check("{exercise_id}"' in cell.source for cell in learner.cells) == 1
        assert sum(f'check("{exercise_id}"' in cell.source for cell in solution.cells) == 1


def test_stub_keeps_signature_and_docstring_and_raises():
    source = (
        'def area(width: float, height: float) -> float:\n    """Width times height."""\n    return width * height\n'
    )
    stub = learner_stub("ch99.area", source)
    assert stub.startswith('def area(width: float, height: float) -> float:\n    """Width times height."""')
    assert "return width * height" not in stub
    namespace: dict = {}
    exec(stub, namespace)
    with pytest.raises(NotImplementedError, match="ch99.area"):
        namespace["area"](2.0, 3.0)


def test_stub_of_a_function_without_docstring():
    stub = learner_stub("ch99.double", "def double(\n    x,\n):\n    return 2 * x\n")
    assert "return 2 * x" not in stub and stub.startswith("def double(\n    x,\n):")


def test_parse_rejects_unknown_cell_kinds_and_bad_markdown(tmp_path: Path):
    with pytest.raises(ValueError, match="unknown cell kind"):
        parse_source("# %% [raw]\nx\n")
    with pytest.raises(ValueError, match="must start with '# '"):
        parse_source("# %% [markdown]\n#Title\n")
    with pytest.raises(ValueError, match="before the first"):
        parse_source("x = 1\n# %%\n")


def test_built_notebooks_validate():
    for source in SOURCES:
        for solutions in (False, True):
            nbformat.validate(build(source, solutions))
