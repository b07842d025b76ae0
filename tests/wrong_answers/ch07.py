"""Plausible wrong answers to chapter 07's exercises, and what the check's message must point at.

Each is written as a learner would write it, with torch only: no course_utils, so no argument checks that would
turn a wrong value into an error.
"""

import torch
import torch.nn.functional as F

NEG_INF = float("-inf")

# ----------------------------------------------------------------------------------------------------------------
# softmax


def _softmax_no_max(logits, dim=-1):
    exps = torch.exp(logits)
    return exps / exps.sum(dim=dim, keepdim=True)


def _softmax_global_max(logits, dim=-1):
    exps = torch.exp(logits - logits.max())
    return exps / exps.sum(dim=dim, keepdim=True)


def _softmax_axis_0(logits, dim=-1):
    exps = torch.exp(logits - logits.amax(dim=0, keepdim=True))
    return exps / exps.sum(dim=0, keepdim=True)


def _softmax_ignoring_dim(logits, dim=-1):
    exps = torch.exp(logits - logits.amax(dim=-1, keepdim=True))
    return exps / exps.sum(dim=-1, keepdim=True)


def _softmax_total_sum(logits, dim=-1):
    exps = torch.exp(logits - logits.amax(dim=dim, keepdim=True))
    return exps / exps.sum()


def _softmax_not_normalised(logits, dim=-1):
    return torch.exp(logits - logits.amax(dim=dim, keepdim=True))


def _softmax_no_exp(logits, dim=-1):
    return logits / logits.sum(dim=dim, keepdim=True)


def _log_softmax(logits, dim=-1):
    return (
        logits
        - logits.amax(dim=dim, keepdim=True)
        - torch.log(torch.exp(logits - logits.amax(dim=dim, keepdim=True)).sum(dim=dim, keepdim=True))
    )


# ----------------------------------------------------------------------------------------------------------------
# softmax_with_temperature


def _torch_softmax(logits):
    return torch.softmax(logits, dim=-1)


def _temperature_multiplied(logits, temperature):
    return _torch_softmax(logits * temperature)


def _temperature_after_softmax(logits, temperature):
    if temperature == 0:
        return F.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)
    return _torch_softmax(logits) / temperature


def _temperature_zero_divided(logits, temperature):
    return _torch_softmax(logits / temperature)


def _temperature_zero_argmax(logits, temperature):
    if temperature == 0:
        return logits.argmax(dim=-1)
    return _torch_softmax(logits / temperature)


def _temperature_zero_all_ties(logits, temperature):
    if temperature == 0:
        return (logits == logits.amax(dim=-1, keepdim=True)).to(logits.dtype)
    return _torch_softmax(logits / temperature)


def _temperature_zero_last_tie(logits, temperature):
    if temperature == 0:
        flipped = logits.flip(-1)
        return F.one_hot(flipped.argmax(dim=-1), logits.shape[-1]).to(logits.dtype).flip(-1)
    return _torch_softmax(logits / temperature)


def _temperature_naive(logits, temperature):
    if temperature == 0:
        return F.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)
    exps = torch.exp(logits / temperature)
    return exps / exps.sum(dim=-1, keepdim=True)


# ----------------------------------------------------------------------------------------------------------------
# sample


def _sample_argmax(probs, generator):
    return probs.argmax(dim=-1)


def _sample_ignoring_generator(probs, generator):
    rows = probs.reshape(-1, probs.shape[-1])
    return torch.multinomial(rows, 1)[:, 0].reshape(probs.shape[:-1])


def _sample_fresh_generator(probs, generator):
    rows = probs.reshape(-1, probs.shape[-1])
    return torch.multinomial(rows, 1, generator=torch.Generator().manual_seed(0))[:, 0].reshape(probs.shape[:-1])


def _sample_reseeding(probs, generator):
    generator.manual_seed(0)
    rows = probs.reshape(-1, probs.shape[-1])
    return torch.multinomial(rows, 1, generator=generator)[:, 0].reshape(probs.shape[:-1])


