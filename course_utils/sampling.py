"""Sampling: from a model's scores (logits) to probabilities, and to the next token drawn at random.

Chapter 03 writes :func:`sample_next` (exercise ``ch03.sample_next``) to generate text by predict, sample,
append. :func:`sample_next_token` is the draw a GPT's generate loop makes from its scores, with temperature,
top-k and top-p; chapter 00 uses it as a black box and chapter 07 takes it apart: :func:`softmax`,
:func:`softmax_with_temperature`, :func:`sample`, :func:`top_k_filter`, :func:`top_p_filter` and
:func:`cross_entropy` are that chapter's exercises, each working over the last dimension of a tensor with any
number of leading (batch) dimensions.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from course_utils import validate


def sample_next(probabilities: torch.Tensor, generator: torch.Generator) -> int:
    """Draw one id at random: id ``i`` comes up with probability ``probabilities[i]``.

    ``probabilities`` is a 1-D tensor of ``vocab_size`` numbers, none negative, that add up to 1. ``generator``
    is a seeded CPU ``torch.Generator``: every random number is drawn from it, so the same seed gives the same
    draws. Returns the drawn id as a plain Python ``int``.

    >>> sample_next(torch.tensor([0.0, 1.0, 0.0]), torch.Generator().manual_seed(0))
    1
    """
    validate.probabilities(probabilities, "probabilities", ndim=1)
    generator = validate.generator(generator, "generator")
    probabilities = torch.as_tensor(probabilities).cpu()  # a CPU generator draws on the CPU
    drawn = torch.multinomial(probabilities, num_samples=1, generator=generator)
    return drawn.item()


def check_temperature(temperature: float) -> None:
    """Raise a ValueError unless ``temperature`` is a number of at least 0 (0 means: always the likeliest)."""
    validate.real_number(temperature, "temperature", minimum=0.0, hint="0 means: always the likeliest token.")


def sample_next_token(
    logits: torch.Tensor,
    temperature: float = 1.0,
    top_k: int | None = None,
    generator: torch.Generator | None = None,
    top_p: float | None = None,
) -> torch.Tensor:
    """Draw one token id per row of ``logits`` (B, V) -> (B,) on the CPU: what a GPT's generate loop draws.

    Temperature 0 returns the argmax; otherwise the logits are divided by ``temperature``, cut to the ``top_k``
    largest and then to the nucleus of probability ``top_p`` if given, turned into probabilities by softmax
    (:func:`next_token_distribution`) and sampled with ``generator``.
    """
    check_temperature(temperature)
    if top_k is not None:
        validate.whole_number(top_k, "top_k", minimum=1, hint="Or None to keep every token.")
    if generator is not None:
        validate.generator(generator, "generator")
    validate.float_tensor(
        logits,
        "logits",
        shape=(None, None),
        labels=("batch", "vocab_size"),
        hint="For one row of scores, add a batch dimension with logits[None].",
    )
    logits = logits.detach().float().cpu()
    if torch.isnan(logits).any():  # checked on the CPU copy, so a GPU is not made to wait twice
        raise ValueError("logits must not hold NaN: has the training diverged (try a smaller learning rate)?")
    if temperature == 0:
        return logits.argmax(dim=-1)
    probs = next_token_distribution(logits, temperature, top_k, top_p)
    return torch.multinomial(probs, num_samples=1, generator=generator)[:, 0]


# --------------------------------------------------------------------------------------------------------------
# Chapter 07: from logits to the next token. Each function works over the last dimension, with any number of
# leading (batch) dimensions, and refuses input it cannot give a right answer for.


def check_logits(logits: torch.Tensor, dim: int = -1) -> None:
    """Raise a clear error unless ``logits`` is a float tensor of scores that softmax can turn into
    probabilities along ``dim``: no nan, no +inf, and in every row at least one score above -inf."""
    validate.float_tensor(logits, "logits")
    if logits.ndim == 0 or logits.shape[dim] == 0:
        raise ValueError(f"logits must have at least one score along dimension {dim}, got shape {tuple(logits.shape)}.")
    if bool(torch.isnan(logits).any()) or bool(torch.isposinf(logits).any()):
        raise ValueError(
            "logits hold nan or +inf, which no probability can come from: look at what produced them "
            "(a division by zero, an overflow in float16)."
        )
    if bool(torch.isneginf(logits).all(dim=dim).any()):
        raise ValueError(
            "a row of logits is -inf everywhere, so every token has probability 0 and there is nothing to draw: "
            "keep at least one token (a filter with k >= 1 or p > 0 always does)."
        )


def check_probabilities(probs: torch.Tensor) -> None:
    """Raise a clear error unless every row of ``probs`` (..., V) is a probability distribution: numbers of
    at least 0 that add up to 1 (to within 0.001)."""
    validate.float_tensor(probs, "probs", hint="Pass probabilities, such as softmax(logits).")
    if probs.ndim == 0 or probs.shape[-1] == 0:
        raise ValueError(f"probs must have at least one probability per row, got shape {tuple(probs.shape)}.")
    if bool(torch.isnan(probs).any()) or bool((probs < 0).any()):
        raise ValueError("probs hold negative numbers or nan: pass probabilities, e.g. softmax(logits).")
    totals = probs.sum(dim=-1)
    worst = float((totals - 1).abs().max())
    if worst > 1e-3:
        raise ValueError(
            f"every row of probs must add up to 1, but a row adds up to "
            f"{float(totals.flatten()[(totals - 1).abs().flatten().argmax()]):.4f}: pass probabilities "
            f"(softmax(logits)), not logits or counts."
        )


def check_generator(generator: torch.Generator) -> None:
    """Raise a clear error unless ``generator`` is a CPU ``torch.Generator`` (the same seed then draws the same
    numbers on any machine)."""
    validate.generator(generator, "generator")


def check_top_k(k: int, name: str = "k") -> None:
    """Raise a TypeError unless ``k`` is a whole number, a ValueError unless it is at least 1 (a k at least the
    vocabulary size keeps every token). ``name`` is the parameter's name in the message."""
    validate.whole_number(k, name, minimum=1, hint="(A k at least the vocabulary size keeps every token.)")


