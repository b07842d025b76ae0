"""The leaf-or-flower data set of chapter 02 and its decision-boundary pictures."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import flowers


class TestMakeFlowers:
    def test_shapes_types_and_ranges(self):
        features, labels = flowers.make_flowers(500, seed=3)
        assert features.shape == (500, 4) and features.dtype == np.float32
        assert labels.shape == (500,) and labels.dtype == np.int64
        assert set(np.unique(labels)) == {0, 1}
        assert features[:, :3].min() >= 0 and features[:, :3].max() <= 255
        assert features[:, 3].min() > 0  # volumes are positive

    def test_same_seed_same_examples_other_seed_other_examples(self):
        first, first_labels = flowers.make_flowers(100, seed=5)
        again, again_labels = flowers.make_flowers(100, seed=5)
        other, _ = flowers.make_flowers(100, seed=6)
        np.testing.assert_array_equal(first, again)
        np.testing.assert_array_equal(first_labels, again_labels)
        assert not np.array_equal(first, other)

    def test_leaves_are_greener_and_larger_than_flowers(self):
        features, labels = flowers.make_flowers(4000, seed=0)
        leaves, blooms = features[labels == 0], features[labels == 1]
        assert 0.45 < labels.mean() < 0.55
        assert np.median(leaves[:, 3]) > 1.5 * np.median(blooms[:, 3])
        leaf_green_excess = leaves[:, 1] - leaves[:, [0, 2]].mean(axis=1)
        bloom_green_excess = blooms[:, 1] - blooms[:, [0, 2]].mean(axis=1)
        assert leaf_green_excess.mean() > bloom_green_excess.mean() + 40

    def test_the_classes_overlap(self):
        # some flowers are large and some leaves small: no volume threshold separates them
        features, labels = flowers.make_flowers(4000, seed=0)
        volumes = features[:, 3]
        assert volumes[labels == 1].max() > np.median(volumes[labels == 0])
        assert volumes[labels == 0].min() < np.median(volumes[labels == 1])

    @pytest.mark.parametrize(
        ("bad", "error"), [(0, ValueError), (-3, ValueError), (2.5, TypeError), ("10", TypeError), (True, TypeError)]
    )
    def test_bad_count_is_explained(self, bad, error):
        with pytest.raises(error, match="n must be a whole number of at least 1"):
            flowers.make_flowers(bad)

    def test_bad_seed_is_explained(self):
        with pytest.raises(ValueError, match="seed must be a whole number"):
            flowers.make_flowers(10, seed=-1)


class TestSplit:
    def test_sizes_and_every_example_exactly_once(self):
        features, labels = flowers.make_flowers(200, seed=1)
        train_x, train_y, heldout_x, heldout_y = flowers.train_heldout_split(features, labels, 0.25, seed=2)
        assert len(train_x) == len(train_y) == 150 and len(heldout_x) == len(heldout_y) == 50
        together = np.concatenate([train_x, heldout_x])
        assert sorted(map(tuple, together)) == sorted(map(tuple, features))
        # labels travel with their examples
        lookup = {tuple(row): label for row, label in zip(features, labels, strict=True)}
        assert all(lookup[tuple(row)] == label for row, label in zip(heldout_x, heldout_y, strict=True))

    def test_seeded(self):
        features, labels = flowers.make_flowers(50, seed=1)
        first = flowers.train_heldout_split(features, labels, seed=4)
        again = flowers.train_heldout_split(features, labels, seed=4)
        other = flowers.train_heldout_split(features, labels, seed=5)
        np.testing.assert_array_equal(first[2], again[2])
        assert not np.array_equal(first[2], other[2])

    def test_bad_input_is_explained(self):
        features, labels = flowers.make_flowers(10, seed=1)
        with pytest.raises(ValueError, match="features and labels must have one row per example each"):
            flowers.train_heldout_split(features, labels[:5])
        with pytest.raises(ValueError, match="heldout_fraction must be a finite number above 0 and below 1, got 20"):
            flowers.train_heldout_split(features, labels, heldout_fraction=20)
        with pytest.raises(ValueError, match="too few"):
            flowers.train_heldout_split(features[:2], labels[:2], heldout_fraction=0.1)


class TestDecisionMap:
    def test_orientation_rows_are_y_and_columns_are_x(self):
        xs, ys, values = flowers.decision_map(lambda points: points[:, 0] - 10 * points[:, 1], (0, 4), (0, 1), 5)
        assert values.shape == (5, 5)
        np.testing.assert_allclose(values[2, 3], xs[3] - 10 * ys[2])
        np.testing.assert_allclose(xs, np.linspace(0, 4, 5))

    def test_bad_input_is_explained(self):
        with pytest.raises(ValueError, match="low < high"):
            flowers.decision_map(lambda p: p[:, 0], (1, 0), (0, 1))
        with pytest.raises(ValueError, match="one number per point"):
            flowers.decision_map(lambda p: p, (0, 1), (0, 1), resolution=4)
        with pytest.raises(ValueError, match="resolution"):
            flowers.decision_map(lambda p: p[:, 0], (0, 1), (0, 1), resolution=1)

    def test_plot_draws_the_boundary_and_the_points(self):
        points = np.array([[10.0, 5.0], [200.0, 20.0]])
        axes = flowers.plot_decision_boundary(
            lambda p: (p[:, 0] > 100).astype(float), points, np.array([0, 1]), x_range=(0, 255), y_range=(0, 30)
        )
        assert axes.get_xlabel() == "green" and axes.get_ylabel() == "volume (ml)"
        assert len(axes.collections) >= 3  # the shading, the boundary line and the two groups of points
        with pytest.raises(ValueError, match=r"points must have shape \(n, 2\)"):
            flowers.plot_decision_boundary(
                lambda p: p[:, 0], np.ones((3, 4)), np.zeros(3), x_range=(0, 1), y_range=(0, 1)
            )

    def test_plot_flowers(self):
        features, labels = flowers.make_flowers(30, seed=0)
        axes = flowers.plot_flowers(features, labels)
        assert axes.get_xlabel() == "green" and axes.get_ylabel() == "volume (ml)"
        with pytest.raises(ValueError, match="x must be a whole number from 0 to 3, got 4"):
            flowers.plot_flowers(features, labels, x=4)
        with pytest.raises(ValueError, match=r"shape \(n, 4\)"):
            flowers.plot_flowers(features[:, :2], labels)
