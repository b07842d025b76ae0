"""Exercises of chapter 10, the full GPT.

The GPTs the checks use have large random weights (normal, standard deviation 0.5): at the default
initialisation a small GPT predicts nearly the same thing whatever the prompt and wherever a token stands,
which would hide a missing position embedding, positions that start at 1, or generation that reads the wrong
end of its context.

* ``gpt_forward`` and ``count_parameters`` and ``gpt3_parameter_table`` compare values with the reference;
* ``training_step`` runs two steps from zeroed gradients with plain SGD (with Adam the first step hardly
  depends on the gradient's size, which would hide clipping), comparing the loss and every weight after each
  step: a step that forgets to zero the gradients shows on the second step, one that clips after stepping or not
  at all on the first;
* ``generate`` compares greedy output token for token (a prompt longer than the context included) and sampled
  output by the same-seed rule and by frequencies within exact binomial bounds, never by the reference's draws.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from course_utils import training
from course_utils.checks.ch07 import binomial_bounds
from course_utils.checks.core import Case, CheckFailed, Exercise, Mistake, call_learner, describe, register, same_values
from course_utils.gpt import GPT, GPTConfig
from course_utils.solutions import ch10 as solutions


def large_weights_gpt(
    seed: int, vocab_size: int = 11, context: int = 8, n_layer: int = 2, n_head: int = 2, d_model: int = 16
) -> GPT:
    """A small GPT (no dropout, eval mode) whose weights are all drawn large, so that its output depends on
    every token of the prompt and on where each one stands."""
    config = GPTConfig(vocab_size=vocab_size, context=context, n_layer=n_layer, n_head=n_head, d_model=d_model)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = GPT(config)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator) * 0.5)
    return model.eval()


def _ids(seed: int, *shape: int, vocab_size: int = 11) -> torch.Tensor:
    return torch.randint(0, vocab_size, shape, generator=torch.Generator().manual_seed(seed))


# --------------------------------------------------------------------------------------------------------------
# ch10.gpt_forward


def _forward_cases() -> list[Case]:
    model = large_weights_gpt(1)
    return [
        Case("a GPT with context 8 and a (2, 5) batch of ids", (model, _ids(2, 2, 5))),
        Case("the same GPT and a (3, 8) batch: as many tokens as its context", (model, _ids(3, 3, 8))),
        Case("a GPT with 3 blocks and a (1, 1) batch: one token", (large_weights_gpt(4, n_layer=3), _ids(5, 1, 1))),
    ]


def _forward_with(
    model: GPT, ids: torch.Tensor, *, positions: torch.Tensor | None = None, blocks: int | None = None
) -> torch.Tensor:
    x = model.wte(ids) + (model.wpe(positions) if positions is not None else 0)
    for block in list(model.h)[:blocks]:
        x = block(x)
    return x


register(
    Exercise(
        id="ch10.gpt_forward",
        title="The GPT's forward pass",
        difficulty=2,
        minutes=10,
        hint=(
            "x = model.wte(ids) + model.wpe(torch.arange(T)); then x = block(x) for every block in model.h; then "
            "model.ln_f(x); then model.lm_head(...) gives the logits (B, T, V)."
        ),
        reference=solutions.gpt_forward,
        cases=_forward_cases,
        compare=lambda got, want: same_values(got, want, atol=1e-4, rtol=1e-4),
        mistakes=[
            Mistake(
                "no position embedding: add model.wpe(torch.arange(T)) to the token embeddings, or the model cannot "
                "tell the first token from the last.",
                lambda model, ids: model.lm_head(model.ln_f(_forward_with(model, ids))),
            ),
            Mistake(
                "no final layer norm: apply model.ln_f to the output of the last block before model.lm_head.",
                lambda model, ids: model.lm_head(_forward_with(model, ids, positions=torch.arange(ids.shape[1]))),
            ),
            Mistake(
                "the positions must start at 0: torch.arange(T) gives 0, 1, ..., T - 1 (yours start at 1).",
                lambda model, ids: model.lm_head(
                    model.ln_f(_forward_with(model, ids, positions=torch.arange(1, ids.shape[1] + 1)))
                ),
            ),
            Mistake(
                "only the first block ran: is your `return` inside the loop over model.h? Every block must run, "
                "each on the output of the one before.",
                lambda model, ids: model.lm_head(
                    model.ln_f(_forward_with(model, ids, positions=torch.arange(ids.shape[1]), blocks=1))
                ),
            ),
            Mistake(
                "the blocks did not run: pass x through every block of model.h (x = block(x)) before ln_f.",
                lambda model, ids: model.lm_head(
                    model.ln_f(_forward_with(model, ids, positions=torch.arange(ids.shape[1]), blocks=0))
                ),
            ),
            Mistake(
                "return the logits themselves: the softmax belongs to sampling and to the loss, not to the forward.",
                lambda model, ids: torch.softmax(solutions.gpt_forward(model, ids), dim=-1),
            ),
            Mistake(
                "the final layer norm ran before the blocks instead of after them: model.ln_f(x) comes after the "
                "last block, just before model.lm_head.",
                lambda model, ids: model.lm_head(
                    _blocks_after_norm(model, ids),
                ),
            ),
            Mistake(
                "model.ln_f ran after every block; it runs once, after the last block (each block normalises its "
                "own input with its ln_1 and ln_2).",
                lambda model, ids: model.lm_head(_norm_after_each_block(model, ids)),
            ),
        ],
    )
)


def _norm_after_each_block(model: GPT, ids: torch.Tensor) -> torch.Tensor:
    x = model.wte(ids) + model.wpe(torch.arange(ids.shape[1]))
    for block in model.h:
        x = model.ln_f(block(x))
    return x


def _blocks_after_norm(model: GPT, ids: torch.Tensor) -> torch.Tensor:
    x = model.ln_f(model.wte(ids) + model.wpe(torch.arange(ids.shape[1])))
    for block in model.h:
        x = block(x)
    return x


# --------------------------------------------------------------------------------------------------------------
# ch10.count_parameters


class _WithBuffer(nn.Module):
    """A linear layer beside a running-statistics buffer, as batch norm keeps."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(3, 2)
        self.register_buffer("running_mean", torch.zeros(5))


