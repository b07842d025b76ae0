"""Text as numbers: a character vocabulary, encoding and decoding, and training examples cut by a sliding window.

Chapter 03 teaches these (its exercises ``ch03.encode``, ``ch03.decode`` and ``ch03.sliding_windows`` are
checked against the functions here); every later chapter imports them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch


def char_vocab(text: str) -> list[str]:
    """The sorted list of distinct characters in ``text``: position ``i`` holds the character with id ``i``."""
    if not isinstance(text, str) or not text:
        raise ValueError(f"char_vocab needs a non-empty string, got {text!r:.40}.")
    return sorted(set(text))


def encode(text: str, vocab: list[str]) -> list[int]:
    """Turn ``text`` into a list of ids: each character becomes its position in ``vocab``.

    >>> encode("hi", ["h", "i"])
    [0, 1]
    """
    char_to_id = {char: index for index, char in enumerate(vocab)}
    ids = []
    for char in text:
        if char not in char_to_id:
            raise KeyError(
                f"The character {char!r} is not in the vocabulary: build the vocabulary from text that holds it."
            )
        ids.append(char_to_id[char])
    return ids


def decode(ids: Sequence[int], vocab: list[str]) -> str:
    """Turn a sequence of ids back into text: id ``i`` becomes ``vocab[i]``.

    >>> decode([0, 1], ["h", "i"])
    'hi'
    """
    chars = []
    for token_id in ids:
        token_id = int(token_id)
        if not 0 <= token_id < len(vocab):
            raise IndexError(f"The id {token_id} is outside the vocabulary, whose ids run from 0 to {len(vocab) - 1}.")
        chars.append(vocab[token_id])
    return "".join(chars)


def sliding_windows(ids: Sequence[int], context: int) -> tuple[np.ndarray, np.ndarray]:
    """Every training example in ``ids``: ``context`` ids in a row, and the id that follows them.

    Returns ``(inputs, targets)``: ``inputs[i]`` is ``ids[i : i + context]`` and ``targets[i]`` is
    ``ids[i + context]``, for each of the ``len(ids) - context`` positions the window can take.

    >>> sliding_windows([5, 6, 7, 8], context=2)
    (array([[5, 6],
           [6, 7]]), array([7, 8]))
    """
    if context < 1:
        raise ValueError(f"context must be at least 1, got {context}.")
    if len(ids) <= context:
        raise ValueError(f"A window of {context} ids needs at least {context + 1} ids, got {len(ids)}.")
    ids = np.asarray(ids)
    inputs = np.stack([ids[start : start + context] for start in range(len(ids) - context)])
    targets = ids[context:]
    return inputs, targets


def random_windows(
    ids: torch.Tensor, context: int, batch_size: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """A batch of ``batch_size`` windows from random places in ``ids``, for next-token training.

    Returns ``(inputs, targets)``, each of shape ``(batch_size, context)``, where ``targets`` is ``inputs``
    shifted one to the left: at every position, the model learns to predict the id that comes next. The
    starting places are drawn with ``generator`` (a CPU generator), so a seed gives the same batches on any
    device; the batch lives on the device of ``ids``.
    """
    if ids.ndim != 1:
        raise ValueError(f"ids must be one long 1-D tensor of token ids, got shape {tuple(ids.shape)}.")
    if len(ids) <= context:
        raise ValueError(f"A window of {context} ids needs at least {context + 1} ids, got {len(ids)}.")
    starts = torch.randint(len(ids) - context, (batch_size,), generator=generator).to(ids.device)
    offsets = torch.arange(context, device=ids.device)
    positions = starts[:, None] + offsets[None, :]
    return ids[positions], ids[positions + 1]
