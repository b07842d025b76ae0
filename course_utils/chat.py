"""Chat with a character-level GPT (chapter 12): a system prompt and a transcript that the model continues.

A chat model is still a next-token predictor. What makes it chat is the text it is given: a **system prompt**
(who the bot is), the **transcript** so far, each turn behind a speaker tag, and last the tag of the speaker who
must talk next, the bot's. The model writes the bot's turn; generation stops where it starts the next speaker's
tag, and the program, not the model, then hands the turn to the person (chapter 00 showed the idea).

The tags are :data:`SYSTEM_TAG`, :data:`USER_TAG` and :data:`BOT_TAG`: ``{system}``, ``{user}``, ``{bot}``.
Shakespeare's text holds ``{`` only 13 times and never these words behind it, so the chapter 10 model has never
seen this format; :func:`dialogue_text` turns exchanges from the plays into conversations in it, for
:func:`fine_tune` to teach it.

The same code serves the notebook (:func:`chat_widget`, an ipywidgets chat box) and the command line
(``python -m course_utils.chat``).
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import torch

from course_utils import validate
from course_utils.sampling import check_temperature, sample_next_token

SYSTEM_TAG, USER_TAG, BOT_TAG = "{system}", "{user}", "{bot}"
TAGS = {"system": SYSTEM_TAG, "user": USER_TAG, "bot": BOT_TAG}
"""Each speaker's tag; a turn is its tag, one space, the text on one line, then a newline."""
DEFAULT_SYSTEM_PROMPT = "The bot answers in the words of Shakespeare's plays."
MAX_MESSAGE_CHARS = 300
"""The longest message the chat accepts (the chapter 10 model reads 128 characters at once; the transcript's
end is what it sees)."""


class CharModel(Protocol):
    """What chat needs of a character-level model: chapter 10's ``CharGPT`` has it."""

    model: torch.nn.Module
    vocab: list[str]

    def encode(self, text: str) -> list[int]: ...

    def decode(self, ids: Sequence[int]) -> str: ...


def _check_char_model(char_model: object) -> CharModel:
    missing = [name for name in ("model", "vocab", "encode", "decode") if not hasattr(char_model, name)]
    if missing:
        raise TypeError(
            f"char_model must be a character-level model as load_char_gpt() returns (with .model, .vocab, .encode "
            f"and .decode), got {validate.describe(char_model)} without {', '.join(missing)}."
        )
    return char_model  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------------------------
# The format


def _one_line(text: str, name: str) -> str:
    """A message as one line: newlines become spaces; empty text or a speaker tag inside is refused."""
    text = validate.text(text, name, allow_empty=True)
    line = " ".join(text.split())
    if not line:
        raise ValueError(f"{name} is empty: write something for the bot to answer.")
    for tag in TAGS.values():
        if tag in line:
            raise ValueError(f"{name} holds the speaker tag {tag}, which would start a new turn: leave it out.")
    return line


def format_chat(system: str, turns: Sequence[tuple[str, str]], next_speaker: str = "bot") -> str:
    """The text a model continues to chat: the system prompt, the transcript, and the next speaker's tag.

    ``system`` is the system prompt; ``turns`` a list of (speaker, text) pairs, speaker "user" or "bot", in
    the order they were said. Each line is a tag, one space, the text and a newline::

        {system} <system prompt>
        {user} <first message>
        {bot} <its answer>
        ...
        {bot} <- the text ends with the next speaker's tag and one space, for the model to continue

    A text's line breaks become spaces (a turn is one line). An empty text, or one that holds a tag, raises
    ValueError, and so does a speaker other than "user" or "bot". ``TAGS`` maps each speaker to its tag.
    """
    if not isinstance(turns, (list, tuple)):
        raise TypeError(f"turns must be a list of (speaker, text) pairs, got {type(turns).__name__}.")
    if next_speaker not in ("user", "bot"):
        raise ValueError(f"next_speaker must be 'user' or 'bot', got {next_speaker!r}.")
    lines = []
    for index, turn in enumerate(turns):
        if not (isinstance(turn, (list, tuple)) and len(turn) == 2):
            raise TypeError(f"turns[{index}] must be a (speaker, text) pair such as ('user', 'Hail!'), got {turn!r}.")
        if turn[0] not in ("user", "bot"):
            raise ValueError(f"a turn's speaker must be 'user' or 'bot', got {turn[0]!r} in turns[{index}].")
    for speaker, text in [("system", system), *turns]:
        if not isinstance(text, str):
            raise TypeError(f"the {speaker}'s text must be a string, got {type(text).__name__}.")
        line = " ".join(text.split())  # one line, single spaces
        if not line:
            raise ValueError(f"the {speaker}'s text is empty: write something for the bot to answer.")
        if any(tag in line for tag in TAGS.values()):
            raise ValueError(f"the {speaker}'s text holds a speaker tag, which would start a new turn: leave it out.")
        lines.append(f"{TAGS[speaker]} {line}\n")
    return "".join(lines) + TAGS[next_speaker] + " "


