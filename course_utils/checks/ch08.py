"""Exercises of chapter 08, attention.

Each check isolates one thing at a time before it compares whole outputs:

* for the self-attention layers, first a single token (attention can only look at itself, so only the value
  and output maps matter), then the first query of a longer sequence (it may see only itself, so only the mask
  matters), then causality (changing the last token must leave every earlier output unchanged), then the full
  reference on several inputs;
* for every exercise, on every call (the core's ``call_learner``), that the learner's function leaves its
  input tensors as they were.

The inputs are never square where a transposition could hide (T_q != T_k, d_head != C, batch > 1), and their
scores are large enough that scaling by sqrt(d) changes the answer.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from course_utils import attention
from course_utils.checks.core import (
    Case,
    CheckFailed,
    Exercise,
    Mistake,
    bool_mask_compare,
    call_learner,
    register,
    same_values,
)


def _random(generator: torch.Generator, *shape: int, scale: float = 1.0) -> torch.Tensor:
    return torch.randn(*shape, generator=generator) * scale


# --------------------------------------------------------------------------------------------------------------
# An exercise whose check also runs staged checks first and an in-place check last


@dataclass
class Stage:
    """One isolated check: run ``case``, keep the part ``select`` picks, compare it with the reference's.

    ``explanation`` says what this stage isolates; it is the advice when no listed mistake explains the answer.
    """

    case: Case
    select: Callable[[Any], Any]
    explanation: str


@dataclass
class AttentionExercise(Exercise):
    """An :class:`Exercise` whose cases come after ``stages`` and a ``causality`` case."""

    stages: Callable[[], Sequence[Stage]] = tuple
    causality: Callable[[], tuple[Case, Case, int]] | None = None

    def _check_cases(self, learner_fn: Callable[..., Any], cases: Sequence[Case]) -> list[tuple[tuple, Any, Any]]:
        for stage in self.stages():
            self._check_stage(learner_fn, stage, cases)
        if self.causality is not None:
            self._check_causality(learner_fn)
        # every call of the learner's function (call_learner) also fails one that changes its inputs in place
        return super()._check_cases(learner_fn, cases)

    def _check_stage(self, learner_fn: Callable[..., Any], stage: Stage, cases: Sequence[Case]) -> None:
        want = stage.select(self.reference(*copy.deepcopy(stage.case.args)))
        got_whole = call_learner(learner_fn, stage.case)
        try:
            got = stage.select(got_whole)
        except Exception:  # noqa: BLE001 - an answer of the wrong shape is reported by the comparison below
            got = got_whole
        problem = self.compare(got, want)
        if not problem:
            return
        suspects = []
        for mistake in self.mistakes:
            try:
                wrong = stage.select(mistake.wrong(*copy.deepcopy(stage.case.args)))
            except Exception:  # noqa: BLE001 - a mistake that cannot be computed here says nothing
                continue
            if self.compare(got, wrong) is None:
                suspects.append(mistake)
        # as in the core check: a mistake is named only if it also explains the answers on the full inputs
        for case in cases:
            if not suspects:
                break
            try:
                later = learner_fn(*copy.deepcopy(case.args))
            except Exception:  # noqa: BLE001
                break
            suspects = [m for m in suspects if self._matches(m, case, later) is not False]
        if not suspects:
            raise CheckFailed(f"on {stage.case.label}, {problem}.\nLook at: {stage.explanation}")
        raise CheckFailed(f"on {stage.case.label}, {problem}.\n{stage.explanation}\nLook at: {suspects[0].advice}")

    def _check_causality(self, learner_fn: Callable[..., Any]) -> None:
        original, changed, last = self.causality()
        before = call_learner(learner_fn, original)
        after = call_learner(learner_fn, changed)
        try:
            moved = not torch.allclose(torch.as_tensor(before)[..., :last, :], torch.as_tensor(after)[..., :last, :])
        except Exception:  # noqa: BLE001 - a wrong shape is reported by the full comparison that follows
            return
        if moved:
            raise CheckFailed(
                f"changing only the last token of {original.label} changed the outputs at earlier positions: "
                f"a token must not see the future.\nLook at: the causal mask: True where key j <= query i, "
                f"applied to the scores before the softmax (masked scores -inf, so they get weight 0)."
            )


# --------------------------------------------------------------------------------------------------------------
# ch08.attention_scores


def _scores_cases() -> list[Case]:
    g = torch.Generator().manual_seed(80)
    return [
        # same number of queries and keys first, so that the transposed product runs and can be named
        Case("4 queries and 4 keys of width 3", (_random(g, 4, 3, scale=3.0), _random(g, 4, 3, scale=3.0))),
        Case("5 queries and 3 keys of width 8", (_random(g, 5, 8, scale=2.0), _random(g, 3, 8, scale=2.0))),
        Case(
            "a batch of 2, with 2 heads, 6 queries and 7 keys of width 16",
            (_random(g, 2, 2, 6, 16, scale=2.0), _random(g, 2, 2, 7, 16, scale=2.0)),
        ),
        Case("one query and one key of width 1", (torch.tensor([[2.0]]), torch.tensor([[-3.0]]))),
    ]


register(
    AttentionExercise(
        id="ch08.attention_scores",
        title="Attention scores",
        difficulty=1,
        minutes=8,
        hint=(
            "Entry [i, j] is the dot product of query i with key j: q @ k.transpose(-2, -1), a (T_q, T_k) table. "
            "Then divide by math.sqrt(d), where d = q.shape[-1] is the width of one query."
        ),
        reference=attention.attention_scores,
        cases=_scores_cases,
        mistakes=[
            Mistake(
                "the scores are not scaled: divide q @ k^T by sqrt(d), the square root of the width of a query.",
                lambda q, k: q @ k.transpose(-2, -1),
            ),
            Mistake(
                "you divided by d itself; the scale is 1 / sqrt(d) (math.sqrt(q.shape[-1])).",
                lambda q, k: q @ k.transpose(-2, -1) / q.shape[-1],
            ),
            Mistake(
                "you multiplied by sqrt(d); divide by it instead, so that the scores keep a variance near 1.",
                lambda q, k: q @ k.transpose(-2, -1) * math.sqrt(q.shape[-1]),
            ),
            Mistake(
                "your table is transposed (keys times queries): rows must be queries and columns keys, "
                "q @ k.transpose(-2, -1), not k @ q.transpose(-2, -1).",
                lambda q, k: k @ q.transpose(-2, -1) / math.sqrt(q.shape[-1]),
            ),
            Mistake(
                "you scaled by the square root of the number of keys; the scale is the square root of the width "
                "d of a query (q.shape[-1]), not of how many tokens there are.",
                lambda q, k: q @ k.transpose(-2, -1) / math.sqrt(k.shape[-2]),
            ),
            Mistake(
                "that is one dot product per pair of rows (query i with key i); the table holds every query with "
                "every key: a matrix product, q @ k.transpose(-2, -1).",
                lambda q, k: (q * k).sum(-1) / math.sqrt(q.shape[-1]),
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch08.causal_mask


_mask_compare = bool_mask_compare("build it with torch.ones(T, T, dtype=torch.bool) or a comparison")


def _mask_cases() -> list[Case]:
    return [Case("T = 4", (4,)), Case("T = 7", (7,)), Case("T = 1 (one token sees itself)", (1,))]


register(
    AttentionExercise(
        id="ch08.causal_mask",
        title="The causal mask",
        difficulty=1,
        minutes=5,
        hint="Row i is query i and column j key j; allowed where j <= i: torch.tril of a (T, T) tensor of True.",
        reference=attention.causal_mask,
        cases=_mask_cases,
        compare=_mask_compare,
        mistakes=[
            Mistake(
                "your mask allows the future and blocks the past (upper triangle): query i may look at keys "
                "j <= i, the lower triangle, torch.tril.",
                lambda T: torch.triu(torch.ones(T, T, dtype=torch.bool)),
            ),
            Mistake(
                "the diagonal is masked: a token may look at itself (j <= i, not j < i); use torch.tril with "
                "the default diagonal=0.",
                lambda T: torch.tril(torch.ones(T, T, dtype=torch.bool), diagonal=-1),
            ),
            Mistake(
                "True and False are the other way round: in this course True means the query *may* look at the "
                "key (torch.nn.MultiheadAttention uses the opposite convention).",
                lambda T: ~torch.tril(torch.ones(T, T, dtype=torch.bool)),
            ),
            Mistake(
                "nothing is masked: query i may not look at keys after it; keep only the lower triangle.",
                lambda T: torch.ones(T, T, dtype=torch.bool),
            ),
            Mistake(
                "only the diagonal is allowed: query i may look at itself and every key before it.",
                lambda T: torch.eye(T, dtype=torch.bool),
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch08.attention_weights


def _weights_compare(got: Any, want: Any) -> str | None:
    if isinstance(got, torch.Tensor) and got.shape == want.shape and not torch.isfinite(got).all():
        allowed_rows = want.abs().sum(dim=-1, keepdim=True).expand_as(want) > 0  # rows with an allowed key
        if (~torch.isfinite(got) & allowed_rows).any():
            return (
                "your weights hold nan or inf in a row that has allowed keys: exp of a large score overflows "
                "float32 (exp(89) is already inf, and inf / inf is nan). Subtract each row's largest score before "
                "exp, as torch.softmax does for you"
            )
    if isinstance(got, torch.Tensor) and torch.isnan(got).any():
        return (
            "your weights hold nan: a row whose keys are all masked is a softmax of only -inf, which is 0 / 0. "
            "Such rows must be all zeros (set the masked positions to 0 after the softmax, e.g. "
            "weights.masked_fill(~mask, 0.0))"
        )
    return same_values(got, want)


def _weights_cases() -> list[Case]:
    g = torch.Generator().manual_seed(81)
    causal_3_by_5 = torch.tensor([[j <= i + 2 for j in range(5)] for i in range(3)])  # 3 queries see 3, 4, 5 keys
    padding = torch.tensor([True, True, False, True])  # key 2 is padding, for every query
    some_rows_blocked = torch.tensor([[True, False, True], [False, False, False]])
    return [
        Case(
            "scores of 3 queries by 5 keys with a mask that hides the last keys from the first queries",
            (_random(g, 3, 5, scale=2.0), causal_3_by_5),
        ),
        Case("a batch of 2 heads of 4 by 4 scores, no mask", (_random(g, 2, 4, 4, scale=2.0), None)),
        Case(
            "scores (2, 3, 4) with a (4,) padding mask that broadcasts over queries",
            (_random(g, 2, 3, 4, scale=3.0), padding),
        ),
        Case(
            "scores (2, 3) where the second query has every key masked (its weights must be zeros, not nan)",
            (_random(g, 2, 3), some_rows_blocked),
        ),
        Case(
            "large scores (2, 4), up to 120, as unscaled scores of wide heads can be",
            (
                torch.tensor([[120.0, 100.0, -5.0, 3.0], [90.0, 95.0, 0.0, 80.0]]),
                torch.tensor([True, True, True, False]),
            ),
        ),
    ]


def _weights_masked_to_zero(scores: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    return torch.softmax(scores if mask is None else scores.masked_fill(~mask, 0.0), dim=-1)


def _weights_mask_after_softmax(scores: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    weights = torch.softmax(scores, dim=-1)
    return weights if mask is None else weights.masked_fill(~mask, 0.0)


def _weights_query_axis(scores: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    return attention.attention_weights(scores.transpose(-2, -1), None if mask is None else mask.mT).mT


register(
    AttentionExercise(
        id="ch08.attention_weights",
        title="Masked softmax over keys",
        difficulty=2,
        minutes=12,
        hint=(
            "Give masked scores -inf (scores.masked_fill(~mask, float('-inf')), no underscore so the input "
            "stays as it was), take torch.softmax over the last axis (dim=-1), then set the masked positions "
            "to 0 so that a row with every key masked gives zeros instead of nan."
        ),
        reference=attention.attention_weights,
        cases=_weights_cases,
        compare=_weights_compare,
        mistakes=[
            Mistake(
                "the softmax runs over the query axis: each row (one query) must sum to 1 over the keys, dim=-1.",
                _weights_query_axis,
            ),
            Mistake(
                "you applied the mask after the softmax: the remaining weights no longer sum to 1. Fill masked "
                "scores with -inf before the softmax.",
                _weights_mask_after_softmax,
            ),
            Mistake(
                "masked scores were set to 0, and exp(0) = 1 still gives them weight: set them to -inf, whose "
                "exp is exactly 0.",
                _weights_masked_to_zero,
            ),
            Mistake(
                "the mask was ignored: keys where mask is False must get weight 0.",
                lambda scores, mask: torch.softmax(scores, dim=-1),
            ),
            Mistake(
                "True and False are the other way round: in this course True means allowed, so fill the scores "
                "where the mask is False (~mask).",
                lambda scores, mask: attention.attention_weights(scores, None if mask is None else ~mask),
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# The self-attention layers: shared inputs and mistakes


def _wrong_attend(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    width: int,
    *,
    scale: str = "sqrt",
    mask: str = "causal",
    axis: int = -1,
    transposed: bool = False,
) -> torch.Tensor:
    """Attention with one step done wrong, as named by the keywords; the defaults give the right answer."""
    T, d = q.shape[-2], q.shape[-1]
    scores = k @ q.transpose(-2, -1) if transposed else q @ k.transpose(-2, -1)
    scores = scores / {"sqrt": math.sqrt(d), "none": 1.0, "d": d, "width": math.sqrt(width)}[scale]
    causal = attention.causal_mask(T)
    if mask == "after":  # softmax first, then zero the future: rows no longer sum to 1
        return torch.softmax(scores, dim=-1).masked_fill(~causal, 0.0) @ v
    if mask == "zero":  # the future's scores set to 0, which still gets weight exp(0)
        return torch.softmax(scores.masked_fill(~causal, 0.0), dim=-1) @ v
    allowed = {"causal": causal, "future": torch.ones(T, T, dtype=torch.bool), "strict": causal.tril(-1)}[mask]
    weights = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=axis).nan_to_num(0.0)
    return weights @ v


_NO_SCALE = "the scores are not scaled: divide q @ k^T by sqrt(d_head), the width of one query."
_FUTURE = (
    "every token sees the future: apply the causal mask (True where key j <= query i) to the scores before the softmax."
)
_DIAGONAL = "the diagonal is masked: a token may look at itself (j <= i), so the first token attends to itself."
_QUERY_AXIS = "the softmax runs over the query axis: each query's weights must sum to 1 over the keys, dim=-1."
_AFTER = (
    "the mask was applied after the softmax, so the weights no longer sum to 1: fill masked scores with -inf "
    "first, then take the softmax."
)
_ZERO = "masked scores were set to 0, which still gets weight exp(0) = 1: set them to -inf."
_TRANSPOSED = (
    "the scores are transposed (keys times queries): entry [i, j] is query i with key j, q @ k.transpose(-2, -1)."
)


def _layer_compare(got: Any, want: Any) -> str | None:
    if isinstance(got, torch.Tensor) and torch.isnan(got).any():
        return (
            "the output holds nan: some query had every key masked, and a softmax of only -inf is 0 / 0 "
            "(is the diagonal masked? a token may look at itself, j <= i)"
        )
    return same_values(got, want, atol=1e-5, rtol=1e-4)


_ONE_TOKEN = (
    "With a single token, the only key a query can look at is itself (the diagonal of the causal mask is True), "
    "with weight 1, whatever the scores: the output is that token's value. Only the value map matters here."
)
_FIRST_QUERY = (
    "The first token may look only at itself, so its output is its own value whatever the scores: only the mask "
    "(and how the tokens are kept apart) matters here."
)


def _changed_last_token(case: Case) -> Case:
    x, *rest = case.args
    changed = x.clone()
    changed[..., -1, :] = changed[..., -1, :] * -2.0 + 1.0
    return Case(case.label + ", its last token changed", (changed, *rest))


# --------------------------------------------------------------------------------------------------------------
# ch08.single_head_attention


def _single_inputs(g: torch.Generator, B: int | None, T: int, C: int, d_head: int, scale: float = 1.0) -> tuple:
    x = _random(g, T, C) if B is None else _random(g, B, T, C)
    # weights of size about 3 / sqrt(C) give scores large enough that the scale matters
    return (x, *(_random(g, C, d_head, scale=scale * 3.0 / math.sqrt(C)) for _ in range(3)))


def _single_cases() -> list[Case]:
    g = torch.Generator().manual_seed(82)
    return [
        Case("one sequence x (5, 6), weights (6, 4)", _single_inputs(g, None, 5, 6, 4)),
        Case("a batch x (2, 7, 6), weights (6, 3)", _single_inputs(g, 2, 7, 6, 3)),
        Case("a batch x (3, 4, 8), weights (8, 5), large", _single_inputs(g, 3, 4, 8, 5, scale=2.0)),
    ]


def _single_stages() -> list[Stage]:
    g = torch.Generator().manual_seed(83)
    return [
        Stage(
            Case("one token: x (2, 1, 6), weights (6, 4)", _single_inputs(g, 2, 1, 6, 4)), lambda out: out, _ONE_TOKEN
        ),
        Stage(
            Case("the first token of x (2, 5, 6), weights (6, 4)", _single_inputs(g, 2, 5, 6, 4)),
            lambda out: out[..., :1, :],
            _FIRST_QUERY,
        ),
    ]


def _single_causality() -> tuple[Case, Case, int]:
    g = torch.Generator().manual_seed(84)
    original = Case("x (2, 6, 6), weights (6, 4)", _single_inputs(g, 2, 6, 6, 4))
    return original, _changed_last_token(original), 5


def _single_wrong(**how: Any) -> Callable[..., torch.Tensor]:
    def wrong(x: torch.Tensor, w_q: torch.Tensor, w_k: torch.Tensor, w_v: torch.Tensor) -> torch.Tensor:
        return _wrong_attend(x @ w_q, x @ w_k, x @ w_v, x.shape[-1], **how)

    return wrong


register(
    AttentionExercise(
        id="ch08.single_head_attention",
        title="One head of causal self-attention",
        difficulty=2,
        minutes=12,
        hint=(
            "q, k, v = x @ w_q, x @ w_k, x @ w_v; then attention_weights(attention_scores(q, k), causal_mask(T)) "
            "with T = x.shape[-2], and multiply the weights by v."
        ),
        reference=attention.single_head_attention,
        cases=_single_cases,
        compare=_layer_compare,
        stages=_single_stages,
        causality=_single_causality,
        mistakes=[
            Mistake(_FUTURE, _single_wrong(mask="future")),
            Mistake(_QUERY_AXIS, _single_wrong(axis=-2)),
            Mistake(_AFTER, _single_wrong(mask="after")),
            Mistake(_ZERO, _single_wrong(mask="zero")),
            Mistake(_DIAGONAL, _single_wrong(mask="strict")),
            Mistake(_NO_SCALE, _single_wrong(scale="none")),
            Mistake("you divided the scores by d_head; divide by sqrt(d_head).", _single_wrong(scale="d")),
            Mistake(
                "you scaled by sqrt(C), the width of x; the scale is sqrt(d_head), the width of one query.",
                _single_wrong(scale="width"),
            ),
            Mistake(_TRANSPOSED, _single_wrong(transposed=True)),
            Mistake(
                "the output must be the weighted sum of the values x @ w_v, not of the keys.",
                lambda x, w_q, w_k, w_v: attention.single_head_attention(x, w_q, w_k, w_k),
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch08.multi_head_attention


def _multi_inputs(g: torch.Generator, B: int, T: int, C: int, n_head: int, scale: float = 1.0) -> tuple:
    x = _random(g, B, T, C)
    weights = tuple(_random(g, C, C, scale=scale * 3.0 / math.sqrt(C)) for _ in range(3))
    return (x, *weights, _random(g, C, C, scale=1.0 / math.sqrt(C)), n_head)


def _multi_cases() -> list[Case]:
    g = torch.Generator().manual_seed(85)
    return [
        Case("x (2, 5, 12) with 3 heads of width 4", _multi_inputs(g, 2, 5, 12, 3)),
        Case("x (1, 7, 8) with 2 heads of width 4", _multi_inputs(g, 1, 7, 8, 2)),
        Case("x (3, 4, 16) with 4 heads of width 4, large weights", _multi_inputs(g, 3, 4, 16, 4, scale=2.0)),
        Case("x (2, 3, 6) with 1 head of width 6", _multi_inputs(g, 2, 3, 6, 1)),
    ]


def _multi_stages() -> list[Stage]:
    g = torch.Generator().manual_seed(86)
    return [
        Stage(Case("one token: x (2, 1, 12) with 3 heads", _multi_inputs(g, 2, 1, 12, 3)), lambda out: out, _ONE_TOKEN),
        Stage(
            Case("the first token of x (2, 5, 12) with 3 heads", _multi_inputs(g, 2, 5, 12, 3)),
            lambda out: out[..., :1, :],
            _FIRST_QUERY,
        ),
    ]


def _multi_causality() -> tuple[Case, Case, int]:
    g = torch.Generator().manual_seed(87)
    original = Case("x (2, 6, 12) with 3 heads", _multi_inputs(g, 2, 6, 12, 3))
    return original, _changed_last_token(original), 5


def _multi_wrong(
    *, split: str = "gpt2", merge: str = "gpt2", project: bool = True, **how: Any
) -> Callable[..., torch.Tensor]:
    def wrong(x, w_q, w_k, w_v, w_o, n_head):  # noqa: ANN001, ANN202 - the exercise's signature
        B, T, C = x.shape
        D = C // n_head
        if split == "gpt2":
            q, k, v = ((x @ w).view(B, T, n_head, D).transpose(1, 2) for w in (w_q, w_k, w_v))
        else:  # the same numbers, cut in the wrong order: a head gets pieces of several tokens
            q, k, v = ((x @ w).view(B, n_head, T, D) for w in (w_q, w_k, w_v))
        out = _wrong_attend(q, k, v, C, **how)  # (B, H, T, D)
        out = out.transpose(1, 2).reshape(B, T, C) if merge == "gpt2" else out.reshape(B, T, C)
        return out @ w_o if project else out

    return wrong


register(
    AttentionExercise(
        id="ch08.multi_head_attention",
        title="Multi-head causal self-attention",
        difficulty=3,
        minutes=20,
        hint=(
            "Project: q = x @ w_q (and k, v). Split: q.view(B, T, n_head, C // n_head).transpose(1, 2) gives "
            "(B, n_head, T, d_head). Attend with your attention_scores, causal_mask and attention_weights. "
            "Merge: out.transpose(1, 2).reshape(B, T, C). Project again: @ w_o."
        ),
        reference=attention.multi_head_attention,
        cases=_multi_cases,
        compare=_layer_compare,
        stages=_multi_stages,
        causality=_multi_causality,
        mistakes=[
            Mistake(
                "did you forget the output projection? The heads' outputs, side by side, are multiplied by w_o.",
                _multi_wrong(project=False),
            ),
            Mistake(_FUTURE, _multi_wrong(mask="future")),
            Mistake(_QUERY_AXIS, _multi_wrong(axis=-2)),
            Mistake(_DIAGONAL, _multi_wrong(mask="strict")),
            Mistake(_AFTER, _multi_wrong(mask="after")),
            Mistake(_ZERO, _multi_wrong(mask="zero")),
            Mistake(
                "the heads were split without the transpose: view(B, n_head, T, d_head) cuts the numbers in the "
                "wrong order, so a head holds pieces of several tokens. Use "
                "view(B, T, n_head, d_head).transpose(1, 2).",
                _multi_wrong(split="plain"),
            ),
            Mistake(
                "the heads were merged without the transpose: (B, n_head, T, d_head) must become (B, T, n_head, "
                "d_head) with transpose(1, 2) before reshape(B, T, C), or the tokens get mixed up.",
                _multi_wrong(merge="plain"),
            ),
            Mistake(
                "did you scale by sqrt(d_head)? You divided by sqrt(C), the full width; each head's queries "
                "have only d_head = C // n_head numbers.",
                _multi_wrong(scale="width"),
            ),
            Mistake(_NO_SCALE, _multi_wrong(scale="none")),
            Mistake("you divided the scores by d_head; divide by sqrt(d_head).", _multi_wrong(scale="d")),
            Mistake(_TRANSPOSED, _multi_wrong(transposed=True)),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch08.cross_attention


def _cross_inputs(g: torch.Generator, B: int, T_q: int, T_k: int, C: int, d_head: int) -> tuple:
    x, context = _random(g, B, T_q, C), _random(g, B, T_k, C)
    return (x, context, *(_random(g, C, d_head, scale=3.0 / math.sqrt(C)) for _ in range(3)))


def _cross_cases() -> list[Case]:
    g = torch.Generator().manual_seed(88)
    return [
        # as many queries as keys first, so that the wrong-way-round answers run and can be named
        Case("x (2, 4, 6) and context (2, 4, 6), weights (6, 3)", _cross_inputs(g, 2, 4, 4, 6, 3)),
        Case("x (2, 3, 6) and context (2, 6, 6), weights (6, 4)", _cross_inputs(g, 2, 3, 6, 6, 4)),
        Case("x (1, 5, 8) and context (1, 2, 8), weights (8, 8)", _cross_inputs(g, 1, 5, 2, 8, 8)),
    ]


def _cross_stages() -> list[Stage]:
    g = torch.Generator().manual_seed(89)
    return [
        Stage(
            Case("a context of one token: x (2, 3, 6), context (2, 1, 6)", _cross_inputs(g, 2, 3, 1, 6, 4)),
            lambda out: out,
            "With a context of one token, every query looks at that token with weight 1: each output is the "
            "context's value, context @ w_v. Only where the values come from matters here.",
        )
    ]


def _cross_wrong(mask: str = "none", source: str = "context", axis: int = -1, scale: float | None = None):  # noqa: ANN202
    def wrong(x, context, w_q, w_k, w_v):  # noqa: ANN001, ANN202 - the exercise's signature
        queries_from, keys_from = (context, x) if source == "swapped" else (x, x if source == "x" else context)
        q, k, v = queries_from @ w_q, keys_from @ w_k, keys_from @ w_v
        scores = q @ k.transpose(-2, -1) / (math.sqrt(q.shape[-1]) if scale is None else scale)
        if mask == "causal":
            allowed = torch.tril(torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool))
            scores = scores.masked_fill(~allowed, float("-inf"))
        return torch.softmax(scores, dim=axis) @ v

    return wrong


register(
    AttentionExercise(
        id="ch08.cross_attention",
        title="Cross-attention",
        difficulty=2,
        minutes=10,
        hint=(
            "q = x @ w_q; k = context @ w_k; v = context @ w_v; then attention_weights(attention_scores(q, k)) "
            "with no mask (every token of x may see all of the context), times v."
        ),
        reference=attention.cross_attention,
        cases=_cross_cases,
        compare=_layer_compare,
        stages=_cross_stages,
        mistakes=[
            Mistake(
                "keys and values must come from the context, not from x: k = context @ w_k, v = context @ w_v.",
                _cross_wrong(source="x"),
            ),
            Mistake(
                "queries and keys are the wrong way round: the queries come from x (q = x @ w_q), the keys and "
                "values from the context.",
                _cross_wrong(source="swapped"),
            ),
            Mistake(
                "cross-attention has no causal mask: the context is not the future of x, every query may see "
                "every token of it.",
                _cross_wrong(mask="causal"),
            ),
            Mistake(_QUERY_AXIS, _cross_wrong(axis=-2)),
            Mistake(_NO_SCALE, _cross_wrong(scale=1.0)),
        ],
    )
)
