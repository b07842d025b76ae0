"""Pictures of word vectors: an embedding matrix, angles between vectors, neighbours, and word groups in 2-D and
3-D (with a slider that turns the 3-D view)."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from course_utils.plotting import COLORS, new_axes, use_course_style


def plot_embedding_matrix(W_E: np.ndarray, tokens: Sequence[str], highlight: Sequence[int] = ()) -> plt.Axes:
    """``W_E`` as a grid, one row per token labelled on the left; the rows in ``highlight`` are framed."""
    W_E = np.asarray(W_E, dtype=float)
    if W_E.ndim != 2 or len(tokens) != len(W_E):
        raise ValueError(f"Give a 2-D W_E and one token per row: W_E {W_E.shape}, {len(tokens)} tokens.")
    use_course_style()
    _, axes = plt.subplots(figsize=(0.7 * W_E.shape[1] + 2.5, 0.45 * len(W_E) + 1.2))
    scale = float(np.abs(W_E).max()) or 1.0
    axes.imshow(W_E, cmap="RdBu", vmin=-1.6 * scale, vmax=1.6 * scale)
    for (row, column), value in np.ndenumerate(W_E):
        axes.text(column, row, f"{value:.1f}", ha="center", va="center", fontsize=8)
    for row in highlight:
        axes.add_patch(plt.Rectangle((-0.5, row - 0.5), W_E.shape[1], 1, fill=False, edgecolor="black", linewidth=2.5))
    axes.set_yticks(range(len(tokens)), [f"{i}: {token}" for i, token in enumerate(tokens)])
    axes.set_xticks(range(W_E.shape[1]), [f"dim {j}" for j in range(W_E.shape[1])], fontsize=8)
    axes.grid(False)
    axes.set_title(f"W_E: {len(W_E)} tokens (rows) x {W_E.shape[1]} dimensions")
    return axes


def plot_skipgram_pairs(words: Sequence[str], centre: int, window: int) -> plt.Axes:
    """A line of words as boxes: the centre word dark, the words within ``window`` places of it light, with arrows."""
    if not 0 <= centre < len(words):
        raise ValueError(f"centre must be a position in the line, 0 to {len(words) - 1}, got {centre}.")
    use_course_style()
    _, axes = plt.subplots(figsize=(1.15 * len(words) + 1, 2.2))
    for position, word in enumerate(words):
        inside = abs(position - centre) <= window and position != centre
        color = COLORS[0] if position == centre else ("#aec7e8" if inside else "#eeeeee")
        axes.text(position, 0, word, ha="center", va="center", fontsize=12,
                  color="white" if position == centre else "black",
                  bbox={"boxstyle": "round,pad=0.4", "facecolor": color, "edgecolor": "grey"})  # fmt: skip
        if inside:
            arrow = {"arrowstyle": "->", "color": COLORS[1], "connectionstyle": "arc3,rad=-0.3"}
            axes.annotate("", xy=(position, 0.35), xytext=(centre, 0.35), arrowprops=arrow)
    axes.set(xlim=(-0.8, len(words) - 0.2), ylim=(-0.6, 1.3))
    axes.axis("off")
    axes.set_title(f"Centre word {words[centre]!r}: its context is the {window} words on each side")
    return axes


def plot_angle(a: Sequence[float], b: Sequence[float], names: tuple[str, str] = ("a", "b")) -> plt.Axes:
    """Two 2-D vectors as arrows from the origin, with their lengths, dot product and the angle between them."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != (2,) or b.shape != (2,):
        raise ValueError("plot_angle draws two 2-D vectors.")
    dot = float(a @ b)
    cosine = dot / (np.linalg.norm(a) * np.linalg.norm(b))
    degrees = float(np.degrees(np.arccos(np.clip(cosine, -1, 1))))
    axes = new_axes(
        f"{names[0]}·{names[1]} = {dot:.1f}, lengths {np.linalg.norm(a):.1f} and {np.linalg.norm(b):.1f}: "
        f"cosine {cosine:.2f} ({degrees:.0f}°)",
        "dimension 0",
        "dimension 1",
        figsize=(5.5, 5),
    )
    for vector, name, color in ((a, names[0], COLORS[0]), (b, names[1], COLORS[1])):
        axes.annotate("", xy=vector, xytext=(0, 0), arrowprops={"arrowstyle": "-|>", "color": color, "lw": 2.5})
        axes.text(*(vector * 1.06), name, color=color, fontsize=13, ha="center", va="center")
    start, end = np.arctan2(a[1], a[0]), np.arctan2(b[1], b[0])
    if end < start:
        start, end = end, start
    if end - start > np.pi:
        start, end = end, start + 2 * np.pi
    radius = 0.3 * min(np.linalg.norm(a), np.linalg.norm(b))
    arc = np.linspace(start, end, 40)
    axes.plot(radius * np.cos(arc), radius * np.sin(arc), color="grey")
    reach = 1.25 * max(np.abs(np.concatenate([a, b])).max(), 1.0)
    axes.set(xlim=(-reach, reach), ylim=(-reach, reach), aspect="equal")
    axes.axhline(0, color="grey", lw=0.5)
    axes.axvline(0, color="grey", lw=0.5)
    return axes


