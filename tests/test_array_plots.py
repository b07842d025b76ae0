"""The pictures of lists and arrays: what they draw, and clear errors for input they cannot draw."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.array_plots import MARKED, plot_broadcast, plot_list_indices, plot_pick


def _texts(axes) -> list[str]:
    return [text.get_text() for text in axes.texts]


def test_list_indices_shows_both_ways_of_counting():
    texts = _texts(plot_list_indices([2.9, 2.1, 1.7]))
    assert {"2.9", "2.1", "1.7", "0", "1", "2", "-3", "-2", "-1"} <= set(texts)
    with pytest.raises(ValueError, match="non-empty list"):
        plot_list_indices([])


def test_broadcast_draws_the_matrix_the_stretched_row_and_the_result():
    matrix = np.array([[1.0, 10.0], [3.0, 30.0]])
    texts = _texts(plot_broadcast(matrix, matrix.mean(axis=0)))
    # 4 numbers of the matrix, 4 of the stretched row (2, 20 twice), 4 of the result (-1, -10, 1, 10)
    assert texts.count("2") == 2 and texts.count("20") == 2 and {"-1", "-10", "1", "10"} <= set(texts)
    with pytest.raises(ValueError, match="one value per column"):
        plot_broadcast(matrix, np.ones(3))
    with pytest.raises(ValueError, match="2-D"):
        plot_broadcast(np.ones(3), np.ones(3))


def test_pick_marks_one_cell_per_row_and_lists_the_picked_numbers():
    table = np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]])
    axes = plot_pick(table, [1, 0])
    marked = [patch for patch in axes.patches if patch.get_facecolor()[:3] == pytest.approx(_rgb(MARKED))]
    assert len(marked) == 4  # two cells in the table and the two picked numbers beside it
    assert "row 0, column 1" in _texts(axes) and "row 1, column 0" in _texts(axes)
    with pytest.raises(ValueError, match="one column per row"):
        plot_pick(table, [1])
    with pytest.raises(ValueError, match="between 0 and 2"):
        plot_pick(table, [1, 3])


def _rgb(color: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(color)
