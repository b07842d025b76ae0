"""The encoder-decoder of chapter 12: the dates generator, the masks, the blocks, decoding and a short training."""

import datetime

import pytest
import torch

from course_utils import encdec
from course_utils.attention import cross_attention


def small_model(seed=0):
    torch.manual_seed(seed)
    return encdec.EncoderDecoder(encdec.EncDecConfig(n_layer=1, n_head=2, d_model=16)).eval()


def test_date_pairs_are_seeded_and_the_splits_keep_their_promises():
    assert encdec.date_pairs(50, "train", seed=3) == encdec.date_pairs(50, "train", seed=3)
    assert encdec.date_pairs(50, "train", seed=3) != encdec.date_pairs(50, "train", seed=4)
    train_days, heldout_days = encdec.split_days()
    assert not set(train_days) & set(heldout_days)
    assert len(heldout_days) == round(36_525 * encdec.HELDOUT_SHARE)
    heldout_targets = {encdec.iso_date(day) for day in heldout_days}
    train_pairs = encdec.date_pairs(3000, "train", seed=0)
    assert not {target for _, target in train_pairs} & heldout_targets
    assert {target for _, target in encdec.date_pairs(300, "heldout", seed=0)} <= heldout_targets
    for _, target in encdec.date_pairs(200, "unseen_years", seed=0):
        assert 1850 <= int(target[:4]) <= 1899
    year_first = encdec.DATE_FORMATS[encdec.UNSEEN_FORMAT]
    sources = {source.lower() for source, _ in train_pairs}
    assert not any(year_first(day).lower() in sources for day in train_days[:2000])


def test_formats_write_what_they_promise():
    day = datetime.date(2007, 3, 4)  # a Sunday
    assert encdec.write_date(day, "slashes_short") == "3/4/07"  # month first
    assert encdec.write_date(day, "dots") == "4.3.2007"  # day first
    assert encdec.write_date(day, "weekday") == "Sunday, March 4, 2007"
    assert encdec.write_date(day, "words", "upper") == "THE FOURTH OF MARCH, 2007"
    assert encdec.write_date(datetime.date(1999, 12, 23), "ordinal_short_year") == "December 23rd 99"
    assert encdec.iso_date(day) == "2007-03-04"
    with pytest.raises(ValueError, match="two-digit years"):
        encdec.write_date(datetime.date(1875, 1, 1), "slashes_short")
    longest = max(len(source) for source, _ in encdec.date_pairs(5000, "train", seed=1))
    assert longest <= encdec.SOURCE_CONTEXT


def test_encode_source_refuses_what_the_model_cannot_read():
    assert encdec.decode_ids(encdec.encode_source("3/3/99")) == "3/3/99"
    with pytest.raises(ValueError, match="does not know"):
        encdec.encode_source("3 März 1999")
    with pytest.raises(ValueError, match="at most 39"):
        encdec.encode_source("x" * 40)
    assert encdec.source_tensor("3/3/99").tolist() == [*encdec.encode_source("3/3/99"), encdec.EOS]
    with pytest.raises(ValueError, match="non-empty"):
        encdec.encode_source("")


def test_batch_tensors_shift_the_target_for_teacher_forcing():
    source, decoder_input, labels = encdec.batch_tensors([("3/3/99", "1999-03-03"), ("March 3rd 99", "1999-03-03")])
    assert source.shape == (2, 13) and source[0, 6] == encdec.EOS and (source[0, 7:] == encdec.PAD).all()
    assert decoder_input[0, 0] == encdec.BOS and labels[0, -1] == encdec.EOS
    assert torch.equal(decoder_input[:, 1:], labels[:, :-1])


def test_cross_attention_mask_hides_padded_keys_and_refuses_bad_lengths():
    mask = encdec.cross_attention_mask([2, 3], 4, 3)
    assert mask.shape == (2, 1, 4, 3) and mask.dtype == torch.bool
    assert mask[0, 0, :, :2].all() and not mask[0, 0, :, 2].any() and mask[1].all()
    for lengths in ([0, 2], [4, 1]):
        with pytest.raises(ValueError, match="key_lengths must each be from 1 to T_k"):
            encdec.cross_attention_mask(lengths, 2, 3)


