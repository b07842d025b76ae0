"""Text as numbers: a character vocabulary, encoding and decoding, one-hot vectors, and training examples cut by
a sliding window.

Chapter 03 teaches these (its exercises ``ch03.encode``, ``ch03.decode``, ``ch03.one_hot`` and
``ch03.sliding_windows`` are checked against the functions here); every later chapter imports them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from course_utils import validate


def char_vocab(text: str) -> list[str]:
    """The sorted list of distinct characters in ``text``: position ``i`` holds the character with id ``i``."""
    text = validate.text(text, "text")
    return sorted(set(text))


def encode(text: str, vocab: list[str]) -> list[int]:
    """Turn ``text`` into a list of ids: each character becomes its position in ``vocab``.

    ``text`` is a string and ``vocab`` a list of distinct characters; the result has one id per character of
    ``text`` (an empty text gives an empty list). A character that is not in ``vocab`` raises a ``KeyError``.

    >>> encode("hi", ["h", "i"])
    [0, 1]
    """
    text = validate.text(text, "text", allow_empty=True, hint="Did you swap text and vocab?")
    validate.char_vocab(vocab, "vocab")
    char_to_id = {char: index for index, char in enumerate(vocab)}
    ids = []
    for position, char in enumerate(text):
        if char not in char_to_id:
            raise KeyError(
                f"The character {char!r} (at position {position} of the text) is not in the vocabulary of "
                f"{len(vocab)} characters: build the vocabulary from text that holds it."
            )
        ids.append(char_to_id[char])
    return ids


def encode_array(text: str, vocab: list[str]) -> np.ndarray:
    """The ids of :func:`encode`, as an int64 array, computed without a Python loop: for long texts.

    Encoding Shakespeare's 5 million characters one at a time takes from a fraction of a second to a few
    seconds; this takes a few hundredths. It reads each character's Unicode number and looks its id up in a table.
    """
    text = validate.text(text, "text", allow_empty=True, hint="Did you swap text and vocab?")
    validate.char_vocab(vocab, "vocab")
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)  # one Unicode number per character
    vocab_codes = np.array([ord(char) for char in vocab])
    table = np.full(max(int(codes.max(initial=0)), int(vocab_codes.max())) + 1, -1, dtype=np.int64)
    table[vocab_codes] = np.arange(len(vocab))
    ids = table[codes]
    unknown = np.flatnonzero(ids < 0)
    if len(unknown):
        position = int(unknown[0])
        raise KeyError(
            f"The character {text[position]!r} (at position {position} of the text) is not in the vocabulary of "
            f"{len(vocab)} characters: build the vocabulary from text that holds it."
        )
    return ids


def decode(ids: Sequence[int], vocab: list[str]) -> str:
    """Turn a sequence of ids back into text: id ``i`` becomes ``vocab[i]``.

    ``ids`` is a list, numpy array or 1-D tensor of whole numbers from 0 to ``len(vocab) - 1``; the result is a
    string of ``len(ids)`` characters.

    >>> decode([0, 1], ["h", "i"])
    'hi'
    """
    validate.char_vocab(vocab, "vocab")
    ids = validate.token_ids(ids, "ids", vocab_size=len(vocab), check_range=True, hint="Did you swap ids and vocab?")
    return "".join(vocab[token_id] for token_id in ids.tolist())


def one_hot(ids: Sequence[int], vocab_size: int) -> torch.Tensor:
    """One-hot vectors: each id becomes a row of ``vocab_size`` zeros with a single 1 at position ``id``.

    ``ids`` is a list, numpy array or tensor of whole numbers from 0 to ``vocab_size - 1``, of any shape.
    Returns a float32 tensor of shape ``(*ids.shape, vocab_size)``: for a list of 3 ids, shape (3, vocab_size).

    >>> one_hot([2, 0], vocab_size=3)
    tensor([[0., 0., 1.],
            [1., 0., 0.]])
    """
    vocab_size = validate.whole_number(vocab_size, "vocab_size", minimum=1)
    # the range is checked on a GPU too: indexing would silently wrap a negative id around
    ids = validate.token_ids(ids, "ids", vocab_size=vocab_size, ndim=None, min_length=1, check_range=True)
    ids = ids if isinstance(ids, torch.Tensor) else torch.as_tensor(ids)
    # row i of the identity matrix is exactly the one-hot vector of id i: picking rows does the rest
    identity = torch.eye(vocab_size, device=ids.device)
    return identity[ids.long()]


def sliding_windows(ids: Sequence[int], context: int) -> tuple[np.ndarray, np.ndarray]:
    """Every training example in ``ids``: ``context`` ids in a row, and the id that follows them.

    Returns ``(inputs, targets)``: ``inputs[i]`` is ``ids[i : i + context]`` and ``targets[i]`` is
    ``ids[i + context]``, for each of the ``len(ids) - context`` positions the window can take. ``inputs`` has
    shape ``(len(ids) - context, context)`` and ``targets`` shape ``(len(ids) - context,)``.

    >>> sliding_windows([5, 6, 7, 8], context=2)
    (array([[5, 6],
           [6, 7]]), array([7, 8]))
    """
    context = validate.whole_number(context, "context", minimum=1)
    ids = validate.token_ids(ids, "ids")
    ids = ids.numpy(force=True) if isinstance(ids, torch.Tensor) else ids
    if len(ids) <= context:
        raise ValueError(
            f"A window of {context} ids needs at least {context + 1} ids (the window and its target), got "
            f"{len(ids)}: use a longer text or a shorter context."
        )
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
    if not isinstance(ids, torch.Tensor):
        raise TypeError(
            f"ids must be a 1-D tensor of token ids, got {validate.describe(ids)}: "
            f"make one with torch.tensor(ids, dtype=torch.long)."
        )
    # the range is not checked here: finding the largest id of a tensor on a GPU would wait for it at every batch
    validate.token_ids(ids, "ids", check_range=False)
    context = validate.whole_number(context, "context", minimum=1)
    batch_size = validate.whole_number(batch_size, "batch_size", minimum=1)
    generator = validate.generator(generator, "generator")
    if len(ids) <= context:
        raise ValueError(
            f"ids must hold more than context = {context} ids (a window and its target), got {len(ids)}: "
            f"use a longer text or a shorter context."
        )
    starts = torch.randint(len(ids) - context, (batch_size,), generator=generator).to(ids.device)
    offsets = torch.arange(context, device=ids.device)
    positions = starts[:, None] + offsets[None, :]
    return ids[positions], ids[positions + 1]
