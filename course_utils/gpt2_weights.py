"""GPT-2's real weights in the course's GPT (chapter 11).

The course's :class:`~course_utils.gpt.GPT` uses GPT-2's own names (``wte``, ``h.0.attn.c_attn``, ``ln_f``), so
loading OpenAI's weights is almost a copy. Almost, for three reasons:

* GPT-2's linear layers are ``Conv1D`` modules, which store their matrix as (in, out) and compute ``x @ W``;
  ``torch.nn.Linear`` stores (out, in) and computes ``x @ W.T``. The four such matrices of every block
  (``attn.c_attn``, ``attn.c_proj``, ``mlp.c_fc``, ``mlp.c_proj``) must be transposed. ``attn.c_proj`` is
  square (768 x 768 in GPT-2 small): loaded untransposed it fits, and gives wrong text without an error;
* GPT-2 used the tanh approximation of GELU, the course's model the exact form: the model must be built with
  ``GPTConfig(gelu="tanh")``;
* the unembedding is tied to the token embedding (``lm_head.weight`` *is* ``wte.weight``): files store it once.

Files in Hugging Face's format name the weights with a ``transformer.`` prefix (``save_pretrained``) or without
(OpenAI's ``gpt2`` upload), and older ones hold the causal mask as ``h.N.attn.bias`` buffers, which are not
weights. :func:`gpt2_to_course_state` maps either to the course's names (exercise ``ch11.load_gpt2_state``);
:func:`load_gpt2_state` loads a mapped file into a model and checks the result: names missing or unexpected
(listed), shapes, every matrix against the file (an untransposed square one is named), the GELU form and the
tying. :func:`load_gpt2` finds the file (a folder or file you name, or the local Hugging Face cache) and
downloads it only when asked.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import torch

from course_utils import validate
from course_utils.gpt import GPT, GPTConfig

CONV1D_WEIGHTS = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")
"""The matrices GPT-2 stores as ``Conv1D`` (in, out): each must be transposed for ``nn.Linear`` (out, in)."""

MASK_BUFFERS = (".attn.bias", ".attn.masked_bias")
"""Names of the causal-mask buffers that older GPT-2 files hold next to the weights: not weights, skipped."""

GPT2_REPOS = ("openai-community/gpt2", "gpt2")
"""The Hugging Face repositories of GPT-2 small (124M): the current name and the old one."""

WEIGHTS_FILE = "model.safetensors"


class GPT2LoadError(ValueError):
    """A GPT-2 state that does not fit the model: the message names what is missing, extra or wrong."""


def gpt2_to_course_state(gpt2_state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """GPT-2's weights, named as in a Hugging Face file, renamed and laid out for the course's GPT.

    ``gpt2_state`` maps names such as ``transformer.h.0.attn.c_attn.weight`` (or the same without the
    ``transformer.`` prefix) to tensors. The result maps the course's names (the same without the prefix) to
    tensors ready for ``model.load_state_dict``: the four Conv1D matrices of each block (names ending in
    ``attn.c_attn.weight``, ``attn.c_proj.weight``, ``mlp.c_fc.weight``, ``mlp.c_proj.weight``) transposed
    from (in, out) to (out, in); the causal-mask buffers (names ending in ``.attn.bias`` or
    ``.attn.masked_bias``) left out; and ``lm_head.weight``, tied, set to the same tensor as ``wte.weight``.
    ``gpt2_state`` is not changed.
    """
    if not isinstance(gpt2_state, dict):
        raise TypeError(f"gpt2_state must be a dict of name -> tensor, got {type(gpt2_state).__name__}.")
    state = {}
    for name, tensor in gpt2_state.items():
        name = name.removeprefix("transformer.")
        if name.endswith((".attn.bias", ".attn.masked_bias")) or name == "lm_head.weight":
            continue  # mask buffers are not weights; the unembedding is the embedding, set below
        if name.endswith(("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")):
            tensor = tensor.t()  # Conv1D keeps (in, out); nn.Linear wants (out, in)
        state[name] = tensor
    state["lm_head.weight"] = state["wte.weight"]  # tied: one matrix for both
    return state


def _listed(names: set[str] | list[str], limit: int = 8) -> str:
    names = sorted(names)
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _check_state(value: object, name: str) -> dict[str, torch.Tensor]:
    if not isinstance(value, dict) or not all(isinstance(t, torch.Tensor) for t in value.values()):
        raise TypeError(
            f"{name} must be a dict of name -> tensor (as safetensors.torch.load_file gives), got "
            f"{validate.describe(value)}."
        )
    return value


@torch.no_grad()
def load_gpt2_state(
    model: GPT,
    gpt2_state: dict[str, torch.Tensor],
    to_course_state: Callable[[dict[str, torch.Tensor]], dict[str, torch.Tensor]] = gpt2_to_course_state,
) -> GPT:
    """Load GPT-2's weights (``gpt2_state``, named as in a Hugging Face file) into ``model``, and check them.

    ``to_course_state`` maps the names and layouts (:func:`gpt2_to_course_state`, or your own). Raises
    :class:`GPT2LoadError` (a ValueError) naming the problem: a model built with the exact GELU; names that the
    model needs and the state lacks, or that it has and the model does not (listed); a shape that does not fit
    (a transposed one named); after loading, a matrix that is the file's *untransposed* (a square Conv1D
    matrix fits either way: it is compared with the file); and an unembedding copied rather than tied.
    Returns ``model``, in eval mode.
    """
    if not isinstance(model, GPT):
        raise TypeError(f"model must be a course_utils GPT, got {validate.describe(model)}.")
    gpt2_state = _check_state(gpt2_state, "gpt2_state")
    validate.function(to_course_state, "to_course_state", hint="Such as gpt2_to_course_state.")
    if model.config.gelu != "tanh":
        raise GPT2LoadError(
            f"model uses the {model.config.gelu!r} GELU, but GPT-2 was trained with its tanh approximation: the "
            f"logits would differ slightly everywhere. Build the model with GPTConfig(..., gelu='tanh') "
            f"(gpt2_config does)."
        )
    state = _check_state(to_course_state(gpt2_state), "to_course_state's result")
    wanted = model.state_dict()
    missing, unexpected = set(wanted) - set(state), set(state) - set(wanted)
    if missing or unexpected:
        parts = []
        if missing:
            parts.append(f"missing (the model needs them): {_listed(missing)}")
        if unexpected:
            parts.append(f"unexpected (the model has no such weight): {_listed(unexpected)}")
        advice = ""
        if any(name.startswith("transformer.") for name in unexpected):
            advice = " Strip the 'transformer.' prefix."
        elif any(name.endswith(MASK_BUFFERS) for name in unexpected):
            advice = " Leave out the causal-mask buffers (.attn.bias, .attn.masked_bias): they are not weights."
        elif "lm_head.weight" in missing:
            advice = " Set lm_head.weight to wte.weight: GPT-2 ties them."
        raise GPT2LoadError(f"The names of gpt2_state, mapped, do not match the model's. {'; '.join(parts)}.{advice}")
    for name, tensor in state.items():
        if tensor.shape != wanted[name].shape:
            flipped = tensor.ndim == 2 and tuple(tensor.shape[::-1]) == tuple(wanted[name].shape)
            why = (
                " It is the transpose: GPT-2's Conv1D stores (in, out), nn.Linear (out, in); transpose it with .t()."
                if flipped
                else " Is the model built with the file's sizes (gpt2_config)?"
            )
            raise GPT2LoadError(
                f"{name} has shape {tuple(tensor.shape)} in the state but {tuple(wanted[name].shape)} in the "
                f"model.{why}"
            )
    if not torch.equal(state["lm_head.weight"], state["wte.weight"]):
        raise GPT2LoadError(
            "lm_head.weight differs from wte.weight: GPT-2 ties them, so set lm_head.weight to wte.weight."
        )
    model.load_state_dict({name: tensor.float() for name, tensor in state.items()})
    _verify_loaded(model, gpt2_state)
    return model.eval()


def _verify_loaded(model: GPT, gpt2_state: dict[str, torch.Tensor]) -> None:
    """Compare every loaded weight with the file: a Conv1D matrix must be the file's transposed, the rest equal."""
    file = {name.removeprefix("transformer."): tensor for name, tensor in gpt2_state.items()}
    for name, parameter in model.named_parameters():
        if name not in file:
            continue
        original = file[name].to(parameter.dtype)
        if name.endswith(CONV1D_WEIGHTS):
            if torch.equal(parameter, original.t()):
                continue
            if parameter.shape == original.shape and torch.equal(parameter, original):
                raise GPT2LoadError(
                    f"{name} was loaded without its transpose: it equals the file's (in, out) matrix, which fits "
                    f"because it is square, but nn.Linear needs (out, in). Transpose it with .t()."
                )
            raise GPT2LoadError(f"{name} does not equal the file's matrix transposed: was it changed on the way?")
        elif not torch.equal(parameter, original):
            raise GPT2LoadError(f"{name} does not equal the file's: was it transposed or changed on the way?")
    if model.lm_head.weight is not model.wte.weight:
        raise GPT2LoadError(
            "lm_head.weight is a copy of wte.weight, not the same tensor: GPT-2 ties them, and a copy drifts apart "
            "in training. Tie them again with model.lm_head.weight = model.wte.weight."
        )


