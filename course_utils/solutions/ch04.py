"""Reference solutions for chapter 04, embeddings: looking rows up in an embedding matrix.

The chapter's other exercises (cosine similarity, neighbours, analogies, PCA) are checked against
:mod:`course_utils.word_vectors`, which chapter 05 builds on.
"""

from __future__ import annotations

import torch

from course_utils.word_vectors import as_token_ids


def embed_lookup(ids: torch.Tensor, W_E: torch.Tensor) -> torch.Tensor:
    """The embedding of each token id: row ``id`` of ``W_E``.

    ``ids`` holds whole numbers from 0 to ``vocab_size - 1``, in any shape (one id, a list, a batch of
    sequences); ``W_E`` is the ``(vocab_size, d)`` embedding matrix. Returns shape ``(*ids.shape, d)``. An id
    with no row in ``W_E`` raises a ``ValueError``.

    >>> embed_lookup(torch.tensor([2, 0]), torch.tensor([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]))
    tensor([[3., 3.],
            [1., 1.]])
    """
    ids = as_token_ids(ids, W_E)
    # indexing a matrix with a tensor of ids picks those rows and keeps the ids' shape in front of d
    return W_E[ids]


def one_hot_matmul(ids: torch.Tensor, W_E: torch.Tensor) -> torch.Tensor:
    """The same embeddings as :func:`embed_lookup`, through one-hot vectors and one matrix product.

    Turn each id into a one-hot row of ``vocab_size`` numbers (chapter 03's ``one_hot``), then multiply by
    ``W_E``: the single 1 in each row picks out one row of ``W_E``. Returns shape ``(*ids.shape, d)``.
    """
    ids = as_token_ids(ids, W_E)
    one_hots = torch.nn.functional.one_hot(ids, num_classes=len(W_E)).to(W_E.dtype)  # (*ids.shape, vocab_size)
    return one_hots @ W_E  # (*ids.shape, vocab_size) @ (vocab_size, d) -> (*ids.shape, d)
