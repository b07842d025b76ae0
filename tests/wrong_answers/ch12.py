"""Plausible wrong answers to chapter 12's exercises, written as a learner would, and what the message must say."""

import torch

from course_utils.attention import causal_mask
from course_utils.chat import SYSTEM_TAG, TAGS, USER_TAG
from course_utils.encdec import BOS, EOS, PAD, decode_ids

# ch12.cross_attention_mask


def mask_off_by_one(key_lengths, T_q, T_k):
    lengths = torch.as_tensor(key_lengths)
    allowed = torch.arange(T_k)[None, :] <= lengths[:, None]  # one padding key too many
    if (lengths < 1).any() or (lengths > T_k).any():
        raise ValueError("bad length")
    return allowed[:, None, None, :].expand(len(lengths), 1, T_q, T_k)


def mask_inverted(key_lengths, T_q, T_k):
    lengths = torch.as_tensor(key_lengths)
    if (lengths < 1).any() or (lengths > T_k).any():
        raise ValueError("bad length")
    padding = torch.arange(T_k)[None, :] >= lengths[:, None]  # True at the padding
    return padding[:, None, None, :].expand(len(lengths), 1, T_q, T_k)


def mask_on_queries(key_lengths, T_q, T_k):
    lengths = torch.as_tensor(key_lengths)
    if (lengths < 1).any() or (lengths > T_k).any():
        raise ValueError("bad length")
    return (torch.arange(T_q)[None, :] < lengths[:, None])[:, None, :, None].expand(len(lengths), 1, T_q, T_k)


def mask_with_causal(key_lengths, T_q, T_k):
    lengths = torch.as_tensor(key_lengths)
    if (lengths < 1).any() or (lengths > T_k).any():
        raise ValueError("bad length")
    allowed = (torch.arange(T_k)[None, :] < lengths[:, None])[:, None, None, :]
    return allowed & torch.ones(T_q, T_k, dtype=torch.bool).tril()


def mask_not_expanded(key_lengths, T_q, T_k):
    lengths = torch.as_tensor(key_lengths)
    if (lengths < 1).any() or (lengths > T_k).any():
        raise ValueError("bad length")
    return (torch.arange(T_k)[None, :] < lengths[:, None])[:, None, None, :]


def mask_no_head_axis(key_lengths, T_q, T_k):
    lengths = torch.as_tensor(key_lengths)
    if (lengths < 1).any() or (lengths > T_k).any():
        raise ValueError("bad length")
    return (torch.arange(T_k)[None, :] < lengths[:, None])[:, None, :].expand(len(lengths), T_q, T_k)


def mask_float(key_lengths, T_q, T_k):
    lengths = torch.as_tensor(key_lengths)
    if (lengths < 1).any() or (lengths > T_k).any():
        raise ValueError("bad length")
    allowed = (torch.arange(T_k)[None, :] < lengths[:, None]).float()
    return allowed[:, None, None, :].expand(len(lengths), 1, T_q, T_k)


def mask_no_length_check(key_lengths, T_q, T_k):
    lengths = torch.as_tensor(key_lengths)
    allowed = torch.arange(T_k)[None, :] < lengths[:, None]  # a length above T_k passes silently
    return allowed[:, None, None, :].expand(len(lengths), 1, T_q, T_k)


def mask_list_lengths_crash(key_lengths, T_q, T_k):
    allowed = torch.arange(T_k)[None, :] < key_lengths[:, None]  # a list cannot be indexed with [:, None]
    return allowed[:, None, None, :].expand(len(key_lengths), 1, T_q, T_k)


# ch12.encoder_block


def encoder_causal(block, x, mask):
    h = block.ln_1(x)
    x = x + block.attn(h, h, mask & causal_mask(x.shape[1]))
    return x + block.mlp(block.ln_2(x))


def encoder_padding_ignored(block, x, mask):
    h = block.ln_1(x)
    x = x + block.attn(h, h, None)
    return x + block.mlp(block.ln_2(x))


def encoder_no_residual(block, x, mask):
    h = block.ln_1(x)
    x = block.attn(h, h, mask)
    return x + block.mlp(block.ln_2(x))


def encoder_post_norm(block, x, mask):
    x = block.ln_1(x + block.attn(x, x, mask))
    return block.ln_2(x + block.mlp(x))


