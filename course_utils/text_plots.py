"""Pictures of text as numbers: characters with their ids, sliding windows, and a character-pair heat map.

Chapter 03 draws them; any later chapter that shows characters, windows or a matrix over the vocabulary can too.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap, LogNorm
from matplotlib.patches import Rectangle

from course_utils import validate
from course_utils.plotting import COLORS, bare_axes, new_axes

_VISIBLE = {"\n": "⏎", " ": "␣", "\t": "⇥"}


def visible(char: str) -> str:
    """A character as it can be seen in a plot or a table: a newline is ⏎, a space ␣, a tab ⇥."""
    validate.text(char, "char", allow_empty=True, hint="Decode an id to its character first.")
    return _VISIBLE.get(char, char)


def _box_row(axes: plt.Axes, row: int, chars: Sequence[str], colors: Sequence[str], labels: Sequence[str] = ()):
    for column, (char, color) in enumerate(zip(chars, colors, strict=True)):
        axes.add_patch(Rectangle((column, -row - 1), 0.92, 0.92, facecolor=color, edgecolor="none"))
        axes.text(column + 0.46, -row - 0.46, visible(char), ha="center", va="center", fontsize=12, family="monospace")
        if labels:
            axes.text(column + 0.46, -row - 1.25, labels[column], ha="center", va="center", fontsize=9, color="0.3")


def _check_chars(chars: object, name: str) -> list[str]:
    """A vocabulary as char_vocab gives it: a non-empty list of strings."""
    if isinstance(chars, str):
        return list(chars)  # a string is a sequence of its characters
    if not isinstance(chars, Sequence) or any(not isinstance(char, str) for char in chars):
        raise TypeError(
            f"{name} must be a list of characters, as char_vocab(text) gives, got {validate.describe(chars)}."
        )
    if len(chars) == 0:
        raise ValueError(f"{name} is empty: build it with char_vocab(text).")
    return list(chars)


def plot_vocab(vocab: Sequence[str], title: str = "The vocabulary: each character and its id") -> plt.Axes:
    """Draw every character of ``vocab`` in a box, with its id (its position in ``vocab``) under it."""
    vocab = _check_chars(vocab, "vocab")
    validate.text(title, "title", allow_empty=True)
    axes = bare_axes(max(4.0, 0.42 * len(vocab)), 1.6, title)
    _box_row(axes, 0, vocab, ["#dbe9f6"] * len(vocab), [str(i) for i in range(len(vocab))])
    axes.set(xlim=(-0.2, len(vocab)), ylim=(-1.6, 0.1))
    return axes


def plot_windows(
    text: str,
    context: int,
    starts: Sequence[int],
    title: str = "Training examples cut by a sliding window",
    row_label: str = "example",
    target_label: str = "target (what comes next)",
) -> plt.Axes:
    """Draw ``text`` once per start in ``starts``: the ``context`` characters of the window in blue and the
    character that follows it (the target) in orange. Each row is labelled ``row_label`` and its start;
    ``target_label`` names the orange character in the legend (a sampled one is not "what comes next")."""
    text = validate.text(text, "text")
    context = validate.whole_number(context, "context", minimum=1)
    if isinstance(starts, str) or not isinstance(starts, Sequence | np.ndarray | range):
        raise TypeError(f"starts must be a list of window starts, got {validate.describe(starts)}.")
    starts = [validate.whole_number(start, "each of starts", minimum=0) for start in starts]
    if not starts:
        raise ValueError("starts is empty: give at least one place for the window to start.")
    if any(not 0 <= start <= len(text) - context - 1 for start in starts):
        raise ValueError(
            f"Each start must leave room for a window of {context} characters and its target in a text of "
            f"{len(text)} characters: starts run from 0 to {len(text) - context - 1}."
        )
    axes = bare_axes(max(4.0, 0.42 * len(text)), 0.5 + 0.6 * len(starts), title)
    for row, start in enumerate(starts):
        colors = ["#eeeeee"] * len(text)
        colors[start : start + context] = ["#9ecae1"] * context
        colors[start + context] = "#fdae6b"
        _box_row(axes, row, text, colors)
        axes.text(-0.4, -row - 0.46, f"{row_label} {start}", ha="right", va="center", fontsize=10)
    handles = [Rectangle((0, 0), 1, 1, color=c) for c in ("#9ecae1", "#fdae6b")]
    axes.legend(
        handles,
        ["context (the input)", target_label],
        loc="upper center",
        ncols=2,
        bbox_to_anchor=(0.5, 0.0),
    )
    axes.set(xlim=(-3.5, len(text)), ylim=(-len(starts) - 0.1, 0.1))
    return axes


def plot_char_matrix(
    matrix: np.ndarray,
    row_chars: Sequence[str],
    column_chars: Sequence[str],
    title: str,
    *,
    xlabel: str = "next character",
    ylabel: str = "current character",
    log_scale: bool = False,
    colorbar_label: str = "",
) -> plt.Axes:
    """A heat map of ``matrix`` with one row per character of ``row_chars`` and one column per character of
    ``column_chars`` (newline and space drawn visibly); ``log_scale`` colours counts that span many powers of 10,
    and leaves the cells of 0 white while a count of 1 is a visible light blue."""
    row_chars, column_chars = _check_chars(row_chars, "row_chars"), _check_chars(column_chars, "column_chars")
    matrix = validate.number_array(matrix, "matrix", ndim=2)
    if log_scale and (matrix < 0).any():
        raise ValueError(
            f"matrix must not hold negative numbers with log_scale=True (a logarithm needs positive numbers), got "
            f"{matrix.min():.4g}: draw it with log_scale=False."
        )
    if matrix.shape != (len(row_chars), len(column_chars)):
        raise ValueError(
            f"The matrix has shape {matrix.shape} but there are {len(row_chars)} row and {len(column_chars)} "
            f"column characters."
        )
    size = min(12.0, max(4.0, 0.16 * len(column_chars) + 2))
    axes = new_axes(title, xlabel, ylabel, figsize=(size + 1.5, min(12.0, max(3.0, 0.16 * len(row_chars) + 2))))
    axes.grid(False)
    shown = np.ma.masked_equal(matrix, 0) if log_scale else matrix
    # the log scale runs from the smallest number above 0 (a count of 1, or the smallest probability) to the
    # largest, so that probabilities below 1 are told apart as well as counts
    smallest = float(shown.min()) if log_scale and shown.count() else 1.0
    norm = LogNorm(vmin=smallest, vmax=max(float(matrix.max()), 2 * smallest)) if log_scale else None
    # Blues starts at white: on a log scale, start it at a light blue so that a count of 1 differs from none
    cmap = ListedColormap(plt.get_cmap("Blues")(np.linspace(0.15, 1, 256))) if log_scale else "Blues"
    image = axes.imshow(shown, cmap=cmap, norm=norm, aspect="auto", interpolation="nearest")
    fontsize = 7 if max(matrix.shape) > 40 else 10
    axes.set_xticks(range(len(column_chars)), [visible(c) for c in column_chars], fontsize=fontsize)
    axes.set_yticks(range(len(row_chars)), [visible(c) for c in row_chars], fontsize=fontsize)
    axes.tick_params(length=0)
    plt.colorbar(image, ax=axes, label=colorbar_label, fraction=0.04)
    return axes


def plot_distribution(
    probabilities: Sequence[float], vocab: Sequence[str], title: str, *, top: int = 15, drawn: Sequence[int] = ()
) -> plt.Axes:
    """A bar chart of the ``top`` most likely characters; with ``drawn`` (sampled ids), the share of the draws
    that gave each character beside its probability."""
    vocab = _check_chars(vocab, "vocab")
    probabilities = validate.probabilities(
        probabilities,
        "probabilities",
        shape=(len(vocab),),
        labels=("len(vocab)",),
        hint="Pass one probability per character of vocab (softmax of the scores, not the scores).",
    )
    top = validate.whole_number(top, "top", minimum=1)
    drawn = validate.token_ids(drawn, "drawn", vocab_size=len(vocab), hint="drawn holds the sampled ids.")
    order = np.argsort(-probabilities, kind="stable")[:top]
    axes = new_axes(title, "character", "probability", figsize=(8, 3.5))
    positions = np.arange(len(order))
    width = 0.4 if len(drawn) else 0.8
    axes.bar(positions, probabilities[order], width=width, color=COLORS[0], label="probability")
    if len(drawn):
        shares = np.bincount(np.asarray(drawn), minlength=len(vocab)) / len(drawn)
        axes.bar(positions + width, shares[order], width=width, color=COLORS[1], label=f"share of {len(drawn)} draws")
        axes.legend()
    axes.set_xticks(positions + (width / 2 if len(drawn) else 0), [visible(vocab[i]) for i in order])
    return axes


def plot_utf8_bytes(text: str, title: str = "Characters and their UTF-8 bytes") -> plt.Axes:
    """Draw each character of ``text`` over the UTF-8 bytes that encode it (one to four per character), with
    the bytes' values: the picture of text as bytes."""
    if not isinstance(text, str) or not text:
        raise ValueError("plot_utf8_bytes needs a non-empty string.")
    n_bytes = len(text.encode("utf-8"))
    axes = bare_axes(max(4.0, 0.55 * n_bytes), 2.4, title)
    shades = ["#c6dbef", "#fdd0a2", "#c7e9c0", "#dadaeb"]  # by the number of bytes: 1, 2, 3, 4
    column = 0
    for char in text:
        encoded = char.encode("utf-8")
        color = shades[len(encoded) - 1]
        axes.add_patch(Rectangle((column, 0), len(encoded) - 0.08, 0.92, facecolor=color, edgecolor="none"))
        axes.text(column + (len(encoded) - 0.08) / 2, 0.46, visible(char), ha="center", va="center", fontsize=13)
        for byte in encoded:
            axes.add_patch(Rectangle((column, -1.1), 0.92, 0.92, facecolor=color, edgecolor="0.5", linewidth=0.5))
            axes.text(column + 0.46, -0.64, str(byte), ha="center", va="center", fontsize=9, family="monospace")
            column += 1
    axes.text(-0.3, 0.46, "characters", ha="right", va="center", fontsize=10)
    axes.text(-0.3, -0.64, "bytes", ha="right", va="center", fontsize=10)
    handles = [Rectangle((0, 0), 1, 1, color=c) for c in shades]
    axes.legend(
        handles, ["1 byte", "2 bytes", "3 bytes", "4 bytes"], loc="upper center", ncols=4, bbox_to_anchor=(0.5, 0.0)
    )
    axes.set(xlim=(-3.2, column), ylim=(-1.3, 1.0))
    return axes


