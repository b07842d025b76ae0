"""Reference solutions for chapter 10, the full GPT.

The training step the chapter writes (exercise ``ch10.training_step``) lives in :mod:`course_utils.training`,
since the trainer and later chapters use it; these are the chapter's other exercises.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def gpt_forward(model: torch.nn.Module, ids: torch.Tensor) -> torch.Tensor:
    """The forward pass of a ``course_utils.gpt.GPT``, written with its parts: ids (B, T) -> logits (B, T, V).

    Look up each token's embedding (``model.wte``) and add the embedding of its position (``model.wpe``,
    positions 0 to T - 1); pass the vectors through every block of ``model.h`` in order; normalise them with the
    final layer norm ``model.ln_f``; and turn each into one score per vocabulary token with the unembedding
    ``model.lm_head``. The result is what ``model(ids)`` returns.
    """
    B, T = ids.shape
    positions = torch.arange(T, device=ids.device)  # 0, 1, ..., T - 1
    x = model.wte(ids) + model.wpe(positions)  # (B, T, C) + (T, C): what each token is, and where
    for block in model.h:
        x = block(x)  # (B, T, C)
    x = model.ln_f(x)  # (B, T, C)
    return model.lm_head(x)  # (B, T, V)


def count_parameters(model: torch.nn.Module) -> int:
    """The number of trainable numbers in ``model``, any ``torch.nn.Module``: each distinct parameter once.

    A weight shared by two layers (the tied embedding and unembedding of a GPT) is one set of numbers and counts
    once; buffers (a causal mask, batch norm's running mean) are not parameters and do not count.
    """
    return sum(parameter.numel() for parameter in model.parameters())  # parameters() yields a shared one once


def gpt3_parameter_table() -> dict[str, int]:
    """GPT-3's weights by matrix group, computed from its shape: vocabulary 50,257, width 12,288, 96 layers of
    96 heads each, MLPs four times as wide as the model.

    Keys: ``embedding`` (vocabulary x width), ``key``, ``query``, ``value_down`` and ``value_up`` (each head of each
    layer has a width x d_head matrix of each kind), ``up_projection`` and ``down_projection`` (each layer's MLP:
    width x 4 * width), ``unembedding`` (width x vocabulary). Each value is the number of weights in that group,
    over all layers and heads; biases, layer norms and position embeddings are left out.
    """
    vocab_size, d_model, n_layer, n_head = 50_257, 12_288, 96, 96
    d_head = d_model // n_head  # 128
    d_mlp = 4 * d_model  # 49,152 neurons in each MLP
    per_head = d_model * d_head  # one head's key (or query, or value-down, or value-up) matrix
    attention = per_head * n_head * n_layer
    mlp = d_model * d_mlp * n_layer
    return {
        "embedding": vocab_size * d_model,
        "key": attention,
        "query": attention,
        "value_down": attention,
        "value_up": attention,
        "up_projection": mlp,
        "down_projection": mlp,
        "unembedding": d_model * vocab_size,
    }


@torch.no_grad()
def generate(
    model: torch.nn.Module,
    ids: torch.Tensor,
    max_new_tokens: int,
    temperature: float,
    generator: torch.Generator,
) -> torch.Tensor:
    """Continue ``ids`` (B, T) by ``max_new_tokens`` tokens: predict, sample, append. Returns (B, T + max_new_tokens).

    At each step the model reads at most its last ``model.config.context`` tokens (the window slides once the
    text is longer), its logits at the last position are divided by ``temperature`` and turned into
    probabilities, and one token per row is drawn with ``torch.multinomial(..., generator=generator)``.
    ``temperature`` 0 takes the likeliest token instead (greedy).
    """
    context = model.config.context
    for _ in range(max_new_tokens):
        logits = model(ids[:, -context:])[:, -1, :]  # (B, V): the scores for the next token
        if temperature == 0:
            next_ids = logits.argmax(dim=-1, keepdim=True)  # (B, 1)
        else:
            probabilities = F.softmax(logits / temperature, dim=-1)
            next_ids = torch.multinomial(probabilities, num_samples=1, generator=generator)  # (B, 1)
        ids = torch.cat([ids, next_ids], dim=1)
    return ids
