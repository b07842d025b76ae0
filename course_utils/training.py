"""Training: one step of gradient descent, and the loop that repeats it while keeping score.

Chapter 01 teaches the step by hand and chapter 02 in torch (exercise ``ch02.train_step``); later chapters
train every model with :func:`train`.
"""

from __future__ import annotations

import math
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


# --------------------------------------------------------------------------------------------------------------
# Chapter 10: training a GPT. One step over every position of a batch of windows, the optimiser nanoGPT uses
# (AdamW, weight decay on the 2-D weights only), and a learning rate that warms up and then decays on a cosine.


def training_step(
    model: torch.nn.Module, optimizer: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor, clip: float = 1.0
) -> float:
    """One step of training a GPT: predict, measure, find the gradients, clip them, nudge the weights.

    ``x`` and ``y`` are (B, T) token ids, ``y`` being ``x`` shifted one to the left (as
    :func:`course_utils.text.random_windows` makes them); ``model(x)`` gives logits (B, T, V). The loss is the
    cross-entropy of every position's prediction, averaged over all B * T of them. Before the step, the gradients
    are scaled down together so that their overall length (norm) is at most ``clip`` (``clip_grad_norm_``): one
    unlucky batch cannot throw the weights far. Returns the loss from before the step, as a Python float.
    This is exercise ``ch10.training_step``; the chapter's loop and ``python -m course_utils.trainer`` call it
    (as :func:`gpt_training_step`).
    """
    validate.optimizer(optimizer, "optimizer", model=model)
    clip = validate.real_number(clip, "clip", above=0.0, hint="1.0 is usual.")
    for name, value in (("x", x), ("y", y)):
        validate.token_ids(value, name, ndim=2, check_range=False, hint="Use random_windows(ids, context, ...).")
        if not isinstance(value, torch.Tensor):
            raise TypeError(f"{name} must be a tensor of token ids, got {validate.describe(value)}.")
    if x.shape != y.shape:
        raise ValueError(
            f"x {tuple(x.shape)} and y {tuple(y.shape)} must have the same shape: y is x shifted one to the left, "
            f"a target at every position."
        )
    optimizer.zero_grad(set_to_none=True)  # gradients add up in .grad: clear the last step's
    logits = model(x)  # (B, T, V)
    loss = torch.nn.functional.cross_entropy(logits.flatten(0, 1), y.flatten())  # every position counts
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
    optimizer.step()
    return loss.item()


gpt_training_step = training_step
"""The name later chapters and the trainer use for :func:`training_step` (``train_step`` is chapter 02's)."""


def adamw_for_gpt(
    model: torch.nn.Module,
    lr: float,
    weight_decay: float = 0.1,
    betas: tuple[float, float] = (0.9, 0.99),
    *,
    fused: bool = False,
) -> torch.optim.AdamW:
    """AdamW that decays only the 2-D weights (matrices and embeddings), never biases or layer norms' scales.

    Weight decay pulls every weight a little towards 0 at each step; for a matrix that keeps it from relying on
    a few huge weights, but a layer norm's scale pulled to 0 would switch its layer off. nanoGPT does the same.
    ``fused=True``: torch's one-kernel update of every weight (chapter 11; where the device supports it).
    """
    lr, weight_decay, betas = _optimizer_settings(model, lr, weight_decay, betas)
    # None, not False, leaves torch free to pick its usual (foreach) update
    fused_or_default = True if fused else None
    return _adamw_decaying_matrices(list(model.parameters()), lr, weight_decay, betas, fused_or_default)


def _optimizer_settings(
    model: torch.nn.Module, lr: float, weight_decay: float, betas: tuple[float, float]
) -> tuple[float, float, tuple[float, float]]:
    """The checked ``lr``, ``weight_decay`` and ``betas`` of an optimiser for ``model``."""
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {validate.describe(model)}.")
    lr = validate.real_number(lr, "lr", above=0.0, hint="1e-3 is a good start for a small GPT.")
    weight_decay = validate.real_number(weight_decay, "weight_decay", minimum=0.0)
    if not isinstance(betas, tuple | list) or len(betas) != 2:
        raise TypeError(f"betas must be a pair of numbers such as (0.9, 0.99), got {validate.describe(betas)}.")
    betas = tuple(validate.real_number(b, "betas", minimum=0.0, below=1.0) for b in betas)
    return lr, weight_decay, betas