def test_each_head_is_chapter_08s_cross_attention():
    attention = encdec.MultiHeadAttention(d_model=8, n_head=2)
    x, source = torch.randn(2, 3, 8), torch.randn(2, 5, 8)
    attention.keep_weights = True
    attention(x, source)
    for head in range(2):
        columns = slice(4 * head, 4 * head + 4)
        w_q, w_k, w_v = (layer.weight.T[:, columns] for layer in (attention.query, attention.key, attention.value))
        expected = cross_attention(x, source, w_q, w_k, w_v)
        assert torch.allclose(attention.weights[:, head] @ (source @ w_v), expected, atol=1e-6)


def test_padding_changes_nothing_and_the_decoder_does_not_see_the_future():
    model = small_model()
    source = encdec.source_tensor("3/3/99")[None]
    padded = torch.cat([source, torch.full((1, 5), encdec.PAD)], dim=1)
    target_in = torch.tensor([[encdec.BOS, *encdec.encode_source("1999-03")]])
    with torch.no_grad():
        assert torch.allclose(model(source, target_in), model(padded, target_in), atol=1e-5)
        changed = target_in.clone()
        changed[0, -1] = encdec.encode_source("7")[0]
        before, after = model(source, target_in), model(source, changed)
    assert torch.allclose(before[:, :-1], after[:, :-1], atol=1e-6) and not torch.allclose(before[:, -1], after[:, -1])


def test_the_encoder_reads_both_ways():
    model = small_model()
    a = torch.tensor([encdec.encode_source("3/3/99")])
    b = torch.tensor([encdec.encode_source("3/3/98")])
    with torch.no_grad():
        assert not torch.allclose(model.encode(a)[:, 0], model.encode(b)[:, 0])


def test_model_refuses_sources_longer_than_its_context():
    model = small_model()
    with pytest.raises(ValueError, match="at most 40"):
        model.encode(torch.ones(1, 41, dtype=torch.long))
    with pytest.raises(ValueError, match="vocab_size"):
        model.encode(torch.full((1, 3), 500))


def test_greedy_decoding_agrees_one_by_one_batched_and_as_a_beam_of_one():
    model = small_model(1)
    texts = ["3/3/99", "the third of March, 1999", "4 Jul 1976"]
    batched = encdec.greedy_decode_batch(model, texts, max_new_tokens=11)
    for text, together in zip(texts, batched, strict=True):
        alone = encdec.greedy_decode(model, encdec.source_tensor(text), 11)
        assert encdec.decode_ids(alone) == together == encdec.beam_search(model, text, beam_width=1)[0][0]
    results = encdec.beam_search(model, "3/3/99", beam_width=3)
    assert len(results) == 3 and [s for _, s in results] == sorted((s for _, s in results), reverse=True)


def test_a_short_training_lowers_the_loss_and_maps_sum_to_one():
    model = encdec.EncoderDecoder(encdec.EncDecConfig(n_layer=1, n_head=2, d_model=32))
    run = encdec.train_translator(model, 40, batch_size=32, n_pairs=500, seed=0)
    assert run.steps == 40 and sum(run.losses[-5:]) / 5 < run.losses[0] - 1.0
    maps = model.cross_attention_maps(encdec.source_tensor("3/3/99"), torch.tensor([encdec.BOS, 4, 5]))
    assert maps.shape == (1, 2, 3, 7) and torch.allclose(maps.sum(-1), torch.ones(1, 2, 3))
    assert 0.0 <= encdec.exact_match(model, encdec.date_pairs(20, "heldout", 0)) <= 1.0
    with pytest.raises(ValueError, match="does not know"):
        encdec.translate(model, "3/3/99 ¿")
