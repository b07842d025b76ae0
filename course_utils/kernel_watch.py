"""Run notebooks with nbclient without waiting forever on a cell whose kernel has gone quiet.

Now and then nbclient waits for the reply to a cell that its kernel has already finished: the kernel sits
idle, the reply never arrives, and nbclient waits until the cell's time limit (30 minutes in the site build).
It was seen on chapter 01's widget cell in full-mode site builds (ipykernel 7.4, nbclient 0.11; see
jupyter/nbclient#312 and ipython/ipykernel#1554 for reports of the same symptom). :class:`StallWatchingClient`
watches the kernel's processes while a cell runs: if they have used (almost) no CPU for ``stall_seconds``, it
stops waiting and raises :class:`KernelStalled`, so that the caller can run the notebook again in a fresh
kernel (the course's site build and grader do, once).

The sign is a heuristic: a cell that sleeps, or waits on a lock, a queue or the network, for ``stall_seconds``
looks the same (``input()`` does not: nbclient gives the kernel no stdin, so it raises at once). The course's
notebooks have no such cell; the message says so for a learner's notebook that has one.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from nbclient import NotebookClient

try:
    import psutil
except ImportError:  # pragma: no cover - psutil comes with IPython; without it nothing is watched
    psutil = None

# A kernel that waits uses a little CPU for its heartbeat and polling (well under 1% of a core here).
_IDLE_SHARE = 0.01
_POLL_SECONDS = 5.0


class KernelStalled(RuntimeError):
    """The kernel's processes did (almost) nothing for ``seconds`` while nbclient waited for cell ``cell_index``."""

    def __init__(self, cell_index: int, seconds: float) -> None:
        self.cell_index, self.seconds = cell_index, seconds
        super().__init__(
            f"cell {cell_index + 1}: the kernel used no CPU for {seconds:.0f} s and did not say the cell had "
            "finished (a cell that sleeps, or waits on a lock, a queue or the network, that long; or a reply lost "
            "between the kernel and nbclient)"
        )


def kernel_pid(client: NotebookClient) -> int | None:
    """The process id of ``client``'s kernel, or None where its provisioner does not say (not a local kernel)."""
    provisioner = getattr(client.km, "provisioner", None)
    pid = getattr(provisioner, "pid", None) or getattr(getattr(provisioner, "process", None), "pid", None)
    return pid if isinstance(pid, int) else None


def busy_seconds(pid: int) -> float | None:
    """CPU seconds used so far by process ``pid`` and its children (None when it has gone)."""
    try:
        process = psutil.Process(pid)
        total = 0.0
        for each in [process, *process.children(recursive=True)]:
            try:
                times = each.cpu_times()
                total += times.user + times.system
            except psutil.Error:  # a child that ended between the listing and the reading
                continue
        return total
    except psutil.Error:
        return None


class StallWatchingClient(NotebookClient):
    """A NotebookClient that raises :class:`KernelStalled` when a cell's kernel stays idle ``stall_seconds``."""

    def __init__(self, *args: Any, stall_seconds: float = 120.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not stall_seconds > 0:
            raise ValueError(f"stall_seconds must be above 0, got {stall_seconds!r}.")
        self.stall_seconds = float(stall_seconds)

    async def async_execute_cell(self, cell: Any, cell_index: int, *args: Any, **kwargs: Any) -> Any:
        tasks_before = asyncio.all_tasks()
        running = asyncio.ensure_future(super().async_execute_cell(cell, cell_index, *args, **kwargs))
        pid = kernel_pid(self)
        if psutil is None or pid is None or cell.get("cell_type") != "code":
            return await running
        quiet_since, used_then = time.monotonic(), busy_seconds(pid)
        while True:
            done, _ = await asyncio.wait({running}, timeout=min(_POLL_SECONDS, self.stall_seconds / 2))
            if done:
                return running.result()
            used_now, now = busy_seconds(pid), time.monotonic()
            if used_now is None or used_then is None:  # the kernel has gone: nbclient reports that itself
                continue
            if abs(used_now - used_then) > _IDLE_SHARE * (now - quiet_since):
                quiet_since, used_then = now, used_now  # it worked: the quiet stretch starts again
            elif now - quiet_since >= self.stall_seconds:
                await _cancel_cell(running, tasks_before)
                raise KernelStalled(cell_index, now - quiet_since)


async def _cancel_cell(running: asyncio.Future[Any], tasks_before: set[asyncio.Task[Any]]) -> None:
    """Cancel the cell's task ``running``, then whatever tasks nbclient started for it that are still pending.

    nbclient cancels its output poll but not its kernel-alive poll (it expects only that poll to cancel a cell):
    left pending, it wakes later in the event loop that the next run shares, finds the client cleaned up, and
    fails with a bare AssertionError that asyncio logs as "Task exception was never retrieved".
    """
    running.cancel()
    try:
        await running
    except BaseException:  # noqa: BLE001 - nbclient turns the cancellation into its own error (DeadKernelError)
        pass
    leftovers = asyncio.all_tasks() - tasks_before - {asyncio.current_task()}
    for task in leftovers:
        task.cancel()
    await asyncio.gather(*leftovers, return_exceptions=True)
