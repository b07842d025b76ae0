"""Exercises of chapter 00, the tour.

The inputs are chosen so that each listed mistake gives a different answer: probabilities that are not
sorted (the likeliest is not first) and not symmetric (the least likely differs from the likeliest), and a tie
whose later token sorts after the first (so that ``max(zip(probabilities, tokens))`` picks the wrong one);
texts with more tokens than words, repeated tokens, letters outside ASCII and a final newline; names that are
not in capitals, one of them in lower case.
"""

from __future__ import annotations

import numpy as np

from course_utils.checks.core import Case, Exercise, Mistake, register
from course_utils.data import gpt2_tokenizer
from course_utils.solutions import ch00 as solutions


def _most_likely_cases() -> list[Case]:
    rng = np.random.default_rng(0)
    words = [f" word{i}" for i in range(50)]
    return [
        Case("four tokens, the likeliest second", ([" the", " a", " my", "\n"], [0.2, 0.5, 0.1, 0.2])),
        Case("three tokens, the likeliest last", (["ing", "ed", "s"], [0.1, 0.3, 0.6])),
        Case("50 tokens with random probabilities", (words, rng.dirichlet(np.ones(50)).tolist())),
        Case("a tie between the second and third", ([",", "!", ".", "?"], [0.1, 0.4, 0.4, 0.1])),
        # a loop that starts at index 1 never looks at the first token: here the first is the likeliest
        Case("three tokens, the likeliest first", ([" thee", " you", " him"], [0.7, 0.2, 0.1])),
    ]


def _argmax(probabilities: list[float]) -> int:
    return int(np.argmax(probabilities))


register(
    Exercise(
        id="ch00.most_likely",
        title="The likeliest next token",
        difficulty=1,
        minutes=5,
        hint=(
            "Walk through the positions with `for index in range(len(probabilities))`, remember the position of "
            "the largest probability so far, and at the end return the token at that position."
        ),
        reference=solutions.most_likely,
        cases=_most_likely_cases,
        mistakes=[
            Mistake(
                "return the token itself (tokens[best]), not its position in the list.",
                lambda tokens, probabilities: _argmax(probabilities),
            ),
            Mistake(
                "return the token, not its probability.",
                lambda tokens, probabilities: max(probabilities),
            ),
            Mistake(
                "that is the least likely token: look for the largest probability, not the smallest.",
                lambda tokens, probabilities: tokens[int(np.argmin(probabilities))],
            ),
            Mistake(
                "the lists are not sorted, so the first token need not be the likeliest: compare the probabilities.",
                lambda tokens, probabilities: tokens[0],
            ),
            Mistake(
                "the first token counts too: start the loop at index 0 (`range(len(probabilities))`), or start "
                "with the first token as the best so far and compare every other with it.",
                lambda tokens, probabilities: tokens[1 + _argmax(probabilities[1:])],
            ),
            Mistake(
                "on a tie, return the first of the tied tokens (in a loop, compare with > rather than >=).",
                lambda tokens, probabilities: tokens[len(probabilities) - 1 - _argmax(probabilities[::-1])],
            ),
        ],
    )
)


def _count_tokens_cases() -> list[Case]:
    return [
        Case("'To be, or not to be'", ("To be, or not to be",)),
        Case("a long word cut into several tokens: 'honorificabilitudinitatibus'", ("honorificabilitudinitatibus",)),
        Case("a line with a newline and a repeated word", ("Tomorrow, and tomorrow, and tomorrow,\nCreeps in",)),
        Case("a text with letters outside ASCII: 'Café naïve résumé'", ("Café naïve résumé",)),
        Case("a line that ends with a newline", ("Exit, pursued by a bear.\n",)),
        Case("the empty text", ("",)),
    ]