def _sample_keeping_last_dim(probs, generator):
    rows = probs.reshape(-1, probs.shape[-1])
    return torch.multinomial(rows, 1, generator=generator).reshape(*probs.shape[:-1], 1)


def _sample_uniform(probs, generator):
    return torch.randint(probs.shape[-1], probs.shape[:-1], generator=generator)


def _sample_off_by_one(probs, generator):
    rows = probs.reshape(-1, probs.shape[-1])
    return torch.multinomial(rows, 1, generator=generator)[:, 0].reshape(probs.shape[:-1]) + 1


def _sample_first_row_only(probs, generator):
    rows = probs.reshape(-1, probs.shape[-1])
    first = rows[0].expand(rows.shape)
    return torch.multinomial(first, 1, generator=generator)[:, 0].reshape(probs.shape[:-1])


def _sample_softmax_again(probs, generator):
    rows = torch.softmax(probs.reshape(-1, probs.shape[-1]), dim=-1)
    return torch.multinomial(rows, 1, generator=generator)[:, 0].reshape(probs.shape[:-1])


def _sample_float_ids(probs, generator):
    rows = probs.reshape(-1, probs.shape[-1])
    return torch.multinomial(rows, 1, generator=generator)[:, 0].reshape(probs.shape[:-1]).float()


def _sample_searchsorted_off_by_one(probs, generator):
    rows = probs.reshape(-1, probs.shape[-1])
    u = torch.rand(rows.shape[0], 1, generator=generator)
    ids = torch.searchsorted(torch.cumsum(rows, dim=-1), u, right=True)[:, 0] - 1
    return ids.clamp(min=0).reshape(probs.shape[:-1])


# ----------------------------------------------------------------------------------------------------------------
# top_k_filter


def _top_k_zero_fill(logits, k):
    if k >= logits.shape[-1]:
        return logits.clone()
    kth = torch.topk(logits, k, dim=-1).values[..., -1:]
    return logits.masked_fill(logits < kth, 0.0)


def _top_k_smallest(logits, k):
    if k >= logits.shape[-1]:
        return logits.clone()
    kth = torch.topk(logits, k, dim=-1, largest=False).values[..., -1:]
    return logits.masked_fill(logits > kth, NEG_INF)


def _top_k_one_too_many(logits, k):
    if k >= logits.shape[-1]:
        return logits.clone()
    kth = torch.sort(logits, dim=-1, descending=True).values[..., k : k + 1]
    return logits.masked_fill(logits < kth, NEG_INF)


def _top_k_strict(logits, k):
    if k >= logits.shape[-1]:
        return logits.clone()
    kth = torch.topk(logits, k, dim=-1).values[..., -1:]
    return logits.masked_fill(logits <= kth, NEG_INF)


def _top_k_exactly_k(logits, k):
    values, indices = torch.topk(logits, min(k, logits.shape[-1]), dim=-1)
    return torch.full_like(logits, NEG_INF).scatter(-1, indices, values)


def _top_k_crashing_on_large_k(logits, k):
    kth = torch.topk(logits, k, dim=-1).values[..., -1:]
    return logits.masked_fill(logits < kth, NEG_INF)


def _top_k_probabilities(logits, k):
    if k < logits.shape[-1]:
        kth = torch.topk(logits, k, dim=-1).values[..., -1:]
        logits = logits.masked_fill(logits < kth, NEG_INF)
    return torch.softmax(logits, dim=-1)


# ----------------------------------------------------------------------------------------------------------------
# top_p_filter