def gpt2_config(config: dict | str | Path) -> GPTConfig:
    """The :class:`GPTConfig` of a GPT-2 from its Hugging Face ``config.json`` (a dict or the file's path)."""
    if isinstance(config, (str, Path)):
        path = Path(config)
        if not path.is_file():
            raise FileNotFoundError(f"config {path} does not exist: pass the config.json saved next to the weights.")
        config = json.loads(path.read_text())
    if not isinstance(config, dict):
        raise TypeError(f"config must be a dict or the path of config.json, got {validate.describe(config)}.")
    needed = ("vocab_size", "n_positions", "n_layer", "n_head", "n_embd")
    absent = [key for key in needed if key not in config]
    if absent:
        raise ValueError(f"config lacks {', '.join(absent)}: is it a GPT-2's config.json?")
    if config.get("activation_function", "gelu_new") not in ("gelu_new", "gelu_pytorch_tanh"):
        raise ValueError(
            f"config's activation_function is {config['activation_function']!r}; the course's GPT can load GPT-2's "
            f"tanh GELU ('gelu_new') only."
        )
    if config.get("n_inner") not in (None, 4 * config["n_embd"]):
        raise ValueError(f"config's n_inner is {config['n_inner']}; the course's MLP is 4 x n_embd wide.")
    return GPTConfig(
        vocab_size=config["vocab_size"],
        context=config["n_positions"],
        n_layer=config["n_layer"],
        n_head=config["n_head"],
        d_model=config["n_embd"],
        dropout=0.0,
        bias=True,
        gelu="tanh",
    )


