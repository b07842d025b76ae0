"""Plausible wrong answers to chapter 00's exercises, and what the check's message must point at."""

from course_utils.data import gpt2_tokenizer


def _position_of_largest(tokens, probabilities):
    best = 0
    for index in range(len(probabilities)):
        if probabilities[index] > probabilities[best]:
            best = index
    return best


def _last_of_tied(tokens, probabilities):
    best = 0
    for index in range(len(probabilities)):
        if probabilities[index] >= probabilities[best]:
            best = index
    return tokens[best]


def _script_title_case(system, turns, next_speaker):
    script = system
    for speaker, words in turns:
        script += f"\n\n{speaker.title()}.\n{words}"
    return script + f"\n\n{next_speaker.title()}.\n"


def _script_without_last_newline(system, turns, next_speaker):
    script = system
    for speaker, words in turns:
        script += f"\n\n{speaker.upper()}.\n{words}"
    return script + f"\n\n{next_speaker.upper()}."


def _script_without_next_tag(system, turns, next_speaker):
    script = system
    for speaker, words in turns:
        script += f"\n\n{speaker.upper()}.\n{words}"
    return script


def _script_with_colons(system, turns, next_speaker):
    script = system
    for speaker, words in turns:
        script += f"\n\n{speaker.upper()}:\n{words}"
    return script + f"\n\n{next_speaker.upper()}:\n"


def _script_names_as_given(system, turns, next_speaker):
    script = system
    for speaker, words in turns:
        script += f"\n\n{speaker}.\n{words}"
    return script + f"\n\n{next_speaker}.\n"


def _script_single_newlines(system, turns, next_speaker):
    lines = [system] + [f"{speaker.upper()}.\n{words}" for speaker, words in turns] + [f"{next_speaker.upper()}."]
    return "\n".join(lines) + "\n"


def _script_no_space_before_words(system, turns, next_speaker):
    # the words on the tag's line: no listed mistake explains it, so the hint must
    script = system
    for speaker, words in turns:
        script += f"\n\n{speaker.upper()}. {words}"
    return script + f"\n\n{next_speaker.upper()}.\n"


def _likeliest_from_index_one(tokens, probabilities):
    best = 1  # the loop below never looks at the first token
    for index in range(1, len(probabilities)):
        if probabilities[index] > probabilities[best]:
            best = index
    return tokens[best]


WRONG_ANSWERS = {
    "ch00.most_likely": [
        (_likeliest_from_index_one, "start the loop at index 0"),
        (_position_of_largest, "not its position"),
        (lambda tokens, probabilities: max(probabilities), "not its probability"),
        (lambda tokens, probabilities: tokens[probabilities.index(min(probabilities))], "least likely"),
        (lambda tokens, probabilities: tokens[0], "not sorted"),
        (_last_of_tied, "tie"),
        (lambda tokens, probabilities: max(zip(probabilities, tokens, strict=True))[1], "first of the tied"),
    ],
    "ch00.count_tokens": [
        (lambda text: len(text.split()), "number of words"),
        (lambda text: len(text), "number of characters"),
        (lambda text: len(text.encode("utf-8")), "number of bytes"),
        (lambda text: len(set(gpt2_tokenizer().encode(text))), "no set()"),
        (lambda text: len(gpt2_tokenizer().encode(text.strip())), "strip()"),
        (lambda text: len(gpt2_tokenizer().encode(text)) + 1, "how long is it"),
    ],
    "ch00.chat_script": [
        (_script_without_next_tag, "next speaker's tag"),
        (_script_with_colons, "not a colon"),
        (_script_names_as_given, "capitals"),
        (_script_title_case, "not only their first letters"),
        (_script_without_last_newline, "newline after the next speaker's tag"),
        (_script_single_newlines, "blank line"),
        (_script_no_space_before_words, "Start with `script = system`"),
    ],
}