def _top_p(logits, p, *, rule="before", fill=NEG_INF, sort=True, descending=True, unsort=True, on_logits=False):
    if sort:
        sorted_logits, order = torch.sort(logits, dim=-1, descending=descending, stable=True)
    else:
        sorted_logits, order = logits, torch.arange(logits.shape[-1]).expand(logits.shape)
    probs = sorted_logits if on_logits else torch.softmax(sorted_logits, dim=-1)
    cumulative = torch.cumsum(probs, dim=-1)
    keep_sorted = cumulative <= p if rule == "with" else cumulative - probs < p
    if not unsort:
        return sorted_logits.masked_fill(~keep_sorted, fill)
    keep = torch.zeros_like(keep_sorted).scatter(-1, order, keep_sorted)
    return logits.masked_fill(~keep, fill)


def _top_p_dropping_the_crossing_token(logits, p):
    return _top_p(logits, p, rule="with")


def _top_p_zero_fill(logits, p):
    return _top_p(logits, p, fill=0.0)


def _top_p_unsorted(logits, p):
    return _top_p(logits, p, sort=False)


def _top_p_ascending(logits, p):
    return _top_p(logits, p, descending=False)


def _top_p_left_sorted(logits, p):
    return _top_p(logits, p, unsort=False)


def _top_p_on_logits(logits, p):
    return _top_p(logits, p, on_logits=True)


def _top_p_higher_id_first(logits, p):
    return _top_p(logits.flip(-1), p).flip(-1)


# ----------------------------------------------------------------------------------------------------------------
# cross_entropy


def _picked_log_probs(logits, targets):
    return torch.log_softmax(logits, dim=-1).gather(-1, targets[..., None])[..., 0]


def _ce_summed(logits, targets):
    return -_picked_log_probs(logits, targets).sum()


def _ce_no_minus(logits, targets):
    return _picked_log_probs(logits, targets).mean()


def _ce_naive_softmax(logits, targets):
    exps = torch.exp(logits)
    probs = exps / exps.sum(dim=-1, keepdim=True)
    return -torch.log(probs.gather(-1, targets[..., None])[..., 0]).mean()


def _ce_log_of_softmax(logits, targets):
    probs = torch.softmax(logits, dim=-1)
    return -torch.log(probs.gather(-1, targets[..., None])[..., 0]).mean()


def _ce_whole_vocabulary(logits, targets):
    return -torch.log_softmax(logits, dim=-1).mean()


def _ce_bits(logits, targets):
    return -(_picked_log_probs(logits, targets) / torch.log(torch.tensor(2.0))).mean()


def _ce_mean_over_batch_only(logits, targets):
    return -_picked_log_probs(logits, targets).sum() / len(targets)


# ----------------------------------------------------------------------------------------------------------------
# more mistakes, tried by the chapter's reviewer


def _softmax_min_subtracted(logits, dim=-1):
    exps = torch.exp(logits - logits.amin(dim=dim, keepdim=True))  # the smallest, so the largest overflows
    return exps / exps.sum(dim=dim, keepdim=True)


def _softmax_neg_inf_to_zero(logits, dim=-1):
    finite = torch.where(torch.isinf(logits), torch.zeros_like(logits), logits)
    exps = torch.exp(finite - finite.amax(dim=dim, keepdim=True))
    return exps / exps.sum(dim=dim, keepdim=True)


def _softmax_clamped(logits, dim=-1):
    exps = torch.exp(logits.clamp(-80, 80))  # "stops the overflow", and changes the answer
    return exps / exps.sum(dim=dim, keepdim=True)


def _softmax_in_place(logits, dim=-1):
    logits -= logits.amax(dim=dim, keepdim=True)
    logits.exp_()
    return logits / logits.sum(dim=dim, keepdim=True)


def _temperature_tiny_instead_of_zero(logits, temperature):
    return torch.softmax(logits / max(temperature, 1e-6), dim=-1)


def _temperature_negative_accepted(logits, temperature):
    if temperature == 0:
        return F.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)
    return torch.softmax(logits / abs(temperature), dim=-1)


def _temperature_square_root(logits, temperature):
    if temperature == 0:
        return F.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)
    return torch.softmax(logits / temperature**0.5, dim=-1)


def _sample_noise_argmax(probs, generator):
    return (probs + torch.rand(probs.shape, generator=generator)).argmax(dim=-1)


