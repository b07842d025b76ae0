"""Sampling: drawing the next token at random, each with the probability the model gave it.

Chapter 03 writes :func:`sample_next` (exercise ``ch03.sample_next``) to generate text by predict, sample,
append. :func:`sample_next_token` is the draw a GPT's generate loop makes from its scores, with temperature
and top-k; chapter 00 uses it as a black box and chapter 07 explains it.
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
) -> torch.Tensor:
    """Draw one token id per row of ``logits`` (B, V) -> (B,) on the CPU: what a GPT's generate loop draws.

    Temperature 0 returns the argmax; otherwise the logits are divided by ``temperature``, cut to the ``top_k``
    largest if given, turned into probabilities by softmax and sampled with ``generator``.
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
    logits = logits / temperature
    if top_k is not None and top_k < logits.shape[-1]:
        kth_largest = torch.topk(logits, top_k, dim=-1).values[:, -1:]
        logits = logits.masked_fill(logits < kth_largest, float("-inf"))
    probs = F.softmax(logits, dim=-1)
    return torch.multinomial(probs, num_samples=1, generator=generator)[:, 0]