def plot_neighbours(neighbours: dict[str, list[tuple[str, float]]], title: str) -> plt.Figure:
    """One bar chart per query word: its neighbours, best at the top, and their cosine similarities."""
    if not neighbours:
        raise ValueError("Give at least one query word with its neighbours.")
    use_course_style()
    k = max(len(pairs) for pairs in neighbours.values())
    figure, all_axes = plt.subplots(1, len(neighbours), figsize=(3.2 * len(neighbours), 0.32 * k + 1.4), squeeze=False)
    for axes, (query, pairs), color in zip(all_axes[0], neighbours.items(), COLORS * 3, strict=False):
        words = [word for word, _ in pairs]
        similarities = [similarity for _, similarity in pairs]
        axes.barh(range(len(pairs)), similarities, color=color, alpha=0.8)
        axes.set_yticks(range(len(pairs)), words)
        axes.invert_yaxis()
        axes.set_xlim(0, 1)
        axes.set_title(repr(query))
        axes.set_xlabel("cosine similarity")
    figure.suptitle(title)
    figure.tight_layout()
    return figure


def plot_words_2d(points: np.ndarray, words: Sequence[str], groups: Sequence[str], title: str) -> plt.Axes:
    """Words at 2-D ``points``, labelled, one colour per group (with a legend)."""
    points = np.asarray(points, dtype=float)
    _check_points(points, words, groups, 2)
    axes = new_axes(title, "first principal direction", "second principal direction", figsize=(8, 6))
    colors = _group_colors(groups)
    for group, color in colors.items():
        members = [i for i, g in enumerate(groups) if g == group]
        axes.scatter(points[members, 0], points[members, 1], color=color, label=group, s=40)
    for (x, y), word, group in zip(points, words, groups, strict=True):
        axes.annotate(word, (x, y), xytext=(4, 3), textcoords="offset points", fontsize=10, color=colors[group])
    axes.legend(loc="best", fontsize=9)
    return axes


def plot_words_3d(
    points: np.ndarray,
    words: Sequence[str],
    groups: Sequence[str],
    title: str,
    azimuth: float = -60.0,
    elevation: float = 20.0,
) -> plt.Axes:
    """Words at 3-D ``points``, labelled, one colour per group, seen from ``azimuth`` and ``elevation`` (degrees)."""
    points = np.asarray(points, dtype=float)
    _check_points(points, words, groups, 3)
    use_course_style()
    figure = plt.figure(figsize=(8, 6.5))
    axes = figure.add_subplot(projection="3d")
    colors = _group_colors(groups)
    for group, color in colors.items():
        members = [i for i, g in enumerate(groups) if g == group]
        axes.scatter(*points[members].T, color=color, label=group, s=35, depthshade=False)
    for (x, y, z), word, group in zip(points, words, groups, strict=True):
        axes.text(x, y, z, " " + word, fontsize=9, color=colors[group])
    axes.view_init(elev=elevation, azim=azimuth)
    axes.set(title=title, xlabel="direction 1", ylabel="direction 2", zlabel="direction 3")
    axes.legend(loc="upper left", fontsize=9)
    return axes


def rotation_widget(points: np.ndarray, words: Sequence[str], groups: Sequence[str], title: str) -> widgets.VBox:
    """The 3-D picture of :func:`plot_words_3d` with sliders that turn it (azimuth) and tilt it (elevation).

    Redraws when a slider is let go; works in JupyterLab and VS Code with the ipywidgets the course installs.
    """
    _check_points(np.asarray(points, dtype=float), words, groups, 3)
    style = {"description_width": "initial"}
    turn = widgets.IntSlider(value=-60, min=-180, max=180, step=5, description="turn (degrees)",
                             continuous_update=False, style=style)  # fmt: skip
    tilt = widgets.IntSlider(value=20, min=-90, max=90, step=5, description="tilt (degrees)",
                             continuous_update=False, style=style)  # fmt: skip
    picture = widgets.Output()

    def redraw(_change: object = None) -> None:
        with picture:
            picture.clear_output(wait=True)
            plot_words_3d(points, words, groups, title, azimuth=turn.value, elevation=tilt.value)
            plt.show()

    turn.observe(redraw, names="value")
    tilt.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([turn, tilt]), picture])


def _check_points(points: np.ndarray, words: Sequence[str], groups: Sequence[str], dims: int) -> None:
    if points.ndim != 2 or points.shape[1] != dims:
        raise ValueError(f"Give points of shape (n_words, {dims}), got {points.shape}: project them first.")
    if not len(points) == len(words) == len(groups):
        raise ValueError(f"Give one word and one group per point: {len(points)} points, {len(words)} words, "
                         f"{len(groups)} groups.")  # fmt: skip
    if len(points) == 0:
        raise ValueError("There are no words to draw.")


def _group_colors(groups: Sequence[str]) -> dict[str, str]:
    palette = [*COLORS, "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
    return {group: palette[i % len(palette)] for i, group in enumerate(dict.fromkeys(groups))}
