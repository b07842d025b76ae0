"""Chapter 05's reference solutions refuse bad input with a message instead of a silent wrong answer or nan."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course_utils.solutions.ch05 import direction, direction_scores, dot, project, unembed

WORDS = ["man", "woman", "king", "queen"]
VECTORS = np.arange(12, dtype=np.float64).reshape(4, 3) + 1.0


def test_dot_refuses_vectors_of_different_lengths():
    with pytest.raises(ValueError, match="different lengths, 3 and 2"):
        dot([1.0, 2.0, 3.0], [1.0, 2.0])


def test_project_refuses_a_zero_direction_and_mismatched_lengths():
    with pytest.raises(ValueError, match="zero vector"):
        project(np.array([1.0, 2.0]), np.zeros(2))
    with pytest.raises(ValueError, match="same length"):
        project(np.array([1.0]), np.array([1.0, 2.0, 3.0]))  # numpy would broadcast this silently


def test_direction_refuses_no_pairs_and_unknown_words():
    with pytest.raises(ValueError, match="pairs is empty"):
        direction(VECTORS, WORDS, [])
    with pytest.raises(KeyError, match="'queene' is not in the vocabulary"):
        direction(VECTORS, WORDS, [("king", "queene")])


def test_direction_scores_refuses_a_zero_or_mis_sized_direction():
    with pytest.raises(ValueError, match="nonzero vector of length 3"):
        direction_scores(VECTORS, WORDS, np.zeros(3), ["man"])
    with pytest.raises(ValueError, match="nonzero vector of length 3"):
        direction_scores(VECTORS, WORDS, np.ones(4), ["man"])
    with pytest.raises(KeyError, match="'mann'"):
        direction_scores(VECTORS, WORDS, np.ones(3), ["mann"])


def test_unembed_refuses_widths_that_differ():
    with pytest.raises(ValueError, match="width 4 but W_U has 3 rows"):
        unembed(torch.ones(2, 4), torch.ones(3, 5))


def test_references_agree_with_numpy_and_torch():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=6), rng.normal(size=6)
    assert np.isclose(dot(a, b), a @ b)
    assert np.isclose(project(a, 3 * b), a @ b / np.linalg.norm(b))
    gender = direction(VECTORS, WORDS, [("man", "woman"), ("king", "queen")])
    assert np.isclose(np.linalg.norm(gender), 1.0)
    h, W_U = torch.randn(2, 3, 4), torch.randn(4, 7)
    torch.testing.assert_close(unembed(h, W_U), torch.einsum("btd,dv->btv", h, W_U))
