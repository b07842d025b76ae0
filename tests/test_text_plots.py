"""course_utils.text_plots: each picture draws, labels what it shows, and refuses input it cannot draw."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from course_utils.text_plots import plot_char_matrix, plot_distribution, plot_vocab, plot_windows, visible


def test_visible_characters():
    assert visible("\n") == "⏎" and visible(" ") == "␣" and visible("a") == "a"


def test_vocab_and_windows():
    axes = plot_vocab(["\n", " ", "a"])
    assert {text.get_text() for text in axes.texts} >= {"⏎", "␣", "a", "0", "1", "2"}
    axes = plot_windows("Humpty Dumpty", 4, [0, 8])
    assert "example 8" in {text.get_text() for text in axes.texts}
    with pytest.raises(ValueError, match="starts run from 0 to 8"):
        plot_windows("Humpty Dumpty", 4, [9])
    with pytest.raises(ValueError, match="vocab is empty"):
        plot_vocab([])


def test_char_matrix_and_distribution():
    axes = plot_char_matrix(np.array([[0, 5], [100, 1]]), ["a", "b"], ["a", "b"], "pairs", log_scale=True)
    assert axes.get_xlabel() == "next character" and axes.get_title() == "pairs"
    image = axes.get_images()[0]
    assert image.get_array().mask[0, 0]  # a pair that never occurs is left blank...
    assert image.cmap(0.0)[:3] != (1.0, 1.0, 1.0)  # ...and a count of 1 is coloured, not white
    with pytest.raises(ValueError, match="shape"):
        plot_char_matrix(np.ones((2, 3)), ["a", "b"], ["a", "b"], "bad")
    axes = plot_distribution([0.2, 0.5, 0.3], ["a", "b", "c"], "next", drawn=[1, 1, 2, 0])
    assert [tick.get_text() for tick in axes.get_xticklabels()] == ["b", "c", "a"]
    with pytest.raises(ValueError, match="one probability per character"):
        plot_distribution([0.5, 0.5], ["a", "b", "c"], "bad")
