"""Test-suite set-up: fast mode for everything, and for each notebook the outcome its checks must report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch
from xdist.scheduler import LoadFileScheduling

from course_utils.checks.core import EXPECT_ENV_VAR, PASSED, UNFINISHED

ROOT = Path(__file__).resolve().parent.parent

# Tests that each run a whole notebook in a kernel of their own and share no state with the rest of their file.
# `--dist loadfile` sends a file to one worker; these are sent one by one instead, so that the two workers share
# them out rather than one worker running every chapter's notebook in turn while the other waits.
SCHEDULED_ALONE = ("tests/test_other_forms.py::test_the_learner_notebook_runs_to_the_end_with_answers_in_other_forms[",)


class _LoadFileWithLoneNotebookRuns(LoadFileScheduling):
    def _split_scope(self, nodeid: str) -> str:
        return nodeid if nodeid.startswith(SCHEDULED_ALONE) else super()._split_scope(nodeid)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> LoadFileScheduling | None:
    return _LoadFileWithLoneNotebookRuns(config, log) if config.getoption("dist") == "loadfile" else None


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("COURSE_FAST", "1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    # no learner progress file (course_utils/learner_progress.py): parallel tests would race on it
    os.environ["COURSE_PROGRESS"] = "0"
    # One thread per process for torch's matrix products: pytest-xdist already runs one worker per core and each
    # worker starts notebook kernels, so torch's default of one thread per core would put two or more threads on
    # every core. Its threads then spin at every barrier waiting for a descheduled partner; measured on
    # tests/test_tour.py on a loaded 2-core machine: 60 s of CPU and 9 minutes with the default, 10 s and
    # 30 s with one thread. The variable is read by the kernels nbval starts; the call sets this process, which
    # imported torch before this hook ran. Set OMP_NUM_THREADS yourself to choose another number.
    threads = int(os.environ.setdefault("OMP_NUM_THREADS", "1"))
    torch.set_num_threads(threads)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # nbval starts a notebook's kernel while setting up its first cell, and the kernel inherits this
    # environment: every check in a learner notebook must then report "not done yet", and every check
    # in a solution notebook must pass (course_utils.checks.core reads the variable).
    if item.path.suffix == ".ipynb":
        os.environ[EXPECT_ENV_VAR] = PASSED if item.path.parent.name == "solutions" else UNFINISHED
    else:
        os.environ.pop(EXPECT_ENV_VAR, None)