def check_top_p(p: float, name: str = "p") -> None:
    """Raise a TypeError unless ``p`` is a number, a ValueError unless 0 < p <= 1 (1 keeps every token that has
    a chance). ``name`` is the parameter's name in the message."""
    validate.real_number(p, name, above=0.0, maximum=1.0, hint="(p = 1 keeps every token that has a chance.)")


def check_targets(logits: torch.Tensor, targets: torch.Tensor) -> None:
    """Raise a clear error unless ``targets`` holds one whole-number id per position of ``logits`` (..., V), each
    from 0 to V - 1."""
    if not isinstance(targets, torch.Tensor) or targets.dtype.is_floating_point or targets.dtype == torch.bool:
        raise TypeError(
            f"targets must be a tensor of whole-number token ids (dtype torch.long), got "
            f"{getattr(targets, 'dtype', type(targets).__name__)}."
        )
    if targets.shape != logits.shape[:-1]:
        raise ValueError(
            f"targets {tuple(targets.shape)} must have the shape of logits {tuple(logits.shape)} without its last "
            f"dimension (the vocabulary): one target id per position."
        )
    vocab_size = logits.shape[-1]
    if targets.numel() and (int(targets.min()) < 0 or int(targets.max()) >= vocab_size):
        raise ValueError(
            f"targets hold ids from {int(targets.min())} to {int(targets.max())}, but with {vocab_size} logits per "
            f"position the ids run from 0 to {vocab_size - 1}."
        )


