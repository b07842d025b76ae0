"""Pictures of a transformer block: its wiring, pre-norm (GPT-2) or post-norm (the original transformer).

Chapter 09 draws both to compare them; the residual stream is the vertical line that runs through the block.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from course_utils.plotting import COLORS, use_course_style

_STREAM_X = 0.0  # where the residual stream runs
_PART_X = 1.6  # where the layer norms and the two parts sit


def _box(axes: plt.Axes, x: float, y: float, text: str, color: str, width: float = 1.3) -> None:
    axes.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - 0.28), width, 0.56, boxstyle="round,pad=0.04", facecolor=color, edgecolor="black",
            alpha=0.9, linewidth=1.0,
        )
    )  # fmt: skip
    axes.text(x, y, text, ha="center", va="center", fontsize=10)


def _arrow(axes: plt.Axes, start: tuple[float, float], end: tuple[float, float], style: str = "-|>") -> None:
    axes.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=12, linewidth=1.4, color="black"))


def _plus(axes: plt.Axes, y: float) -> None:
    axes.add_patch(plt.Circle((_STREAM_X, y), 0.2, facecolor="white", edgecolor="black", linewidth=1.4, zorder=3))
    axes.text(_STREAM_X, y, "+", ha="center", va="center", fontsize=13, zorder=4)


def draw_block(norm: str = "pre", axes: plt.Axes | None = None) -> plt.Axes:
    """Draw one block's wiring, from the input at the bottom to the output at the top.

    ``norm="pre"`` (GPT-2, the course's :class:`~course_utils.gpt.Block`): each part reads a layer-normalised copy
    of the stream, and its output is added to the stream, which is never normalised itself. ``norm="post"`` (the
    original transformer of 2017): each part reads the stream, its output is added, and the sum is normalised.
    """
    if norm not in ("pre", "post"):
        raise ValueError(f'norm must be "pre" (GPT-2) or "post" (the original transformer), got {norm!r}.')
    use_course_style()
    if axes is None:
        _, axes = plt.subplots(figsize=(4.2, 6.4))
    ln_color, attn_color, mlp_color = "#e8e8e8", COLORS[0] + "55", COLORS[1] + "55"
    y = 0.0
    axes.text(_STREAM_X, y - 0.35, "x (B, T, C)", ha="center", va="top", fontsize=10)
    for part, ln_name, color, base in (
        ("attention", "ln_1", attn_color, 0.6),
        ("MLP", "ln_2", mlp_color, 3.6),
    ):
        plus_y = base + 2.2
        if norm == "pre":
            # the branch leaves the stream, is normalised, goes through the part and comes back to the plus
            _arrow(axes, (_STREAM_X, base - 0.6), (_STREAM_X, plus_y - 0.2))
            axes.plot([_STREAM_X, _PART_X], [base - 0.1, base - 0.1], color="black", linewidth=1.4)
            _arrow(axes, (_PART_X, base - 0.1), (_PART_X, base + 0.22))
            _box(axes, _PART_X, base + 0.5, ln_name, ln_color)
            _arrow(axes, (_PART_X, base + 0.78), (_PART_X, base + 1.12))
            _box(axes, _PART_X, base + 1.4, part, color)
            axes.plot([_PART_X, _PART_X], [base + 1.68, plus_y], color="black", linewidth=1.4)
            _arrow(axes, (_PART_X, plus_y), (_STREAM_X + 0.2, plus_y))
            _plus(axes, plus_y)
        else:
            _arrow(axes, (_STREAM_X, base - 0.6), (_STREAM_X, plus_y - 0.6))
            axes.plot([_STREAM_X, _PART_X], [base - 0.1, base - 0.1], color="black", linewidth=1.4)
            _arrow(axes, (_PART_X, base - 0.1), (_PART_X, base + 0.52))
            _box(axes, _PART_X, base + 0.8, part, color)
            axes.plot([_PART_X, _PART_X], [base + 1.08, plus_y - 0.4], color="black", linewidth=1.4)
            _arrow(axes, (_PART_X, plus_y - 0.4), (_STREAM_X + 0.2, plus_y - 0.4))
            _plus(axes, plus_y - 0.4)
            _arrow(axes, (_STREAM_X, plus_y - 0.2), (_STREAM_X, plus_y + 0.02))
            _box(axes, _STREAM_X, plus_y + 0.3, ln_name, ln_color, width=0.9)
    _arrow(axes, (_STREAM_X, 6.0 if norm == "pre" else 6.1), (_STREAM_X, 6.6))
    axes.text(_STREAM_X, 6.7, "output (B, T, C)", ha="center", va="bottom", fontsize=10)
    axes.text(_STREAM_X - 0.6, 3.0, "residual stream", rotation=90, ha="right", va="center", fontsize=9, color="grey")
    title = "pre-norm (GPT-2): x + part(ln(x))" if norm == "pre" else "post-norm (2017): ln(x + part(x))"
    axes.set_title(title, fontsize=11)
    axes.set_xlim(-1.0, 2.6)
    axes.set_ylim(-0.9, 7.3)
    axes.set_aspect("equal")
    axes.axis("off")
    return axes