def _adamw_decaying_matrices(
    parameters: list[torch.nn.Parameter],
    lr: float,
    weight_decay: float,
    betas: tuple[float, float],
    fused: bool | None = None,
) -> torch.optim.AdamW:
    """AdamW over ``parameters``, with weight decay on the 2-D ones only (``fused``: torch's one-kernel update)."""
    decay = [p for p in parameters if p.requires_grad and p.ndim >= 2]
    no_decay = [p for p in parameters if p.requires_grad and p.ndim < 2]
    return torch.optim.AdamW(
        [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=lr,
        betas=betas,
        fused=fused,
    )


def newton_schulz(matrix: torch.Tensor, steps: int = 5) -> torch.Tensor:
    """``matrix`` with its singular values pushed to about 1: the step direction Muon takes (Newton-Schulz).

    A matrix maps directions to directions, each stretched by one of its singular values. A gradient's
    singular values are very uneven: a few directions dominate. This iteration keeps the directions and brings
    the stretches close to 1 (most between about 0.7 and 1.2; one that starts thousands of times smaller than
    the largest ends lower: Muon's quintic is tuned for speed over exactness), using matrix products only,
    which any device does fast: ``x <- a x + (b G + c G^2) x`` with ``G = x x^T``.
    """
    if not isinstance(matrix, torch.Tensor):
        raise TypeError(f"matrix must be a 2-D torch tensor, got {validate.describe(matrix)}: use torch.tensor(...).")
    if matrix.ndim != 2 or matrix.numel() == 0:
        raise ValueError(
            f"matrix must be a 2-D tensor with at least one row and one column, got {validate.describe(matrix)} "
            f"(one weight matrix's gradient, such as model.h[0].mlp.c_fc.weight.grad)."
        )
    if matrix.is_floating_point() and not torch.isfinite(matrix).all():
        raise ValueError(
            "matrix holds NaN or infinite values, and every entry of the result would be NaN: the gradient has "
            "blown up. Lower the learning rate or clip the gradients before the step."
        )
    steps = validate.whole_number(steps, "steps", minimum=1)
    a, b, c = 3.4445, -4.7750, 2.0315  # Muon's coefficients (torch.optim.Muon's defaults)
    x = matrix.float()
    x = x / (x.norm() + 1e-7)  # every singular value now at most 1, where the iteration works
    tall = x.shape[0] > x.shape[1]
    if tall:
        x = x.T  # work on the wide side: G is then the smaller of the two products
    for _ in range(steps):
        gram = x @ x.T
        x = a * x + (b * gram + c * gram @ gram) @ x
    return x.T if tall else x


class MuonWithAdamW(torch.optim.Optimizer):
    """Muon for the linear layers' matrices, AdamW for the rest (embeddings, layer norms, biases): one optimiser.

    Made by :func:`muon_for_gpt`. It holds a ``torch.optim.Muon`` and a ``torch.optim.AdamW`` and steps both;
    its ``param_groups`` are their groups (the same dicts), so setting a group's ``"lr"`` reaches the optimiser
    that uses it, and its ``state_dict`` holds both states (a checkpoint resumes both).
    """

    def __init__(self, muon: torch.optim.Muon, adamw: torch.optim.AdamW) -> None:
        self.muon, self.adamw = muon, adamw
        # the base class keeps the groups it is given (the very dicts), so one zero_grad or lr change reaches both
        super().__init__([*muon.param_groups, *adamw.param_groups], defaults={})

    @torch.no_grad()
    def step(self, closure: Callable[[], torch.Tensor] | None = None) -> torch.Tensor | None:
        """One step of both optimisers (``closure``, if given, recomputes the loss first, as for any optimiser)."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        self.muon.step()
        self.adamw.step()
        return loss

    def state_dict(self) -> dict:
        """Both optimisers' states: ``{"muon": ..., "adamw": ...}``."""
        return {"muon": self.muon.state_dict(), "adamw": self.adamw.state_dict()}

    def load_state_dict(self, state_dict: dict) -> None:
        """Load what :meth:`state_dict` returned (a plain AdamW's state is refused, saying so)."""
        if not isinstance(state_dict, dict) or set(state_dict) != {"muon", "adamw"}:
            raise ValueError(
                "state_dict is not a Muon-with-AdamW optimiser's state (it needs the keys 'muon' and 'adamw'): it was "
                "saved by another optimiser, such as plain AdamW. Resume with the settings the run started with."
            )
        self.muon.load_state_dict(state_dict["muon"])
        self.adamw.load_state_dict(state_dict["adamw"])
        # loading gives each optimiser new group dicts: share them again, or a new lr would miss them
        self.param_groups = [*self.muon.param_groups, *self.adamw.param_groups]


def muon_for_gpt(
    model: torch.nn.Module,
    lr: float,
    weight_decay: float = 0.1,
    betas: tuple[float, float] = (0.9, 0.99),
) -> MuonWithAdamW:
    """Muon for the matrices of the model's ``nn.Linear`` layers, AdamW (:func:`adamw_for_gpt`'s rules) for the
    embeddings (the tied unembedding with them), layer norms and biases. Both at learning rate ``lr``; ``betas``
    are AdamW's (Muon keeps its own momentum, 0.95, with Nesterov, and five Newton-Schulz iterations).

    Adam moves every weight by about the same amount, each on its own. Muon moves a whole matrix: it takes the
    step's direction (the running average of the gradient, as a matrix) and makes it orthogonal with a few
    Newton-Schulz iterations, so that the step is as large in every direction the matrix can map, rather than
    large in the one or two directions that dominate the gradient. On a small GPT it reaches a given loss in
    about half the steps of AdamW (chapter 10, section 10.11). Its step is scaled to the size of an AdamW
    step (``adjust_lr_fn="match_rms_adamw"``), so the same learning rate suits both. Muon is for matrices inside
    the network; embeddings and the output layer stay with AdamW, as its authors advise.
    """
    lr, weight_decay, betas = _optimizer_settings(model, lr, weight_decay, betas)
    embeddings = {id(m.weight) for m in model.modules() if isinstance(m, torch.nn.Embedding)}
    matrices = {
        id(m.weight): m.weight
        for m in model.modules()
        if isinstance(m, torch.nn.Linear) and m.weight.requires_grad and id(m.weight) not in embeddings
    }
    if not matrices:
        raise ValueError(
            "model has no nn.Linear layer of its own for Muon to train (Muon is for matrices inside the "
            "network): use adamw_for_gpt(model, lr) instead."
        )
    others = [p for p in model.parameters() if p.requires_grad and id(p) not in matrices]  # a tied weight once
    # Muon's own defaults: momentum 0.95 with Nesterov, five Newton-Schulz iterations
    muon = torch.optim.Muon(list(matrices.values()), lr=lr, weight_decay=weight_decay, adjust_lr_fn="match_rms_adamw")
    return MuonWithAdamW(muon, _adamw_decaying_matrices(others, lr, weight_decay, betas))


def warmup_cosine_lr(step: int, *, peak_lr: float, min_lr: float, warmup_steps: int, decay_steps: int) -> float:
    """The learning rate at ``step`` (counted from 0): a linear warm-up to ``peak_lr`` over ``warmup_steps``,
    then half a cosine down to ``min_lr`` at ``decay_steps``, and ``min_lr`` after that (nanoGPT's schedule).

    Early on the weights are random and the gradients large and noisy, so small steps first; at the end, small
    steps again, to settle into a minimum rather than bounce around it.
    """
    step = validate.whole_number(step, "step", minimum=0)
    peak_lr = validate.real_number(peak_lr, "peak_lr", above=0.0)
    min_lr = validate.real_number(min_lr, "min_lr", minimum=0.0, maximum=peak_lr, hint="At most peak_lr.")
    warmup_steps = validate.whole_number(warmup_steps, "warmup_steps", minimum=0)
    decay_steps = validate.whole_number(decay_steps, "decay_steps", minimum=warmup_steps + 1, hint="After warm-up.")
    if step < warmup_steps:
        return peak_lr * (step + 1) / (warmup_steps + 1)
    if step >= decay_steps:
        return min_lr
    progress = (step - warmup_steps) / (decay_steps - warmup_steps)  # 0 -> 1
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * progress)) * (peak_lr - min_lr)


