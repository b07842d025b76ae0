"""The course's GPT as Hugging Face ``transformers``' ``GPT2LMHeadModel``: an independent check of its architecture.

Chapter 10 copies a course GPT's weights into a ``GPT2LMHeadModel`` built from a ``GPT2Config`` (nothing is
downloaded) and compares the two models' logits: equal logits on random weights mean the two implementations
compute the same function, layer norms, attention, MLP, tying and all. (Chapter 11 goes the other way and loads
GPT-2's own weights into the course's GPT.)
"""

from __future__ import annotations

import torch

from course_utils import validate
from course_utils.gpt import GPT


def to_transformers(model: GPT) -> torch.nn.Module:
    """A ``transformers.GPT2LMHeadModel`` (eval mode, float32, CPU) holding ``model``'s weights.

    GPT-2's linear layers are ``Conv1D`` modules whose weight is stored (in, out), the transpose of
    ``nn.Linear``'s (out, in): each matrix is transposed on the way. The course's MLP uses the exact GELU, so the
    copy is built with ``activation_function="gelu"`` (GPT-2 itself used the tanh approximation, ``"gelu_new"``).
    ``model`` must have biases (``bias=True``), as GPT-2 does.
    """
    if not isinstance(model, GPT):
        raise TypeError(f"model must be a course_utils GPT, got {validate.describe(model)}.")
    config = model.config
    if not config.bias:
        raise ValueError("model has no biases (bias=False) but GPT-2 has them: build it with bias=True.")
    from transformers import GPT2Config, GPT2LMHeadModel  # imported here: it takes seconds, and only this needs it

    # GPT-2's <|endoftext|> (50256) starts and ends its texts; a smaller vocabulary has no such token, and a config
    # naming one outside the vocabulary makes transformers warn on stderr (it showed on chapter 10's fast-mode page)
    end_of_text = 50256 if config.vocab_size > 50256 else None
    hf_config = GPT2Config(
        vocab_size=config.vocab_size,
        bos_token_id=end_of_text,
        eos_token_id=end_of_text,
        n_positions=config.context,
        n_embd=config.d_model,
        n_layer=config.n_layer,
        n_head=config.n_head,
        activation_function="gelu",
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
        layer_norm_epsilon=1e-5,
        tie_word_embeddings=True,
    )
    hf_model = GPT2LMHeadModel(hf_config)
    state = {}
    for name, tensor in model.state_dict().items():
        if name == "lm_head.weight":
            continue  # tied to wte.weight in both models
        is_matrix = name.endswith(("c_attn.weight", "c_proj.weight", "c_fc.weight"))
        state[f"transformer.{name}"] = tensor.detach().t().contiguous() if is_matrix else tensor.detach()
    missing, unexpected = hf_model.load_state_dict(state, strict=False)
    missing = [name for name in missing if not name.endswith(("attn.bias", "attn.masked_bias", "lm_head.weight"))]
    if missing or unexpected:
        raise RuntimeError(f"The weights did not map one to one: missing {missing}, unexpected {unexpected}.")
    hf_model.tie_weights()
    return hf_model.float().eval()
