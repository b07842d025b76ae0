"""Data-parallel training with torchrun and DistributedDataParallel, and gradient accumulation (chapter 11).

``torchrun --nproc_per_node N`` starts N copies of a script and tells each, through environment variables, its
``RANK`` (0 to N-1), ``LOCAL_RANK`` (its place on this machine) and ``WORLD_SIZE`` (N). Each copy:

1. joins the process group (:func:`start`): nccl between NVIDIA GPUs, gloo between CPU processes;
2. wraps its model in ``DistributedDataParallel`` (:func:`wrap`), which averages the gradients of all copies
   during the backward pass (an all-reduce), so that every copy takes the same step and they stay equal;
3. trains on its own slice of each global batch (:func:`shard`);
4. adds up the gradients of several micro-batches before stepping when its slice does not fit in memory at
   once (:func:`accumulated_step`): the same update as the whole slice at once.

Run without torchrun, :func:`start` returns a world of one process and everything works unchanged.

``python -m course_utils.distributed`` trains a small GPT on Shakespeare's characters for a few steps this way
and writes each rank's losses and weights; the course's tests run it with ``torchrun --standalone
--nproc_per_node 2`` on the CPU and compare with one process.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gc
import json
import os
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

from course_utils import validate

BACKENDS = ("nccl", "gloo")


@dataclass(frozen=True)
class DistributedRun:
    """Where this process stands: its rank among ``world_size`` processes, the backend and its device."""

    rank: int
    local_rank: int
    world_size: int
    backend: str
    device: torch.device

    @property
    def is_main(self) -> bool:
        """Rank 0 writes logs and checkpoints; the others stay quiet."""
        return self.rank == 0


def launched_by_torchrun() -> bool:
    """Whether torchrun (or another launcher) set ``RANK`` and ``WORLD_SIZE`` for this process."""
    return "RANK" in os.environ and "WORLD_SIZE" in os.environ


def _env_int(name: str) -> int:
    value = os.environ.get(name, "")
    if not value.isdigit():
        raise RuntimeError(f"The environment variable {name}={value!r} is not a whole number: start with torchrun.")
    return int(value)


def start(backend: str | None = None, timeout_s: float = 120.0) -> DistributedRun:
    """Join the process group that torchrun set up, and pick this process's device.

    ``backend``: ``"nccl"`` (NVIDIA GPUs, one per process) or ``"gloo"`` (CPUs); None chooses nccl when CUDA is
    there, else gloo. Without torchrun: a world of one (rank 0), on the CPU or the one GPU, and no group.
    Raises ``RuntimeError`` with advice when nccl is asked for without GPUs, or with more processes on this
    machine than it has GPUs (two processes on one GPU would deadlock in nccl).
    """
    if backend is not None and backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)} or None, got {validate.describe(backend)}.")
    timeout_s = validate.real_number(timeout_s, "timeout_s", above=0.0)
    if not launched_by_torchrun():
        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        return DistributedRun(0, 0, 1, "none", device)
    rank, world_size = _env_int("RANK"), _env_int("WORLD_SIZE")
    local_rank = _env_int("LOCAL_RANK") if "LOCAL_RANK" in os.environ else rank
    local_world = _env_int("LOCAL_WORLD_SIZE") if "LOCAL_WORLD_SIZE" in os.environ else world_size
    backend = backend or ("nccl" if torch.cuda.is_available() else "gloo")
    if backend == "nccl":
        if not torch.cuda.is_available():
            raise RuntimeError("backend nccl needs NVIDIA GPUs and this machine has none: use backend='gloo' on CPUs.")
        count = torch.cuda.device_count()
        if local_world > count:
            raise RuntimeError(
                f"torchrun started {local_world} processes on this machine but it has {count} GPU(s): nccl needs one "
                f"GPU per process. Use --nproc_per_node {count}, or backend='gloo'."
            )
        device = torch.device("cuda", local_rank)
        torch.cuda.set_device(device)
    else:
        device = torch.device("cpu")
    dist.init_process_group(
        backend=backend, rank=rank, world_size=world_size, timeout=datetime.timedelta(seconds=timeout_s)
    )
    return DistributedRun(rank, local_rank, world_size, backend, device)


def finish() -> None:
    """Leave the process group (if this process joined one).

    Drop every DistributedDataParallel model first: its reducer keeps the group alive, and a group whose last
    reference goes only in the interpreter's final clean-up can abort the process there (gloo: "terminate called
    without an active exception"). The collection here frees those that only reference cycles still hold.
    """
    if dist.is_available() and dist.is_initialized():
        gc.collect()
        dist.destroy_process_group()


def wrap(model: torch.nn.Module, run: DistributedRun) -> torch.nn.Module:
    """``model`` in ``DistributedDataParallel`` when there are several processes; the model itself otherwise.

    DDP copies rank 0's weights to every rank when it wraps, so all copies start equal whatever their seeds.
    """
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {validate.describe(model)}.")
    if not isinstance(run, DistributedRun):
        raise TypeError(f"run must be what start() returned, got {validate.describe(run)}.")
    if run.world_size == 1:
        return model
    device_ids = [run.device.index] if run.device.type == "cuda" else None
    return DistributedDataParallel(model, device_ids=device_ids)


def shard(batch: torch.Tensor, run: DistributedRun) -> torch.Tensor:
    """This rank's rows of a global ``batch``: rows ``rank * n`` to ``(rank + 1) * n`` for ``n = len / world``."""
    if not isinstance(batch, torch.Tensor) or batch.ndim == 0:
        raise TypeError(f"batch must be a tensor with one row per example, got {validate.describe(batch)}.")
    if not isinstance(run, DistributedRun):
        raise TypeError(f"run must be what start() returned, got {validate.describe(run)}.")
    if len(batch) % run.world_size:
        raise ValueError(
            f"batch has {len(batch)} rows, which do not split evenly over {run.world_size} processes: make the "
            f"global batch a multiple of {run.world_size}."
        )
    size = len(batch) // run.world_size
    return batch[run.rank * size : (run.rank + 1) * size]