def _count_cases() -> list[Case]:
    shared = nn.Linear(3, 3)
    return [
        Case(
            "a small course GPT (its embedding tied to its unembedding; a causal-mask buffer)", (large_weights_gpt(1),)
        ),
        Case("nn.BatchNorm1d(4) (4 scales and 4 shifts; running statistics in buffers)", (nn.BatchNorm1d(4),)),
        Case(
            "nn.Sequential(lin, nn.ReLU(), lin): one Linear(3, 3) used twice",
            (nn.Sequential(shared, nn.ReLU(), shared),),
        ),
        Case("a Linear(3, 2) beside a buffer of 5 numbers", (_WithBuffer(),)),
        Case("nn.Linear(4, 2, bias=False)", (nn.Linear(4, 2, bias=False),)),
        Case("nn.ReLU(), which has no parameters", (nn.ReLU(),)),
    ]


register(
    Exercise(
        id="ch10.count_parameters",
        title="Counting parameters",
        difficulty=1,
        minutes=5,
        hint=(
            "Add up p.numel() for every p in model.parameters(): it yields each parameter once, a shared one too, "
            "and never a buffer."
        ),
        reference=solutions.count_parameters,
        cases=_count_cases,
        compare=lambda got, want: same_values(got, want, atol=0, rtol=0),  # a count is exact
        mistakes=[
            Mistake(
                "the state dict holds the tied matrix twice (wte.weight and lm_head.weight are one tensor) and the "
                "buffers too: count model.parameters(), which yields each parameter once.",
                lambda model: sum(t.numel() for t in model.state_dict().values()),
            ),
            Mistake(
                "a tied weight counted twice: named_parameters(remove_duplicate=False) lists a shared matrix under "
                "each name; model.parameters() gives it once.",
                lambda model: sum(p.numel() for _, p in model.named_parameters(remove_duplicate=False)),
            ),
            Mistake(
                "buffers are not parameters: a causal mask or a running mean is never trained. Leave model.buffers() "
                "out.",
                lambda model: sum(p.numel() for p in model.parameters()) + sum(b.numel() for b in model.buffers()),
            ),
            Mistake(
                "that is the number of parameter tensors; count the numbers in each, p.numel().",
                lambda model: len(list(model.parameters())),
            ),
            Mistake(
                "biases and layer norms count too: every parameter, whatever its number of dimensions.",
                lambda model: sum(p.numel() for p in model.parameters() if p.ndim >= 2),
            ),
            Mistake(
                "model.modules() yields the model and every part inside it, and each one's parameters() include its "
                "parts' again: call model.parameters() once, on the model.",
                lambda model: sum(p.numel() for m in model.modules() for p in m.parameters()),
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch10.gpt3_parameter_table


ATTENTION_KEYS = ("key", "query", "value_down", "value_up")


def _table(**changes: int) -> dict[str, int]:
    vocab, width, layers, heads = 50_257, 12_288, 96, 96
    d_head = changes.get("d_head", width // heads)
    mlp = changes.get("mlp", 4 * width)
    layers_counted = changes.get("layers", layers)
    attention = width * d_head * heads * layers_counted
    return {
        "embedding": changes.get("embedding", vocab * width),
        "key": attention,
        "query": attention,
        "value_down": attention,
        "value_up": attention,
        "up_projection": width * mlp * layers_counted,
        "down_projection": width * mlp * layers_counted,
        "unembedding": changes.get("unembedding", width * vocab),
    }


register(
    Exercise(
        id="ch10.gpt3_parameter_table",
        title="GPT-3's parameters by matrix group",
        difficulty=2,
        minutes=10,
        hint=(
            "From the shape: vocabulary 50,257, width 12,288, 96 layers of 96 heads of width 128, MLPs 4 x 12,288 "
            "wide. A head's key matrix is 12,288 x 128; there is one per head per layer. An MLP's up-projection is "
            "12,288 x 49,152, one per layer."
        ),
        reference=solutions.gpt3_parameter_table,
        cases=lambda: [Case("GPT-3's shape")],
        compare=lambda got, want: same_values(got, want, atol=0, rtol=0),  # counts are exact: one weight matters
        mistakes=[
            Mistake(
                "the MLP is 4 times wider than the model: 4 x 12,288 = 49,152 neurons.", lambda: _table(mlp=12_288)
            ),
            Mistake("that is one layer's worth: GPT-3 has 96 layers, multiply by 96.", lambda: _table(layers=1)),
            Mistake(
                "each head's key, query and value matrices map 12,288 dimensions to d_head = 12,288 / 96 = 128, not "
                "to 12,288.",
                lambda: _table(d_head=12_288),
            ),
            Mistake(
                "the embedding has one row per vocabulary token (50,257), not per position (2,048).",
                lambda: _table(embedding=2_048 * 12_288),
            ),
            Mistake(
                "count the unembedding as its own group (GPT-3's table does, as seed 000 counts it): 12,288 x "
                "50,257, the same size as the embedding.",
                lambda: _table(unembedding=0),
            ),
            Mistake(
                "one head per layer is not enough: each of the 96 heads has its own key, query and value matrices.",
                lambda: _table(layers_attention_heads=1) | dict.fromkeys(ATTENTION_KEYS, 12_288 * 128 * 96),
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch10.training_step

LEARNING_RATE = 0.05
STEP_TOLERANCE = 1e-5


def _step_fixture(seed: int = 7) -> tuple[GPT, torch.optim.Optimizer]:
    model = large_weights_gpt(seed, vocab_size=11, context=8, n_layer=1, n_head=2, d_model=16).train()
    return model, torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)


STEP_BATCHES = ((_ids(20, 4, 8), _ids(21, 4, 8)), (_ids(22, 4, 8), _ids(23, 4, 8)))


def _run_steps(step_fn: Callable[..., Any], through_learner: bool) -> list[tuple[Any, list[torch.Tensor]]]:
    """Two steps from zeroed gradients: after each, the returned value and a copy of every weight."""
    model, optimizer = _step_fixture()
    record = []
    for number, (x, y) in enumerate(STEP_BATCHES, start=1):
        label = f"step {number} of a small GPT with large weights and SGD(lr={LEARNING_RATE}) on a (4, 8) batch"
        if through_learner:
            case = Case(label, (model, optimizer, x.clone(), y.clone()))
            result = call_learner(step_fn, case, copy_inputs=False, check_inputs=False)
        else:
            result = step_fn(model, optimizer, x.clone(), y.clone())
        record.append((result, [p.detach().clone() for p in model.parameters()]))
    return record


def _same_record(a: list, b: list) -> bool:
    for (loss_a, weights_a), (loss_b, weights_b) in zip(a, b, strict=True):
        try:
            if not math.isclose(float(loss_a), float(loss_b), rel_tol=1e-5, abs_tol=1e-6):
                return False
        except (TypeError, ValueError, RuntimeError):
            return False
        if any(not torch.allclose(p, q, atol=STEP_TOLERANCE) for p, q in zip(weights_a, weights_b, strict=True)):
            return False
    return True


def _step_no_zero_grad(model, optimizer, x, y):
    loss = F.cross_entropy(model(x).flatten(0, 1), y.flatten())
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()


def _step_clip_after(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x).flatten(0, 1), y.flatten())
    loss.backward()
    optimizer.step()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    return loss.item()


def _step_nll_of_logits(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.nll_loss(model(x).flatten(0, 1), y.flatten())
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()


def _step_loss_after(model, optimizer, x, y):
    optimizer.zero_grad()
    F.cross_entropy(model(x).flatten(0, 1), y.flatten()).backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    with torch.no_grad():
        return F.cross_entropy(model(x).flatten(0, 1), y.flatten()).item()


def _step_variant(
    *,
    clip: float | None = 1.0,
    last_only: bool = False,
    targets_x: bool = False,
    step: bool = True,
    reduction: str = "mean",
) -> Callable[..., float]:
    def wrong(model, optimizer, x, y):
        optimizer.zero_grad()
        logits = model(x)
        target = x if targets_x else y
        if last_only:
            loss = F.cross_entropy(logits[:, -1], target[:, -1], reduction=reduction)
        else:
            loss = F.cross_entropy(logits.flatten(0, 1), target.flatten(), reduction=reduction)
        loss.backward()
        if clip is not None:
            nn.utils.clip_grad_norm_(model.parameters(), clip)
        if step:
            optimizer.step()
        return loss.item()

    return wrong


STEP_MISTAKES = [
    (
        "the gradients were not zeroed, so the second step added its gradient to the first one's: call "
        "optimizer.zero_grad() at the start of each step (or after optimizer.step()).",
        _step_no_zero_grad,
    ),
    (
        "the step used unclipped gradients: clip them with torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0) "
        "between loss.backward() and optimizer.step() (clipping after optimizer.step() is too late: the step has "
        "already used them).",
        _step_clip_after,
    ),
    ("clip the gradients' norm to 1.0, as the docstring says.", _step_variant(clip=0.5)),
    (
        "F.nll_loss expects log-probabilities, not logits: use F.cross_entropy on the logits (it takes the "
        "log-softmax itself).",
        _step_nll_of_logits,
    ),
    (
        "return the loss of this step's forward pass (loss.item() of the loss you called backward on), not the "
        "loss recomputed after optimizer.step().",
        _step_loss_after,
    ),
    (
        "the loss must count every position, not only the last: F.cross_entropy(logits.view(-1, V), y.view(-1)).",
        _step_variant(last_only=True),
    ),
    (
        "the targets are y (the next tokens), not x: the model learns to predict what comes next.",
        _step_variant(targets_x=True),
    ),
    (
        "the weights did not change: after loss.backward() (and the clipping), call optimizer.step(); and do not "
        "zero the gradients between the backward pass and the step.",
        _step_variant(step=False),
    ),
    (
        "the loss is the mean over all B * T positions (F.cross_entropy's default), not their sum.",
        _step_variant(reduction="sum"),
    ),
]


def _check_training_step(learner_fn: Callable[..., Any]) -> None:
    want = _run_steps(training.training_step, through_learner=False)
    got = _run_steps(learner_fn, through_learner=True)
    for number, ((result, weights), (want_loss, want_weights)) in enumerate(zip(got, want, strict=True), start=1):
        where = f"on step {number} (two steps of a small GPT with SGD from zeroed gradients)"
        if isinstance(result, torch.Tensor):
            raise CheckFailed(
                f"{where}, it returned a tensor ({describe(result)}); return the loss as a Python float with "
                f"loss.item(): a tensor keeps the whole computation graph in memory, step after step.",
            )
        problem = same_values(result, want_loss, atol=1e-6, rtol=1e-5)
        moved = not all(torch.allclose(p, q, atol=STEP_TOLERANCE) for p, q in zip(weights, want_weights, strict=True))
        if problem or moved:
            what = f"the returned loss: {problem}" if problem else "the loss was right but the weights after it differ"
            advice = next((text for text, wrong in STEP_MISTAKES if _same_record(got, _run_steps(wrong, False))), None)
            raise CheckFailed(
                f"{where}, {what}.\nLook at: "
                + (
                    advice
                    or "zero the gradients, forward, cross-entropy over every position, backward, clip to 1.0, step."
                )
            )


register(
    Exercise(
        id="ch10.training_step",
        title="One training step of a GPT",
        difficulty=2,
        minutes=10,
        hint=(
            "optimizer.zero_grad(); logits = model(x); loss = F.cross_entropy(logits.flatten(0, 1), y.flatten()); "
            "loss.backward(); torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0); optimizer.step(); "
            "return loss.item()."
        ),
        reference=training.training_step,
        custom=_check_training_step,
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch10.generate

SAMPLE_DRAWS = 3000
FAILURE_RATE = 1e-6


def _as_ids(result: Any, shape: tuple[int, ...], label: str) -> torch.Tensor:
    if result is None:
        raise CheckFailed(f"on {label}, it returned None: did you forget the `return` statement?")
    if not isinstance(result, torch.Tensor):
        raise CheckFailed(
            f"on {label}, it returned {describe(result)}; return a tensor of ids (B, T + max_new_tokens)."
        )
    if result.dtype.is_floating_point:
        raise CheckFailed(f"on {label}, it returned floats ({result.dtype}); ids are whole numbers (torch.long).")
    if tuple(result.shape) != shape:
        extra = ""
        if result.ndim == 2 and result.shape[0] == shape[0] and result.shape[1] == shape[1] - _PROMPT_LENGTH[0]:
            extra = " It holds only the new tokens: return the prompt followed by them (torch.cat along dim 1)."
        raise CheckFailed(f"on {label}, the result has shape {tuple(result.shape)}, expected {shape}.{extra}")
    return result


_PROMPT_LENGTH = [0]


def _generate(learner_fn, model, prompt, new, temperature, generator, label) -> torch.Tensor:
    _PROMPT_LENGTH[0] = prompt.shape[1]
    case = Case(label, (model, prompt.clone(), new, temperature, generator))
    result = call_learner(learner_fn, case, copy_inputs=False, check_inputs=False)
    return _as_ids(result, (prompt.shape[0], prompt.shape[1] + new), label)


def _greedy_mistakes(model: GPT, prompt: torch.Tensor, new: int) -> list[tuple[str, torch.Tensor]]:
    context = model.config.context

    def run(crop: Callable[[torch.Tensor], torch.Tensor], position: int = -1, append: bool = True):
        ids = prompt.clone()
        base = prompt.clone()
        with torch.no_grad():
            for _ in range(new):
                source = ids if append else base
                logits = model(crop(source))[:, position]
                ids = torch.cat([ids, logits.argmax(-1, keepdim=True)], dim=1)
        return ids

    return [
        (
            "the window must keep the last context tokens, ids[:, -context:], not the first ones.",
            run(lambda ids: ids[:, :context]),
        ),
        (
            "read the logits of the last position, logits[:, -1, :]: they predict the token after the text.",
            run(lambda ids: ids[:, -context:], position=0),
        ),
        (
            "each new token must be appended and fed back in: the next prediction reads the text so far, new "
            "tokens included.",
            run(lambda ids: ids[:, -context:], append=False),
        ),
    ]


def _check_generate(learner_fn: Callable[..., Any]) -> None:
    model = large_weights_gpt(3, vocab_size=13, context=6, n_layer=2, n_head=2, d_model=16)
    # greedy: token for token; a short prompt whose text grows past the context, then a prompt longer than it
    for prompt, new, label in [
        (_ids(30, 2, 4, vocab_size=13), 5, "a (2, 4) prompt, 5 new tokens, temperature 0 (greedy), context 6"),
        (_ids(31, 3, 9, vocab_size=13), 4, "a (3, 9) prompt, longer than the context 6, 4 new tokens, greedy"),
    ]:
        want = solutions.generate(model, prompt.clone(), new, 0.0, torch.Generator().manual_seed(0))
        try:
            got = _generate(learner_fn, model, prompt, new, 0.0, torch.Generator().manual_seed(0), label)
        except CheckFailed as failure:
            said = str(failure).replace(label, "")  # the label names the context too
            if "its context" in said:
                raise CheckFailed(
                    f"{failure}\nLook at: crop the input to the model's context before each forward pass: "
                    f"model(ids[:, -model.config.context:])."
                ) from failure.__cause__
            error_line = said.splitlines()[0] if said else ""  # the error itself, not the learner's code
            if re.search(r"\b(nan|inf)\b|division by zero", error_line):
                raise CheckFailed(
                    f"{failure}\nLook at: temperature 0 means greedy: logits / 0 is infinite, so handle it on its "
                    f"own (if temperature == 0: take logits.argmax(-1, keepdim=True)) and divide only when it is "
                    f"above 0."
                ) from failure.__cause__
            raise
        if not torch.equal(got[:, : prompt.shape[1]], prompt):
            raise CheckFailed(
                f"on {label}, the result does not start with the prompt; return the prompt, then the new tokens."
            )
        if not torch.equal(got, want):
            advice = next(
                (text for text, wrong in _greedy_mistakes(model, prompt, new) if torch.equal(got, wrong)), None
            )
            raise CheckFailed(
                f"on {label}, it generated {got[:, prompt.shape[1] :].tolist()}, "
                f"expected {want[:, prompt.shape[1] :].tolist()}"
                f" (greedy takes the likeliest token each time, so there is one right answer).\nLook at: "
                + (
                    advice
                    or "at temperature 0 take logits.argmax(-1) of the last position, append, repeat; crop to "
                    "the last context tokens."
                )
            )

    # sampling: the same seed gives the same text, and the next token comes up as often as softmax(logits / T) says
    prompt = _ids(32, 1, 5, vocab_size=13)
    label = "a (50, 5) prompt, 6 new tokens, temperature 1.0"
    batch = prompt.expand(50, 5).contiguous()
    first = _generate(learner_fn, model, batch, 6, 1.0, torch.Generator().manual_seed(11), label)
    second = _generate(learner_fn, model, batch, 6, 1.0, torch.Generator().manual_seed(11), label)
    if not torch.equal(first, second):
        raise CheckFailed(
            f"on {label}, two generators seeded alike gave different text, so some draws did not come from "
            f"`generator`.\nLook at: torch.multinomial(probabilities, 1, generator=generator)."
        )
    generator = torch.Generator().manual_seed(12)
    state = generator.get_state()
    many = prompt.expand(SAMPLE_DRAWS, 5).contiguous()
    for temperature in (0.7, 1.6):
        label = f"{SAMPLE_DRAWS} copies of a (1, 5) prompt, 1 new token, temperature {temperature}"
        drawn = _generate(learner_fn, model, many, 1, temperature, generator, label)[:, -1]
        with torch.no_grad():
            logits = model(prompt)[0, -1]
        if (drawn == logits.argmax()).all():
            raise CheckFailed(
                f"on {label}, every draw was the likeliest token.\nLook at: at a temperature above 0, draw at random: "
                f"torch.multinomial(F.softmax(logits / temperature, -1), 1, generator=generator)."
            )
        if torch.equal(generator.get_state(), state):
            raise CheckFailed(
                f"on {label}, the generator passed in did not move: the draws came from somewhere else.\nLook at: "
                f"torch.multinomial(probabilities, 1, generator=generator)."
            )
        probabilities = torch.softmax(logits / temperature, dim=-1).double()
        counts = np.bincount(drawn.numpy(), minlength=len(probabilities))
        for token, (count, p) in enumerate(zip(counts, probabilities.tolist(), strict=True)):
            low, high = binomial_bounds(SAMPLE_DRAWS, p, FAILURE_RATE / len(probabilities) / 2)
            if not low <= count <= high:
                advice = _frequency_advice(counts, logits, temperature)
                raise CheckFailed(
                    f"on {label}, token {token} came up {count} times; softmax(logits / temperature) gives it "
                    f"{p:.1%}, so a right answer draws it {low} to {high} times.\nLook at: {advice}"
                )


def _frequency_advice(counts: np.ndarray, logits: torch.Tensor, temperature: float) -> str:
    draws = counts.sum()
    candidates = {
        "every draw was the likeliest token: at a temperature above 0, draw at random with torch.multinomial.": (
            F.one_hot(logits.argmax(), len(logits)).double()
        ),
        "divide the logits by the temperature (logits / temperature), do not multiply them.": (
            torch.softmax(logits * temperature, -1).double()
        ),
        "the temperature was not applied: divide the logits by it before the softmax.": (
            torch.softmax(logits, -1).double()
        ),
    }
    for advice, probabilities in candidates.items():
        if all(
            low <= count <= high
            for count, p in zip(counts, probabilities.tolist(), strict=True)
            for low, high in [binomial_bounds(int(draws), p, FAILURE_RATE)]
        ):
            return advice
    return (
        "probabilities = F.softmax(logits[:, -1, :] / temperature, dim=-1), then "
        "torch.multinomial(probabilities, 1, generator=generator)."
    )


register(
    Exercise(
        id="ch10.generate",
        title="Generating text: predict, sample, append",
        difficulty=2,
        minutes=15,
        hint=(
            "Repeat max_new_tokens times: logits = model(ids[:, -model.config.context:])[:, -1, :]; at temperature "
            "0 take logits.argmax(-1, keepdim=True), else torch.multinomial(F.softmax(logits / temperature, -1), 1, "
            "generator=generator); ids = torch.cat([ids, next_ids], dim=1). Wrap it in torch.no_grad()."
        ),
        reference=solutions.generate,
        custom=_check_generate,
        time_limit=20.0,
    )
)