register(
    Exercise(
        id="ch00.count_tokens",
        title="Count the tokens of a text",
        difficulty=1,
        minutes=5,
        hint="`gpt2_tokenizer().encode(text)` gives the list of token ids; how long is it?",
        reference=solutions.count_tokens,
        cases=_count_tokens_cases,
        mistakes=[
            Mistake(
                "that is the number of words (text.split()); a word is often several tokens: count the ids that "
                "gpt2_tokenizer().encode(text) returns.",
                lambda text: len(text.split()),
            ),
            Mistake(
                "that is the number of characters; a token is usually several characters: count the token ids.",
                lambda text: len(text),
            ),
            Mistake(
                "that is the number of bytes; count the token ids that gpt2_tokenizer().encode(text) returns.",
                lambda text: len(text.encode("utf-8")),
            ),
            Mistake(
                "you counted each distinct token once; a token that comes back (' and', ' tomorrow') counts "
                "every time: no set().",
                lambda text: len(set(gpt2_tokenizer().encode(text))),
            ),
            Mistake(
                "count the tokens of the text as it is: a newline or a space at either end is a token (or part of "
                "one) too, so do not strip() it.",
                lambda text: len(gpt2_tokenizer().encode(text.strip())),
            ),
        ],
    )
)


def _chat_cases() -> list[Case]:
    return [
        Case(
            "one turn",
            ("A street in Verona.", [("Romeo", "Good morrow, cousin.")], "Benvolio"),
        ),
        Case(
            "two turns and a two-word name",
            (
                "Friar Laurence's cell.",
                [("Juliet", "Are you at leisure, holy father?"), ("friar laurence", "My leisure serves me.")],
                "Juliet",
            ),
        ),
        Case("no turns yet", ("A heath. Thunder.", [], "First Witch")),
    ]


def _script(system, turns, next_speaker, *, tag, between="\n\n", name=str.upper, end="\n"):
    """A wrong script: names written by ``name``, tags made by ``tag``, turns joined by ``between``, and the next
    speaker's tag followed by ``end`` (``None``: no next speaker's tag at all)."""
    script = system
    for speaker, words in turns:
        script += f"{between}{tag(name(speaker))}\n{words}"
    return script + (f"{between}{tag(name(next_speaker))}{end}" if end is not None else "")


register(
    Exercise(
        id="ch00.chat_script",
        title="A chat as a script",
        difficulty=1,
        minutes=10,
        hint=(
            "Start with `script = system`; for each `(speaker, words)` in `turns` add a blank line, "
            '`speaker.upper() + "."`, a newline and the words; end with a blank line and the next speaker\'s tag '
            'followed by a newline. An f-string such as `f"\\n\\n{speaker.upper()}.\\n{words}"` does one turn.'
        ),
        reference=solutions.chat_script,
        cases=_chat_cases,
        mistakes=[
            Mistake(
                "end with the next speaker's tag (a blank line, then NAME. and a newline): it tells the model "
                "whose words come next.",
                lambda s, t, n: _script(s, t, n, tag=lambda name: f"{name}.", end=None),
            ),
            Mistake(
                "write the speakers' names in capitals (speaker.upper()), as most plays do.",
                lambda s, t, n: _script(s, t, n, tag=lambda name: f"{name}.", name=str),
            ),
            Mistake(
                "write the speakers' names all in capitals (speaker.upper(): 'ROMEO.'), not only their first letters.",
                lambda s, t, n: _script(s, t, n, tag=lambda name: f"{name}.", name=str.title),
            ),
            Mistake(
                "end the script with a newline after the next speaker's tag ('NAME.' then '\\n'): the model's "
                "answer starts on the next line, as every speech in the plays does.",
                lambda s, t, n: _script(s, t, n, tag=lambda name: f"{name}.", end=""),
            ),
            Mistake(
                "a speaker's name ends with a full stop ('ROMEO.'), not a colon: that is how the plays in the "
                "training text mark a speaker.",
                lambda s, t, n: _script(s, t, n, tag=lambda name: f"{name}:"),
            ),
            Mistake(
                "put a blank line (two newlines, '\\n\\n') before each speaker's tag, not one newline.",
                lambda s, t, n: _script(s, t, n, tag=lambda name: f"{name}.", between="\n"),
            ),
        ],
    )
)
