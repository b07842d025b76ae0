"""The leaf-or-flower data set of chapter 02, and pictures of what a classifier decides.

Each example is four numbers that a camera and a measuring cup could give: the dominant colour of a plant
part as red, green and blue (each 0 to 255) and its volume in millilitres. Its label says what it is:
0 for a leaf, 1 for a flower. The data is made up by a documented random process (:func:`make_flowers`),
so it needs no download and the same seed always gives the same examples.

How the examples are made, one at a time:

1. Leaf or flower: each with probability 1/2.
2. The colour: a leaf's colour is one of three greens, a flower's one of six flower colours (red, yellow,
   purple, pink, white and, for a few flowers, green, as on a hellebore); see ``LEAF_COLOURS`` and
   ``FLOWER_COLOURS`` for the colours and how often each is picked. Every channel then gets normal noise
   with a standard deviation of ``COLOUR_NOISE`` and is clipped to 0..255.
3. The volume: log-normal, around ``LEAF_VOLUME_ML`` for leaves and ``FLOWER_VOLUME_ML`` for flowers,
   wide enough that the two ranges overlap.

Leaves are greener and larger; flowers are more colourful. Green flowers and large flowers make some
examples hard, so no classifier reaches 100% on held-out data, which keeps the accuracies honest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np

from course_utils import validate
from course_utils.plotting import new_axes

CLASS_NAMES = ("leaf", "flower")
FEATURE_NAMES = ("red", "green", "blue", "volume (ml)")
# leaves green, flowers magenta: the two ends of the colour map that shades the decision boundary
CLASS_COLOURS = ("#2e7d32", "#c2185b")

# (name, mean colour as (red, green, blue), how often it is picked)
LEAF_COLOURS = (
    ("spring green", (70, 150, 55), 0.4),
    ("dark green", (35, 95, 40), 0.35),
    ("yellow green", (120, 160, 50), 0.25),
)
FLOWER_COLOURS = (
    ("red", (205, 35, 45), 0.2),
    ("yellow", (235, 200, 40), 0.2),
    ("purple", (125, 60, 170), 0.17),
    ("pink", (235, 125, 170), 0.17),
    ("white", (235, 235, 225), 0.16),
    ("green", (115, 160, 85), 0.1),
)
COLOUR_NOISE = 22.0
# median volume in millilitres, and the spread of its logarithm
LEAF_VOLUME_ML, LEAF_VOLUME_SPREAD = 12.0, 0.35
FLOWER_VOLUME_ML, FLOWER_VOLUME_SPREAD = 5.0, 0.55


def _check_labels(labels: object) -> np.ndarray:
    """One label per example, each 0 (leaf) or 1 (flower); floats 0.0 and 1.0 too, as a BCE loss wants them."""
    labels = validate.number_array(labels, "labels", ndim=1)
    if not np.isin(labels, (0, 1)).all():
        odd = labels[~np.isin(labels, (0, 1))][0]
        raise ValueError(f"labels must each be 0 (leaf) or 1 (flower), got {odd:g}.")
    return labels.astype(np.int64)


def _check_examples(features: object, labels: object) -> tuple[np.ndarray, np.ndarray]:
    """Features (n, 4) of finite numbers and n labels, each 0 (leaf) or 1 (flower), as make_flowers gives."""
    features = validate.number_array(
        features, "features", shape=(None, len(FEATURE_NAMES)), labels=("n", str(len(FEATURE_NAMES)))
    )
    labels = validate.token_ids(
        labels, "labels", vocab_size=len(CLASS_NAMES), hint="Labels are 0 (leaf) or 1 (flower)."
    )
    if len(labels) != len(features):
        raise ValueError(
            f"features and labels must have one row per example each: got {len(features)} examples and "
            f"{len(labels)} labels. Did you pass the labels of another split?"
        )
    return features, labels


def make_flowers(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Make ``n`` leaf-or-flower examples by the process in this module's docstring.

    Returns ``(features, labels)``: ``features`` has shape ``(n, 4)`` (float32: red, green, blue in 0..255
    and the volume in ml) and ``labels`` has shape ``(n,)`` (int64: 0 for a leaf, 1 for a flower). The same
    ``seed`` gives the same examples on any machine.
    """
    n = validate.whole_number(n, "n", minimum=1)
    seed = validate.whole_number(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    labels = (rng.random(n) < 0.5).astype(np.int64)
    colours = np.empty((n, 3))
    volumes = np.empty(n)
    for label, palette, median, spread in (
        (0, LEAF_COLOURS, LEAF_VOLUME_ML, LEAF_VOLUME_SPREAD),
        (1, FLOWER_COLOURS, FLOWER_VOLUME_ML, FLOWER_VOLUME_SPREAD),
    ):
        chosen = labels == label
        means = np.array([mean for _, mean, _ in palette], dtype=float)
        weights = np.array([weight for _, _, weight in palette])
        picks = rng.choice(len(palette), size=chosen.sum(), p=weights / weights.sum())
        colours[chosen] = means[picks]
        volumes[chosen] = median * np.exp(spread * rng.standard_normal(chosen.sum()))
    colours = np.clip(colours + COLOUR_NOISE * rng.standard_normal((n, 3)), 0, 255)
    features = np.column_stack([colours, volumes]).astype(np.float32)
    return features, labels


def train_heldout_split(
    features: np.ndarray, labels: np.ndarray, heldout_fraction: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the examples and keep ``heldout_fraction`` of them aside for measuring, never for training.

    Returns ``(train_features, train_labels, heldout_features, heldout_labels)``.
    """
    _check_examples(features, labels)
    features, labels = np.asarray(features), np.asarray(labels)  # the caller's dtypes are kept
    heldout_fraction = validate.real_number(
        heldout_fraction, "heldout_fraction", above=0.0, below=1.0, hint="Such as 0.2 for a fifth."
    )
    seed = validate.whole_number(seed, "seed", minimum=0)
    heldout_count = round(len(features) * heldout_fraction)
    if not 0 < heldout_count < len(features):
        raise ValueError(
            f"{len(features)} examples are too few to keep {heldout_fraction:.0%} aside: "
            f"make more examples or change heldout_fraction."
        )
    order = np.random.default_rng(seed).permutation(len(features))
    heldout, train = order[:heldout_count], order[heldout_count:]
    return features[train], labels[train], features[heldout], labels[heldout]


def plot_flowers(
    features: np.ndarray, labels: np.ndarray, x: int = 1, y: int = 3, *, axes: plt.Axes | None = None
) -> plt.Axes:
    """Scatter the examples over two of their features (by default green and volume).

    Each point is drawn in the example's own colour; leaves are circles and flowers are stars.
    """
    features, labels = _check_examples(features, labels)
    x, y = (
        validate.whole_number(
            index, name, minimum=0, maximum=len(FEATURE_NAMES) - 1, hint=f"The features are {FEATURE_NAMES}."
        )
        for name, index in (("x", x), ("y", y))
    )
    axes = axes if axes is not None else new_axes("Leaves and flowers", FEATURE_NAMES[x], FEATURE_NAMES[y])
    for label, marker in ((0, "o"), (1, "*")):
        chosen = np.asarray(labels) == label
        axes.scatter(
            features[chosen, x],
            features[chosen, y],
            c=features[chosen, :3] / 255,
            marker=marker,
            s=40 if marker == "*" else 18,
            edgecolors="black",
            linewidths=0.3,
            label=CLASS_NAMES[label],
        )
    axes.legend()
    return axes


def decision_map(
    predict: Callable[[np.ndarray], np.ndarray],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    resolution: int = 100,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What a two-input classifier says at every point of a grid.

    ``predict`` takes an array of shape ``(m, 2)`` (float32 points) and returns ``m`` numbers, such as the
    probability of class 1. Returns ``(xs, ys, values)``: the grid's ``resolution`` x-values and y-values,
    and ``values`` of shape ``(resolution, resolution)``, where ``values[i, j]`` belongs to ``(xs[j], ys[i])``.
    """
    validate.function(predict, "predict", hint="It takes points (m, 2) and returns m numbers.")
    resolution = validate.whole_number(resolution, "resolution", minimum=2)
    for name, span in (("x_range", x_range), ("y_range", y_range)):
        low, high = validate.number_array(span, name, shape=(2,), labels=("2",), hint="Give it as (low, high).")
        if not low < high:
            raise ValueError(f"{name} must be (low, high) with low < high, got {tuple(span)!r}.")
    xs = np.linspace(*x_range, resolution, dtype=np.float32)
    ys = np.linspace(*y_range, resolution, dtype=np.float32)
    grid_x, grid_y = np.meshgrid(xs, ys)
    points = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    values = validate.number_array(
        predict(points), "predict(points)", hint="Has the model's training diverged (NaN weights)?"
    )
    if values.shape not in ((len(points),), (len(points), 1)):
        raise ValueError(
            f"predict must return one number per point: for {len(points)} points it returned shape {values.shape}."
        )
    return xs, ys, values.reshape(resolution, resolution)


def plot_decision_boundary(
    predict: Callable[[np.ndarray], np.ndarray],
    points: np.ndarray,
    labels: np.ndarray,
    *,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    axes: plt.Axes | None = None,
    title: str = "What the classifier decides",
    axis_names: Sequence[str] = ("green", "volume (ml)"),
    resolution: int = 100,
) -> plt.Axes:
    """Shade the plane by ``predict`` (the probability of "flower", 0 to 1) and draw the examples on top.

    The solid line is where the classifier changes its mind (probability 0.5): its decision boundary.
    ``points`` has shape ``(n, 2)``, in the same two inputs as ``predict`` takes.
    """
    points = validate.number_array(points, "points", shape=(None, 2), labels=("n", "2"))
    labels = validate.token_ids(
        labels, "labels", vocab_size=len(CLASS_NAMES), hint="Labels are 0 (leaf) or 1 (flower)."
    )
    if len(labels) != len(points):
        raise ValueError(f"points and labels must have one row per example each: got {len(points)} and {len(labels)}.")
    xs, ys, values = decision_map(predict, x_range, y_range, resolution)
    validate.probabilities(
        values,
        "predict(points)",
        sums_to_one=False,
        hint="predict must return the probability of flower: apply torch.sigmoid (or softmax) to the scores.",
    )
    axes = axes if axes is not None else new_axes(title, *axis_names)
    axes.set(title=title, xlabel=axis_names[0], ylabel=axis_names[1])
    axes.contourf(xs, ys, values, levels=np.linspace(0, 1, 11), cmap="PiYG_r", alpha=0.55, vmin=0, vmax=1)
    if values.min() < 0.5 < values.max():
        axes.contour(xs, ys, values, levels=[0.5], colors="black", linewidths=1.5)
    labels = np.asarray(labels)
    for label, marker, colour in ((0, "o", CLASS_COLOURS[0]), (1, "*", CLASS_COLOURS[1])):
        chosen = labels == label
        axes.scatter(
            points[chosen, 0],
            points[chosen, 1],
            marker=marker,
            s=30 if marker == "*" else 12,
            c=colour,
            edgecolors="white",
            linewidths=0.3,
            label=CLASS_NAMES[label],
        )
    axes.set_xlim(*x_range)
    axes.set_ylim(*y_range)
    # below the plot, where it cannot cover an example or the boundary
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, frameon=False, markerscale=2)
    return axes
