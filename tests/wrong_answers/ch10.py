"""Plausible wrong answers to chapter 10's exercises, written as a learner would, and what the message must say."""

import torch
import torch.nn.functional as F

# ch10.gpt_forward


def forward_no_positions(model, ids):
    x = model.wte(ids)
    for block in model.h:
        x = block(x)
    return model.lm_head(model.ln_f(x))


def forward_no_final_norm(model, ids):
    x = model.wte(ids) + model.wpe(torch.arange(ids.shape[1]))
    for block in model.h:
        x = block(x)
    return model.lm_head(x)


def forward_positions_from_one(model, ids):
    x = model.wte(ids) + model.wpe(torch.arange(1, ids.shape[1] + 1))
    for block in model.h:
        x = block(x)
    return model.lm_head(model.ln_f(x))


def forward_return_in_loop(model, ids):
    x = model.wte(ids) + model.wpe(torch.arange(ids.shape[1]))
    for block in model.h:
        x = block(x)
        return model.lm_head(model.ln_f(x))


def forward_softmax(model, ids):
    x = model.wte(ids) + model.wpe(torch.arange(ids.shape[1]))
    for block in model.h:
        x = block(x)
    return torch.softmax(model.lm_head(model.ln_f(x)), dim=-1)


def forward_norm_first(model, ids):
    x = model.ln_f(model.wte(ids) + model.wpe(torch.arange(ids.shape[1])))
    for block in model.h:
        x = block(x)
    return model.lm_head(x)


def forward_positions_of_batch(model, ids):
    x = model.wte(ids) + model.wpe(torch.arange(ids.shape[0]))[:, None]  # one position per sequence
    for block in model.h:
        x = block(x)
    return model.lm_head(model.ln_f(x))


def forward_hidden_only(model, ids):
    x = model.wte(ids) + model.wpe(torch.arange(ids.shape[1]))
    for block in model.h:
        x = block(x)
    return model.ln_f(x)  # the vectors, not the logits


# ch10.count_parameters


def count_state_dict(model):
    return sum(t.numel() for t in model.state_dict().values())


def count_with_duplicates(model):
    return sum(p.numel() for _, p in model.named_parameters(remove_duplicate=False))


def count_with_buffers(model):
    return sum(p.numel() for p in model.parameters()) + sum(b.numel() for b in model.buffers())


def count_tensors(model):
    return len(list(model.parameters()))


def count_matrices_only(model):
    return sum(p.numel() for p in model.parameters() if p.ndim >= 2)


def count_every_module(model):
    total = 0
    for module in model.modules():
        for p in module.parameters():
            total += p.numel()
    return total


# ch10.gpt3_parameter_table


