"""The block's parts as functions (``course_utils/block.py``) against torch and against the course's GPT, and the
block diagram."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest
import torch
from torch import nn

from course_utils import attention
from course_utils.block import block_forward, dropout, gelu, gelu_tanh, layer_norm, mlp, sinusoidal_encoding
from course_utils.block_plots import draw_block
from course_utils.gpt import GPT, GPTConfig
from course_utils.tour import load_tour_model


def _randn(*shape: int, seed: int = 0, scale: float = 1.0) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed)) * scale


def test_gelu_is_torchs_exact_gelu_and_gelu_tanh_its_approximation():
    x = torch.linspace(-8, 8, 1001)
    torch.testing.assert_close(gelu(x), nn.GELU()(x))
    torch.testing.assert_close(gelu_tanh(x), nn.GELU(approximate="tanh")(x))
    assert 4e-4 < (gelu(x) - gelu_tanh(x)).abs().max() < 5e-4  # they differ, a little


def test_layer_norm_is_torchs_with_any_eps_and_leading_shape():
    for eps, scale in ((1e-5, 3.0), (0.1, 0.2), (1e-3, 0.01)):
        x = _randn(2, 3, 7, scale=scale) + 1.0
        torch_norm = nn.LayerNorm(7, eps=eps)
        with torch.no_grad():
            torch_norm.weight.copy_(_randn(7, seed=1) + 1.0)
            torch_norm.bias.copy_(_randn(7, seed=2))
        torch.testing.assert_close(layer_norm(x, torch_norm.weight, torch_norm.bias, eps), torch_norm(x))
    no_bias = nn.LayerNorm(5, bias=False)
    x = _randn(4, 5, seed=3)
    torch.testing.assert_close(layer_norm(x, no_bias.weight, None), no_bias(x))


def test_mlp_is_the_course_mlp_module_with_its_weights_transposed():
    config = GPTConfig(vocab_size=10, context=8, n_layer=1, n_head=2, d_model=16)
    module = GPT(config).h[0].mlp.eval()
    x = _randn(2, 5, 16, seed=4)
    with torch.no_grad():
        ours = mlp(x, module.c_fc.weight.T, module.c_fc.bias, module.c_proj.weight.T, module.c_proj.bias)
        torch.testing.assert_close(ours, module(x))


def test_dropout_matches_nn_dropout_in_statistics_and_is_the_identity_in_evaluation():
    x = torch.ones(400, 500)
    p = 0.2
    ours = dropout(x, p, True, torch.Generator().manual_seed(0))
    torch.manual_seed(0)
    torchs = nn.Dropout(p)(x)
    for out in (ours, torchs):
        kept = out[out != 0]
        torch.testing.assert_close(kept, torch.full_like(kept, 1 / (1 - p)))
        assert abs((out == 0).float().mean().item() - p) < 0.01  # 200,000 draws: the share is within 0.005 of p
    assert torch.equal(dropout(x, p, False, torch.Generator()), x)
    assert torch.equal(dropout(x, 0.0, True, torch.Generator()), x)
    assert torch.equal(
        dropout(x, p, True, torch.Generator().manual_seed(5)), dropout(x, p, True, torch.Generator().manual_seed(5))
    )


def test_sinusoidal_encoding_follows_the_formula_for_even_and_odd_widths():
    for T, d in ((10, 8), (7, 5), (1, 1)):
        encoding = sinusoidal_encoding(T, d)
        assert encoding.shape == (T, d) and encoding.dtype == torch.float32
        for pos in range(T):
            for column in range(d):
                angle = pos / 10000 ** ((column - column % 2) / d)
                want = math.sin(angle) if column % 2 == 0 else math.cos(angle)
                assert abs(encoding[pos, column].item() - want) < 1e-6


def test_block_forward_is_the_course_blocks_forward():
    config = GPTConfig(vocab_size=10, context=8, n_layer=2, n_head=2, d_model=16)
    model = GPT(config).eval()
    x = _randn(3, 6, 16, seed=6)
    with torch.no_grad():
        for block in model.h:
            torch.testing.assert_close(block_forward(block, x), block(x))


def _logits_from_parts(model: GPT, ids: torch.Tensor) -> torch.Tensor:
    """A GPT's logits computed with this module's functions and chapter 08's attention: the course's modules
    (nn.LayerNorm, nn.GELU, nn.Linear) must compute the same numbers."""
    config = model.config
    C, T = config.d_model, ids.shape[1]
    x = model.wte(ids) + model.wpe(torch.arange(T))
    for block in model.h:
        w_q, w_k, w_v = (w.T for w in block.attn.c_attn.weight.split(C))
        b_q, b_k, b_v = block.attn.c_attn.bias.split(C)
        h = layer_norm(x, block.ln_1.weight, block.ln_1.bias)
        pairs = ((w_q, b_q), (w_k, b_k), (w_v, b_v))
        q, k, v = ((h @ w + b).view(1, T, config.n_head, -1).transpose(1, 2) for w, b in pairs)
        heads = attention.attention_weights(attention.attention_scores(q, k), attention.causal_mask(T)) @ v
        x = x + heads.transpose(1, 2).reshape(1, T, C) @ block.attn.c_proj.weight.T + block.attn.c_proj.bias
        h = layer_norm(x, block.ln_2.weight, block.ln_2.bias)
        x = x + mlp(h, block.mlp.c_fc.weight.T, block.mlp.c_fc.bias, block.mlp.c_proj.weight.T, block.mlp.c_proj.bias)
    return layer_norm(x, model.ln_f.weight, model.ln_f.bias) @ model.wte.weight.T


def test_the_tour_model_is_its_parts():
    tour = load_tour_model()
    ids = torch.tensor([tour.vocab.encode("ROMEO.\nBut soft, what light through yonder window breaks?")])
    with torch.no_grad():
        torch.testing.assert_close(_logits_from_parts(tour.model, ids), tour.model(ids), atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("norm", ["pre", "post"])
def test_draw_block_draws_both_wirings(norm):
    axes = draw_block(norm)
    texts = [text.get_text() for text in axes.texts]
    assert {"ln_1", "ln_2", "attention", "MLP", "+"} <= set(texts)
    assert norm in axes.get_title()
    plt.close(axes.figure)