def set_learning_rate(optimizer: torch.optim.Optimizer, lr: float) -> None:
    """Set every parameter group of ``optimizer`` to learning rate ``lr``."""
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(f"optimizer must be a torch.optim optimizer, got {validate.describe(optimizer)}.")
    lr = validate.real_number(lr, "lr", minimum=0.0)
    for group in optimizer.param_groups:
        group["lr"] = lr


def heldout_windows(ids: torch.Tensor, context: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``ids`` (1-D) cut into windows of ``context`` that do not overlap, with their targets: (N, context) each.

    Every id but the last is predicted once, so the mean loss over these windows is the loss on the whole text.
    """
    if not isinstance(ids, torch.Tensor):
        raise TypeError(f"ids must be a 1-D tensor of token ids, got {validate.describe(ids)}.")
    validate.token_ids(ids, "ids", ndim=1)
    context = validate.whole_number(context, "context", minimum=1)
    count = (len(ids) - 1) // context
    if count < 1:
        raise ValueError(
            f"ids holds {len(ids)} ids, too few for one window of context = {context} and its targets: use a longer "
            f"text or a shorter context."
        )
    inputs = ids[: count * context].view(count, context)
    targets = ids[1 : count * context + 1].view(count, context)
    return inputs, targets


@torch.no_grad()
def mean_loss(model: torch.nn.Module, inputs: torch.Tensor, targets: torch.Tensor, batch_size: int = 64) -> float:
    """The mean next-token cross-entropy of ``model`` over every position of ``inputs`` (N, T) against
    ``targets`` (N, T), in batches, in eval mode (the model's mode is restored after)."""
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {validate.describe(model)}.")
    for name, value in (("inputs", inputs), ("targets", targets)):
        if not isinstance(value, torch.Tensor):
            raise TypeError(f"{name} must be a tensor of token ids, got {validate.describe(value)}.")
        validate.token_ids(value, name, ndim=2, min_length=1)
    if inputs.shape != targets.shape or len(inputs) == 0:
        raise ValueError(
            f"inputs {tuple(inputs.shape)} and targets {tuple(targets.shape)} must have the same, non-empty shape: "
            f"make them with heldout_windows(ids, context)."
        )
    batch_size = validate.whole_number(batch_size, "batch_size", minimum=1)
    was_training = model.training
    model.eval()
    total = 0.0
    try:
        for start in range(0, len(inputs), batch_size):
            x, y = inputs[start : start + batch_size], targets[start : start + batch_size]
            logits = model(x)
            total += torch.nn.functional.cross_entropy(logits.flatten(0, 1), y.flatten(), reduction="sum").item()
    finally:
        model.train(was_training)
    return total / inputs.numel()
