"""Sampling: drawing the next token at random, each with the probability the model gave it.

Chapter 03 writes :func:`sample_next` (exercise ``ch03.sample_next``) to generate text by predict, sample,
append; chapter 07 adds temperature, top-k and top-p, and chapter 10 samples its GPT with the same draw.
"""

from __future__ import annotations

import torch


def sample_next(probabilities: torch.Tensor, generator: torch.Generator) -> int:
    """Draw one id at random: id ``i`` comes up with probability ``probabilities[i]``.

    ``probabilities`` is a 1-D tensor of ``vocab_size`` numbers, none negative, that add up to 1. ``generator``
    is a seeded CPU ``torch.Generator``: every random number is drawn from it, so the same seed gives the same
    draws. Returns the drawn id as a plain Python ``int``.

    >>> sample_next(torch.tensor([0.0, 1.0, 0.0]), torch.Generator().manual_seed(0))
    1
    """
    probabilities = torch.as_tensor(probabilities).cpu()  # a CPU generator draws on the CPU
    if probabilities.ndim != 1 or len(probabilities) == 0:
        raise ValueError(f"probabilities must be a non-empty 1-D tensor, got shape {tuple(probabilities.shape)}.")
    total = float(probabilities.sum())
    if bool((probabilities < 0).any()) or abs(total - 1.0) > 1e-3:
        raise ValueError(
            f"probabilities must be non-negative and add up to 1, they add up to {total:.4f}: "
            f"divide by their sum (or apply softmax to scores) first."
        )
    drawn = torch.multinomial(probabilities, num_samples=1, generator=generator)
    return drawn.item()
