"""Plotting with one look across the course: labelled axes, readable sizes, the same colours."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt

COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
_STYLE = {
    "figure.figsize": (7, 4),
    "figure.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
}


def use_course_style() -> None:
    """Apply the course's plotting style to every figure drawn after this call."""
    plt.rcParams.update(_STYLE)


def new_axes(title: str, xlabel: str, ylabel: str, figsize: tuple[float, float] | None = None) -> plt.Axes:
    """A fresh figure with one set of axes, titled and labelled (every course plot has labelled axes)."""
    use_course_style()
    _, axes = plt.subplots(figsize=figsize)
    axes.set(title=title, xlabel=xlabel, ylabel=ylabel)
    return axes


def plot_losses(
    train_steps: Sequence[float],
    train_losses: Sequence[float],
    eval_steps: Sequence[float] = (),
    eval_losses: Sequence[float] = (),
    *,
    title: str = "Loss during training",
    xlabel: str = "step",
    axes: plt.Axes | None = None,
) -> plt.Axes:
    """Plot a training loss curve, and the held-out loss beside it when given."""
    if len(train_steps) != len(train_losses) or len(eval_steps) != len(eval_losses):
        raise ValueError(
            f"Each loss needs its step: got {len(train_steps)} train steps for {len(train_losses)} losses and "
            f"{len(eval_steps)} held-out steps for {len(eval_losses)} losses."
        )
    axes = axes if axes is not None else new_axes(title, xlabel, "loss")
    axes.plot(train_steps, train_losses, color=COLORS[0], label="training", alpha=0.8)
    if eval_losses:
        axes.plot(eval_steps, eval_losses, color=COLORS[1], marker="o", label="held-out")
    axes.legend()
    return axes
