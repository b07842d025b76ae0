"""The small trained GPT that chapter 00 tours, its vocabulary, and the views of what it does.

The model is the course's reference :class:`~course_utils.gpt.GPT`, trained on the course's Shakespeare text by
``tools/train_tour_model.py`` and committed as ``data/tour_model.pt``. It reads GPT-2's tokens, but only the
ones that occur in Shakespeare: a :class:`TourVocab` maps those GPT-2 ids to a compact range ``0 .. n - 1``,
which shrinks the embedding (and the file) by more than half.
"""

from __future__ import annotations

import html
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

from course_utils import validate
from course_utils.data import GPT2_VOCAB_SIZE, DataError, gpt2_tokenizer, verified_bytes
from course_utils.display import visible_token
from course_utils.gpt import GPT, GPTConfig
from course_utils.plotting import COLORS, new_axes, use_course_style
from course_utils.sampling import (
    check_temperature,
    check_top_k,
    check_top_p,
    next_token_distribution,
    sample_next_token,
)

TOUR_MODEL_FILE = "tour_model.pt"
# sha256 of data/tour_model.pt, written when tools/train_tour_model.py last trained it
TOUR_MODEL_SHA256 = "95e9ea4ad67f83f32bf3bccb9ab37337a59c73692456efaa4798aafa1d5f325f"


class OutOfVocabularyError(ValueError):
    """A text holds a token that the tour's model never saw in Shakespeare, so it has no id for it."""


class TourVocab:
    """The GPT-2 tokens of a corpus, renumbered ``0 .. n - 1`` in GPT-2's order.

    ``gpt2_ids[i]`` is the GPT-2 id of compact id ``i``. Text is split by GPT-2's tokenizer, then each GPT-2
    id is looked up here; a token that is not here raises :class:`OutOfVocabularyError` naming it.
    """

    def __init__(self, gpt2_ids: Sequence[int]) -> None:
        gpt2_ids = validate.token_ids(
            gpt2_ids, "gpt2_ids", vocab_size=GPT2_VOCAB_SIZE, min_length=1, hint="Pass GPT-2 ids, as tokenizers give."
        ).tolist()
        if len(set(gpt2_ids)) != len(gpt2_ids):
            raise ValueError("gpt2_ids must be distinct: each compact id stands for one GPT-2 token.")
        self.gpt2_ids = gpt2_ids
        self.compact_id = {gpt2_id: index for index, gpt2_id in enumerate(gpt2_ids)}
        self.tokenizer = gpt2_tokenizer()

    @classmethod
    def from_text(cls, text: str) -> TourVocab:
        """The vocabulary of every GPT-2 token that occurs in ``text``, sorted by GPT-2 id."""
        validate.text(text, "text")
        return cls(sorted(set(gpt2_tokenizer().encode_ordinary(text))))

    def __len__(self) -> int:
        return len(self.gpt2_ids)

    def __contains__(self, gpt2_id: object) -> bool:
        return gpt2_id in self.compact_id

    def encode(self, text: str) -> list[int]:
        """Text -> compact ids, with a clear error naming any token the model does not know."""
        validate.text(text, "text", allow_empty=True)
        gpt2_ids = self.tokenizer.encode_ordinary(text)
        unknown = [token_id for token_id in gpt2_ids if token_id not in self.compact_id]
        if unknown:
            names = ", ".join(repr(self.tokenizer.decode([token_id])) for token_id in dict.fromkeys(unknown))
            raise OutOfVocabularyError(
                f"The tour's model has never seen the token(s) {names} in Shakespeare, so it has no id for them. "
                f"Reword the prompt with words Shakespeare uses (a leading space is part of a token: "
                f"' Romeo' and 'Romeo' are different tokens)."
            )
        return [self.compact_id[token_id] for token_id in gpt2_ids]

    def decode(self, ids: Sequence[int] | torch.Tensor) -> str:
        """Compact ids -> text."""
        return self.tokenizer.decode(self.to_gpt2(ids))

    def token_text(self, compact_id: int) -> str:
        """The text of one token, for labels (it may be part of a word, or a lone space or newline)."""
        compact_id = validate.whole_number(compact_id, "compact_id", minimum=0, maximum=len(self) - 1)
        return self.decode([compact_id])

    def to_gpt2(self, ids: Sequence[int] | torch.Tensor) -> list[int]:
        """Compact ids -> GPT-2 ids."""
        ids = validate.token_ids(ids, "ids", vocab_size=len(self), check_range=True, hint="Use the tour's own ids.")
        return [self.gpt2_ids[token_id] for token_id in ids.tolist()]