# --------------------------------------------------------------------------------------------------------------
# Dialogue from the plays, in the chat format

_SPEAKER_LINE = re.compile(r"^([A-Z][A-Z' ,.&-]*[A-Z])\.$")
_STAGE_DIRECTION = re.compile(r"\[[^\]]*\]")


def play_speeches(text: str) -> list[list[tuple[str, str]]]:
    """The speeches of the plays in ``text``, scene by scene: each scene a list of (speaker, speech) pairs.

    A speech starts at a line holding only a name in capitals and a full stop (``JULIET.``) and runs to the
    next blank line; stage directions in brackets are dropped and the speech's lines joined by spaces. A scene
    ends at a line starting ``SCENE`` or ``ACT``.
    """
    text = validate.text(text, "text")
    scenes: list[list[tuple[str, str]]] = [[]]
    speaker: str | None = None
    speech: list[str] = []

    def close() -> None:
        words = " ".join(_STAGE_DIRECTION.sub(" ", " ".join(speech)).split())
        if speaker and words and not any(tag in words for tag in TAGS.values()):
            scenes[-1].append((speaker, words))

    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith(("SCENE", "ACT ")):
            close()
            speaker, speech = None, []
            scenes.append([])
        elif _SPEAKER_LINE.match(stripped) and len(stripped) < 40:
            close()
            speaker, speech = stripped[:-1], []
        elif not stripped:
            close()
            speaker, speech = None, []
        elif speaker:
            speech.append(stripped)
    close()
    return [scene for scene in scenes if len(scene) >= 2]


def dialogue_text(text: str, max_turn_chars: int = 160, turns_per_conversation: int = 4) -> str:
    """Conversations in the chat format made from the exchanges of the plays in ``text``.

    Within each scene, runs of speeches by two alternating speakers become conversations of up to
    ``turns_per_conversation`` turns: the first speaker is the user, the second the bot. Each starts with the
    system line of :data:`DEFAULT_SYSTEM_PROMPT`; a speech longer than ``max_turn_chars`` is cut at a word.
    Conversations are separated by a blank line.
    """
    max_turn_chars = validate.whole_number(max_turn_chars, "max_turn_chars", minimum=20)
    turns_per_conversation = validate.whole_number(turns_per_conversation, "turns_per_conversation", minimum=2)
    conversations = []
    for scene in play_speeches(text):
        start = 0
        while start < len(scene) - 1:
            first, second = scene[start][0], scene[start + 1][0]
            if first == second:
                start += 1
                continue
            end = start + 2
            while (
                end < len(scene)
                and end - start < turns_per_conversation
                and scene[end][0] == (first, second)[(end - start) % 2]
            ):
                end += 1
            turns = [
                ("user" if (i - start) % 2 == 0 else "bot", _shorten(scene[i][1], max_turn_chars))
                for i in range(start, end)
            ]
            if turns[-1][0] == "user":
                turns = turns[:-1]
            prompt = format_chat(DEFAULT_SYSTEM_PROMPT, turns[:-1], next_speaker="bot")
            conversations.append(prompt + turns[-1][1] + "\n")
            start = end
    return "\n".join(conversations)


def _shorten(speech: str, limit: int) -> str:
    if len(speech) <= limit:
        return speech
    cut = speech[:limit].rsplit(" ", 1)[0]
    return cut if cut else speech[:limit]


# --------------------------------------------------------------------------------------------------------------
# Fine-tuning and held-out loss