def plot_merge_steps(
    rows: Sequence[Sequence[str]],
    row_labels: Sequence[str],
    title: str = "Byte-pair encoding, one merge at a time",
) -> plt.Axes:
    """Draw a text once per row, cut into that row's tokens: each token is one box as wide as its characters.

    ``rows[0]`` is usually the text's single bytes and ``rows[k]`` its tokens after ``k`` merges; the tokens
    that row's merge made are orange, tokens of earlier merges blue, single characters grey. ``row_labels``
    names each row (the merge it shows)."""
    if len(rows) == 0 or len(rows) != len(row_labels):
        raise ValueError(f"Need one label per row: got {len(rows)} rows and {len(row_labels)} labels.")
    width = max(sum(len(token) for token in row) for row in rows)
    axes = bare_axes(max(5.0, 0.36 * width + 3.5), 0.5 + 0.55 * len(rows), title)
    previous: set[str] = set()
    for row_number, tokens in enumerate(rows):
        made_here = {token for token in tokens if len(token) > 1} - previous
        column = 0
        for token in tokens:
            color = "#fdae6b" if token in made_here else "#9ecae1" if len(token) > 1 else "#eeeeee"
            axes.add_patch(
                Rectangle((column, -row_number - 1), len(token) - 0.1, 0.86, facecolor=color, edgecolor="none")
            )
            for offset, char in enumerate(token):
                axes.text(
                    column + offset + 0.45,
                    -row_number - 0.57,
                    visible(char),
                    ha="center",
                    va="center",
                    fontsize=11,
                    family="monospace",
                )
            column += len(token)
        axes.text(-0.4, -row_number - 0.57, row_labels[row_number], ha="right", va="center", fontsize=10)
        previous |= {token for token in tokens if len(token) > 1}
    handles = [Rectangle((0, 0), 1, 1, color=c) for c in ("#fdae6b", "#9ecae1", "#eeeeee")]
    axes.legend(
        handles,
        ["made by this merge", "made by an earlier merge", "a single byte"],
        loc="upper center",
        ncols=3,
        bbox_to_anchor=(0.5, 0.0),
    )
    axes.set(xlim=(-0.35 * width - 9, width), ylim=(-len(rows) - 0.1, 0.1))
    return axes