@dataclass
class TourModel:
    """The tour's trained GPT with its vocabulary and what its training run recorded."""

    model: GPT
    vocab: TourVocab
    meta: dict


def save_tour_model(path: str | Path, model: GPT, vocab: TourVocab, meta: dict) -> None:
    """Save ``model`` as float16 weights with its config, vocabulary and ``meta`` (one ``torch.save`` dict)."""
    if not isinstance(model, GPT):
        raise TypeError(f"model must be a course_utils GPT, got {validate.describe(model)}.")
    if not isinstance(vocab, TourVocab):
        raise TypeError(f"vocab must be a TourVocab, got {validate.describe(vocab)}.")
    if len(vocab) != model.config.vocab_size:
        raise ValueError(
            f"vocab has {len(vocab)} tokens but model knows {model.config.vocab_size}: save the vocabulary the "
            f"model was trained with."
        )
    if not isinstance(meta, dict):
        raise TypeError(f"meta must be a dict of what the training run recorded, got {validate.describe(meta)}.")
    weights = {name: tensor.detach().cpu().half() for name, tensor in model.state_dict().items()}
    del weights["lm_head.weight"]  # tied to wte.weight: stored once, tied again on loading
    bundle = {
        "config": model.config.to_dict(),
        "gpt2_ids": torch.tensor(vocab.gpt2_ids, dtype=torch.int32),
        "weights": weights,
        "meta": meta,
    }
    torch.save(bundle, path)


def tour_model_from_bytes(content: bytes) -> TourModel:
    """Rebuild the tour's model (float32, eval mode, on the CPU) from the bytes of a saved file.

    Bytes that are not a model saved by :func:`save_tour_model` raise a :class:`DataError` that says so (torch's
    own advice, to load with ``weights_only=False``, would run whatever code a damaged or foreign file holds).
    """
    if not isinstance(content, (bytes, bytearray)):
        raise TypeError(
            f"content must be the bytes of a saved model (Path(...).read_bytes()), got {validate.describe(content)}."
        )
    try:
        bundle = torch.load(io.BytesIO(content), map_location="cpu", weights_only=True)
        model = GPT(GPTConfig(**bundle["config"]))
        weights = {name: tensor.float() for name, tensor in bundle["weights"].items()}
        weights["lm_head.weight"] = weights["wte.weight"]
        model.load_state_dict(weights)
        vocab = TourVocab(bundle["gpt2_ids"].tolist())
        meta = bundle["meta"]
    except Exception as error:  # noqa: BLE001 - whatever breaks, the file is not a tour model
        raise DataError(
            f"content is not a tour model saved by save_tour_model (reading it failed with {type(error).__name__}): "
            f"it is damaged or another kind of file. Restore the committed file with "
            f"`git checkout -- data/{TOUR_MODEL_FILE}`, or retrain it with `python tools/train_tour_model.py`."
        ) from None
    model.eval()
    return TourModel(model=model, vocab=vocab, meta=meta)


def load_tour_model() -> TourModel:
    """Load the committed tour model, after checking the file's sha256. Nothing is trained."""
    return tour_model_from_bytes(verified_bytes(TOUR_MODEL_FILE, TOUR_MODEL_SHA256, "python tools/train_tour_model.py"))


