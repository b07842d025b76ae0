"""Right answers to chapter 07's exercises in other forms: numpy arrays, float64, loops, another way to draw."""

import numpy as np
import torch


def softmax(logits, dim=-1):
    array = logits.detach().numpy().astype(np.float64)  # numpy, in float64
    exps = np.exp(array - array.max(axis=dim, keepdims=True))
    return exps / exps.sum(axis=dim, keepdims=True)


def softmax_with_temperature(logits, temperature):
    if temperature < 0:
        raise ValueError(f"the temperature must be at least 0, got {temperature}")
    if temperature == 0:
        return torch.nn.functional.one_hot(logits.argmax(dim=-1), logits.shape[-1])  # integers, not floats
    return torch.softmax(logits / temperature, dim=-1)


def sample(probs, generator):
    rows = probs.reshape(-1, probs.shape[-1])
    uniform = torch.rand(rows.shape[0], 1, generator=generator, dtype=rows.dtype)
    ids = torch.searchsorted(torch.cumsum(rows, dim=-1), uniform, right=True)[:, 0]  # inverse of the cumulative sum
    return ids.clamp(max=rows.shape[-1] - 1).reshape(probs.shape[:-1])


def top_k_filter(logits, k):
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    out = logits.clone()
    rows = out.reshape(-1, out.shape[-1])
    for row in rows:  # one row at a time
        if k < len(row):
            kth = sorted(row.tolist(), reverse=True)[k - 1]
            row[row < kth] = float("-inf")
    return out


def top_p_filter(logits, p):
    if not 0 < p <= 1:
        raise ValueError(f"p must be in (0, 1], got {p}")
    rows = logits.reshape(-1, logits.shape[-1])
    out = torch.full_like(rows, float("-inf"))
    for row, filtered in zip(rows, out, strict=True):
        probs = torch.softmax(row, dim=-1).tolist()
        total = 0.0
        for token in sorted(range(len(probs)), key=lambda i: (-probs[i], i)):  # likeliest first, lower id on ties
            filtered[token] = row[token]
            total += probs[token]
            if total >= p:
                break
    return out.reshape(logits.shape)


def cross_entropy(logits, targets):
    log_probs = logits - torch.logsumexp(logits, dim=-1, keepdim=True)
    return float(-log_probs.gather(-1, targets[..., None]).mean())  # a Python float


OTHER_FORMS = {
    "ch07.softmax": softmax,
    "ch07.softmax_with_temperature": softmax_with_temperature,
    "ch07.sample": sample,
    "ch07.top_k_filter": top_k_filter,
    "ch07.top_p_filter": top_p_filter,
    "ch07.cross_entropy": cross_entropy,
}
