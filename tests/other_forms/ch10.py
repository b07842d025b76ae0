"""Right answers to chapter 10's exercises in other forms than the reference's: the unembedding as a product with
the embedding matrix, numpy numbers, a loop, float table entries, a list of drawn ids."""

import numpy as np
import torch
import torch.nn.functional as F


def gpt_forward(model, ids):
    T = ids.shape[1]
    x = model.wte(ids) + model.wpe(torch.arange(T))[None, :, :]
    for block in model.h:
        x = block(x)
    return model.ln_f(x) @ model.wte.weight.T  # the tied unembedding, written out


def count_parameters(model):
    seen = set()
    total = np.int64(0)
    for parameter in model.parameters():
        if id(parameter) not in seen:
            seen.add(id(parameter))
            total += np.prod(parameter.shape, dtype=np.int64)
    return total


def gpt3_parameter_table():
    vocab, width, layers, heads = 50257, 12288.0, 96, 96
    head = width * (width / heads)
    return {
        "embedding": vocab * width,
        "key": head * heads * layers,
        "query": head * heads * layers,
        "value_down": head * heads * layers,
        "value_up": head * heads * layers,
        "up_projection": np.float64(width * 4 * width * layers),
        "down_projection": np.float64(width * 4 * width * layers),
        "unembedding": width * vocab,
    }


def training_step(model, optimizer, x, y):
    logits = model(x)
    B, T, V = logits.shape
    loss = F.cross_entropy(logits.reshape(B * T, V), y.reshape(B * T))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()
    optimizer.zero_grad()  # after the step instead of before the backward pass
    return float(loss)


def generate(model, ids, max_new_tokens, temperature, generator):
    model.eval()
    rows = ids.tolist()
    with torch.no_grad():
        for _ in range(max_new_tokens):
            window = torch.tensor([row[-model.config.context :] for row in rows])
            logits = model(window)[:, -1, :]
            if temperature == 0:
                chosen = logits.argmax(dim=-1).tolist()
            else:
                chosen = torch.multinomial(torch.softmax(logits / temperature, dim=-1), 1, generator=generator)[:, 0]
                chosen = chosen.tolist()
            rows = [row + [token] for row, token in zip(rows, chosen, strict=True)]
    return torch.tensor(rows)


OTHER_FORMS = {
    "ch10.gpt_forward": gpt_forward,
    "ch10.count_parameters": count_parameters,
    "ch10.gpt3_parameter_table": gpt3_parameter_table,
    "ch10.training_step": training_step,
    "ch10.generate": generate,
}