# --------------------------------------------------------------------------------------------------------------
# What the model does with a prompt: its next-token distribution, and generation one step at a time


def encode_prompt(tour: TourModel, text: str) -> torch.Tensor:
    """The prompt ``text`` as a 1-D tensor of the model's ids (an :class:`OutOfVocabularyError` names a token
    the model does not know)."""
    _check_tour(tour)
    validate.text(text, "text", hint="The prompt is the text the model continues.")
    return torch.tensor(tour.vocab.encode(text), dtype=torch.long)


def next_token_probabilities(tour: TourModel, ids: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """The model's probability for every token of its vocabulary to come right after ``ids`` (1-D): shape (V,).

    The scores (logits) are divided by ``temperature`` before the softmax; temperature 0 puts all the
    probability on the likeliest token, which is what greedy generation picks.
    """
    _check_tour(tour)
    check_temperature(temperature)
    return _probabilities(_next_logits(tour, ids), temperature)


def _check_tour(tour: object) -> TourModel:
    if not isinstance(tour, TourModel):
        raise TypeError(f"tour must be the tour's model from load_tour_model(), got {validate.describe(tour)}.")
    return tour


def _next_logits(tour: TourModel, ids: torch.Tensor) -> torch.Tensor:
    """The model's scores (V,) for the token after the 1-D ``ids``, reading at most its context."""
    if not isinstance(ids, torch.Tensor):
        raise TypeError(
            f"ids must be a 1-D tensor of the model's ids, got {validate.describe(ids)}: make one with "
            f"encode_prompt(tour, text)."
        )
    validate.token_ids(ids, "ids", vocab_size=len(tour.vocab), min_length=1, hint="Use encode_prompt(tour, text).")
    with torch.no_grad():
        return tour.model(ids[None, -tour.model.config.context :])[0, -1].float()


def _probabilities(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """Softmax of ``logits / temperature``; at temperature 0, all the probability on the likeliest token."""
    check_temperature(temperature)
    if temperature == 0:
        return F.one_hot(logits.argmax(), len(logits)).float()
    return F.softmax(logits / temperature, dim=-1)


def top_tokens(tour: TourModel, probabilities: torch.Tensor, k: int = 10) -> list[tuple[str, float]]:
    """The ``k`` likeliest tokens as ``(token text, probability)`` pairs, likeliest first.

    ``probabilities`` is the (V,) distribution of :func:`next_token_probabilities`; the model's raw scores
    (logits) are refused, since they are not probabilities.
    """
    _check_tour(tour)
    validate.probabilities(
        probabilities,
        "probabilities",
        shape=(len(tour.vocab),),
        labels=("vocab_size",),
        hint="Pass next_token_probabilities(tour, ids).",
    )
    k = validate.whole_number(k, "k", minimum=1)
    probabilities = torch.as_tensor(probabilities)
    values, indices = torch.topk(probabilities, min(k, len(probabilities)))
    return [(tour.vocab.token_text(int(i)), float(p)) for p, i in zip(values, indices, strict=True)]


@dataclass(frozen=True)
class Step:
    """One step of generation: the distribution the token was drawn from (its top tokens) and the draw."""

    chosen_id: int
    chosen_text: str
    chosen_probability: float
    top: list[tuple[str, float]]
    chosen_rank: int  # 1 for the likeliest token; may be larger than len(top)
    kept: int | None = None  # how many tokens had a chance (probability above 0) after top-k and top-p


def generate_steps(
    tour: TourModel,
    prompt: str,
    n_tokens: int,
    temperature: float = 1.0,
    seed: int = 0,
    k: int = 10,
    top_k: int | None = None,
    top_p: float | None = None,
) -> list[Step]:
    """Generate ``n_tokens`` tokens after ``prompt`` and keep, for each, the distribution it was drawn from
    (its ``k`` likeliest tokens), after the temperature and, if given, the ``top_k`` and ``top_p`` filters.

    The draws are the ones ``tour.model.generate`` makes with the same temperature and top-k and a CPU generator
    seeded with ``seed``: the same seed gives the same tokens, with or without the record kept here.
    """
    n_tokens = validate.whole_number(n_tokens, "n_tokens", minimum=0)
    check_temperature(temperature)
    seed = validate.whole_number(seed, "seed", minimum=0, maximum=2**32 - 1)
    k = validate.whole_number(k, "k", minimum=1)
    ids = encode_prompt(tour, prompt)
    generator = torch.Generator().manual_seed(seed)
    steps = []
    for _ in range(n_tokens):
        logits = _next_logits(tour, ids)
        chosen = int(sample_next_token(logits[None], temperature, top_k, generator, top_p)[0])
        probabilities = next_token_distribution(logits, temperature, top_k, top_p)
        rank = int((probabilities > probabilities[chosen]).sum()) + 1
        steps.append(
            Step(
                chosen,
                tour.vocab.token_text(chosen),
                float(probabilities[chosen]),
                top_tokens(tour, probabilities, k),
                rank,
                int((probabilities > 0).sum()),
            )
        )
        ids = torch.cat([ids, torch.tensor([chosen])])
    return steps


def generate_text(tour: TourModel, prompt: str, n_tokens: int, temperature: float = 1.0, seed: int = 0) -> str:
    """The text that ``n_tokens`` tokens of generation add after ``prompt`` (the prompt itself not included)."""
    n_tokens = validate.whole_number(n_tokens, "n_tokens", minimum=0)
    check_temperature(temperature)
    seed = validate.whole_number(seed, "seed", minimum=0, maximum=2**32 - 1)
    ids = encode_prompt(tour, prompt)
    generator = torch.Generator().manual_seed(seed)
    out = tour.model.generate(ids, n_tokens, temperature=temperature, generator=generator)
    return tour.vocab.decode(out[len(ids) :])


# --------------------------------------------------------------------------------------------------------------
# Pictures: the top tokens as bars, generation step by step, and the temperature widget


def _label(token_text: str) -> str:
    return repr(visible_token(token_text))


def _check_top(top: object) -> None:
    """``top`` must be what :func:`top_tokens` returns: (token text, probability) pairs."""
    advice = "pass the (token, probability) pairs from top_tokens(...)."
    if isinstance(top, (str, torch.Tensor)) or not isinstance(top, Sequence):
        raise TypeError(
            f"top must be a list of (token text, probability) pairs, got {validate.describe(top)}: {advice}"
        )
    if not top:
        raise ValueError(f"top is empty: {advice}")
    for pair in top:
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and isinstance(pair[0], str)):
            raise TypeError(f"top must hold (token text, probability) pairs, got {validate.describe(pair)}: {advice}")
        validate.real_number(pair[1], "each probability in top", minimum=0.0, maximum=1.0, hint=advice.capitalize())


def plot_top_tokens(
    top: Sequence[tuple[str, float]],
    title: str,
    highlight: str | None = None,
    axes: plt.Axes | None = None,
    xmax: float | None = 1.0,
    log_scale: bool = False,
) -> plt.Axes:
    """A horizontal bar chart of ``(token text, probability)`` pairs, likeliest on top; ``highlight`` (a token
    text) is drawn in another colour. Spaces show as ``·`` and newlines as ``↵``. The probability axis runs to
    ``xmax`` (1 by default, so that charts compare; None fits it to the bars). With ``log_scale`` it is
    logarithmic, from the power of 10 below the smallest bar, so that probabilities of 0.2% and 80% both show."""
    _check_top(top)
    if highlight is not None:
        validate.text(highlight, "highlight", allow_empty=True, hint="The text of the token to colour, or None.")
    if xmax is not None:
        xmax = validate.real_number(xmax, "xmax", above=0.0, hint="Or None to fit the axis to the bars.")
    if log_scale and min(p for _, p in top) <= 0:
        raise ValueError("A log scale needs positive probabilities: drop the zeros or use log_scale=False.")
    if axes is None:
        axes = new_axes(title, "probability", "", figsize=(6, 0.32 * len(top) + 1.2))
    else:
        axes.set_title(title)
    labels = [_label(text) for text, _ in top]
    colors = [COLORS[1] if text == highlight else COLORS[0] for text, _ in top]
    axes.barh(range(len(top)), [p for _, p in top], color=colors)
    axes.set_yticks(range(len(top)), labels, fontfamily="monospace")
    axes.invert_yaxis()  # likeliest at the top
    if log_scale:
        axes.set_xscale("log")
        smallest = min(p for _, p in top)
        axes.set_xlim(
            10 ** math.floor(math.log10(smallest)), xmax if xmax is not None else 1.5 * max(p for _, p in top)
        )
        axes.set_xlabel("probability (log scale)")
    else:
        axes.set_xlim(0, xmax if xmax is not None else 1.15 * max(p for _, p in top))
    axes.grid(axis="y", visible=False)
    return axes


def _check_steps(steps: object) -> None:
    if isinstance(steps, (str, Step)) or not isinstance(steps, Sequence):
        raise TypeError(
            f"steps must be a list of Step, as generate_steps(...) returns, got {validate.describe(steps)}."
        )
    if not steps:
        raise ValueError("steps is empty: generate some with generate_steps(...).")
    if not all(isinstance(step, Step) for step in steps):
        raise TypeError("steps must hold Step records, as generate_steps(...) returns.")


def plot_step_grid(steps: Sequence[Step], columns: int = 3) -> plt.Figure:
    """Small multiples: for each step, the top tokens it was drawn from, the drawn token highlighted."""
    _check_steps(steps)
    columns = validate.whole_number(columns, "columns", minimum=1)
    use_course_style()
    rows = math.ceil(len(steps) / columns)
    figure, grid = plt.subplots(rows, columns, figsize=(4.2 * columns, 3.0 * rows), squeeze=False)
    for index, axes in enumerate(grid.flat):
        if index >= len(steps):
            axes.axis("off")
            continue
        step = steps[index]
        title = f"step {index + 1}: drew {_label(step.chosen_text)}"
        plot_top_tokens(step.top, title, step.chosen_text, axes, xmax=None)  # small bars need their own scale
        axes.tick_params(axis="y", labelsize=9)
    figure.supxlabel("probability")
    figure.tight_layout()
    return figure


def steps_html(steps: Sequence[Step], max_height_px: int = 420) -> str:
    """A scrollable table: one row per generated token, with the top tokens of the distribution it was drawn
    from (each with its probability) and the drawn one outlined."""
    _check_steps(steps)
    max_height_px = validate.whole_number(max_height_px, "max_height_px", minimum=1)
    rows = []
    for number, step in enumerate(steps, start=1):
        cells = []
        for text, probability in step.top:
            chosen = text == step.chosen_text
            border = "2px solid #d62728" if chosen else "1px solid #ccc"
            alpha = 0.15 + 0.85 * probability
            cells.append(
                f"<span style='display:inline-block;border:{border};background:rgba(31,119,180,{alpha:.2f});"
                f"margin:1px;padding:0 3px;font-family:monospace;white-space:pre'>"
                f"{html.escape(visible_token(text))} <small>{probability:.0%}</small></span>"
            )
        if step.chosen_rank > len(step.top):
            cells.append(
                f"<span style='border:2px solid #d62728;padding:0 3px;font-family:monospace;white-space:pre'>"
                f"{html.escape(visible_token(step.chosen_text))} <small>{_small_share(step.chosen_probability)}, "
                f"rank {step.chosen_rank}</small></span>"
            )
        rows.append(
            f"<tr><td style='text-align:right;color:#777'>{number}</td>"
            f"<td style='font-family:monospace;font-weight:bold;white-space:pre'>"
            f"{html.escape(visible_token(step.chosen_text))}</td><td style='text-align:left'>{''.join(cells)}</td></tr>"
        )
    header = (
        "<tr><th>step</th><th>drawn</th>"
        "<th style='text-align:left'>the likeliest tokens of the distribution it was drawn from</th></tr>"
    )
    return (
        f"<div style='max-height:{max_height_px}px;overflow-y:auto'><table style='border-collapse:collapse'>"
        f"{header}{''.join(rows)}</table></div>"
    )


def sample_html(prompt: str, continuation: str) -> str:
    """The prompt in grey and the generated continuation in black, with line breaks kept."""
    validate.text(prompt, "prompt", allow_empty=True)
    validate.text(continuation, "continuation", allow_empty=True, hint="Decode the ids first.")
    return (
        f"<pre style='white-space:pre-wrap;font-size:95%'><span style='color:#888'>{html.escape(prompt)}</span>"
        f"{html.escape(continuation)}</pre>"
    )


def temperature_widget(
    tour: TourModel, prompt: str, n_tokens: int = 60, temperature: float = 1.0, seed: int = 0
) -> widgets.VBox:
    """A slider for the temperature, a seed box and a button for a new seed, over the text they generate.

    Every change calls :func:`generate_text` (so the notebook can check what the widget shows by calling it)
    and redraws. The widget's last child is the ``widgets.HTML`` holding the sample.
    """
    # everything is checked now, not at the first move of the slider; nothing is clamped to the widgets' ranges
    encode_prompt(tour, prompt)
    n_tokens = validate.whole_number(n_tokens, "n_tokens", minimum=0)
    temperature = validate.real_number(
        temperature, "temperature", minimum=0.0, maximum=2.0, hint="The slider runs from 0 to 2."
    )
    seed = validate.whole_number(seed, "seed", minimum=0, maximum=2**32 - 1)
    label_width = {"description_width": "initial"}  # show the whole label, not "temperat..."
    slider = widgets.FloatSlider(
        value=temperature,
        min=0.0,
        max=2.0,
        step=0.05,
        description="temperature",
        continuous_update=False,  # regenerate when the slider is let go, not at every pixel
        style=label_width,
    )
    seed_box = widgets.BoundedIntText(value=seed, min=0, max=2**32 - 1, description="seed", style=label_width)
    new_seed = widgets.Button(description="new seed", tooltip="draw again with the next seed")
    sample = widgets.HTML()

    def redraw(_change: object = None) -> None:
        sample.value = sample_html(prompt, generate_text(tour, prompt, n_tokens, slider.value, seed_box.value))

    def next_seed(_button: object) -> None:
        seed_box.value += 1  # which redraws, through the observer below

    slider.observe(redraw, names="value")
    seed_box.observe(redraw, names="value")
    new_seed.on_click(next_seed)
    redraw()
    return widgets.VBox([widgets.HBox([slider, seed_box, new_seed]), sample])


TOP_K_CHOICES = ("all", 1, 2, 3, 5, 10, 20, 50, 100, 1000)
"""The top-k values :func:`sampling_widget` offers; "all" keeps every token (no top-k)."""


def _small_share(probability: float) -> str:
    """A drawn token's probability as a percentage that is never shown as 0% (it was drawn, so it had a chance)."""
    if probability >= 0.001:
        return f"{probability:.1%}"
    return f"{probability:.2%}" if probability >= 0.0001 else "< 0.01%"


def sampling_widget(
    tour: TourModel,
    prompt: str,
    n_tokens: int = 30,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    seed: int = 0,
) -> widgets.VBox:
    """See the distribution for each new word: controls for temperature, top-k, top-p and the seed over the text
    they generate, a table of every step's distribution, and a bar chart of the step picked with a slider.

    Every change regenerates with :func:`generate_steps` (so a notebook can check what the widget shows by calling
    it with the same settings) and redraws. The widget's children are the row of controls, the sample
    (``widgets.HTML``), the steps table (``widgets.HTML``), the step slider and the chart (``widgets.Output``).
    """
    encode_prompt(tour, prompt)  # an unknown token is reported now, not at the first move of a control
    check_temperature(temperature)
    if top_k is not None:
        check_top_k(top_k, "top_k")
        if top_k not in TOP_K_CHOICES:
            raise ValueError(f"top_k must be None or one of {TOP_K_CHOICES[1:]}, got {top_k!r}.")
    if top_p is not None:
        check_top_p(top_p, "top_p")
    if not isinstance(n_tokens, int) or n_tokens < 1:
        raise ValueError(f"n_tokens must be a whole number of at least 1, got {n_tokens!r}.")
    label_width = {"description_width": "initial"}
    temperature_slider = widgets.FloatSlider(
        value=temperature,
        min=0.0,
        max=2.0,
        step=0.05,
        description="temperature",
        continuous_update=False,
        style=label_width,
    )
    top_k_slider = widgets.SelectionSlider(
        options=TOP_K_CHOICES,
        value="all" if top_k is None else top_k,
        description="top-k",
        continuous_update=False,
        style=label_width,
    )
    top_p_slider = widgets.FloatSlider(
        value=1.0 if top_p is None else top_p,
        min=0.05,
        max=1.0,
        step=0.05,
        description="top-p (1: off)",
        continuous_update=False,
        style=label_width,
    )
    seed_box = widgets.BoundedIntText(
        value=seed, min=0, max=2**32 - 1, description="seed", style=label_width, layout=widgets.Layout(width="150px")
    )
    new_seed = widgets.Button(description="new seed", tooltip="draw again with the next seed")
    sample = widgets.HTML()
    table = widgets.HTML()
    step_slider = widgets.IntSlider(value=1, min=1, max=n_tokens, description="show step", style=label_width)
    chart = widgets.Output()
    steps: list[Step] = []

    def draw_chart(_change: object = None) -> None:
        step = steps[step_slider.value - 1]
        with chart:
            chart.clear_output(wait=True)
            title = (
                f"step {step_slider.value}: drew {_label(step.chosen_text)} "
                f"({_small_share(step.chosen_probability)}; {step.kept:,} tokens had a chance)"
            )
            bars = list(step.top)
            if step.chosen_rank > len(bars):  # drawn from the tail: show it below the likeliest ones
                bars.append((step.chosen_text, step.chosen_probability))
            axes = plot_top_tokens(bars, title, step.chosen_text, xmax=None)
            plt.show()
            plt.close(axes.figure)

    def regenerate(_change: object = None) -> None:
        top_k_value = None if top_k_slider.value == "all" else top_k_slider.value
        top_p_value = None if top_p_slider.value >= 1.0 else top_p_slider.value
        steps[:] = generate_steps(
            tour, prompt, n_tokens, temperature_slider.value, seed_box.value, top_k=top_k_value, top_p=top_p_value
        )
        continuation = tour.vocab.decode([step.chosen_id for step in steps])
        sample.value = sample_html(prompt, continuation)
        table.value = steps_html(steps, max_height_px=300)
        draw_chart()

    def next_seed(_button: object) -> None:
        seed_box.value += 1  # which regenerates, through the observer below

    for control in (temperature_slider, top_k_slider, top_p_slider, seed_box):
        control.observe(regenerate, names="value")
    step_slider.observe(draw_chart, names="value")
    new_seed.on_click(next_seed)
    regenerate()
    controls = widgets.VBox(
        [widgets.HBox([temperature_slider, top_k_slider, top_p_slider]), widgets.HBox([seed_box, new_seed])]
    )
    return widgets.VBox([controls, sample, table, step_slider, chart])
