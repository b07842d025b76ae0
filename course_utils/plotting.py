"""Plotting with one look across the course: labelled axes, readable sizes, the same colours."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch

from course_utils import validate

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
    for name, value in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        validate.text(value, name, allow_empty=True)
    if figsize is not None:
        validate.number_array(figsize, "figsize", shape=(2,), minimum=0.1, hint="Give it as (width, height) in inches.")
    use_course_style()
    _, axes = plt.subplots(figsize=figsize)
    axes.set(title=title, xlabel=xlabel, ylabel=ylabel)
    return axes


def bare_axes(width: float, height: float, title: str) -> plt.Axes:
    """A fresh figure of ``width`` x ``height`` inches with titled axes, no ticks or frame, and equal scales: for
    pictures drawn as boxes (tokens, bytes, array cells) rather than plotted against axes."""
    use_course_style()
    _, axes = plt.subplots(figsize=(width, height))
    axes.set_title(title)
    axes.set_axis_off()
    axes.set_aspect("equal")
    return axes


def plot_losses(
    train_steps: Sequence[float],
    train_losses: Sequence[float] | None = None,
    eval_steps: Sequence[float] = (),
    eval_losses: Sequence[float] = (),
    *,
    title: str = "Loss during training",
    xlabel: str = "step",
    axes: plt.Axes | None = None,
) -> plt.Axes:
    """Plot a training loss curve, and the held-out loss beside it when given.

    Each argument may be a list, a numpy array or a tensor (such as a :class:`~course_utils.training.History`'s
    fields). A NaN or infinite loss is drawn as a gap (it says the training diverged), never refused.
    """
    if train_losses is None:
        raise TypeError(
            f"plot_losses needs train_steps and train_losses, got only {validate.describe(train_steps)}: for a "
            f"History, pass plot_losses(history.steps, history.losses, history.eval_steps, history.eval_losses)."
        )
    train_steps, train_losses, eval_steps, eval_losses = (
        validate.number_array(value, name, ndim=1, finite=name.endswith("steps"))
        for name, value in (
            ("train_steps", train_steps),
            ("train_losses", train_losses),
            ("eval_steps", eval_steps),
            ("eval_losses", eval_losses),
        )
    )
    if len(train_steps) != len(train_losses) or len(eval_steps) != len(eval_losses):
        raise ValueError(
            f"train_steps and train_losses (and eval_steps and eval_losses) must have one step per loss: got "
            f"{len(train_steps)} train steps for {len(train_losses)} losses and {len(eval_steps)} held-out steps "
            f"for {len(eval_losses)} losses. Did you swap the arguments?"
        )
    if len(train_losses) == 0:
        raise ValueError("train_losses is empty: train first, then plot history.steps and history.losses.")
    axes = axes if axes is not None else new_axes(title, xlabel, "loss")
    axes.plot(train_steps, train_losses, color=COLORS[0], label="training", alpha=0.8)
    if len(eval_losses):
        axes.plot(eval_steps, eval_losses, color=COLORS[1], marker="o", label="held-out")
    axes.legend()
    return axes


def draw_network(
    layer_sizes: Sequence[int],
    *,
    weights: Sequence[np.ndarray] | None = None,
    node_labels: Sequence[Sequence[str]] | None = None,
    layer_names: Sequence[str] | None = None,
    title: str = "",
    axes: plt.Axes | None = None,
) -> plt.Axes:
    """Draw a fully connected network: a column of circles per layer, a line from every neuron to the next layer's.

    ``weights[l]``, if given, is layer ``l``'s weight matrix of shape ``(layer_sizes[l + 1], layer_sizes[l])``
    (row ``i`` feeds neuron ``i``, as in ``torch.nn.Linear``): blue lines are positive weights, red ones
    negative, thicker is larger; on small layers each line carries its number. ``node_labels[l]`` writes
    a text in each circle of layer ``l``.
    """
    if isinstance(layer_sizes, (str, int)) or not isinstance(layer_sizes, Sequence):
        raise TypeError(
            f"layer_sizes must be a list of neuron counts, one per layer, such as [2, 3, 1], got "
            f"{validate.describe(layer_sizes)}."
        )
    sizes = [validate.whole_number(size, "each of layer_sizes", minimum=1) for size in layer_sizes]
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes must give at least two layers (inputs and outputs), got {sizes}.")
    if weights is not None:
        if len(weights) != len(sizes) - 1:
            raise ValueError(f"weights must hold one matrix per pair of layers: {len(sizes) - 1}, got {len(weights)}.")
        weights = [validate.number_array(matrix, f"weights[{index}]") for index, matrix in enumerate(weights)]
        for index, matrix in enumerate(weights):
            if matrix.shape != (sizes[index + 1], sizes[index]):
                raise ValueError(
                    f"weights[{index}] must have shape {(sizes[index + 1], sizes[index])} (one row per neuron of "
                    f"the next layer), got {matrix.shape}."
                )
    if node_labels is not None and [len(labels) for labels in node_labels] != sizes:
        raise ValueError(f"node_labels must give one text per neuron: layer sizes are {sizes}.")
    tallest = max(sizes)
    if axes is None:
        use_course_style()
        _, axes = plt.subplots(figsize=(2.2 * len(sizes) + 1, min(0.45 * tallest + 1.5, 8)))
    # every layer is a column of evenly spaced neurons, centred on the tallest layer's middle
    heights = [(tallest - 1) / 2 + (size - 1) / 2 - np.arange(size) for size in sizes]
    largest = max((np.abs(matrix).max() for matrix in weights), default=1.0) if weights is not None else 1.0
    for layer in range(len(sizes) - 1):
        annotate = weights is not None and sizes[layer] * sizes[layer + 1] <= 16
        for target in range(sizes[layer + 1]):
            for source in range(sizes[layer]):
                start, end = (layer, heights[layer][source]), (layer + 1, heights[layer + 1][target])
                if weights is None:
                    axes.plot(*zip(start, end, strict=True), color="grey", linewidth=0.8, zorder=1)
                    continue
                value = weights[layer][target, source]
                colour = COLORS[0] if value >= 0 else COLORS[3]
                width = 0.5 + 3.0 * abs(value) / (largest or 1.0)
                axes.plot(*zip(start, end, strict=True), color=colour, linewidth=width, alpha=0.7, zorder=1)
                if annotate:
                    # a quarter to half of the way along, where lines from one neuron are still apart; each
                    # target neuron's lines at their own distance, so that crossing lines' numbers do not meet
                    along = 0.2 + 0.4 * target / max(1, sizes[layer + 1] - 1)
                    x = start[0] + along * (end[0] - start[0])
                    y = start[1] + along * (end[1] - start[1])
                    axes.text(
                        x,
                        y,
                        f"{value:.2f}",
                        fontsize=8,
                        color=colour,
                        ha="center",
                        va="center",
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
                        zorder=2,
                    )
    small = tallest > 6  # small circles: the first and last layers' texts go beside them, not inside
    for layer, column in enumerate(heights):
        axes.scatter(
            np.full(len(column), layer), column, s=300 if small else 900, c="white", edgecolors="black", zorder=3
        )
        if node_labels is not None:
            for y, text in zip(column, node_labels[layer], strict=True):
                if small and layer == 0:
                    axes.text(layer - 0.1, y, text, ha="right", va="center", fontsize=10, zorder=4)
                elif small and layer == len(sizes) - 1:
                    axes.text(layer + 0.1, y, text, ha="left", va="center", fontsize=10, zorder=4)
                else:
                    axes.text(layer, y, text, ha="center", va="center", fontsize=9, zorder=4)
    if layer_names is not None:
        for layer, name in enumerate(layer_names):
            axes.text(layer, -0.9, name, ha="center", va="top", fontsize=11)
    axes.set_xlim(-0.7, len(sizes) - 0.3)
    axes.set_ylim(-1.5, tallest - 0.4)
    axes.set_title(title)
    axes.axis("off")
    return axes


def plot_matrices(
    matrices: Sequence[np.ndarray],
    titles: Sequence[str],
    operators: Sequence[str] = (),
    *,
    decimals: int | Sequence[int] = 1,
) -> plt.Figure:
    """Draw matrices side by side as coloured grids with their numbers, e.g. ``W``, ``x`` and ``W @ x``.

    A 1-D array is drawn as a column (a vector). ``operators`` are the symbols written between neighbours
    (``["@", "="]``). Blue is positive and red negative; each matrix has its own colour scale, so that small
    weights beside large inputs still show their pattern. ``decimals`` is how many decimals to print: one
    number for all the matrices, or one per matrix.
    """
    if isinstance(matrices, (np.ndarray, torch.Tensor)) or not isinstance(matrices, Sequence):
        raise TypeError(
            f"matrices must be a list of matrices, such as [W, x, W @ x], got {validate.describe(matrices)}: "
            f"for one matrix, pass [matrix]."
        )
    grids = [
        validate.number_array(matrix, f"matrices[{index}]", ndim=(1, 2), min_size=1)
        for index, matrix in enumerate(matrices)
    ]
    grids = [grid[:, None] if grid.ndim == 1 else grid for grid in grids]
    if not grids:
        raise ValueError("matrices is empty: give one or more matrices (2-D) or vectors (1-D) to draw.")
    if isinstance(titles, str) or any(not isinstance(title, str) for title in titles):
        raise TypeError(f"titles must be a list of strings, one per matrix, got {validate.describe(titles)}.")
    if len(titles) != len(grids):
        raise ValueError(f"titles must give one title per matrix: {len(grids)} matrices, {len(titles)} titles.")
    decimals = (
        [decimals] * len(grids)
        if isinstance(decimals, (int, np.integer)) or not isinstance(decimals, Sequence)
        else list(decimals)
    )
    decimals = [validate.whole_number(places, "decimals", minimum=0, maximum=10) for places in decimals]
    if len(decimals) != len(grids):
        raise ValueError(f"decimals must be one number, or one per matrix: {len(grids)} matrices, {len(decimals)}.")
    if operators and len(operators) != len(grids) - 1:
        raise ValueError(
            f"operators must give one symbol between each pair of matrices: {len(grids) - 1} for {len(grids)} "
            f"matrices, got {len(operators)}."
        )
    use_course_style()
    widths = [grid.shape[1] + 0.6 for grid in grids]
    height = max(grid.shape[0] for grid in grids)
    figure, all_axes = plt.subplots(
        1,
        len(grids),
        figsize=(0.55 * sum(widths) + 1.2 * len(grids), 0.5 * height + 1.3),
        gridspec_kw={"width_ratios": widths},
        squeeze=False,
    )
    for axes, grid, title, places in zip(all_axes[0], grids, titles, decimals, strict=True):
        scale = float(np.abs(grid).max()) or 1.0
        axes.imshow(grid, cmap="RdBu", vmin=-1.6 * scale, vmax=1.6 * scale)  # 1.6: pale enough to read the numbers
        if grid.size <= 100:
            for (row, column), value in np.ndenumerate(grid):
                axes.text(column, row, f"{value:.{places}f}", ha="center", va="center", fontsize=8)
        axes.set_title(title, fontsize=10)
        axes.set_xticks([])
        axes.set_yticks([])
        axes.grid(False)
    figure.tight_layout()
    for index, symbol in enumerate(operators):
        left, right = all_axes[0][index].get_position(), all_axes[0][index + 1].get_position()
        figure.text((left.x1 + right.x0) / 2, 0.5 * (left.y0 + left.y1), symbol, ha="center", va="center", fontsize=16)
    return figure
