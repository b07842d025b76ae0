"""Reference solutions for chapter 00, the tour.

The solution notebook runs each function's source as a cell; ``count_tokens`` uses ``gpt2_tokenizer``, which
the notebook imports from ``course_utils.data`` before the exercise.
"""

from __future__ import annotations

from course_utils.data import gpt2_tokenizer


def most_likely(tokens: list[str], probabilities: list[float]) -> str:
    """The token that the model finds likeliest: the one with the largest probability.

    ``tokens`` is a list of token texts and ``probabilities`` a list of the same length: ``probabilities[i]``
    is the probability of ``tokens[i]``. The lists are in no particular order. Returns the token (a string);
    if several share the largest probability, the first of them.
    """
    best = 0
    for index in range(len(probabilities)):
        if probabilities[index] > probabilities[best]:
            best = index
    return tokens[best]


def count_tokens(text: str) -> int:
    """How many tokens GPT-2's tokenizer cuts ``text`` into (a whole number; 0 for an empty text).

    ``gpt2_tokenizer().encode(text)`` returns the list of token ids.
    """
    return len(gpt2_tokenizer().encode(text))


def chat_script(system: str, turns: list[tuple[str, str]], next_speaker: str) -> str:
    r"""A conversation written out as a play's script, ending where the next speaker is about to talk.

    ``system`` is the text at the top (the scene); ``turns`` is a list of ``(speaker, words)`` pairs. The script
    is the system text, then for each turn a blank line, the speaker's tag (the name all in capitals followed by
    a full stop) on its own line, and the words on the next line; it ends with a blank line and
    ``next_speaker``'s tag on its own line, newline included, so that what a model writes next is that speaker's
    answer:

    >>> chat_script("A street.", [("Romeo", "Good morrow.")], "Juliet")
    'A street.\n\nROMEO.\nGood morrow.\n\nJULIET.\n'
    """
    script = system
    for speaker, words in turns:
        script += f"\n\n{speaker.upper()}.\n{words}"
    return script + f"\n\n{next_speaker.upper()}.\n"
