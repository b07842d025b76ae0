"""course_utils.bpe: the trainers agree, encoding and decoding round-trip, merges files, bad input, and the
GPT-2 encoder equals tiktoken's own r50k_base (GPT-2's encoding) token for token, offline."""

from __future__ import annotations

import hashlib
import inspect
import random
import re
import shutil

import pytest
import tiktoken
import tiktoken.load
import tiktoken.registry

from course_utils import bpe
from course_utils.data import END_OF_TEXT, GPT2_SPLIT_PATTERN, data_path, gpt2_tokenizer, shakespeare_split

CLASSIC = "aaabdaaabac"


def _random_text(rng: random.Random, alphabet: str, length: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


class TestSimpleFunctions:
    def test_pair_counts_overlap_and_order(self):
        assert bpe.get_pair_counts([97, 97, 97]) == {(97, 97): 2}
        assert list(bpe.get_pair_counts([3, 1, 2, 3, 1])) == [(3, 1), (1, 2), (2, 3)]
        assert bpe.get_pair_counts([1]) == bpe.get_pair_counts([]) == {}

    def test_merge_left_to_right_without_overlap(self):
        ids = [5, 5, 5]
        assert bpe.merge(ids, (5, 5), 9) == [9, 5]
        assert ids == [5, 5, 5]  # the input is left alone
        assert bpe.merge([5, 5, 5, 5], (5, 5), 9) == [9, 9]
        assert bpe.merge([1, 2, 3, 1, 2], (1, 2), 256) == [256, 3, 256]

    def test_the_classic_example(self):
        merges = bpe.train_bpe(CLASSIC, 259)
        assert list(merges.items()) == [((97, 97), 256), ((256, 97), 257), ((257, 98), 258)]
        assert bpe.encode(CLASSIC, merges) == [258, 100, 258, 97, 99]
        assert bpe.decode([258, 100, 258, 97, 99], merges) == CLASSIC

    def test_encoding_follows_rank_not_frequency(self):
        assert bpe.encode("abcbc", {(97, 98): 256, (98, 99): 257}) == [256, 99, 257]

    def test_ties_go_to_the_pair_that_occurs_first(self):
        assert list(bpe.train_bpe("abcdcdab", 257)) == [(97, 98)]
        assert list(bpe.train_bpe("cdabcdab", 257)) == [(99, 100)]

    def test_empty_text_encodes_to_nothing_and_no_merges_is_allowed(self):
        assert bpe.encode("", {}) == []
        assert bpe.decode([], {}) == ""
        assert bpe.train_bpe("hello", 256) == {}

    def test_split_character_decodes_to_the_replacement_character(self):
        euro = list("€".encode())
        assert bpe.decode(euro[:2], {}) == "\ufffd"
        assert bpe.decode(euro[:2], {}) == bytes(euro[:2]).decode("utf-8", errors="replace")
        assert bpe.decode(euro, {}) == "€"

    def test_round_trip_on_random_unicode(self):
        rng = random.Random(0)
        merges = bpe.train_bpe("naïve café 日本語 🙂 Привет नमस्ते " * 4, 300)
        for _ in range(300):
            text = "".join(chr(c) for c in (rng.randrange(0x110000) for _ in range(8)) if not 0xD800 <= c <= 0xDFFF)
            assert bpe.decode(bpe.encode(text, merges), merges) == text

    def test_token_texts_and_bytes(self):
        merges = bpe.train_bpe(CLASSIC, 259)
        assert bpe.token_bytes(merges)[258] == b"aaab"
        assert bpe.token_texts([258, 100], merges) == ["aaab", "d"]


class TestTrainersAgree:
    @pytest.mark.parametrize("seed", range(12))
    def test_fast_equals_recounting_on_texts_full_of_ties(self, seed):
        rng = random.Random(seed)
        words = [_random_text(rng, "ab c", rng.randrange(1, 6)) for _ in range(8)]
        text = " ".join(rng.choice(words) for _ in range(60))
        vocab_size = 256 + 15
        try:
            simple = bpe.train_bpe_recounting(text, vocab_size)
        except ValueError:
            with pytest.raises(ValueError, match="merges were possible"):
                bpe.train_bpe_fast(text, vocab_size)
            return
        assert list(bpe.train_bpe_fast(text, vocab_size).items()) == list(simple.items())

    @pytest.mark.parametrize("seed", range(6))
    def test_without_a_pattern_all_three_agree(self, seed):
        text = _random_text(random.Random(seed), "abc", 80)
        simple = list(bpe.train_bpe(text, 270).items())
        assert list(bpe.train_bpe_recounting(text, 270, pattern=None).items()) == simple
        assert list(bpe.train_bpe_fast(text, 270, pattern=None).items()) == simple

    def test_on_shakespeare_with_gpt2s_pattern(self):
        text = shakespeare_split()[0][:12_000]
        simple = bpe.train_bpe_recounting(text, 300, GPT2_SPLIT_PATTERN)
        assert list(bpe.train_bpe_fast(text, 300, GPT2_SPLIT_PATTERN).items()) == list(simple.items())

    def test_pieces_encoding_matches_plain_encoding_within_each_piece(self):
        text = shakespeare_split()[0][:20_000]
        merges = bpe.train_bpe_fast(text, 400)
        ids = bpe.encode_pieces(text[:3000], merges)
        expected = [i for piece in bpe.split_text(text[:3000]) for i in bpe.encode(piece, merges)]
        assert ids == expected
        assert bpe.decode(ids, merges) == text[:3000]


class TestMergesFiles:
    def test_save_and_load_give_the_same_encoding(self, tmp_path):
        merges = bpe.train_bpe_fast(shakespeare_split()[0][:10_000], 300)
        loaded = bpe.load_merges(bpe.save_merges(merges, tmp_path / "merges.txt"))
        assert list(loaded.items()) == list(merges.items())

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            ("97 97\n", "not a merges file"),
            (bpe.MERGES_FILE_HEADER + "\n97 x\n", "line 2: expected two ids"),
            (bpe.MERGES_FILE_HEADER + "\n97 97\n97 97\n", "merged twice"),
            (bpe.MERGES_FILE_HEADER + "\n97 300\n", "do not fit together"),
        ],
    )
    def test_malformed_files(self, tmp_path, content, message):
        path = tmp_path / "merges.txt"
        path.write_text(content)
        with pytest.raises(ValueError, match=message):
            bpe.load_merges(path)

    def test_missing_file(self, tmp_path):
        with pytest.raises(FileNotFoundError, match="save_merges"):
            bpe.load_merges(tmp_path / "nothing.txt")


