"""Chat (chapter 12): the format, dialogue from the plays, generation that stops at a tag, the chat box, the
command line and fine-tuning, against a stand-in for chapter 10's character model built here (never committed)."""

import sys
import types
from dataclasses import dataclass, field

import pytest
import torch

from course_utils import chat
from course_utils.gpt import GPT, GPTConfig, next_token_loss

VOCAB = sorted(set("\n !\"&'(),-.:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz{}[]0123456789"))


@dataclass
class StandInCharGPT:
    """The shape of chapter 10's CharGPT: a GPT in eval mode, its characters, encode and decode."""

    model: torch.nn.Module
    vocab: list = field(default_factory=lambda: list(VOCAB))
    meta: dict = field(default_factory=dict)

    def encode(self, text):
        return [self.vocab.index(c) for c in text]

    def decode(self, ids):
        return "".join(self.vocab[int(i)] for i in ids)


def stand_in(seed=0, context=64):
    torch.manual_seed(seed)
    model = GPT(GPTConfig(vocab_size=len(VOCAB), context=context, n_layer=1, n_head=2, d_model=32)).eval()
    return StandInCharGPT(model)


class Scripted(torch.nn.Module):
    """A model that writes ``script`` one character per step, whatever it reads (after the prompt)."""

    def __init__(self, script, prompt_length):
        super().__init__()
        self.script, self.prompt_length = script, prompt_length
        self.config = GPTConfig(vocab_size=len(VOCAB), context=10_000)
        self.anchor = torch.nn.Parameter(torch.zeros(1))

    def forward(self, ids):
        written = ids.shape[1] - self.prompt_length
        logits = torch.full((ids.shape[0], ids.shape[1], len(VOCAB)), -10.0)
        logits[:, -1, VOCAB.index(self.script[written])] = 10.0
        return logits


def training_step(model, optimizer, x, y, clip=1.0):
    """A stand-in for chapter 10's gpt_training_step, with its signature."""
    optimizer.zero_grad()
    loss = next_token_loss(model(x), y)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
    optimizer.step()
    return loss.item()


def test_format_chat_writes_the_script_the_model_continues():
    text = chat.format_chat("Be brief.", [("user", "Hail,\n  friend!"), ("bot", "Well met.")])
    assert text == "{system} Be brief.\n{user} Hail, friend!\n{bot} Well met.\n{bot} "
    assert chat.format_chat("Be brief.", [], next_speaker="user") == "{system} Be brief.\n{user} "
    for bad, words in (
        ([("user", " ")], "empty"),
        ([("user", "say {bot} hi")], "speaker tag"),
        ([("king", "hi")], "speaker"),
    ):
        with pytest.raises(ValueError, match=words):
            chat.format_chat("Be brief.", bad)
    with pytest.raises(ValueError, match="next_speaker"):
        chat.format_chat("Be brief.", [], next_speaker="system")


PLAY = """SCENE I. A street.

[Enter ROMEO and BENVOLIO.]

ROMEO.
Good morrow, cousin.

BENVOLIO.
Is the day so young?
[Aside.] He is sad.

ROMEO.
But new struck nine.

SCENE II. A hall.

JULIET.
Who calls?

NURSE.
Your mother.
"""


def test_dialogue_from_the_plays_is_in_the_chat_format():
    scenes = chat.play_speeches(PLAY)
    assert scenes[0] == [
        ("ROMEO", "Good morrow, cousin."),
        ("BENVOLIO", "Is the day so young? He is sad."),
        ("ROMEO", "But new struck nine."),
    ]
    text = chat.dialogue_text(PLAY)
    system = f"{chat.SYSTEM_TAG} {chat.DEFAULT_SYSTEM_PROMPT}\n"
    assert text == (
        f"{system}{{user}} Good morrow, cousin.\n{{bot}} Is the day so young? He is sad.\n\n"
        f"{system}{{user}} Who calls?\n{{bot}} Your mother.\n"
    )


