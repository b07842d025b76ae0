# Cells of chapter 12 that wait for chapter 10 (`course_utils.trainer.load_char_gpt`, the committed character
# model and `course_utils.training.gpt_training_step`). Once chapter 10 is on main they go into
# `notebooks/src/12_encoder_decoder_and_chat.py` right after the `ch12.format_chat` exercise's cell that prints
# the prompt (section 12.11), and this file is deleted. The code they call (`course_utils/chat.py`) is tested
# now with a stand-in model in `tests/test_chat.py`. `tools/build_notebooks.py` reads only `NN_*.py` files
# directly in `notebooks/src/`, so this file is not built.

# %% [markdown]
# ### Teaching the chapter 10 model the format: fine-tuning
#
# Chapter 10's model has read Shakespeare, not this format. **Fine-tuning** continues its training on new text,
# with a small learning rate, so that it keeps what it knows and learns the new pattern. The new text is made
# from the plays: in each scene, two speakers who answer each other become a user and a bot
# (`course_utils.chat.dialogue_text`), conversations from the training plays to train on and from the held-out
# plays (the same split as chapter 10) to measure. If you trained your own model in chapter 10, it is the one
# loaded here.

# %%
from course_utils.chat import Chat, chat_widget, dialogue_text, fine_tune, heldout_loss
from course_utils.data import shakespeare_split
from course_utils.trainer import load_char_gpt

char_gpt = load_char_gpt()
train_text, heldout_text = shakespeare_split()
dialogue_train = dialogue_text(train_text[: scaled(full=len(train_text), fast=400_000)])
dialogue_heldout = dialogue_text(heldout_text)
print(dialogue_heldout[:400])
before = heldout_loss(char_gpt, dialogue_heldout)
run = fine_tune(char_gpt, dialogue_train, steps=scaled(full=300, fast=8), batch_size=16, lr=3e-4, seed=0)
after = heldout_loss(char_gpt, dialogue_heldout)
print(f"held-out dialogue loss: {before:.3f} before fine-tuning, {after:.3f} after ({run.steps} steps)")
assert after < before

# %%
axes = new_axes("Fine-tuning on dialogue in the chat format", "step", "training loss", (9, 3))
axes.plot(run.losses, color=COLORS[0], label="training batches")
axes.axhline(before, color=COLORS[1], linestyle="--", label=f"held-out before ({before:.2f})")
axes.axhline(after, color=COLORS[2], linestyle="--", label=f"held-out after ({after:.2f})")
axes.legend()
plt.show()

# %% [markdown]
# ### Talking to it
#
# `Chat` keeps the system prompt and the turns; `reply(message)` formats them with `format_chat`, lets the model
# write one character at a time, stops it where it starts a new line or the next speaker's tag, and keeps its
# turn. The chat box below does the same with a text field (type, press Enter); `python -m course_utils.chat`
# does it in a terminal, with your own checkpoint if you name one (`--checkpoint`).

# %%
conversation = Chat(char_gpt, temperature=0.8, max_new_chars=160, seed=0)
for message in ["Good morrow, sir. How fares the king?", "What is your name?", "Wilt thou help me?"]:
    print(f"{USER_TAG} {message}\n{BOT_TAG} {conversation.reply(message)}")
assert len(conversation.turns) == 6 and all(text for _, text in conversation.turns)

# %%
box = chat_widget(Chat(char_gpt, max_new_chars=160, seed=1))
display(box)

# %% [markdown]
# The answers are in the format, in Shakespeare's words, and beside the point: the model has learned *how* a
# bot's turn looks, not to answer what was asked. That gap is the subject of the next section.
