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


def train_step(
    model: torch.nn.Module,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    inputs: torch.Tensor,
    targets: torch.Tensor,
) -> float:
    """One step of training: predict, measure the loss, find its gradients, nudge the weights.

    Returns the loss before the step, as a plain number.
    """
    optimizer.zero_grad()  # gradients add up in .grad: clear the last step's
    loss = loss_fn(model(inputs), targets)
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
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}.")
    if evaluate is not None and eval_every < 1:
        raise ValueError(f"With evaluate, eval_every must be at least 1, got {eval_every}.")
    history = History()
    start = time.perf_counter()
    model.train()
    bar = tqdm(range(1, steps + 1), desc="training", disable=not progress)
    for step in bar:
        inputs, targets = next_batch()
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
