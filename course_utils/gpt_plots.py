"""Pictures of a whole GPT: the shapes of one forward pass, and a loss curve that grows while it trains."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import torch
from IPython.display import display

from course_utils import validate
from course_utils.gpt import GPT
from course_utils.plotting import COLORS, bare_axes, new_axes


def trace_shapes(model: GPT, ids: torch.Tensor) -> list[tuple[str, tuple[int, ...]]]:
    """The steps of ``model``'s forward pass on ``ids`` (B, T), each with the shape of what it gives.

    Recorded with forward hooks on the model's own parts (the embeddings, each block, ``ln_f``, ``lm_head``), so
    the shapes are the ones the model really computes, not ones written down beside it.
    """
    if not isinstance(model, GPT):
        raise TypeError(f"model must be a course_utils GPT, got {validate.describe(model)}.")
    if not isinstance(ids, torch.Tensor):
        raise TypeError(f"ids must be a (B, T) tensor of token ids, got {validate.describe(ids)}.")
    steps: list[tuple[str, tuple[int, ...]]] = [("ids", tuple(ids.shape))]
    parts = [("wte: token embedding", model.wte), ("wpe: position embedding", model.wpe)]
    parts += [(f"block {i}", block) for i, block in enumerate(model.h)]
    parts += [("ln_f: final layer norm", model.ln_f), ("lm_head: unembedding", model.lm_head)]
    handles = [
        module.register_forward_hook(lambda _m, _i, out, name=name: steps.append((name, tuple(out.shape))))
        for name, module in parts
    ]
    try:
        with torch.no_grad():
            model(ids)
    finally:
        for handle in handles:
            handle.remove()
    return steps


def plot_shape_trace(steps: Sequence[tuple[str, tuple[int, ...]]], title: str = "One forward pass") -> plt.Axes:
    """Draw the steps of :func:`trace_shapes` top to bottom, one box each, with the shape it gives."""
    if not steps or not all(isinstance(s, tuple) and len(s) == 2 for s in steps):
        raise TypeError(
            f"steps must be a list of (name, shape) pairs from trace_shapes, got {validate.describe(steps)}."
        )
    height = 0.9 * len(steps) + 0.4
    axes = bare_axes(7.5, height, title)
    for row, (name, shape) in enumerate(steps):
        y = -row * 0.9
        color = COLORS[0] if name.startswith("block") else COLORS[1] if name.startswith(("wte", "wpe")) else COLORS[2]
        axes.add_patch(plt.Rectangle((0, y - 0.3), 4.2, 0.6, facecolor=color, alpha=0.25, edgecolor=color))
        axes.text(0.15, y, name, va="center", fontsize=11)
        axes.text(4.5, y, "(" + ", ".join(str(n) for n in shape) + ")", va="center", fontsize=11, family="monospace")
        if row + 1 < len(steps):
            axes.annotate("", (2.1, y - 0.6), (2.1, y - 0.3), arrowprops={"arrowstyle": "->", "color": "0.4"})
    axes.set_xlim(-0.1, 7.4)
    axes.set_ylim(-(len(steps) - 1) * 0.9 - 0.5, 0.5)
    return axes


class LiveLossPlot:
    """A loss figure that redraws in place in a notebook while a model trains (call :meth:`update` with the
    steps and losses so far); outside a notebook it just draws the last state."""

    def __init__(self, title: str = "Training a GPT on Shakespeare", reference: dict[str, float] | None = None) -> None:
        validate.text(title, "title")
        if reference is not None and not isinstance(reference, dict):
            raise TypeError(f"reference must be a dict of label -> loss, got {validate.describe(reference)}.")
        self.reference = dict(reference or {})
        self.axes = new_axes(title, "step", "loss (nats per character)")
        self.figure = self.axes.figure
        plt.close(self.figure)  # shown through the display handle only, not again at the end of the cell
        self.handle = display(self.figure, display_id=True)

    def update(
        self,
        steps: Sequence[int],
        losses: Sequence[float],
        eval_steps: Sequence[int],
        eval_losses: Sequence[float],
    ) -> None:
        """Redraw with the training losses and the held-out losses measured so far."""
        axes = self.axes
        title = axes.get_title()
        axes.clear()
        axes.set(title=title, xlabel="step", ylabel="loss (nats per character)")
        if len(steps):
            axes.plot(steps, losses, color=COLORS[0], alpha=0.6, label="training batch")
        if len(eval_steps):
            axes.plot(eval_steps, eval_losses, color=COLORS[1], marker="o", label="held-out plays")
        for index, (label, value) in enumerate(self.reference.items()):
            axes.axhline(value, color=COLORS[3 + index % 3], linestyle="--", linewidth=1, label=label)
        axes.legend()
        if self.handle is not None:
            self.handle.update(self.figure)