class TestBadInput:
    @pytest.mark.parametrize("trainer", [bpe.train_bpe, bpe.train_bpe_recounting, bpe.train_bpe_fast])
    def test_trainers(self, trainer):
        with pytest.raises(ValueError, match="empty text"):
            trainer("", 300)
        with pytest.raises(ValueError, match="at least 256"):
            trainer("hello", 255)
        with pytest.raises(ValueError, match="Only 3 merges were possible"):
            trainer("abcd", 300)
        with pytest.raises(TypeError, match="as a str, got bytes"):
            trainer(b"hello", 300)

    def test_encoders_refuse_non_text(self):
        with pytest.raises(TypeError, match="as a str"):
            bpe.encode(["a"], {})
        with pytest.raises(TypeError, match="as a str"):
            bpe.encode_like_gpt2(None, {})

    def test_decode_refuses_unknown_ids_and_bad_merges(self):
        with pytest.raises(KeyError, match="256"):
            bpe.decode([256], {})
        with pytest.raises(ValueError, match="expected 256"):
            bpe.decode([97], {(97, 97): 257})
        with pytest.raises(ValueError, match="only ids 0 to 256 exist"):
            bpe.decode([97], {(97, 97): 256, (300, 97): 257})
        with pytest.raises(ValueError, match="pair of ids"):
            bpe.decode([97], {(97, 97, 97): 256})


# --------------------------------------------------------------------------------------------------------------
# Equal to tiktoken's own GPT-2 encoding, offline