def accumulated_step(
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    x: torch.Tensor,
    y: torch.Tensor,
    micro_batch: int,
    clip: float = 1.0,
) -> float:
    """One optimizer step over this rank's ``x`` and ``y`` (B, T), in micro-batches of ``micro_batch`` rows.

    Each micro-batch's loss is divided by the number of micro-batches, so that the added-up gradients are those
    of the mean loss over all B rows: the same step as one batch of B. Under DDP, the gradients are averaged
    across ranks once, on the last micro-batch (``no_sync`` on the others). The gradients are clipped to norm
    ``clip`` before the step. Returns the mean loss over the rows (this rank's), from before the step.
    """
    validate.optimizer(
        optimizer, "optimizer", model=model.module if isinstance(model, DistributedDataParallel) else model
    )
    micro_batch = validate.whole_number(micro_batch, "micro_batch", minimum=1)
    clip = validate.real_number(clip, "clip", above=0.0)
    if not isinstance(x, torch.Tensor) or not isinstance(y, torch.Tensor) or x.shape != y.shape or x.ndim != 2:
        raise ValueError(
            f"x and y must be (B, T) tensors of the same shape, got {validate.describe(x)} and {validate.describe(y)}."
        )
    if len(x) % micro_batch:
        raise ValueError(
            f"micro_batch ({micro_batch}) must divide this rank's batch ({len(x)} rows): the step averages over "
            f"equal micro-batches."
        )
    steps = len(x) // micro_batch
    optimizer.zero_grad(set_to_none=True)
    total = 0.0
    for index in range(steps):
        rows = slice(index * micro_batch, (index + 1) * micro_batch)
        last = index == steps - 1
        # DDP averages gradients at every backward unless told not to: once, at the end, is enough
        syncing = (
            contextlib.nullcontext() if last or not isinstance(model, DistributedDataParallel) else model.no_sync()
        )
        with syncing:
            logits = model(x[rows])
            loss = F.cross_entropy(logits.flatten(0, 1), y[rows].flatten()) / steps
            loss.backward()
        total += loss.item()
    torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
    optimizer.step()
    return total


