"""Exercises of chapter 12, encoder-decoder and chat.

The block exercises run the learner's forward pass with the parts of a real block whose weights are drawn large
(standard deviation 0.3 rather than 0.02), so that a missing mask, residual or layer norm changes the output by
far more than rounding; the first inputs make the query and key lengths equal, so that keys taken from the
wrong sequence still run and can be named, and later ones make them differ. Greedy decoding is checked against a
scripted translator whose answer depends on the start token, on the whole output so far and on stopping at the
end token, so each of the usual decoding bugs gives a different, recognisable output.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from course_utils import chat, encdec
from course_utils.attention import causal_mask
from course_utils.checks.core import Case, Exercise, Mistake, bool_mask_compare, register, same_values

# --------------------------------------------------------------------------------------------------------------
# ch12.cross_attention_mask


_mask_compare = bool_mask_compare("build it with a comparison such as torch.arange(T_k) < length")


def _mask_cases() -> list[Case]:
    return [
        Case("key lengths [3, 5], T_q = 2, T_k = 5", ([3, 5], 2, 5)),
        Case("key lengths [1, 4, 2], T_q = 3, T_k = 4", ([1, 4, 2], 3, 4)),
        Case("key lengths tensor([4]), T_q = 6, T_k = 4 (no padding)", (torch.tensor([4]), 6, 4)),
        Case("key lengths [6, 2] with T_k = 5 (longer than the padded length)", ([6, 2], 3, 5), raises=ValueError),
        Case("key lengths [0, 2] with T_k = 3 (an empty sequence)", ([0, 2], 2, 3), raises=ValueError),
    ]


def _lengths(key_lengths: Any) -> torch.Tensor:
    return torch.as_tensor(key_lengths).long()


def _mask_from(allowed: torch.Tensor, T_q: int) -> torch.Tensor:
    """(B, T_k) allowed keys -> (B, 1, T_q, T_k)."""
    return allowed[:, None, None, :].expand(allowed.shape[0], 1, T_q, allowed.shape[1])


register(
    Exercise(
        id="ch12.cross_attention_mask",
        title="A padding mask for a batch",
        difficulty=1,
        minutes=8,
        hint=(
            "Compare positions with lengths: torch.arange(T_k)[None, :] < lengths[:, None] is (B, T_k), True at "
            "real tokens. Add the head and query axes with [:, None, None, :] and .expand(B, 1, T_q, T_k). Raise "
            "ValueError when a length is below 1 or above T_k."
        ),
        reference=encdec.cross_attention_mask,
        cases=_mask_cases,
        compare=_mask_compare,
        mistakes=[
            Mistake(
                "one padding position too many is allowed: key j is real when j < length (positions count from 0), "
                "not j <= length.",
                lambda lengths, T_q, T_k: _mask_from(torch.arange(T_k)[None, :] <= _lengths(lengths)[:, None], T_q),
            ),
            Mistake(
                "the last real key is masked: key j is real when j < length, so the mask holds `length` True "
                "values per sequence (the source's </s> is one of its real tokens, not padding).",
                lambda lengths, T_q, T_k: _mask_from(torch.arange(T_k)[None, :] < _lengths(lengths)[:, None] - 1, T_q),
            ),
            Mistake(
                "True and False are the other way round: True means the query *may* look at the key, so True at "
                "the real tokens and False at the padding.",
                lambda lengths, T_q, T_k: ~encdec.cross_attention_mask(lengths, T_q, T_k),
            ),
            Mistake(
                "the lengths masked the queries (rows) instead of the keys (columns): padding hides keys, so "
                "compare the key positions, the last axis, with the lengths.",
                lambda lengths, T_q, T_k: (torch.arange(T_q)[None, :] < _lengths(lengths)[:, None])[
                    :, None, :, None
                ].expand(len(_lengths(lengths)), 1, T_q, T_k),
            ),
            Mistake(
                "there is a causal mask in it: padding masks hide keys that are padding, for every query; which "
                "query may look at which earlier key is another mask (the decoder's own).",
                lambda lengths, T_q, T_k: (
                    encdec.cross_attention_mask(lengths, T_q, T_k) & torch.ones(T_q, T_k, dtype=torch.bool).tril()
                ),
            ),
            Mistake(
                "the shape is (B, 1, 1, T_k): right values, but the exercise asks for the full (B, 1, T_q, T_k): "
                "add .expand(B, 1, T_q, T_k).",
                lambda lengths, T_q, T_k: (torch.arange(T_k)[None, :] < _lengths(lengths)[:, None])[:, None, None, :],
            ),
            Mistake(
                "the head axis is missing: the mask must be (B, 1, T_q, T_k) so that it broadcasts over the heads "
                "of scores (B, H, T_q, T_k).",
                lambda lengths, T_q, T_k: encdec.cross_attention_mask(lengths, T_q, T_k)[:, 0],
            ),
            Mistake(
                "nothing is masked: the keys at positions from each sequence's length on are padding.",
                lambda lengths, T_q, T_k: torch.ones(len(_lengths(lengths)), 1, T_q, T_k, dtype=torch.bool),
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch12.encoder_block and ch12.decoder_block: real blocks with large weights


def _config() -> encdec.EncDecConfig:
    return encdec.EncDecConfig(n_layer=1, n_head=2, d_model=16)


def _large_weights(module: nn.Module, seed: int) -> nn.Module:
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in module.named_parameters():
            if name.endswith("weight") and parameter.ndim == 1:  # layer norms: scales near 1
                parameter.copy_(1.0 + 0.2 * torch.randn(parameter.shape, generator=generator))
            else:
                parameter.copy_(0.3 * torch.randn(parameter.shape, generator=generator))
    return module.eval()


def _vectors(seed: int, *shape: int) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def _encoder_cases() -> list[Case]:
    block = _large_weights(encdec.EncoderBlock(_config()), 120)
    return [
        Case(
            "a batch of 2 sources of 5 tokens, the second padded after 3 (mask (2, 1, 1, 5))",
            (block, _vectors(121, 2, 5, 16), encdec.cross_attention_mask([5, 3], 1, 5)),
        ),
        Case(
            "a batch of 3 sources of 4 tokens, padded after 4, 1 and 2, with a (3, 1, 4, 4) mask",
            (block, _vectors(122, 3, 4, 16), encdec.cross_attention_mask([4, 1, 2], 4, 4)),
        ),
        Case(
            "one source of 6 tokens without padding",
            (block, _vectors(123, 1, 6, 16), encdec.cross_attention_mask([6], 1, 6)),
        ),
    ]


def _causal_and(mask: torch.Tensor, T: int) -> torch.Tensor:
    return mask & causal_mask(T)


def _encoder_wrong(
    attend: Callable[..., torch.Tensor] | None = None, *, residual: bool = True, post_norm: bool = False
):
    def forward(block: encdec.EncoderBlock, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        if post_norm:
            x = block.ln_1(x + block.attn(x, x, mask))
            return block.ln_2(x + block.mlp(x))
        h = block.ln_1(x)
        attended = attend(block, x, h, mask) if attend else block.attn(h, h, mask)
        x = x + attended if residual else attended
        return x + block.mlp(block.ln_2(x))

    return forward


register(
    Exercise(
        id="ch12.encoder_block",
        title="The encoder block",
        difficulty=2,
        minutes=10,
        hint=(
            "h = block.ln_1(x); x = x + block.attn(h, h, mask); then x + block.mlp(block.ln_2(x)). The mask is "
            "the padding mask as given: no causal mask, since the whole source is there to read."
        ),
        reference=encdec.encoder_block,
        cases=_encoder_cases,
        mistakes=[
            Mistake(
                "there is a causal mask in the encoder: the encoder reads the whole source at once, so each source "
                "token may look at the tokens after it too. Use the padding mask only.",
                _encoder_wrong(lambda b, x, h, m: b.attn(h, h, _causal_and(m, x.shape[1]))),
            ),
            Mistake(
                "the padding was attended to: pass the mask to block.attn, so that no token looks at padding.",
                _encoder_wrong(lambda b, x, h, m: b.attn(h, h, None)),
            ),
            Mistake(
                "the attention's output replaced x: add it to the residual stream, x = x + block.attn(h, h, mask).",
                _encoder_wrong(residual=False),
            ),
            Mistake(
                "the layer norm comes after the addition (post-norm, as in the 2017 paper); the course's blocks "
                "normalise first: x + block.attn(block.ln_1(x), ...), as GPT-2 does.",
                _encoder_wrong(post_norm=True),
            ),
            Mistake(
                "the attention read x itself, not the normalised h = block.ln_1(x).",
                _encoder_wrong(lambda b, x, h, m: b.attn(x, x, m)),
            ),
            Mistake(
                "the MLP read h = block.ln_1(x) from before the attention: it reads the stream after the attention "
                "was added, normalised by its own layer norm: x + block.mlp(block.ln_2(x)).",
                lambda block, x, mask: x + block.attn(block.ln_1(x), block.ln_1(x), mask) + block.mlp(block.ln_1(x)),
            ),
            Mistake(
                "the MLP's input went through block.ln_1: each part has its own layer norm, the MLP block.ln_2.",
                lambda block, x, mask: (lambda x: x + block.mlp(block.ln_1(x)))(
                    x + block.attn(block.ln_1(x), block.ln_1(x), mask)
                ),
            ),
            Mistake(
                "the MLP read the stream from before the attention (the two parts side by side): it reads the "
                "stream after the attention was added, x + block.mlp(block.ln_2(x)) with the new x.",
                lambda block, x, mask: x + block.attn(block.ln_1(x), block.ln_1(x), mask) + block.mlp(block.ln_2(x)),
            ),
            Mistake(
                "the MLP is missing: after attention, x = x + block.mlp(block.ln_2(x)).",
                lambda block, x, mask: x + block.attn(block.ln_1(x), block.ln_1(x), mask),
            ),
        ],
    )
)


def _decoder_cases() -> list[Case]:
    block = _large_weights(encdec.DecoderBlock(_config()), 124)
    return [
        Case(
            "2 outputs of 4 tokens and sources of 4 tokens, the second padded after 2 (mask (2, 1, 1, 4))",
            (block, _vectors(125, 2, 4, 16), _vectors(126, 2, 4, 16), encdec.cross_attention_mask([4, 2], 1, 4)),
        ),
        Case(
            "2 outputs of 3 tokens and sources of 6 tokens, padded after 6 and 4",
            (block, _vectors(127, 2, 3, 16), _vectors(128, 2, 6, 16), encdec.cross_attention_mask([6, 4], 1, 6)),
        ),
        Case(
            "one output of 5 tokens and a source of 2 tokens, with a (1, 1, 5, 2) mask",
            (block, _vectors(129, 1, 5, 16), _vectors(130, 1, 2, 16), encdec.cross_attention_mask([2], 5, 2)),
        ),
    ]


def _decoder_wrong(
    self_mask: Callable[[int], torch.Tensor | None] | None = causal_mask,
    cross: Callable[..., torch.Tensor] | None = None,
    *,
    cross_first: bool = False,
    masks_swapped: str = "",
):
    def forward(block: encdec.DecoderBlock, y: torch.Tensor, memory: torch.Tensor, memory_mask: torch.Tensor):
        def self_part(y: torch.Tensor) -> torch.Tensor:
            h = block.ln_1(y)
            mask = memory_mask if masks_swapped == "self" else self_mask(y.shape[1])
            return y + block.self_attn(h, h, mask)

        def cross_part(y: torch.Tensor) -> torch.Tensor:
            q = block.ln_2(y)
            if masks_swapped == "cross":
                return y + block.cross_attn(q, memory, causal_mask(y.shape[1]))
            return y + (cross(block, q, memory, memory_mask) if cross else block.cross_attn(q, memory, memory_mask))

        y = self_part(cross_part(y)) if cross_first else cross_part(self_part(y))
        return y + block.mlp(block.ln_3(y))

    return forward


def _decoder_stale(*, stale_cross: bool = False, cross_norm: str = "ln_2", mlp_norm: str = "ln_3", no_cross=False):
    def forward(block: encdec.DecoderBlock, y: torch.Tensor, memory: torch.Tensor, memory_mask: torch.Tensor):
        h = block.ln_1(y)
        y = y + block.self_attn(h, h, causal_mask(y.shape[1]))
        if not no_cross:
            queries = h if stale_cross else getattr(block, cross_norm)(y)
            y = y + block.cross_attn(queries, memory, memory_mask)
        return y + block.mlp(getattr(block, mlp_norm)(y))

    return forward


register(
    Exercise(
        id="ch12.decoder_block",
        title="The decoder block",
        difficulty=2,
        minutes=15,
        hint=(
            "Three residual steps: h = block.ln_1(y); y = y + block.self_attn(h, h, causal_mask(T)); "
            "y = y + block.cross_attn(block.ln_2(y), memory, memory_mask); y + block.mlp(block.ln_3(y)). "
            "Queries from the decoder, keys and values from the encoder's output."
        ),
        reference=encdec.decoder_block,
        cases=_decoder_cases,
        mistakes=[
            Mistake(
                "the decoder's self-attention has no causal mask: in training the decoder reads the whole true "
                "output, so without causal_mask(T) position t would copy the answer from position t + 1.",
                _decoder_wrong(self_mask=lambda T: None),
            ),
            Mistake(
                "the cross-attention's keys and values came from the decoder: cross-attention asks the source, so "
                "keys and values come from memory, the encoder's output: block.cross_attn(block.ln_2(y), memory, "
                "memory_mask).",
                _decoder_wrong(cross=lambda b, q, memory, mask: b.cross_attn(q, q, mask)),
            ),
            Mistake(
                "the cross-attention's keys and values came from the decoder: cross-attention asks the source, so "
                "keys and values come from memory, the encoder's output: block.cross_attn(block.ln_2(y), memory, "
                "memory_mask).",
                _decoder_wrong(cross=lambda b, q, memory, mask: b.cross_attn(q, q, None)),
            ),
            Mistake(
                "the source's padding was attended to: pass memory_mask to the cross-attention.",
                _decoder_wrong(cross=lambda b, q, memory, mask: b.cross_attn(q, memory, None)),
            ),
            Mistake(
                "the cross-attention has a causal mask: the source is not the future of the output, every output "
                "position may read every real source token. Pass memory_mask only.",
                _decoder_wrong(
                    cross=lambda b, q, memory, mask: b.cross_attn(
                        q, memory, mask & torch.ones(q.shape[1], memory.shape[1], dtype=torch.bool).tril()
                    )
                ),
            ),
            *(
                Mistake(
                    "queries and keys are the wrong way round in the cross-attention: queries come from the decoder "
                    "(block.ln_2(y)), keys and values from memory.",
                    _decoder_wrong(cross=swapped),
                )
                for swapped in (
                    lambda b, q, memory, mask: b.cross_attn(memory, q, mask),
                    lambda b, q, memory, mask: b.cross_attn(memory, q, None),
                )
            ),
            Mistake(
                "the cross-attention comes before the self-attention: first the decoder's own causal "
                "self-attention, then cross-attention, then the MLP.",
                _decoder_wrong(cross_first=True),
            ),
            Mistake(
                "memory was normalised too: it leaves the encoder normalised already (its final layer norm); "
                "only the queries' side goes through block.ln_2.",
                _decoder_wrong(cross=lambda b, q, memory, mask: b.cross_attn(q, b.ln_2(memory), mask)),
            ),
            Mistake(
                "the cross-attention's queries are h = block.ln_1(y) from before the self-attention: they come "
                "from the stream after it, normalised by their own layer norm: block.cross_attn(block.ln_2(y), ...).",
                _decoder_stale(stale_cross=True),
            ),
            Mistake(
                "the cross-attention's queries went through block.ln_1: each of the three parts has its own layer "
                "norm, ln_1 self-attention, ln_2 cross-attention, ln_3 the MLP.",
                _decoder_stale(cross_norm="ln_1"),
            ),
            Mistake(
                "the layer norms of the cross-attention and the MLP are swapped: ln_2 before the cross-attention, "
                "ln_3 before the MLP.",
                _decoder_stale(cross_norm="ln_3", mlp_norm="ln_2"),
            ),
            Mistake(
                "the self-attention was masked with memory_mask: the decoder's self-attention takes the causal "
                "mask, causal_mask(T); memory_mask is for the cross-attention (it hides the source's padding).",
                _decoder_wrong(self_mask=None, masks_swapped="self"),
            ),
            Mistake(
                "the cross-attention was masked with the causal mask and no memory_mask: the source's padding is "
                "attended to and real source tokens hidden. Pass memory_mask to block.cross_attn.",
                _decoder_wrong(masks_swapped="cross"),
            ),
            Mistake(
                "the cross-attention is missing: between the self-attention and the MLP, "
                "y = y + block.cross_attn(block.ln_2(y), memory, memory_mask); it is how the decoder reads the source.",
                _decoder_stale(no_cross=True),
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch12.greedy_decode: a scripted translator that reverses its source


class ScriptedTranslator(nn.Module):
    """A stand-in for a trained translator, with the interface of :class:`~course_utils.encdec.EncoderDecoder`
    (``encode``, ``decode``, ``forward``), whose answer is known: the source's characters reversed, then EOS.

    Its logits at output position t depend on the whole output so far: if the first token is not BOS it writes
    ``"Q"`` after PAD and ``"R"`` after any other token (it was trained to start from BOS); if the output so far
    is not the start of the answer it writes ``"Z"``; after the answer it writes EOS, and after EOS (a decoder
    that did not stop) it writes ``"9"``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.config = encdec.EncDecConfig()
        self.anchor = nn.Parameter(torch.zeros(1))  # so that next(model.parameters()) works

    def encode(self, source: torch.Tensor) -> torch.Tensor:
        source = torch.as_tensor(source).long()
        if source.ndim != 2:
            raise ValueError(f"encode takes (B, S) source ids, got shape {tuple(source.shape)}: add [None].")
        return source.float()[..., None]  # (B, S, 1): the memory remembers the ids

    def decode(
        self, target_in: torch.Tensor, memory: torch.Tensor, memory_mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        target_in = torch.as_tensor(target_in).long()
        if target_in.ndim != 2 or memory.ndim != 3:
            raise ValueError(
                f"decode takes (B, T) output ids and (B, S, C) memory, got {tuple(target_in.shape)} and "
                f"{tuple(memory.shape)}: add [None] for one sequence."
            )
        B, T = target_in.shape
        char_id = {char: encdec.VOCAB.index(char) for char in "QRZ9"}
        logits = torch.zeros(B, T, encdec.VOCAB_SIZE)
        for b in range(B):
            answer = [int(i) for i in memory[b, :, 0].tolist() if int(i) != encdec.PAD][::-1]
            prefix = target_in[b].tolist()
            for t in range(T):
                written = prefix[1 : t + 1]
                if prefix[0] != encdec.BOS:  # a start token it was not trained with: Q after PAD, R after others
                    next_id = char_id["Q" if prefix[0] == encdec.PAD else "R"]
                elif written == answer[: len(written)] and len(written) < len(answer):
                    next_id = answer[len(written)]
                elif written == answer:
                    next_id = encdec.EOS
                elif written[: len(answer) + 1] == [*answer, encdec.EOS]:
                    next_id = char_id["9"]
                else:
                    next_id = char_id["Z"]
                logits[b, t] = torch.linspace(-1.0, 0.0, encdec.VOCAB_SIZE)  # no ties, nothing likely
                logits[b, t, next_id] = 5.0
        return logits

    def forward(self, source: torch.Tensor, target_in: torch.Tensor) -> torch.Tensor:
        return self.decode(target_in, self.encode(source))


def _ids(text: str) -> torch.Tensor:
    return torch.tensor(encdec.encode_source(text))


def _greedy_cases() -> list[Case]:
    model = ScriptedTranslator()
    return [
        Case("the source 'abc' with max_new_tokens = 8 (answer 'cba', then the end token)", (model, _ids("abc"), 8)),
        Case("the source '1999' with max_new_tokens = 10", (model, _ids("1999"), 10)),
        Case("the source 'March 3' with max_new_tokens = 4 (cut before the end)", (model, _ids("March 3"), 4)),
        Case("the source 'x' with max_new_tokens = 1", (model, _ids("x"), 1)),
    ]


def _greedy_wrong(
    start: int = encdec.BOS,
    *,
    stop: bool = True,
    keep_eos: bool = False,
    keep_bos: bool = False,
    last_only: bool = False,
    position: int = -1,
    extra_step: int = 0,
):
    def decode(model: nn.Module, source: torch.Tensor, max_new_tokens: int) -> list[int]:
        memory = model.encode(source[None])
        output = [start]
        for _ in range(max_new_tokens + extra_step):
            fed = output[-1:] if last_only else output
            next_id = int(model.decode(torch.tensor([fed]), memory)[0, position].argmax())
            if next_id == encdec.EOS and stop:
                if keep_eos:
                    output.append(next_id)
                break
            output.append(next_id)
        return output if keep_bos else output[1:]

    return decode


def _greedy_compare(got: Any, want: Any) -> str | None:
    if isinstance(got, str):
        return (
            f"it returned the text {got!r}: return the new tokens' ids, a list of whole numbers such as "
            f"{list(want)[:4]}; decode_ids turns them into text afterwards"
        )
    return same_values(got, want)


register(
    Exercise(
        id="ch12.greedy_decode",
        title="Greedy decoding",
        difficulty=2,
        minutes=12,
        hint=(
            "memory = model.encode(source[None]); output = [BOS]; then up to max_new_tokens times: "
            "logits = model.decode(torch.tensor([output]), memory); next_id = int(logits[0, -1].argmax()); "
            "stop at EOS, else append. Return output[1:]."
        ),
        reference=encdec.greedy_decode,
        cases=_greedy_cases,
        compare=_greedy_compare,
        mistakes=[
            Mistake(
                "the decoding did not stop at the end token (EOS): when the likeliest token is EOS, the "
                "translation is finished; break out of the loop without adding it.",
                _greedy_wrong(stop=False),
            ),
            Mistake(
                "the end token is in your answer: stop at EOS without appending it.",
                _greedy_wrong(keep_eos=True),
            ),
            Mistake(
                "the decoder started from PAD (id 0), not from BOS: it must start from the same start token it "
                "read first in training (batch_tensors puts BOS before every target), or it reads something it has "
                "never seen there. A bug of several well-known tutorials.",
                _greedy_wrong(start=encdec.PAD),
            ),
            Mistake(
                "the decoder started from EOS, not from BOS: it must start from the same start token it read "
                "first in training (BOS), or it reads something it has never seen there. A bug of several "
                "well-known tutorials.",
                _greedy_wrong(start=encdec.EOS),
            ),
            Mistake(
                "the start token BOS is in your answer: return the new tokens only, output[1:].",
                _greedy_wrong(keep_bos=True),
            ),
            Mistake(
                "each step fed the decoder only the last token: it must read the whole output so far, "
                "torch.tensor([output]), like in training, and you take the last position's logits.",
                _greedy_wrong(last_only=True),
            ),
            Mistake(
                "you took the logits of the first position, logits[0, 0]; the next token comes from the last "
                "position, logits[0, -1].",
                _greedy_wrong(position=0),
            ),
            Mistake(
                "one token more than max_new_tokens: loop max_new_tokens times at most.",
                _greedy_wrong(extra_step=1),
            ),
            Mistake(
                "one token fewer than max_new_tokens allows: the output list starts with BOS, so "
                "`while len(output) < max_new_tokens` stops a token early; count the new tokens (loop "
                "max_new_tokens times, or compare len(output) - 1).",
                _greedy_wrong(extra_step=-1),
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch12.format_chat


def _chat_cases() -> list[Case]:
    return [
        Case(
            "a system prompt and two turns, the user to speak next",
            ("Be brief.", [("user", "Who art thou?"), ("bot", "A friend.")], "user"),
        ),
        Case(
            "a system prompt and one user message, the bot next",
            ("The bot is kind.", [("user", "Good morrow, sir.")], "bot"),
        ),
        Case(
            "three turns, one with a line break inside, the bot next",
            ("Speak as a king.", [("user", "Hail!"), ("bot", "Who comes\nthere?"), ("user", "A friend.")], "bot"),
        ),
        Case("no turns yet, the user first", ("A quiet evening.", [], "user")),
        Case("an empty message", ("Be brief.", [("user", "   ")], "bot"), raises=ValueError),
    ]


def _chat_wrong(
    *,
    system: bool = True,
    trailing: str | None = "next",
    space: bool = True,
    newline: str = "\n",
    join_lines: bool = True,
    check_empty: bool = True,
    reverse: bool = False,
    tag_space: str = " ",
    one_tag: str | None = None,
):
    def format_chat(system_prompt: str, turns: list[tuple[str, str]], next_speaker: str = "bot") -> str:
        lines = [f"{chat.SYSTEM_TAG} {system_prompt}{newline}"] if system else []
        for speaker, text in reversed(turns) if reverse else turns:
            line = " ".join(text.split()) if join_lines else text
            if check_empty and not line.strip():
                raise ValueError("empty message")
            lines.append(f"{chat.TAGS[one_tag or speaker]}{tag_space}{line}{newline}")
        tail = "" if trailing is None else chat.TAGS[next_speaker if trailing == "next" else trailing]
        return "".join(lines) + tail + (" " if space and tail else "")

    return format_chat


register(
    Exercise(
        id="ch12.format_chat",
        title="A chat as text",
        difficulty=1,
        minutes=8,
        hint=(
            "One line per turn, f'{TAGS[speaker]} {text}\\n', after the system line f'{SYSTEM_TAG} {system}\\n'; "
            "a text's line breaks become spaces (' '.join(text.split())); end with TAGS[next_speaker] and one "
            "space. Raise ValueError for an empty text."
        ),
        reference=chat.format_chat,
        cases=_chat_cases,
        mistakes=[
            Mistake(
                "the system prompt is missing: the text starts with the system line, SYSTEM_TAG, a space, the "
                "prompt and a newline; it is what tells the model who the bot is.",
                _chat_wrong(system=False),
            ),
            Mistake(
                "the text does not end with the next speaker's tag: the model continues the text, so it must end "
                "with TAGS[next_speaker] and a space, or the model may write anyone's turn.",
                _chat_wrong(trailing=None),
            ),
            Mistake(
                "the text ends with the bot's tag whoever speaks next: use TAGS[next_speaker].",
                _chat_wrong(trailing="bot"),
            ),
            Mistake(
                "the next speaker's tag needs one space after it, as every turn has: the model learned that a tag "
                "is followed by a space and then the text.",
                _chat_wrong(space=False),
            ),
            *(
                Mistake(
                    "the turns are not on lines of their own: end each one (and the system line) with a newline.",
                    _chat_wrong(newline=separator),
                )
                for separator in (" ", "")
            ),
            Mistake(
                "a line break inside a message was kept: a turn is one line, so join its words with spaces, "
                "' '.join(text.split()).",
                _chat_wrong(join_lines=False),
            ),
            Mistake(
                "the turns are in the wrong order: keep them in the order they were said.",
                _chat_wrong(reverse=True),
            ),
            Mistake(
                "a turn's tag has no space after it: each line is the tag, one space, then the text.",
                _chat_wrong(tag_space=""),
            ),
            *(
                Mistake(
                    "every turn has the same tag: each turn's tag is its speaker's, TAGS[speaker], so the model can "
                    "tell who said what.",
                    _chat_wrong(one_tag=tag),
                )
                for tag in ("user", "bot")
            ),
        ],
    )
)
