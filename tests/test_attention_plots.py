"""The pictures and the head explorer of chapter 08 (course_utils/attention_plots.py)."""

from __future__ import annotations

import pytest
import torch

from course_utils.attention import causal_mask
from course_utils.attention_plots import attention_row_html, head_explorer, plot_attention, plot_head_split, plot_heads


def _maps(n_layer: int = 2, n_head: int = 3, T: int = 4) -> torch.Tensor:
    scores = torch.randn(n_layer, n_head, T, T, generator=torch.Generator().manual_seed(0))
    return torch.softmax(scores.masked_fill(~causal_mask(T), float("-inf")), dim=-1)


def test_plot_attention_labels_queries_and_keys_and_refuses_a_mismatch():
    axes = plot_attention(torch.full((2, 3), 1 / 3), ["a", "b"], ["x", " y", "z"])
    assert [label.get_text() for label in axes.get_xticklabels()] == ["x", "·y", "z"]
    assert len(axes.texts) == 6  # a small table gets its numbers written in
    with pytest.raises(ValueError, match="do not match 2 query and 2 key tokens"):
        plot_attention(torch.ones(2, 3), ["a", "b"])


def test_plot_heads_draws_one_panel_per_head_and_checks_the_layer():
    figure = plot_heads(_maps(), ["a", "b", "c", "d"], layer=1)
    assert [axes.get_title() for axes in figure.axes] == [f"layer 1, head {h}" for h in range(3)]
    with pytest.raises(ValueError, match="layer one of 0..1"):
        plot_heads(_maps(), ["a", "b", "c", "d"], layer=2)


def _cell_labels(axes) -> list[str]:
    return [text.get_text() for text in axes.texts]


def test_head_split_picture_shows_where_every_number_goes():
    right = plot_head_split(T=3, C=8, n_head=2, transpose=True)
    # head 1 holds numbers 4..7 of every token, row by row
    assert _cell_labels(right.axes[2])[:5] == ["t0\nc4", "t0\nc5", "t0\nc6", "t0\nc7", "t1\nc4"]
    wrong = plot_head_split(T=3, C=8, n_head=2, transpose=False)
    # without the transpose, head 0's second row is the second half of token 0
    assert _cell_labels(wrong.axes[1])[4:8] == ["t0\nc4", "t0\nc5", "t0\nc6", "t0\nc7"]
    with pytest.raises(ValueError, match="must divide"):
        plot_head_split(C=6, n_head=4)


def test_attention_row_greys_the_future_and_outlines_the_query():
    markup = attention_row_html(["a", "b", "c"], [0.25, 0.75, 0.0], query=1)
    assert "0.25" in markup and "0.75" in markup and "#eeeeee" in markup and "#d62728" in markup
    with pytest.raises(ValueError, match="one weight per token"):
        attention_row_html(["a", "b"], [1.0], query=0)


def test_head_explorer_redraws_for_the_chosen_layer_head_and_token():
    maps = _maps()
    explorer = head_explorer(maps, ["a", "b", "c", "d"])
    controls, view = explorer.children
    layer, head, token = controls.children
    assert "layer 0, head 0" in view.value and "token 3" in view.value
    layer.value, head.value, token.value = 1, 2, 2
    assert "layer 1, head 2" in view.value and "token 2" in view.value
    assert f"{maps[1, 2, 2, 0].item():.2f}" in view.value
    with pytest.raises(ValueError, match="4 tokens but 3"):
        head_explorer(maps, ["a", "b", "c"])
