"""Showing tokens in a notebook: a text cut into its tokens, each on its own colour, with its id under it.

Chapter 00 shows GPT-2's tokens this way and chapter 06 shows the tokens of the tokenizer the learner builds.
The functions return HTML strings (easy to test and to save); :func:`show_html` displays one in a notebook.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from course_utils import validate

# light colours that black text reads well on, cycled so that neighbouring tokens always differ
TOKEN_COLORS = ("#c6dbef", "#fdd0a2", "#c7e9c0", "#dadaeb", "#fcbba1", "#f6e8c3", "#d9f0d3", "#e7d4e8")


def visible_token(text: str) -> str:
    """A token's text with its whitespace made visible: a space as ``·``, a newline as ``↵``, a tab as ``→``."""
    validate.text(text, "text", allow_empty=True, hint="Decode the token id to its text first.")
    return text.replace(" ", "·").replace("\n", "↵").replace("\t", "→")


def colored_tokens_html(token_texts: Sequence[str], token_ids: Sequence[int] | None = None) -> str:
    """HTML that shows each token of a text on its own coloured background, with its id under it if given.

    ``token_texts`` are the tokens' texts in order (joined, they give back the text); ``token_ids`` their ids.
    Spaces and newlines are drawn as ``·`` and ``↵`` so that a token's leading space can be seen.
    """
    if isinstance(token_texts, str) or not isinstance(token_texts, Sequence):
        raise TypeError(
            f"token_texts must be a list of strings, one per token, got {validate.describe(token_texts)}: "
            f"decode each id on its own, [tokenizer.decode([i]) for i in ids]."
        )
    token_texts = list(token_texts)
    if any(not isinstance(token, str) for token in token_texts):
        raise TypeError(
            "token_texts must be a list of strings, one per token: decode each id on its own. Did you swap "
            "token_texts and token_ids?"
        )
    if token_ids is not None:
        token_ids = validate.token_ids(token_ids, "token_ids").tolist()
        if len(token_ids) != len(token_texts):
            raise ValueError(
                f"token_ids must give one id per token: got {len(token_texts)} token texts but {len(token_ids)} ids."
            )
    boxes = []
    for index, token in enumerate(token_texts):
        color = TOKEN_COLORS[index % len(TOKEN_COLORS)]
        label = (
            "" if token_ids is None else f"<br><span style='font-size:70%;color:#555'>{int(token_ids[index])}</span>"
        )
        boxes.append(
            f"<span style='display:inline-block;background:{color};margin:1px;padding:1px 3px;border-radius:3px;"
            f"text-align:center;font-family:monospace;white-space:pre;line-height:1.2'>"
            f"{html.escape(visible_token(token))}{label}</span>"
        )
    return f"<div style='line-height:2.2'>{''.join(boxes)}</div>"


def show_html(markup: str) -> None:
    """Display an HTML string in a notebook (and print nothing elsewhere)."""
    validate.text(markup, "markup", allow_empty=True, hint="Pass the HTML that colored_tokens_html(...) returns.")
    from IPython.display import HTML, display

    display(HTML(markup))
