"""Plausible wrong answers to chapter 08's exercises, written as a learner would, and what the message must say."""

import math

import torch


def _tril(T):
    return torch.tril(torch.ones(T, T, dtype=torch.bool))


# ch08.attention_scores


def scores_unscaled(q, k):
    return q @ k.transpose(-2, -1)


def scores_over_d(q, k):
    return q @ k.transpose(-2, -1) / q.shape[-1]


def scores_times_sqrt_d(q, k):
    return q @ k.transpose(-2, -1) * math.sqrt(q.shape[-1])


def scores_keys_times_queries(q, k):
    return k @ q.transpose(-2, -1) / math.sqrt(q.shape[-1])


def scores_over_sqrt_tokens(q, k):
    return q @ k.transpose(-2, -1) / math.sqrt(k.shape[-2])


def scores_elementwise(q, k):
    return (q * k).sum(-1) / math.sqrt(q.shape[-1])  # a dot product of pairs, not of every query with every key


def scores_with_dot_t(q, k):
    return q @ k.T / math.sqrt(q.shape[-1])  # .T reverses every dimension of a batched k: a crash


def scores_scaled_in_place(q, k):
    q /= math.sqrt(q.shape[-1])  # changes the caller's queries
    return q @ k.transpose(-2, -1)


def scores_queries_transposed(q, k):
    return q.transpose(-2, -1) @ k / math.sqrt(q.shape[-1])  # (d, d), not (T_q, T_k)


def scores_softmaxed(q, k):
    return torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]), dim=-1)  # weights, one step too far


def scores_over_sqrt_queries(q, k):
    return q @ k.transpose(-2, -1) / math.sqrt(q.shape[-2])  # the number of queries, not their width


# ch08.causal_mask


def mask_upper(T):
    return torch.triu(torch.ones(T, T, dtype=torch.bool))


def mask_strict(T):
    return torch.tril(torch.ones(T, T, dtype=torch.bool), diagonal=-1)


def mask_blocked_means_true(T):
    return torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)  # torch.nn.MultiheadAttention's convention


def mask_float(T):
    return torch.tril(torch.ones(T, T))


def mask_nothing(T):
    return torch.ones(T, T, dtype=torch.bool)


def mask_diagonal_only(T):
    return torch.eye(T, dtype=torch.bool)


def mask_int(T):
    return torch.tril(torch.ones(T, T, dtype=torch.int64))


def mask_one_step_ahead(T):
    return torch.ones(T, T, dtype=torch.bool).tril(1)


def mask_with_batch_dim(T):
    return torch.tril(torch.ones(1, T, T, dtype=torch.bool))


def mask_numpy(T):
    import numpy as np

    return np.tril(np.ones((T, T), dtype=bool))


def mask_fixed_size(T):
    return torch.tril(torch.ones(4, 4, dtype=torch.bool))  # the T of the example, not the argument


# ch08.attention_weights


def weights_nan_rows(scores, mask=None):
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return torch.softmax(scores, dim=-1)


def weights_query_axis(scores, mask=None):
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return torch.softmax(scores, dim=-2).nan_to_num(0.0)


def weights_mask_after(scores, mask=None):
    weights = torch.softmax(scores, dim=-1)
    return weights if mask is None else weights * mask


def weights_masked_to_zero(scores, mask=None):
    if mask is not None:
        scores = torch.where(mask, scores, torch.zeros_like(scores))
    return torch.softmax(scores, dim=-1)


def weights_forgets_none(scores, mask=None):
    weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)  # ~None: a TypeError
    return weights.masked_fill(~mask, 0.0)


def weights_mask_ignored(scores, mask=None):
    return torch.softmax(scores, dim=-1)


def weights_in_place(scores, mask=None):
    if mask is not None:
        scores.masked_fill_(~mask, float("-inf"))  # changes the caller's tensor
    return torch.softmax(scores, dim=-1).nan_to_num(0.0)


def weights_inverted(scores, mask=None):
    if mask is not None:
        scores = scores.masked_fill(mask, float("-inf"))
    return torch.softmax(scores, dim=-1).nan_to_num(0.0)


def weights_no_max_subtracted(scores, mask=None):
    exps = torch.exp(scores)  # exp(120) overflows float32 to inf, and inf / inf is nan
    if mask is not None:
        exps = exps * mask
    totals = exps.sum(dim=-1, keepdim=True)
    return exps / torch.where(totals > 0, totals, torch.ones_like(totals))


