"""Pictures of lists and arrays as boxes of numbers: positions and indices, broadcasting, picking by index.

The primer draws them to show what a line of Python or numpy does to the numbers; any later chapter that
explains an indexing or broadcasting step can too.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from course_utils.plotting import bare_axes

PLAIN, MARKED, FADED = "#dbe9f6", "#fdae6b", "#f2f2f2"


def _number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}".rstrip("0")


def _draw_grid(axes: plt.Axes, array: np.ndarray, left: float, colors: np.ndarray, title: str = "") -> None:
    """Draw a 2-D ``array`` as boxes of numbers with its top-left corner at (``left``, 0)."""
    rows, columns = array.shape
    for row in range(rows):
        for column in range(columns):
            axes.add_patch(Rectangle((left + column, -row - 1), 0.94, 0.94, facecolor=colors[row, column]))
            axes.text(left + column + 0.47, -row - 0.53, _number(array[row, column]), ha="center", va="center")
    if title:
        axes.text(left + columns / 2, 0.35, title, ha="center", va="bottom", fontsize=11)


def _as_matrix(values: np.ndarray | Sequence[Sequence[float]], name: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 2 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 2-D array (rows of numbers), got shape {array.shape}.")
    return array


def plot_list_indices(values: Sequence[float], title: str = "A list: each value and its index") -> plt.Axes:
    """Draw ``values`` as a row of boxes, with each position's index above (0, 1, ...) and below (-n, ..., -1)."""
    row = np.asarray(values, dtype=float)
    if row.ndim != 1 or row.size == 0:
        raise ValueError(f"plot_list_indices needs a non-empty list of numbers, got shape {row.shape}.")
    axes = bare_axes(max(4.0, 0.8 * len(row) + 1.5), 2.0, title)
    _draw_grid(axes, row[None, :], 0.0, np.full((1, len(row)), PLAIN))
    for position in range(len(row)):
        axes.text(position + 0.47, 0.2, str(position), ha="center", va="bottom", color="#1f77b4")
        axes.text(position + 0.47, -1.2, str(position - len(row)), ha="center", va="top", color="#d62728")
    axes.text(-0.2, 0.2, "index", ha="right", va="bottom", color="#1f77b4")
    axes.text(-0.2, -1.2, "from the end", ha="right", va="top", color="#d62728")
    axes.set(xlim=(-2.5, len(row) + 0.1), ylim=(-1.9, 0.8))
    return axes


def plot_broadcast(
    matrix: np.ndarray, row: np.ndarray, title: str = "matrix - row: the row is stretched down"
) -> plt.Axes:
    """Draw ``matrix - row`` as numpy computes it: the row (one value per column) copied down every row of
    ``matrix`` (the copies faded, as numpy never makes them), and the result."""
    matrix = _as_matrix(matrix, "matrix")
    row = np.asarray(row, dtype=float)
    if row.shape != (matrix.shape[1],):
        raise ValueError(f"The row needs one value per column of the matrix: shape {row.shape}, matrix {matrix.shape}.")
    rows, columns = matrix.shape
    stretched = np.broadcast_to(row, matrix.shape)
    faded = np.full(matrix.shape, FADED)
    faded[0] = MARKED
    gap = columns + 1.2
    axes = bare_axes(max(6.0, 3 * gap * 0.75), 0.75 * rows + 1.6, title)
    _draw_grid(axes, matrix, 0.0, np.full(matrix.shape, PLAIN), f"matrix {rows}x{columns}")
    _draw_grid(axes, stretched, gap, faded, f"row ({columns},), stretched")
    _draw_grid(axes, matrix - stretched, 2 * gap, np.full(matrix.shape, PLAIN), "matrix - row")
    for left, sign in [(gap - 0.6, "-"), (2 * gap - 0.6, "=")]:
        axes.text(left, -rows / 2, sign, ha="center", va="center", fontsize=16)
    axes.set(xlim=(-0.2, 3 * gap - 1.1), ylim=(-rows - 0.2, 1.0))
    return axes


def plot_pick(table: np.ndarray, columns: Sequence[int], title: str = "table[rows, columns]") -> plt.Axes:
    """Draw ``table`` with the number in column ``columns[i]`` of each row ``i`` marked, and the picked numbers."""
    table = _as_matrix(table, "table")
    columns = np.asarray(columns)
    if columns.shape != (len(table),) or not np.all((columns >= 0) & (columns < table.shape[1])):
        raise ValueError(
            f"Give one column per row, each between 0 and {table.shape[1] - 1}: got {columns.tolist()} "
            f"for {len(table)} rows."
        )
    rows = np.arange(len(table))
    colors = np.full(table.shape, PLAIN)
    colors[rows, columns] = MARKED
    gap = table.shape[1] + 1.5
    axes = bare_axes(max(5.0, 0.8 * (gap + 2)), 0.75 * len(table) + 1.6, title)
    _draw_grid(axes, table, 0.0, colors, "table")
    _draw_grid(axes, table[rows, columns][:, None], gap, np.full((len(table), 1), MARKED), "picked")
    for row, column in zip(rows, columns, strict=True):
        axes.annotate(
            "",
            (gap - 0.05, -row - 0.53),
            (table.shape[1] + 0.05, -row - 0.53),
            arrowprops={"arrowstyle": "->", "color": "0.4"},
        )
        axes.text(-0.2, -row - 0.53, f"row {row}, column {column}", ha="right", va="center", fontsize=10)
    axes.set(xlim=(-3.2, gap + 1.1), ylim=(-len(table) - 0.2, 1.0))
    return axes