def test_generation_stops_at_the_next_speaker_tag():
    char_model = stand_in()
    prompt = chat.format_chat("Be brief.", [("user", "Hail!")])
    char_model.model = Scripted("Well met, sir. {user} and more" + "x" * 50, len(prompt))
    assert chat.continue_chat(char_model, prompt, max_new_chars=60) == "Well met, sir."
    char_model.model = Scripted("Fare thee well\n{bot} again", len(prompt))
    assert chat.continue_chat(char_model, prompt, max_new_chars=60) == "Fare thee well"
    char_model.model = Scripted("x" * 100, len(prompt))
    assert chat.continue_chat(char_model, prompt, max_new_chars=7) == "x" * 7


def test_chat_keeps_the_transcript_and_refuses_bad_messages_clearly():
    conversation = chat.Chat(stand_in(), system="Be brief.", max_new_chars=20, seed=1)
    answer = conversation.reply("Good morrow!")
    assert conversation.turns[0] == ("user", "Good morrow!") and conversation.turns[1] == ("bot", answer)
    assert answer and "{" not in answer and "\n" not in answer
    assert conversation.prompt().endswith("{bot} ")
    again = chat.Chat(stand_in(), system="Be brief.", max_new_chars=20, seed=1)
    assert again.reply("Good morrow!") == answer  # seeded
    for message, words in (("", "empty"), ("   \n ", "empty"), ("Grüß dich", "does not know"), ("x" * 400, "under")):
        with pytest.raises(ValueError, match=words):
            conversation.check_message(message)
    with pytest.raises(TypeError, match="text"):
        conversation.check_message(None)
    conversation.reset()
    assert conversation.turns == []


def test_the_chat_box_answers_and_never_raises():
    pytest.importorskip("ipywidgets")
    conversation = chat.Chat(stand_in(), system="Be brief.", max_new_chars=10)
    box = chat.chat_widget(conversation)
    box.send_message()  # the Send button with an empty field
    assert "Not sent" in box.transcript.value and "empty" in box.transcript.value and conversation.turns == []
    for bad in ("Grüß dich", "{bot} hi", "x" * 400):
        box.message.value = bad  # what pressing Enter does: the field's value reaches Python
        assert "Not sent" in box.transcript.value and conversation.turns == [] and box.message.value == ""
    box.message.value = "Hail!"
    assert len(conversation.turns) == 2 and "Hail!" in box.transcript.value and box.message.value == ""
    assert "Not sent" not in box.transcript.value

    class Broken(torch.nn.Module):
        config = GPTConfig(vocab_size=len(VOCAB), context=64)

        def __init__(self):
            super().__init__()
            self.anchor = torch.nn.Parameter(torch.zeros(1))

        def forward(self, ids):
            raise RuntimeError("out of memory")

    conversation.char_model.model = Broken()
    box.message.value = "Hail again!"
    assert "The model failed (RuntimeError: out of memory)" in box.transcript.value and len(conversation.turns) == 2


def test_fine_tuning_lowers_the_held_out_loss_of_the_format(monkeypatch):
    char_model = stand_in(context=32)
    dialogue = chat.dialogue_text(PLAY * 20)
    before = chat.heldout_loss(char_model, dialogue)
    run = chat.fine_tune(char_model, dialogue, steps=30, batch_size=8, lr=3e-3, training_step=training_step)
    after = chat.heldout_loss(char_model, dialogue)
    assert run.steps == 30 and after < before - 0.5 and not char_model.model.training
    # without training_step, fine_tune uses chapter 10's gpt_training_step from course_utils.training
    monkeypatch.setattr("course_utils.training.gpt_training_step", training_step, raising=False)
    assert chat.fine_tune(char_model, dialogue, steps=2, batch_size=2).steps == 2
    with pytest.raises(ValueError, match="does not know"):
        chat.fine_tune(char_model, "Grüß " * 50, steps=1)


def test_command_line_chat(monkeypatch, capsys):
    stand_in_trainer = types.ModuleType("course_utils.trainer")
    stand_in_trainer.load_char_gpt = lambda path=None: stand_in()
    monkeypatch.setitem(sys.modules, "course_utils.trainer", stand_in_trainer)
    messages = iter(["Hail!", "", "/reset", "Good morrow", "/quit"])
    assert chat.main(["--max-new-chars", "12", "--seed", "3"], input_fn=lambda prompt: next(messages)) == 0
    out = capsys.readouterr().out
    assert out.count("{bot} ") == 2 and "not sent" in out and out.startswith("{system} ")
    assert chat.main(["--temperature", "-1"], input_fn=lambda prompt: "/quit") == 2