def weights_large_negative(scores, mask=None):
    if mask is not None:
        scores = scores.masked_fill(~mask, -1e9)  # a row with every key masked comes out uniform, not zeros
    return torch.softmax(scores, dim=-1)


def weights_renormalised_after(scores, mask=None):
    weights = torch.softmax(scores, dim=-1)
    if mask is None:
        return weights
    weights = weights * mask
    return weights / weights.sum(dim=-1, keepdim=True)  # 0 / 0 on a row with every key masked


def weights_first_axis(scores, mask=None):
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return torch.softmax(scores, dim=0).nan_to_num(0.0)


# ch08.single_head_attention: each differs from the right answer in one step


def _single(x, w_q, w_k, w_v, *, scale=None, allowed=None, axis=-1, keys_first=False, values=None):
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    T = x.shape[-2]
    scores = k @ q.transpose(-2, -1) if keys_first else q @ k.transpose(-2, -1)
    scores = scores / (math.sqrt(q.shape[-1]) if scale is None else scale)
    allowed = _tril(T) if allowed is None else allowed
    weights = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=axis)
    return weights @ (v if values is None else values(x, w_k))


def single_no_mask(x, w_q, w_k, w_v):
    return _single(x, w_q, w_k, w_v, allowed=torch.ones(x.shape[-2], x.shape[-2], dtype=torch.bool))


def single_strict_mask(x, w_q, w_k, w_v):
    return _single(x, w_q, w_k, w_v, allowed=torch.tril(torch.ones(x.shape[-2], x.shape[-2]), -1).bool())


def single_query_axis(x, w_q, w_k, w_v):
    return _single(x, w_q, w_k, w_v, axis=-2)


def single_unscaled(x, w_q, w_k, w_v):
    return _single(x, w_q, w_k, w_v, scale=1.0)


def single_keys_times_queries(x, w_q, w_k, w_v):
    return _single(x, w_q, w_k, w_v, keys_first=True)


def single_scaled_by_width(x, w_q, w_k, w_v):
    return _single(x, w_q, w_k, w_v, scale=math.sqrt(x.shape[-1]))


def single_mask_after(x, w_q, w_k, w_v):
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    weights = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]), dim=-1)
    return (weights * _tril(x.shape[-2])) @ v


def single_masked_to_zero(x, w_q, w_k, w_v):
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    scores = (q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])) * _tril(x.shape[-2])
    return torch.softmax(scores, dim=-1) @ v


def single_sums_keys(x, w_q, w_k, w_v):
    return _single(x, w_q, w_k, w_v, values=lambda x, w_k: x @ w_k)


def single_modifies_x(x, w_q, w_k, w_v):
    x /= 1.0  # an in-place division: the numbers stay, but the caller's x is written to
    x[..., 0, :] = x[..., 0, :] * 1.0
    out = _single(x, w_q, w_k, w_v)
    x.mul_(2.0)
    return out


def single_mask_from_shape_1(x, w_q, w_k, w_v):
    return _single(x, w_q, w_k, w_v, allowed=_tril(x.shape[1]))  # x.shape[1] is C when x is (T, C)


def single_values_from_queries(x, w_q, w_k, w_v):
    return _single(x, w_q, w_k, w_v, values=lambda x, w_k: x @ w_q)


def single_values_are_x(x, w_q, w_k, w_v):
    return _single(x, w_q, w_k, w_v, values=lambda x, w_k: x)  # no value map: width C, not d_head


def single_returns_weights(x, w_q, w_k, w_v):
    q, k = x @ w_q, x @ w_k
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    return torch.softmax(scores.masked_fill(~_tril(x.shape[-2]), float("-inf")), dim=-1)  # forgot @ v


# ch08.multi_head_attention: the GPT-2 recipe with one step changed


def _multi(x, w_q, w_k, w_v, w_o, n_head, *, scale=None, split=True, merge=True, project=True, allowed=None, axis=-1):
    B, T, C = x.shape
    D = C // n_head
    if split:
        q, k, v = ((x @ w).view(B, T, n_head, D).transpose(1, 2) for w in (w_q, w_k, w_v))
    else:
        q, k, v = ((x @ w).view(B, n_head, T, D) for w in (w_q, w_k, w_v))
    scores = q @ k.transpose(-2, -1) / (math.sqrt(D) if scale is None else scale)
    allowed = _tril(T) if allowed is None else allowed
    weights = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=axis)
    out = weights @ v
    out = out.transpose(1, 2).reshape(B, T, C) if merge else out.reshape(B, T, C)
    return out @ w_o if project else out