def _ids_tensor(char_model: CharModel, text: str, name: str) -> torch.Tensor:
    unknown = sorted(set(text) - set(char_model.vocab))
    if unknown:
        raise ValueError(
            f"{name} holds characters the model does not know: {', '.join(repr(c) for c in unknown[:10])}: "
            f"its vocabulary is the {len(char_model.vocab)} characters of Shakespeare's text."
        )
    return torch.tensor(char_model.encode(text), dtype=torch.long)


def _context(char_model: CharModel) -> int:
    return int(char_model.model.config.context)


@torch.no_grad()
def heldout_loss(char_model: CharModel, text: str, max_windows: int = 64) -> float:
    """The model's mean next-character loss (nats) on ``text``, over up to ``max_windows`` windows of its
    context spread evenly through the text (the same windows every time: a fair before/after comparison)."""
    char_model = _check_char_model(char_model)
    max_windows = validate.whole_number(max_windows, "max_windows", minimum=1)
    ids = _ids_tensor(char_model, validate.text(text, "text"), "text")
    context = _context(char_model)
    if len(ids) < context + 1:
        raise ValueError(f"text has {len(ids)} characters; the loss needs at least context + 1 = {context + 1}.")
    n_windows = min(max_windows, (len(ids) - 1) // context)
    starts = torch.linspace(0, len(ids) - context - 1, n_windows).long()
    x = torch.stack([ids[s : s + context] for s in starts.tolist()])
    y = torch.stack([ids[s + 1 : s + context + 1] for s in starts.tolist()])
    model = char_model.model
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    losses = []
    for row in range(0, len(x), 16):
        logits = model(x[row : row + 16].to(device))
        losses.append(
            torch.nn.functional.cross_entropy(
                logits.flatten(0, 1), y[row : row + 16].to(device).flatten(), reduction="sum"
            )
        )
    model.train(was_training)
    return float(torch.stack(losses).sum()) / y.numel()


@dataclass
class FineTuneRun:
    """What :func:`fine_tune` did: the training loss at each step and the steps taken."""

    losses: list[float] = field(default_factory=list)
    steps: int = 0


def fine_tune(
    char_model: CharModel,
    text: str,
    steps: int,
    *,
    batch_size: int = 16,
    lr: float = 3e-4,
    seed: int = 0,
    training_step: Callable[..., float] | None = None,
) -> FineTuneRun:
    """Continue training ``char_model``'s GPT on ``text`` (dialogue in the chat format), in place.

    Each step takes ``batch_size`` windows of the model's context from random places in ``text`` (a CPU
    generator seeded with ``seed``) and makes one step of chapter 10's training step
    (``course_utils.training.gpt_training_step``, or ``training_step`` if given) with AdamW at the small
    learning rate ``lr``: fine-tuning nudges weights that already know English, it does not start again.
    """
    char_model = _check_char_model(char_model)
    steps = validate.whole_number(steps, "steps", minimum=1)
    batch_size = validate.whole_number(batch_size, "batch_size", minimum=1)
    lr = validate.real_number(lr, "lr", above=0.0, hint="3e-4 is usual for fine-tuning.")
    if training_step is None:
        from course_utils.training import gpt_training_step as training_step  # chapter 10's step
    ids = _ids_tensor(char_model, validate.text(text, "text"), "text")
    context = _context(char_model)
    if len(ids) < context + 2:
        raise ValueError(f"text has {len(ids)} characters; fine-tuning needs more than one context ({context}).")
    model = char_model.model
    device = next(model.parameters()).device
    generator = torch.Generator().manual_seed(validate.whole_number(seed, "seed", minimum=0))
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    run = FineTuneRun()
    model.train()
    try:
        for _ in range(steps):
            starts = torch.randint(len(ids) - context - 1, (batch_size,), generator=generator)
            x = torch.stack([ids[s : s + context] for s in starts.tolist()]).to(device)
            y = torch.stack([ids[s + 1 : s + context + 1] for s in starts.tolist()]).to(device)
            run.losses.append(training_step(model, optimizer, x, y))
            run.steps += 1
    finally:
        model.eval()
    return run


# --------------------------------------------------------------------------------------------------------------
# Generation that stops at the next speaker's tag, and a chat that keeps the transcript


def _stop_at_tag(text: str) -> tuple[str, bool]:
    """``text`` cut before the first speaker tag (or a new line, which ends a turn), and whether it was cut."""
    cuts = [text.find(mark) for mark in (*TAGS.values(), "\n") if mark in text]
    return (text[: min(cuts)], True) if cuts else (text, False)


@torch.no_grad()
def continue_chat(
    char_model: CharModel,
    prompt: str,
    max_new_chars: int = 200,
    temperature: float = 0.8,
    generator: torch.Generator | None = None,
) -> str:
    """The model's turn: continue ``prompt`` (as :func:`format_chat` makes it) one character at a time, and
    stop when it starts the next line or a speaker tag, or after ``max_new_chars``. Returns the turn's text
    without the tag, stripped of spaces at its ends."""
    char_model = _check_char_model(char_model)
    prompt = validate.text(prompt, "prompt")
    max_new_chars = validate.whole_number(max_new_chars, "max_new_chars", minimum=1)
    check_temperature(temperature)
    if generator is not None:
        validate.generator(generator, "generator")
    model = char_model.model
    model.eval()
    context = _context(char_model)
    device = next(model.parameters()).device
    ids = _ids_tensor(char_model, prompt, "prompt").to(device)
    new_ids: list[int] = []
    reply = ""
    for _ in range(max_new_chars):
        window = torch.cat([ids, torch.tensor(new_ids, dtype=torch.long, device=device)])[-context:]
        logits = model(window[None])[:, -1, :]
        new_ids.append(int(sample_next_token(logits, temperature, None, generator)[0]))
        reply, stopped = _stop_at_tag(char_model.decode(new_ids))
        if stopped:
            break
    return reply.strip()


@dataclass
class Chat:
    """A conversation with a character-level model: the system prompt and the turns so far.

    ``reply(message)`` adds the user's message, lets the model write the bot's turn (stopping at the next
    speaker tag), adds it, and returns it. The transcript is kept whole; the model reads its last ``context``
    characters.
    """

    char_model: CharModel
    system: str = DEFAULT_SYSTEM_PROMPT
    temperature: float = 0.8
    max_new_chars: int = 200
    seed: int = 0
    turns: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        _check_char_model(self.char_model)
        _one_line(self.system, "system")
        unknown = sorted(set(self.system) - set(self.char_model.vocab) - {"\n"})
        if unknown:
            raise ValueError(
                f"system holds character(s) the model does not know: {', '.join(repr(c) for c in unknown)} (it has "
                f"read only Shakespeare's characters): write them differently."
            )
        check_temperature(self.temperature)
        self.max_new_chars = validate.whole_number(self.max_new_chars, "max_new_chars", minimum=1)
        self.generator = torch.Generator().manual_seed(validate.whole_number(self.seed, "seed", minimum=0))

    def check_message(self, message: str) -> str:
        """``message`` as one line, or a ValueError that says what is wrong with it (empty, too long, a tag,
        characters the model does not know)."""
        if not isinstance(message, str):
            raise TypeError(f"message must be text, got {validate.describe(message)}.")
        line = _one_line(message, "message")
        if len(line) > MAX_MESSAGE_CHARS:
            raise ValueError(f"message has {len(line)} characters; keep it under {MAX_MESSAGE_CHARS}.")
        unknown = sorted(set(line) - set(self.char_model.vocab))
        if unknown:
            raise ValueError(
                f"message holds character(s) the model does not know: {', '.join(repr(c) for c in unknown)} (it "
                f"has read only Shakespeare's characters): write them differently."
            )
        return line

    def prompt(self) -> str:
        """The text the model continues now: :func:`format_chat` of the system prompt and the turns."""
        return format_chat(self.system, self.turns, next_speaker="bot")

    def reply(self, message: str) -> str:
        """Add ``message`` as the user's turn and return the bot's answer (added to the turns too)."""
        line = self.check_message(message)
        self.turns.append(("user", line))
        try:
            answer = continue_chat(self.char_model, self.prompt(), self.max_new_chars, self.temperature, self.generator)
        except Exception:
            self.turns.pop()  # the message was not answered: the transcript stays as it was
            raise
        # an empty turn would break the format; "..." says the model gave up at once
        self.turns.append(("bot", answer or "..."))
        return self.turns[-1][1]

    def reset(self) -> None:
        """Forget the turns (the system prompt stays)."""
        self.turns.clear()


# --------------------------------------------------------------------------------------------------------------
# The chat box and the command line


def _transcript_html(chat: Chat, note: str = "") -> str:
    rows = [f"<div style='color:#666'><i>{html.escape(chat.system)}</i></div>"]
    for speaker, text in chat.turns:
        colour = "#1f5fa8" if speaker == "user" else "#8a3b12"
        rows.append(f"<div><b style='color:{colour}'>{speaker}:</b> {html.escape(text)}</div>")
    if note:
        rows.append(f"<div style='color:#b00020'>{html.escape(note)}</div>")
    return "<div style='font-family:monospace; line-height:1.5'>" + "".join(rows) + "</div>"


def chat_widget(chat: Chat) -> Any:
    """An ipywidgets chat box over ``chat``: a text field, a Send button, and the transcript above them.

    Press Enter or Send: the message is added, the model answers, and the transcript shows both. A message the
    model cannot take (empty, too long, unknown characters) is answered with a note saying why, never an error.
    """
    import ipywidgets as widgets

    if not isinstance(chat, Chat):
        raise TypeError(f"chat must be a Chat, got {validate.describe(chat)}: Chat(load_char_gpt()).")
    transcript = widgets.HTML(_transcript_html(chat))
    # continuous_update=False: the value reaches Python when Enter is pressed (or the field loses focus)
    message = widgets.Text(
        placeholder="Say something to the bot, then press Enter", continuous_update=False, layout={"width": "70%"}
    )
    send = widgets.Button(description="Send", button_style="primary")
    clear = widgets.Button(description="Start again")

    def on_send(_: Any = None) -> None:
        text = message.value
        message.value = ""
        try:
            chat.reply(text)
            note = ""
        except (TypeError, ValueError) as error:
            note = f"Not sent: {error}"
        except Exception as error:  # noqa: BLE001 - the chat box must answer, whatever went wrong in the model
            note = f"The model failed ({type(error).__name__}: {error}); try another message."
        transcript.value = _transcript_html(chat, note)

    def on_clear(_: Any = None) -> None:
        chat.reset()
        transcript.value = _transcript_html(chat)

    def on_enter(change: dict) -> None:
        if change["new"]:  # clearing the field after sending changes the value too: nothing to send then
            on_send()

    message.observe(on_enter, "value")
    send.on_click(on_send)
    clear.on_click(on_clear)
    box = widgets.VBox([transcript, widgets.HBox([message, send, clear])])
    box.send_message = on_send  # for tests and notebooks: box.send_message() sends the text field's value
    box.message, box.transcript = message, transcript
    return box


def main(argv: Sequence[str] | None = None, input_fn: Callable[[str], str] = input) -> int:
    """``python -m course_utils.chat``: chat with the chapter 10 model (or a checkpoint) in a terminal.

    Type a message and press Enter; ``/reset`` forgets the conversation, ``/quit`` (or Ctrl-D) ends it.
    """
    parser = argparse.ArgumentParser(prog="python -m course_utils.chat", description=main.__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", help="a checkpoint of chapter 10's trainer (default: yours, else the course's)")
    parser.add_argument("--system", default=DEFAULT_SYSTEM_PROMPT, help="the system prompt")
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--max-new-chars", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    from course_utils.trainer import load_char_gpt  # chapter 10

    try:
        chat = Chat(
            load_char_gpt(args.checkpoint),
            system=args.system,
            temperature=args.temperature,
            max_new_chars=args.max_new_chars,
            seed=args.seed,
        )
    except (TypeError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{SYSTEM_TAG} {chat.system}\n(/reset starts again, /quit ends)")
    while True:
        try:
            message = input_fn(f"{USER_TAG} ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if message.strip() == "/quit":
            return 0
        if message.strip() == "/reset":
            chat.reset()
            continue
        try:
            print(f"{BOT_TAG} {chat.reply(message)}")
        except ValueError as error:
            print(f"(not sent: {error})")


if __name__ == "__main__":
    raise SystemExit(main())
