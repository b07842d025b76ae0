"""Training: one step of gradient descent, and the loop that repeats it while keeping score.

Chapter 01 teaches the step by hand and chapter 02 in torch (exercise ``ch02.train_step``); later chapters
train every model with :func:`train`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from tqdm.auto import tqdm

from course_utils import validate


def train_step(
    model: torch.nn.Module,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    inputs: torch.Tensor,
    targets: torch.Tensor,
) -> float:
    """One step of training: predict, measure the loss, find its gradients, nudge the weights.

    ``model(inputs)`` gives the predictions, ``loss_fn(predictions, targets)`` the loss as a one-number
    tensor, and ``optimizer`` (made with ``model.parameters()``) moves the weights. The step changes the
    model's weights in place and returns the loss from before the move, as a Python float.
    """
    validate.optimizer(optimizer, "optimizer", model=model)  # one made for another model would change nothing
    validate.function(loss_fn, "loss_fn")
    optimizer.zero_grad()  # gradients add up in .grad: clear the last step's
    predictions = model(inputs)
    validate.matching_targets(targets, predictions)  # an (8,) against an (8, 1) would be broadcast to (8, 8)
    loss = loss_fn(predictions, targets)
    loss.backward()
    optimizer.step()
    return loss.item()


@dataclass
class History:
    """What a training run recorded: the loss at each step, and the held-out loss now and then."""

    steps: list[int] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    eval_steps: list[int] = field(default_factory=list)
    eval_losses: list[float] = field(default_factory=list)
    seconds: float = 0.0


def train(
    model: torch.nn.Module,
    next_batch: Callable[[], tuple[torch.Tensor, torch.Tensor]],
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    steps: int,
    *,
    evaluate: Callable[[], float] | None = None,
    eval_every: int = 0,
    step_fn: Callable[..., float] = train_step,
    progress: bool = True,
) -> History:
    """Train ``model`` for ``steps`` steps on batches from ``next_batch()``, and return the :class:`History`.

    ``evaluate()`` (a held-out loss, computed without gradients) runs every ``eval_every`` steps and at the
    end. ``step_fn`` is the step to repeat: pass your own ``train_step`` to train with it.
    """
    steps = validate.whole_number(steps, "steps", minimum=1)
    validate.function(next_batch, "next_batch", hint="Such as epoch_batches(inputs, targets, batch_size, generator).")
    validate.optimizer(optimizer, "optimizer", model=model)
    validate.function(loss_fn, "loss_fn")
    validate.function(step_fn, "step_fn")
    if evaluate is not None:
        validate.function(evaluate, "evaluate", hint="It takes no arguments and returns the held-out loss.")
        eval_every = validate.whole_number(
            eval_every, "eval_every", minimum=1, hint="With evaluate, say how often to run it."
        )
    history = History()
    start = time.perf_counter()
    model.train()
    bar = tqdm(range(1, steps + 1), desc="training", disable=not progress)
    for step in bar:
        batch = next_batch()
        if not isinstance(batch, tuple | list) or len(batch) != 2:
            raise TypeError(
                f"next_batch() must return a pair (inputs, targets), got {validate.describe(batch)}: "
                f"end it with `return inputs, targets`."
            )
        inputs, targets = batch
        history.steps.append(step)
        history.losses.append(step_fn(model, loss_fn, optimizer, inputs, targets))
        if evaluate is not None and (step % eval_every == 0 or step == steps):
            model.eval()
            with torch.no_grad():
                history.eval_steps.append(step)
                history.eval_losses.append(float(evaluate()))
            model.train()
            bar.set_postfix(loss=f"{history.losses[-1]:.3f}", held_out=f"{history.eval_losses[-1]:.3f}")
    model.eval()
    history.seconds = time.perf_counter() - start
    return history


def epoch_batches(
    inputs: torch.Tensor, targets: torch.Tensor, batch_size: int, generator: torch.Generator
) -> Callable[[], tuple[torch.Tensor, torch.Tensor]]:
    """A ``next_batch()`` for :func:`train` that walks through the examples in epochs.

    Each epoch shuffles the examples with ``generator`` (a CPU generator, so a seed gives the same batches on
    any device) and hands them out ``batch_size`` at a time; the last batch of an epoch may be smaller. One
    epoch is :func:`batches_per_epoch` calls: every example is seen once.
    """
    for name, value in (("inputs", inputs), ("targets", targets)):
        if not isinstance(value, torch.Tensor) or value.ndim == 0:
            raise TypeError(
                f"{name} must be a tensor with one row per example, got {validate.describe(value)}: "
                f"make one with torch.tensor(...)."
            )
    if len(inputs) != len(targets):
        raise ValueError(
            f"inputs and targets must have one row per example each: got {len(inputs)} inputs and "
            f"{len(targets)} targets."
        )
    if len(inputs) == 0:
        raise ValueError("inputs holds no examples to make batches of.")
    batch_size = validate.whole_number(batch_size, "batch_size", minimum=1)
    generator = validate.generator(generator, "generator")
    count = len(inputs)
    order = torch.empty(0, dtype=torch.long)
    position = count  # start with a fresh shuffle

    def next_batch() -> tuple[torch.Tensor, torch.Tensor]:
        nonlocal order, position
        if position >= count:
            order, position = torch.randperm(count, generator=generator), 0
        chosen = order[position : position + batch_size].to(inputs.device)
        position += batch_size
        return inputs[chosen], targets[chosen]

    return next_batch


def batches_per_epoch(count: int, batch_size: int) -> int:
    """How many batches of ``batch_size`` it takes to see ``count`` examples once (the last may be smaller)."""
    count = validate.whole_number(count, "count", minimum=1)
    batch_size = validate.whole_number(batch_size, "batch_size", minimum=1)
    return -(-count // batch_size)