def table_mlp_not_wider():
    V, C, L, H = 50_257, 12_288, 96, 96
    attention = C * (C // H) * H * L
    return {
        "embedding": V * C,
        "key": attention,
        "query": attention,
        "value_down": attention,
        "value_up": attention,
        "up_projection": C * C * L,
        "down_projection": C * C * L,
        "unembedding": C * V,
    }


def table_one_layer():
    V, C, H = 50_257, 12_288, 96
    attention = C * (C // H) * H
    return {
        "embedding": V * C,
        "key": attention,
        "query": attention,
        "value_down": attention,
        "value_up": attention,
        "up_projection": C * 4 * C,
        "down_projection": C * 4 * C,
        "unembedding": C * V,
    }


def table_full_width_heads():
    V, C, L, H = 50_257, 12_288, 96, 96
    attention = C * C * H * L
    return {
        "embedding": V * C,
        "key": attention,
        "query": attention,
        "value_down": attention,
        "value_up": attention,
        "up_projection": C * 4 * C * L,
        "down_projection": C * 4 * C * L,
        "unembedding": C * V,
    }


def table_position_embedding():
    V, C, L, H = 50_257, 12_288, 96, 96
    attention = C * (C // H) * H * L
    return {
        "embedding": 2048 * C,
        "key": attention,
        "query": attention,
        "value_down": attention,
        "value_up": attention,
        "up_projection": C * 4 * C * L,
        "down_projection": C * 4 * C * L,
        "unembedding": C * V,
    }


def table_tied_unembedding():
    V, C, L, H = 50_257, 12_288, 96, 96
    attention = C * (C // H) * H * L
    return {
        "embedding": V * C,
        "key": attention,
        "query": attention,
        "value_down": attention,
        "value_up": attention,
        "up_projection": C * 4 * C * L,
        "down_projection": C * 4 * C * L,
        "unembedding": 0,
    }


def table_one_head():
    V, C, L, H = 50_257, 12_288, 96, 96
    attention = C * (C // H) * L
    return {
        "embedding": V * C,
        "key": attention,
        "query": attention,
        "value_down": attention,
        "value_up": attention,
        "up_projection": C * 4 * C * L,
        "down_projection": C * 4 * C * L,
        "unembedding": C * V,
    }


def table_with_total():
    V, C, L, H = 50_257, 12_288, 96, 96
    attention = C * (C // H) * H * L
    table = {
        "embedding": V * C,
        "key": attention,
        "query": attention,
        "value_down": attention,
        "value_up": attention,
        "up_projection": C * 4 * C * L,
        "down_projection": C * 4 * C * L,
        "unembedding": C * V,
    }
    table["total"] = sum(table.values())
    return table


# ch10.training_step


def step_no_zero_grad(model, optimizer, x, y):
    logits = model(x)
    loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), y.view(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()


def step_clip_after(model, optimizer, x, y):
    optimizer.zero_grad()
    logits = model(x)
    loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), y.view(-1))
    loss.backward()
    optimizer.step()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    return loss.item()


def step_no_clip(model, optimizer, x, y):
    optimizer.zero_grad()
    logits = model(x)
    loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), y.view(-1))
    loss.backward()
    optimizer.step()
    return loss.item()


def step_last_position(model, optimizer, x, y):
    optimizer.zero_grad()
    logits = model(x)
    loss = F.cross_entropy(logits[:, -1, :], y[:, -1])
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()


def step_targets_are_inputs(model, optimizer, x, y):
    optimizer.zero_grad()
    logits = model(x)
    loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), x.view(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()


def step_zero_grad_before_step(model, optimizer, x, y):
    logits = model(x)
    loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), y.view(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.zero_grad()  # wipes the gradients the step needs
    optimizer.step()
    return loss.item()


def step_returns_tensor(model, optimizer, x, y):
    optimizer.zero_grad()
    logits = model(x)
    loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), y.view(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss


def step_unflattened(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x), y)  # (B, T, V) against (B, T): torch reads V as the positions
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()


def step_summed(model, optimizer, x, y):
    optimizer.zero_grad()
    logits = model(x)
    loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), y.view(-1), reduction="sum")
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()


# ch10.generate


def generate_no_crop(model, ids, max_new_tokens, temperature, generator):
    with torch.no_grad():
        for _ in range(max_new_tokens):
            logits = model(ids)[:, -1, :]
            if temperature == 0:
                next_ids = logits.argmax(-1, keepdim=True)
            else:
                next_ids = torch.multinomial(F.softmax(logits / temperature, -1), 1, generator=generator)
            ids = torch.cat([ids, next_ids], dim=1)
    return ids


def generate_crop_start(model, ids, max_new_tokens, temperature, generator):
    context = model.config.context
    with torch.no_grad():
        for _ in range(max_new_tokens):
            logits = model(ids[:, :context])[:, -1, :]
            if temperature == 0:
                next_ids = logits.argmax(-1, keepdim=True)
            else:
                next_ids = torch.multinomial(F.softmax(logits / temperature, -1), 1, generator=generator)
            ids = torch.cat([ids, next_ids], dim=1)
    return ids


def generate_first_position(model, ids, max_new_tokens, temperature, generator):
    context = model.config.context
    with torch.no_grad():
        for _ in range(max_new_tokens):
            logits = model(ids[:, -context:])[:, 0, :]
            if temperature == 0:
                next_ids = logits.argmax(-1, keepdim=True)
            else:
                next_ids = torch.multinomial(F.softmax(logits / temperature, -1), 1, generator=generator)
            ids = torch.cat([ids, next_ids], dim=1)
    return ids


def generate_global_generator(model, ids, max_new_tokens, temperature, generator):
    context = model.config.context
    with torch.no_grad():
        for _ in range(max_new_tokens):
            logits = model(ids[:, -context:])[:, -1, :]
            if temperature == 0:
                next_ids = logits.argmax(-1, keepdim=True)
            else:
                next_ids = torch.multinomial(F.softmax(logits / temperature, -1), 1)  # no generator
            ids = torch.cat([ids, next_ids], dim=1)
    return ids


def generate_times_temperature(model, ids, max_new_tokens, temperature, generator):
    context = model.config.context
    with torch.no_grad():
        for _ in range(max_new_tokens):
            logits = model(ids[:, -context:])[:, -1, :]
            if temperature == 0:
                next_ids = logits.argmax(-1, keepdim=True)
            else:
                next_ids = torch.multinomial(F.softmax(logits * temperature, -1), 1, generator=generator)
            ids = torch.cat([ids, next_ids], dim=1)
    return ids


