"""The KV cache: cached attention equals plain causal attention, and cached generation gives the same tokens."""

from __future__ import annotations

import pytest
import torch

from course_utils.attention import attention_scores, attention_weights, cached_attention, causal_mask
from course_utils.gpt import GPT, GPTConfig, KVCache, generate_cached
from course_utils.tour import load_tour_model

CONFIG = GPTConfig(vocab_size=50, context=24, n_layer=2, n_head=4, d_model=32)


@pytest.fixture
def model() -> GPT:
    torch.manual_seed(0)
    return GPT(CONFIG).eval()


def _randn(*shape: int, seed: int) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def test_cached_attention_in_pieces_equals_causal_attention_at_once():
    q, k, v = (_randn(2, 3, 9, 8, seed=s) for s in (1, 2, 3))
    whole = attention_weights(attention_scores(q, k), causal_mask(9)) @ v
    first, keys, values = cached_attention(q[..., :4, :], k[..., :4, :], v[..., :4, :])
    second, keys, values = cached_attention(q[..., 4:, :], k[..., 4:, :], v[..., 4:, :], keys, values)
    torch.testing.assert_close(torch.cat([first, second], dim=-2), whole)
    torch.testing.assert_close(keys, k)
    torch.testing.assert_close(values, v)


def test_cached_attention_refuses_half_a_cache():
    q = _randn(1, 1, 2, 4, seed=0)
    with pytest.raises(ValueError, match="past_k and past_v"):
        cached_attention(q, q, q, past_k=q)


def test_the_forward_with_a_cache_gives_the_logits_of_the_whole_sequence(model):
    ids = torch.randint(CONFIG.vocab_size, (2, 11), generator=torch.Generator().manual_seed(0))
    cache = KVCache(model)
    with torch.no_grad():
        pieces = [model(ids[:, start:stop], kv_cache=cache) for start, stop in ((0, 5), (5, 6), (6, 11))]
        whole = model(ids)
    torch.testing.assert_close(torch.cat(pieces, dim=1), whole, atol=1e-5, rtol=1e-5)
    assert cache.length == 11
    assert cache.layers[1].keys.shape == (2, CONFIG.n_head, 11, CONFIG.d_model // CONFIG.n_head)


def test_without_a_cache_the_forward_is_unchanged(model):
    ids = torch.randint(CONFIG.vocab_size, (1, 7), generator=torch.Generator().manual_seed(1))
    logits = model(ids)
    assert isinstance(logits, torch.Tensor) and logits.requires_grad  # training still reads whole sequences
    assert [name for name, _ in model.named_parameters()][:2] == ["wte.weight", "wpe.weight"]


@pytest.mark.parametrize("new_tokens", [0, 1, 10, 40])  # 40 goes past the context of 24
def test_greedy_generation_with_the_cache_gives_the_same_tokens(model, new_tokens):
    prompt = torch.randint(CONFIG.vocab_size, (2, 4), generator=torch.Generator().manual_seed(2))
    plain = model.generate(prompt, new_tokens, temperature=0)
    cached = generate_cached(model, prompt, new_tokens, temperature=0)
    assert torch.equal(plain, cached)


@pytest.mark.parametrize("filters", [{"top_k": 10}, {"top_p": 0.9}], ids=["top_k", "top_p"])
def test_sampled_generation_with_the_cache_draws_the_same_tokens(model, filters):
    prompt = torch.tensor([3, 1, 4])
    plain = model.generate(prompt, 30, temperature=0.8, generator=torch.Generator().manual_seed(5), **filters)
    cached = generate_cached(model, prompt, 30, temperature=0.8, generator=torch.Generator().manual_seed(5), **filters)
    assert torch.equal(plain, cached) and cached.ndim == 1


def test_the_tour_models_greedy_text_is_the_same_with_the_cache():
    tour = load_tour_model().model
    prompt = torch.tensor([[5, 17, 2, 40]])
    assert torch.equal(tour.generate(prompt, 40, temperature=0), generate_cached(tour, prompt, 40, temperature=0))


def test_the_gelu_field_defaults_to_todays_exact_form():
    assert GPTConfig(vocab_size=5).gelu == "exact"
    assert GPT(GPTConfig(vocab_size=5, gelu="tanh")).h[0].mlp.gelu.approximate == "tanh"


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda m, c: m.train()(torch.zeros(1, 2, dtype=torch.long), kv_cache=c), ValueError, "eval"),
        (lambda m, c: [m(torch.zeros(1, n, dtype=torch.long), kv_cache=c) for n in (20, 5)], ValueError, "holds 20"),
        (lambda m, c: [m(torch.zeros(b, 2, dtype=torch.long), kv_cache=c) for b in (1, 2)], ValueError, "batch"),
        (lambda m, c: m(torch.zeros(1, 2, dtype=torch.long), kv_cache=[]), TypeError, "KVCache"),
    ],
)
@torch.no_grad()
def test_bad_cache_calls_are_refused(model, call, error, words):
    with pytest.raises(error, match=words):
        call(model, KVCache(model))