def multi_scaled_by_sqrt_c(x, w_q, w_k, w_v, w_o, n_head):
    return _multi(x, w_q, w_k, w_v, w_o, n_head, scale=math.sqrt(x.shape[-1]))


def multi_unscaled(x, w_q, w_k, w_v, w_o, n_head):
    return _multi(x, w_q, w_k, w_v, w_o, n_head, scale=1.0)


def multi_split_without_transpose(x, w_q, w_k, w_v, w_o, n_head):
    return _multi(x, w_q, w_k, w_v, w_o, n_head, split=False)


def multi_merge_without_transpose(x, w_q, w_k, w_v, w_o, n_head):
    return _multi(x, w_q, w_k, w_v, w_o, n_head, merge=False)


def multi_no_output_projection(x, w_q, w_k, w_v, w_o, n_head):
    return _multi(x, w_q, w_k, w_v, w_o, n_head, project=False)


def multi_no_mask(x, w_q, w_k, w_v, w_o, n_head):
    T = x.shape[1]
    return _multi(x, w_q, w_k, w_v, w_o, n_head, allowed=torch.ones(T, T, dtype=torch.bool))


def multi_query_axis(x, w_q, w_k, w_v, w_o, n_head):
    return _multi(x, w_q, w_k, w_v, w_o, n_head, axis=-2)


def multi_strict_mask(x, w_q, w_k, w_v, w_o, n_head):
    T = x.shape[1]
    return _multi(x, w_q, w_k, w_v, w_o, n_head, allowed=torch.ones(T, T, dtype=torch.bool).tril(-1))


def multi_split_strided(x, w_q, w_k, w_v, w_o, n_head):
    B, T, C = x.shape
    d_head = C // n_head
    q, k, v = (
        (x @ w).view(B, T, d_head, n_head).permute(0, 3, 1, 2) for w in (w_q, w_k, w_v)
    )  # head h gets every n_head-th number, not a block of d_head
    weights = torch.softmax((q @ k.transpose(-2, -1) / math.sqrt(d_head)).masked_fill(~_tril(T), float("-inf")), -1)
    return (weights @ v).transpose(1, 2).reshape(B, T, C) @ w_o


def multi_output_projection_transposed(x, w_q, w_k, w_v, w_o, n_head):
    return _multi(x, w_q, w_k, w_v, w_o.T, n_head)


def multi_scaled_by_sqrt_n_head(x, w_q, w_k, w_v, w_o, n_head):
    return _multi(x, w_q, w_k, w_v, w_o, n_head, scale=math.sqrt(n_head))


def multi_one_wide_head(x, w_q, w_k, w_v, w_o, n_head):
    return _multi(x, w_q, w_k, w_v, w_o, 1)  # n_head ignored


def multi_merge_with_view(x, w_q, w_k, w_v, w_o, n_head):
    B, T, C = x.shape
    q, k, v = ((x @ w).view(B, T, n_head, C // n_head).transpose(1, 2) for w in (w_q, w_k, w_v))
    weights = torch.softmax((q @ k.transpose(-2, -1) / math.sqrt(C // n_head)).masked_fill(~_tril(T), -math.inf), -1)
    return (weights @ v).transpose(1, 2).view(B, T, C) @ w_o  # view of a transposed tensor: a crash


# ch08.cross_attention


def _cross(x, context, w_q, w_k, w_v, *, causal=False, keys_from_x=False, swapped=False, axis=-1, scale=None):
    if swapped:
        x, context = context, x
    source = x if keys_from_x else context
    q, k, v = x @ w_q, source @ w_k, source @ w_v
    scores = q @ k.transpose(-2, -1) / (math.sqrt(q.shape[-1]) if scale is None else scale)
    if causal:
        scores = scores.masked_fill(~torch.ones_like(scores, dtype=torch.bool).tril(), float("-inf"))
    return torch.softmax(scores, dim=axis) @ v


def cross_causal(x, context, w_q, w_k, w_v):
    return _cross(x, context, w_q, w_k, w_v, causal=True)


def cross_keys_from_x(x, context, w_q, w_k, w_v):
    return _cross(x, context, w_q, w_k, w_v, keys_from_x=True)


def cross_swapped(x, context, w_q, w_k, w_v):
    return _cross(x, context, w_q, w_k, w_v, swapped=True)


def cross_query_axis(x, context, w_q, w_k, w_v):
    return _cross(x, context, w_q, w_k, w_v, axis=-2)


def cross_unscaled(x, context, w_q, w_k, w_v):
    return _cross(x, context, w_q, w_k, w_v, scale=1.0)


def cross_values_from_x(x, context, w_q, w_k, w_v):
    q, k, v = x @ w_q, context @ w_k, x @ w_v
    return torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]), dim=-1) @ v


def cross_scaled_by_width(x, context, w_q, w_k, w_v):
    return _cross(x, context, w_q, w_k, w_v, scale=math.sqrt(x.shape[-1]))  # C, not d_head


def cross_no_value_map(x, context, w_q, w_k, w_v):
    q, k = x @ w_q, context @ w_k
    return torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]), dim=-1) @ context


