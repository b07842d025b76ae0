"""The course's attention (course_utils/attention.py) against torch's own, its masks, and its errors."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from course_utils.attention import (
    attention_scores,
    attention_weights,
    causal_mask,
    cross_attention,
    gpt_attention_maps,
    merge_heads,
    multi_head_attention,
    single_head_attention,
    split_heads,
)
from course_utils.gpt import GPT, CausalSelfAttention, GPTConfig

# float32 sums of a few dozen products agree with torch's kernels to about 1e-6 relative; these leave room for
# a different order of summation, and float64 must agree to rounding
F32 = {"atol": 1e-5, "rtol": 1e-5}
F64 = {"atol": 1e-12, "rtol": 1e-12}


def _generator(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


@pytest.mark.parametrize(("dtype", "tolerance"), [(torch.float32, F32), (torch.float64, F64)])
def test_causal_single_head_equals_scaled_dot_product_attention(dtype, tolerance):
    g = _generator(1)
    q, k, v = (torch.randn(3, 2, 9, 5, generator=g, dtype=dtype) * 2 for _ in range(3))
    ours = attention_weights(attention_scores(q, k), causal_mask(9)) @ v
    torch.testing.assert_close(ours, F.scaled_dot_product_attention(q, k, v, is_causal=True), **tolerance)
    # torch's boolean attn_mask means the same as the course's: True where a query may look
    general = torch.rand(9, 9, generator=g) < 0.7
    general.fill_diagonal_(True)
    torch.testing.assert_close(
        attention_weights(attention_scores(q, k), general) @ v,
        F.scaled_dot_product_attention(q, k, v, attn_mask=general),
        **tolerance,
    )


def test_single_head_attention_equals_sdpa_on_projections():
    g = _generator(2)
    x = torch.randn(2, 7, 10, generator=g)
    w_q, w_k, w_v = (torch.randn(10, 4, generator=g) for _ in range(3))
    want = F.scaled_dot_product_attention(x @ w_q, x @ w_k, x @ w_v, is_causal=True)
    torch.testing.assert_close(single_head_attention(x, w_q, w_k, w_v), want, **F32)
    # one unbatched sequence gives the same as the first of the batch
    torch.testing.assert_close(single_head_attention(x[0], w_q, w_k, w_v), want[0], **F32)


@pytest.mark.parametrize(("B", "T", "C", "n_head"), [(2, 6, 12, 3), (1, 9, 16, 4), (3, 1, 8, 1)])
def test_multi_head_attention_equals_torch_multihead_attention(B, T, C, n_head):
    g = _generator(3)
    torch_attention = nn.MultiheadAttention(C, n_head, bias=False, batch_first=True)
    with torch.no_grad():
        torch_attention.in_proj_weight.copy_(torch.randn(3 * C, C, generator=g) / math.sqrt(C))
        torch_attention.out_proj.weight.copy_(torch.randn(C, C, generator=g) / math.sqrt(C))
    x = torch.randn(B, T, C, generator=g)
    # torch's Linear layers compute x @ W^T, the course's x @ w: the course's matrices are torch's transposed
    w_q, w_k, w_v = (w.T for w in torch_attention.in_proj_weight.detach().split(C))
    w_o = torch_attention.out_proj.weight.detach().T
    # for nn.MultiheadAttention a True in a boolean mask means *blocked*: the opposite of the course's mask
    want, _ = torch_attention(x, x, x, attn_mask=~causal_mask(T), need_weights=False)
    torch.testing.assert_close(multi_head_attention(x, w_q, w_k, w_v, w_o, n_head), want, **F32)


def test_cross_attention_equals_sdpa_without_mask():
    g = _generator(4)
    x, context = torch.randn(2, 3, 6, generator=g), torch.randn(2, 8, 6, generator=g)
    w_q, w_k, w_v = (torch.randn(6, 5, generator=g) for _ in range(3))
    want = F.scaled_dot_product_attention(x @ w_q, context @ w_k, context @ w_v)
    torch.testing.assert_close(cross_attention(x, context, w_q, w_k, w_v), want, **F32)


def test_the_gpt_block_computes_the_courses_multi_head_attention():
    config = GPTConfig(vocab_size=10, context=16, n_layer=1, n_head=4, d_model=32, bias=False)
    torch.manual_seed(5)
    block = CausalSelfAttention(config).eval()
    x = torch.randn(2, 11, 32, generator=_generator(5))
    w_q, w_k, w_v = (w.T for w in block.c_attn.weight.detach().split(32))
    want = multi_head_attention(x, w_q, w_k, w_v, block.c_proj.weight.detach().T, 4)
    with torch.no_grad():
        torch.testing.assert_close(block(x), want, **F32)
    # its module names, layouts and buffer are GPT-2's, so saved models (the tour's) still load
    assert block.c_attn.weight.shape == (96, 32) and block.causal.shape == (16, 16)
    assert "causal" not in block.state_dict()


def test_scores_are_scaled_by_the_width_of_a_query():
    q = torch.tensor([[1.0, 2.0, 3.0, 4.0]])
    k = torch.tensor([[1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 2.0]])
    torch.testing.assert_close(attention_scores(q, k), torch.tensor([[10.0 / 2.0, 8.0 / 2.0]]))
    assert attention_scores(torch.randn(2, 3, 5, 7), torch.randn(2, 3, 4, 7)).shape == (2, 3, 5, 4)


def test_causal_mask_is_the_lower_triangle():
    assert causal_mask(3).tolist() == [[True, False, False], [True, True, False], [True, True, True]]
    assert causal_mask(1).dtype == torch.bool


def test_masked_weights_are_exactly_zero_and_rows_sum_to_one():
    scores = torch.randn(4, 6, generator=_generator(6)) * 5
    mask = torch.tensor([j <= i + 2 for i in range(4) for j in range(6)]).view(4, 6)
    weights = attention_weights(scores, mask)
    assert torch.all(weights[~mask] == 0)
    torch.testing.assert_close(weights.sum(-1), torch.ones(4))


def test_a_fully_masked_row_gives_zeros_not_nan_and_finite_gradients():
    scores = torch.randn(3, 4, generator=_generator(7), requires_grad=True)
    mask = torch.tensor([[True, True, False, False], [False] * 4, [True] * 4])
    weights = attention_weights(scores, mask)
    assert torch.equal(weights[1], torch.zeros(4))
    assert not torch.isnan(weights).any()
    (weights * torch.arange(4.0)).sum().backward()
    assert torch.isfinite(scores.grad).all() and torch.equal(scores.grad[1], torch.zeros(4))


def test_attention_weights_leave_the_scores_unchanged():
    scores = torch.randn(5, 5, generator=_generator(8))
    before = scores.clone()
    attention_weights(scores, causal_mask(5))
    assert torch.equal(scores, before)


def test_split_and_merge_heads_are_gpt2s_reshape_and_undo_each_other():
    x = torch.arange(2 * 3 * 8, dtype=torch.float32).view(2, 3, 8)
    heads = split_heads(x, 4)
    assert heads.shape == (2, 4, 3, 2)
    # head 1 of token 2 holds numbers 2 and 3 of that token's vector
    assert heads[0, 1, 2].tolist() == x[0, 2, 2:4].tolist()
    assert torch.equal(merge_heads(heads), x)


def test_attention_maps_of_a_gpt_are_causal_distributions():
    torch.manual_seed(9)
    model = GPT(GPTConfig(vocab_size=20, context=8, n_layer=2, n_head=2, d_model=16))
    maps = gpt_attention_maps(model, torch.tensor([1, 5, 3, 7, 2]))
    assert maps.shape == (2, 2, 5, 5)
    torch.testing.assert_close(maps.sum(-1), torch.ones(2, 2, 5))
    assert torch.all(maps[..., ~causal_mask(5)] == 0)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: attention_scores(torch.randn(3, 4), torch.randn(5, 6)), ValueError, "last dimensions must agree"),
        (lambda: attention_scores(torch.randn(3, 4), [[1.0]]), TypeError, "torch tensor"),
        (lambda: attention_scores(torch.ones(3, 4, dtype=torch.long), torch.randn(3, 4)), TypeError, ".float()"),
        (lambda: attention_weights(torch.randn(3, 4), torch.ones(3, 4)), TypeError, "bool tensor"),
        (lambda: attention_weights(torch.randn(3, 4), causal_mask(3)), ValueError, "does not fit scores"),
        (lambda: causal_mask(0), ValueError, "at least 1"),
        (lambda: causal_mask(2.5), ValueError, "whole number"),
        (
            lambda: multi_head_attention(torch.randn(1, 3, 10), *(torch.randn(10, 10) for _ in range(4)), 3),
            ValueError,
            "must divide the model width",
        ),
        (
            lambda: single_head_attention(
                torch.randn(2, 3, 6), torch.randn(5, 4), torch.randn(6, 4), torch.randn(6, 4)
            ),
            ValueError,
            "w_q has shape (5, 4)",
        ),
        (
            lambda: multi_head_attention(
                torch.randn(1, 3, 8), torch.randn(8, 8), torch.randn(8, 8), torch.randn(8, 4), torch.randn(8, 8), 2
            ),
            ValueError,
            "w_v must have 8 columns",
        ),
        (
            lambda: cross_attention(torch.randn(2, 3, 6), torch.randn(1, 4, 6), *(torch.randn(6, 2) for _ in range(3))),
            ValueError,
            "batch size and width",
        ),
        (lambda: split_heads(torch.randn(1, 2, 6), 4), ValueError, "must divide"),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, words):
    with pytest.raises(error, match=None) as raised:
        call()
    assert words in str(raised.value)