def config_from_state(gpt2_state: dict[str, torch.Tensor]) -> GPTConfig:
    """The config of a GPT-2 read from its weights' shapes, for a file without ``config.json``.

    The number of heads does not show in any shape: every GPT-2 (small to XL) has heads of 64 numbers, so
    ``n_head = d_model // 64``.
    """
    state = {name.removeprefix("transformer."): t for name, t in _check_state(gpt2_state, "gpt2_state").items()}
    for needed in ("wte.weight", "wpe.weight"):
        if needed not in state:
            raise GPT2LoadError(f"gpt2_state has no {needed}: is it GPT-2's? It has {_listed(set(state))}.")
    layers = {int(found.group(1)) for name in state if (found := re.match(r"h\.(\d+)\.", name))}
    vocab_size, d_model = state["wte.weight"].shape
    return GPTConfig(
        vocab_size=vocab_size,
        context=state["wpe.weight"].shape[0],
        n_layer=max(layers) + 1 if layers else 1,
        n_head=max(1, d_model // 64),
        d_model=d_model,
        gelu="tanh",
    )


def find_gpt2(source: str | Path | None = None, *, cache_dir: str | Path | None = None, download: bool = False) -> Path:
    """The path of GPT-2's ``model.safetensors``: in ``source`` (a folder or the file), else in the local Hugging
    Face cache (``cache_dir``, by default the one ``huggingface_hub`` uses), else downloaded if ``download``.

    Nothing is downloaded unless you ask: without the file and without ``download=True`` it raises
    ``FileNotFoundError`` saying how to get it.
    """
    if not isinstance(download, bool):
        raise TypeError(f"download must be True or False, got {validate.describe(download)}.")
    if source is not None:
        if not isinstance(source, (str, Path)):
            raise TypeError(f"source must be a folder or file path, got {validate.describe(source)}.")
        path = Path(source)
        path = path / WEIGHTS_FILE if path.is_dir() else path
        if not path.is_file():
            raise FileNotFoundError(
                f"source: there is no {path}. Pass a folder that holds {WEIGHTS_FILE} (as save_pretrained writes "
                f"it) or the .safetensors file itself."
            )
        return path
    from huggingface_hub import try_to_load_from_cache

    for repo in GPT2_REPOS:
        cached = try_to_load_from_cache(repo, WEIGHTS_FILE, cache_dir=None if cache_dir is None else str(cache_dir))
        if isinstance(cached, str) and os.path.isfile(cached):
            return Path(cached)
    if not download:
        raise FileNotFoundError(
            "GPT-2's weights are not in the local Hugging Face cache. With a network, call "
            "load_gpt2(download=True) (about 550 MB, once), or pass the folder or model.safetensors file you have."
        )
    from huggingface_hub import hf_hub_download

    try:
        for name in ("config.json", WEIGHTS_FILE):
            path = hf_hub_download(GPT2_REPOS[0], name, cache_dir=None if cache_dir is None else str(cache_dir))
    except Exception as error:  # noqa: BLE001 - huggingface_hub raises many kinds; each means no file
        raise FileNotFoundError(
            f"download=True could not fetch GPT-2's weights from Hugging Face ({type(error).__name__}: "
            f"{str(error)[:200]}). Check the network connection and try again, or download model.safetensors and "
            f"config.json from https://huggingface.co/{GPT2_REPOS[0]} yourself and pass their folder."
        ) from None
    return Path(path)


def read_gpt2_state(path: str | Path) -> dict[str, torch.Tensor]:
    """The tensors of a GPT-2 ``.safetensors`` file, by name, as stored (float32 on the CPU)."""
    from safetensors.torch import load_file

    path = find_gpt2(path)
    try:
        state = load_file(str(path), device="cpu")
    except Exception as error:  # noqa: BLE001 - whatever the reader says, the file is not a safetensors file
        raise GPT2LoadError(f"{path} is not a readable safetensors file ({type(error).__name__}: {error}).") from None
    return {name: tensor.float() for name, tensor in state.items()}


def load_gpt2(source: str | Path | None = None, *, cache_dir: str | Path | None = None, download: bool = False) -> GPT:
    """GPT-2 in the course's GPT: weights found by :func:`find_gpt2`, config from the ``config.json`` beside
    them (else read from the shapes), loaded and checked by :func:`load_gpt2_state`. Eval mode, on the CPU."""
    path = find_gpt2(source, cache_dir=cache_dir, download=download)
    state = read_gpt2_state(path)
    config_file = path.parent / "config.json"
    config = gpt2_config(config_file) if config_file.is_file() else config_from_state(state)
    return load_gpt2_state(GPT(config), state)


__all__ = [
    "CONV1D_WEIGHTS",
    "GPT2LoadError",
    "config_from_state",
    "find_gpt2",
    "gpt2_config",
    "gpt2_to_course_state",
    "load_gpt2",
    "load_gpt2_state",
    "read_gpt2_state",
]