VERSE = """Shall I compare thee to a summer's day?
Thou art more lovely and more temperate:
Rough winds do shake the darling buds of May,
And summer's lease hath all too short a date;
"""
CODE = '''def fibonacci(n: int) -> list[int]:
    """The first n Fibonacci numbers."""
    numbers = [0, 1]
    while len(numbers) < n:
        numbers.append(numbers[-1] + numbers[-2])  # add the last two
    return numbers[:n]


if __name__ == "__main__":\r\n\tprint(fibonacci(10), {"a": 1_000, 'b': 0x1F})\r\n
'''
NUMBERS = "3.14159 2,718 1e-10 -42 +7 100% $1,234,567.89 2026-11-30 12:34:56 ½ ² 0xDEADBEEF 1234567890123\n"
WHITESPACE = "a  b   c    d\t\te\t \tf\r\n\r\ng   \n\n\n   h \u00a0 i\u3000j    \n    \t\n"
CONTRACTIONS = "I'M SURE HE'S RIGHT; WE'VE SEEN IT, THEY'RE HERE, I'LL GO, YOU'D KNOW. don't can't 'tis o'er\n"
SCRIPTS = (
    "Crème brûlée, naïve façade, Ærøskøbing, Straße, ÅNGSTRÖM, São Paulo, Dvořák, Łódź.\n"
    "Съешь же ещё этих мягких французских булок, да выпей чаю. ПРИВЕТ, мир!\n"
    "नमस्ते दुनिया, यह एक परीक्षण है। हिन्दी में लिखा गया वाक्य।\n"
    "日本語のテキストと中文文本，还有한국어 문장도 있습니다。\n"
    "Emoji: 🙂😀🎉👍🏽 👨‍👩‍👧‍👦 🇫🇷 ❤️ ✨🚀 and 🐍.\n"
)
SPECIAL = f"The end.{END_OF_TEXT}The beginning of the next document. {END_OF_TEXT}\n<|endoftext|>x<|endof"


def _varied_text() -> str:
    prose = shakespeare_split()[1][20_000:28_000]  # held-out prose and verse, with speaker names
    parts = [VERSE, CODE, NUMBERS, WHITESPACE, CONTRACTIONS, SCRIPTS, SPECIAL]
    return prose + "".join(part * 2 for part in parts)


@pytest.fixture
def tiktoken_r50k_offline(tmp_path, monkeypatch) -> tiktoken.Encoding:
    """tiktoken's own r50k_base, loaded from the committed ranks through tiktoken's cache, with no network."""
    import tiktoken_ext.openai_public as public

    # the URL that tiktoken fetches r50k_base from, read from tiktoken's own definition, and its cache name
    (url,) = re.findall(r'"(https://[^"]+r50k_base\.tiktoken)"', inspect.getsource(public.r50k_base))
    shutil.copy(data_path("gpt2.tiktoken"), tmp_path / hashlib.sha1(url.encode()).hexdigest())
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))

    def no_network(location: str) -> bytes:
        raise AssertionError(f"tiktoken tried to download {location}: the cached copy was not used")

    monkeypatch.setattr(tiktoken.load, "read_file", no_network)
    monkeypatch.delitem(tiktoken.registry.ENCODINGS, "r50k_base", raising=False)  # load it afresh, here
    encoding = tiktoken.get_encoding("r50k_base")
    monkeypatch.delitem(tiktoken.registry.ENCODINGS, "r50k_base", raising=False)
    return encoding


def test_the_varied_text_covers_what_it_should():
    text = _varied_text()
    assert len(text) >= 10_000
    for sample in ("\r\n", "\t", "   ", "I'M", "ё", "न", "日", "한", "🙂", END_OF_TEXT, "def ", "1234567890123"):
        assert sample in text, sample


def test_tiktokens_r50k_base_equals_the_course_gpt2_tokenizer_and_encode_like_gpt2(tiktoken_r50k_offline):
    reference = tiktoken_r50k_offline
    assert reference.name == "r50k_base" and reference.n_vocab == 50_257 and reference.eot_token == 50256
    text = _varied_text()
    expected = reference.encode_ordinary(text)
    assert gpt2_tokenizer().encode_ordinary(text) == expected
    assert bpe.encode_like_gpt2(text, bpe.gpt2_ranks()) == expected
    assert reference.decode(expected) == text
    # the special token: one id when allowed, refused by encode by default, plain text for encode_ordinary
    assert (
        reference.encode(END_OF_TEXT, allowed_special="all")
        == gpt2_tokenizer().encode(END_OF_TEXT, allowed_special="all")
        == [50256]
    )
    with pytest.raises(ValueError, match="special token"):
        reference.encode(END_OF_TEXT)
    assert 50256 not in expected


def test_encode_refuses_merges_out_of_order():
    with pytest.raises(ValueError, match="256, 257, ... in the order"):
        bpe.encode("abc", {(97, 98): 257})