def encoder_unnormalised_attention(block, x, mask):
    x = x + block.attn(x, x, mask)
    return x + block.mlp(block.ln_2(x))


def encoder_no_mlp(block, x, mask):
    h = block.ln_1(x)
    return x + block.attn(h, h, mask)


def encoder_in_place(block, x, mask):
    h = block.ln_1(x)
    x += block.attn(h, h, mask)  # changes the caller's x
    return x + block.mlp(block.ln_2(x))


def encoder_mask_wrong_shape(block, x, mask):
    h = block.ln_1(x)
    x = x + block.attn(h, h, mask[:, 0, 0])  # (B, S): the heads and queries axes dropped
    return x + block.mlp(block.ln_2(x))


# ch12.decoder_block


def decoder_no_causal(block, y, memory, memory_mask):
    h = block.ln_1(y)
    y = y + block.self_attn(h, h, None)
    y = y + block.cross_attn(block.ln_2(y), memory, memory_mask)
    return y + block.mlp(block.ln_3(y))


def decoder_keys_from_decoder(block, y, memory, memory_mask):
    h = block.ln_1(y)
    y = y + block.self_attn(h, h, causal_mask(y.shape[1]))
    q = block.ln_2(y)
    y = y + block.cross_attn(q, q, memory_mask)  # keys and values from the decoder, not the source
    return y + block.mlp(block.ln_3(y))


def decoder_cross_padding_ignored(block, y, memory, memory_mask):
    h = block.ln_1(y)
    y = y + block.self_attn(h, h, causal_mask(y.shape[1]))
    y = y + block.cross_attn(block.ln_2(y), memory, None)
    return y + block.mlp(block.ln_3(y))


def decoder_cross_causal(block, y, memory, memory_mask):
    T = y.shape[1]
    h = block.ln_1(y)
    y = y + block.self_attn(h, h, causal_mask(T))
    both = memory_mask & torch.ones(T, memory.shape[1], dtype=torch.bool).tril()
    y = y + block.cross_attn(block.ln_2(y), memory, both)
    return y + block.mlp(block.ln_3(y))


def decoder_cross_first(block, y, memory, memory_mask):
    y = y + block.cross_attn(block.ln_2(y), memory, memory_mask)
    h = block.ln_1(y)
    y = y + block.self_attn(h, h, causal_mask(y.shape[1]))
    return y + block.mlp(block.ln_3(y))


def decoder_memory_normalised(block, y, memory, memory_mask):
    h = block.ln_1(y)
    y = y + block.self_attn(h, h, causal_mask(y.shape[1]))
    y = y + block.cross_attn(block.ln_2(y), block.ln_2(memory), memory_mask)
    return y + block.mlp(block.ln_3(y))


def decoder_swapped_cross(block, y, memory, memory_mask):
    h = block.ln_1(y)
    y = y + block.self_attn(h, h, causal_mask(y.shape[1]))
    y = y + block.cross_attn(memory, block.ln_2(y), memory_mask)  # queries from the source: a shape crash
    return y + block.mlp(block.ln_3(y))


def decoder_no_mlp(block, y, memory, memory_mask):
    h = block.ln_1(y)
    y = y + block.self_attn(h, h, causal_mask(y.shape[1]))
    return y + block.cross_attn(block.ln_2(y), memory, memory_mask)


# ch12.greedy_decode


def greedy_never_stops(model, source, max_new_tokens):
    memory = model.encode(source[None])
    output = [BOS]
    for _ in range(max_new_tokens):
        output.append(int(model.decode(torch.tensor([output]), memory)[0, -1].argmax()))
    return output[1:]


def greedy_keeps_eos(model, source, max_new_tokens):
    memory = model.encode(source[None])
    output = [BOS]
    for _ in range(max_new_tokens):
        next_id = int(model.decode(torch.tensor([output]), memory)[0, -1].argmax())
        output.append(next_id)
        if next_id == EOS:
            break
    return output[1:]


def greedy_starts_with_pad(model, source, max_new_tokens):
    memory = model.encode(source[None])
    output = [PAD]  # the start token of a well-known tutorial, not the one used in training
    for _ in range(max_new_tokens):
        next_id = int(model.decode(torch.tensor([output]), memory)[0, -1].argmax())
        if next_id == EOS:
            break
        output.append(next_id)
    return output[1:]


