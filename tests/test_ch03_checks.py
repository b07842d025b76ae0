"""Chapter 03's checks accept every right answer, whatever its form, and name a wrong type precisely.

tests/test_checks.py runs each check on the reference and on the wrong answers of tests/wrong_answers/ch03.py;
here other correct ways to write the same function must pass too (a loop instead of numpy, lists instead of
arrays, another way to sample), since a check that only accepts the reference's way teaches the wrong lesson.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course_utils.checks import CheckFailed, get


def _passes(exercise_id: str, learner_fn) -> bool:
    # a right answer in another form than the reference's comes back wrapped, converting its answers
    use = get(exercise_id).check(learner_fn)
    return use is learner_fn or getattr(use, "__wrapped__", None) is learner_fn


def test_encode_and_decode_in_other_words():
    assert _passes("ch03.encode", lambda text, vocab: [vocab.index(char) for char in text])
    assert _passes("ch03.encode", lambda text, vocab: np.array([vocab.index(char) for char in text]))
    assert _passes("ch03.decode", lambda ids, vocab: "".join(map(vocab.__getitem__, np.asarray(ids).tolist())))


def test_one_hot_in_other_words():
    def with_zeros(ids, vocab_size):
        ids = torch.as_tensor(np.asarray(ids))
        vectors = torch.zeros(*ids.shape, vocab_size)
        vectors.scatter_(-1, ids.unsqueeze(-1), 1.0)
        return vectors

    assert _passes("ch03.one_hot", with_zeros)
    assert _passes(
        "ch03.one_hot", lambda ids, v: torch.nn.functional.one_hot(torch.as_tensor(np.asarray(ids)), v).float()
    )
    assert _passes("ch03.one_hot", lambda ids, v: torch.from_numpy(np.eye(v)[np.asarray(ids)]).float())


def test_one_hot_of_the_wrong_type_is_named():
    with pytest.raises(CheckFailed, match=r"\.float\(\)"):
        get("ch03.one_hot").check(lambda ids, v: torch.nn.functional.one_hot(torch.as_tensor(np.asarray(ids)), v))
    with pytest.raises(CheckFailed, match="float64"):  # nn.Linear's float32 weights refuse it
        get("ch03.one_hot").check(lambda ids, v: torch.from_numpy(np.eye(v)[np.asarray(ids)]))
    with pytest.raises(CheckFailed, match="return a torch tensor"):
        get("ch03.one_hot").check(lambda ids, v: np.eye(v)[np.asarray(ids)])


def test_sliding_windows_and_counts_with_loops_lists_and_numpy():
    def windows_as_lists(ids, context):
        ids = list(ids)
        starts = range(len(ids) - context)
        return [ids[i : i + context] for i in starts], [ids[i + context] for i in starts]

    def counts_by_loop(ids, vocab_size):
        counts = [[0] * vocab_size for _ in range(vocab_size)]
        for current, following in zip(ids[:-1], ids[1:], strict=True):
            counts[current][following] += 1
        return counts

    assert _passes("ch03.sliding_windows", windows_as_lists)
    assert _passes("ch03.bigram_counts", counts_by_loop)

    def windows_as_views(ids, context):
        ids = np.asarray(ids)
        return np.lib.stride_tricks.sliding_window_view(ids, context)[:-1], ids[context:]

    def counts_by_bincount(ids, vocab_size):
        ids = np.asarray(ids)
        return np.bincount(ids[:-1] * vocab_size + ids[1:], minlength=vocab_size**2).reshape(vocab_size, vocab_size)

    assert _passes("ch03.sliding_windows", windows_as_views)
    assert _passes("ch03.bigram_counts", counts_by_bincount)


def test_sample_next_by_inverse_cdf_and_by_a_loop():
    def by_searchsorted(probabilities, generator):
        u = torch.rand(1, generator=generator)
        return int(torch.searchsorted(torch.cumsum(probabilities, dim=0), u))

    def by_loop(probabilities, generator):
        u = torch.rand(1, generator=generator).item()
        total = 0.0
        for token_id, probability in enumerate(probabilities.tolist()):
            total += probability
            if u < total:
                return token_id
        return len(probabilities) - 1

    assert _passes("ch03.sample_next", by_searchsorted)
    assert _passes("ch03.sample_next", by_loop)


def test_sample_next_that_ignores_its_probabilities_for_certain_ids_fails():
    def never_the_last(probabilities, generator):
        return torch.multinomial(probabilities[:-1] / probabilities[:-1].sum(), 1, generator=generator).item()

    with pytest.raises(CheckFailed, match="probability"):
        get("ch03.sample_next").check(never_the_last)


def test_bigram_nll_with_torch():
    def with_torch(probabilities, ids):
        table, ids = torch.as_tensor(probabilities), torch.as_tensor(np.asarray(ids))
        return -torch.log(table[ids[:-1], ids[1:]]).mean().item()

    assert _passes("ch03.bigram_nll", with_torch)


def test_bigram_logits_accepts_every_right_form():
    # picking rows of the transposed weight, torch's own one_hot, and what a Linear layer computes
    assert _passes("ch03.bigram_logits", lambda ids, weight: weight.T[ids])
    assert _passes(
        "ch03.bigram_logits",
        lambda ids, weight: torch.nn.functional.one_hot(ids, weight.shape[1]).float() @ weight.T,
    )

    def through_a_layer(ids, weight):  # the function a Linear layer calls, on the weight itself
        return torch.nn.functional.linear(torch.eye(weight.shape[1])[ids], weight)

    assert _passes("ch03.bigram_logits", through_a_layer)


def test_bigram_logits_refuses_right_numbers_cut_off_from_the_weight():
    with pytest.raises(CheckFailed, match="cut off from `weight`"):
        get("ch03.bigram_logits").check(lambda ids, weight: weight.detach().T[ids])
