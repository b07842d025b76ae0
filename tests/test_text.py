"""course_utils.text: vocabulary, encoding and decoding, one-hot vectors and sliding windows, with bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course_utils.text import char_vocab, decode, encode, encode_array, one_hot, random_windows, sliding_windows

TEXT = "Humpty Dumpty sat on a wall,\nHumpty Dumpty had a great fall."


class TestVocabAndEncoding:
    def test_vocab_is_sorted_and_distinct(self):
        vocab = char_vocab(TEXT)
        assert vocab == sorted(vocab) and len(vocab) == len(set(TEXT))

    def test_round_trip(self):
        vocab = char_vocab(TEXT)
        ids = encode(TEXT, vocab)
        assert len(ids) == len(TEXT) and all(vocab[i] == char for i, char in zip(ids, TEXT, strict=True))
        assert decode(ids, vocab) == TEXT

    def test_ids_follow_the_order_of_the_vocabulary(self):
        assert encode("cab", ["b", "c", "a"]) == [1, 2, 0]

    def test_decode_accepts_arrays_and_tensors(self):
        vocab = ["a", "b", "c"]
        assert decode(np.array([2, 0]), vocab) == decode(torch.tensor([2, 0]), vocab) == "ca"

    def test_encode_array_matches_encode(self):
        vocab = char_vocab(TEXT + "é")
        text = TEXT + "é"
        assert encode_array(text, vocab).tolist() == encode(text, vocab)
        assert encode_array("", vocab).shape == (0,)

    def test_empty_text_has_no_vocabulary(self):
        with pytest.raises(ValueError, match="non-empty"):
            char_vocab("")

    @pytest.mark.parametrize("encoder", [encode, encode_array])
    def test_unknown_character_is_named(self, encoder):
        with pytest.raises(KeyError, match=r"'!' \(at position 5"):
            encoder("hello!", ["e", "h", "l", "o"])

    @pytest.mark.parametrize("encoder", [encode, encode_array])
    def test_empty_vocabulary_or_non_text(self, encoder):
        with pytest.raises(ValueError, match="vocab must be a non-empty list"):
            encoder("a", [])
        with pytest.raises(TypeError, match="string"):
            encoder([1, 2], ["a"])

    def test_decode_refuses_ids_outside_the_vocabulary_and_fractions(self):
        with pytest.raises(ValueError, match="ids must hold ids from 0 to vocab_size - 1 = 1, got 2"):
            decode([0, 2], ["a", "b"])
        with pytest.raises(ValueError, match="ids must hold ids of at least 0, got -1"):
            decode([-1], ["a", "b"])
        with pytest.raises(TypeError, match="whole numbers"):
            decode([0.5], ["a", "b"])


class TestOneHot:
    def test_rows_of_the_identity(self):
        vectors = one_hot([2, 0, 1], 3)
        assert vectors.dtype == torch.float32
        assert torch.equal(vectors, torch.tensor([[0.0, 0, 1], [1, 0, 0], [0, 1, 0]]))

    def test_keeps_the_shape_of_the_ids(self):
        ids = np.array([[0, 4, 2], [1, 1, 3]])
        vectors = one_hot(ids, 5)
        assert vectors.shape == (2, 3, 5)
        assert torch.equal(vectors.argmax(dim=-1), torch.as_tensor(ids))
        assert torch.equal(vectors.sum(dim=-1), torch.ones(2, 3))

    def test_same_as_torch(self):
        ids = torch.randint(7, (4, 6), generator=torch.Generator().manual_seed(0))
        assert torch.equal(one_hot(ids, 7), torch.nn.functional.one_hot(ids, 7).float())

    def test_bad_input(self):
        with pytest.raises(ValueError, match="from 0 to vocab_size - 1 = 2"):
            one_hot([0, 3], 3)
        with pytest.raises(ValueError, match="ids must hold at least 1 id, got 0"):
            one_hot([], 3)
        with pytest.raises(TypeError, match="whole numbers"):
            one_hot([0.5, 1.0], 3)
        with pytest.raises(ValueError, match="at least 1"):
            one_hot([0], 0)


class TestSlidingWindows:
    def test_every_window_and_its_target(self):
        ids = list(range(10, 20))
        inputs, targets = sliding_windows(ids, 3)
        assert inputs.shape == (7, 3) and targets.shape == (7,)
        for start in range(7):
            assert inputs[start].tolist() == ids[start : start + 3]
            assert targets[start] == ids[start + 3]

    def test_shortest_text(self):
        inputs, targets = sliding_windows([4, 2], 1)
        assert inputs.tolist() == [[4]] and targets.tolist() == [2]

    def test_window_longer_than_the_text(self):
        with pytest.raises(ValueError, match="at least 6 ids"):
            sliding_windows([1, 2, 3], 5)
        with pytest.raises(ValueError, match="at least 4 ids"):
            sliding_windows([1, 2, 3], 3)  # a window as long as the text leaves no target

    def test_empty_text_and_bad_context(self):
        with pytest.raises(ValueError, match="at least 2 ids"):
            sliding_windows([], 1)
        with pytest.raises(ValueError, match="at least 1"):
            sliding_windows([1, 2, 3], 0)
        with pytest.raises(ValueError, match="1-D"):
            sliding_windows([[1, 2], [3, 4]], 1)

    def test_random_windows_agree_with_sliding_windows(self):
        ids = torch.arange(50)
        inputs, targets = random_windows(ids, 4, 8, torch.Generator().manual_seed(0))
        assert inputs.shape == targets.shape == (8, 4)
        assert torch.equal(targets, inputs + 1)  # with ids 0..49 the next id is always one more
