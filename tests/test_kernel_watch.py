"""course_utils.kernel_watch: a kernel that stays idle while its cell is pending is reported, a busy one is not."""

from __future__ import annotations

import asyncio
from pathlib import Path

import nbformat
import pytest

from course_utils.kernel_watch import KernelStalled, StallWatchingClient


def _notebook(*sources: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])


def test_an_idle_kernel_is_reported_as_stalled_and_a_busy_one_is_not(tmp_path: Path):
    """A cell that computes for 4 s passes a 2 s watch; a cell that sleeps 30 s is reported after about 2 s."""
    busy = "import time\nstart = time.time()\nwhile time.time() - start < 4:\n    pass\n"
    notebook = _notebook("x = 1", busy, "time.sleep(30)", "y = 2")
    client = StallWatchingClient(notebook, timeout=60, stall_seconds=2, kernel_name="python3")
    with pytest.raises(KernelStalled) as stalled:
        client.execute(cwd=str(tmp_path))
    assert stalled.value.cell_index == 2 and 2 <= stalled.value.seconds < 10
    assert "cell 3: the kernel used no CPU for" in str(stalled.value)
    assert notebook.cells[1].execution_count == 2 and notebook.cells[3].execution_count is None


def test_stall_seconds_must_be_positive():
    with pytest.raises(ValueError, match="stall_seconds must be above 0"):
        StallWatchingClient(_notebook("1"), stall_seconds=0)


def test_a_stalled_cell_leaves_no_task_of_nbclient_pending(tmp_path: Path):
    """nbclient's kernel-alive poll outlives a cancelled cell unless it is cancelled too: pending, it would fail in
    the next run's event loop (the same loop) on the cleaned-up client, logged as an unretrieved AssertionError."""
    from jupyter_core.utils import ensure_event_loop

    client = StallWatchingClient(_notebook("import time\ntime.sleep(30)"), timeout=60, stall_seconds=2)
    with pytest.raises(KernelStalled):
        client.execute(cwd=str(tmp_path))
    pending = [task for task in asyncio.all_tasks(ensure_event_loop()) if not task.done()]
    assert pending == []