def softmax(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """Turn scores into probabilities along ``dim``: the exp of each logit, divided by the sum of the exps.

    ``logits`` is a float tensor of any shape; the result has the same shape, every entry in [0, 1], and adds up
    to 1 along ``dim``. The largest logit is subtracted first, which changes nothing in the result (only
    differences between logits matter) but keeps ``exp`` from overflowing on large logits such as 1000. A logit
    of -inf gets probability 0.
    """
    check_logits(logits, dim)
    shifted = logits - logits.amax(dim=dim, keepdim=True)  # the largest becomes 0, so exp stays at most 1
    exps = torch.exp(shifted)
    return exps / exps.sum(dim=dim, keepdim=True)


def softmax_with_temperature(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """Softmax of ``logits / temperature`` over the last dimension: (..., V) -> (..., V).

    A temperature below 1 sharpens the distribution, above 1 flattens it. Temperature 0 is the limit: a one-hot
    at the largest logit (the first one, on ties), of the logits' float dtype, with no division by zero. A
    negative temperature raises a ValueError.
    """
    check_logits(logits)
    check_temperature(temperature)
    if temperature == 0:
        return F.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)
    # subtract the largest logit before dividing, so that a tiny temperature cannot overflow to inf
    shifted = logits - logits.amax(dim=-1, keepdim=True)
    return softmax(shifted / temperature)


def sample(probs: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Draw one token id per row of ``probs`` (..., V): id ``i`` with probability ``probs[..., i]``.

    Returns a long tensor of shape ``probs.shape[:-1]`` (a 0-dimensional tensor for one row of shape (V,)).
    Every random number comes from ``generator``, a seeded CPU ``torch.Generator``: the same seed gives the same
    draws, on any machine.
    """
    check_probabilities(probs)
    check_generator(generator)
    rows = probs.detach().cpu().reshape(-1, probs.shape[-1])  # multinomial draws from each row of a matrix
    drawn = torch.multinomial(rows, num_samples=1, generator=generator)  # (rows, 1)
    return drawn.reshape(probs.shape[:-1])


def top_k_filter(logits: torch.Tensor, k: int) -> torch.Tensor:
    """Keep the ``k`` largest logits of each row (..., V) and set every other one to -inf.

    A logit equal to the k-th largest is kept, so ties can keep more than k. A ``k`` at least the vocabulary
    size keeps every token; a ``k`` below 1 raises a ValueError. The result has the shape of ``logits``; softmax
    of it gives the filtered tokens probability 0.
    """
    check_logits(logits)
    check_top_k(k)
    if k >= logits.shape[-1]:
        return logits.clone()
    kth_largest = torch.topk(logits, k, dim=-1).values[..., -1:]  # (..., 1)
    return logits.masked_fill(logits < kth_largest, float("-inf"))


def top_p_filter(logits: torch.Tensor, p: float) -> torch.Tensor:
    """Keep the nucleus of each row (..., V): the smallest set of most probable tokens whose probabilities (the
    softmax of ``logits``) add up to at least ``p``; set every other logit to -inf.

    The token whose probability carries the sum past ``p`` is kept, so at least one token always is. Tokens are
    ranked by a stable sort, so among tokens tied at the cut-off the lower ids come first. ``p`` must be in
    (0, 1]: another value raises a ValueError.
    """
    check_logits(logits)
    check_top_p(p)
    sorted_logits, order = torch.sort(logits, dim=-1, descending=True, stable=True)
    sorted_probs = softmax(sorted_logits)
    ahead = torch.cumsum(sorted_probs, dim=-1) - sorted_probs  # the probability of the tokens ranked before
    drop_sorted = ahead >= p  # the token that crosses p has less than p ahead of it, so it stays
    drop = torch.zeros_like(drop_sorted).scatter(-1, order, drop_sorted)  # back to the tokens' own order
    return logits.masked_fill(drop, float("-inf"))


def cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The loss of next-token prediction: minus the log of the probability each position gives its true next
    token, averaged over every position.

    ``logits`` is (..., V) and ``targets`` (...) holds token ids from 0 to V - 1. Returns a 0-dimensional tensor.
    The log of the probability is computed as ``logit - logsumexp(logits)`` with the largest logit subtracted
    inside the exp, so that no softmax is formed and nothing overflows or takes the log of 0.
    """
    check_logits(logits)
    check_targets(logits, targets)
    largest = logits.amax(dim=-1, keepdim=True)  # (..., 1)
    shifted_log_sum_exp = torch.log(torch.exp(logits - largest).sum(dim=-1))  # (...): log-sum-exp minus largest
    true_logits = logits.gather(-1, targets.long()[..., None])[..., 0]  # (...)
    # log-sum-exp minus the true logit, the two large numbers (largest, true logit) subtracted first for precision
    return (largest[..., 0] - true_logits + shifted_log_sum_exp).mean()


def entropy(probs: torch.Tensor) -> torch.Tensor:
    """The entropy of each distribution (..., V) -> (...), in nats: the average of -log p, weighted by p.

    0 for a one-hot, ``log(V)`` for the uniform distribution over V tokens (a token of probability 0 adds 0).
    """
    check_probabilities(probs)
    return torch.special.entr(probs).sum(dim=-1)


def next_token_distribution(
    logits: torch.Tensor, temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None
) -> torch.Tensor:
    """The distribution a token is drawn from: ``logits`` (..., V) divided by ``temperature``, cut to the
    ``top_k`` largest, then to the nucleus of probability ``top_p`` (each if given), then softmax. Temperature 0
    is a one-hot at the largest logit, as :func:`softmax_with_temperature` gives."""
    check_temperature(temperature)
    if top_k is not None:
        check_top_k(top_k, "top_k")  # named as the caller wrote it, before top_k_filter would call it k
    if top_p is not None:
        check_top_p(top_p, "top_p")
    if temperature == 0:
        return softmax_with_temperature(logits, 0)
    logits = logits / temperature  # as GPT generate loops do; an overflow to inf is refused by check_logits
    check_logits(logits)
    if top_k is not None:
        logits = top_k_filter(logits, top_k)
    if top_p is not None:
        logits = top_p_filter(logits, top_p)
    return F.softmax(logits, dim=-1)
