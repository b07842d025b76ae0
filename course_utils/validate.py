"""Checking what a learner passes in, so that a wrong argument gets a clear error instead of a wrong answer.

Every public function of ``course_utils`` checks its arguments with these before doing any work. Each check
takes the value and the parameter's name, returns the value in a convenient form (a Python ``int``, a float
array, ...) and otherwise raises a ``TypeError`` (the wrong kind of thing) or a ``ValueError`` (the right kind,
a wrong value) whose message names the parameter, says what it got and what to do::

    from course_utils import validate

    def bigram_counts(ids, vocab_size):
        vocab_size = validate.whole_number(vocab_size, "vocab_size", minimum=1)
        ids = validate.token_ids(ids, "ids", vocab_size=vocab_size, min_length=2)
        ...

The optional ``hint`` of each check is added to the message: say there what a learner most likely did wrong
("pass `bigram_probabilities(counts)`", "did you swap the arguments?").
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

__all__ = [
    "char_vocab",
    "describe",
    "float_tensor",
    "function",
    "generator",
    "matching_targets",
    "number_array",
    "optimizer",
    "probabilities",
    "real_number",
    "text",
    "token_ids",
    "whole_number",
]


def describe(value: Any) -> str:
    """A short description of ``value`` for an error message: its type, and its shape and dtype for arrays."""
    if isinstance(value, torch.Tensor):
        if value.ndim == 0:
            return f"a 0-d tensor ({value.item()!r}, {value.dtype})"
        return f"a tensor of shape {tuple(value.shape)} and dtype {value.dtype}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if value is None:
        return "None"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    if isinstance(value, bool):
        return f"the bool {value!r}"
    if isinstance(value, (int, float, np.number)):
        kind = type(value).__name__
        return f"{value!r} ({'an' if kind[0] in 'aeiou' else 'a'} {kind})"
    if callable(value) and hasattr(value, "__name__"):
        return f"the function {value.__name__}"
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    kind = type(value).__name__
    return f"{shown} ({'an' if kind[0] in 'aeiou' else 'a'} {kind})"


def _fail(error: type[Exception], message: str, hint: str) -> Exception:
    return error(f"{message}{' ' + hint if hint else ''}")


def _bound(value: float) -> str:
    """A bound as a learner reads it: 4294967295 as 2**32 - 1."""
    if isinstance(value, int) and value >= 2**16 and (value + 1) & value == 0:
        return f"2**{(value + 1).bit_length() - 1} - 1"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _range_text(minimum: float | None, maximum: float | None) -> str:
    minimum_text, maximum_text = (None if b is None else _bound(b) for b in (minimum, maximum))
    if minimum is not None and maximum is not None:
        return f"from {minimum_text} to {maximum_text}"
    if minimum is not None:
        return f"of at least {minimum_text}"
    if maximum is not None:
        return f"of at most {maximum_text}"
    return ""


def whole_number(
    value: Any, name: str, *, minimum: int | None = None, maximum: int | None = None, hint: str = ""
) -> int:
    """``value`` as a Python ``int`` if it is a whole number in ``[minimum, maximum]``.

    Python ints, numpy integers and one-element integer tensors are accepted; ``True``/``False``, floats
    (even ``3.0``), strings and ``None`` are refused with a ``TypeError``, a number out of range with a
    ``ValueError``.
    """
    wanted = " ".join(part for part in ("a whole number", _range_text(minimum, maximum)) if part)
    if isinstance(value, torch.Tensor) and value.numel() == 1 and not value.dtype.is_floating_point:
        if value.dtype != torch.bool:
            value = int(value.item())
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        advice = ""
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            advice = f" Write {int(value)} (no decimal point)."
        elif isinstance(value, str):
            advice = " Pass the number itself, without quotes."
        raise _fail(TypeError, f"{name} must be {wanted}, got {describe(value)}.{advice}", hint)
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise _fail(ValueError, f"{name} must be {wanted}, got {value}.", hint)
    return value


def real_number(
    value: Any,
    name: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    above: float | None = None,
    below: float | None = None,
    hint: str = "",
) -> float:
    """``value`` as a Python ``float`` if it is a finite real number within the bounds.

    ``minimum``/``maximum`` include the bound, ``above``/``below`` exclude it. Ints, floats, numpy numbers and
    one-element tensors are accepted; bools, strings, ``None``, NaN and infinity are refused.
    """
    bounds = [
        f"{words} {bound:g}"
        for words, bound in (("of at least", minimum), ("of at most", maximum), ("above", above), ("below", below))
        if bound is not None
    ]
    wanted = "a finite number" + (f" {' and '.join(bounds)}" if bounds else "")
    if isinstance(value, torch.Tensor) and value.numel() == 1 and value.dtype != torch.bool:
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        advice = " Pass the number itself, without quotes." if isinstance(value, str) else ""
        raise _fail(TypeError, f"{name} must be {wanted}, got {describe(value)}.{advice}", hint)
    value = float(value)
    if (
        not math.isfinite(value)
        or (minimum is not None and value < minimum)
        or (maximum is not None and value > maximum)
        or (above is not None and value <= above)
        or (below is not None and value >= below)
    ):
        raise _fail(ValueError, f"{name} must be {wanted}, got {value!r}.", hint)
    return value


def text(value: Any, name: str, *, allow_empty: bool = False, hint: str = "") -> str:
    """``value`` if it is a string (and not empty, unless ``allow_empty``)."""
    if not isinstance(value, str):
        advice = ""
        if isinstance(value, (list, tuple, np.ndarray, torch.Tensor)):
            advice = " Token ids are not text: decode them first."
        raise _fail(TypeError, f"{name} must be a string, got {describe(value)}.{advice}", hint)
    if not value and not allow_empty:
        raise _fail(ValueError, f"{name} must be a non-empty string, got ''.", hint)
    return value


def char_vocab(value: Any, name: str = "vocab", *, hint: str = "") -> list[str]:
    """``value`` as a list if it is a vocabulary of characters as ``char_vocab(text)`` gives: a non-empty list (or
    tuple) of distinct single characters."""
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        advice = (
            " Did you swap the text and the vocabulary? (list(text) splits a string.)" if isinstance(value, str) else ""
        )
        raise _fail(
            TypeError,
            f"{name} must be a list of characters, as char_vocab(text) gives, got {describe(value)}.{advice}",
            hint,
        )
    if len(value) == 0 or any(not isinstance(char, str) or len(char) != 1 for char in value):
        raise _fail(
            ValueError, f"{name} must be a non-empty list of single characters, as char_vocab(text) gives.", hint
        )
    if len(set(value)) != len(value):
        raise _fail(ValueError, f"{name} must hold each character once: build it with char_vocab(text).", hint)
    return list(value)


def function(value: Any, name: str, *, hint: str = "") -> Callable[..., Any]:
    """``value`` if it can be called (a function, a model, a lambda)."""
    if not callable(value):
        advice = ""
        if isinstance(value, (np.ndarray, torch.Tensor, numbers.Number, tuple, list)):
            advice = " Did you call it? Pass the function itself, without parentheses."
        raise _fail(TypeError, f"{name} must be a function, got {describe(value)}.{advice}", hint)
    return value


def generator(value: Any, name: str = "generator", *, hint: str = "") -> torch.Generator:
    """``value`` if it is a CPU ``torch.Generator`` (so that a seed draws the same numbers on any device)."""
    device = getattr(value, "device", None)
    if isinstance(device, torch.device) and device.type != "cpu":
        raise _fail(
            ValueError,
            f"{name} must be a CPU generator, got one on {device}: draw on the CPU with "
            f"course_utils.cpu_generator(seed), so that the same seed draws the same numbers on any device.",
            hint,
        )
    if not isinstance(value, torch.Generator):
        advice = " Make one with course_utils.cpu_generator(seed)."
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            advice = f" Make one from that seed with course_utils.cpu_generator({value})."
        raise _fail(TypeError, f"{name} must be a torch.Generator, got {describe(value)}.{advice}", hint)
    return value


def _as_array(value: Any, name: str, hint: str) -> np.ndarray | torch.Tensor:
    """A tensor stays a tensor; lists, tuples, ranges and arrays become a numpy array."""
    if isinstance(value, (torch.Tensor, np.ndarray)):
        return value
    if value is None or isinstance(value, (str, bytes, numbers.Number, dict, set)):
        advice = " Encode the text first." if isinstance(value, str) else ""
        raise _fail(TypeError, f"{name} must be a list, array or tensor, got {describe(value)}.{advice}", hint)
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested lists
        raise _fail(ValueError, f"{name} must be rectangular (every row the same length): {error}.", hint) from None
    if array.dtype == object:
        raise _fail(TypeError, f"{name} must hold numbers, got {describe(value)}.", hint)
    return array


def _shape_text(shape: Sequence[int | None], labels: Sequence[str] | None) -> str:
    if labels is not None:
        parts = [
            label if size is None or label == str(size) else f"{label}={size}"
            for size, label in zip(shape, labels, strict=True)
        ]
    else:
        parts = ["any" if size is None else str(size) for size in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def _check_shape(
    shape: tuple[int, ...], expected: Sequence[int | None], name: str, labels: Sequence[str] | None, hint: str
) -> None:
    matches = len(shape) == len(expected) and all(
        want is None or got == want for got, want in zip(shape, expected, strict=True)
    )
    if not matches:
        advice = ""
        if len(shape) == len(expected) - 1 and all(
            want is None or got == want for got, want in zip(shape, expected[1:], strict=True)
        ):
            advice = f" For a single example, add a batch dimension with {name}[None]."
        raise _fail(
            ValueError,
            f"{name} must have shape {_shape_text(expected, labels)}, got shape {tuple(shape)}.{advice}",
            hint,
        )


def token_ids(
    value: Any,
    name: str = "ids",
    *,
    vocab_size: int | None = None,
    ndim: int | Sequence[int] | None = 1,
    min_length: int = 0,
    check_range: bool | None = None,
    hint: str = "",
) -> np.ndarray | torch.Tensor:
    """``value`` if it holds token ids: whole numbers from 0 to ``vocab_size - 1``.

    Lists, tuples, ranges and numpy arrays come back as an int64 numpy array; a tensor stays the tensor it is.
    Refused: strings (encode the text first), floats and bools (even whole floats: ids are counted, not
    measured), negative ids (which would silently count from the end), ids of ``vocab_size`` or more, the wrong
    number of dimensions (``ndim``: one number or several allowed), fewer than ``min_length`` ids along the last
    dimension.

    Finding the smallest and largest id of a tensor on a GPU waits for the GPU. ``check_range=None`` (the
    default) checks the range of arrays and CPU tensors only; pass ``True`` where ids enter the GPU once (a
    prompt), never inside a model's forward.
    """
    array = _as_array(value, name, hint)
    is_tensor = isinstance(array, torch.Tensor)
    dtype = array.dtype
    is_integer = (
        (not dtype.is_floating_point and not dtype.is_complex and dtype != torch.bool)
        if is_tensor
        else np.issubdtype(dtype, np.integer)
    )
    if not is_integer:
        if not is_tensor and array.size == 0 and array.ndim == 1:
            array = array.astype(np.int64)  # [] is an empty list of ids, not a float
        else:
            kind = "floats" if (dtype.is_floating_point if is_tensor else np.issubdtype(dtype, np.floating)) else ""
            advice = (
                " Token ids are whole numbers: did you pass probabilities, logits or one-hot vectors? Convert "
                "whole-number floats with .long() (a tensor) or .astype(int) (an array)."
                if kind
                else " Token ids are whole numbers (dtype int64)."
            )
            raise _fail(TypeError, f"{name} must hold token ids, got {describe(value)}.{advice}", hint)
    allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim) if ndim is not None else None
    if allowed is not None and array.ndim not in allowed:
        wanted = " or ".join(f"{n}-D" for n in allowed)
        advice = ""
        if 1 in allowed and array.ndim == 2 and 1 in array.shape:
            advice = f" For one sequence, flatten it: {name}[0] or {name}.reshape(-1)."
        elif 2 in allowed and array.ndim == 1:
            advice = f" For one sequence, add a batch dimension with {name}[None]."
        raise _fail(ValueError, f"{name} must be {wanted} token ids, got {describe(value)}.{advice}", hint)
    length = array.shape[-1] if array.ndim else 1
    if length < min_length:
        raise _fail(
            ValueError,
            f"{name} must hold at least {min_length} id{'s' if min_length != 1 else ''}, got {length}.",
            hint,
        )
    on_cpu = not is_tensor or array.device.type == "cpu"
    size = array.numel() if is_tensor else array.size
    if size and (check_range if check_range is not None else on_cpu):
        low, high = (int(array.min()), int(array.max()))
        if low < 0:
            raise _fail(
                ValueError,
                f"{name} must hold ids of at least 0, got {low}: a negative id would silently count from the end "
                f"of the vocabulary.",
                hint,
            )
        if vocab_size is not None and high >= vocab_size:
            raise _fail(
                ValueError,
                f"{name} must hold ids from 0 to vocab_size - 1 = {vocab_size - 1}, got {high}: encode with the "
                f"same vocabulary, or is vocab_size the length of the vocabulary?",
                hint,
            )
    return array if is_tensor else array.astype(np.int64, copy=False)


def number_array(
    value: Any,
    name: str,
    *,
    shape: Sequence[int | None] | None = None,
    labels: Sequence[str] | None = None,
    ndim: int | Sequence[int] | None = None,
    finite: bool = True,
    minimum: float | None = None,
    maximum: float | None = None,
    min_size: int = 0,
    hint: str = "",
) -> np.ndarray:
    """``value`` as a float64 numpy array if it holds real numbers (lists, arrays and CPU or GPU tensors).

    ``shape`` gives each dimension's size, None for any (``labels`` names them in the message: ``("n", "2")``);
    ``ndim`` allows one or several numbers of dimensions instead. ``finite`` refuses NaN and infinity.
    """
    if isinstance(value, torch.Tensor):
        array = value.detach().cpu().numpy() if value.dtype != torch.bfloat16 else value.detach().float().cpu().numpy()
    else:
        array = _as_array(value, name, hint)
    if array.dtype == np.bool_ or not np.issubdtype(array.dtype, np.number) or np.iscomplexobj(array):
        raise _fail(TypeError, f"{name} must hold real numbers, got {describe(value)}.", hint)
    array = array.astype(np.float64)
    if shape is not None:
        _check_shape(array.shape, shape, name, labels, hint)
    allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim) if ndim is not None else None
    if allowed is not None and array.ndim not in allowed:
        wanted = " or ".join(f"{n}-D" for n in allowed)
        raise _fail(ValueError, f"{name} must be {wanted}, got {describe(value)}.", hint)
    if array.size < min_size:
        raise _fail(
            ValueError,
            f"{name} must hold at least {min_size} number{'' if min_size == 1 else 's'}, got {array.size}.",
            hint,
        )
    if finite and array.size and not np.isfinite(array).all():
        bad = "NaN" if np.isnan(array).any() else "infinity"
        raise _fail(ValueError, f"{name} must hold finite numbers, got {bad} in {describe(value)}.", hint)
    if array.size and minimum is not None and np.nanmin(array) < minimum:
        raise _fail(ValueError, f"{name} must hold numbers of at least {minimum}, got {np.nanmin(array)!r}.", hint)
    if array.size and maximum is not None and np.nanmax(array) > maximum:
        raise _fail(ValueError, f"{name} must hold numbers of at most {maximum}, got {np.nanmax(array)!r}.", hint)
    return array


def probabilities(
    value: Any,
    name: str = "probabilities",
    *,
    shape: Sequence[int | None] | None = None,
    labels: Sequence[str] | None = None,
    ndim: int | Sequence[int] | None = None,
    sums_to_one: bool = True,
    axis: int = -1,
    atol: float = 1e-3,
    hint: str = "",
) -> np.ndarray:
    """``value`` as a float64 array if it holds probabilities: finite, from 0 to 1, adding up to 1 along ``axis``.

    A value above 1 suggests counts or logits, a negative one logits; the message says so. With
    ``sums_to_one=False`` only the range is checked (a table of independent probabilities).
    """
    array = number_array(value, name, shape=shape, labels=labels, ndim=ndim, min_size=1, finite=False, hint=hint)
    if not np.isfinite(array).all():
        bad = "NaN" if np.isnan(array).any() else "infinity"
        raise _fail(ValueError, f"{name} must be probabilities from 0 to 1, got {bad}.", hint)
    low, high = float(array.min()), float(array.max())
    if high > 1.0 + atol or low < -atol:
        what = f"values from {low:.4g} to {high:.4g}"
        guess = (
            "these look like counts: divide each row by its sum"
            if low >= 0 and np.allclose(array, np.round(array))
            else "these look like logits (scores): apply softmax first"
        )
        raise _fail(ValueError, f"{name} must be probabilities from 0 to 1, got {what}: {guess}.", hint)
    if sums_to_one:
        totals = array.sum(axis=axis)
        worst = float(np.max(np.abs(totals - 1.0)))
        if worst > atol:
            off = np.atleast_1d(totals)[np.argmax(np.abs(np.atleast_1d(totals) - 1.0))]
            where = "they add" if array.ndim == 1 else f"each must add up to 1 along axis {axis}, one adds"
            raise _fail(
                ValueError,
                f"{name} must add up to 1 ({where} up to {off:.4g}): divide by the sum, or use softmax on scores.",
                hint,
            )
    return array


def float_tensor(
    value: Any,
    name: str,
    *,
    shape: Sequence[int | None] | None = None,
    labels: Sequence[str] | None = None,
    ndim: int | Sequence[int] | None = None,
    hint: str = "",
) -> torch.Tensor:
    """``value`` if it is a floating-point tensor of the stated ``shape`` (None: any size; ``labels`` name the
    dimensions in the message, such as ``("B", "T", "C")``) or number of dimensions ``ndim``."""
    if not isinstance(value, torch.Tensor):
        advice = ""
        if isinstance(value, (list, np.ndarray)):
            advice = " Make one with torch.tensor(..., dtype=torch.float32)."
        raise _fail(TypeError, f"{name} must be a torch tensor of floats, got {describe(value)}.{advice}", hint)
    if not value.dtype.is_floating_point:
        raise _fail(
            TypeError,
            f"{name} must be a tensor of floats, got dtype {value.dtype}: convert with {name}.float().",
            hint,
        )
    if shape is not None:
        _check_shape(tuple(value.shape), shape, name, labels, hint)
    allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim) if ndim is not None else None
    if allowed is not None and value.ndim not in allowed:
        wanted = " or ".join(f"{n}-D" for n in allowed)
        raise _fail(ValueError, f"{name} must be a {wanted} tensor, got shape {tuple(value.shape)}.", hint)
    return value


def optimizer(value: Any, name: str = "optimizer", *, model: torch.nn.Module) -> torch.optim.Optimizer:
    """``value`` if it is a torch optimizer that moves ``model``'s weights (one made for another model, or for
    a copy, would leave ``model`` as it is, step after step)."""
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module (a network), got {describe(model)}.")
    if not isinstance(value, torch.optim.Optimizer):
        raise TypeError(
            f"{name} must be a torch.optim optimizer, got {describe(value)}: make one with "
            f"torch.optim.SGD(model.parameters(), lr=0.1). Did you swap the arguments?"
        )
    weights = {id(parameter) for parameter in model.parameters()}
    moved = {id(parameter) for group in value.param_groups for parameter in group["params"]}
    if weights and not weights & moved:
        raise ValueError(
            f"{name} holds none of model's weights, so its steps would not change the model: make it with "
            f"model.parameters() of this very model (a copied or rebuilt model needs a new optimizer)."
        )
    return value


def matching_targets(targets: Any, predictions: torch.Tensor, name: str = "targets") -> Any:
    """``targets`` unless they are float numbers of another shape than the float ``predictions``: a loss such
    as ``mse_loss`` would then broadcast them (an (8, 1) minus an (8,) is an (8, 8)) and average the wrong thing.
    Class labels (whole numbers) beside scores are fine."""
    if (
        isinstance(targets, torch.Tensor)
        and isinstance(predictions, torch.Tensor)
        and targets.dtype.is_floating_point
        and predictions.dtype.is_floating_point
        and targets.shape != predictions.shape
    ):
        raise ValueError(
            f"{name} has shape {tuple(targets.shape)} but the predictions have shape {tuple(predictions.shape)}: "
            f"the loss would compare every prediction with every target. Give them the same shape, e.g. "
            f"{name}.view_as(predictions) or {name}[:, None]."
        )
    return targets