def _sample_gumbel_wrong_sign(probs, generator):
    uniform = torch.rand(probs.shape, generator=generator)
    return (torch.log(probs) + torch.log(-torch.log(uniform))).argmax(dim=-1)


def _sample_global_rand(probs, generator):
    uniform = torch.rand(probs.shape[:-1] + (1,))  # the generator is never used
    ids = torch.searchsorted(torch.cumsum(probs, dim=-1), uniform, right=True)[..., 0]
    return ids.clamp(max=probs.shape[-1] - 1)


def _sample_one_uniform_for_all_rows(probs, generator):
    rows = probs.reshape(-1, probs.shape[-1])
    uniform = torch.rand(1, generator=generator)
    ids = torch.searchsorted(torch.cumsum(rows, dim=-1), uniform.repeat(len(rows), 1), right=True)[:, 0]
    return ids.clamp(max=rows.shape[-1] - 1).reshape(probs.shape[:-1])


def _sample_flattened(probs, generator):
    count = max(probs.shape[:-1].numel(), 1)
    drawn = torch.multinomial(probs.reshape(-1), count, replacement=True, generator=generator)
    return drawn.reshape(probs.shape[:-1])


def _top_k_in_place(logits, k):
    if k >= logits.shape[-1]:
        return logits
    kth = torch.topk(logits, k, dim=-1).values[..., -1:]
    logits[logits < kth] = NEG_INF
    return logits


def _top_k_values_only(logits, k):
    return torch.topk(logits, min(k, logits.shape[-1]), dim=-1).values


def _top_k_large_negative(logits, k):
    if k >= logits.shape[-1]:
        return logits.clone()
    kth = torch.topk(logits, k, dim=-1).values[..., -1:]
    return logits.masked_fill(logits < kth, -1e9)


def _top_k_whole_batch(logits, k):
    if k >= logits.numel():
        return logits.clone()
    kth = torch.topk(logits.flatten(), k).values[-1]  # one k-th largest for the whole batch
    return logits.masked_fill(logits < kth, NEG_INF)


def _top_p_first_and_sum_within(logits, p):
    sorted_logits, order = torch.sort(logits, dim=-1, descending=True, stable=True)
    probs = torch.softmax(sorted_logits, dim=-1)
    keep_sorted = torch.cumsum(probs, dim=-1) <= p
    keep_sorted[..., 0] = True  # "at least one token", yet the token that crosses p is still dropped
    keep = torch.zeros_like(keep_sorted).scatter(-1, order, keep_sorted)
    return logits.masked_fill(~keep, NEG_INF)


def _top_p_in_place(logits, p):
    sorted_logits, order = torch.sort(logits, dim=-1, descending=True, stable=True)
    probs = torch.softmax(sorted_logits, dim=-1)
    drop = torch.zeros_like(probs, dtype=torch.bool).scatter(-1, order, torch.cumsum(probs, dim=-1) - probs >= p)
    logits[drop] = NEG_INF
    return logits


def _ce_functional_on_batches(logits, targets):
    return F.cross_entropy(logits, targets)  # wants the classes in dimension 1: (B, V, T)


def _ce_log_softmax_plus_epsilon(logits, targets):
    probs = torch.softmax(logits, dim=-1)
    return -torch.log(probs.gather(-1, targets[..., None]) + 1e-9).mean()


def _ce_perplexity(logits, targets):
    return torch.exp(F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1)))


