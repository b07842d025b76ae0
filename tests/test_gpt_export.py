"""The course's GPT against an independent implementation, Hugging Face's GPT2LMHeadModel, with GPT-2 small's
shape and random weights; and its parameter count."""

from __future__ import annotations

import pytest
import torch

from course_utils.gpt import GPT, GPTConfig
from course_utils.gpt_export import to_transformers

GPT2_SMALL = GPTConfig(vocab_size=50_257, context=1024, n_layer=12, n_head=12, d_model=768, bias=True)


def test_gpt2_small_shape_has_124_439_808_parameters():
    with torch.device("meta"):  # shapes only: no memory, no time
        model = GPT(GPT2_SMALL)
    assert model.num_params() == 124_439_808
    assert sum(p.numel() for p in model.parameters()) == 124_439_808  # the tied matrix once


def test_gpt2_small_gives_the_same_logits_as_transformers():
    torch.manual_seed(0)
    model = GPT(GPT2_SMALL).eval()
    hf_model = to_transformers(model)
    assert sum(p.numel() for p in hf_model.parameters()) == 124_439_808
    ids = torch.randint(0, GPT2_SMALL.vocab_size, (2, 64), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        ours, theirs = model(ids), hf_model(ids).logits
    assert (ours - theirs).abs().max().item() < 1e-5


@pytest.mark.parametrize("fast_attention", [False, True])
def test_a_small_gpt_with_large_weights_matches_transformers_with_either_attention(fast_attention):
    config = GPTConfig(vocab_size=50, context=16, n_layer=2, n_head=4, d_model=32, fast_attention=fast_attention)
    torch.manual_seed(0)
    model = GPT(config).eval()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.normal_(0.0, 0.5)  # large weights: every position's logits depend on the others
    hf_model = to_transformers(model)
    ids = torch.randint(0, 50, (3, 16), generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        assert torch.allclose(model(ids), hf_model(ids).logits, atol=1e-4)
    model.h[0].ln_1.weight.data[0] += 1  # a change anywhere is seen
    with torch.no_grad():
        assert not torch.allclose(model(ids), hf_model(ids).logits, atol=1e-4)


def test_a_gpt_without_biases_is_refused():
    with pytest.raises(ValueError, match="bias=True"):
        to_transformers(GPT(GPTConfig(vocab_size=10, context=4, n_layer=1, n_head=1, d_model=8, bias=False)))
    with pytest.raises(TypeError, match="course_utils GPT"):
        to_transformers(torch.nn.Linear(2, 2))


def test_the_end_of_text_token_is_gpt2_s_only_where_the_vocabulary_has_it(capfd):
    """A small vocabulary has no id 50256: the copy names no start or end token rather than one outside its
    vocabulary (which transformers warns about on stderr, as chapter 10's fast-mode page showed)."""
    small = to_transformers(GPT(GPTConfig(vocab_size=500, context=8, n_layer=1, n_head=2, d_model=8)))
    assert small.config.bos_token_id is None and small.config.eos_token_id is None
    assert "bos_token_id" not in capfd.readouterr().err
    gpt2_vocab = to_transformers(GPT(GPTConfig(vocab_size=50257, context=8, n_layer=1, n_head=2, d_model=8)))
    assert gpt2_vocab.config.bos_token_id == gpt2_vocab.config.eos_token_id == 50256
