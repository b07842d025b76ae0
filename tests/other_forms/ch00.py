"""Right answers to chapter 00's exercises written as a learner might, in other forms than the reference's.

Each function is substituted into the learner notebook's exercise cell by tests/test_other_forms.py, so it may
use only what it imports itself.
"""

import numpy as np


def most_likely(tokens, probabilities):
    return tokens[probabilities.index(max(probabilities))]  # list.index finds the first of tied ones


def count_tokens(text):
    from course_utils.data import gpt2_tokenizer

    return np.int64(np.size(gpt2_tokenizer().encode(text)))  # a numpy number, not a Python int


def chat_script(system, turns, next_speaker):
    parts = [system]
    for speaker, words in turns:
        parts += ["\n\n", speaker.upper(), ".\n", words]
    parts += ["\n\n", next_speaker.upper(), ".\n"]
    return "".join(parts)


OTHER_FORMS = {"ch00.most_likely": most_likely, "ch00.count_tokens": count_tokens, "ch00.chat_script": chat_script}