def mean_over_ranks(value: float, run: DistributedRun) -> float:
    """The mean of ``value`` over every rank (each rank's loss of its slice gives the global batch's loss)."""
    value = validate.real_number(value, "value")
    if run.world_size == 1:
        return value
    tensor = torch.tensor([value], dtype=torch.float64, device=run.device)
    dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
    return tensor.item() / run.world_size


def replica_spread(model: torch.nn.Module, run: DistributedRun) -> float:
    """How far apart the copies of ``model`` on the ranks are: the largest difference, over the ranks, of each
    weight tensor's sum and sum of squares (float64). 0.0 when they are equal (as DDP keeps them), and with one
    process; every rank must call it (two all-reduces of two numbers per tensor)."""
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {validate.describe(model)}.")
    if not isinstance(run, DistributedRun):
        raise TypeError(f"run must be what start() returned, got {validate.describe(run)}.")
    if run.world_size == 1:
        return 0.0
    tensors = [t.detach().double() for t in model.state_dict().values()]
    sums = torch.stack([torch.stack([t.sum(), (t * t).sum()]) for t in tensors]).flatten()
    highest, lowest = sums.clone(), sums.clone()
    dist.all_reduce(highest, op=dist.ReduceOp.MAX)
    dist.all_reduce(lowest, op=dist.ReduceOp.MIN)
    return (highest - lowest).max().item()


def _demo(argv: list[str] | None = None) -> None:
    """Train a small GPT on Shakespeare's characters for a few steps, data-parallel when under torchrun."""
    from course_utils.data import shakespeare_split
    from course_utils.gpt import GPT, GPTConfig
    from course_utils.text import char_vocab, encode

    parser = argparse.ArgumentParser(prog="python -m course_utils.distributed", description=_demo.__doc__)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--global-batch", type=int, default=8, help="windows per step, over all processes")
    parser.add_argument("--micro-batch", type=int, default=2, help="windows per forward pass in each process")
    parser.add_argument("--context", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--backend", choices=BACKENDS, default=None)
    parser.add_argument("--out", type=Path, default=None, help="folder for each rank's result (rank<N>.json)")
    args = parser.parse_args(argv)
    run = start(args.backend)
    try:
        text = shakespeare_split()[0][:200_000]
        vocab = char_vocab(text)
        ids = torch.tensor(encode(text, vocab))
        torch.manual_seed(args.seed)  # every rank builds the same model; DDP would copy rank 0's anyway
        model = GPT(GPTConfig(vocab_size=len(vocab), context=args.context, n_layer=2, n_head=2, d_model=32)).to(
            run.device
        )
        ddp_model = wrap(model, run)
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
        generator = torch.Generator().manual_seed(args.seed)  # the same global batches on every rank
        losses = []
        for _ in range(args.steps):
            starts = torch.randint(len(ids) - args.context - 1, (args.global_batch,), generator=generator)
            positions = starts[:, None] + torch.arange(args.context)
            x, y = shard(ids[positions], run).to(run.device), shard(ids[positions + 1], run).to(run.device)
            loss = accumulated_step(ddp_model, optimizer, x, y, args.micro_batch)
            losses.append(mean_over_ranks(loss, run))
        if run.is_main:
            print(f"{run.world_size} process(es), backend {run.backend}: losses {[round(v, 4) for v in losses]}")
        if args.out is not None:
            args.out.mkdir(parents=True, exist_ok=True)
            weights = {
                name: tensor.detach().cpu().flatten().tolist()[:50] for name, tensor in model.state_dict().items()
            }
            checksum = float(sum(tensor.double().abs().sum() for tensor in model.state_dict().values()))
            result = {
                "rank": run.rank,
                "world_size": run.world_size,
                "losses": losses,
                "checksum": checksum,
                "weights": weights,
            }
            (args.out / f"rank{run.rank}.json").write_text(json.dumps(result))
        del ddp_model  # before the group goes (see finish)
    finally:
        finish()


if __name__ == "__main__":
    _demo()