def greedy_starts_with_eos(model, source, max_new_tokens):
    memory = model.encode(source[None])
    output = [EOS]
    for _ in range(max_new_tokens):
        next_id = int(model.decode(torch.tensor([output]), memory)[0, -1].argmax())
        if next_id == EOS:
            break
        output.append(next_id)
    return output[1:]


def greedy_keeps_bos(model, source, max_new_tokens):
    memory = model.encode(source[None])
    output = [BOS]
    for _ in range(max_new_tokens):
        next_id = int(model.decode(torch.tensor([output]), memory)[0, -1].argmax())
        if next_id == EOS:
            break
        output.append(next_id)
    return output


def greedy_last_token_only(model, source, max_new_tokens):
    memory = model.encode(source[None])
    output = [BOS]
    for _ in range(max_new_tokens):
        next_id = int(model.decode(torch.tensor([output[-1:]]), memory)[0, -1].argmax())
        if next_id == EOS:
            break
        output.append(next_id)
    return output[1:]


def greedy_first_position(model, source, max_new_tokens):
    memory = model.encode(source[None])
    output = [BOS]
    for _ in range(max_new_tokens):
        next_id = int(model.decode(torch.tensor([output]), memory)[0, 0].argmax())
        if next_id == EOS:
            break
        output.append(next_id)
    return output[1:]


def greedy_one_too_many(model, source, max_new_tokens):
    memory = model.encode(source[None])
    output = [BOS]
    for _ in range(max_new_tokens + 1):
        next_id = int(model.decode(torch.tensor([output]), memory)[0, -1].argmax())
        if next_id == EOS:
            break
        output.append(next_id)
    return output[1:]


def greedy_no_batch_axis(model, source, max_new_tokens):
    memory = model.encode(source)  # (S,) without [None]: the model wants (B, S)
    output = [BOS]
    for _ in range(max_new_tokens):
        next_id = int(model.decode(torch.tensor([output]), memory)[0, -1].argmax())
        if next_id == EOS:
            break
        output.append(next_id)
    return output[1:]


# ch12.format_chat


def chat_no_system(system, turns, next_speaker="bot"):
    text = ""
    for speaker, message in turns:
        if not message.strip():
            raise ValueError("empty message")
        text += f"{TAGS[speaker]} {' '.join(message.split())}\n"
    return text + TAGS[next_speaker] + " "


def chat_no_trailing_tag(system, turns, next_speaker="bot"):
    text = f"{SYSTEM_TAG} {system}\n"
    for speaker, message in turns:
        if not message.strip():
            raise ValueError("empty message")
        text += f"{TAGS[speaker]} {' '.join(message.split())}\n"
    return text


def chat_always_bot(system, turns, next_speaker="bot"):
    text = f"{SYSTEM_TAG} {system}\n"
    for speaker, message in turns:
        if not message.strip():
            raise ValueError("empty message")
        text += f"{TAGS[speaker]} {' '.join(message.split())}\n"
    return text + TAGS["bot"] + " "


def chat_no_space(system, turns, next_speaker="bot"):
    text = f"{SYSTEM_TAG} {system}\n"
    for speaker, message in turns:
        if not message.strip():
            raise ValueError("empty message")
        text += f"{TAGS[speaker]} {' '.join(message.split())}\n"
    return text + TAGS[next_speaker]


def chat_no_newlines(system, turns, next_speaker="bot"):
    text = f"{SYSTEM_TAG} {system} "
    for speaker, message in turns:
        if not message.strip():
            raise ValueError("empty message")
        text += f"{TAGS[speaker]} {' '.join(message.split())} "
    return text + TAGS[next_speaker] + " "


def chat_keeps_line_breaks(system, turns, next_speaker="bot"):
    text = f"{SYSTEM_TAG} {system}\n"
    for speaker, message in turns:
        if not message.strip():
            raise ValueError("empty message")
        text += f"{TAGS[speaker]} {message}\n"
    return text + TAGS[next_speaker] + " "


def chat_accepts_empty(system, turns, next_speaker="bot"):
    text = f"{SYSTEM_TAG} {system}\n"
    for speaker, message in turns:
        text += f"{TAGS[speaker]} {' '.join(message.split())}\n"
    return text + TAGS[next_speaker] + " "