def _ce_nll_of_logits(logits, targets):
    return F.nll_loss(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


WRONG_ANSWERS = {
    "ch07.softmax": [
        (_softmax_no_max, "subtract the largest logit"),
        (_softmax_global_max, "each row's own maximum"),
        (_softmax_axis_0, "other axis"),
        (_softmax_ignoring_dim, "use the `dim` argument"),
        (_softmax_total_sum, "not by the sum of the whole tensor"),
        (_softmax_not_normalised, "divide the exponentials by their sum"),
        (_softmax_no_exp, "take the exponential first"),
        (_log_softmax, "not their logarithm"),
        (_softmax_min_subtracted, "expected 1, got nan"),
        (_softmax_neg_inf_to_zero, "with -inf entries"),
        (_softmax_clamped, "logits [1000, 1001]"),
        (_softmax_in_place, "changed its input `logits` in place"),
    ],
    "ch07.softmax_with_temperature": [
        (_temperature_multiplied, "do not multiply"),
        (_temperature_after_softmax, "before softmax"),
        (_temperature_zero_divided, "handled before dividing"),
        (_temperature_zero_argmax, "one-hot vector"),
        (_temperature_zero_all_ties, "first of the tied logits only"),
        (_temperature_zero_last_tie, "not the last"),
        (_temperature_naive, "subtract the largest logit"),
        (_temperature_tiny_instead_of_zero, "handle it first with a one-hot"),
        (_temperature_negative_accepted, "promises ValueError"),
        (_temperature_square_root, "at temperature 0.5"),
    ],
    "ch07.sample": [
        (_sample_argmax, "argmax"),
        (_sample_ignoring_generator, "did not move"),
        (_sample_fresh_generator, "did not move"),
        (_sample_reseeding, "starts afresh on every call"),
        (_sample_keeping_last_dim, "Drop the last dimension"),
        (_sample_uniform, "uniformly"),
        (_sample_off_by_one, "off by one"),
        (_sample_first_row_only, "draw every row from the first one"),
        (_sample_softmax_again, "match softmax(probs)"),
        (_sample_float_ids, "whole-number ids"),
        (_sample_searchsorted_off_by_one, "off by one"),
        (_sample_noise_argmax, "its probability is 0"),
        (_sample_gumbel_wrong_sign, "as often as that row's probabilities say"),
        (_sample_global_rand, "did not move"),
        (_sample_one_uniform_for_all_rows, "as often as that row's probabilities say"),
        (_sample_flattened, "the ids run from 0 to 4"),
    ],
    "ch07.top_k_filter": [
        (_top_k_zero_fill, "not 0"),
        (_top_k_smallest, "not the k smallest"),
        (_top_k_one_too_many, "off by one"),
        (_top_k_strict, "strictly below"),
        (_top_k_exactly_k, "ties at the k-th value are kept"),
        (_top_k_crashing_on_large_k, "keeps every token"),
        (_top_k_probabilities, "softmax comes later"),
        (_top_k_in_place, "in place"),
        (_top_k_values_only, "expected (5,)"),
        (_top_k_large_negative, "got -1e+09"),
        (_top_k_whole_batch, "a batch of 3 rows"),
    ],
    "ch07.top_p_filter": [
        (_top_p_dropping_the_crossing_token, "carries the sum past p"),
        (_top_p_zero_fill, "not 0"),
        (_top_p_unsorted, "in the order of their ids"),
        (_top_p_ascending, "least probable"),
        (_top_p_left_sorted, "tokens' own order"),
        (_top_p_on_logits, "not the logits themselves"),
        (_top_p_higher_id_first, "stable=True"),
        (_top_p_first_and_sum_within, "still drops the one that crosses p"),
        (_top_p_in_place, "in place"),
    ],
    "ch07.cross_entropy": [
        (_ce_summed, "do not sum"),
        (_ce_no_minus, "*minus*"),
        (_ce_naive_softmax, "naive softmax"),
        (_ce_log_of_softmax, "rounds to 0"),
        (_ce_whole_vocabulary, "only the true token"),
        (_ce_bits, "natural log"),
        (_ce_mean_over_batch_only, "the batch and the sequence alike"),
        (_ce_functional_on_batches, "Expected target size"),
        (_ce_log_softmax_plus_epsilon, "expected 20000"),
        (_ce_perplexity, "log-sum-exp"),
        (_ce_nll_of_logits, "log-sum-exp"),
    ],
}