def generate_always_greedy(model, ids, max_new_tokens, temperature, generator):
    context = model.config.context
    with torch.no_grad():
        for _ in range(max_new_tokens):
            logits = model(ids[:, -context:])[:, -1, :]
            ids = torch.cat([ids, logits.argmax(-1, keepdim=True)], dim=1)
    return ids


def generate_new_only(model, ids, max_new_tokens, temperature, generator):
    context = model.config.context
    new = []
    with torch.no_grad():
        for _ in range(max_new_tokens):
            logits = model(ids[:, -context:])[:, -1, :]
            next_ids = logits.argmax(-1, keepdim=True)
            if temperature:
                next_ids = torch.multinomial(F.softmax(logits / temperature, -1), 1, generator=generator)
            ids = torch.cat([ids, next_ids], dim=1)
            new.append(next_ids)
    return torch.cat(new, dim=1)


# found in review: more plausible mistakes


def forward_final_norm_every_block(model, ids):
    x = model.wte(ids) + model.wpe(torch.arange(ids.shape[1]))
    for block in model.h:
        x = model.ln_f(block(x))
    return model.lm_head(x)


def step_clip_values(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x).flatten(0, 1), y.flatten())
    loss.backward()
    torch.nn.utils.clip_grad_value_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()


def step_nll_of_logits(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.nll_loss(model(x).flatten(0, 1), y.flatten())
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()


def step_loss_after_the_step(model, optimizer, x, y):
    optimizer.zero_grad()
    F.cross_entropy(model(x).flatten(0, 1), y.flatten()).backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    with torch.no_grad():
        return F.cross_entropy(model(x).flatten(0, 1), y.flatten()).item()


@torch.no_grad()
def generate_divides_by_zero(model, ids, max_new_tokens, temperature, generator):
    for _ in range(max_new_tokens):
        logits = model(ids[:, -model.config.context :])[:, -1, :]
        next_ids = torch.multinomial(F.softmax(logits / temperature, dim=-1), 1, generator=generator)
        ids = torch.cat([ids, next_ids], dim=1)
    return ids


WRONG_ANSWERS = {
    "ch10.gpt_forward": [
        (forward_no_positions, "no position embedding"),
        (forward_no_final_norm, "no final layer norm"),
        (forward_positions_from_one, "start at 0"),
        (forward_return_in_loop, "inside the loop"),
        (forward_softmax, "return the logits themselves"),
        (forward_norm_first, "before the blocks"),
        (forward_positions_of_batch, "x = model.wte(ids) + model.wpe(torch.arange(T))"),
        (forward_hidden_only, "model.lm_head"),
        (forward_final_norm_every_block, "once, after the last block"),
    ],
    "ch10.count_parameters": [
        (count_state_dict, "state dict"),
        (count_with_duplicates, "remove_duplicate"),
        (count_with_buffers, "buffers are not parameters"),
        (count_tensors, "p.numel()"),
        (count_matrices_only, "biases and layer norms count too"),
        (count_every_module, "model.modules()"),
    ],
    "ch10.gpt3_parameter_table": [
        (table_mlp_not_wider, "4 times wider"),
        (table_one_layer, "96 layers"),
        (table_full_width_heads, "d_head = 12,288 / 96 = 128"),
        (table_position_embedding, "per vocabulary token"),
        (table_tied_unembedding, "its own group"),
        (table_one_head, "each of the 96 heads"),
        (table_with_total, "'total'"),
    ],
    "ch10.training_step": [
        (step_no_zero_grad, "not zeroed"),
        (step_clip_after, "too late"),
        (step_no_clip, "unclipped gradients"),
        (step_last_position, "every position"),
        (step_targets_are_inputs, "the targets are y"),
        (step_zero_grad_before_step, "the weights did not change"),
        (step_returns_tensor, "loss.item()"),
        (step_unflattened, "step 1"),
        (step_summed, "not their sum"),
        (step_clip_values, "clip_grad_norm_(model.parameters(), 1.0) between"),  # each value is below 1 here
        (step_nll_of_logits, "log-probabilities"),
        (step_loss_after_the_step, "not the loss recomputed after"),
    ],
    "ch10.generate": [
        (generate_no_crop, "crop the input to the model's context"),
        (generate_crop_start, "the last context tokens"),
        (generate_first_position, "the last position"),
        (generate_global_generator, "seeded alike"),
        (generate_times_temperature, "do not multiply"),
        (generate_always_greedy, "likeliest token"),
        (generate_new_only, "only the new tokens"),
        (generate_divides_by_zero, "temperature 0 means greedy"),
    ],
}
