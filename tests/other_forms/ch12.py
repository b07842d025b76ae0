"""Right answers to chapter 12's exercises in other forms: loops, lists, a numpy mask, einsum-free blocks."""

import numpy as np
import torch

from course_utils.chat import SYSTEM_TAG, TAGS
from course_utils.encdec import BOS, EOS


def cross_attention_mask(key_lengths, T_q, T_k):
    lengths = [int(n) for n in key_lengths]
    if any(n < 1 or n > T_k for n in lengths):
        raise ValueError(f"lengths must be from 1 to {T_k}")
    mask = np.zeros((len(lengths), 1, T_q, T_k), dtype=bool)  # a numpy array, filled by a loop
    for b, n in enumerate(lengths):
        mask[b, 0, :, :n] = True
    return torch.from_numpy(mask)


def encoder_block(block, x, mask):
    normed = block.ln_1(x)
    attended = block.attn(normed, normed, mask)
    after_attention = torch.add(x, attended)
    return torch.add(after_attention, block.mlp(block.ln_2(after_attention)))


def decoder_block(block, y, memory, memory_mask):
    T = y.shape[1]
    causal = torch.tensor([[j <= i for j in range(T)] for i in range(T)])  # a mask built by comparisons
    steps = [
        lambda y: block.self_attn(block.ln_1(y), block.ln_1(y), causal),
        lambda y: block.cross_attn(block.ln_2(y), memory, memory_mask),
        lambda y: block.mlp(block.ln_3(y)),
    ]
    for step in steps:
        y = y + step(y)
    return y


def greedy_decode(model, source, max_new_tokens):
    memory = model.encode(source.unsqueeze(0))
    output = torch.tensor([[BOS]])
    while output.shape[1] <= max_new_tokens:
        next_id = model.decode(output, memory)[:, -1].argmax(dim=-1)  # a (1,) tensor
        if next_id.item() == EOS:
            break
        output = torch.cat([output, next_id[:, None]], dim=1)
    return output[0, 1:]  # a tensor of ids, not a list


def format_chat(system, turns, next_speaker="bot"):
    lines = [SYSTEM_TAG + " " + system]
    for speaker, text in turns:
        words = text.split()
        if not words:
            raise ValueError("an empty message")
        lines.append(TAGS[speaker] + " " + " ".join(words))
    lines.append(TAGS[next_speaker] + " ")
    return "\n".join(lines)


OTHER_FORMS = {
    "ch12.cross_attention_mask": cross_attention_mask,
    "ch12.encoder_block": encoder_block,
    "ch12.decoder_block": decoder_block,
    "ch12.greedy_decode": greedy_decode,
    "ch12.format_chat": format_chat,
}
