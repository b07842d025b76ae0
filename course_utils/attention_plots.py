"""Pictures of attention: weights as heat maps over tokens, the heads of a layer side by side, the reshape that
splits a vector into heads, and a widget to explore where each head of a trained GPT looks.

Chapter 08 draws them for the tour's model; chapter 12 draws cross-attention with :func:`plot_attention`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.colors import to_rgba

from course_utils.display import visible_token
from course_utils.plotting import COLORS, use_course_style


def _as_array(weights: torch.Tensor | np.ndarray) -> np.ndarray:
    return weights.detach().cpu().numpy() if isinstance(weights, torch.Tensor) else np.asarray(weights)


def plot_attention(
    weights: torch.Tensor | np.ndarray,
    query_tokens: Sequence[str],
    key_tokens: Sequence[str] | None = None,
    *,
    title: str = "attention weights",
    axes: plt.Axes | None = None,
    numbers: bool | None = None,
) -> plt.Axes:
    """A (T_q, T_k) table of weights as a heat map: row i is query token i, column j key token j.

    Darker is more weight. ``numbers`` writes each weight in its cell (default: when the table is small).
    """
    grid = _as_array(weights)
    key_tokens = query_tokens if key_tokens is None else key_tokens
    if grid.ndim != 2 or grid.shape != (len(query_tokens), len(key_tokens)):
        raise ValueError(
            f"weights of shape {grid.shape} do not match {len(query_tokens)} query and {len(key_tokens)} key tokens: "
            f"give one (T_q, T_k) table, e.g. the weights of one head, maps[layer, head]."
        )
    use_course_style()
    if axes is None:
        size = 0.42 * max(len(key_tokens), 6) + 1.5
        _, axes = plt.subplots(figsize=(size, 0.42 * max(len(query_tokens), 6) + 1.2))
    axes.imshow(grid, cmap="Blues", vmin=0.0, vmax=1.0)
    axes.set_xticks(range(len(key_tokens)), [visible_token(t) for t in key_tokens], rotation=90, fontsize=9)
    axes.set_yticks(range(len(query_tokens)), [visible_token(t) for t in query_tokens], fontsize=9)
    axes.set_xlabel("key: the token looked at")
    axes.set_ylabel("query: the token looking")
    axes.set_title(title, fontsize=11)
    axes.grid(False)
    if numbers or (numbers is None and grid.size <= 64):
        for (row, column), value in np.ndenumerate(grid):
            color = "white" if value > 0.6 else "black"
            axes.text(column, row, f"{value:.2f}", ha="center", va="center", fontsize=7, color=color)
    return axes


def plot_heads(maps: torch.Tensor | np.ndarray, tokens: Sequence[str], layer: int) -> plt.Figure:
    """Every head of one layer side by side: ``maps`` is (n_layer, n_head, T, T), from ``gpt_attention_maps``."""
    grid = _as_array(maps)
    if grid.ndim != 4 or not 0 <= layer < grid.shape[0]:
        raise ValueError(f"maps must be (n_layer, n_head, T, T) and layer one of 0..{grid.shape[0] - 1}, got {layer}.")
    n_head = grid.shape[1]
    use_course_style()
    size = 0.3 * len(tokens) + 1.2
    figure, all_axes = plt.subplots(1, n_head, figsize=(size * n_head, size + 0.8), squeeze=False)
    for head, axes in enumerate(all_axes[0]):
        plot_attention(grid[layer, head], tokens, title=f"layer {layer}, head {head}", axes=axes, numbers=False)
        if head:
            axes.set_ylabel("")
            axes.set_yticklabels([])
    figure.tight_layout()
    return figure


def plot_head_split(T: int = 3, C: int = 8, n_head: int = 2, *, transpose: bool = True) -> plt.Figure:
    """The reshape that splits (T, C) into heads, as a picture of where every number goes.

    With ``transpose`` (GPT-2's way): ``view(T, n_head, d_head).transpose(0, 1)`` -> (n_head, T, d_head). Without
    it, the mistake ``view(n_head, T, d_head)``, which cuts the same numbers in memory order. Each cell is
    labelled with the token it belongs to and its place in that token's vector (``t1 c5``); its colour is the
    head that its place belongs to. (The batch dimension is left out: it is carried along unchanged.)
    """
    if C % n_head:
        raise ValueError(f"n_head ({n_head}) must divide C ({C}).")
    d_head = C // n_head
    use_course_style()
    widths = [C] + [d_head] * n_head
    figure, all_axes = plt.subplots(
        1, 1 + n_head, figsize=(0.62 * (C + d_head * n_head) + 2.0, 0.6 * T + 1.4), gridspec_kw={"width_ratios": widths}
    )

    def draw(axes: plt.Axes, cells: list[list[tuple[int, int]]], title: str) -> None:
        axes.imshow(np.array([[to_rgba(COLORS[c // d_head], 0.35) for _, c in row] for row in cells]))
        for row, row_cells in enumerate(cells):
            for position, (t, c) in enumerate(row_cells):
                axes.text(position, row, f"t{t}\nc{c}", ha="center", va="center", fontsize=7)
        axes.set_xticks(range(len(cells[0])), [str(i) for i in range(len(cells[0]))], fontsize=8)
        axes.set_yticks(range(T), [f"row {t}" for t in range(T)], fontsize=8)
        axes.set_title(title, fontsize=10)
        axes.grid(False)

    draw(all_axes[0], [[(t, c) for c in range(C)] for t in range(T)], f"q: (T, C) = ({T}, {C})")
    for head in range(n_head):
        if transpose:
            cells = [[(t, c) for c in range(head * d_head, (head + 1) * d_head)] for t in range(T)]
        else:  # number k of head h's block is number h * T * d_head + k of the (T, C) table in memory order
            flat = [head * T * d_head + k for k in range(T * d_head)]
            cells = [[divmod(f, C) for f in flat[row * d_head : (row + 1) * d_head]] for row in range(T)]
        draw(all_axes[1 + head], cells, f"head {head}: ({T}, {d_head})")
        all_axes[1 + head].set_yticklabels([])
    how = f"view(T, {n_head}, {d_head}).transpose(0, 1)" if transpose else f"view({n_head}, T, {d_head}), no transpose"
    result = (
        f"each head gets every token, and {d_head} of its {C} numbers"
        if transpose
        else "a head gets pieces of different tokens: wrong"
    )
    figure.suptitle(f"{how}: {result}", fontsize=11)
    figure.tight_layout()
    return figure


def attention_row_html(tokens: Sequence[str], weights: Sequence[float], query: int) -> str:
    """The tokens of a text, each shaded by how much the token ``query`` takes from it, with the weight under it.

    The query token is outlined; tokens after it (the future, weight 0) are grey.
    """
    weights = [float(w) for w in weights]
    if len(weights) != len(tokens) or not 0 <= query < len(tokens):
        raise ValueError(f"need one weight per token ({len(tokens)}) and a query in 0..{len(tokens) - 1}, got {query}.")
    boxes = []
    for index, (token, weight) in enumerate(zip(tokens, weights, strict=True)):
        future = index > query
        background = "#eeeeee" if future else f"rgba(31,119,180,{0.08 + 0.92 * weight:.3f})"
        color = "#999" if future else ("white" if weight > 0.5 else "black")
        border = "2px solid #d62728" if index == query else "2px solid transparent"
        label = "" if future else f"{weight:.2f}"
        boxes.append(
            f"<span style='display:inline-block;background:{background};color:{color};border:{border};margin:1px;"
            f"padding:1px 3px;border-radius:3px;text-align:center;font-family:monospace;white-space:pre;"
            f"line-height:1.2'>{html.escape(visible_token(token))}<br><span style='font-size:70%'>{label}</span></span>"
        )
    return f"<div style='line-height:2.4'>{''.join(boxes)}</div>"


def head_explorer(
    maps: torch.Tensor | np.ndarray, tokens: Sequence[str], layer: int = 0, head: int = 0
) -> widgets.VBox:
    """Choose a layer, a head and a token, and see which earlier tokens it takes its information from.

    ``maps`` is (n_layer, n_head, T, T) from :func:`course_utils.attention.gpt_attention_maps`. The widget's last
    child is the ``widgets.HTML`` it draws into, so a notebook can check what it shows.
    """
    grid = _as_array(maps)
    n_layer, n_head, T, _ = grid.shape
    if T != len(tokens):
        raise ValueError(f"maps cover {T} tokens but {len(tokens)} token texts were given.")
    style = {"description_width": "initial"}
    layer_slider = widgets.IntSlider(value=layer, min=0, max=n_layer - 1, description="layer", style=style)
    head_slider = widgets.IntSlider(value=head, min=0, max=n_head - 1, description="head", style=style)
    token_choice = widgets.Dropdown(
        options=[(f"{i}: {visible_token(t)}", i) for i, t in enumerate(tokens)],
        value=T - 1,
        description="token",
        style=style,
    )
    view = widgets.HTML()

    def redraw(_change: object = None) -> None:
        row = grid[layer_slider.value, head_slider.value, token_choice.value]
        top = np.argsort(-row)[:3]
        summary = ", ".join(f"{visible_token(tokens[j])!r} {row[j]:.2f}" for j in top if row[j] > 0)
        view.value = (
            f"<b>layer {layer_slider.value}, head {head_slider.value}</b>: token {token_choice.value} "
            f"{html.escape(repr(visible_token(tokens[token_choice.value])))} looks most at {html.escape(summary)}"
            + attention_row_html(tokens, row, token_choice.value)
        )

    for control in (layer_slider, head_slider, token_choice):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([layer_slider, head_slider, token_choice]), view])
