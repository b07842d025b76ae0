"""The course's reference GPT: shapes, causality, weight tying, parameter count, generation and bad input."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import torch

from course_utils.gpt import GPT, GPTConfig, next_token_loss
from course_utils.sampling import sample_next_token

CONFIG = GPTConfig(vocab_size=50, context=16, n_layer=2, n_head=4, d_model=32)


@pytest.fixture
def model() -> GPT:
    torch.manual_seed(0)
    return GPT(CONFIG).eval()


def _ids(*shape: int, seed: int = 0) -> torch.Tensor:
    return torch.randint(CONFIG.vocab_size, shape, generator=torch.Generator().manual_seed(seed))


def test_logits_have_one_score_per_token_at_every_position(model):
    assert model(_ids(3, 7)).shape == (3, 7, CONFIG.vocab_size)
    assert model(_ids(1, CONFIG.context)).shape == (1, CONFIG.context, CONFIG.vocab_size)


def test_a_later_token_does_not_change_earlier_logits(model):
    ids = _ids(2, 10)
    changed = ids.clone()
    changed[:, 6] = (changed[:, 6] + 1) % CONFIG.vocab_size
    before, after = model(ids), model(changed)
    torch.testing.assert_close(before[:, :6], after[:, :6])
    assert not torch.allclose(before[:, 6:], after[:, 6:]), "the changed token must change its own logits"


def test_unembedding_is_tied_to_the_token_embedding(model):
    assert model.lm_head.weight is model.wte.weight


def test_num_params_counts_every_matrix_once():
    d, v, t, n = CONFIG.d_model, CONFIG.vocab_size, CONFIG.context, CONFIG.n_layer
    per_block = (
        2 * 2 * d  # two layer norms, scale and bias
        + d * 3 * d
        + 3 * d  # c_attn
        + d * d
        + d  # attention c_proj
        + d * 4 * d
        + 4 * d  # c_fc
        + 4 * d * d
        + d  # mlp c_proj
    )
    expected = v * d + t * d + n * per_block + 2 * d  # embeddings, blocks, final layer norm; lm_head is tied
    model = GPT(CONFIG)
    assert model.num_params() == expected
    assert model.num_params(include_position=False) == expected - t * d


def test_an_untrained_model_predicts_near_uniform_loss(model):
    ids = _ids(4, 16)
    loss = next_token_loss(model(ids), _ids(4, 16, seed=1))
    assert abs(loss.item() - torch.log(torch.tensor(float(CONFIG.vocab_size))).item()) < 0.2


def test_greedy_generation_follows_the_argmax_path(model):
    prompt = _ids(5)
    out = model.generate(prompt, max_new_tokens=8, temperature=0)
    assert out.shape == (13,) and torch.equal(out[:5], prompt)
    sequence = prompt.clone()
    for _ in range(8):
        next_id = model(sequence[None])[0, -1].argmax()
        sequence = torch.cat([sequence, next_id[None]])
    assert torch.equal(out, sequence)


def test_a_seeded_generator_gives_the_same_tokens_and_another_seed_others(model):
    prompt = _ids(2, 4)

    def sample(seed: int) -> torch.Tensor:
        return model.generate(prompt, 30, temperature=1.0, generator=torch.Generator().manual_seed(seed))

    assert torch.equal(sample(1), sample(1))
    assert not torch.equal(sample(1), sample(2))


def test_a_prompt_longer_than_the_context_is_cropped(model):
    long_prompt = _ids(40)
    out = model.generate(long_prompt, 3, temperature=0)
    assert out.shape == (43,)
    cropped = model.generate(long_prompt[-CONFIG.context :], 3, temperature=0)
    assert torch.equal(out[-3:], cropped[-3:])


def test_generate_leaves_a_training_model_in_training_mode():
    model = GPT(CONFIG).train()
    model.generate(_ids(3), 2, temperature=0)
    assert model.training


def test_top_k_one_is_greedy():
    logits = torch.randn(4, 50, generator=torch.Generator().manual_seed(3))
    drawn = sample_next_token(logits, temperature=1.5, top_k=1, generator=torch.Generator().manual_seed(0))
    assert torch.equal(drawn, logits.argmax(dim=-1))


def test_sampling_one_row_of_logits_asks_for_a_batch_dimension():
    with pytest.raises(ValueError, match=r"logits\[None\]"):
        sample_next_token(torch.zeros(50))


def test_sampling_frequencies_follow_the_softmax():
    logits = torch.tensor([[0.0, 1.0, 2.0]]).expand(20_000, 3)
    drawn = sample_next_token(logits, temperature=1.0, generator=torch.Generator().manual_seed(0))
    frequencies = torch.bincount(drawn, minlength=3).float() / len(drawn)
    torch.testing.assert_close(frequencies, torch.softmax(logits[0], dim=0), atol=0.01, rtol=0)


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (torch.zeros(2, 3), "ids must hold token ids.*whole numbers"),
        ([[1, 2, 3]], "torch tensor"),
        (torch.zeros(3, dtype=torch.long), r"ids\[None\]"),
        (torch.zeros(1, 17, dtype=torch.long), "1 to 16 tokens"),
        (torch.full((1, 3), 50), "ids from 0 to vocab_size - 1 = 49"),
        (torch.full((1, 3), -1), "ids of at least 0"),
    ],
)
def test_bad_input_to_forward_says_what_is_wrong(model, ids, message):
    with pytest.raises((TypeError, ValueError), match=message):
        model(ids)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"temperature": -1.0}, "temperature"),
        ({"top_k": 0}, "top_k"),
        ({"max_new_tokens": -2}, "max_new_tokens"),
        ({"generator": SimpleNamespace(device=torch.device("cuda"))}, "CPU generator"),  # a GPU generator's stand-in
    ],
)
def test_bad_input_to_generate_says_what_is_wrong(model, kwargs, message):
    arguments = {"max_new_tokens": 2, **kwargs}
    with pytest.raises(ValueError, match=message):
        model.generate(_ids(3), **arguments)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"d_model": 30}, ValueError, "multiple of n_head"),
        ({"n_layer": 0}, ValueError, "n_layer"),
        ({"dropout": 1.0}, ValueError, "dropout"),
        ({"dropout": -0.1}, ValueError, "dropout"),
        ({"context": 2.5}, TypeError, "GPTConfig.context must be a whole number"),
        ({"vocab_size": "50"}, TypeError, "GPTConfig.vocab_size must be a whole number"),
        ({"bias": "yes"}, TypeError, "GPTConfig.bias must be True or False"),
    ],
)
def test_bad_config_says_what_is_wrong(kwargs, error, message):
    with pytest.raises(error, match=message):
        GPTConfig(**{"vocab_size": 50, **kwargs})


def test_config_round_trips_through_a_dict():
    assert GPTConfig(**CONFIG.to_dict()) == CONFIG


def test_hidden_states_are_the_final_normed_vectors_that_the_unembedding_reads(model):
    ids = _ids(2, 9)
    hidden = model.hidden_states(ids)
    assert hidden.shape == (2, 9, CONFIG.d_model)
    # after ln_f with its default scale 1 and bias 0, every vector has mean 0 and variance 1
    torch.testing.assert_close(hidden.mean(-1), torch.zeros(2, 9), atol=1e-5, rtol=0)
    # each logit is a dot product of the final vector with that token's embedding row (tied weights)
    torch.testing.assert_close(hidden @ model.wte.weight.T, model(ids))
    with pytest.raises(ValueError, match="ids\\[None\\]"):
        model.hidden_states(_ids(5))