def chat_reversed(system, turns, next_speaker="bot"):
    text = f"{SYSTEM_TAG} {system}\n"
    for speaker, message in reversed(turns):
        if not message.strip():
            raise ValueError("empty message")
        text += f"{TAGS[speaker]} {' '.join(message.split())}\n"
    return text + TAGS[next_speaker] + " "


def chat_speaker_as_key(system, turns, next_speaker="bot"):
    text = f"{SYSTEM_TAG} {system}\n"
    for speaker, message in turns:
        text += f"{TAGS[message]} {speaker}\n"  # the pair unpacked the wrong way round: a KeyError
    return text + TAGS[next_speaker] + " "


# Found in review: more wrong answers, written as learners write them


def mask_minus_one(key_lengths, T_q, T_k):
    lengths = torch.as_tensor(key_lengths)
    if (lengths < 1).any() or (lengths > T_k).any():
        raise ValueError("x")
    allowed = torch.arange(T_k)[None, :] < lengths[:, None] - 1  # "the last one is EOS"
    return allowed[:, None, None, :].expand(len(lengths), 1, T_q, T_k)


def mask_only_upper_check(key_lengths, T_q, T_k):
    lengths = torch.as_tensor(key_lengths)
    if (lengths > T_k).any():
        raise ValueError("x")
    allowed = torch.arange(T_k)[None, :] < lengths[:, None]
    return allowed[:, None, None, :].expand(len(lengths), 1, T_q, T_k)


def mask_axes_order(key_lengths, T_q, T_k):
    lengths = torch.as_tensor(key_lengths)
    if (lengths < 1).any() or (lengths > T_k).any():
        raise ValueError("x")
    allowed = torch.arange(T_k)[None, :] < lengths[:, None]
    return allowed[:, None, None, :].expand(len(lengths), T_q, 1, T_k)


def mask_no_broadcast(key_lengths, T_q, T_k):
    lengths = torch.as_tensor(key_lengths)
    if (lengths < 1).any() or (lengths > T_k).any():
        raise ValueError("x")
    allowed = torch.arange(T_k) < lengths  # forgot [:, None]
    return allowed[:, None, None, :].expand(len(lengths), 1, T_q, T_k)


def encoder_stale_h(block, x, mask):
    h = block.ln_1(x)
    x = x + block.attn(h, h, mask)
    return x + block.mlp(h)  # reused h


def encoder_ln1_twice(block, x, mask):
    x = x + block.attn(block.ln_1(x), block.ln_1(x), mask)
    return x + block.mlp(block.ln_1(x))


def encoder_parallel(block, x, mask):
    h = block.ln_1(x)
    return x + block.attn(h, h, mask) + block.mlp(block.ln_2(x))


def encoder_keys_from_x(block, x, mask):
    h = block.ln_1(x)
    x = x + block.attn(h, x, mask)
    return x + block.mlp(block.ln_2(x))


def encoder_causal_via_mask(block, x, mask):
    h = block.ln_1(x)
    x = x + block.attn(h, h, mask & causal_mask(x.shape[1]))
    return x + block.mlp(block.ln_2(x))


def decoder_stale_h(block, y, memory, memory_mask):
    h = block.ln_1(y)
    y = y + block.self_attn(h, h, causal_mask(y.shape[1]))
    y = y + block.cross_attn(h, memory, memory_mask)  # stale h
    return y + block.mlp(block.ln_3(y))


def decoder_ln1_for_cross(block, y, memory, memory_mask):
    y = y + block.self_attn(block.ln_1(y), block.ln_1(y), causal_mask(y.shape[1]))
    y = y + block.cross_attn(block.ln_1(y), memory, memory_mask)
    return y + block.mlp(block.ln_3(y))


def decoder_self_with_memory_mask(block, y, memory, memory_mask):
    h = block.ln_1(y)
    y = y + block.self_attn(h, h, memory_mask)
    y = y + block.cross_attn(block.ln_2(y), memory, memory_mask)
    return y + block.mlp(block.ln_3(y))


def decoder_cross_with_causal_only(block, y, memory, memory_mask):
    h = block.ln_1(y)
    T = y.shape[1]
    y = y + block.self_attn(h, h, causal_mask(T))
    y = y + block.cross_attn(block.ln_2(y), memory, causal_mask(T))
    return y + block.mlp(block.ln_3(y))