WRONG_ANSWERS = {
    "ch08.attention_scores": [
        (scores_unscaled, "not scaled"),
        (scores_over_d, "divided by d itself"),
        (scores_times_sqrt_d, "multiplied by sqrt(d)"),
        (scores_keys_times_queries, "keys times queries"),
        (scores_over_sqrt_tokens, "number of keys"),
        (scores_elementwise, "every query with every key"),
        (scores_with_dot_t, "transpose(-2, -1)"),
        (scores_scaled_in_place, "in place"),
        (scores_queries_transposed, "the shape is (3, 3), expected (4, 4)"),
        (scores_softmaxed, "expected 2.33665, got 0.00134474"),
        (scores_over_sqrt_queries, "math.sqrt(d), where d = q.shape[-1]"),
    ],
    "ch08.causal_mask": [
        (mask_upper, "allows the future"),
        (mask_strict, "diagonal is masked"),
        (mask_blocked_means_true, "other way round"),
        (mask_float, "torch.bool"),
        (mask_nothing, "nothing is masked"),
        (mask_diagonal_only, "only the diagonal"),
        (mask_int, "torch.bool"),
        (mask_one_step_ahead, "index (0, 1)"),
        (mask_with_batch_dim, "the shape is (1, 4, 4)"),
        (mask_numpy, "got ndarray"),
        (mask_fixed_size, "on T = 7, the shape is (4, 4)"),
    ],
    "ch08.attention_weights": [
        (weights_nan_rows, "not nan"),
        (weights_query_axis, "query axis"),
        (weights_mask_after, "after the softmax"),
        (weights_masked_to_zero, "exp(0) = 1"),
        (weights_mask_ignored, "mask was ignored"),
        (weights_forgets_none, "raised TypeError"),
        (weights_in_place, "in place"),
        (weights_inverted, "other way round"),
        (weights_no_max_subtracted, "overflows"),
        (weights_large_negative, "must be zeros, not nan"),
        (weights_renormalised_after, "your weights hold nan"),
        (weights_first_axis, "differ"),
    ],
    "ch08.single_head_attention": [
        (single_no_mask, "sees the future"),
        (single_strict_mask, "diagonal"),
        (single_query_axis, "query axis"),
        (single_unscaled, "not scaled"),
        (single_keys_times_queries, "keys times queries"),
        (single_scaled_by_width, "sqrt(C)"),
        (single_mask_after, "after the softmax"),
        (single_masked_to_zero, "exp(0) = 1"),
        (single_sums_keys, "not of the keys"),
        (single_modifies_x, "in place"),
        (single_mask_from_shape_1, "raised RuntimeError"),
        (single_values_from_queries, "values differ"),
        (single_values_are_x, "expected (2, 1, 4)"),
        (single_returns_weights, "the shape is (2, 1, 1)"),
    ],
    "ch08.multi_head_attention": [
        (multi_scaled_by_sqrt_c, "did you scale by sqrt(d_head)"),
        (multi_unscaled, "not scaled"),
        (multi_split_without_transpose, "split without the transpose"),
        (multi_merge_without_transpose, "merged without the transpose"),
        (multi_no_output_projection, "output projection"),
        (multi_no_mask, "sees the future"),
        (multi_query_axis, "query axis"),
        (multi_strict_mask, "diagonal"),
        (multi_split_strided, "values differ"),
        (multi_output_projection_transposed, "values differ"),
        (multi_scaled_by_sqrt_n_head, "values differ"),
        (multi_one_wide_head, "values differ"),
        (multi_merge_with_view, "Use .reshape"),
    ],
    "ch08.cross_attention": [
        (cross_causal, "no causal mask"),
        (cross_keys_from_x, "must come from the context"),
        (cross_swapped, "wrong way round"),
        (cross_query_axis, "query axis"),
        (cross_unscaled, "not scaled"),
        (cross_values_from_x, "raised RuntimeError"),
        (cross_scaled_by_width, "values differ"),
        (cross_no_value_map, "expected (2, 3, 4)"),
    ],
}