def decoder_norms_swapped(block, y, memory, memory_mask):
    h = block.ln_1(y)
    y = y + block.self_attn(h, h, causal_mask(y.shape[1]))
    y = y + block.cross_attn(block.ln_3(y), memory, memory_mask)
    return y + block.mlp(block.ln_2(y))


def decoder_causal_of_memory(block, y, memory, memory_mask):
    h = block.ln_1(y)
    y = y + block.self_attn(h, h, causal_mask(memory.shape[1]))
    y = y + block.cross_attn(block.ln_2(y), memory, memory_mask)
    return y + block.mlp(block.ln_3(y))


def decoder_no_cross(block, y, memory, memory_mask):
    h = block.ln_1(y)
    y = y + block.self_attn(h, h, causal_mask(y.shape[1]))
    return y + block.mlp(block.ln_3(y))


def greedy_off_by_one(model, source, max_new_tokens):
    memory = model.encode(source[None])
    output = [BOS]
    while len(output) < max_new_tokens:
        nid = int(model.decode(torch.tensor([output]), memory)[0, -1].argmax())
        if nid == EOS:
            break
        output.append(nid)
    return output[1:]


def greedy_string(model, source, max_new_tokens):
    memory = model.encode(source[None])
    output = [BOS]
    for _ in range(max_new_tokens):
        nid = int(model.decode(torch.tensor([output]), memory)[0, -1].argmax())
        if nid == EOS:
            break
        output.append(nid)
    return decode_ids(output[1:])


def greedy_flat_argmax(model, source, max_new_tokens):
    memory = model.encode(source[None])
    output = [BOS]
    for _ in range(max_new_tokens):
        nid = int(model.decode(torch.tensor([output]), memory).argmax())
        if nid == EOS:
            break
        output.append(nid)
    return output[1:]


def greedy_stop_at_pad(model, source, max_new_tokens):
    memory = model.encode(source[None])
    output = [BOS]
    for _ in range(max_new_tokens):
        nid = int(model.decode(torch.tensor([output]), memory)[0, -1].argmax())
        if nid == PAD:
            break
        output.append(nid)
    return output[1:]


def greedy_start_eos_and_check_first(model, source, max_new_tokens):
    memory = model.encode(source[None])
    output = [EOS]  # "EOS separates source and target"
    for _ in range(max_new_tokens):
        nid = int(model.decode(torch.tensor([output]), memory)[0, -1].argmax())
        if nid == EOS:
            break
        output.append(nid)
    return output[1:]


def chat_no_space_in_turns(system, turns, next_speaker="bot"):
    text = f"{SYSTEM_TAG} {system}\n"
    for speaker, message in turns:
        if not message.strip():
            raise ValueError("empty")
        text += f"{TAGS[speaker]}{' '.join(message.split())}\n"
    return text + TAGS[next_speaker] + " "


def chat_all_user(system, turns, next_speaker="bot"):
    text = f"{SYSTEM_TAG} {system}\n"
    for _speaker, message in turns:  # every turn tagged as the user
        if not message.strip():
            raise ValueError("empty")
        text += f"{USER_TAG} {' '.join(message.split())}\n"
    return text + TAGS[next_speaker] + " "


def chat_empty_only_exact(system, turns, next_speaker="bot"):
    text = f"{SYSTEM_TAG} {system}\n"
    for speaker, message in turns:
        if message == "":
            raise ValueError("empty")
        text += f"{TAGS[speaker]} {' '.join(message.split())}\n"
    return text + TAGS[next_speaker] + " "


def chat_blank_line_after_system(system, turns, next_speaker="bot"):
    text = f"{SYSTEM_TAG} {system}\n\n"
    for speaker, message in turns:
        if not message.strip():
            raise ValueError("empty")
        text += f"{TAGS[speaker]} {' '.join(message.split())}\n"
    return text + TAGS[next_speaker] + " "


def chat_system_as_user(system, turns, next_speaker="bot"):
    text = f"{USER_TAG} {system}\n"
    for speaker, message in turns:
        if not message.strip():
            raise ValueError("empty")
        text += f"{TAGS[speaker]} {' '.join(message.split())}\n"
    return text + TAGS[next_speaker] + " "


def chat_trailing_newline(system, turns, next_speaker="bot"):
    text = f"{SYSTEM_TAG} {system}\n"
    for speaker, message in turns:
        if not message.strip():
            raise ValueError("empty")
        text += f"{TAGS[speaker]} {' '.join(message.split())}\n"
    return text + TAGS[next_speaker] + " \n"


WRONG_ANSWERS = {
    "ch12.cross_attention_mask": [
        (mask_no_broadcast, "shapes do not fit"),
        (mask_axes_order, "shape is (2, 2, 1, 5)"),
        (mask_only_upper_check, "ValueError"),
        (mask_minus_one, "last real key is masked"),
        (mask_off_by_one, "j < length"),
        (mask_inverted, "other way round"),
        (mask_on_queries, "masked the queries"),
        (mask_with_causal, "causal mask"),
        (mask_not_expanded, "full (B, 1, T_q, T_k)"),
        (mask_no_head_axis, "head axis"),
        (mask_float, "torch.bool"),
        (mask_no_length_check, "ValueError"),
        (mask_list_lengths_crash, "raised TypeError"),
    ],
    "ch12.encoder_block": [
        (encoder_causal_via_mask, "causal mask in the encoder"),
        (encoder_keys_from_x, "differ"),
        (encoder_parallel, "side by side"),
        (encoder_ln1_twice, "own layer norm"),
        (encoder_stale_h, "from before the attention"),
        (encoder_causal, "causal mask in the encoder"),
        (encoder_padding_ignored, "padding was attended to"),
        (encoder_no_residual, "residual stream"),
        (encoder_post_norm, "post-norm"),
        (encoder_unnormalised_attention, "normalised h"),
        (encoder_no_mlp, "MLP is missing"),
        (encoder_in_place, "in place"),
        (encoder_mask_wrong_shape, "does not fit"),
    ],
    "ch12.decoder_block": [
        (decoder_no_cross, "cross-attention is missing"),
        (decoder_causal_of_memory, "raised ValueError"),
        (decoder_norms_swapped, "swapped"),
        (decoder_cross_with_causal_only, "masked with the causal mask"),
        (decoder_self_with_memory_mask, "masked with memory_mask"),
        (decoder_ln1_for_cross, "through block.ln_1"),
        (decoder_stale_h, "from before the self-attention"),
        (decoder_no_causal, "no causal mask"),
        (decoder_keys_from_decoder, "keys and values came from the decoder"),
        (decoder_cross_padding_ignored, "padding was attended to"),
        (decoder_cross_causal, "cross-attention has a causal mask"),
        (decoder_cross_first, "before the self-attention"),
        (decoder_memory_normalised, "memory was normalised"),
        (decoder_swapped_cross, "wrong way round"),
        (decoder_no_mlp, "differ"),
    ],
    "ch12.greedy_decode": [
        (greedy_start_eos_and_check_first, "started from EOS"),
        (greedy_stop_at_pad, "did not stop at the end token"),
        (greedy_flat_argmax, "logits[0, -1]"),
        (greedy_string, "returned the text"),
        (greedy_off_by_one, "one token fewer"),
        (greedy_never_stops, "did not stop at the end token"),
        (greedy_keeps_eos, "end token is in your answer"),
        (greedy_starts_with_pad, "same start token"),
        (greedy_starts_with_eos, "same start token"),
        (greedy_keeps_bos, "BOS is in your answer"),
        (greedy_last_token_only, "whole output so far"),
        (greedy_first_position, "logits[0, -1]"),
        (greedy_one_too_many, "one token more"),
        (greedy_no_batch_axis, "raised ValueError"),
    ],
    "ch12.format_chat": [
        (chat_trailing_newline, "goes on after"),
        (chat_system_as_user, "differ first"),
        (chat_blank_line_after_system, "differ first"),
        (chat_empty_only_exact, "ValueError"),
        (chat_all_user, "TAGS[speaker]"),
        (chat_no_space_in_turns, "no space after it"),
        (chat_no_system, "system prompt is missing"),
        (chat_no_trailing_tag, "next speaker's tag"),
        (chat_always_bot, "TAGS[next_speaker]"),
        (chat_no_space, "one space after it"),
        (chat_no_newlines, "lines of their own"),
        (chat_keeps_line_breaks, "line break inside a message"),
        (chat_accepts_empty, "ValueError"),
        (chat_reversed, "wrong order"),
        (chat_speaker_as_key, "raised KeyError"),
    ],
}
